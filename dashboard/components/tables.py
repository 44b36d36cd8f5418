"""Tables as people read them: labelled columns, formatted numbers, status in words
and symbols, and download buttons."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from data.audit import record_event
from data.export import frame_to_csv, frames_to_xlsx
from data.store import db_path
from metrics.registry import label

STATUS_NAMES = {"met": N_("✔ Met"), "below": N_("✖ Below"), "undefined": N_("? n/a (no headcount)")}


def skpd_table(skpd: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-agency frame (``metrics.overview.Overview.skpd``) as display text."""
    out = pd.DataFrame({tr("Agency", lang): skpd["skpd"]})
    for col in ("headcount", "asset_users"):
        out[label(col, lang)] = [fmt.num(v, lang) for v in skpd[col]]
    out[label("utilisation_rate", lang)] = [fmt.pct(v, lang) for v in skpd["utilisation_rate"]]
    out[tr("Status", lang)] = [tr("⚠ above 100%: check the data", lang) if over else tr(STATUS_NAMES[s], lang)
                              for s, over in zip(skpd["target_status"], skpd["rate_above_one"])]
    out[label("participants", lang)] = [fmt.num(v, lang) for v in skpd["participants"]]
    out[label("participation_rate", lang)] = [fmt.pct(v, lang) for v in skpd["participation_rate"]]
    out[label("assets_published", lang)] = [fmt.num(v, lang) for v in skpd["assets_published"]]
    return out


def download_buttons(frame: pd.DataFrame, stem: str, lang: str, *, key: str | None = None) -> None:
    """CSV and XLSX downloads of the table as shown (text a spreadsheet would run is made inert).
    The files are made only when a button is clicked (Streamlit calls ``data`` then), never
    on a page view."""
    left, right = st.columns(2)
    left.download_button(tr("Download CSV", lang), lambda: frame_to_csv(frame), file_name=f"{stem}.csv", mime="text/csv",
                         key=f"{key or stem}-csv", on_click=audit_export, args=(f"{stem}.csv",))
    right.download_button(tr("Download XLSX", lang), lambda: frames_to_xlsx({stem: frame}), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key or stem}-xlsx", on_click=audit_export, args=(f"{stem}.xlsx",))


def audit_export(file_name: str) -> None:
    """Record a download in the audit log (who, when, which file)."""
    user = st.session_state.get("auth_user")
    record_event(db_path(), getattr(user, "username", "-"), "export", file_name)
