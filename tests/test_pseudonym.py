"""Pseudonymous NIPs (``data.store.pseudonym``): a store written with one NIP key refuses an
import made with another, and that import changes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from data.ingest import ingest_file
from data.store.pseudonym import KeyMismatch, pseudonym
from data.store.connection import connect

QUIRKS = Path(__file__).parent / "fixtures" / "import_quirks"
NIP1 = "198503302010012001"
TABLES = ("employee", "access_event", "import_log", "rejected_row", "meta")


def _counts(db: Path) -> dict:
    with connect(db, read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def test_an_import_with_another_nip_key_is_refused_and_changes_nothing(tmp_path, monkeypatch):
    db = tmp_path / "store.duckdb"
    (tmp_path / "a.key").write_text("aa" * 32 + "\n", encoding="ascii")
    (tmp_path / "b.key").write_text("bb" * 32 + "\n", encoding="ascii")
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(tmp_path / "a.key"))
    assert ingest_file(QUIRKS / "csv_utf8_with_bom.csv", db=db).rows_loaded == 2        # roster of 2, under key A
    with connect(db, read_only=True) as con:
        stored = con.execute("SELECT nip FROM employee WHERE nip_plain = ?", [NIP1]).fetchall()[0][0]
    assert stored == pseudonym(NIP1, "aa" * 32)
    before = _counts(db)
    assert before["employee"] == 2 and before["access_event"] == 0

    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(tmp_path / "b.key"))                   # another key file
    with pytest.raises(KeyMismatch, match="not the key this database was written with"):
        ingest_file(QUIRKS / "iso_times_with_and_without_offset.csv", db=db)
    assert _counts(db) == before                                                           # nothing of it stays

    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(tmp_path / "a.key"))                   # the right key again: loads
    assert ingest_file(QUIRKS / "iso_times_with_and_without_offset.csv", db=db).rows_loaded == 4
