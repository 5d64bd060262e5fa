"""The offline demo's home timeline: tweets in the style of the music feeds the bot follows (written for deephype;
the accounts are made up). Some name a song, some are feed chatter, one is the bot's own earlier post.
"""

from __future__ import annotations

BOT_USERNAME = "deephype"

# (account, text), oldest first.
DEMO_TIMELINE: tuple[tuple[str, str], ...] = (
    ("neonwave_blog", 'NEW MUSIC: M83 – "Midnight City" 🌃 still the biggest synth chorus of the decade '
                      "https://t.co/mq1xk2Lp0a"),
    ("latenightdigs", "Tour news: our favourite dream pop duo just added twelve dates across Europe. Tickets go on "
                      "sale Friday at 10am."),
    ("bluehourradio", "Now spinning Beach House's \"Space Song\". That slide guitar at 2:40 gets me every single "
                      "time #np"),
    (BOT_USERNAME, "Holocene feels like watching a frozen lake thaw from the inside, one slow chord at a time."),
    ("crate_diggers", 'Caribou – "Can\'t Do Without You" is the sound of a Sunday morning that refuses to end '
                      "https://t.co/8fJd0qWm2e"),
    ("thesongsmith", "What's the best album opener of all time? Wrong answers only 👇"),
    ("neonwave_blog", 'Phoenix – "Lisztomania". Fifteen years on and it still sounds like the first warm day of '
                      "spring https://t.co/Yx3LqP0o2s"),
    ("thesongsmith", "Reminder: we're live tonight at 8pm with a listening party. Bring snacks and opinions."),
    ("bluehourradio", "Tame Impala - Let It Happen: eight minutes of pure drift, and not a second too long "
                      "https://t.co/Qm7Ls2Xr9d"),
    ("latenightdigs", 'Disclosure – "Latch" (feat. Sam Smith) turns ten today and still sounds like the future'),
)
