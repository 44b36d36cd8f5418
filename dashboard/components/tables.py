"""Tables as people read them: labelled columns, formatted numbers, status in words
and symbols, and download buttons."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.i18n import t
from metrics.registry import label

_COUNTS = ("headcount", "asset_users", "participants", "assets_published")
_RATES = ("utilisation_rate", "participation_rate")


def skpd_table(skpd: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-agency frame (``metrics.overview.Overview.skpd``) as display text."""
    out = pd.DataFrame({t("skpd", lang): skpd["skpd"]})
    for col in _COUNTS[:2]:
        out[label(col, lang)] = [fmt.num(v, lang) for v in skpd[col]]
    out[label("utilisation_rate", lang)] = [fmt.pct(v, lang) for v in skpd["utilisation_rate"]]
    out[t("status", lang)] = [t("over_one", lang) if over else t(s, lang)
                              for s, over in zip(skpd["target_status"], skpd["rate_above_one"])]
    out[label("participants", lang)] = [fmt.num(v, lang) for v in skpd["participants"]]
    out[label("participation_rate", lang)] = [fmt.pct(v, lang) for v in skpd["participation_rate"]]
    out[label("assets_published", lang)] = [fmt.num(v, lang) for v in skpd["assets_published"]]
    return out


def download_buttons(frame: pd.DataFrame, stem: str, lang: str) -> None:
    """A CSV download of the table as shown (UTF-8 with BOM so Excel reads it)."""
    data = frame.to_csv(index=False).encode("utf-8-sig")
    st.download_button(t("download_csv", lang), data, file_name=f"{stem}.csv", mime="text/csv")
