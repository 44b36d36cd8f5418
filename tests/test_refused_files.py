"""Files that must be refused whole (``fixtures/refused/``, made by
``fixtures/import_quirks/make_fixtures.py``): the command line exits 3 with one line
naming the file and the reason, prints no traceback, and leaves a database that
already holds a small import exactly as it was. Time and memory are measured by
``bench/refused_files.py`` (see ``bench/REFUSED.md``), not here.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from data.ingest import ingest_paths, main
from data.store.connection import connect
from metrics.kpi import Scope
from metrics.report import build_report

FIXTURES = Path(__file__).parent / "fixtures"
REFUSED = FIXTURES / "refused"
QUIRKS = FIXTURES / "import_quirks"
BASE_FILES = ["csv_utf8_with_bom.csv", "total_and_jumlah_rows.csv", "several_visible_sheets.xlsx", "english_headers.csv"]

# file -> (reason code, text the reason must hold)
REFUSED_FILES = {
    "random_bytes.xlsx": ("not_a_spreadsheet", "binary data"),
    "pdf_named.xlsx": ("not_a_spreadsheet", "a PDF document"),
    "truncated.xlsx": ("broken_file", "truncated"),
    "empty.csv": ("empty", "empty"),
    "inflating_archive.xlsx": ("unsafe_archive", "over the limit 52,428,800"),  # 50 MiB: 100 x 0.3 MB is less
    "entity_expansion.xlsx": ("unsafe_xml", "xl/workbook.xml declares a DTD"),
}


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    """A database holding a roster, a headcount recap, an asset register and an access log."""
    path = tmp_path_factory.mktemp("refused") / "small.duckdb"
    results = ingest_paths([QUIRKS / name for name in BASE_FILES], db=path)
    assert [r.status for r in results] == ["imported"] * len(BASE_FILES)
    return path


def _state(db: Path) -> tuple[int, str]:
    """(import_log rows, SHA-256 of the 2026 KPI report) of ``db``."""
    with duckdb.connect(str(db), read_only=True) as con:
        imports = con.execute("SELECT count(*) FROM import_log").fetchall()[0][0]
        report = build_report(con, 2026, Scope.province())
    return imports, hashlib.sha256(json.dumps(report, sort_keys=True, default=str).encode()).hexdigest()


def test_small_db_holds_a_report_worth_protecting(small_db):
    with duckdb.connect(str(small_db), read_only=True) as con:
        overall = build_report(con, 2026, Scope.province())["overall"]
    # NIP1 viewed and downloaded AP-2026-00001; NIP2 only liked and commented (not use)
    assert (overall["asset_users"], overall["headcount"]) == (1, 291 + 298 + 360)


@pytest.mark.parametrize("name", sorted(REFUSED_FILES))
def test_refused_file_exits_3_with_one_line_and_leaves_the_database_unchanged(name, small_db, tmp_path, capsys):
    db = tmp_path / "copy.duckdb"
    shutil.copy(small_db, db)
    before_bytes = hashlib.sha256(db.read_bytes()).hexdigest()
    before = _state(db)
    capsys.readouterr()

    code = main([str(REFUSED / name), "--db", str(db)])

    out, err = capsys.readouterr()
    reason_code, text = REFUSED_FILES[name]
    assert code == 3
    assert out.splitlines() == [out.strip()]
    assert out.startswith(f"{name}: REFUSED: ") and out.rstrip().endswith(f"[{reason_code}]")
    assert text in out
    assert "Traceback" not in out + err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before_bytes
    assert _state(db) == before


def test_refused_files_are_small():
    assert {p.name for p in REFUSED.iterdir()} == set(REFUSED_FILES)
    assert all(p.stat().st_size < 400 * 1024 for p in REFUSED.iterdir())


def test_a_refused_file_among_good_ones_does_not_stop_the_others(tmp_path, capsys):
    db = tmp_path / "mixed.duckdb"
    with connect(db):
        pass

    code = main([str(REFUSED / "pdf_named.xlsx"), str(QUIRKS / "csv_utf8_with_bom.csv"), "--db", str(db)])

    out = capsys.readouterr().out
    assert code == 3
    assert "pdf_named.xlsx: REFUSED" in out and "csv_utf8_with_bom.csv: roster (imported) read=2 loaded=2" in out
