"""deephype: music commentary written by a conditional VAE, curated in Slack, posted to X."""

__version__ = "0.1.0"
