"""Utilisation at every grain and period (``metrics.grain``) on the hand-made store of
``tests/fixtures/metrics_core/`` (see its CSV files). The cast, 2026 (WIB):

| agency (kind)               | headcount | employees | counted uses in 2026                        |
|-----------------------------|-----------|-----------|---------------------------------------------|
| Dinas Kesehatan (Dinas)     | 4         | K1-K4     | K1 AP-1 10 Jan + 3 Feb; K2 AP-2 20 Jan;     |
|                             |           |           | K3 AP-1 5 Mar (its 15 Feb like: not a use); |
|                             |           |           | K4 only 2025 and an unlisted asset AP-9     |
| Dinas Pendidikan (Dinas)    | 2         | D1-D3     | D1 1 Feb, D2 2 Feb 23:59, D3 3 Mar (AP-1)   |
| Badan Pendapatan (Badan)    | 5         | B1-B5     | B1 AP-2 1 Apr                               |
| Dinas Perhubungan (Dinas)   | 0         | -         | -                                           |
A stranger (NIP not in the roster) views AP-1 on 11 Jan. CoPs: CoP Sehat owns AP-1,
CoP Pajak owns AP-2. Every test runs on the store with and without the ``use_month`` aggregate.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from data.store.connection import connect
from metrics.grain import PROVINCE, period_at, periods_of_year, skpd_reaching_target, utilisation_by
from metrics.kpi import Scope, overall_kpis, skpd_kpis

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)

DINKES, DISDIK, BAPENDA, DISHUB = "Dinas Kesehatan", "Dinas Pendidikan", "Badan Pendapatan Daerah", "Dinas Perhubungan"
YEAR = period_at("year", dt.date(2026, 1, 1))


@pytest.fixture(scope="module", params=["aggregate", "raw"])
def core_db(request, tmp_path_factory) -> Path:
    """The hand-made store, with (``aggregate``) and without (``raw``) ``use_month``."""
    path = tmp_path_factory.mktemp("core") / f"core_{request.param}.duckdb"
    return world.build(path, aggregate=request.param == "aggregate")


def rows(db: Path, period, grain: str, scope: Scope = Scope()) -> dict:
    with connect(db, read_only=True) as con:
        return {r["grain_value"]: r for r in utilisation_by(con, period, grain, scope).to_dict("records")}


def test_periods_are_wib_calendar_periods():
    assert period_at("quarter", dt.date(2026, 5, 15)).start == dt.date(2026, 4, 1)
    assert period_at("quarter", dt.date(2026, 5, 15)).end == dt.date(2026, 6, 30)
    assert period_at("month", dt.date(2024, 2, 10)).end == dt.date(2024, 2, 29)   # leap year
    assert period_at("ytd", dt.date(2026, 2, 2)).next == dt.date(2026, 2, 3)
    assert [p.label for p in periods_of_year("quarter", 2026)] == ["2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4"]


def test_agency_rates_for_the_year(core_db):
    got = rows(core_db, YEAR, "skpd")
    assert got[DINKES]["asset_users"] == 3 and got[DINKES]["use_events"] == 4        # K1 x2, K2, K3
    assert got[DINKES]["utilisation_rate"] == pytest.approx(3 / 4)
    assert got[BAPENDA]["utilisation_rate"] == pytest.approx(1 / 5)


def test_a_rate_above_one_is_shown_and_flagged(core_db):
    got = rows(core_db, YEAR, "skpd")[DISDIK]                                          # 3 users, headcount 2
    assert got["utilisation_rate"] == pytest.approx(1.5) and got["rate_above_one"] and got["target_met"]


def test_zero_headcount_gives_an_undefined_rate_not_zero(core_db):
    got = rows(core_db, YEAR, "skpd")[DISHUB]
    assert got["headcount"] == 0 and got["utilisation_rate"] != got["utilisation_rate"]   # NaN
    assert got["target_met"] is None or str(got["target_met"]) == "<NA>"


def test_province_rate_is_distinct_users_over_total_headcount(core_db):
    got = rows(core_db, YEAR, "province")[PROVINCE]
    assert (got["headcount"], got["asset_users"]) == (11, 7)                           # 4+2+5+0; K1-3, D1-3, B1
    assert got["utilisation_rate"] == pytest.approx(7 / 11)


def test_kind_grain_sums_headcount_and_recounts_users(core_db):
    got = rows(core_db, YEAR, "kind")
    assert (got["Dinas"]["headcount"], got["Dinas"]["asset_users"]) == (6, 6)           # 4+2+0; K1-3 + D1-3
    assert (got["Badan"]["headcount"], got["Badan"]["asset_users"]) == (5, 1)


def test_cop_grain_counts_users_of_the_cops_assets_without_a_rate(core_db):
    got = rows(core_db, YEAR, "cop")
    assert (got["CoP Sehat"]["asset_users"], got["CoP Sehat"]["use_events"]) == (5, 6)  # K1 x2, K3, D1-3
    assert (got["CoP Pajak"]["asset_users"], got["CoP Pajak"]["use_events"]) == (2, 2)  # K2, B1
    assert got["CoP Sehat"]["utilisation_rate"] != got["CoP Sehat"]["utilisation_rate"]


@pytest.mark.parametrize("period, users", [
    (period_at("quarter", dt.date(2026, 1, 1)), 6),    # TW I: K1, K2, K3, D1, D2, D3
    (period_at("quarter", dt.date(2026, 4, 1)), 1),    # TW II: B1
    (period_at("month", dt.date(2026, 2, 1)), 3),      # Feb: K1, D1, D2 (K3 only liked)
    (period_at("ytd", dt.date(2026, 2, 2)), 4),        # to 2 Feb 23:59:59: K1, K2, D1, D2
    (period_at("ytd", dt.date(2026, 2, 1)), 3),        # to 1 Feb: K1, K2, D1
])
def test_each_period_counts_the_users_inside_it(core_db, period, users):
    assert rows(core_db, period, "province")[PROVINCE]["asset_users"] == users


def test_the_year_at_agency_grain_equals_skpd_kpis(core_db):
    with connect(core_db, read_only=True) as con:
        expected = {r["skpd"]: (r["asset_users"], r["use_events"]) for r in skpd_kpis(con, 2026).to_dict("records")}
    assert {k: (r["asset_users"], r["use_events"]) for k, r in rows(core_db, YEAR, "skpd").items()} == expected


def test_agencies_reaching_target_count_and_share(core_db):
    with connect(core_db, read_only=True) as con:
        got = skpd_reaching_target(con, YEAR)
    assert got["skpd_reaching_target"] == 2                                              # Dinkes 0.75, Disdik 1.5
    assert got["skpd_reaching_target_share"] == pytest.approx(2 / 4)                     # of the 4 in the recap
    assert got["skpd_undefined"] == [DISHUB] and got["skpd_above_one"] == [DISDIK]


def test_agency_scope_sees_only_its_row(core_db):
    assert list(rows(core_db, YEAR, "skpd", Scope(BAPENDA))) == [BAPENDA]


# --- boundaries (issue 19): each test fails when the bug it names is planted (bench/planted_bugs.py) ---

def test_an_agency_and_the_province_at_exactly_the_target_meet_it(core_db, tmp_path):
    # January: Dinkes K1 (10 Jan) and K2 (20 Jan) of headcount 4 -> 2/4 = exactly 0.5, met (not "above only")
    january = rows(core_db, period_at("month", dt.date(2026, 1, 15)), "skpd")[DINKES]
    assert (january["asset_users"], january["headcount"], january["utilisation_rate"]) == (2, 4, 0.5)
    assert bool(january["target_met"]) is True
    with connect(core_db, read_only=True) as con:
        assert skpd_reaching_target(con, period_at("month", dt.date(2026, 1, 15)))["skpd_reaching_target"] == 1
    # The province at exactly 0.5: Dishub's headcount 0 -> 1 makes 4+2+5+1 = 12; TW I users K1-K3, D1-D3 = 6 -> 6/12
    db = world.build(tmp_path / "half.duckdb", aggregate=False)
    with connect(db) as con:
        con.execute("UPDATE headcount SET headcount = 1 WHERE skpd = ?", [DISHUB])
    province = rows(db, period_at("quarter", dt.date(2026, 2, 1)), "province")[PROVINCE]
    assert (province["asset_users"], province["headcount"], province["utilisation_rate"]) == (6, 12, 0.5)
    assert bool(province["target_met"]) is True


@pytest.mark.parametrize("day, label, start, end, province_users", [
    (dt.date(2026, 3, 31), "2026-TW1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), 6),    # March is TW I: K1-K3, D1-D3
    (dt.date(2026, 4, 1), "2026-TW2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), 1),     # April is TW II: B1 (1 Apr)
    (dt.date(2026, 6, 30), "2026-TW2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), 1),
    (dt.date(2026, 12, 31), "2026-TW4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), 0),  # December is TW IV: no use
])
def test_quarter_boundaries_at_the_grain_functions(core_db, day, label, start, end, province_users):
    quarter = period_at("quarter", day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)
    assert rows(core_db, quarter, "province")[PROVINCE]["asset_users"] == province_users


@pytest.mark.parametrize("skpd, expected", [
    # the CoP's users of any agency, but only the scoped agency's CoPs: CoP Pajak (Bapenda) K2 + B1
    (BAPENDA, {"CoP Pajak": (2, 2)}),
    (DINKES, {"CoP Sehat": (5, 6)}),                     # K1 x2, K3, D1-D3
    (DISHUB, {}),                                        # an agency without a CoP sees none
])
def test_agency_scope_at_the_cop_grain_sees_only_its_cops(core_db, skpd, expected):
    got = rows(core_db, YEAR, "cop", Scope(skpd))
    assert {k: (r["asset_users"], r["use_events"]) for k, r in got.items()} == expected


@pytest.mark.parametrize("aggregate", [True, False])
def test_a_use_at_midnight_on_1_january_belongs_to_the_new_year_only(tmp_path, aggregate):
    # K4 (Dinkes, no 2026 use) views AP-1 at 2027-01-01 00:00:00 WIB: a 2027 use, not a 2026 one
    db = world.build(tmp_path / "midnight.duckdb", aggregate=False)
    with connect(db) as con:
        con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                    "VALUES (TIMESTAMP '2027-01-01 00:00:00', '198001012005011004', 'AP-1', 'view', 3)")
        if aggregate:
            from data.store.aggregates import rebuild
            rebuild(con)
    with connect(db, read_only=True) as con:
        by_year = {y: overall_kpis(con, y) for y in (2026, 2027)}
    assert (by_year[2026]["asset_users"], by_year[2026]["use_events"]) == (7, 8)   # as before: K1-K3, D1-D3, B1
    assert (by_year[2027]["asset_users"], by_year[2027]["use_events"]) == (1, 1)   # K4 only
    province_2026 = rows(db, YEAR, "province")[PROVINCE]
    assert (province_2026["asset_users"], province_2026["use_events"]) == (7, 8)
    assert rows(db, YEAR, "skpd")[DINKES]["asset_users"] == 3


@pytest.mark.parametrize("kind, day, label, start, end", [
    ("year", dt.date(2026, 7, 4), "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ("quarter", dt.date(2026, 1, 1), "2026-TW1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("quarter", dt.date(2026, 9, 30), "2026-TW3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    ("quarter", dt.date(2026, 10, 1), "2026-TW4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ("month", dt.date(2026, 12, 31), "2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ("month", dt.date(2026, 2, 1), "2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
    ("ytd", dt.date(2026, 5, 15), "2026-01-01..2026-05-15", dt.date(2026, 1, 1), dt.date(2026, 5, 15)),
])
def test_each_period_kind_has_its_label_start_and_end(kind, day, label, start, end):
    period = period_at(kind, day)
    assert (period.kind, period.label, period.start, period.end, period.year) == (kind, label, start, end, 2026)
    assert period.next == end + dt.timedelta(days=1)


def test_the_periods_of_a_year_in_order():
    assert [(p.kind, p.label) for p in periods_of_year("year", 2026)] == [("year", "2026")]
    months = periods_of_year("month", 2026)
    assert [p.label for p in months] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert [(p.start, p.end) for p in months][::11] == [(dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
                                                        (dt.date(2026, 12, 1), dt.date(2026, 12, 31))]
    assert [(p.start, p.end) for p in periods_of_year("quarter", 2026)] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))]


def test_an_unknown_period_or_grain_is_refused_with_the_choices(core_db):
    with pytest.raises(ValueError, match=r"^unknown period 'week'; one of year, quarter, month, ytd$"):
        period_at("week", dt.date(2026, 1, 1))
    with pytest.raises(ValueError, match=r"^unknown grain 'city'; one of province, kind, skpd, cop$"):
        rows(core_db, YEAR, "city")


def test_each_grain_is_judged_against_its_own_target_for_the_periods_year(tmp_path):
    from metrics.targets import set_target
    db = world.build(tmp_path / "targets.duckdb", aggregate=False)
    with connect(db) as con:
        set_target(con, year=2026, skpd=None, target=0.7, by="uji")        # the province's 2026 target
        set_target(con, year=2026, skpd=DINKES, target=0.8, by="uji")      # Dinkes' own 2026 target
    agencies = rows(db, YEAR, "skpd")
    assert {k: (r["utilisation_target"], bool(r["target_met"])) for k, r in agencies.items() if k != DISHUB} == {
        DINKES: (0.8, False),            # 3/4 = 0.75 < 0.8
        DISDIK: (0.7, True),             # 3/2 = 1.5
        BAPENDA: (0.7, False)}           # 1/5 = 0.2
    province = rows(db, YEAR, "province")[PROVINCE]
    assert (province["utilisation_target"], bool(province["target_met"])) == (0.7, False)    # 7/11 = 0.636 < 0.7
    assert {r["utilisation_target"] for r in rows(db, YEAR, "kind").values()} == {0.7}      # kinds: the province's
    assert rows(db, period_at("year", dt.date(2027, 1, 1)), "skpd")[DINKES]["utilisation_target"] == 0.5  # 2027: default
    with connect(db, read_only=True) as con:
        assert skpd_reaching_target(con, YEAR)["skpd_reaching_target"] == 1                   # Disdik only


def test_the_frame_has_the_documented_types_and_the_cop_grain_no_target_verdict(core_db):
    agencies = rows(core_db, YEAR, "skpd")
    with connect(core_db, read_only=True) as con:
        frame = utilisation_by(con, YEAR, "skpd")
        cops = utilisation_by(con, YEAR, "cop")
    assert list(frame.columns) == ["grain_value", "headcount", "asset_users", "use_events", "utilisation_rate",
                                   "rate_above_one", "utilisation_target", "target_met"]
    assert [str(frame[c].dtype) for c in ("headcount", "asset_users", "use_events", "utilisation_rate", "target_met")] == [
        "Int64", "int64", "int64", "float64", "boolean"]
    assert cops["headcount"].isna().all() and cops["target_met"].isna().all()           # no headcount: no verdict
    assert str(cops["headcount"].dtype) == "Int64" and str(cops["asset_users"].dtype) == "int64"
    assert not agencies[DINKES]["rate_above_one"] and agencies[DISDIK]["rate_above_one"]    # 0.75; 1.5


def test_a_rate_of_exactly_one_is_not_flagged_above_one_and_a_headcount_of_one_is_defined(tmp_path):
    db = world.build(tmp_path / "one.duckdb", aggregate=False)
    with connect(db) as con:
        con.execute("UPDATE headcount SET headcount = 1 WHERE skpd = ?", [DISHUB])
    february = rows(db, period_at("month", dt.date(2026, 2, 1)), "skpd")
    assert (february[DISDIK]["asset_users"], february[DISDIK]["utilisation_rate"]) == (2, 1.0)   # D1, D2 of 2
    assert not february[DISDIK]["rate_above_one"] and bool(february[DISDIK]["target_met"])
    assert february[DISHUB]["utilisation_rate"] == 0.0 and bool(february[DISHUB]["target_met"]) is False  # 0 of 1


@pytest.mark.parametrize("skpd, expected", [
    (BAPENDA, {"skpd_reaching_target": 0, "skpd_in_recap": 1, "skpd_reaching_target_share": 0.0,
               "skpd_undefined": [], "skpd_above_one": []}),
    (DISDIK, {"skpd_reaching_target": 1, "skpd_in_recap": 1, "skpd_reaching_target_share": 1.0,
              "skpd_undefined": [], "skpd_above_one": [DISDIK]}),
    ("Dinas Tanpa Rekap", {"skpd_reaching_target": 0, "skpd_in_recap": 0, "skpd_reaching_target_share": None,
                           "skpd_undefined": [], "skpd_above_one": []}),
])
def test_agencies_reaching_target_within_a_scope(core_db, skpd, expected):
    with connect(core_db, read_only=True) as con:
        assert skpd_reaching_target(con, YEAR, Scope(skpd)) == expected
