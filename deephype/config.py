"""Settings: config.yaml -> frozen dataclasses. Secrets come only from environment variables.

Every section has embedded defaults, so deephype runs with no config file at all; a file only overrides.
A wrong key or a wrong type is a ConfigError naming the dotted key, never a traceback.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from deephype.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.yaml"
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class PathsConfig:
    # Relative paths are resolved against the directory of the config file.
    state_db: str = "var/deephype.db"  # bot state: requests, candidates, decisions, caches
    corpus_db: str = "var/corpus.db"  # the built corpus; rebuilt whole by `data build`
    posts: str = "../shared/data/hypem-sample/posts.json"
    artist_genres_csv: str = "../shared/data/genres/artist_genres.csv"
    genre_vocabulary: str = "../shared/data/genres/genre_counts_5yrs.json"
    model_dir: str = "data/model"  # the shipped bundle
    runs_dir: str = "var/runs"  # training outputs and checkpoints
    plots_dir: str = "var/plots"


@dataclass(frozen=True)
class DataConfig:
    min_words: int = 5  # shorter fragments are captions and credits, not commentary
    # Longer "sentences" are run-on lists the splitter could not cut, or too long for a tweet once the names are
    # filled in; training on them taught the model to ramble past 40 tokens (6% of sentences reached that).
    max_words: int = 32
    near_duplicate_threshold: float = 0.8  # Jaccard similarity of word 3-shingles
    min_english_ratio: float = 0.6  # share of a post's words that must be common English words
    roundup_min_songs: int = 3  # a post naming this many "Artist - Title" lines is a round-up
    # A genre becomes its own condition label when this many training songs carry it; rarer genres map to
    # the most frequent label that shares a word with them, else to "other".
    condition_min_songs: int = 3
    max_condition_labels: int = 130  # the original model's 130 labels
    val_fraction: float = 0.1
    seed: int = 13


@dataclass(frozen=True)
class ModelConfig:
    min_word_count: int = 2  # vocabulary cut-off: rarer words become <unk>
    embedding_dim: int = 256
    hidden_dim: int = 512
    latent_dim: int = 32
    condition_dim: int = 32


@dataclass(frozen=True)
class GenerationConfig:
    samples: int = 64
    candidates: int = 5
    temperature: float = 0.9
    top_p: float = 0.95
    max_tokens: int = 40
    max_chars: int = 280
    blocklist: tuple[str, ...] = ()
    hashtag: str = ""  # appended to every post ("" for none); its length is kept free in every candidate
    # Ranking: relevance = fluency (the LM's mean log-probability per token, about -3 to -4) + the weighted terms.
    mention_weight: float = 1.0  # a post that names neither artist nor song is useless to a curator
    novelty_weight: float = 1.0  # times the share of 4-grams no corpus sentence has: stock phrases rank lower
    topic_weight: float = 0.5  # times the topic reward in [-1, 1], when the bundle has a topic model
    diversity_weight: float = 1.0  # times the word overlap with a better candidate: five ways to say it, not one
    # Torch threads for generation. The bot generates one request at a time (bot.workers), so both cores can serve
    # it: `hype` p50 225 ms with two threads against 370 ms with one on an idle 2-core machine. Set 1 when other
    # heavy work shares the cores: a second thread then mostly waits for the first.
    threads: int = 2


@dataclass(frozen=True)
class SpotifyConfig:
    api_base: str = "https://api.spotify.com/v1/"
    token_url: str = "https://accounts.spotify.com/api/token"
    connect_timeout: float = 3.0
    read_timeout: float = 5.0
    retries: int = 3
    cache_days: int = 30


POST_MODES = ("quote", "reply", "standalone")


@dataclass(frozen=True)
class XConfig:
    api_base: str = "https://api.x.com"  # the stand-in's base_url in tests and the offline demo
    connect_timeout: float = 3.0  # a healthy X accepts a connection in well under a second
    read_timeout: float = 10.0  # create_tweet can take seconds under load; a post timing out is outcome-unknown
    post_mode: str = "quote"  # quote | reply | standalone: how a post relates to the tweet that prompted it
    max_retries: int = 3  # reads only: repeating a read is harmless, repeating a post could post twice
    retry_backoff: float = 1.0  # seconds before the first read retry, doubling each time
    timeline_page_size: int = 100  # X's maximum for the home timeline: fewer pages, fewer rate-limited calls
    allow_mentions: bool = False  # a post may @mention other accounts (off: nobody is dragged in by a candidate)
    allow_links: bool = False  # a post may carry links of its own

    def __post_init__(self) -> None:
        if self.post_mode not in POST_MODES:
            raise ConfigError(f"config key 'x.post_mode' must be one of {', '.join(POST_MODES)}, "
                              f"got {self.post_mode!r}")
        if not 1 <= self.timeline_page_size <= 100:
            raise ConfigError(f"config key 'x.timeline_page_size' must be between 1 and 100 (X's limits), "
                              f"got {self.timeline_page_size}")
        for key in ("connect_timeout", "read_timeout"):
            if getattr(self, key) <= 0:
                raise ConfigError(f"config key 'x.{key}' must be above zero, got {getattr(self, key)}")
        for key in ("max_retries", "retry_backoff"):
            if getattr(self, key) < 0:
                raise ConfigError(f"config key 'x.{key}' must not be negative, got {getattr(self, key)}")


BOT_MODES = ("socket", "http")


@dataclass(frozen=True)
class BotConfig:
    mode: str = "socket"  # "socket" (no public URL needed) or "http"
    http_port: int = 3000
    channel: str = "#deephype-curation"
    curators: tuple[str, ...] = ()
    approve_emoji: str = "white_check_mark"
    reject_emoji: str = "x"
    slack_api_url: str = "https://slack.com/api/"
    # slack_sdk's urllib transport takes one socket timeout, for connecting and for each read alike; Slack answers
    # in well under a second, and a listener must not hang long past Bolt's 3-second ack while a click waits.
    slack_timeout: float = 10.0
    curator_usergroup: str = ""  # a Slack user group ID (S...) whose members are curators too; "" for none
    curator_cache_seconds: int = 300  # how long a user group's members are trusted before asking Slack again
    # Generation is CPU-bound and torch already uses both cores: one worker, and a short queue behind it so a
    # burst of /hype commands waits its turn instead of being refused, but a flood is told to try again.
    workers: int = 1
    queue_size: int = 8

    def __post_init__(self) -> None:
        if self.mode not in BOT_MODES:
            raise ConfigError(f"config key 'bot.mode' must be one of {', '.join(BOT_MODES)}, got {self.mode!r}")
        for key in ("workers", "http_port"):
            if getattr(self, key) < 1:
                raise ConfigError(f"config key 'bot.{key}' must be at least 1, got {getattr(self, key)}")
        for key in ("queue_size", "curator_cache_seconds"):
            if getattr(self, key) < 0:
                raise ConfigError(f"config key 'bot.{key}' must not be negative, got {getattr(self, key)}")
        if self.slack_timeout <= 0:
            raise ConfigError(f"config key 'bot.slack_timeout' must be above zero, got {self.slack_timeout}")


@dataclass(frozen=True)
class ScheduleConfig:
    scan_interval_seconds: int = 60
    timeline_max_tweets: int = 200
    posting_windows: tuple[str, ...] = ("09:00-22:00",)
    timezone: str = "Europe/Berlin"
    max_posts_per_day: int = 8
    min_spacing_minutes: int = 60
    posting_interval_seconds: int = 30  # how often approved candidates are planned and due ones posted
    post_retries: int = 2  # retries of a post X answered with 5xx (or never received); then a person decides
    post_retry_seconds: float = 5.0  # wait before the first of those retries, doubling after each
    pause_minutes: int = 15  # posting pauses this long when X cannot be reached or refuses the keys
    tweet_attempts: int = 3  # scans that try a failing timeline tweet before it is recorded as failed and skipped
    # Tweets per chunk of a scan: the songs among them are decoded in one batch, so the decoder steps once for all
    # of them. Measured with benchmarks/scan_throughput.py (README, Figures).
    scan_batch: int = 8


@dataclass(frozen=True)
class TopicsConfig:
    num_topics: int = 10  # sentences are short (about 8 content words): more topics only split noise
    passes: int = 20  # passes over the training sentences; the topics stop moving after about 15
    iterations: int = 100  # E-step iterations per sentence while training
    seed: int = 13  # seeds gensim's initial topics, so `train lda` is reproducible
    no_below: int = 5  # a word must appear in this many training sentences to be a topic word
    no_above: float = 0.5  # ...and in at most this share of them
    # The weight rule (deephype/topic_weights.py): topics are ranked by descriptive minus promotional share.
    top_words: int = 30  # how many of a topic's most likely words the rule reads
    preferred_fraction: float = 0.33  # share of topics, best first, weighted +1 (a third)
    avoided_fraction: float = 0.33  # share of topics, worst first, weighted -1
    topic_weights: tuple[int, ...] = ()  # +1 / 0 / -1 per topic; empty: the weights picked into the bundle

    def __post_init__(self) -> None:
        for key in ("num_topics", "passes", "iterations", "no_below", "top_words"):
            if getattr(self, key) < 1:
                raise ConfigError(f"config key 'topics.{key}' must be at least 1, got {getattr(self, key)}")
        if self.num_topics < 2:
            raise ConfigError(f"config key 'topics.num_topics' must be at least 2, got {self.num_topics}")
        if not 0 < self.no_above <= 1:
            raise ConfigError(f"config key 'topics.no_above' must be above 0 and at most 1, got {self.no_above}")
        if min(self.preferred_fraction, self.avoided_fraction) < 0 or (
                self.preferred_fraction + self.avoided_fraction > 1):
            raise ConfigError("config keys 'topics.preferred_fraction' and 'topics.avoided_fraction' must not be "
                              f"negative nor add up to more than 1, got {self.preferred_fraction} and "
                              f"{self.avoided_fraction}")
        bad = [w for w in self.topic_weights if w not in (-1, 0, 1)]
        if bad:
            raise ConfigError(f"config key 'topics.topic_weights' takes only 1, 0 and -1 (one per topic), got {bad[0]}")


@dataclass(frozen=True)
class LCGANConfig:
    """The LC-GAN (Engel, Hoffman, Roberts 2017, "Latent Constraints") that moves prior latents toward text in the
    preferred topics: a critic D and a gated generator G, small MLPs on the CVAE's decoder input cat(z, a)."""

    hidden_dim: int = 256  # D's and G's width: latents are 32-d (the paper's 2048 serve 1024-d image latents)
    hidden_layers: int = 2  # per MLP; keeps G (all the bundle ships) near 0.25 MB in float16
    prior_samples: int = 5000  # prior latents decoded and judged to teach the critic (each label is one noisy sample)
    posterior_samples: int = 5000  # posterior latents of training sentences, decoded and judged likewise
    generator_steps: int = 1000  # G updates
    critic_steps: int = 5  # D updates per G update: G can only follow a critic that has caught up with it
    rounds: int = 20  # times G's latents are decoded, judged and added to D's data: the curves, and the candidates
    round_samples: int = 500  # G latents decoded per round
    batch_size: int = 256
    learning_rate: float = 0.0003  # Adam, as in the paper
    distance_weight: float = 0.1  # the paper's lambda_dist: keeps z' near z, so samples stay varied
    # Weight of fooling D's realism head (posterior latents vs G's). Small: near the posteriors this CVAE's topics
    # hardly move without losing fluency; the measured fluency and the bounded proposals keep G's text readable.
    realism_weight: float = 0.01
    fluency_weight: float = 3.0  # per nat of D's predicted per-token LM NLL above the prior samples': no word salad
    # The G that ships is the round's with the best measured reward among those whose samples kept the LM perplexity
    # and distinct-2 within these bounds of the prior's samples (training genres; eval checks held-out songs).
    max_ppl_rise: float = 0.15
    max_distinct_drop: float = 0.15
    prior_negatives: float = 0.1  # share of D's realism negatives drawn from the prior instead of G (the paper's 10%)
    seed: int = 13
    # torch threads. One: D and G are small MLPs and decoding goes a step at a time, so a second thread mostly
    # waits on the first; with the other core busy, two threads ran the loop several times slower than one.
    threads: int = 1

    def __post_init__(self) -> None:
        for key in ("hidden_dim", "hidden_layers", "prior_samples", "posterior_samples", "generator_steps",
                    "critic_steps", "rounds", "round_samples", "batch_size", "threads"):
            if getattr(self, key) < 1:
                raise ConfigError(f"config key 'lcgan.{key}' must be at least 1, got {getattr(self, key)}")
        for key in ("learning_rate", "distance_weight", "realism_weight", "fluency_weight", "max_ppl_rise",
                    "max_distinct_drop"):
            if getattr(self, key) < 0:
                raise ConfigError(f"config key 'lcgan.{key}' must not be negative, got {getattr(self, key)}")
        if not 0 <= self.prior_negatives <= 1:
            raise ConfigError(f"config key 'lcgan.prior_negatives' must be between 0 and 1, got {self.prior_negatives}")


