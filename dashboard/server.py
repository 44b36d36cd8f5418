"""The served dashboard: ``dashboard/app.py`` plus the two routes that set and clear the
login cookie (``dashboard.session``). Streamlit pages cannot set an HttpOnly cookie, an
HTTP response can, so these routes live beside the app in Streamlit's own ASGI server
(``st.App``).

Run from the repository root: ``python -m streamlit run dashboard/server.py``.

- ``POST /api/session`` (form field ``handoff``): a valid, unused handoff token gets the
  cookie (204); anything else 403.
- ``POST /api/logout``: clears the cookie (204). The login itself is revoked server-side by
  the logout button (``dashboard.access.logout``), so a copied cookie dies too.
"""
from __future__ import annotations

import importlib
import threading

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.session import COOKIE_NAME, exchange_handoff, session_seconds


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def start_session(request: Request) -> Response:
    """Exchange a handoff token for the login cookie."""
    form = await request.form()
    value = exchange_handoff(str(form.get("handoff", "")))
    if value is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE_NAME, value, max_age=session_seconds(), path="/", httponly=True,
                        samesite="lax", secure=_secure(request))
    return response


async def end_session(request: Request) -> Response:
    """Clear the login cookie."""
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


# Modules the pages import that take seconds to load (metrics.award pulls pymcdm, which loads
# matplotlib: about 1.9 s of CPU), loaded at start in the background instead of during the
# first person's first visit of the page.
WARM_MODULES = ("plotly.graph_objects", "metrics.award", "dashboard.components.charts", "metrics.engagement")


def _warm_imports() -> None:
    for name in WARM_MODULES:
        importlib.import_module(name)


WARM_UP = threading.Thread(target=_warm_imports, name="import-warm-up", daemon=True)
WARM_UP.start()
app = st.App("app.py", routes=[Route("/api/session", start_session, methods=["POST"]),
                               Route("/api/logout", end_session, methods=["POST"])])
