"""`/hype <artist> - <song>`: acknowledged at once with a private "writing about ..." note; the candidates are
written on the worker pool and posted to the curation channel. `/hype help` explains; a malformed argument gets
an example, never silence."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import blocks as bk
from bot.publish import Origin, post_song
from bot.services import Busy, Services
from bot.slack_failures import SLACK_FAILURES
from deephype.errors import DeephypeError
from deephype.hype import SongRequestError, read_song
from deephype.songs import SongRef

log = logging.getLogger(__name__)

COMMAND = "/hype"
EXAMPLE = f"`{COMMAND} M83 - Midnight City`"
HELP_WORDS = {"help", "-h", "--help", "?"}


@dataclass(frozen=True)
class Reading:
    """What a /hype argument asks for: a song (with the note to ack), or only a reply (help, or why not)."""

    reply: str
    song: SongRef | None = None


def read_argument(text: str, approve_emoji: str = "white_check_mark", reject_emoji: str = "x",
                  channel: str = "the curation channel") -> Reading:
    """Help, a malformed argument explained with an example, or the song to write about."""
    if " ".join(text.split()).lower() in HELP_WORDS:
        return Reading(bk.help_text(approve_emoji, reject_emoji, COMMAND))
    try:
        song = read_song(text)
    except SongRequestError as error:
        reason = bk.escape(str(error))
        return Reading(f"{reason[:1].upper()}{reason[1:]}. Usage: `{COMMAND} <artist> - <song>`, "
                       f"for example {EXAMPLE}; `{COMMAND} help` says more.")
    return Reading(f"Writing about {bk.escape(_title(song))}… the candidates will appear in {channel}.", song)


def write_for(services: Services, client: WebClient, respond: Callable[..., Any], argument: str, song: SongRef,
              user: str) -> None:
    """The slow half of /hype, on the worker pool: write, post, and tell the person where to look (or why not)."""
    title = bk.escape(_title(song))
    try:
        result = services.write(argument)
        posted = post_song(client, services.store, services.settings.bot.channel, result,
                           Origin("command", requested_by=user))
    except DeephypeError as error:
        _respond(respond, f"I couldn't write about {title}: {error}")
        return
    except Exception:
        log.exception("writing about %r failed", argument)
        _respond(respond, f"Something went wrong while writing about {title}; the bot's log has the details.")
        return
    where = _link(client, posted.channel, posted.header_ts) or f"<#{posted.channel}>"
    _respond(respond, f"{len(posted.candidate_ids)} candidates about {title} are up: {where}")


def hype_command(services: Services, ack: Ack, command: dict[str, Any], client: WebClient,
                 respond: Respond) -> None:
    bot = services.settings.bot
    reading = read_argument(command.get("text") or "", bot.approve_emoji, bot.reject_emoji, bot.channel)
    if reading.song is None:
        ack(text=reading.reply)
        return
    argument, user = " ".join(command["text"].split()), command["user_id"]
    try:
        services.pool.submit(lambda: write_for(services, client, respond, argument, reading.song, user))
    except Busy as error:
        ack(text=str(error))
        return
    ack(text=reading.reply)


def register(app: App, services: Services) -> None:
    @app.command(COMMAND)
    def on_hype(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        hype_command(services, ack, command, client, respond)


def _title(song: SongRef) -> str:
    featuring = f" (feat. {', '.join(song.featuring)})" if song.featuring else ""
    return f"{song.artist} – {song.song}{featuring}"


def _link(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        permalink = client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except SLACK_FAILURES as error:
        log.warning("no permalink for %s/%s: %s", channel, ts, error)
        return None
    return f"<{permalink}|open the thread>"


def _respond(respond: Callable[..., Any], text: str) -> None:
    try:
        respond(text=text)  # ephemeral by default: only the person who asked sees it
    except SLACK_FAILURES as error:  # response_urls expire after 30 minutes
        log.warning("could not answer the /hype request (%s): %s", error, text)
