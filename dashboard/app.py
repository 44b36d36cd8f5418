"""The dashboard's entry point: page set-up and navigation only.

Run from the repository root: ``python -m streamlit run dashboard/app.py``.
The database is ``$KMDASH_DB`` (default ``data/kmdash.duckdb``).
"""
from __future__ import annotations

import streamlit as st

from dashboard.components.i18n import t
from dashboard.state import lang

st.set_page_config(page_title="KM Dashboard", page_icon=":material/school:", layout="wide")
language = lang()
pages = [
    st.Page("views/ringkasan.py", title=t("overview", language), icon=":material/dashboard:", default=True),
    st.Page("views/perangkat_daerah.py", title=t("skpd_page", language), icon=":material/apartment:",
            url_path="perangkat-daerah"),
    st.Page("views/kegiatan.py", title=t("activities_page", language), icon=":material/groups:", url_path="kegiatan"),
    st.Page("views/maturitas.py", title=t("maturity_page", language), icon=":material/trending_up:",
            url_path="maturitas"),
    st.Page("views/penghargaan.py", title=t("award_page", language), icon=":material/emoji_events:",
            url_path="penghargaan"),
    st.Page("views/data.py", title=t("imports", language), icon=":material/upload_file:", url_path="data"),
    st.Page("views/definisi.py", title=t("definitions", language), icon=":material/menu_book:", url_path="definisi"),
    st.Page("views/panduan.py", title=t("guide_page", language), icon=":material/help:", url_path="panduan"),
]
choice = st.sidebar.radio(t("language", language), ["id", "en"], index=0 if language == "id" else 1,
                          format_func={"id": "Bahasa Indonesia", "en": "English"}.get, horizontal=True)
if choice != language:
    st.query_params["lang"] = choice
    st.rerun()
st.navigation(pages).run()
