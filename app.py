"""Border Crossing Status: the server. The page (dashboard.py) and, from the same port, the JSON API,
the summary CSV by URL and the Atom feed (crossings/serve/routes.py): the one place where the page and the
routes meet. Run: streamlit run app.py"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from crossings.serve.routes import ROUTES


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
