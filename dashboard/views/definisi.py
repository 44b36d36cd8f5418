"""Definisi KPI: the KPI reference, generated from the metrics registry."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components.i18n import tr
from dashboard.state import lang
from dashboard.access import require_page
from metrics.registry import KPIS, TARGET_UTILISATION

language = lang()
require_page("definisi", language)
st.title(tr("KPI definitions", language))
st.write(f"{tr('Target', language)}: {TARGET_UTILISATION:.0%}")
rows = [{"KPI": k.name, "Label": k.label_id if language == "id" else k.label_en, "Unit": k.unit,
         "Numerator": k.numerator or "", "Denominator": k.denominator or "", "Description": k.description}
        for k in KPIS]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
