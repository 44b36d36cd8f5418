"""Undo an import (Data & impor): each loaded import listed with its date (WIB), user, kind
and counts; the outcome in words; afterwards the choice is cleared and "I am sure" unticked.
The undo itself is ``data.undo.undo_import``."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access import acting_username
from dashboard.components import format as fmt
from dashboard.components.escape import md
from dashboard.components.i18n import tr
from dashboard.components.import_text import file_name, kind_name, message
from dashboard.state import db_path, writing
from data.errors import DatabaseBusy
from data.undo import UndoRefused, undo_import

CHOICE_KEY, SURE_KEY, OUTCOME_KEY = "undo_choice", "undo_sure", "undo_outcome"


def choice_label(row: pd.Series, lang: str) -> str:
    """``#30 · 2026-12-06 14:05 WIB · sari · roster · daftar_pegawai.csv · 6.953 loaded, 12.116 replaced``."""
    counts = tr("{loaded} loaded, {replaced} replaced", lang).format(
        loaded=fmt.num(row["rows_loaded"], lang), replaced=fmt.num(row["rows_replaced"], lang))
    return (f"#{row['import_id']} · {fmt.moment(pd.Timestamp(row['imported_at']), lang)} WIB · {row['imported_by']} · "
            f"{kind_name(row['kind'], lang)} · {file_name(row['file_name'], lang)} · {counts}")


def outcome_text(done: dict, lang: str) -> str:
    """The undo's outcome in words (rows removed, earlier rows brought back)."""
    return tr("Import #{id} ({file}) undone: {removed} rows removed, {restored} earlier rows brought back.", lang).format(
        id=done["import_id"], file=md(file_name(done["file_name"], lang)), removed=fmt.num(done["rows_removed"], lang),
        restored=fmt.num(done["rows_restored"], lang))


def _undo(lang: str) -> None:
    """Button callback: undo the chosen import, keep the outcome for the next run, reset the form."""
    try:
        with writing(db_path()) as con:
            done = undo_import(con, int(st.session_state[CHOICE_KEY]), user=acting_username())
        st.session_state[OUTCOME_KEY] = ("success", outcome_text(done, lang), done.get("warning"))
    except (UndoRefused, DatabaseBusy) as problem:
        st.session_state[OUTCOME_KEY] = ("error", md(message(str(problem), lang)), None)
    st.session_state[CHOICE_KEY] = None
    st.session_state[SURE_KEY] = False


def render_undo(history: pd.DataFrame, lang: str) -> None:
    """The undo form over ``metrics.imports.import_history`` (only ``loaded`` imports are offered)."""
    loaded = history[history["status"] == "loaded"].set_index("import_id", drop=False)
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if outcome is not None:
        kind, text, warning = outcome
        (st.success if kind == "success" else st.error)(text)
        if warning:
            st.warning(md(message(warning, lang)))
    empty = tr("Choose an import", lang) if len(loaded) else tr("No import to undo", lang)
    choice = st.selectbox(tr("Import", lang), loaded.index.tolist(), index=None, key=CHOICE_KEY, placeholder=empty,
                          format_func=lambda i: choice_label(loaded.loc[i], lang))
    sure = st.checkbox(tr("I am sure: remove every row of this import", lang), key=SURE_KEY)
    st.button(tr("Undo this import", lang), disabled=not (sure and choice), on_click=_undo, args=(lang,))
