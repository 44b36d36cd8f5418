"""Year-end projection (``metrics.projection``) on curves whose answer is known."""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from data.store.connection import connect
from metrics.kpi import Scope
from metrics.projection import complete_months, project_curve, project_overall, project_skpd

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)


def test_an_exact_saturating_curve_is_projected_exactly_with_no_band():
    # H = 1000, p = 0.1: C1 = 100, C2 = 100 + 0.1*900 = 190, C3 = 190 + 0.1*810 = 271.
    # December (9 months on): 1000 - 729 * 0.9**9 = 1000 - 282.4295... = 717.570...
    got = project_curve([100, 190, 271], 1000, 0.5, 9)
    assert got.monthly_share == pytest.approx(0.1)
    assert got.projected_users == pytest.approx(1000 - 729 * 0.9 ** 9)
    assert got.projected_rate_low == pytest.approx(got.projected_rate_high)
    assert got.status == "on_track"


def test_the_band_spans_the_lowest_and_highest_monthly_share():
    # H = 100: C1 = 10 (p1 = 10/100 = 0.1), C2 = 28 (p2 = 18/90 = 0.2), C3 = 38.8 -> use 38 (p3 = 10/72).
    # low: 100 - 62 * 0.9**9; high: 100 - 62 * 0.8**9.
    got = project_curve([10, 28, 38], 100, 0.5, 9)
    assert got.projected_rate_low == pytest.approx((100 - 62 * 0.9 ** 9) / 100)
    assert got.projected_rate_high == pytest.approx((100 - 62 * 0.8 ** 9) / 100)
    assert got.projected_rate_low < got.projected_rate < got.projected_rate_high


def test_central_value_at_target_but_low_end_below_is_at_risk():
    # H = 10, C = 0, 2, 4: pairs (new, still to reach) = (0, 10), (2, 10), (2, 8); shares 0, .2, .25.
    # p = (0*10 + 2*10 + 2*8) / (10**2 + 10**2 + 8**2) = 36/264 = 3/22. 3 months left, 6 still to reach:
    # central 10 - 6 * (19/22)**3 = 6.1350 -> 0.6135 >= 0.5; low (share 0) stays at 4 -> 0.4 < 0.5;
    # high 10 - 6 * 0.75**3 = 7.46875 -> 0.746875. Only the central value and the high end reach it: at risk.
    got = project_curve([0, 2, 4], 10, 0.5, 3)
    assert got.monthly_share == pytest.approx(3 / 22)
    assert got.projected_rate == pytest.approx(1 - 0.6 * 6859 / 10648)
    assert got.projected_rate == pytest.approx(0.613505, abs=1e-6)
    assert (got.projected_rate_low, got.projected_rate_high) == pytest.approx((0.4, 0.746875))
    assert got.status == "at_risk"


def test_a_flat_curve_far_below_target_is_off_track():
    # Nobody new after January: p2 = p3 = 0 and p1 = 5/100; high = 100 - 95 * 0.95**9 = 40.3 -> 0.403 < 0.5.
    got = project_curve([5, 5, 5], 100, 0.5, 9)
    assert got.projected_rate_high == pytest.approx((100 - 95 * 0.95 ** 9) / 100)
    assert got.status == "off_track"


def test_fewer_than_three_months_is_not_enough_data():
    got = project_curve([100, 190], 1000, 0.5, 10)
    assert got.status == "not_enough_data" and got.projected_rate is None


def test_zero_headcount_is_undefined():
    assert project_curve([1, 2, 3], 0, 0.5, 9).status == "undefined"


def test_an_agency_already_at_target_is_met():
    assert project_curve([30, 55, 60], 100, 0.5, 9).status == "met"          # 60/100 >= 0.5 already


@pytest.mark.parametrize("as_of, expected", [
    (dt.date(2026, 3, 31), 3), (dt.date(2026, 3, 30), 2), (dt.date(2026, 12, 31), 4), (None, 4), (dt.date(2025, 5, 1), 0)])
def test_only_complete_months_with_data_are_used(as_of, expected):
    assert complete_months(2026, as_of, dt.date(2026, 4, 30)) == expected    # the log runs to 30 April


