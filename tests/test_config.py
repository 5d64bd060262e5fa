"""config.yaml loading: defaults, overrides, and clear errors naming the bad key."""

import pytest

from deephype.config import DEFAULT_CONFIG, Settings, load_settings, secret
from deephype.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_config_matches_embedded_defaults():
    # config.yaml documents every setting; it must not silently drift from the dataclass defaults.
    settings = load_settings(DEFAULT_CONFIG)
    defaults = Settings()
    for section in ("paths", "data", "model", "generation", "spotify", "x", "bot", "schedule"):
        assert getattr(settings, section) == getattr(defaults, section), section


def test_override_and_relative_paths(tmp_path):
    settings = load_settings(write(tmp_path, "data:\n  min_words: 3\npaths:\n  corpus_db: out/c.db\n"))
    assert settings.data.min_words == 3
    assert settings.data.max_words == Settings().data.max_words
    assert settings.path("corpus_db") == tmp_path / "out" / "c.db"


def test_int_is_accepted_for_float(tmp_path):
    settings = load_settings(write(tmp_path, "generation:\n  temperature: 1\n"))
    assert settings.generation.temperature == 1.0 and isinstance(settings.generation.temperature, float)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("data:\n  min_wordz: 3\n", "data.min_wordz"),
        ("dta:\n  min_words: 3\n", "'dta'"),
        ("data:\n  min_words: five\n", "data.min_words"),
        ("data:\n  min_words: true\n", "data.min_words"),
        ("data: 5\n", "'data'"),
        ("bot:\n  curators: U123\n", "bot.curators"),
        ("bot:\n  curators: [U1, 7]\n", "bot.curators[1]"),
        ("generation:\n  temperature: hot\n", "generation.temperature"),
        ("- a\n- b\n", "mapping"),
        ("data: [\n", "not valid YAML"),
    ],
)
def test_bad_config_names_the_key(tmp_path, text, named):
    with pytest.raises(ConfigError) as error:
        load_settings(write(tmp_path, text))
    assert named in str(error.value)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.yaml")


def test_secret_names_the_variable(monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="export SLACK_BOT_TOKEN="):
        secret("SLACK_BOT_TOKEN", "the bot's Slack token")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert secret("SLACK_BOT_TOKEN", "the bot's Slack token") == "xoxb-1"
