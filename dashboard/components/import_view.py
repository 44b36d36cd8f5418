"""The import page's pieces: previews of uploaded files and the accounting of what each
import did, with page texts in both languages."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from dashboard.components.escape import md
from dashboard.components.i18n import tr
from data.ingest import WARNING, FileResult, Preview


RESULT_LABELS = {
    "file": {"id": "Berkas", "en": "File"}, "status": {"id": "Status", "en": "Status"},
    "kind": {"id": "Jenis", "en": "Kind"}, "sheet": {"id": "Lembar", "en": "Sheet"},
    "header_row": {"id": "Baris judul", "en": "Header row"}, "rows_read": {"id": "Dibaca", "en": "Read"},
    "rows_loaded": {"id": "Dimuat", "en": "Loaded"}, "rows_duplicate": {"id": "Duplikat", "en": "Duplicate"},
    "rows_rejected": {"id": "Ditolak", "en": "Rejected"}, "rows_replaced": {"id": "Diganti", "en": "Replaced"},
    "reason": {"id": "Alasan", "en": "Reason"},
}
STATUS_WORDS = {"imported": {"id": "✔ diimpor", "en": "✔ imported"},
                "already_imported": {"id": "= sudah pernah diimpor", "en": "= already imported"},
                "refused": {"id": "✖ ditolak", "en": "✖ refused"},
                "held_back": {"id": "⏸ ditahan", "en": "⏸ held back"}}


def show_preview(preview: Preview, lang: str) -> None:
    """One uploaded file as the importer sees it: kind, sheet, header row, mapping, sample."""
    with st.expander(f"{tr('Preview', lang)}: {md(preview.file)}", expanded=preview.reason is not None):
        if preview.reason:
            st.error(f"{tr('This file would be refused', lang)}: {md(preview.reason)}")
            return
        st.write(f"**{tr('Detected kind', lang)}:** {md(preview.kind_label)} (`{preview.kind}`, {md(preview.file_format)}) · "
                 f"**{tr('Sheet', lang)}:** {md(preview.sheet or '-')} · **{tr('Header row', lang)}:** {preview.header_row}")
        mapping = pd.DataFrame(list(preview.columns.items()), columns=["kolom", "judul di berkas"])
        st.caption(tr("Column mapping", lang))
        st.dataframe(mapping, hide_index=True)
        if preview.sample:
            st.dataframe(pd.DataFrame(preview.sample, columns=_column_names(preview)), hide_index=True)
        for note in preview.notes:
            st.caption(f"ℹ {md(note)}")


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
    frame["status"] = [STATUS_WORDS[s][lang] for s in frame["status"]]
    frame["header_row"] = frame["header_row"].astype("Int64")    # whole numbers, even beside a refused file's blank
    frame = frame.astype(object).where(frame.notna(), "")   # a refused file has no kind, sheet or header row
    return frame.rename(columns={k: v[lang] for k, v in RESULT_LABELS.items()})


def show_result_notes(results: list[FileResult]) -> None:
    """Each file's notes under the accounting; a warning (a snapshot mostly rejected, an
    older snapshot that is no longer current) stands out."""
    for r in results:
        for note in r.notes:
            (st.warning if note.startswith(WARNING) else st.caption)(f"{md(r.file)}: {md(note)}")


def confirm_held_back(results: list[FileResult], lang: str) -> list[str]:
    """For snapshots held back (far smaller than what they would replace): the reason, a
    confirmation box and a button. Returns the names of the files to import anyway (empty
    until the person ticks the box and presses the button)."""
    held = [r for r in results if r.status == "held_back"]
    if not held:
        return []
    for r in held:
        st.warning(f"{md(r.file)}: {md(r.reason or '')}")
    sure = st.checkbox({"id": "Ya, daftar ini lengkap: ganti data yang tersimpan",
                        "en": "Yes, this list is whole: replace the stored data"}[lang], key="confirm_shrink")
    pressed = st.button({"id": "Impor file yang ditahan", "en": "Import the held-back files"}[lang],
                        disabled=not sure, key="import_held")
    return [r.file for r in held] if sure and pressed else []


def freshness_table(freshness: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Newest import per source (``metrics.imports.source_freshness``) as display text."""
    never = {"id": "belum pernah", "en": "never"}[lang]
    return pd.DataFrame({
        {"id": "Sumber", "en": "Source"}[lang]: freshness["label"],
        {"id": "Impor terbaru (WIB)", "en": "Newest import (WIB)"}[lang]:
            [never if pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d %H:%M}" for v in freshness["newest_import"]],
        {"id": "Jumlah impor", "en": "Imports"}[lang]: freshness["imports"],
    })
