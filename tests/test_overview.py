"""The overview page's data (``metrics.overview``) on the hand-made store of
``tests/fixtures/metrics_core/`` (cast in tests/test_grain.py). Hand-worked 2026 rates:
Dinas Pendidikan 3 / 2 = 1.5 (above one), Dinas Kesehatan 3 / 4 = 0.75, Badan Pendapatan
Daerah 1 / 5 = 0.2, Dinas Perhubungan 0 / 0 (undefined); the province 7 / 11. In TW2 only B1
(1 Apr) uses an asset: Bapenda 0.2, Dinkes and Disdik tie at 0.0. Dinkes' own target is set
to 0.8 here (the province's stays 0.5)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import math
from pathlib import Path

import pytest

from data.store.connection import connect, set_meta
from metrics.grain import period_at
from metrics.kpi import Scope
from metrics.overview import available_years, data_version, overview, target_status
from metrics.targets import set_target

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)

BAPENDA, DINKES, DISDIK, DISHUB = "Badan Pendapatan Daerah", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = world.build(tmp_path_factory.mktemp("overview") / "overview.duckdb", aggregate=False)
    with connect(path) as con:
        set_target(con, year=2026, skpd=DINKES, target=0.8, by="test")
    return path


def _overview(store: Path, scope: Scope = Scope(), period=None):
    with connect(store, read_only=True) as con:
        return overview(con, 2026, scope, period=period)


def test_a_rate_at_the_target_meets_it_and_a_missing_rate_is_undefined():
    assert (target_status(0.5), target_status(0.4999999), target_status(0.7, 0.7), target_status(0.69, 0.7)) == (
        "met", "below", "met", "below")
    assert target_status(None) == "undefined" and target_status(float("nan")) == "undefined"


def test_the_overview_judges_each_agency_against_its_own_target(store):
    data = _overview(store)
    table = data.skpd
    # ordered by rate, highest first, the undefined rate last
    assert list(table["skpd"]) == [DISDIK, DINKES, BAPENDA, DISHUB]
    assert list(table["utilisation_target"]) == [0.5, 0.8, 0.5, 0.5]
    # Dinkes 0.75 is below its own 0.8; Disdik 1.5 meets 0.5 and is flagged above one
    assert list(table["target_status"]) == ["met", "below", "below", "undefined"]
    assert list(table["rate_above_one"]) == [True, False, False, False]
    assert (data.skpd_reaching_target, data.skpd_with_rate) == (1, 3)
    assert data.target == 0.5 and data.overall["asset_users"] == 7 and data.overall["headcount"] == 11
    assert list(data.monthly["cumulative_asset_users"]) == [2, 4, 6, 7]
    assert (data.year, data.recap_date, data.is_demo, data.period) == (2026, dt.date(2026, 6, 30), False, None)


def test_an_agencys_overview_has_its_own_target_and_rows(store):
    data = _overview(store, Scope(DINKES))
    assert data.target == 0.8 and list(data.skpd["skpd"]) == [DINKES]
    assert data.overall["asset_users"] == 3 and list(data.monthly["cumulative_asset_users"]) == [2, 2, 3]   # K1 K2, K3


def test_a_quarters_overview_recounts_and_orders_ties_by_name(store):
    tw2 = period_at("quarter", dt.date(2026, 4, 1))
    data = _overview(store, period=tw2)
    # TW2: B1 only -> Bapenda 0.2; Dinkes and Disdik 0.0 by name; Dishub undefined, last
    assert list(data.skpd["skpd"]) == [BAPENDA, DINKES, DISDIK, DISHUB]
    assert list(data.skpd["asset_users"]) == [1, 0, 0, 0] and math.isnan(data.skpd["utilisation_rate"].iloc[3])
    assert (data.skpd_reaching_target, data.skpd_with_rate) == (0, 3)
    assert data.overall["asset_users"] == 1 and list(data.monthly["month"]) == ["2026-04"]
    assert data.period == tw2 and data.recap_date == dt.date(2026, 6, 30)


def test_the_overview_says_when_the_database_is_the_demo(store, tmp_path):
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(store.read_bytes())
    with connect(copy) as con:
        set_meta(con, "is_demo", "true")
    assert _overview(copy).is_demo is True


def test_available_years_are_those_holding_any_data_newest_first(tmp_path):
    path = world.build(tmp_path / "years.duckdb", aggregate=False)
    with connect(path) as con:
        assert available_years(con) == [2026, 2025]          # uses in 2025 (K4, 31 Dec) and 2026; the recap 2026
        con.execute("INSERT INTO attendance VALUES ('198001012005011001', 'cop sehat', 'Rapat', 'rapat', "
                    "DATE '2024-03-01', 'Peserta', NULL, NULL, NULL, 3, 0)")
        con.execute("INSERT INTO activity VALUES ('cop sehat', 'Dinas Kesehatan', 'Rapat', 'rapat', DATE '2023-03-01', "
                    "NULL, true, NULL, NULL, 5, 0, NULL)")
        con.execute("INSERT INTO maturity VALUES ('cop sehat', 'Dinas Kesehatan', 2022, 3, 3, 3, 3, 3, NULL, NULL, NULL, "
                    "5, 0, NULL)")
        con.execute("INSERT INTO headcount VALUES ('Dinas Kesehatan', DATE '2021-12-31', 4, NULL, NULL, 1, 1, NULL)")
        con.execute("INSERT INTO activity VALUES ('cop sehat', 'Dinas Kesehatan', 'Lama', 'lama', DATE '2019-03-01', "
                    "NULL, true, NULL, NULL, 5, 1, 9)")       # replaced: not current
        assert available_years(con) == [2026, 2025, 2024, 2023, 2022, 2021]


def test_the_data_version_changes_with_imports_undos_and_target_changes(tmp_path):
    path = world.build(tmp_path / "version.duckdb", aggregate=False)
    with connect(path) as con:
        first = data_version(con)
        assert first == "5-5-0-0"                       # 5 imports, newest id 5, none undone, no target change
        set_target(con, year=2026, skpd=None, target=0.6, by="test")
        assert data_version(con) == "5-5-0-1"
        con.execute("UPDATE import_log SET status = 'undone' WHERE import_id = 4")
        assert data_version(con) == "5-5-1-1"
        con.execute("DROP TABLE target_change")          # an older store, without the table
        assert data_version(con) == "5-5-1-0"


def test_a_rate_of_exactly_one_is_not_above_one(store):
    # February: Disdik's D1 (1 Feb) and D2 (2 Feb) are its 2 employees: 2 / 2 = 1.0
    data = _overview(store, period=period_at("month", dt.date(2026, 2, 1)))
    disdik = data.skpd.set_index("skpd").loc[DISDIK]
    assert (disdik["utilisation_rate"], disdik["rate_above_one"], disdik["target_status"]) == (1.0, False, "met")


def test_the_agency_table_has_the_kpi_columns_and_its_verdicts(store):
    # skpd_kpis' columns as its docstring lists them, then the overview's three
    assert list(_overview(store).skpd.columns) == [
        "skpd", "kind", "headcount", "asset_users", "use_events", "participants", "assets_published", "utilisation_rate",
        "participation_rate", "utilisation_target", "target_status", "rate_above_one"]


def test_an_agency_outside_the_recap_gets_the_provinces_target_and_no_rows(store):
    data = _overview(store, Scope("Dinas Sosial"))
    assert data.target == 0.5 and data.skpd.empty and (data.skpd_reaching_target, data.skpd_with_rate) == (0, 0)


def test_a_periods_overview_states_the_recap_applying_to_its_end(store, tmp_path):
    copy = tmp_path / "recaps.duckdb"
    copy.write_bytes(store.read_bytes())
    with connect(copy) as con:       # a recap of 31 Mar 2026 beside the 30 Jun one
        con.execute("INSERT INTO headcount VALUES ('Dinas Kesehatan', DATE '2026-03-31', 4, NULL, NULL, 1, 9, NULL)")
    assert _overview(copy, period=period_at("quarter", dt.date(2026, 1, 1))).recap_date == dt.date(2026, 3, 31)
    assert _overview(copy).recap_date == dt.date(2026, 6, 30)


def test_a_period_without_any_data_is_flagged_province_wide(store):
    # the store's 2026 data lies in January-June (uses Jan-Apr, the 30 Jun recap); December
    # holds no use, attendance, meeting or published asset anywhere in the province
    december = _overview(store, period=period_at("month", dt.date(2026, 12, 1)))
    assert december.period_has_data is False
    assert december.overall["asset_users"] == 0
    assert _overview(store, period=period_at("quarter", dt.date(2026, 1, 1))).period_has_data is True
    assert _overview(store).period_has_data is True                                  # the whole year
    # Dinas Perhubungan has no user at all (0 / 0), but the flag is the province's: TW1 holds data
    assert _overview(store, Scope(DISHUB), period=period_at("quarter", dt.date(2026, 1, 1))).period_has_data is True
