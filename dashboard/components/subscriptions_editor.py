"""The report subscriptions on *Data & impor* (Pusdatin): who gets which one-page PDF by
e-mail, monthly or weekly, with or without at-risk alerts (``reports.delivery``). Every
change is audited (action ``subscribe``)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access import acting_username
from dashboard.components.escape import md
from dashboard.components import format as fmt
from dashboard.components.i18n import tr
from dashboard.state import reading, writing
from data.ops.audit import record_event
from data.errors import DatabaseBusy
from reports import delivery


def render_subscriptions_editor(path: str, lang: str) -> None:
    """The subscription table, a form to add or change one, and a remover."""
    try:
        with reading(path) as con:
            table = delivery.subscriptions(con)
            agencies = delivery.agency_names(con)
    except DatabaseBusy:
        st.warning(tr("The database is busy with an import; try again shortly.", lang))
        return
    province = tr("Province", lang)
    never = tr("never", lang)
    shown = pd.DataFrame({
        tr("E-mail address", lang): table["address"], tr("Report", lang): [s or province for s in table["skpd"]],
        tr("Frequency", lang): [tr("monthly", lang) if f == "monthly" else tr("weekly", lang) for f in table["frequency"]],
        tr("Language", lang): ["Bahasa Indonesia" if v == "id" else "English" for v in table["lang"]],
        tr("At-risk alerts", lang): [tr("Yes", lang) if a else tr("No", lang) for a in table["alerts"]],
        tr("Created (WIB)", lang): [fmt.moment(pd.Timestamp(v), lang) for v in table["created_at"]],
        tr("By", lang): table["created_by"],
        tr("Last sent (WIB)", lang): [never if pd.isna(v) else fmt.moment(pd.Timestamp(v), lang) for v in table["last_sent_at"]]})
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(tr("Sent by the daily timer (python -m reports run-due): monthly on the first run of a month, weekly on the first run of a week; an alert once when an agency turns at risk.", lang))
    with st.form("subscription_add", clear_on_submit=True):
        address = st.text_input(tr("E-mail address", lang))
        left, middle, right = st.columns(3)
        report = left.selectbox(tr("Report", lang), [None, *agencies], format_func=lambda s: province if s is None else s)
        frequency = middle.selectbox(tr("Frequency", lang), delivery.FREQUENCIES,
                                     format_func=lambda f: tr("monthly", lang) if f == "monthly" else tr("weekly", lang))
        language = right.selectbox(tr("Language", lang), delivery.LANGS)
        alerts = st.checkbox(tr("Also an alert when an agency turns at risk", lang), value=True)
        if st.form_submit_button(tr("Save subscription", lang)):
            _change(path, lambda con: delivery.subscribe(con, address, report, frequency, lang=language, alerts=alerts,
                                                         by=acting_username()),
                    f"subscribe {address} to {report or 'province'} ({frequency}, {language}, alerts={alerts})", lang)
    if not table.empty:
        keys = list(zip(table["address"], table["skpd"]))
        chosen = st.selectbox(tr("Subscription", lang), keys, format_func=lambda k: f"{k[0]} · {k[1] or province}")
        if st.button(tr("Remove subscription", lang)):
            _change(path, lambda con: delivery.unsubscribe(con, chosen[0], chosen[1]),
                    f"unsubscribe {chosen[0]} from {chosen[1] or 'province'}", lang)


def _change(path: str, change, detail: str, lang: str) -> None:
    try:
        with writing(path) as con:
            change(con)
    except (ValueError, DatabaseBusy) as problem:
        st.error(md(problem))
        return
    record_event(path, acting_username(), "subscribe", detail)
    st.success(tr("Saved.", lang))
    st.rerun()



