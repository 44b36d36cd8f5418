"""The dashboard's entry point: page set-up, login and navigation only.

Served by ``dashboard/server.py`` (``python -m streamlit run dashboard/server.py`` from the
repository root), which adds the login cookie's routes (``dashboard.session``).
The database is ``$KMDASH_DB`` (default ``data/kmdash.duckdb``). Pages are offered by
the logged-in user's role (``dashboard.access.PAGES``).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from dashboard.access import PAGES, SESSION_KEY, hand_over_cookie, logout, refuse_unoffered_page, require_login
from dashboard.components.i18n import N_, tr
from dashboard.components.escape import md
from dashboard.components.theme import PHONE_CSS, PRINT_CSS
from dashboard.state import choose_language, demo_banner, lang
from data.logging_setup import configure_logging

configure_logging()
# The tab icon is a file served by this server: a ":material/...:" page icon makes the browser
# fetch it from fonts.gstatic.com, which an office network without internet blocks.
PAGE_ICON = Path(__file__).parent / "components" / "page_icon.png"
st.set_page_config(page_title="KM Dashboard", page_icon=str(PAGE_ICON), layout="wide")
language = lang()
st.markdown(PRINT_CSS + PHONE_CSS, unsafe_allow_html=True)
PAGE_SPECS = {
    "ringkasan": ("views/ringkasan.py", N_("Overview"), ":material/dashboard:", None),
    "perangkat_daerah": ("views/perangkat_daerah.py", N_("Agency"), ":material/apartment:", "perangkat-daerah"),
    "kegiatan": ("views/kegiatan.py", N_("Activities"), ":material/groups:", "kegiatan"),
    "maturitas": ("views/maturitas.py", N_("Maturity"), ":material/trending_up:", "maturitas"),
    "penghargaan": ("views/penghargaan.py", N_("Award"), ":material/emoji_events:", "penghargaan"),
    "data": ("views/data.py", N_("Data & imports"), ":material/upload_file:", "data"),
    "definisi": ("views/definisi.py", N_("KPI definitions"), ":material/menu_book:", "definisi"),
    "panduan": ("views/panduan.py", N_("User guide"), ":material/help:", "panduan"),
}

choice = st.sidebar.radio(tr("Language", language), ["id", "en"], index=0 if language == "id" else 1,
                          format_func={"id": "Bahasa Indonesia", "en": "English"}.get, horizontal=True)
if choice != language:
    choose_language(choice)
    st.rerun()
requested = urlparse(st.context.url or "").path.strip("/").split("/")[-1]


def _pages(keys) -> list:
    return [st.Page(PAGE_SPECS[key][0], title=tr(PAGE_SPECS[key][1], language), icon=PAGE_SPECS[key][2],
                    url_path=PAGE_SPECS[key][3], default=(i == 0)) for i, key in enumerate(keys)]


if SESSION_KEY not in st.session_state:
    st.navigation(_pages(PAGE_SPECS), position="hidden")    # the browser keeps the deep link's page meanwhile
user = require_login(language)
allowed = PAGES[user.role]
refuse_unoffered_page(requested, {key: spec[3] for key, spec in PAGE_SPECS.items()}, language)
st.sidebar.caption(f"{md(user.username)} · {user.role}{' · ' + md(user.skpd) if user.skpd else ''}")
st.sidebar.button(tr("Log out", language), on_click=logout)
current = st.navigation(_pages(allowed))
hand_over_cookie()
demo_banner(language)
current.run()
