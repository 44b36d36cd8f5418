"""Data coverage (``metrics.coverage``) on the hand-made store of ``tests/fixtures/metrics_core/``."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from data.store.aggregates import rebuild_counted
from data.store.connection import connect
from metrics.coverage import coverage
from metrics.kpi import overall_kpis

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)


@pytest.fixture(scope="module", params=["aggregate", "raw", "counted", "counted-by-month"])
def core_db(request, tmp_path_factory) -> Path:
    """The store read four ways: ``use_month``; raw events; as an import leaves it (``use_month_counted``,
    the year's ``use_year_nip`` and ``use_year_all``); and as a store made before the year tables
    (``use_month`` and ``use_month_counted`` summed by month)."""
    path = world.build(tmp_path_factory.mktemp("cov") / "core.duckdb", aggregate=request.param == "aggregate")
    if request.param.startswith("counted"):
        with connect(path) as con:
            rebuild_counted(con)
            if request.param == "counted-by-month":
                con.execute("DROP TABLE use_year_all")
                con.execute("DROP TABLE use_year_nip")
    return path


@pytest.fixture
def cov(core_db) -> dict:
    """``coverage`` of 2026, computed for each test (so mutation testing maps it to every test reading it)."""
    with connect(core_db, read_only=True) as con:
        return coverage(con, 2026)


def test_left_out_uses_by_cause(cov):
    # counted: Dinkes K1 x2, K2, K3 = 4; Disdik 3; Bapenda 1 -> 8. Stranger 11 Jan: unknown NIP; K4 on AP-9: unknown
    # asset. Rejected rows of 2026: one guest (missing NIP) and one 5-digit NIP written in two files (counts once).
    assert cov["left_out_uses"] == {"missing_nip": 1, "bad_nip": 1, "unknown_nip": 1, "unknown_asset": 1, "counted": 8}


def test_sources_give_newest_import_and_data_dates(cov):
    by_kind = {s["kind"]: s for s in cov["sources"]}
    assert by_kind["access_log"]["newest_file"] == "log_2026-03.csv" and by_kind["access_log"]["imports"] == 2
    # the 2025-12-31 row is outside 2026; first 2026 row 10 Jan, last 1 Apr
    assert (by_kind["access_log"]["data_from"], by_kind["access_log"]["data_to"]) == ("2026-01-10", "2026-04-01")
    assert by_kind["headcount"]["data_from"] == "2026-06-30"


def test_every_kpi_names_export_kinds_the_importer_knows(cov):
    from data.intake.kinds import KIND_BY_NAME
    assert {"utilisation_rate", "participation_rate", "asset_users", "assets_published"} <= set(cov["kpi_sources"])
    assert {k for kinds in cov["kpi_sources"].values() for k in kinds} <= set(KIND_BY_NAME)


# The table each export kind is stored in; emptying it shows whether a KPI rests on that kind.
_TABLE = {"access_log": "access_event", "roster": "employee", "aset": "aset", "headcount": "headcount",
          "attendance": "attendance", "activity": "activity", "maturity": "maturity"}


@pytest.mark.parametrize("kind", sorted(_TABLE))
def test_the_utilisation_rate_changes_exactly_when_a_kind_it_names_is_missing(kind, tmp_path):
    # the store: 7 users of 11 employees -> 7/11. Without the events, the roster or the register nobody counts
    # (0/11); without the recap the rate is undefined (None); the other kinds do not move it.
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db, read_only=True) as con:
        named = coverage(con, 2026)["kpi_sources"]["utilisation_rate"]
    with connect(db) as con:
        con.execute(f"DELETE FROM {_TABLE[kind]}")
    with connect(db, read_only=True) as con:
        rate = overall_kpis(con, 2026)["utilisation_rate"]
    expected = {"access_log": 0.0, "roster": 0.0, "aset": 0.0, "headcount": None}.get(kind, pytest.approx(7 / 11))
    assert rate == expected
    assert (kind in named) == (rate != pytest.approx(7 / 11))       # named as a source exactly when it matters


def test_the_activity_register_names_the_meeting_days_of_the_year(field_db):
    """The field register's 2026 meetings run from 2 January to 24 November 2026 (column
    *Tanggal Kegiatan* of rekap_kegiatan_cop.xlsx, 204 rows dated 2026, read with openpyxl);
    the coverage table showed '–' for it."""
    with connect(field_db, read_only=True) as con:
        by_kind = {s["kind"]: s for s in coverage(con, 2026)["sources"]}
    assert (by_kind["activity"]["data_from"], by_kind["activity"]["data_to"]) == ("2026-01-02", "2026-11-24")


def test_every_loaded_kind_gives_its_newest_import_and_the_days_of_the_year_it_holds(tmp_path):
    # the store's imports (world.py: loaded 1 May 2026 at 08:00 + the import id in hours) and two added here:
    # 6 a meeting register (meetings 20 Dec 2025, 3 Feb, 24 Nov 2026, 2 Jan 2027) and 7 an attendance file
    # (31 Dec 2025, 15 Jan, 1 Mar 2026); only the days in 2026 count. The roster has no days.
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db) as con:
        for import_id, name, kind in [(6, "rekap_kegiatan.xlsx", "activity"), (7, "hadir.xlsx", "attendance")]:
            con.execute("INSERT INTO import_log (import_id, file_name, content_sha256, kind, file_format, sheet, header_row, "
                        "imported_at, imported_by, rows_read, rows_loaded, rows_duplicate, rows_rejected, rows_replaced, "
                        "status, notes) VALUES (?, ?, '', ?, 'xlsx', 'Sheet1', 1, TIMESTAMP '2026-05-01 08:00' + INTERVAL (?) HOUR, "
                        "'test', 0, 0, 0, 0, 0, 'loaded', '')", [import_id, name, kind, import_id])
        for day in ["2025-12-20", "2026-02-03", "2026-11-24", "2027-01-02"]:
            con.execute("INSERT INTO activity VALUES ('cop sehat', 'Dinas Kesehatan', 'Rapat', ?, ?, NULL, true, NULL, 3, 6, 0, NULL)",
                        [f"rapat {day}", day])
        for day in ["2025-12-31", "2026-01-15", "2026-03-01"]:
            con.execute("INSERT INTO attendance VALUES ('198001012005011001', 'cop sehat', 'Rapat', ?, ?, 'Peserta', NULL, NULL, "
                        "NULL, 7, 0)", [f"rapat {day}", day])
        got = coverage(con, 2026)["sources"]
    assert got == [
        {"kind": "access_log", "newest_file": "log_2026-03.csv", "newest_import_at": "2026-05-01T12:00:00", "imports": 2,
         "data_from": "2026-01-10", "data_to": "2026-04-01"},
        {"kind": "activity", "newest_file": "rekap_kegiatan.xlsx", "newest_import_at": "2026-05-01T14:00:00", "imports": 1,
         "data_from": "2026-02-03", "data_to": "2026-11-24"},
        {"kind": "aset", "newest_file": "aset.csv", "newest_import_at": "2026-05-01T13:00:00", "imports": 1,
         "data_from": "2026-01-05", "data_to": "2026-01-06"},
        {"kind": "attendance", "newest_file": "hadir.xlsx", "newest_import_at": "2026-05-01T15:00:00", "imports": 1,
         "data_from": "2026-01-15", "data_to": "2026-03-01"},
        {"kind": "headcount", "newest_file": "rekap.csv", "newest_import_at": "2026-05-01T09:00:00", "imports": 1,
         "data_from": "2026-06-30", "data_to": "2026-06-30"},
        {"kind": "roster", "newest_file": "pegawai.csv", "newest_import_at": "2026-05-01T10:00:00", "imports": 1,
         "data_from": None, "data_to": None}]
