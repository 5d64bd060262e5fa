"""Local stand-ins for the web services deephype talks to, for tests and the offline demo.

Each one is a small HTTP server on 127.0.0.1 that the real client library is pointed at through config.
"""
