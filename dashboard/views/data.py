"""Data & impor (Pusdatin): upload exports with a preview, see what each file did and
every rejected row, undo an import, and see how fresh each source is. Uploads go
through ``data.ingest`` - the same code as the command line."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.i18n import tr
from dashboard.components.import_tables import audit_table, history_table, rejected_table, unknown_table
from dashboard.components.import_view import (confirm_held_back, freshness_table, results_table, show_preview,
                                              show_result_notes)
from dashboard.components.subscriptions_editor import render_subscriptions_editor
from dashboard.components.targets_editor import render_targets_editor
from dashboard.components.undo_view import render_undo
from dashboard.components.tables import download_buttons
from dashboard.state import (CACHE_ENTRIES, CACHE_TTL_S, DatabaseBusy, cached_audit, cached_imports, current_version,
                             db_path, is_demo, lang)
from dashboard.access import acting_username, require_page, sees_personal_data
from data.ingest import ingest_file, preview_file

UPLOADER_CSS = "<style>[data-testid='stFileUploaderDropzoneInstructions'] { display: none; }</style>"
UPLOAD_LIMIT_MB = st.get_option("server.maxUploadSize")
REJECTED_SHOWN = 500        # rejected rows drawn on the page (newest import first)

language = lang()
require_page("data", language)
st.title(tr("Data & imports", language))


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def newest_rejected(path: str, version: str, language: str, personal: bool):
    """The newest ``REJECTED_SHOWN`` rejected rows as drawn (translated once per data version,
    language and whether the cells with NIPs are shown, not on every view)."""
    rejected = cached_imports(path, version)[1].head(REJECTED_SHOWN)
    return rejected_table(rejected if personal else rejected.drop(columns=["value", "raw_row"]), language)


def _saved(upload, folder: str) -> Path:
    path = Path(folder) / f"{len(os.listdir(folder))}.upload"
    path.write_bytes(upload.getvalue())
    return path


def _import(uploads, allow_shrink: bool = False) -> None:
    results, progress = [], st.progress(0.0)
    with tempfile.TemporaryDirectory() as folder:
        for i, upload in enumerate(uploads, start=1):
            progress.progress((i - 1) / len(uploads), text=upload.name)
            try:
                results.append(ingest_file(_saved(upload, folder), db=db_path(), display_name=upload.name,
                                           imported_by=acting_username(), allow_shrink=allow_shrink))
            except DatabaseBusy:
                st.error(tr("The database is busy with an import; try again shortly.", language))
                break
    progress.progress(1.0)
    st.session_state["last_import"] = results


if is_demo():          # field data never goes into the demo (data.ingest refuses it too)
    st.warning(tr("This is the demo database: it does not take field data. Import into a real database "
                  "(`python -m data.ingest FILES --db data/kmdash.duckdb`) and serve that with `KMDASH_DB`.", language))
    uploads = None
else:
    # Streamlit draws the uploader's own words (drag-and-drop hint, size limit, button) in English
    # whatever the page language and offers no way to change them: the hint and the limit are
    # hidden and said here in the page's language; the button's word stays Streamlit's.
    st.markdown(UPLOADER_CSS, unsafe_allow_html=True)
    uploads = st.file_uploader(tr("Upload exports (xlsx/csv, several allowed)", language), accept_multiple_files=True,
                               help=tr("Drag the files onto the field or click its button.", language))
    st.caption(tr("At most {mb} MB per file.", language).format(mb=fmt.num(UPLOAD_LIMIT_MB, language)))
if uploads:
    with tempfile.TemporaryDirectory() as folder:
        for upload in uploads:
            show_preview(preview_file(_saved(upload, folder), display_name=upload.name), language)
    if st.button(tr("Import", language), type="primary"):
        _import(uploads)

try:
    path, version = current_version()
    history, rejected, freshness, unknown, zero = cached_imports(path, version)
except DatabaseBusy:
    st.warning(tr("The database is busy with an import; try again shortly.", language))
    st.stop()
if not sees_personal_data():      # a rejected row's cells hold NIPs: only the data office (pusdatin) sees them
    rejected = rejected.drop(columns=["value", "raw_row"])

last = st.session_state.get("last_import")
if last:
    st.subheader(tr("Import results", language))
    st.dataframe(results_table(last, language), hide_index=True, width="stretch")
    show_result_notes(last, language)
    confirmed = confirm_held_back(last, language)
    if confirmed and uploads:
        _import([u for u in uploads if u.name in confirmed], allow_shrink=True)
        st.rerun()
    ids = [r.import_id for r in last if r.status == "imported" and r.rows_rejected]
    mine = rejected[rejected["import_id"].isin(ids)]
    if not mine.empty:
        shown = rejected_table(mine, language)
        st.dataframe(shown, hide_index=True, width="stretch")
        download_buttons(shown, "baris_ditolak_impor_ini", language, key="last")

st.subheader(tr("Source freshness", language))
st.dataframe(freshness_table(freshness, language), hide_index=True, width="stretch")
st.subheader(tr("Import history", language))
history_shown = history_table(history, language)
st.dataframe(history_shown, hide_index=True, width="stretch")
download_buttons(history_shown, "riwayat_impor", language)
st.subheader(f"{tr('Rejected rows', language)} ({fmt.num(len(rejected), language)})")
if ((history["status"] == "undone") & (history["rows_rejected"] > 0)).any():   # in no figure: they explain none
    st.caption(tr("Rows of undone imports are not listed (the import history keeps their counts).", language))
if len(rejected) > REJECTED_SHOWN:    # the page shows the newest; the downloads (made on click) hold them all
    st.caption(tr("The newest {shown} of {total} rows are shown; the downloads hold them all.", language).format(
        shown=fmt.num(REJECTED_SHOWN, language), total=fmt.num(len(rejected), language)))
st.dataframe(newest_rejected(path, version, language, "value" in rejected.columns), hide_index=True, width="stretch")
download_buttons(lambda: rejected_table(rejected, language), "baris_ditolak", language)

if not unknown.empty:
    st.subheader(tr("Unknown agency names", language))
    st.caption(tr("Never merged automatically. If a name is an agency, add it as an alias in data/reference/perangkat_daerah.csv and import the file again.", language))
    st.dataframe(unknown_table(unknown, language), hide_index=True, width="stretch")

if not zero.empty:
    st.subheader(tr("Agencies with a headcount of 0", language))
    st.caption(tr("Their rates are undefined (n/a) and they are left out of the agencies at target, but their users "
                  "still count in the province's figures. If the 0 is wrong, correct it under Targets and headcounts.",
                  language))
    st.dataframe({tr("Recap dated", language): [fmt.day(d, language) for d in zero["as_of"]],
                  tr("Agency", language): zero["skpd"]}, hide_index=True, width="stretch")

with st.expander(tr("Targets and headcounts (change log)", language)):
    render_targets_editor(path, language)

with st.expander(tr("Report subscriptions (e-mail)", language)):
    render_subscriptions_editor(path, language)

with st.expander(tr("Audit log (logins, imports, undos, exports)", language)):
    audit = cached_audit(path, version)
    st.dataframe(audit_table(audit, language), hide_index=True, width="stretch")

with st.expander(tr("Undo an import", language), expanded=st.session_state.get("undo_outcome") is not None):
    render_undo(history, language)
