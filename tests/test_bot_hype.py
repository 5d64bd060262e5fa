"""`/hype` and Regenerate through the real Bolt dispatch against the Slack stand-in, with a tiny model really
writing the candidates; Socket Mode end to end; and the manifest's scopes against what the bot calls."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest
import yaml
from bot_harness import ANA, BEN, BotHarness, C, bot_settings, ephemeral_texts
from slack_bolt.adapter.socket_mode import SocketModeHandler
from tiny_corpus import fill_corpus, tiny_store

from bot import blocks as bk
from bot.commands import EXAMPLE, read_argument
from bot.publish import NothingToPost, post_more
from deephype import curation
from deephype.config import PROJECT_ROOT, Settings
from deephype.generate import Candidate
from deephype.hype import HypeResult
from deephype.recipe import load_recipe
from deephype.standins.slack import APP_TOKEN, SlackStandin
from deephype.standins.slack_socket import SlackSocketStandin
from deephype.standins.slack_workspace import CAT
from deephype.store import Store
from training.cvae import RunPaths, train

TINY = PROJECT_ROOT / "training" / "recipes" / "tiny.yaml"


@pytest.fixture(scope="session")
def model_settings(tmp_path_factory) -> Settings:
    """Settings whose model bundle is a tiny CVAE trained once per session on the tiny corpus."""
    root: Path = tmp_path_factory.mktemp("bot-model")
    fill_corpus(Store.open(root / "corpus.db")).close()
    recipe = load_recipe(TINY, Settings().model)
    for kind in ("cvae", "lm"):
        train(tiny_store(), recipe, RunPaths(root / "run" / kind, root / "model", root / f"{kind}.png"), kind=kind,
              progress=False)
    settings = Settings()
    paths = dataclasses.replace(settings.paths, model_dir=str(root / "model"), corpus_db=str(root / "corpus.db"),
                                state_db=str(root / "state.db"))
    return dataclasses.replace(settings, paths=paths)


@pytest.fixture(scope="session")
def generator(model_settings):
    from deephype.generate import Generator

    return Generator.load(model_settings)


def make_bot(slack: SlackStandin, model_settings: Settings, generator, **bot) -> BotHarness:
    from deephype.song_genres import GenreResolver

    settings = bot_settings(model_settings, **bot)
    store = Store.open(":memory:")
    return BotHarness(slack, settings, generator, GenreResolver(settings, store, None), store)


@pytest.fixture
def bot(slack, model_settings, generator):
    harness = make_bot(slack, model_settings, generator)
    yield harness
    harness.close()


# ---- reading the argument (no Slack) ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "song", "reply"), [
    ("M83 - Midnight City", ("M83", "Midnight City"), "Writing about M83 – Midnight City…"),
    ("  'Opal'   by Bicep ", ("Bicep", "Opal"), "Writing about Bicep – Opal…"),
    ("Sofi Tukker – Best Friend feat. NERVO", ("Sofi Tukker", "Best Friend"),
     "Writing about Sofi Tukker – Best Friend (feat. NERVO)…"),
    ("Björk - Jóga", ("Björk", "Jóga"), "Writing about Björk – Jóga…"),
    ("help", None, "`/hype <artist> - <song>`: write candidates"),
    ("HELP", None, "`/hype help`: this message"),
    ("", None, f"Tell me which song: an artist and a title, for example \"M83 - Midnight City\". Usage: "
               f"`/hype <artist> - <song>`, for example {EXAMPLE}; `/hype help` says more."),
    ("   ", None, "Tell me which song"),
    ("just some words", None, 'No artist and title found in "just some words"'),
    ("🔥🔥🔥", None, f"for example {EXAMPLE}"),
    ("M83 - " + "la " * 3400, None, "That is 10,205 characters; give just an artist and a title"),
])
def test_read_argument(text, song, reply):
    reading = read_argument(text)
    assert reply in reading.reply
    assert (reading.song and (reading.song.artist, reading.song.song)) == song


# ---- /hype through Bolt -------------------------------------------------------------------------------------


def hype(bot: BotHarness, text: str, user: str = ANA) -> tuple[int, str]:
    return bot.dispatch(bot.requests.slash_command(text, user_id=user))


@pytest.mark.parametrize(("text", "expected"), [
    ("help", "Reactions work too: :white_check_mark: approves and :x: rejects a candidate."),
    ("", EXAMPLE),
    ("just some words", EXAMPLE),
    ("x" * 10_000, EXAMPLE),
])
def test_help_and_malformed_arguments_are_answered_in_the_ack_and_write_nothing(bot, slack, text, expected):
    status, body = hype(bot, text)
    bot.settle()
    assert status == 200 and expected in body
    assert not slack.calls_to("chat.postMessage") and bot.store.db["requests"].count == 0


def test_hype_acks_at_once_then_posts_a_header_and_each_candidate_in_its_thread(bot, slack):
    status, body = hype(bot, "M83 - Midnight City")
    assert status == 200 and body.startswith("Writing about M83 – Midnight City…")
    bot.settle()
    header, *candidates = slack.messages(C)
    assert header["text"] == "New candidates for M83 – Midnight City"
    assert "Requested by @" + ANA in bk.render_text(header["blocks"])
    assert 1 <= len(candidates) <= bot.settings.generation.candidates
    assert {m["thread_ts"] for m in candidates} == {header["ts"]}
    request = curation.get_request(bot.store, 1)
    assert (request["kind"], request["requested_by"], request["status"], request["header_ts"]) == (
        "command", ANA, "done", header["ts"])
    for rank, message in enumerate(candidates, start=1):
        row = bot.candidate(message)
        assert (row["rank"], row["status"], row["request_id"]) == (rank, "pending", 1)
        assert row["text"] in bk.render_text(message["blocks"]) or bk.escape(row["text"]) in message["text"]
        assert "[ Approve ]  [ Reject ]  [ Edit ]  [ Regenerate ]" in bk.render_text(message["blocks"])
    [done] = slack.wait_for("response_url")
    assert done.user == ANA and f"{len(candidates)} candidates about M83 – Midnight City are up" in done.body["text"]
    assert "|open the thread>" in done.body["text"]


def test_regenerate_adds_new_candidates_to_the_same_thread_numbered_on(bot, slack):
    hype(bot, "Bicep - Opal")
    bot.settle()
    header, first, *_ = slack.messages(C)
    before = curation.thread_candidates(bot.store, header["ts"])
    bot.dispatch(bot.requests.block_action(first, bk.REGENERATE, user_id=BEN))
    bot.settle()
    after = curation.thread_candidates(bot.store, header["ts"])
    added = after[len(before):]
    assert ephemeral_texts(slack, BEN)[0] == ("Writing more candidates about Bicep – Opal; "
                                              "they will appear in this thread.")
    assert added, "the model wrote nothing new in 64 fresh samples"
    assert [c["rank"] for c in added] == list(range(len(before) + 1, len(after) + 1))
    assert not {c["original_text"] for c in added} & {c["original_text"] for c in before}
    request = curation.get_request(bot.store, added[0]["request_id"])
    assert (request["kind"], request["requested_by"], request["header_ts"]) == ("regenerate", BEN, header["ts"])
    assert {m["thread_ts"] for m in slack.messages(C)[1:]} == {header["ts"]}


def test_regenerated_texts_the_thread_already_has_are_dropped(bot, slack):
    [first, second] = bot.seed(["Opal shimmers.", "Bicep glow."], artist="Bicep", song="Opal")
    candidate = bot.candidate(first)

    def result(*texts: str) -> HypeResult:
        return HypeResult("Bicep", "Opal", ("electronica",), "given", [Candidate(t, 0.5, {}) for t in texts])

    posted = post_more(bot.client, bot.store, candidate, result("Bicep glow.", "Opal at dawn."), BEN)
    [added] = [curation.get_candidate(bot.store, i) for i in posted.candidate_ids]
    assert (added["text"], added["rank"], added["message_ts"] is not None) == ("Opal at dawn.", 3, True)
    assert slack.message(C, added["message_ts"])["thread_ts"] == posted.header_ts
    with pytest.raises(NothingToPost, match="nothing new about Bicep – Opal"):
        post_more(bot.client, bot.store, candidate, result("Opal shimmers.", "Opal at dawn."), BEN)
    assert len(curation.thread_candidates(bot.store, posted.header_ts)) == 3


def test_a_full_queue_says_busy_and_two_regenerates_write_once(slack, model_settings, generator):
    bot = make_bot(slack, model_settings, generator, workers=1, queue_size=1)
    try:
        hype(bot, "Bicep - Opal")
        bot.settle()
        candidate = slack.messages(C)[1]
        release = threading.Event()
        assert bot.services.pool.submit(release.wait)  # the only worker is now busy
        for user in (ANA, BEN):  # the queue's one place goes to the first click; the second joins it
            bot.dispatch(bot.requests.block_action(candidate, bk.REGENERATE, user_id=user))
        bot.listeners.wait_idle(5)
        status, body = hype(bot, "M83 - Midnight City")  # no room left
        assert status == 200 and body == "I'm busy writing about other songs right now; try again in a minute."
        release.set()
        bot.settle()
        notes = {user: ephemeral_texts(slack, user, via="chat.postEphemeral") for user in (ANA, BEN)}
        assert notes[ANA][0].startswith("Writing more candidates about Bicep – Opal")
        assert notes[BEN][0].startswith("I'm already writing more candidates about Bicep – Opal")
        kinds = [r["kind"] for r in bot.store.db.query("SELECT kind FROM requests ORDER BY id")]
        assert kinds == ["command", "regenerate"]
    finally:
        bot.close()


def test_a_slack_failure_while_posting_is_reported_to_the_requester(bot, slack):
    slack.fail("chat.postMessage", "not_in_channel")
    hype(bot, "M83 - Midnight City")
    bot.settle()
    [answer] = slack.wait_for("response_url")
    assert "I couldn't write about M83 – Midnight City: Slack would not let me post the candidates " \
           "(not_in_channel)" in answer.body["text"]
    request = curation.get_request(bot.store, 1)
    assert (request["status"], request["error"]) == ("failed", "Slack: not_in_channel")


# ---- Socket Mode --------------------------------------------------------------------------------------------


def test_socket_mode_end_to_end_hype_then_approve_by_reaction_with_a_retry(bot, slack):
    with SlackSocketStandin(web=slack) as socket:
        handler = SocketModeHandler(bot.app, APP_TOKEN)
        handler.connect()
        try:
            socket.wait_connected()
            ack = socket.request(bot.requests.slash_command("M83 - Midnight City").envelope())
            assert ack["payload"]["text"].startswith("Writing about M83 – Midnight City…")
            bot.settle()
            candidate = slack.messages(C)[1]
            event = bot.requests.reaction("white_check_mark", candidate["ts"], user_id=BEN)
            assert "payload" not in socket.request(event.envelope())
            assert "payload" not in socket.request(event.envelope(retry_attempt=1, retry_reason="timeout"))
            bot.settle()
            click = bot.requests.block_action(slack.message(C, slack.messages(C)[2]["ts"]), bk.APPROVE, user_id=CAT)
            socket.request(click.envelope())
            bot.settle()
        finally:
            handler.close()
    assert bot.candidate(candidate)["status"] == "approved"
    assert f"Approved by @{BEN}" in bk.render_text(slack.message(C, candidate["ts"])["blocks"])
    assert [(d["user_id"], d["via"], d["accepted"]) for d in bot.decisions()] == [
        (BEN, "reaction", 1), (CAT, "button", 0)]
    assert ephemeral_texts(slack, CAT)[0].startswith("Only curators can approve")


# ---- the manifest -------------------------------------------------------------------------------------------

# The scope each Web API method needs (https://docs.slack.dev/reference/methods); None: no scope.
METHOD_SCOPES = {"auth.test": None, "chat.postMessage": "chat:write", "chat.update": "chat:write",
                 "chat.postEphemeral": "chat:write", "chat.getPermalink": None, "views.open": None,
                 "usergroups.users.list": "usergroups:read", "apps.connections.open": None}


def test_the_manifest_asks_for_exactly_the_scopes_the_bot_uses(slack, model_settings, generator):
    from deephype.standins.slack_workspace import CURATORS_GROUP_ID

    bot = make_bot(slack, model_settings, generator, curators=(), curator_usergroup=CURATORS_GROUP_ID)
    try:
        hype(bot, "M83 - Midnight City")
        bot.settle()
        header, first, second, *_ = slack.messages(C)
        for action_id, message, user in [(bk.APPROVE, first, ANA), (bk.APPROVE, first, BEN), (bk.EDIT, second, ANA)]:
            bot.dispatch(bot.requests.block_action(message, action_id, user_id=user))
            bot.settle()
    finally:
        bot.close()
    used = {call.method for call in slack.calls}
    assert used <= set(METHOD_SCOPES), f"add the scope of {used - set(METHOD_SCOPES)} to METHOD_SCOPES"
    manifest = yaml.safe_load((PROJECT_ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    needed = {METHOD_SCOPES[m] for m in used} - {None} | {"commands", "reactions:read"}  # /hype, reaction events
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["reaction_added"]
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/hype"]
    assert manifest["settings"]["interactivity"]["is_enabled"] and manifest["settings"]["socket_mode_enabled"]
