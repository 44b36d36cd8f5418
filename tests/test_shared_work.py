"""Work shared between sessions and not done for nothing: the cache key is read without
opening the database and changes with every write; download files are made only when
asked for."""
from __future__ import annotations


import pytest
from streamlit.testing.v1 import AppTest

from data.ops.audit import record_event
from data.store.connection import connect, data_stamp
from tests.conftest import REPO, logged_in

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def db(field_db_copy):
    return field_db_copy


def test_the_cache_key_changes_with_an_import_and_not_with_reads_or_logins(db, tmp_path):
    from data.ingest import ingest_file
    before = data_stamp(db)
    with connect(db, read_only=True) as con:
        con.execute("SELECT count(*) FROM access_event").fetchall()
    record_event(db, "ani", "login", "local")
    assert data_stamp(db) == before
    log = tmp_path / "log_akses.csv"
    log.write_text("Waktu Akses,NIP,ID Aset,Aktivitas\n2026-06-01 08:00:00,198703102010012001,AP-2026-00001,Unduh\n",
                   encoding="utf-8")
    assert ingest_file(log, db=db, imported_by="sari").status == "imported"
    assert data_stamp(db) != before


def test_no_download_file_is_made_on_a_page_view(db, monkeypatch):
    import dashboard.components.report_xlsx as report_xlsx
    import dashboard.components.tables as tables
    made = []
    for module, name in ((tables, "frame_to_csv"), (tables, "frames_to_xlsx"), (report_xlsx, "frames_to_xlsx")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: (made.append(_name), _real(*a, **k))[1])
    at = logged_in(AppTest.from_file(APP, default_timeout=120), "pusdatin").run()
    assert not at.exception and at.metric                         # Ringkasan drawn
    buttons = at.get("download_button")
    assert len(buttons) >= 3
    assert all(b.proto.HasField("deferred_file_id") for b in buttons)   # made when clicked
    assert made == []
