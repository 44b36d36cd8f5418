"""Panduan: a short user guide (Indonesian, English when chosen): what each page answers,
how to import the monthly exports, and what to do with rejected rows."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.access import require_page
from dashboard.state import lang

language = lang()
require_page("panduan", language)
guide = Path(__file__).resolve().parents[1] / "guide" / f"panduan_{language}.md"
st.markdown(guide.read_text(encoding="utf-8"))