@pytest.mark.parametrize("data_to, expected", [
    (dt.date(2026, 11, 1), 10),      # November holds one day: not complete, January-October
    (dt.date(2026, 11, 29), 10),     # a day short is still short
    (dt.date(2026, 11, 30), 11),     # the log reaches November's last day
    (dt.date(2026, 12, 1), 11),      # a later month: November is covered
    (dt.date(2026, 2, 28), 2),       # February's last day (2026 is no leap year)
    (dt.date(2027, 1, 2), 12),       # next year's events cover the whole year
    (None, 0),                       # no event at all
])
def test_a_month_is_complete_only_when_the_log_reaches_its_last_day(data_to, expected):
    assert complete_months(2026, None, data_to) == expected
    assert complete_months(2026, dt.date(2026, 12, 6), data_to) == min(expected, 11)    # 6 Dec: December runs


# The hand-made store (H = 11) runs to B1's use on 1 April: new users Jan K1 K2, Feb D1 D2, Mar K3 D3, Apr B1,
# so C = 2, 4, 6, 7 and then flat. K4 (no 2026 user yet) views AP-1 on ``day`` of November; today 6 December.
# pairs (new, still to reach) Jan-Oct: (2, 11), (2, 9), (2, 7), (1, 5), (0, 4) x 6:
#   sum d*r = 22 + 18 + 14 + 5 = 59, sum r*r = 121 + 81 + 49 + 25 + 6*16 = 372.
# On 1 Nov: 10 months, 7 users, p = 59/372, 2 months left: 11 - 4 * (313/372)**2; band: share 0 keeps 7,
#   the highest share 2/7 gives 11 - 4 * (5/7)**2. November's one day (K4) is not counted.
# On 30 Nov: 11 months, 8 users, pairs add (1, 4): p = 63/388, 1 month left: 11 - 3 * (325/388).

@pytest.mark.parametrize("aggregate", [False, True])
@pytest.mark.parametrize("day, months, users, share, projected, data_to", [
    (1, 10, 7, 59 / 372, 11 - 4 * (313 / 372) ** 2, dt.date(2026, 11, 1)),
    (30, 11, 8, 63 / 388, 11 - 3 * (325 / 388), None),
])
def test_a_month_the_log_stops_inside_is_left_out_and_its_last_day_named(tmp_path, aggregate, day, months, users, share,
                                                                          projected, data_to):
    from data.store.aggregates import rebuild
    db = world.build(tmp_path / "core.duckdb", aggregate=aggregate)
    with connect(db) as con:
        con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                    f"VALUES (TIMESTAMP '2026-11-{day:02d} 09:00', '198001012005011004', 'AP-1', 'view', 4)")
        if aggregate:
            rebuild(con)
    with connect(db, read_only=True) as con:
        got = project_overall(con, 2026, dt.date(2026, 12, 6))
        agencies = project_skpd(con, 2026, dt.date(2026, 12, 6)).set_index("skpd")
    assert (got["months_used"], got["users_now"], got["data_to"]) == (months, users, data_to)
    assert got["monthly_share"] == pytest.approx(share)
    assert got["projected_users"] == pytest.approx(projected)
    assert agencies.loc["Dinas Kesehatan", "months_used"] == months
    assert agencies.loc["Dinas Kesehatan", "users_now"] == users - 4     # K1 K2 K3, and K4 only from 30 Nov on


def test_the_store_projection_uses_the_hand_made_curve(tmp_path):
    # Province, 2026: new users Jan K1, K2 = 2; Feb D1, D2 = 2; Mar K3, D3 = 2 -> C = 2, 4, 6 (H = 11).
    # As of 31 March: 3 months; the April user is not seen.
    db = world.build(tmp_path / "core.duckdb", aggregate=True)
    with connect(db, read_only=True) as con:
        got = project_overall(con, 2026, dt.date(2026, 3, 31))
        agencies = project_skpd(con, 2026, dt.date(2026, 3, 31)).set_index("skpd")
    pairs = [(2, 11), (2, 9), (2, 7)]                                        # (new users, still to reach) per month
    share = sum(d * r for d, r in pairs) / sum(r * r for _, r in pairs)
    assert (got["months_used"], got["users_now"]) == (3, 6)
    assert got["projected_users"] == pytest.approx(11 - 5 * (1 - share) ** 9)
    assert agencies.loc["Dinas Kesehatan", "users_now"] == 3                 # K1, K2 Jan; K3 Mar
    assert agencies.loc["Dinas Perhubungan", "status"] == "undefined"
    assert agencies.loc["Dinas Pendidikan", "status"] == "met"               # 3/2 already


