"""Every command on a database it cannot use: one line on stderr, exit 2, no traceback, the
file untouched (issue #15): a file that is not a DuckDB database, a read-only database
for the commands that write, and a read-only command pointed at no file at all."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from data import admin, erase, ingest, undo
from metrics import award, report

QUIRKS = Path(__file__).parent / "fixtures" / "import_quirks"
ROSTER = QUIRKS / "csv_utf8_with_bom.csv"          # a roster of 2 employees
NIP1 = "198503302010012001"
NOT_DUCKDB = {
    "garbage": bytes(range(256)) * 40,
    "text": b"this is not a database\n",
    "empty": b"",
    "sqlite": b"SQLite format 3\x00" + b"\x00" * 4080,
    "truncated_duckdb_header": None,                 # the first 100 bytes of a real DuckDB file
}
# (name, main, argv after --db): every command that takes --db
COMMANDS = [
    ("admin check", admin.main, ["check"]),
    ("admin freshness", admin.main, ["freshness"]),
    ("award", award.main, ["--year", "2026"]),
    ("report", report.main, ["--year", "2026"]),
    ("undo", undo.main, ["1"]),
    ("erase", erase.main, [NIP1]),
    ("ingest", ingest.main, [str(ROSTER)]),
]
WRITERS = [c for c in COMMANDS if c[0] in ("undo", "erase", "ingest")]


@pytest.fixture(autouse=True)
def _keep_umask():
    """The commands set umask 077 for their process; the test process gets its own back."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


@pytest.fixture
def small_db(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(tmp_path / "nip.key"))
    db = tmp_path / "small.duckdb"
    assert ingest.main([str(ROSTER), "--db", str(db)]) == 0
    return db


def _run(main, argv: list[str], db: Path, capsys) -> tuple[int, str]:
    """(exit code, stderr without the key=value log lines ``ts=...``)."""
    capsys.readouterr()
    code = main(argv[:1] + ["--db", str(db)] + argv[1:] if main is admin.main else argv + ["--db", str(db)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, "".join(line for line in err.splitlines(keepends=True) if not line.startswith("ts="))


@pytest.mark.parametrize("kind", list(NOT_DUCKDB))
@pytest.mark.parametrize("name,main,argv", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_file_that_is_not_duckdb_gives_one_line_and_exit_2(tmp_path, monkeypatch, capsys, small_db, kind, name, main, argv):
    content = NOT_DUCKDB[kind] if NOT_DUCKDB[kind] is not None else small_db.read_bytes()[:100]
    bad = tmp_path / f"{kind}.duckdb"
    bad.write_bytes(content)
    code, err = _run(main, argv, bad, capsys)
    assert code == 2 and len(err.splitlines()) == 1
    if kind == "truncated_duckdb_header":
        assert f"{bad} is a damaged DuckDB database (truncated or corrupt); restore a backup" in err
    else:
        assert f"{bad} is not a DuckDB database (a KM dashboard database file is needed)" in err
    assert bad.read_bytes() == content                 # left as it was
    assert not Path(f"{bad}.wal").exists()


@pytest.mark.parametrize("name,main,argv", [c for c in COMMANDS if c[0] not in ("undo", "erase", "ingest")],
                         ids=[c[0] for c in COMMANDS if c[0] not in ("undo", "erase", "ingest")])
def test_a_reading_command_on_no_file_says_so_and_creates_none(tmp_path, capsys, name, main, argv):
    missing = tmp_path / "nothing.duckdb"
    code, err = _run(main, argv, missing, capsys)
    assert code == 2 and len(err.splitlines()) == 1 and str(missing) in err
    assert not missing.exists()


def _make_read_only(path: Path) -> None:
    """The file cannot be opened for writing, for root too (immutable attribute)."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True) if shutil.which("chattr") else None
    if done is None or done.returncode != 0:
        pytest.skip("running as root where chattr +i is not permitted: no way to make a file read-only for root")


def _make_writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o600)


@pytest.mark.parametrize("name,main,argv", WRITERS, ids=[c[0] for c in WRITERS])
def test_a_read_only_database_refuses_a_writing_command_in_one_line(small_db, capsys, name, main, argv):
    other_roster = QUIRKS / "nbsp_and_odd_case_headers.csv"
    argv = [str(other_roster)] if name == "ingest" else argv
    before = small_db.read_bytes()
    _make_read_only(small_db)
    try:
        code, err = _run(main, argv, small_db, capsys)
    finally:
        _make_writable(small_db)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 and f"{small_db} cannot be written: " in lines[0]
    assert small_db.read_bytes() == before


def test_a_read_only_database_still_serves_the_reading_commands(small_db, capsys):
    _make_read_only(small_db)
    try:
        assert admin.main(["check", "--db", str(small_db)]) == 0
        assert report.main(["--year", "2026", "--db", str(small_db)]) == 0
    finally:
        _make_writable(small_db)
