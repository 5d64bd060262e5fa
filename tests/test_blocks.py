"""Block Kit builders: structure, action ids and values, Slack's limits, escaping, and the plain-text renderer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import blocks as bk
from deephype.standins.slack_block_rules import blocks_errors, view_errors

AT = datetime(2026, 5, 1, 14, 2, tzinfo=UTC)


def _buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def _all_text(blocks: list[dict]) -> str:
    return bk.render_text(blocks)


def test_candidate_message_has_the_four_buttons_carrying_the_candidate_id():
    text, blocks = bk.candidate_message(42, "A shimmering synth rush.", 0.8312, 2)
    buttons = _buttons(blocks)
    assert [b["action_id"] for b in buttons] == [bk.APPROVE, bk.REJECT, bk.EDIT, bk.REGENERATE]
    assert {b["value"] for b in buttons} == {"42"}
    assert [b.get("style") for b in buttons] == ["primary", "danger", None, None]
    assert buttons[1]["confirm"]["confirm"]["text"] == "Reject"
    assert text == "Candidate 2: A shimmering synth rush."
    assert "score 0.83" in _all_text(blocks) and "Candidate 2" in _all_text(blocks)
    assert blocks_errors(blocks) == []


@pytest.mark.parametrize(
    ("raw", "escaped", "rendered"),
    [
        ("Tom & Jerry", "Tom &amp; Jerry", "Tom & Jerry"),
        ("<@U123> is <great>", "&lt;@U123&gt; is &lt;great&gt;", "<@U123> is <great>"),
        ("a -> b && c", "a -&gt; b &amp;&amp; c", "a -> b && c"),
        ("already &amp; there", "already &amp;amp; there", "already &amp; there"),
        # Slack shows these markers as bold and italic, so the plain rendering shows the words alone.
        ("no specials *bold* _it_", "no specials *bold* _it_", "no specials bold it"),
        ("f*ck this snake_case 5*3", "f*ck this snake_case 5*3", "f*ck this snake_case 5*3"),
    ],
)
def test_user_text_is_escaped_in_mrkdwn_and_rendered_back_as_slack_shows_it(raw, escaped, rendered):
    text, blocks = bk.candidate_message(1, raw, 0.5, 1)
    assert blocks[0]["text"]["text"] == escaped
    assert text.endswith(escaped)
    assert bk.render_text(blocks).splitlines()[0] == rendered


def test_song_header_names_the_song_genres_their_source_and_the_tweet():
    text, blocks = bk.song_header("Simon & Garfunkel", "The Boxer", ["folk rock", "r&b"], "Spotify",
                                  tweet_url="https://x.com/hype/status/1", requested_by="U0ANA0001")
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Simon & Garfunkel – The Boxer",
                                                   "emoji": True}}
    assert "folk rock, r&amp;b" in blocks[1]["text"]["text"] and "(Spotify)" in blocks[1]["text"]["text"]
    assert text == "New candidates for Simon &amp; Garfunkel – The Boxer"
    rendered = bk.render_text(blocks)
    assert "Requested by @U0ANA0001" in rendered and "this tweet (https://x.com/hype/status/1)" in rendered
    assert blocks_errors(blocks) == []


@pytest.mark.parametrize(("genres", "source", "expected"), [
    ([], "unknown", "*Genres:* none found _(unknown)_"),
    (["dream pop"], "offline table", "*Genres:* dream pop _(offline table)_"),
])
def test_song_header_genre_line(genres, source, expected):
    _, blocks = bk.song_header("Beach House", "Space Song", genres, source)
    assert blocks[1]["text"]["text"] == expected
    assert len(blocks) == 2  # no requester and no tweet: no context line


def test_long_inputs_stay_within_slack_limits():
    huge = "word & " * 1000  # 7000 characters, many of them escaped
    for _, blocks in [bk.song_header("A" * 400, "B" * 400, ["g" * 40] * 500, "Spotify", tweet_url="https://x.com/1"),
                      bk.candidate_message("c1", huge, 0.1, 1),
                      bk.decided_message(huge, "rejected", "U1", AT, reason=huge, edited_from=huge)]:
        assert blocks_errors(blocks) == []
        assert len(blocks) <= bk.MAX_BLOCKS
        assert all(len(b["text"]["text"]) <= bk.SECTION_TEXT_LIMIT for b in blocks if b["type"] == "section")
        assert not any("&amp" in b["text"]["text"][-6:] for b in blocks if b["type"] == "section")


def test_clip_never_cuts_an_entity_in_half():
    assert bk.clip("abc &amp; def", 7) == "abc …"
    assert bk.clip("abc", 3) == "abc"
    assert len(bk.clip("x" * 5000, bk.SECTION_TEXT_LIMIT)) == bk.SECTION_TEXT_LIMIT


def test_button_labels_fit_the_75_character_limit():
    _, candidate = bk.candidate_message(1, "t", 0.1, 1)
    _, decided = bk.decided_message("t", "queued", "U1", AT, planned_for=AT, candidate_id=1, post_now=True)
    assert all(len(b["text"]["text"]) <= bk.BUTTON_TEXT_LIMIT for b in _buttons(candidate + decided))


@pytest.mark.parametrize(("kwargs", "fallback"), [
    ({"status": "approved", "planned_for": AT + timedelta(hours=3, minutes=58)},
     "Approved by <@U1> at 14:02, queued for 18:00"),
    ({"status": "queued", "planned_for": AT + timedelta(days=1, hours=-2)},
     "Approved by <@U1> at 14:02, queued for Sat 02 May 12:02"),
    ({"status": "approved"}, "Approved by <@U1> at 14:02"),
    ({"status": "rejected"}, "Rejected by <@U1> at 14:02"),
    ({"status": "rejected", "reason": "too <loud>"}, "Rejected by <@U1> at 14:02: too &lt;loud&gt;"),
    ({"status": "posted", "posted_url": "https://x.com/hype/status/9"}, "Posted: <https://x.com/hype/status/9>"),
    ({"status": "failed", "reason": "X said 403"}, "Posting failed at 14:02: X said 403"),
    ({"status": "failed"}, "Posting failed at 14:02: unknown error"),
    ({"status": "needs_review", "reason": "the tweet was deleted"}, "Needs a person to check: the tweet was deleted"),
])
def test_decided_message_says_what_happened(kwargs, fallback):
    text, blocks = bk.decided_message("The text.", by_user="U1", at=AT, **kwargs)
    assert text == f"{fallback}\nThe text."
    assert not any(b["action_id"] in {bk.APPROVE, bk.REJECT, bk.EDIT, bk.REGENERATE} for b in _buttons(blocks))
    assert blocks_errors(blocks) == []
    # The blocks carry the same line, with times as Slack date tokens whose fallback is the plain time.
    assert fallback.replace("<@U1>", "@U1").replace("&lt;", "<").replace("&gt;", ">").replace(
        "<https://x.com/hype/status/9>", "https://x.com/hype/status/9") in bk.render_text(blocks)


def test_decided_message_uses_slack_date_tokens_and_offers_post_now_when_queued():
    _, blocks = bk.decided_message("t", "queued", "U1", AT, planned_for=AT + timedelta(hours=4), candidate_id=9,
                                   post_now=True)
    context = blocks[1]["elements"][0]["text"]
    assert f"<!date^{int(AT.timestamp())}^{{time}}|14:02>" in context
    assert [(b["action_id"], b["value"]) for b in _buttons(blocks)] == [(bk.POST_NOW, "9")]
    _, rejected = bk.decided_message("t", "rejected", "U1", AT, candidate_id=9, post_now=True)
    assert _buttons(rejected) == []
    _, not_offered = bk.decided_message("t", "queued", "U1", AT, planned_for=AT, candidate_id=9)
    assert _buttons(not_offered) == []


def test_decided_message_keeps_the_original_of_an_edit():
    _, blocks = bk.decided_message("Edited words.", "approved", "U1", AT, edited_from="Original <words>")
    assert "Original: Original <words>" in bk.render_text(blocks)
    _, same = bk.decided_message("Same.", "approved", "U1", AT, edited_from="Same.")
    assert "Original" not in bk.render_text(same)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"status": "posted"}, "posted_url"),
    ({"status": "maybe"}, "unknown status 'maybe'"),
])
def test_decided_message_refuses_what_it_cannot_say(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bk.decided_message("t", by_user="U1", at=AT, **kwargs)


def test_edit_modal_is_prefilled_and_round_trips_a_submission():
    view = bk.edit_modal(17, "Warm & <bright>", 280)
    assert view_errors(view) == []
    assert view["callback_id"] == bk.EDIT_MODAL and view["private_metadata"] == "17"
    element = view["blocks"][0]["element"]
    assert (element["action_id"], element["initial_value"], element["max_length"]) == (
        bk.EDIT_INPUT, "Warm & <bright>", 280)  # plain text input: no escaping
    submitted = {**view, "state": {"values": {bk.EDIT_BLOCK: {bk.EDIT_INPUT: {"type": "plain_text_input",
                                                                              "value": "  New words.\n"}}}}}
    assert bk.modal_submission(submitted) == ("17", "New words.")
    assert bk.modal_errors(view, "Too long") == {"response_action": "errors", "errors": {bk.EDIT_BLOCK: "Too long"}}


def test_edit_modal_for_a_text_over_the_limit_lets_the_curator_see_all_of_it():
    element = bk.edit_modal(1, "x" * 300, 280)["blocks"][0]
    assert element["element"]["max_length"] == 300 and "this text has 300" in element["hint"]["text"]


def test_help_text_shows_usage_an_example_and_the_configured_emoji():
    text = bk.help_text(approve_emoji="thumbsup", reject_emoji="thumbsdown")
    assert "`/hype <artist> - <song>`" in text and "/hype M83 - Midnight City" in text
    assert ":thumbsup: approves" in text and ":thumbsdown: rejects" in text


@pytest.mark.parametrize(("mrkdwn", "plain"), [
    ("<@U1> said hi", "@U1 said hi"),
    ("see <https://x.com/1|this tweet>", "see this tweet (https://x.com/1)"),
    ("bare <https://x.com/1>", "bare https://x.com/1"),
    ("at <!date^1700000000^{time}|14:02>", "at 14:02"),
    ("<#C1|curation> and <!here>", "#curation and @here"),
    ("a &lt;b&gt; &amp; c", "a <b> & c"),
    ("<!subteam^S1|@curators> and <!subteam^S2>", "@curators and @S2"),
    # emphasis and code markers go where Slack reads them as markup ...
    ("*Genres:* dream pop _(offline table)_", "Genres: dream pop (offline table)"),
    ("*bold*, _italic_ and ~struck~.", "bold, italic and struck."),
    ("*Approved by <@U1>*", "Approved by @U1"),
    ("see <https://x.com/1|*this* tweet>", "see this tweet (https://x.com/1)"),
    ("`/hype <artist> - <song>` and ```*as is*```", "/hype <artist> - <song> and *as is*"),
    # ... and stay where they are characters: inside a word, spaced out, unpaired, in a code span or a URL
    ("f*ck 5*3*2 snake_case_name a * b * c", "f*ck 5*3*2 snake_case_name a * b * c"),
    ("an * unpaired star and a_b_ c", "an * unpaired star and a_b_ c"),
    ("`*kept*`", "*kept*"),
    ("<https://x.com/_a_/b>", "https://x.com/_a_/b"),
    ("\ue0000\ue001 x", "0 x"),
])
def test_mrkdwn_to_plain(mrkdwn, plain):
    assert bk.mrkdwn_to_plain(mrkdwn) == plain


@pytest.mark.parametrize(("mrkdwn", "names", "plain"), [
    ("Approved by <@U0ANA0001>", {"U0ANA0001": "ana"}, "Approved by @ana"),
    ("Approved by <@U0ANA0001>", {"U0BEN0002": "ben"}, "Approved by @U0ANA0001"),
    ("Approved by <@U0ANA0001|ana.s>", {}, "Approved by @ana.s"),
    ("Approved by <@U0ANA0001|ana.s>", {"U0ANA0001": "ana"}, "Approved by @ana"),
])
def test_mentions_show_the_name_the_caller_knows_else_the_bare_id(mrkdwn, names, plain):
    assert bk.mrkdwn_to_plain(mrkdwn, names) == plain


def test_render_text_of_a_decision_reads_as_plain_text():
    _, blocks = bk.decided_message("A *bright* hook.", "queued", "U0ANA0001", AT, planned_for=AT + timedelta(hours=4),
                                   candidate_id=3)
    rendered = bk.render_text(blocks, {"U0ANA0001": "ana"})
    assert rendered.splitlines()[:2] == ["A bright hook.",
                                         ":white_check_mark: Approved by @ana at 14:02, queued for 18:02"]
    assert not any(mark in rendered for mark in ("<@", "*", "<!date"))
    _, header = bk.song_header("Beach House", "Space Song", ["dream pop"], "Spotify", requested_by="U0BEN0002")
    assert bk.render_text(header).splitlines()[1:] == ["Genres: dream pop (Spotify)", "Requested by @U0BEN0002"]


def test_render_text_draws_buttons_inputs_and_dividers():
    rendered = bk.render_text([
        {"type": "section", "text": {"type": "mrkdwn", "text": "hi"},
         "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "action_id": "go"}},
        {"type": "divider"},
        *bk.candidate_message(1, "t", 0.5, 1)[1][2:],
        *bk.edit_modal(1, "prefilled", 280)["blocks"],
    ])
    assert rendered.splitlines() == ["hi", "[ Go ]", "―" * 20, "[ Approve ]  [ Reject ]  [ Edit ]  [ Regenerate ]",
                                     "Text to post: [ prefilled ]"]


def test_a_candidate_that_needs_review_offers_to_settle_it():
    candidate_id = 7
    _, blocks = bk.decided_message("t", "needs_review", "U1", AT, reason="crashed", candidate_id=candidate_id)
    buttons = _buttons(blocks)
    assert [(b["action_id"], b.get("value")) for b in buttons] == [(bk.WAS_POSTED, "7"), (bk.QUEUE_AGAIN, "7")]
    assert "confirm" not in buttons[0] and buttons[1]["confirm"]["deny"]["text"] == "Cancel"
    assert "[ It was posted ]  [ Not posted, queue again ]" in bk.render_text(blocks)
    assert blocks_errors(blocks) == []
    for status in ("approved", "rejected", "posted", "failed"):
        url = "https://x.com/i/status/1" if status == "posted" else None
        other = bk.decided_message("t", status, "U1", AT, posted_url=url, candidate_id=candidate_id)[1]
        assert not {bk.WAS_POSTED, bk.QUEUE_AGAIN} & {b["action_id"] for b in _buttons(other)}


def test_posted_modal_asks_for_the_link_and_round_trips_a_submission():
    view = bk.posted_modal(12)
    assert view_errors(view) == []
    assert (view["callback_id"], view["private_metadata"]) == (bk.POSTED_MODAL, "12")
    assert "initial_value" not in view["blocks"][0]["element"]
    submitted = {**view, "state": {"values": {bk.POSTED_BLOCK: {bk.POSTED_INPUT: {
        "type": "plain_text_input", "value": " https://x.com/a/status/1 "}}}}}
    assert bk.modal_submission(submitted) == ("12", "https://x.com/a/status/1")