def test_the_outlook_lists_agencies_at_risk_with_their_rate_now(tmp_path):
    # As of 31 March: Badan Pendapatan Daerah has 0 users of 5 (off track); Kesehatan 3/4 and
    # Pendidikan 3/2 have met the target; Perhubungan has no headcount (undefined, not at risk).
    from metrics.outlook import outlook
    db = world.build(tmp_path / "core.duckdb", aggregate=True)
    with connect(db, read_only=True) as con:
        risky = outlook(con, 2026, as_of=dt.date(2026, 3, 31)).at_risk
    assert risky[["skpd", "status", "users_now", "headcount", "utilisation_rate"]].values.tolist() == [
        ["Badan Pendapatan Daerah", "off_track", 0, 5, 0.0]]


# --- what mutation testing found unchecked (issue 19, bench/MUTATION.md) ----------------------------
# Dinkes (headcount 4) as of 31 March: new users Jan K1, K2; Feb none (K1 again); Mar K3 -> C = 2, 2, 3.
# pairs (new, still to reach) = (2, 4), (0, 2), (1, 2): p = (8 + 0 + 2) / (16 + 4 + 4) = 5/12; shares 0.5, 0, 0.5.

def test_an_agency_is_projected_from_its_own_curve_against_its_own_target(tmp_path):
    from metrics.targets import set_target
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db) as con:
        set_target(con, year=2026, skpd="Dinas Kesehatan", target=0.8, by="uji")
    with connect(db, read_only=True) as con:
        agencies = project_skpd(con, 2026, dt.date(2026, 3, 31))
        scoped = project_skpd(con, 2026, dt.date(2026, 3, 31), Scope("Dinas Kesehatan"))
    assert list(agencies.columns) == ["skpd", "headcount", "months_used", "users_now", "monthly_share", "projected_users",
                                      "projected_rate", "projected_rate_low", "projected_rate_high", "status",
                                      "utilisation_target"]
    assert list(agencies["skpd"]) == ["Badan Pendapatan Daerah", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"]
    assert list(scoped["skpd"]) == ["Dinas Kesehatan"]
    dinkes = scoped.iloc[0]
    assert (dinkes["headcount"], dinkes["months_used"], dinkes["users_now"], dinkes["utilisation_target"]) == (4, 3, 3, 0.8)
    assert dinkes["monthly_share"] == pytest.approx(5 / 12)
    assert dinkes["projected_users"] == pytest.approx(4 - (7 / 12) ** 9)             # 9 months left: 3.992180
    assert dinkes["projected_rate_low"] == pytest.approx(0.75)                       # share 0: stays at 3
    assert dinkes["projected_rate_high"] == pytest.approx((4 - 0.5 ** 9) / 4)
    assert dinkes["status"] == "at_risk"          # 0.75 now and at the low end < 0.8; the central value reaches it
    assert agencies.set_index("skpd").loc["Dinas Pendidikan", "utilisation_target"] == 0.5


def _log_reaches_30_april(con) -> None:
    """A 'like' (engagement, not a use) by K3 on 30 April 2026: the access log covers April."""
    con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                "VALUES (TIMESTAMP '2026-04-30 20:00', '198001012005011003', 'AP-1', 'like', 4)")


def test_a_scoped_overall_projection_pads_its_curve_to_the_complete_months(tmp_path):
    # As of 30 April (4 complete months: the log reaches 30 April, below) Dinkes' curve 2, 2, 3
    # is carried through April: C = 2, 2, 3, 3; pairs add (0, 1): p = 10 / 25 = 0.4, 8 months left.
    # A 'like' on 30 April (not a use) lets the log cover April to its last day.
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db) as con:
        _log_reaches_30_april(con)
    with connect(db, read_only=True) as con:
        got = project_overall(con, 2026, dt.date(2026, 4, 30), Scope("Dinas Kesehatan"))
        dishub = project_overall(con, 2026, dt.date(2026, 4, 30), Scope("Dinas Perhubungan"))
    assert (got["headcount"], got["months_used"], got["users_now"]) == (4, 4, 3)
    assert got["monthly_share"] == pytest.approx(0.4)
    assert got["projected_rate"] == pytest.approx((4 - 0.6 ** 8) / 4)                # 0.995801
    assert got["status"] == "met" and got["utilisation_target"] == 0.5
    assert (dishub["headcount"], dishub["months_used"], dishub["users_now"], dishub["status"]) == (0, 4, 0, "undefined")


