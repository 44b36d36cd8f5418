"""Files holding personal data are readable by their owner only, and the NIP key is never
created by a command that then refuses (issue #15)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dashboard.users import add_user
from data import ingest

QUIRKS = Path(__file__).parent / "fixtures" / "import_quirks"
ROSTER = QUIRKS / "csv_utf8_with_bom.csv"
ANOTHER_ROSTER = QUIRKS / "nbsp_and_odd_case_headers.csv"


@pytest.fixture(autouse=True)
def _umask_022():
    """A usual umask (files 0644) for the test, restored after: the product must not rely on it."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_command_leaves_its_callers_umask_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(tmp_path / "nip.key"))
    ingest.main([str(ROSTER), "--db", str(tmp_path / "kmdash.duckdb")])
    assert os.umask(0o022) == 0o022          # a test or a wrapper running main in-process keeps its own


def test_an_import_creates_the_database_and_the_key_for_the_owner_only(tmp_path, monkeypatch):
    key = tmp_path / "secrets" / "nip.key"
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(key))
    db = tmp_path / "store" / "kmdash.duckdb"
    db.parent.mkdir()
    assert ingest.main([str(ROSTER), "--db", str(db)]) == 0
    assert _mode(db) == 0o600
    assert _mode(key) == 0o600 and _mode(key.parent) == 0o700
    assert [p.name for p in db.parent.iterdir() if _mode(p) & 0o077] == []     # no WAL or other file for others


def test_the_database_is_owner_only_even_when_made_outside_the_commands(tmp_path, monkeypatch):
    from data.store.connection import connect
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(tmp_path / "nip.key"))
    db = tmp_path / "page.duckdb"
    with connect(db):                                    # what the dashboard does on a fresh path
        pass
    assert _mode(db) == 0o600


def test_the_users_file_is_owner_only_from_the_start(tmp_path):
    users = tmp_path / "new" / "users.json"
    add_user("sari", "pusdatin", "kata-sandi-panjang", path=users)
    assert _mode(users) == 0o600 and _mode(users.parent) == 0o700


def test_an_import_refused_for_a_missing_key_creates_no_key(tmp_path, monkeypatch, capsys):
    key = tmp_path / "nip.key"
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(key))
    db = tmp_path / "kmdash.duckdb"
    assert ingest.main([str(ROSTER), "--db", str(db)]) == 0
    key.unlink()                                         # the key was lost (not restored with the database)
    before = db.read_bytes()
    capsys.readouterr()
    assert ingest.main([str(ANOTHER_ROSTER), "--db", str(db)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("ts=")]
    assert len(err) == 1 and f"the NIP key file {key} is missing" in err[0]
    assert not key.exists()                              # no new key was made to be refused with
    assert db.read_bytes() == before


def test_a_refused_file_into_a_new_store_creates_neither_database_nor_key(tmp_path, monkeypatch):
    key = tmp_path / "nip.key"
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(key))
    db = tmp_path / "kmdash.duckdb"
    assert ingest.main([str(QUIRKS.parent / "refused" / "random_bytes.xlsx"), "--db", str(db)]) == 3
    assert not key.exists() and not db.exists()
