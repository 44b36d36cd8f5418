"""Data & impor draws the newest rejected rows only (a Jakarta-scale store holds ~20,000, sent to
the browser on every view before); the heading counts them all and the downloads hold them all."""
from __future__ import annotations

import io

import pandas as pd
from streamlit.testing.v1 import AppTest

from data.store.connection import connect
from tests.conftest import REPO, logged_in
from tests.test_dashboard_pages import served, served_bytes  # noqa: F401 - the fixture

APP = str(REPO / "dashboard" / "app.py")
EXTRA = 600          # rejected rows of one more (newest) import, beside the field samples' 35


def _add_rejected(db) -> int:
    with connect(db) as con:
        newest = con.execute("SELECT max(import_id) FROM import_log").fetchall()[0][0] + 1
        con.execute("INSERT INTO import_log (import_id, file_name, content_sha256, kind, file_format, sheet, header_row, "
                    "imported_at, imported_by, rows_read, rows_loaded, rows_duplicate, rows_rejected, rows_replaced, "
                    "status, notes) VALUES (?, 'log_besar.csv', 'x', 'access_log', 'csv', '', 1, "
                    "TIMESTAMP '2026-12-01 08:00', 'sari', ?, 0, 0, ?, 0, 'loaded', '')", [newest, EXTRA, EXTRA])
        con.execute("INSERT INTO rejected_row SELECT ?, 'log_besar.csv', '', i + 1, 'NIP', 'x', 'bad_nip', "
                    "'NIP is not 18 digits', NULL, 'x' FROM range(1, ?) r(i)", [newest, EXTRA + 1])
        return newest


def test_the_page_draws_the_newest_500_and_the_download_holds_every_row(field_db_copy, served):  # noqa: F811
    newest = _add_rejected(field_db_copy)
    at = logged_in(AppTest.from_file(APP, default_timeout=120), "pusdatin").run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert any(s.value == "Baris ditolak (635)" for s in at.subheader)          # 600 + the samples' 35
    assert any("500 baris terbaru dari 635" in c.value for c in at.caption)
    shown = next(d.value for d in at.dataframe if "Kode alasan" in d.value.columns)
    assert len(shown) == 500
    assert set(shown["Impor"]) == {f"#{newest}"}                               # the newest import's rows
    assert list(shown["Baris"][:3]) == [2, 3, 4]
    button = next(b for b in at.get("download_button") if b.key == "baris_ditolak-csv")
    csv = pd.read_csv(io.BytesIO(served_bytes(served, button)), sep=None, engine="python", dtype=str)
    assert len(csv) == 635


def test_undone_imports_rows_are_left_out_and_row_numbers_download_as_plain_integers(field_db_copy, served):  # noqa: F811
    # found by a fresh-eyes user: an undone import's rejected rows were listed and counted, and the CSV's
    # row number was text with a thousands separator ("4,985" / "4.985")
    with connect(field_db_copy) as con:
        first = con.execute("SELECT max(import_id) FROM import_log").fetchall()[0][0] + 1
        for import_id, status, rows in ((first, "loaded", (4985,)), (first + 1, "undone", (2, 3, 4))):
            con.execute("INSERT INTO import_log (import_id, file_name, content_sha256, kind, file_format, sheet, "
                        "header_row, imported_at, imported_by, rows_read, rows_loaded, rows_duplicate, rows_rejected, "
                        "rows_replaced, status, notes) VALUES (?, 'log.csv', ?, 'access_log', 'csv', '', 1, "
                        "TIMESTAMP '2026-12-01 08:00', 'sari', 5000, 4999, 0, ?, 0, ?, '')",
                        [import_id, f"sha{import_id}", len(rows), status])
            for row in rows:
                con.execute("INSERT INTO rejected_row VALUES (?, 'log.csv', '', ?, 'NIP', 'x', 'bad_nip', "
                            "'NIP is not 18 digits', NULL, 'x')", [import_id, row])
    at = logged_in(AppTest.from_file(APP, default_timeout=120), "pusdatin").run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert any(s.value == "Baris ditolak (36)" for s in at.subheader)     # the samples' 35 + 1 live; the undone 3 out
    assert any("impor yang dibatalkan tidak dicantumkan" in c.value for c in at.caption)
    shown = next(d.value for d in at.dataframe if "Kode alasan" in d.value.columns)
    assert f"#{first + 1}" not in set(shown["Impor"])
    button = next(b for b in at.get("download_button") if b.key == "baris_ditolak-csv")
    csv = pd.read_csv(io.BytesIO(served_bytes(served, button)), sep=None, engine="python", dtype=str,
                      encoding="utf-8-sig")
    assert len(csv) == 36
    assert csv.loc[csv["Impor"] == f"#{first}", "Baris"].tolist() == ["4985"]
