"""The offline demo's world: a fresh database in a temporary directory, local stand-ins for X, Slack and Spotify,
the demo timeline on X, and settings that point the real code at all of it. bot/demo.py runs the bot in it.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deephype.config import Settings
from deephype.demo_tweets import BOT_USERNAME, DEMO_TIMELINE
from deephype.spotify import SpotifyGenres
from deephype.standins.slack import SlackStandin
from deephype.standins.slack_workspace import ANA, CURATION_CHANNEL_NAME
from deephype.standins.spotify import SpotifyStandIn
from deephype.standins.x import XStandIn
from deephype.store import Store
from deephype.twitter import CREDENTIAL_VARIABLES, XClient, XCredentials

SIGNING_SECRET = "deephype-demo-signing-secret"  # what the demo signs its curator's click with
CURATOR = ANA  # the stand-in workspace's first user, @ana, a curator in the demo's settings
CANDIDATES_PER_SONG = 3  # enough to choose from, few enough to read


@dataclass
class DemoSummary:
    """What the demo did, as its closing lines say and its test checks."""

    tweets: int  # on the timeline
    outcomes: dict[str, int]  # scan outcome -> tweets
    songs: list[str]  # "Artist – Song" with candidates in the curation channel
    candidates: int
    approved: str  # the text the curator approved
    approved_song: str
    posted: list[dict[str, Any]] = field(default_factory=list)  # what reached the X stand-in
    posted_url: str | None = None
    quoted_url: str | None = None
    final_message: str = ""  # the approved candidate's Slack message at the end, as text
    seconds: float = 0.0

    def lines(self) -> list[str]:
        other = self.outcomes.get("no_song", 0)
        posted = (f"{len(self.posted)} tweet ({self.posted_url})" + (f", quoting {self.quoted_url}"
                                                                      if self.quoted_url else "")
                  if self.posted else "nothing")
        return [
            f"timeline: {self.tweets} tweets read; {self.outcomes.get('written', 0)} named a song and got candidates,"
            f" {other} were other chatter, {self.outcomes.get('own', 0)} was the bot's own (skipped)"
            + (f", {self.outcomes['no_candidates']} got no candidate past the filters"
               if self.outcomes.get("no_candidates") else ""),
            f"curation channel: {len(self.songs)} songs, {self.candidates} candidates for review",
            f"approved by @ana for {self.approved_song}: {self.approved}",
            f"posted to X: {posted}",
            f"took {self.seconds:.1f} s",
        ]


class DemoWorld:
    """`with DemoWorld(settings) as world:` starts the stand-ins and opens a fresh store; all is gone after."""

    def __init__(self, base: Settings, model_dir: Path | None = None) -> None:
        self.base, self.model_dir = base, model_dir
        self.x, self.slack, self.spotify = XStandIn(BOT_USERNAME), SlackStandin(), SpotifyStandIn()
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.settings: Settings = base
        self.store: Store | None = None

    def __enter__(self) -> DemoWorld:
        self._tmp = tempfile.TemporaryDirectory(prefix="deephype-demo-")
        for standin in (self.x, self.slack, self.spotify):
            standin.start()
        for account, text in DEMO_TIMELINE:
            self.x.add_tweet(text, account)
        self.settings = self._settings(Path(self._tmp.name))
        self.store = Store.open(self.settings.path("state_db"))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()
        for standin in (self.x, self.slack, self.spotify):
            standin.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def _settings(self, root: Path) -> Settings:
        base = self.base
        model_dir = self.model_dir or base.path("model_dir")
        paths = dataclasses.replace(base.paths, state_db=str(root / "state.db"), model_dir=str(model_dir),
                                    corpus_db=str(base.path("corpus_db")),
                                    artist_genres_csv=str(base.path("artist_genres_csv")))
        bot = dataclasses.replace(base.bot, mode="http", slack_api_url=self.slack.base_url, curators=(CURATOR,),
                                  channel=f"#{CURATION_CHANNEL_NAME}", curator_usergroup="")
        # Every hour of the day is a posting window here, so the approved candidate's slot is now.
        schedule = dataclasses.replace(base.schedule, posting_windows=("00:00-24:00",))
        return dataclasses.replace(
            base, paths=paths, bot=bot, schedule=schedule, x=dataclasses.replace(base.x, api_base=self.x.base_url),
            spotify=self.spotify.spotify_config(base.spotify),
            generation=dataclasses.replace(base.generation, candidates=CANDIDATES_PER_SONG))

    def x_client(self) -> XClient:
        """The real X client, with the stand-in's keys."""
        keys = self.x.environment()
        return XClient(self.settings.x, XCredentials(*(keys[name] for name in CREDENTIAL_VARIABLES)))

    def spotify_genres(self) -> SpotifyGenres:
        """The real Spotify genre client, with the stand-in's app credentials."""
        return SpotifyGenres(self.settings.spotify, self.store, self.spotify.client_id, self.spotify.client_secret)
