"""Data & imports (Pusdatin): upload exports, see what each file did, the import
history and every rejected row. Uploads go through ``data.ingest.ingest_file``, the
same code as the command line."""
from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.components.i18n import t
from dashboard.components.tables import download_buttons
from dashboard.state import DatabaseBusy, cached_imports, current_version, lang
from data.ingest import ingest_file
from data.store import db_path

language = lang()
st.title(t("imports", language))

uploads = st.file_uploader(t("upload", language), type=None, accept_multiple_files=True)
if uploads and st.button(t("import_button", language), type="primary"):
    results = []
    progress = st.progress(0.0)
    for i, upload in enumerate(uploads, start=1):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.bin"
            path.write_bytes(upload.getvalue())
            try:
                results.append(asdict(ingest_file(path, db=db_path(), display_name=upload.name)))
            except DatabaseBusy:
                st.error(t("db_busy", language))
                break
        progress.progress(i / len(uploads))
    if results:
        shown = pd.DataFrame(results)[["file", "status", "kind", "sheet", "header_row", "rows_read", "rows_loaded",
                                       "rows_duplicate", "rows_rejected", "rows_replaced", "reason"]]
        st.dataframe(shown, hide_index=True, width="stretch")
        for r in results:
            for note in r["notes"]:
                st.caption(f"{r['file']}: {note}")

try:
    path, version = current_version()
    history, rejected = cached_imports(path, version)
except DatabaseBusy:
    st.warning(t("db_busy", language))
    st.stop()
st.subheader(t("import_history", language))
st.dataframe(history, hide_index=True, width="stretch")
st.subheader(f"{t('rejected_rows', language)} ({len(rejected)})")
st.dataframe(rejected, hide_index=True, width="stretch")
download_buttons(rejected, "baris_ditolak", language)
