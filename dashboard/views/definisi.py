"""Definisi KPI: the KPI reference, generated from the metrics registry; labels,
descriptions and units in the page's language (the registry's English is the msgid)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from dashboard.components.tables import download_buttons
from dashboard.state import lang
from dashboard.access import require_page
from metrics.registry import KPI_BY_NAME, KPIS, TARGET_UTILISATION, label

UNITS = {"count": N_("count"), "fraction": N_("share (0–1, shown as %)"), "level": N_("level 1–5"),
         "per 100": N_("per 100 employees"), "score": N_("score")}

language = lang()
require_page("definisi", language)
st.title(tr("KPI definitions", language))
st.write(f"{tr('Target', language)}: {fmt.target_pct(TARGET_UTILISATION, language)}")


def _part(name: str | None) -> str:
    return "" if not name else label(name, language) if name in KPI_BY_NAME else tr(PARTS.get(name, name), language)


PARTS = {"cops": N_("CoPs"), "skpd_in_recap": N_("Agencies in the recap"), "projected_users": N_("Projected users")}
rows = [{tr("KPI", language): label(k.name, language), tr("Unit", language): tr(UNITS.get(k.unit, k.unit), language),
         tr("Numerator", language): _part(k.numerator), tr("Denominator", language): _part(k.denominator),
         tr("Description", language): tr(k.description, language),
         tr("Name in exports and the command line", language): k.name}
        for k in KPIS]
table = pd.DataFrame(rows)
st.table(table, hide_index=True)                       # wrapped, read in full (a grid cuts long cells)
download_buttons(table, "definisi_kpi", language)
