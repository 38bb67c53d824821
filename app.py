"""Border Crossing Status: the server. The page (dashboard.py) and, from the same port, the JSON API,
the summary CSV by URL and the Atom feed (crossings/serve/routes.py). Run: streamlit run app.py"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from crossings.serve.routes import ROUTES, HideMetrics

app = st.App("dashboard.py", routes=ROUTES, middleware=[Middleware(HideMetrics)])
