"""The transport values of an HTTP entry: a module of its own, so that the CLI's start-up need not load model.py."""

STREAMABLE_HTTP = "streamable-http"
SSE = "sse"
HTTP_THEN_SSE = "http-then-sse"  # no type given, and the client tries streamable HTTP, then SSE
