"""Pusdatin's editor of utilisation targets and recap headcounts (issue 4), placed by the
/data page with ``render_targets_editor(path, lang)``. Presentation only: it reads and
writes through ``metrics.targets`` (every change is logged there with who and when)."""
from __future__ import annotations

import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.escape import md
from dashboard.components.i18n import tr
from dashboard.components.import_tables import change_log_table, targets_table
from dashboard.components.number_input import decimal_input, text_refused
from dashboard.access import acting_username
from dashboard.state import reading, writing
from metrics.registry import label
from metrics.targets import (TargetError, change_log, editable_choices, recap_headcount, set_headcount, set_target,
                             target_rows)



def _target_form(path, lang: str, choices: dict) -> None:
    with st.form("targets_form"):
        every_year, every_skpd = tr("Every year", lang), tr("Every agency", lang)
        year = st.selectbox(tr("Year", lang), [every_year, *range(2024, 2031)])
        skpd = st.selectbox(tr("Agency", lang), [every_skpd, *choices["skpd"]])
        value = decimal_input(tr("Target (%)", lang), 50.0, lang=lang, key="tg_target", min_value=1.0, max_value=100.0,
                              digits=1)
        note = st.text_input(tr("Note", lang))
        save, remove = st.columns(2)
        saved, removed = save.form_submit_button(tr("Save target", lang)), remove.form_submit_button(tr("Remove target", lang))
    if saved and text_refused("tg_target"):
        st.error(tr("Not saved: the number typed could not be read (see under the field).", lang))
    elif saved or removed:
        _apply(path, lang, lambda con: set_target(con, year=None if year == every_year else int(year),
                                                   skpd=None if skpd == every_skpd else skpd,
                                                   target=value / 100 if saved else None, by=acting_username(), note=note))


def _headcount_form(path, lang: str, choices: dict) -> None:
    """Recap date and agency chosen first, so the field starts at the agency's headcount in
    that recap (never at 0); an unchanged value, unreadable text or an unconfirmed 0 saves
    nothing."""
    if not choices["recap_dates"]:
        return
    st.markdown(f"**{tr('Correct a headcount', lang)}**")
    as_of = st.selectbox(tr("Recap dated", lang), choices["recap_dates"], format_func=lambda d: fmt.day(d, lang),
                         key="hc_as_of")
    skpd = st.selectbox(tr("Agency", lang), choices["skpd"], key="hc_skpd")
    with reading(path) as con:
        current = recap_headcount(con, as_of, skpd)
    now = st.empty()                                   # filled below, after a save, from the store
    key = f"tg_headcount_{as_of}_{skpd}"
    with st.form("headcount_form"):
        headcount = decimal_input(label("headcount", lang), current or 0, lang=lang, key=key, min_value=0, digits=0)
        zero_confirmed = st.checkbox(tr("Confirm a headcount of 0", lang), key="hc_zero")
        note = st.text_input(tr("Note", lang), key="hc_note")
        submitted = st.form_submit_button(tr("Save headcount", lang))
    def change(con):
        set_headcount(con, skpd=skpd, as_of=as_of, headcount=int(headcount), by=acting_username(), note=note)

    if submitted and _save_headcount(path, lang, current, headcount, key=key, zero_confirmed=zero_confirmed,
                                     change=change):
        with reading(path) as con:                     # the saved value, so the line above never lags
            current = recap_headcount(con, as_of, skpd)
    now.caption(tr("In this recap now: {count}", lang).format(count="–" if current is None else fmt.num(current, lang)))


def _save_headcount(path, lang: str, current, headcount, *, key: str, zero_confirmed: bool, change) -> bool:
    """Saves a submitted headcount unless it is unreadable, unchanged or an unconfirmed 0;
    True when it was saved."""
    if text_refused(key):
        st.error(tr("Not saved: the number typed could not be read (see under the field).", lang))
    elif headcount == current:
        st.info(tr("Unchanged: nothing saved.", lang))
    elif headcount == 0 and not zero_confirmed:
        st.warning(tr("Not saved: a headcount of 0 takes the agency out of the rates. Tick “Confirm a headcount of 0” "
                      "if it really has no employees.", lang))
    else:
        return _apply(path, lang, change)
    return False


def _apply(path, lang: str, change) -> bool:
    """Runs ``change`` on the store and says so; True when it was saved."""
    try:
        with writing(path) as con:
            change(con)
    except TargetError as problem:
        st.error(md(problem))
        return False
    st.cache_data.clear()
    st.success(tr("Saved and logged.", lang))
    return True


def render_targets_editor(path, lang: str) -> None:
    """The targets table, a form to set or remove one, a headcount correction form and
    the change history (newest first). ``path`` is the database file."""
    st.subheader(tr("Targets and headcounts", lang))
    st.caption(tr("The most specific applies: (year, agency) > (every year, agency) > (year, every agency) > (every year, every agency) > 50%.", lang))
    with reading(path) as con:
        choices = editable_choices(con)
    _target_form(path, lang, choices)
    _headcount_form(path, lang, choices)
    with reading(path) as con:
        rows, log = target_rows(con), change_log(con, limit=50)
    st.dataframe(targets_table(rows, lang), hide_index=True, width="stretch")
    st.markdown(f"**{tr('Change history', lang)}**")
    st.dataframe(change_log_table(log, lang), hide_index=True, width="stretch")