@dataclass(frozen=True)
class Settings:
    paths: PathsConfig = field(default_factory=PathsConfig)
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    generation: GenerationConfig = field(default_factory=GenerationConfig)
    spotify: SpotifyConfig = field(default_factory=SpotifyConfig)
    x: XConfig = field(default_factory=XConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    topics: TopicsConfig = field(default_factory=TopicsConfig)
    lcgan: LCGANConfig = field(default_factory=LCGANConfig)
    base_dir: str = str(PROJECT_ROOT)  # where relative paths start; set by load_settings

    def path(self, name: str) -> Path:
        """An absolute path for a `paths` entry."""
        value = Path(getattr(self.paths, name))
        return value if value.is_absolute() else Path(self.base_dir) / value


def load_settings(path: str | Path | None = None) -> Settings:
    """Read a config file (default: the project's config.yaml, if any) over the embedded defaults."""
    config_path = Path(path) if path else DEFAULT_CONFIG
    if path and not config_path.exists():
        raise ConfigError(f"config file {config_path} does not exist")
    if not config_path.exists():
        return Settings()
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"{config_path} is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_path} must be a mapping of sections, got {type(raw).__name__}")
    settings = build_dataclass(Settings, raw, prefix="")
    return dataclasses.replace(settings, base_dir=str(config_path.resolve().parent))


