"""Border Crossing Status: the server. The page (dashboard.py) and, from the same port, the JSON API,
the summary CSV by URL, the Atom feed and /lite (crossings/serve/routes.py): the one place where the page and
the routes meet. Run: streamlit run app.py"""

from __future__ import annotations

import socket

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from crossings.serve.feed import tag_authority
from crossings.serve.routes import ROUTES

# A bad CROSSINGS_TAG_AUTHORITY stops the server as it starts, naming the setting, not at a reader's first visit.
tag_authority()


class HideMetrics:
    """Answers 404 at /_stcore/metrics: a public site does not publish its server's internals."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/") == "/_stcore/metrics":
            await Response("Not Found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class NoDelay:
    """Sends each answer's last segment at once (TCP_NODELAY) on the connection it came by. Streamlit binds its
    listening socket without naming TCP, so asyncio does not set TCP_NODELAY on the connections it accepts:
    an answer's body, written after its headers, waited for the client's delayed acknowledgement, about 40 ms
    on every request of a kept-alive connection after the first (BENCHMARKS.md), and on the page's websocket."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # uvicorn's receive is a method of the connection's protocol, which holds the transport
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
        connection = transport.get_extra_info("socket") if transport is not None else None
        if connection is not None and connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await self.app(scope, receive, send)


app = st.App("dashboard.py", routes=ROUTES, middleware=[Middleware(NoDelay), Middleware(HideMetrics)])