def test_without_a_recap_there_is_nothing_to_project(tmp_path):
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db) as con:
        con.execute("DELETE FROM headcount")
    with connect(db, read_only=True) as con:
        agencies = project_skpd(con, 2026)
        overall = project_overall(con, 2026)
    assert agencies.empty and "status" in agencies.columns
    assert (overall["headcount"], overall["status"], overall["projected_rate"]) == (None, "undefined", None)


def test_what_a_curve_without_a_projection_holds():
    from metrics.projection import CurveProjection
    assert project_curve([1, 2, 3], 0, 0.5, 9) == CurveProjection(3, 3, None, None, None, None, None, "undefined")
    assert project_curve([100, 190], 1000, 0.5, 10) == CurveProjection(2, 190, None, None, None, None, None,
                                                                      "not_enough_data")
    assert project_curve([], 10, 0.5, 12) == CurveProjection(0, 0, None, None, None, None, None, "not_enough_data")
    # everyone reached in January: only one month had anyone left to reach -> no fit, the rate as it is
    assert project_curve([2, 2, 2], 2, 0.5, 9) == CurveProjection(3, 2, None, 2, 1.0, 1.0, 1.0, "met")


def test_exactly_at_the_target_now_is_met():
    assert project_curve([1, 3, 5], 10, 0.5, 9).status == "met"                # 5/10 = 0.5


def test_a_month_with_one_employee_left_to_reach_counts_in_the_fit():
    # H = 4, C = 2, 3, 3: pairs (2, 4), (1, 2), (0, 1) -> p = (8 + 2 + 0) / (16 + 4 + 1) = 10/21; lowest share 0
    got = project_curve([2, 3, 3], 4, 0.8, 9)
    assert got.monthly_share == pytest.approx(10 / 21)
    assert got.projected_rate_low == pytest.approx(0.75)


@pytest.mark.parametrize("target, status", [
    (0.96875, "on_track"),     # the low end exactly at the target
    (0.984375, "at_risk"),     # only the high end, exactly at the target
    (0.99, "off_track"),
])
def test_the_band_ends_meet_the_target_at_exactly_the_target(target, status):
    # H = 16, C = 8, 14, 15: shares 8/16 = .5, 6/8 = .75, 1/2 = .5; one month left, 1 to reach:
    # low 16 - 1 * .5 = 15.5 -> 0.96875; high 16 - 1 * .25 = 15.75 -> 0.984375 (exact binary fractions)
    got = project_curve([8, 14, 15], 16, target, 1)
    assert (got.projected_rate_low, got.projected_rate_high) == (0.96875, 0.984375)
    assert got.status == status


def test_the_overall_projection_states_its_method_and_the_years_target(tmp_path):
    from metrics.projection import METHOD
    from metrics.targets import set_target
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db) as con:
        set_target(con, year=2026, skpd=None, target=0.7, by="uji")
    with connect(db, read_only=True) as con:
        got = project_overall(con, 2026, dt.date(2026, 3, 31))
    assert got["utilisation_target"] == 0.7 and got["method"] == METHOD
    assert METHOD.startswith("saturating curve: each month a share p of the employees not yet reached")


# --- the outlook (``metrics.outlook``): what mutation testing found unchecked ------------------------
# As of 30 April (4 complete months, 8 left), with Dinkes' target set to 1 (the others keep 0.5):
# Dinkes C = 2, 2, 3, 3 of 4: pairs (2, 4), (0, 2), (1, 2), (0, 1): p = 10/25 = 0.4, shares .5, 0, .5, 0;
#   high 4 - 1 * 0.5**8 = 3.99609 (0.99902 < 1): off track; central 4 - 0.6**8 = 3.98320 (0.99580).
# Bapenda C = 0, 0, 0, 1 of 5 (B1 on 1 Apr): pairs (0, 5) x3, (1, 5): p = 5/100 = 0.05, shares 0, 0, 0, .2;
#   low stays 1 (0.2 < 0.5), high 5 - 4 * 0.8**8 = 4.32891 (0.86578 >= 0.5): at risk; central 5 - 4 * 0.95**8 = 2.34632.
# Off track comes first though Dinkes' projection (0.996) is above Bapenda's (0.469) and B sorts before D.
# Maturity added: 2026 CoP Sehat (Dinkes) 3.0, CoP Pajak (Bapenda) 2.0 -> mean 2.5; 2025 CoP Sehat 1.0.
# A use added in 2025: K1 on 10 Feb 2025, beside the store's K4 on 31 Dec 2025; K3's like on 30 April 2026
# makes the log cover April.