def build_dataclass(cls: type, raw: dict[str, Any], prefix: str) -> Any:
    """Build dataclass `cls` from a mapping, checking every key and type; errors name the dotted key."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.name != "base_dir"}
    unknown = sorted(set(raw) - known)
    if unknown:
        key = prefix + unknown[0]
        raise ConfigError(f"unknown config key '{key}' (known keys here: {', '.join(sorted(known))})")
    values = {name: coerce(hints[name], raw[name], prefix + name) for name in raw}
    return cls(**values)


def coerce(hint: Any, value: Any, key: str) -> Any:
    """Check `value` against type `hint`, converting only where YAML is naturally loose (int -> float)."""
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ConfigError(f"config key '{key}' must be a section (mapping), got {describe(value)}")
        return build_dataclass(hint, value, prefix=key + ".")
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"config key '{key}' must be a list, got {describe(value)}")
        item_hint = typing.get_args(hint)[0]
        return tuple(coerce(item_hint, item, f"{key}[{i}]") for i, item in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        return coerce(next(o for o in options if o is not type(None)), value, key)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is bool and not isinstance(value, bool) or not isinstance(value, hint) or (
        hint is int and isinstance(value, bool)
    ):
        raise ConfigError(f"config key '{key}' must be {hint.__name__}, got {describe(value)}")
    return value


def describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def secret(name: str, purpose: str) -> str:
    """A secret from the environment, or a ConfigError saying which variable to set."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: export {name}=... ({purpose})")
    return value
