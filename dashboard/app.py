"""The dashboard's entry point: page set-up, login and navigation only.

Served by ``dashboard/server.py`` (``python -m streamlit run dashboard/server.py`` from the
repository root), which adds the login cookie's routes (``dashboard.session``).
The database is ``$KMDASH_DB`` (default ``data/kmdash.duckdb``). Pages are offered by
the logged-in user's role (``dashboard.access.PAGES``).
"""
from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from dashboard.access import PAGES, SESSION_KEY, hand_over_cookie, logout, refuse_unoffered_page, require_login
from dashboard.components.i18n import t
from dashboard.components.escape import md
from dashboard.components.theme import PRINT_CSS
from dashboard.state import lang
from data.logging_setup import configure_logging

configure_logging()
st.set_page_config(page_title="KM Dashboard", page_icon=":material/school:", layout="wide")
language = lang()
st.markdown(PRINT_CSS, unsafe_allow_html=True)
PAGE_SPECS = {
    "ringkasan": ("views/ringkasan.py", "overview", ":material/dashboard:", None),
    "perangkat_daerah": ("views/perangkat_daerah.py", "skpd_page", ":material/apartment:", "perangkat-daerah"),
    "kegiatan": ("views/kegiatan.py", "activities_page", ":material/groups:", "kegiatan"),
    "maturitas": ("views/maturitas.py", "maturity_page", ":material/trending_up:", "maturitas"),
    "penghargaan": ("views/penghargaan.py", "award_page", ":material/emoji_events:", "penghargaan"),
    "data": ("views/data.py", "imports", ":material/upload_file:", "data"),
    "definisi": ("views/definisi.py", "definitions", ":material/menu_book:", "definisi"),
    "panduan": ("views/panduan.py", "guide_page", ":material/help:", "panduan"),
}

choice = st.sidebar.radio(t("language", language), ["id", "en"], index=0 if language == "id" else 1,
                          format_func={"id": "Bahasa Indonesia", "en": "English"}.get, horizontal=True)
if choice != language:
    st.query_params["lang"] = choice
    st.rerun()
requested = urlparse(st.context.url or "").path.strip("/").split("/")[-1]


def _pages(keys) -> list:
    return [st.Page(PAGE_SPECS[key][0], title=t(PAGE_SPECS[key][1], language), icon=PAGE_SPECS[key][2],
                    url_path=PAGE_SPECS[key][3], default=(i == 0)) for i, key in enumerate(keys)]


if SESSION_KEY not in st.session_state:
    st.navigation(_pages(PAGE_SPECS), position="hidden")    # the browser keeps the deep link's page meanwhile
user = require_login(language)
allowed = PAGES[user.role]
refuse_unoffered_page(requested, {key: spec[3] for key, spec in PAGE_SPECS.items()}, language)
st.sidebar.caption(f"{md(user.username)} · {user.role}{' · ' + md(user.skpd) if user.skpd else ''}")
st.sidebar.button(t("logout", language), on_click=logout)
current = st.navigation(_pages(allowed))
hand_over_cookie()
current.run()
