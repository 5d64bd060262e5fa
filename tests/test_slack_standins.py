"""The Slack stand-ins through the real clients: slack_sdk's WebClient and WebhookClient against the Web API
stand-in, a throwaway slack_bolt App fed signed requests (HTTP mode) and Socket Mode envelopes.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from datetime import datetime
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.app.app import SlackAppDevelopmentServer
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot import blocks as bk
from deephype.standins.slack import APP_TOKEN, BOT_TOKEN, SlackStandin
from deephype.standins.slack_signing import SlackRequests, sign
from deephype.standins.slack_socket import SlackSocketStandin
from deephype.standins.slack_workspace import (
    ANA,
    BEN,
    BOT_USER_ID,
    CURATION_CHANNEL_ID,
    CURATORS_GROUP_ID,
)

SECRET = "test-signing-secret"
C = CURATION_CHANNEL_ID


@pytest.fixture
def client(slack):
    return WebClient(token=BOT_TOKEN, base_url=slack.base_url)


def _post_candidate(client: WebClient, candidate_id: int = 7, text: str = "Neon rush.") -> dict:
    fallback, blocks = bk.candidate_message(candidate_id, text, 0.9, 1)
    return client.chat_postMessage(channel=C, text=fallback, blocks=blocks).data


# ---- Web API stand-in through WebClient ---------------------------------------------------------------------


def test_post_then_update_then_read_back(slack, client):
    posted = _post_candidate(client)
    assert (posted["ok"], posted["channel"]) == (True, C)
    assert slack.message(C, posted["ts"])["blocks"][2]["elements"][0]["action_id"] == bk.APPROVE
    text, blocks = bk.decided_message("Neon rush.", "rejected", ANA, datetime(2026, 5, 1))
    updated = client.chat_update(channel=C, ts=posted["ts"], text=text, blocks=blocks)
    assert updated["ts"] == posted["ts"] and updated["message"]["text"] == text
    [stored] = slack.messages(C)
    assert stored["text"] == text and "edited" in stored
    assert "[ Approve ]" not in bk.render_text(stored["blocks"]) and "Rejected by @U0ANA0001" in bk.render_text(
        stored["blocks"])
    client.chat_update(channel=C, ts=posted["ts"], text="text only")  # blocks left out are kept, as on Slack
    assert slack.message(C, posted["ts"])["blocks"][0]["text"]["text"] == "Neon rush."


def test_ts_are_unique_and_increasing_and_threads_are_kept(slack, client):
    header = client.chat_postMessage(channel="#deephype-curation", text="M83 – Midnight City")
    replies = [client.chat_postMessage(channel=C, text=f"candidate {i}", thread_ts=header["ts"]) for i in range(5)]
    stamps = [header["ts"]] + [r["ts"] for r in replies]
    assert header["channel"] == C
    assert stamps == sorted(stamps, key=float) and len(set(stamps)) == 6
    parent = slack.message(C, header["ts"])
    assert parent["reply_count"] == 5 and parent["latest_reply"] == stamps[-1]
    assert {r["message"]["thread_ts"] for r in replies} == {header["ts"]}
    link = client.chat_getPermalink(channel=C, message_ts=replies[0]["ts"])["permalink"]
    assert link.startswith(f"https://deephype.slack.com/archives/{C}/p{replies[0]['ts'].replace('.', '')}?thread_ts=")


@pytest.mark.parametrize(("call", "error"), [
    (lambda c: c.chat_postMessage(channel="#no-such-channel", text="x"), "channel_not_found"),
    (lambda c: c.api_call("chat.postMessage", json={"channel": C}), "no_text"),
    (lambda c: c.chat_postMessage(channel=C, text="x", blocks=[{"type": "divider"}] * 51), "invalid_blocks"),
    (lambda c: c.chat_postMessage(channel=C, text="x", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}]), "invalid_blocks"),
    (lambda c: c.chat_update(channel=C, ts="1700000000.000001", text="x"), "message_not_found"),
    (lambda c: c.chat_postEphemeral(channel=C, user="U0NOBODY", text="x"), "user_not_in_channel"),
    (lambda c: c.chat_getPermalink(channel=C, message_ts="1.2"), "message_not_found"),
    (lambda c: c.views_update(view_id="V0NONE", view=bk.edit_modal(1, "t", 280)), "not_found"),
    (lambda c: c.users_info(user="U0NOBODY"), "user_not_found"),
    (lambda c: c.conversations_info(channel="C0NOPE"), "channel_not_found"),
    (lambda c: c.usergroups_users_list(usergroup="S0NOPE"), "no_such_subteam"),
    (lambda c: c.api_call("chat.noSuchMethod"), "unknown_method"),
    (lambda c: c.apps_connections_open(app_token=BOT_TOKEN), "not_allowed_token_type"),
    (lambda c: WebClient(token=APP_TOKEN, base_url=c.base_url).auth_test(), "not_allowed_token_type"),
    (lambda c: WebClient(token="xoxb-wrong", base_url=c.base_url).auth_test(), "invalid_auth"),
    (lambda c: WebClient(base_url=c.base_url).auth_test(), "not_authed"),
])
def test_errors_arrive_as_slack_api_errors(client, call, error):
    with pytest.raises(SlackApiError) as raised:
        call(client)
    assert raised.value.response.status_code == 200 and raised.value.response["error"] == error


def test_invalid_blocks_point_at_the_offending_field(client):
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=C, text="x", blocks=[{"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "action_id": "a"}]}])
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"]


def test_ephemeral_reaches_one_user_and_not_the_channel(slack, client):
    reply = client.chat_postEphemeral(channel=C, user=BEN, text="Only curators can approve.")
    assert reply["ok"] and float(reply["message_ts"]) > 0
    assert [e["text"] for e in slack.ephemerals(BEN)] == ["Only curators can approve."]
    assert slack.ephemerals(ANA) == [] and slack.messages(C) == []


def test_views_open_and_update_follow_triggers_and_hashes(slack, client):
    view = client.views_open(trigger_id="123.456.abc", view=bk.edit_modal(5, "Old words.", 280))["view"]
    assert view["id"].startswith("V") and view["private_metadata"] == "5" and view["callback_id"] == bk.EDIT_MODAL
    assert view["blocks"][0]["element"]["initial_value"] == "Old words."
    with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
        client.views_open(trigger_id="123.456.abc", view=bk.edit_modal(5, "Old words.", 280))
    with pytest.raises(SlackApiError, match="hash_conflict"):
        client.views_update(view_id=view["id"], hash="stale", view=bk.edit_modal(5, "New", 280))
    updated = client.views_update(view_id=view["id"], hash=view["hash"], view=bk.edit_modal(5, "New", 280))["view"]
    assert updated["blocks"][0]["element"]["initial_value"] == "New" and updated["hash"] != view["hash"]


def test_reactions_users_channels_and_groups(slack, client):
    ts = _post_candidate(client)["ts"]
    client.reactions_add(channel=C, timestamp=ts, name="eyes")
    with pytest.raises(SlackApiError, match="already_reacted"):
        client.reactions_add(channel=C, timestamp=ts, name="eyes")
    assert slack.message(C, ts)["reactions"] == [{"name": "eyes", "users": [BOT_USER_ID], "count": 1}]
    assert client.users_info(user=ANA)["user"]["name"] == "ana"
    assert client.conversations_info(channel=C)["channel"]["name"] == "deephype-curation"
    assert client.usergroups_users_list(usergroup=CURATORS_GROUP_ID)["users"] == [ANA, BEN]


def test_every_call_is_recorded_with_its_arguments_and_headers(slack, client):
    client.users_info(user=ANA)
    call = slack.calls_to("users.info")[-1]
    assert call.args == {"user": ANA} and call.headers["authorization"] == f"Bearer {BOT_TOKEN}" and call.ok


@pytest.mark.parametrize("encoding", ["json", "form", "query"])
def test_json_form_and_query_arguments_are_all_understood(slack, encoding):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hello *there*"}}]
    args = {"channel": C, "text": "hello", "blocks": blocks}
    url, data, content_type = f"{slack.base_url}chat.postMessage", None, "application/json"
    if encoding == "json":
        data = json.dumps(args).encode()
    elif encoding == "form":
        content_type = "application/x-www-form-urlencoded"
        data = urlencode({**args, "blocks": json.dumps(blocks)}).encode()
    else:
        url += "?" + urlencode({**args, "blocks": json.dumps(blocks), "token": BOT_TOKEN})
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type,
                                                              "Authorization": f"Bearer {BOT_TOKEN}"})
    with urllib.request.urlopen(request) as response:
        answer = json.loads(response.read())
    assert answer["ok"], answer
    assert slack.message(C, answer["ts"])["blocks"][0]["text"]["text"] == "hello *there*"


# ---- fault injection ----------------------------------------------------------------------------------------


def test_rate_limit_is_honoured_by_the_retry_handler(slack):
    client = WebClient(token=BOT_TOKEN, base_url=slack.base_url,
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    slack.rate_limit("chat.postMessage", retry_after=1)
    started = time.monotonic()
    assert client.chat_postMessage(channel=C, text="patience")["ok"]
    assert time.monotonic() - started >= 1.0  # the client waited out Retry-After
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [429, 200]


def test_rate_limit_without_a_retry_handler_surfaces_429(slack, client):
    slack.rate_limit("chat.update", retry_after=30)
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel=C, ts="1.1", text="x")
    assert raised.value.response.status_code == 429 and raised.value.response.headers["retry-after"] == "30"


def test_server_errors_and_failures_last_the_given_number_of_calls(slack, client):
    slack.server_error("users.info")
    slack.fail("users.info", "team_access_not_granted", times=2)
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user=ANA)
    assert raised.value.response.status_code == 500
    for _ in range(2):
        with pytest.raises(SlackApiError, match="team_access_not_granted"):
            client.users_info(user=ANA)
    assert client.users_info(user=ANA)["ok"]


def test_a_slow_method_trips_the_client_timeout(slack):
    slack.slow("auth.test", seconds=1.5)
    with pytest.raises(TimeoutError):
        WebClient(token=BOT_TOKEN, base_url=slack.base_url, timeout=0.3).auth_test()


# ---- response_url -------------------------------------------------------------------------------------------


def test_response_urls_replace_delete_post_or_reply_privately(slack, client):
    ts = _post_candidate(client)["ts"]
    WebhookClient(slack.response_url(C, ts, ANA)).send(text="Approved.", replace_original=True)
    assert slack.message(C, ts)["text"] == "Approved." and "blocks" not in slack.message(C, ts)
    WebhookClient(slack.response_url(C, None, ANA)).send(text="writing about M83 – Midnight City")
    assert slack.ephemerals(ANA)[-1]["via"] == "response_url"
    WebhookClient(slack.response_url(C, None, ANA)).send(text="For everyone", response_type="in_channel")
    assert slack.messages(C)[-1]["text"] == "For everyone"
    WebhookClient(slack.response_url(C, ts, ANA)).send_dict({"delete_original": True})
    assert ts not in [m["ts"] for m in slack.messages(C)]
    assert len(slack.wait_for("response_url", count=4)) == 4


# ---- a throwaway Bolt app, HTTP mode ------------------------------------------------------------------------


def _bolt_app(slack: SlackStandin, seen: list) -> App:
    app = App(client=WebClient(token=BOT_TOKEN, base_url=slack.base_url), signing_secret=SECRET)

    @app.command("/hype")
    def hype(ack, command, respond, say):
        ack(f"writing about {command['text']}")
        seen.append(("command", command["user_id"], command["text"]))
        respond("still writing")
        say(text="done", channel=command["channel_id"])

    @app.action(bk.APPROVE)
    def approve(ack, body, client):
        ack()
        seen.append(("approve", body["actions"][0]["value"], body["user"]["id"]))
        text, blocks = bk.decided_message(body["message"]["blocks"][0]["text"]["text"], "approved",
                                          body["user"]["id"], datetime.now())
        client.chat_update(channel=body["container"]["channel_id"], ts=body["container"]["message_ts"],
                           text=text, blocks=blocks)

    @app.action(bk.EDIT)
    def edit(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=bk.edit_modal(body["actions"][0]["value"], "t", 10))

    @app.view(bk.EDIT_MODAL)
    def edited(ack, view):
        candidate_id, text = bk.modal_submission(view)
        seen.append(("edited", candidate_id, text))
        ack(**bk.modal_errors(view, "Too long")) if len(text) > 10 else ack()

    @app.event("reaction_added")
    def reacted(event, request):
        seen.append(("reaction", event["reaction"], event["user"], request.headers.get("x-slack-retry-num")))

    return app


def _dispatch(app: App, request) -> tuple[int, str]:
    response = app.dispatch(BoltRequest(body=request.body, headers=request.headers))
    return response.status, response.body


def _wait(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app did not get there in time"
        time.sleep(0.01)


def test_signed_slash_command_is_acked_then_answered_through_the_standin(slack):
    seen: list = []
    app = _bolt_app(slack, seen)
    status, body = _dispatch(app, SlackRequests(SECRET, slack.root_url).slash_command("M83 - Midnight City"))
    assert (status, body) == (200, "writing about M83 - Midnight City")
    [posted] = slack.wait_for("chat.postMessage")
    assert (posted.args["channel"], posted.args["text"]) == (C, "done")
    [response] = slack.wait_for("response_url")
    assert (response.user, response.body["text"]) == (ANA, "still writing")
    assert seen == [("command", ANA, "M83 - Midnight City")]


def test_button_click_updates_the_message_in_place(slack, client):
    seen: list = []
    app = _bolt_app(slack, seen)
    message = client.chat_postMessage(channel=C, text="c", blocks=bk.candidate_message(7, "Neon rush.", 0.9, 1)[1])
    click = SlackRequests(SECRET, slack.root_url).block_action(message["message"], bk.APPROVE, user_id=BEN)
    assert _dispatch(app, click)[0] == 200
    slack.wait_for("chat.update")
    assert seen == [("approve", "7", BEN)]
    assert "Approved by @U0BEN0002" in bk.render_text(slack.message(C, message["ts"])["blocks"])
    with pytest.raises(ValueError, match="no button 'candidate_approve'"):
        SlackRequests(SECRET, slack.root_url).block_action(slack.message(C, message["ts"]), bk.APPROVE)


def test_edit_opens_a_modal_whose_submission_reaches_the_app(slack, client):
    seen: list = []
    app = _bolt_app(slack, seen)
    requests = SlackRequests(SECRET, slack.root_url)
    message = client.chat_postMessage(channel=C, text="c", blocks=bk.candidate_message(3, "Neon.", 0.9, 1)[1])
    assert _dispatch(app, requests.block_action(message["message"], bk.EDIT))[0] == 200
    [opened] = slack.wait_for("views.open")
    view = opened.response["view"]
    status, body = _dispatch(app, requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: "far too long"}}))
    assert status == 200 and json.loads(body) == bk.modal_errors(view, "Too long")
    assert _dispatch(app, requests.view_submission(view, {bk.EDIT_BLOCK: {bk.EDIT_INPUT: "short"}})) == (200, "")
    assert seen == [("edited", "3", "far too long"), ("edited", "3", "short")]


def test_reaction_events_arrive_with_retries_marked_and_self_reactions_ignored(slack):
    seen: list = []
    app = _bolt_app(slack, seen)
    requests = SlackRequests(SECRET, slack.root_url)
    event = requests.reaction("white_check_mark", "1700000000.000100", user_id=BEN)
    assert _dispatch(app, event)[0] == 200
    assert _dispatch(app, requests.retry(event, retry_num=1))[0] == 200
    assert _dispatch(app, requests.reaction("x", "1700000000.000100", user_id=BOT_USER_ID))[0] == 200
    _wait(lambda: len(seen) >= 2)
    time.sleep(0.1)  # give an (unwanted) handling of the bot's own reaction the chance to show up
    assert sorted(seen, key=str) == sorted([("reaction", "white_check_mark", BEN, ["1"]),
                                            ("reaction", "white_check_mark", BEN, None)], key=str)


def test_signed_requests_can_be_posted_to_an_app_in_http_mode(slack):
    seen: list = []
    # What `app.start(port)` runs; port 0 lets the OS choose, read back from the wrapped HTTPServer.
    server = SlackAppDevelopmentServer(port=0, path="/slack/events", app=_bolt_app(slack, seen),
                                       http_server_logger_enabled=False)
    thread = threading.Thread(target=server.start, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server._server.server_address[1]}/slack/events"
        requests = SlackRequests(SECRET, slack.root_url)
        assert requests.slash_command("Caribou - Sun").post(url) == (200, "writing about Caribou - Sun")
        assert SlackRequests("forged", slack.root_url).slash_command("Caribou - Sun").post(url)[0] == 401
    finally:
        server._server.shutdown()
        thread.join(timeout=5)
    slack.wait_for("chat.postMessage")
    assert seen == [("command", ANA, "Caribou - Sun")]


@pytest.mark.parametrize("tamper", ["forged", "stale", "edited body"])
def test_forged_or_stale_requests_are_rejected(slack, tamper):
    seen: list = []
    app = _bolt_app(slack, seen)
    requests = SlackRequests("not-the-secret" if tamper == "forged" else SECRET, slack.root_url)
    request = requests.slash_command("M83 - Midnight City", timestamp=time.time() - 600 if tamper == "stale" else None)
    body = request.body.replace("M83", "M84") if tamper == "edited body" else request.body
    assert app.dispatch(BoltRequest(body=body, headers=request.headers)).status == 401
    assert seen == []


def test_signature_matches_slacks_documented_example():
    # The worked example from Slack's "Verifying requests from Slack" guide.
    body = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
    assert sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")


# ---- Socket Mode --------------------------------------------------------------------------------------------


def test_socket_mode_handler_connects_through_apps_connections_open_and_acks(slack):
    seen: list = []
    app = _bolt_app(slack, seen)
    requests = SlackRequests(SECRET, slack.root_url)
    with SlackSocketStandin(web=slack) as socket:
        handler = SocketModeHandler(app, APP_TOKEN)
        handler.connect()
        try:
            socket.wait_connected()
            ack = socket.request(requests.slash_command("Phoenix - 1901").envelope())
            assert ack["payload"] == {"text": "writing about Phoenix - 1901"}
            slack.wait_for("chat.postMessage")
            event = requests.reaction("x", "1700000000.000100", user_id=ANA).envelope(retry_attempt=2,
                                                                                      retry_reason="timeout")
            assert "payload" not in socket.request(event)
            socket.send_disconnect()
            socket.wait_connected(count=2)  # the client reconnected through a fresh apps.connections.open
            _wait(lambda: socket.connection_count == 1)  # and the old connection is gone
        finally:
            handler.close()
    assert len(slack.calls_to("apps.connections.open")) == 2
    _wait(lambda: len(seen) == 2)
    assert seen == [("command", ANA, "Phoenix - 1901"), ("reaction", "x", ANA, ["2"])]