@pytest.fixture
def outlook_store(tmp_path) -> Path:
    from metrics.targets import set_target
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db) as con:
        set_target(con, year=2026, skpd="Dinas Kesehatan", target=1.0, by="uji")
        _log_reaches_30_april(con)
        con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                    "VALUES (TIMESTAMP '2025-02-10 09:00', '198001012005011001', 'AP-1', 'view', 3)")
        for cop, skpd, year, score in [("cop sehat", "Dinas Kesehatan", 2026, 3), ("cop pajak", "Badan Pendapatan Daerah", 2026, 2),
                                       ("cop sehat", "Dinas Kesehatan", 2025, 1)]:
            con.execute("INSERT INTO maturity VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'v1', 6, 0, NULL)",
                        [cop, skpd, year, *[score] * 5])
    return db


def test_the_outlook_lists_off_track_agencies_first_then_the_lowest_projection(outlook_store):
    from metrics.outlook import outlook
    with connect(outlook_store, read_only=True) as con:
        got = outlook(con, 2026, as_of=dt.date(2026, 4, 30))
    risky = got.at_risk
    assert list(risky.columns) == ["skpd", "status", "users_now", "headcount", "utilisation_rate", "projected_rate",
                                   "projected_rate_low", "projected_rate_high", "utilisation_target"]
    assert risky[["skpd", "status", "users_now", "headcount", "utilisation_rate", "utilisation_target"]].values.tolist() == [
        ["Dinas Kesehatan", "off_track", 3, 4, 0.75, 1.0], ["Badan Pendapatan Daerah", "at_risk", 1, 5, 0.2, 0.5]]
    assert risky["projected_rate"].tolist() == pytest.approx([(4 - 0.6 ** 8) / 4, (5 - 4 * 0.95 ** 8) / 5])
    assert risky["projected_rate_high"].tolist() == pytest.approx([(4 - 0.5 ** 8) / 4, (5 - 4 * 0.8 ** 8) / 5])
    assert list(risky.index) == [0, 1]


def test_the_outlook_states_its_method_the_period_compared_and_the_maturity_means(outlook_store):
    from metrics.outlook import outlook
    from metrics.periods import period_of
    from metrics.projection import METHOD
    with connect(outlook_store, read_only=True) as con:
        running = outlook(con, 2026, as_of=dt.date(2026, 4, 30))
        finished = outlook(con, 2026, as_of=dt.date(2027, 1, 1))
        dinkes = outlook(con, 2026, Scope("Dinas Kesehatan"), as_of=dt.date(2027, 1, 1))
        dishub = outlook(con, 2026, Scope("Dinas Perhubungan"), as_of=dt.date(2026, 4, 30))
        last_day = outlook(con, 2026, as_of=dt.date(2026, 12, 31))
        ytd = outlook(con, 2026, as_of=dt.date(2026, 4, 30), period=period_of(2026, "ytd", today=dt.date(2026, 4, 30)))
        tw4 = outlook(con, 2026, as_of=dt.date(2026, 4, 30), period=period_of(2026, "quarter", 4, today=dt.date(2026, 4, 30)))
    assert running.method == finished.method == METHOD
    assert (running.previous_period.label, finished.previous_period.label) == ("2025", "2025")
    assert (ytd.previous_period.start, ytd.previous_period.end) == (dt.date(2025, 1, 1), dt.date(2025, 4, 30))
    # the same period a year earlier: 2025 {K1, K4}; to 30 Apr 2025 {K1}; TW IV 2025 {K4}
    assert (running.previous["asset_users"], ytd.previous["asset_users"], tw4.previous["asset_users"]) == (2, 1, 1)
    # Dinkes' own 2025: K1 and K4 of its 4 employees (the 30 Jun 2026 recap, the earliest), not the province's 11
    assert (dinkes.previous["asset_users"], dinkes.previous["headcount"]) == (2, 4)
    # maturity: (3.0 + 2.0) / 2 = 2.5 this year, 1.0 the year before; Dinkes 3.0 and 1.0; Dishub none
    assert (running.maturity_mean, running.maturity_mean_previous) == (2.5, 1.0)
    assert (finished.maturity_mean, finished.maturity_mean_previous) == (2.5, 1.0)
    assert (dinkes.maturity_mean, dinkes.maturity_mean_previous) == (3.0, 1.0)
    assert (dishub.maturity_mean, dishub.maturity_mean_previous) == (None, None)
    assert dishub.previous is None                                               # Dishub has no use, meeting or asset
    # the year runs to its last day; the year to date is projected too; a finished year is not
    assert last_day.projection["months_used"] == 4 and ytd.projection["months_used"] == 4
    assert finished.projection == {} and finished.at_risk.empty
    assert list(finished.at_risk.columns) == ["skpd", "status", "users_now", "headcount", "utilisation_rate", "projected_rate",
                                              "projected_rate_low", "projected_rate_high", "utilisation_target"]


