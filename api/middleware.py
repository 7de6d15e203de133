"""The security headers and Server-Timing on every response, as one plain ASGI middleware."""

from __future__ import annotations

import time

from dutygraph.graph.store import DB_TIME
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Only our own files: vendored scripts and styles from /static, no inline script, no framing by other sites.
# Cytoscape sets element styles and draws PNG exports as data: URLs.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


# the Swagger UI page starts itself with one inline script
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeaders:
    """The security headers, and where a request's time went (Server-Timing: browser devtools and
    bench/queries read it), on every response. A plain ASGI middleware: Starlette's `@app.middleware("http")`
    runs each request through an extra task and a response stream, which cost about as much as a kept answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        spent: list[float] = []
        token = DB_TIME.set(spent)  # the endpoint's context is a copy: it appends to this same list
        t0 = time.perf_counter()
        docs = scope["path"] == "/docs"

        async def start(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("Server-Timing", f'db;dur={sum(spent) * 1000:.2f};desc="{len(spent)} queries", '
                                                f"app;dur={(time.perf_counter() - t0) * 1000:.2f}")
                for k, v in HEADERS.items():
                    if k not in headers:
                        headers[k] = v
                if docs:
                    headers["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        try:
            await self.app(scope, receive, start)
        finally:
            DB_TIME.reset(token)
