"""Border Crossing Status: the server. The page (dashboard.py) and, from the same port, the JSON API,
the summary CSV by URL, the Atom feed and /lite (crossings/serve/routes.py): the one place where the page and
the routes meet. Run: streamlit run app.py"""

from __future__ import annotations

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


app = st.App("dashboard.py", routes=ROUTES, middleware=[Middleware(HideMetrics)])