def test_an_agencys_outlook_projects_its_own_curve_from_the_complete_months(outlook_store):
    from metrics.outlook import outlook
    with connect(outlook_store, read_only=True) as con:
        dinkes = outlook(con, 2026, Scope("Dinas Kesehatan"), as_of=dt.date(2026, 4, 30))
        march = outlook(con, 2026, as_of=dt.date(2026, 3, 31))
    # Dinkes: 3 users of 4 by April, off track (above); the province would be 7 of 11
    assert (dinkes.projection["headcount"], dinkes.projection["users_now"]) == (4, 3)
    assert dinkes.at_risk[["skpd", "status"]].values.tolist() == [["Dinas Kesehatan", "off_track"]]
    # on 31 March April is not complete: 3 months used (B1's use on 1 April not yet counted), 6 users
    assert (march.projection["months_used"], march.projection["users_now"]) == (3, 6)
    # the agencies too are seen from 31 March: Bapenda's only user (B1) came on 1 April, so 0 of 5 yet
    bapenda = march.at_risk.set_index("skpd").loc["Badan Pendapatan Daerah"]
    assert (bapenda["users_now"], bapenda["utilisation_rate"]) == (0, 0.0)


def test_months_of_a_year_seen_from_a_later_year_are_twelve():
    # 2025 seen on 1 Mar 2026 with the log reaching 1 Feb 2026: every month of 2025 ended and is covered
    assert complete_months(2025, dt.date(2026, 3, 1), dt.date(2026, 2, 1)) == 12


@pytest.mark.parametrize("as_of, data_to, months, expected", [
    (dt.date(2026, 11, 15), dt.date(2026, 11, 20), 10, dt.date(2026, 11, 15)),  # capped at the day seen from
    (None, dt.date(2026, 1, 15), 0, dt.date(2026, 1, 15)),                     # no complete month: January's day
    (None, dt.date(2026, 1, 1), 0, dt.date(2026, 1, 1)),                       # the first day of the year counts
    (None, dt.date(2026, 1, 31), 1, None),                                     # January complete: nothing partial
    (None, dt.date(2026, 12, 31), 12, None),                                   # the whole year complete
    (None, None, 0, None),                                                     # no log at all
])
def test_the_day_the_data_end_is_named_only_inside_a_month_left_out(as_of, data_to, months, expected):
    from metrics.projection import _partial_data_to
    assert _partial_data_to(2026, as_of, data_to, months) == expected


def test_the_projection_seen_from_an_earlier_day_uses_the_months_ended_by_then(tmp_path):
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db) as con:                                   # the log reaches 20 Nov: January-October covered
        con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                    "VALUES (TIMESTAMP '2026-11-20 09:00', '198001012005011004', 'AP-1', 'view', 4)")
    with connect(db, read_only=True) as con:
        seen_15_nov = project_overall(con, 2026, dt.date(2026, 11, 15))
        seen_31_jul = project_skpd(con, 2026, dt.date(2026, 7, 31)).set_index("skpd")
    assert (seen_15_nov["months_used"], seen_15_nov["data_to"]) == (10, dt.date(2026, 11, 15))   # not the 20th
    assert seen_31_jul.loc["Dinas Kesehatan", "months_used"] == 7                  # July ended; the log's 10 do not count
