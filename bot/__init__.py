"""The Slack adapter: curators ask for, approve, edit and reject commentary in a channel (slack-bolt)."""
