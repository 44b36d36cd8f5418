"""The import page's pieces: previews of uploaded files and the accounting of what each
import did, with page texts in both languages."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from dashboard.components.escape import md
from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from dashboard.components.import_text import column_name, kind_name, message, reason_name
from data.ingest import WARNING, FileResult, Preview


RESULT_LABELS = {"file": N_("File"), "status": N_("Status"), "kind": N_("Kind"), "sheet": N_("Sheet"),
                 "header_row": N_("Header row"), "rows_read": N_("Read"), "rows_loaded": N_("Loaded"),
                 "rows_duplicate": N_("Duplicate"), "rows_rejected": N_("Rejected"), "rows_replaced": N_("Replaced"),
                 "reason": N_("Reason")}
COUNT_COLUMNS = ("rows_read", "rows_loaded", "rows_duplicate", "rows_rejected", "rows_replaced")
STATUS_WORDS = {"imported": N_("✔ imported"), "already_imported": N_("= already imported"), "refused": N_("✖ refused"),
                "held_back": N_("⚠ held back")}     # glyphs the pages' fonts hold (⏸ drew as a box)


def show_preview(preview: Preview, lang: str) -> None:
    """One uploaded file as the importer sees it: kind, sheet, header row, mapping, sample."""
    with st.expander(f"{tr('Preview', lang)}: {md(preview.file)}", expanded=preview.reason is not None):
        if preview.reason:
            st.error(refusal_text(preview, lang))
            return
        st.write(f"**{tr('Detected kind', lang)}:** {md(kind_name(preview.kind, lang))} (`{preview.kind}`, {md(preview.file_format)}) · "
                 f"**{tr('Sheet', lang)}:** {md(preview.sheet or '-')} · **{tr('Header row', lang)}:** {preview.header_row}")
        st.caption(tr("Column mapping", lang))
        st.dataframe(mapping_table(preview, lang), hide_index=True)
        if preview.sample:
            st.dataframe(pd.DataFrame(preview.sample, columns=_column_names(preview)), hide_index=True)
        for note in preview.notes:
            st.caption(f"ℹ {md(message(note, lang))}")


def refusal_text(preview: Preview, lang: str) -> str:
    """Why the preview says the file would be refused: the importer's message in ``lang``, and
    the reason's label beside its code (``berkas rusak, `broken_file```)."""
    code = preview.reason_code or ""
    label = reason_name(code, lang)
    beside = f" ({md(label)}, `{code}`)" if label != code else f" (`{code}`)" if code else ""
    return f"{tr('This file would be refused', lang)}: {md(message(preview.reason or '', lang))}{beside}"


def mapping_table(preview: Preview, lang: str) -> pd.DataFrame:
    """The preview's column mapping: each column the importer reads, in words (``Waktu akses``,
    not ``event_time``), beside the file's header text it was found under."""
    return pd.DataFrame({tr("Column", lang): [column_name(c, lang) for c in preview.columns],
                         tr("Header in the file", lang): list(preview.columns.values())})


def _column_names(preview: Preview) -> list[str]:
    """The sample's column titles: the file's header texts, made unique; a column without one is named by its letter."""
    width = max(map(len, preview.sample))
    names: list[str] = []
    for i in range(width):
        text = preview.header[i] if i < len(preview.header) and preview.header[i] else _letter(i)
        names.append(text if text not in names else f"{text} ({_letter(i)})")
    return names


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def results_table(results: list[FileResult], lang: str) -> pd.DataFrame:
    """The per-file accounting as display text, labels in the page language."""
    frame = pd.DataFrame([asdict(r) for r in results])[list(RESULT_LABELS)]
    frame["status"] = [tr(STATUS_WORDS[s], lang) for s in frame["status"]]
    frame["kind"] = [kind_name(k, lang) for k in frame["kind"]]
    frame["reason"] = [message(r, lang) if isinstance(r, str) else r for r in frame["reason"]]
    frame["header_row"] = [fmt.num(v, lang) if pd.notna(v) else "" for v in frame["header_row"]]   # 1, never 1.0
    for col in COUNT_COLUMNS:
        frame[col] = [fmt.num(v, lang) for v in frame[col]]
    frame = frame.astype(object).where(frame.notna(), "")   # a refused file has no kind, sheet or header row
    return frame.rename(columns={k: tr(v, lang) for k, v in RESULT_LABELS.items()})


def show_result_notes(results: list[FileResult], lang: str = "id") -> None:
    """Each file's notes under the accounting; a warning (a snapshot mostly rejected, an
    older snapshot that is no longer current) stands out."""
    for r in results:
        for note in r.notes:
            (st.warning if note.startswith(WARNING) else st.caption)(f"{md(r.file)}: {md(message(note, lang))}")


def confirm_held_back(results: list[FileResult], lang: str) -> list[str]:
    """For snapshots held back (far smaller than what they would replace): the reason, a
    confirmation box and a button. Returns the names of the files to import anyway (empty
    until the person ticks the box and presses the button)."""
    held = [r for r in results if r.status == "held_back"]
    if not held:
        return []
    for r in held:
        st.warning(f"{md(r.file)}: {md(message(r.reason or '', lang))}")
    sure = st.checkbox(tr("Yes, this list is whole: replace the stored data", lang), key="confirm_shrink")
    pressed = st.button(tr("Import the held-back files", lang), disabled=not sure, key="import_held")
    return [r.file for r in held] if sure and pressed else []


def freshness_table(freshness: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Newest import per source (``metrics.imports.source_freshness``) as display text."""
    never = tr("never", lang)
    return pd.DataFrame({
        tr("Source", lang): [kind_name(k, lang) for k in freshness["kind"]],
        tr("Newest import (WIB)", lang):
            [never if pd.isna(v) else fmt.moment(pd.Timestamp(v), lang) for v in freshness["newest_import"]],
        tr("Imports", lang): [fmt.num(v, lang) for v in freshness["imports"]],
    })
