"""Exceptions named for what went wrong. The CLI and the bot turn them into messages a user can act on."""


class DeephypeError(Exception):
    """Base class: the message is written for the person running deephype."""


class ConfigError(DeephypeError):
    """config.yaml, a recipe or an environment variable is missing or wrong."""


class InputError(DeephypeError):
    """An input file (posts, text to score) is missing, unreadable or malformed."""


class EmptyCorpusError(DeephypeError):
    """Nothing usable was left after cleaning."""


class StoreError(DeephypeError):
    """The SQLite store is missing, from a newer version, or not a deephype database."""


class ModelError(DeephypeError):
    """A checkpoint or bundle is missing, corrupt or does not match the vocabulary or config."""


class ServiceError(DeephypeError):
    """Slack, X or Spotify failed in a way the caller should report."""
