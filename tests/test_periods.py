"""Periods on the pages (``metrics.periods`` and the ``period=`` of the KPI functions) on
the hand-made store of ``tests/fixtures/metrics_core/`` (cast in tests/test_grain.py), plus
four attendances added here: K1 15 Jan and 20 Feb, D1 1 Mar, B1 10 Apr 2026.

Hand-worked, counted use events by month of 2026 (roster NIPs, listed assets, view/download):
Jan {K1, K2}, Feb {K1, D1, D2}, Mar {K3, D3}, Apr {B1}. Headcount 4 + 2 + 5 + 0 = 11.
So TW1 has 6 distinct users (K1 is in Jan and Feb): the sum of its months, 2 + 3 + 2 = 7, is wrong.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from data.store.aggregates import rebuild, rebuild_attendance, rebuild_counted
from data.store.connection import connect
from metrics.engagement import skpd_page
from metrics.grain import Period, utilisation_by
from metrics.kpi import Scope, activity_summary, monthly_cumulative, overall_kpis, recap_date, skpd_kpis
from metrics.outlook import outlook
from metrics.overview import overview
from metrics.periods import has_data, is_finished, is_whole, meetings_with_year_earlier, period_of, year_earlier

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)

TODAY = dt.date(2026, 12, 6)
K1, D1, B1 = "198001012005011001", "198502022010012001", "199003032015031001"


@pytest.fixture(scope="module", params=["aggregate", "counted", "raw"])
def db(request, tmp_path_factory) -> Path:
    """The store read three ways: raw events; ``use_month`` only; and as an import leaves it,
    ``use_month`` plus ``use_month_counted``, ``use_year_nip`` and ``attend_year_nip`` (a quarter
    or a month is then counted per NIP from ``use_month_counted``, its attendees from ``attendance``)."""
    path = world.build(tmp_path_factory.mktemp("periods") / f"{request.param}.duckdb", aggregate=request.param != "raw")
    with connect(path) as con:
        for nip, day in [(K1, "2026-01-15"), (K1, "2026-02-20"), (D1, "2026-03-01"), (B1, "2026-04-10")]:
            con.execute("INSERT INTO attendance VALUES (?, 'cop sehat', 'Rapat', 'rapat', ?, 'Peserta', NULL, NULL, NULL, 3, 0)",
                        [nip, day])
        if request.param == "aggregate":
            rebuild(con)
        if request.param == "counted":
            rebuild_counted(con)
            rebuild_attendance(con)
    return path


def _overall(db, period, scope=Scope()):
    with connect(db, read_only=True) as con:
        return overall_kpis(con, period.start.year, scope, period=period)


def test_a_quarters_distinct_users_are_not_the_sum_of_its_months(db):
    months = [_overall(db, period_of(2026, "month", m, today=TODAY))["asset_users"] for m in (1, 2, 3)]
    quarter = _overall(db, period_of(2026, "quarter", 1, today=TODAY))
    assert months == [2, 3, 2]
    assert quarter["asset_users"] == 6 and quarter["utilisation_rate"] == pytest.approx(6 / 11)


def test_a_quarters_participants_are_distinct_too(db):
    quarter = _overall(db, period_of(2026, "quarter", 1, today=TODAY))
    assert quarter["participants"] == 2 and quarter["participation_rate"] == pytest.approx(2 / 11)   # K1 twice, D1
    assert _overall(db, period_of(2026, "quarter", 2, today=TODAY))["participants"] == 1              # B1
    assert _overall(db, period_of(2026, "quarter", 4, today=TODAY))["participants"] == 0              # none after April
    assert _overall(db, period_of(2026, "month", 12, today=TODAY))["participants"] == 0
    assert _overall(db, period_of(2026, "year", today=TODAY))["participants"] == 3


def test_agency_rates_for_a_quarter_and_a_month(db):
    with connect(db, read_only=True) as con:
        q1 = skpd_kpis(con, 2026, period=period_of(2026, "quarter", 1, today=TODAY)).set_index("skpd")
        feb = skpd_kpis(con, 2026, period=period_of(2026, "month", 2, today=TODAY)).set_index("skpd")
    assert q1.loc["Dinas Kesehatan", "asset_users"] == 3 and q1.loc["Dinas Kesehatan", "utilisation_rate"] == pytest.approx(3 / 4)
    assert q1.loc["Badan Pendapatan Daerah", "asset_users"] == 0                                         # B1 is April
    assert feb.loc["Dinas Pendidikan", "asset_users"] == 2 and feb.loc["Dinas Kesehatan", "asset_users"] == 1


def test_year_to_date_ends_on_the_day_and_a_past_years_on_the_same_day():
    ytd = period_of(2026, "ytd", today=dt.date(2026, 1, 31))
    assert (ytd.start, ytd.end) == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert year_earlier(ytd).end == dt.date(2025, 1, 31)
    assert period_of(2023, "ytd", today=dt.date(2024, 2, 29)).end == dt.date(2023, 2, 28)


def test_year_to_date_counts_only_up_to_its_day(db):
    assert _overall(db, period_of(2026, "ytd", today=dt.date(2026, 1, 31)))["asset_users"] == 2     # K1, K2


def test_the_same_period_a_year_earlier():
    assert year_earlier(period_of(2026, "quarter", 2, today=TODAY)).label == "2025-TW2"
    assert year_earlier(period_of(2026, "month", 2, today=TODAY)).end == dt.date(2025, 2, 28)
    assert year_earlier(period_of(2026, "year", today=TODAY)).label == "2025"


def test_a_period_without_events_has_no_data_even_with_a_recap(db):
    with connect(db, read_only=True) as con:
        assert not has_data(con, period_of(2025, "quarter", 1, today=TODAY))         # the 2026 recap applies, no event
        assert has_data(con, period_of(2025, "quarter", 4, today=TODAY))             # K4 on 31 Dec 2025
        assert not has_data(con, period_of(2025, "quarter", 4, today=TODAY), Scope("Dinas Pendidikan"))


def test_comparison_only_with_a_period_that_has_data(db):
    with connect(db, read_only=True) as con:
        q1 = outlook(con, 2026, as_of=TODAY, period=period_of(2026, "quarter", 1, today=TODAY))
        year = outlook(con, 2026, as_of=TODAY)
        dec = outlook(con, 2025, as_of=TODAY, period=period_of(2025, "month", 12, today=TODAY))
    assert q1.previous is None and year.previous is not None and year.previous["asset_users"] == 1   # K4, 2025
    assert dec.previous is None                                                                   # Dec 2024: nothing


def test_no_projection_for_a_finished_year_or_a_quarter(db):
    with connect(db, read_only=True) as con:
        finished = outlook(con, 2026, as_of=dt.date(2027, 1, 5))
        quarter = outlook(con, 2026, as_of=TODAY, period=period_of(2026, "quarter", 2, today=TODAY))
        running = outlook(con, 2026, as_of=dt.date(2026, 6, 30))
    assert finished.projection == {} and finished.at_risk.empty
    assert quarter.projection == {}
    # June 30 ends June, but the log stops on 1 April (B1): April is not complete, Jan-Mar are used
    assert (running.projection["months_used"], running.projection["data_to"]) == (3, dt.date(2026, 4, 1))
    assert is_finished(period_of(2026, "quarter", 2, today=TODAY), TODAY)


def test_the_overview_and_agency_page_count_the_period(db):
    tw1 = period_of(2026, "quarter", 1, today=TODAY)
    with connect(db, read_only=True) as con:
        view = overview(con, 2026, period=tw1)
        page = skpd_page(con, 2026, "Dinas Kesehatan", period=tw1)
        monthly = monthly_cumulative(con, 2026, period=period_of(2026, "quarter", 1, today=TODAY))
        meetings = activity_summary(con, 2026, period=tw1)
    assert view.overall["asset_users"] == 6 and view.period == tw1
    assert page.kpis["asset_users"] == 3 and page.province["asset_users"] == 6 and page.previous is None
    assert list(monthly["cumulative_asset_users"]) == [2, 4, 6]                   # Jan; + D1, D2; + K3, D3
    assert meetings["activities"] == 0



# A period need not start on the 1st (``metrics.kpi`` takes any object with start, end and
# next): its whole months are read from the aggregates, the days before and after them from
# the raw events, and the pieces must join without a gap or an overlap.

def test_a_period_from_5_january_to_10_march_joins_raw_days_and_whole_months(db):
    # 5 Jan-10 Mar 2026: raw 5-31 Jan, whole February, raw 1-10 Mar. Counted: K1 10 Jan and
    # 3 Feb, K2 20 Jan, K3 5 Mar (Dinkes: 3 users, 4 uses); D1 1 Feb, D2 2 Feb, D3 3 Mar
    # (Disdik: 3 users, 3 uses). Not: the stranger 11 Jan, K4's unlisted AP-9 12 Jan, B1 1 Apr.
    period = Period("custom", dt.date(2026, 1, 5), dt.date(2026, 3, 10), "5 Jan-10 Mar")
    with connect(db, read_only=True) as con:
        total = overall_kpis(con, 2026, period=period)
        agencies = skpd_kpis(con, 2026, period=period).set_index("skpd")
    assert (total["asset_users"], total["use_events"]) == (6, 7)
    assert total["utilisation_rate"] == pytest.approx(6 / 11)
    assert agencies.loc["Dinas Kesehatan", ["asset_users", "use_events"]].tolist() == [3, 4]
    assert agencies.loc["Dinas Pendidikan", ["asset_users", "use_events"]].tolist() == [3, 3]
    assert agencies.loc["Badan Pendapatan Daerah", "asset_users"] == 0


def test_a_period_from_15_january_leaves_out_the_days_before_it(db):
    # 15 Jan-28 Feb: K1 3 Feb, K2 20 Jan, D1 1 Feb, D2 2 Feb; not K1's 10 Jan use.
    period = Period("custom", dt.date(2026, 1, 15), dt.date(2026, 2, 28), "15 Jan-28 Feb")
    with connect(db, read_only=True) as con:
        total = overall_kpis(con, 2026, period=period)
    assert (total["asset_users"], total["use_events"]) == (4, 4)


def test_a_period_inside_one_month_reads_only_its_days(db):
    # 15-25 Jan 2026: only K2's download on 20 Jan (K1 10 Jan and the stranger 11 Jan are before it).
    period = Period("custom", dt.date(2026, 1, 15), dt.date(2026, 1, 25), "15-25 Jan")
    with connect(db, read_only=True) as con:
        total = overall_kpis(con, 2026, period=period)
    assert (total["asset_users"], total["use_events"]) == (1, 1)


def test_only_a_whole_year_is_counted_from_the_years_users(db):
    # Counted uses: K1 10 Jan + 3 Feb, K2 20 Jan, D1 1 Feb 07:00, D2 2 Feb 23:59, D3 3 Mar, K3 5 Mar, B1 1 Apr.
    # 1 Jan-28 Feb: K1 x2, K2, D1, D2 -> 4 users, 5 uses; 2 Feb-31 Dec: K1 3 Feb, D2, D3, K3, B1 -> 5, 5;
    # TW4 and December: none; the year: K1-K3, D1-D3, B1 -> 7 users, 8 uses.
    periods = [Period("custom", dt.date(2026, 1, 1), dt.date(2026, 2, 28), "Jan-Feb"),
               Period("custom", dt.date(2026, 2, 2), dt.date(2026, 12, 31), "2 Feb-"),
               period_of(2026, "quarter", 4, today=TODAY), period_of(2026, "month", 12, today=TODAY),
               period_of(2026, "year", today=TODAY)]
    got = [(t["asset_users"], t["use_events"]) for t in (_overall(db, p) for p in periods)]
    assert got == [(4, 5), (5, 5), (0, 0), (0, 0), (7, 8)]


def test_the_cop_grain_counts_its_assets_users_on_every_store(db):
    # CoP Sehat (AP-1): K1 10 Jan + 3 Feb, D1, D2, D3, K3 -> 5 users, 6 uses (not the stranger, not K3's like);
    # CoP Pajak (AP-2): K2 20 Jan, B1 1 Apr -> 2 users, 2 uses; in TW1 only K2 -> 1, 1.
    with connect(db, read_only=True) as con:
        year = utilisation_by(con, period_of(2026, "year", today=TODAY), "cop")
        q1 = utilisation_by(con, period_of(2026, "quarter", 1, today=TODAY), "cop")
    assert year[["grain_value", "asset_users", "use_events"]].values.tolist() == [["CoP Pajak", 2, 2], ["CoP Sehat", 5, 6]]
    assert q1[["grain_value", "asset_users", "use_events"]].values.tolist() == [["CoP Pajak", 1, 1], ["CoP Sehat", 5, 6]]


@pytest.mark.parametrize("store", ["aggregate", "counted", "raw"])
def test_a_period_starting_in_december_counts_only_its_own_days(store, tmp_path):
    # 2-31 Dec 2025: only K4's view of AP-1 on 31 Dec 23:00. K2's view on 1 Dec (added here)
    # and 2026's uses are outside it. The 30 Jun 2026 recap applies (the earliest after).
    path = world.build(tmp_path / "december.duckdb", aggregate=False)
    with connect(path) as con:
        con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                    "VALUES (TIMESTAMP '2025-12-01 10:00', '198001012005011002', 'AP-1', 'view', 3)")
        if store == "aggregate":
            rebuild(con)
        if store == "counted":
            rebuild_counted(con)
    period = Period("custom", dt.date(2025, 12, 2), dt.date(2025, 12, 31), "2-31 Dec")
    with connect(path, read_only=True) as con:
        total = overall_kpis(con, 2025, period=period)
        whole = overall_kpis(con, 2025)
    assert (total["asset_users"], total["use_events"], total["headcount"]) == (1, 1, 11)
    assert (whole["asset_users"], whole["use_events"]) == (2, 2)                        # K2 and K4


def test_a_periods_recap_is_the_newest_on_or_before_its_end(tmp_path):
    # Recaps dated 31 Mar 2026 (added here) and 30 Jun 2026: TW1 ends on 31 Mar -> 31 Mar;
    # TW3 and the year end later -> 30 Jun; 2025 has none on or before its end -> the earliest after.
    path = world.build(tmp_path / "recaps.duckdb", aggregate=False)
    with connect(path) as con:
        con.execute("INSERT INTO headcount VALUES ('Dinas Kesehatan', DATE '2026-03-31', 9, NULL, NULL, 1, 0, NULL)")
        q1, q3 = period_of(2026, "quarter", 1, today=TODAY), period_of(2026, "quarter", 3, today=TODAY)
        assert recap_date(con, 2026, period=q1) == dt.date(2026, 3, 31)
        assert recap_date(con, 2026, period=q3) == recap_date(con, 2026) == dt.date(2026, 6, 30)
        assert recap_date(con, 2025) == dt.date(2026, 3, 31)
        assert overall_kpis(con, 2026, period=q1)["headcount"] == 9                    # that recap alone


def test_every_quarter_and_month_of_a_year_and_refused_indexes():
    after = dt.date(2027, 1, 5)                                       # 2026 has ended: every quarter is whole
    assert [(p.start, p.end) for p in (period_of(2026, "quarter", q, today=after) for q in (1, 4))] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))]
    assert (period_of(2026, "month", 12, today=TODAY).start, period_of(2026, "month", 1, today=TODAY).end) == (
        dt.date(2026, 12, 1), dt.date(2026, 1, 31))
    assert period_of(2026, today=TODAY).label == "2026"
    for kind, index, message in [("quarter", 0, "quarter 0: expected 1-4"), ("quarter", 5, "quarter 5: expected 1-4"),
                                 ("quarter", None, "quarter None: expected 1-4"), ("month", 0, "month 0: expected 1-12"),
                                 ("month", 13, "month 13: expected 1-12"),
                                 ("week", 1, "unknown period 'week'; one of year, quarter, month, ytd")]:
        with pytest.raises(ValueError) as refused:
            period_of(2026, kind, index, today=TODAY)
        assert str(refused.value) == message


def test_a_year_to_date_to_29_february_a_year_earlier_ends_on_28_february():
    leap = period_of(2024, "ytd", today=dt.date(2024, 2, 29))
    earlier = year_earlier(leap)
    assert (earlier.kind, earlier.start, earlier.end) == ("ytd", dt.date(2023, 1, 1), dt.date(2023, 2, 28))
    assert year_earlier(period_of(2026, "month", 12, today=dt.date(2026, 12, 31))).label == "2025-12"   # its last day: whole


def test_a_period_is_finished_only_after_its_last_day():
    q2 = period_of(2026, "quarter", 2, today=TODAY)
    assert not is_finished(q2, dt.date(2026, 6, 30)) and is_finished(q2, dt.date(2026, 7, 1))


def _with_meetings(tmp_path, meetings) -> Path:
    """The store with these meetings (CoP key, agency, ISO day, accompanied) added."""
    path = world.build(tmp_path / "meetings.duckdb", aggregate=False)
    with connect(path) as con:
        for cop, skpd, day, accompanied in meetings:
            con.execute("INSERT INTO activity VALUES (?, ?, 'Rapat', ?, ?, NULL, ?, NULL, 3, 1, 0, NULL)",
                        [cop, skpd, f"rapat {day}", day, accompanied])
    return path


def test_meetings_are_compared_with_the_same_period_a_year_earlier_only_when_it_has_data(tmp_path):
    # Meetings added here: CoP Sehat (Dinkes) 5 Feb 2025 (accompanied) and 10 Mar 2026 (not), 20 Feb 2026 (accompanied);
    # CoP Pajak (Bapenda) 12 Apr 2026. TW1 2026: 2 meetings, 1 accompanied; TW1 2025: 1 meeting, 1 accompanied.
    # TW2 2025 holds nothing at all, so TW2 2026 (Pajak's meeting) is not compared.
    path = _with_meetings(tmp_path, [("cop sehat", "Dinas Kesehatan", "2025-02-05", True),
                                     ("cop sehat", "Dinas Kesehatan", "2026-03-10", False),
                                     ("cop sehat", "Dinas Kesehatan", "2026-02-20", True),
                                     ("cop pajak", "Badan Pendapatan Daerah", "2026-04-12", True)])
    with connect(path, read_only=True) as con:
        now, before = meetings_with_year_earlier(con, period_of(2026, "quarter", 1, today=TODAY))
        tw2, none_before = meetings_with_year_earlier(con, period_of(2026, "quarter", 2, today=TODAY))
        scoped, scoped_before = meetings_with_year_earlier(con, period_of(2026, "quarter", 1, today=TODAY),
                                                           Scope("Badan Pendapatan Daerah"))
    assert (now["activities"], now["activities_accompanied"], now["by_quarter"]["Q1"]) == (2, 1, {"activities": 2, "cops_active": 1})
    assert (before["activities"], before["accompanied_rate"]) == (1, 1.0)
    assert tw2["activities"] == 1 and none_before is None
    assert scoped["activities"] == 0 and scoped_before is None                  # Bapenda had nothing in TW1 2025


def test_an_agencys_meetings_a_year_earlier_are_its_own_and_only_the_periods(tmp_path):
    # Meetings added here: Dinkes 5 Feb 2025 (accompanied), 14 Aug 2025 (not) and 20 Feb 2026 (not);
    # Bapenda 3 Mar 2025 (not). Dinkes in TW1 2026: 1 meeting; a year earlier (TW1 2025) Dinkes
    # held 1, accompanied: rate 1/1 = 1.0. Not the province's TW1 2025 (2 meetings, rate 1/2)
    # nor Dinkes' whole 2025 (2 meetings, rate 1/2).
    path = _with_meetings(tmp_path, [("cop sehat", "Dinas Kesehatan", "2025-02-05", True),
                                     ("cop sehat", "Dinas Kesehatan", "2025-08-14", False),
                                     ("cop sehat", "Dinas Kesehatan", "2026-02-20", False),
                                     ("cop pajak", "Badan Pendapatan Daerah", "2025-03-03", False)])
    with connect(path, read_only=True) as con:
        now, before = meetings_with_year_earlier(con, period_of(2026, "quarter", 1, today=TODAY), Scope("Dinas Kesehatan"))
    assert (now["activities"], now["activities_accompanied"]) == (1, 0)
    assert (before["activities"], before["activities_accompanied"], before["accompanied_rate"]) == (1, 1, 1.0)
    assert before["by_quarter"]["Q3"] == {"activities": 0, "cops_active": 0}        # August 2025 is not in TW1


# A month or quarter still running is cut at today, as the year to date is, so that it is
# compared with the same days a year earlier, never with the whole month or quarter.
SEVENTH_DEC = dt.date(2026, 12, 7)


def test_a_running_month_or_quarter_ends_today_and_its_year_earlier_on_the_same_day():
    december, tw4 = period_of(2026, "month", 12, today=SEVENTH_DEC), period_of(2026, "quarter", 4, today=SEVENTH_DEC)
    assert (december.start, december.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    assert (tw4.start, tw4.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 7))
    assert [(p.kind, p.start, p.end) for p in (year_earlier(december), year_earlier(tw4))] == [
        ("month", dt.date(2025, 12, 1), dt.date(2025, 12, 7)), ("quarter", dt.date(2025, 10, 1), dt.date(2025, 12, 7))]
    assert not is_whole(december) and not is_whole(year_earlier(tw4))
    # Past and future ones stay whole: TW3 2026 ended on 30 Sep; December 2026 seen on 30 Nov has not begun.
    tw3, future = period_of(2026, "quarter", 3, today=SEVENTH_DEC), period_of(2026, "month", 12, today=dt.date(2026, 11, 30))
    assert (tw3.end, future.end, year_earlier(future).label) == (dt.date(2026, 9, 30), dt.date(2026, 12, 31), "2025-12")
    assert is_whole(tw3) and is_whole(future) and is_whole(period_of(2025, "month", 12, today=SEVENTH_DEC))


def test_the_first_and_the_last_day_of_a_quarter_or_month_and_the_labels_of_cut_periods():
    # mutation testing (metrics.periods after the running-period change): on its first day a
    # quarter is cut to that one day (1 Oct..1 Oct, inclusive); on its last day it is whole,
    # the same Period as period_at's, label included; a cut period is labelled by its days.
    first = period_of(2026, "quarter", 4, today=dt.date(2026, 10, 1))
    assert first == Period("quarter", dt.date(2026, 10, 1), dt.date(2026, 10, 1), "2026-10-01..2026-10-01")
    assert not is_whole(first)
    assert period_of(2026, "quarter", 4, today=dt.date(2026, 12, 31)) == Period(
        "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-TW4")
    assert period_of(2026, "month", 2, today=dt.date(2026, 2, 28)) == Period(
        "month", dt.date(2026, 2, 1), dt.date(2026, 2, 28), "2026-02")             # 2026 is a common year
    assert period_of(2026, "month", 12, today=SEVENTH_DEC).label == "2026-12-01..2026-12-07"
    assert year_earlier(period_of(2026, "month", 12, today=SEVENTH_DEC)) == Period(
        "month", dt.date(2025, 12, 1), dt.date(2025, 12, 7), "2025-12-01..2025-12-07")


def test_the_year_to_date_is_never_whole_and_its_year_earlier_is_a_year_to_date():
    ytd = period_of(2026, "ytd", today=SEVENTH_DEC)
    assert not is_whole(ytd)
    assert not is_whole(period_of(2026, "ytd", today=dt.date(2026, 12, 31)))         # even on 31 December
    before = year_earlier(ytd)
    assert (before.kind, before.start, before.end) == ("ytd", dt.date(2025, 1, 1), dt.date(2025, 12, 7))
    assert before.label == "2025-01-01..2025-12-07"


def _with_k2_on_1_december_2025(tmp_path) -> Path:
    """The store plus K2's view of AP-1 on 1 Dec 2025: December 2025 then has K2 (1 Dec) and K4 (31 Dec)."""
    path = world.build(tmp_path / "december.duckdb", aggregate=False)
    with connect(path) as con:
        con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                    "VALUES (TIMESTAMP '2025-12-01 10:00', '198001012005011002', 'AP-1', 'view', 3)")
    return path


def test_a_running_december_is_compared_with_1_to_7_december_a_year_earlier(tmp_path):
    # 1-7 Dec 2025: K2 only (K4's view is on 31 Dec) -> 1 user of 11 (the 30 Jun 2026 recap, the
    # earliest after); the whole of December 2025 would be K2 and K4 -> 2 users. Dinkes alone: 1 / 4.
    december = period_of(2026, "month", 12, today=SEVENTH_DEC)
    with connect(_with_k2_on_1_december_2025(tmp_path), read_only=True) as con:
        province = outlook(con, 2026, as_of=SEVENTH_DEC, period=december)
        dinkes = skpd_page(con, 2026, "Dinas Kesehatan", period=december)
    assert (province.previous_period.start, province.previous_period.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 7))
    assert (province.previous["asset_users"], province.previous["headcount"]) == (1, 11)
    assert province.previous["utilisation_rate"] == pytest.approx(1 / 11)
    assert dinkes.previous["asset_users"] == 1 and dinkes.previous["utilisation_rate"] == pytest.approx(1 / 4)


def test_a_running_quarters_meetings_are_compared_with_the_same_days_a_year_earlier(tmp_path):
    # Meetings added here: 10 Oct 2025 (accompanied), 20 Dec 2025 (not), 5 Nov 2026 (accompanied), all CoP Sehat.
    # TW4 2026 to 7 Dec: 1 meeting; 1 Oct-7 Dec 2025: 1 (10 Oct; 20 Dec is after 7 Dec). The whole TW4 2025 held 2.
    path = _with_meetings(tmp_path, [("cop sehat", "Dinas Kesehatan", "2025-10-10", True),
                                     ("cop sehat", "Dinas Kesehatan", "2025-12-20", False),
                                     ("cop sehat", "Dinas Kesehatan", "2026-11-05", True)])
    with connect(path, read_only=True) as con:
        now, before = meetings_with_year_earlier(con, period_of(2026, "quarter", 4, today=SEVENTH_DEC))
    assert (now["activities"], now["activities_accompanied"]) == (1, 1)
    assert (before["activities"], before["activities_accompanied"], before["accompanied_rate"]) == (1, 1, 1.0)


def test_a_period_without_any_data_is_marked_so(db):
    # The store's uses run from 10 Jan to 1 Apr 2026, attendances to 10 Apr: December 2026 (to the
    # 7th) and TW1 2025 hold nothing anywhere; TW1 2026 and the year do. Dinkes' page judges the
    # province (an agency's own empty month in a month with data is a true 0%): TW2 2026 holds B1's
    # use (Bapenda), so Dinkes' TW2 is data with 0 users.
    december, tw2 = period_of(2026, "month", 12, today=SEVENTH_DEC), period_of(2026, "quarter", 2, today=SEVENTH_DEC)
    with connect(db, read_only=True) as con:
        marks = [overview(con, 2026, period=december).period_has_data,
                 overview(con, 2025, period=period_of(2025, "quarter", 1, today=SEVENTH_DEC)).period_has_data,
                 overview(con, 2026, period=period_of(2026, "quarter", 1, today=SEVENTH_DEC)).period_has_data,
                 overview(con, 2026).period_has_data,
                 skpd_page(con, 2026, "Dinas Kesehatan", period=december).period_has_data]
        dinkes_tw2 = skpd_page(con, 2026, "Dinas Kesehatan", period=tw2)
    assert marks == [False, False, True, True, False]
    assert dinkes_tw2.period_has_data and dinkes_tw2.kpis["asset_users"] == 0


@pytest.mark.parametrize("uses", ["counted", "raw"])
def test_only_a_whole_year_reads_the_years_attendees(tmp_path, uses):
    # attend_year_nip kept, as an attendance import leaves it (with the use aggregates, or with
    # raw use events only). Attendances added here: K2 10 Jan, D2 5 Mar 2026.
    # 1 Jan-28 Feb: {K2}; 2 Feb-31 Dec: {D2}; the year: {K2, D2}.
    path = world.build(tmp_path / "attended.duckdb", aggregate=uses == "counted")
    with connect(path) as con:
        for nip, day in [("198001012005011002", "2026-01-10"), ("198502022010012002", "2026-03-05")]:
            con.execute("INSERT INTO attendance VALUES (?, 'cop sehat', 'Rapat', 'rapat', ?, 'Peserta', NULL, NULL, NULL, 3, 0)",
                        [nip, day])
        if uses == "counted":
            rebuild_counted(con)
        rebuild_attendance(con)
        jan_feb = overall_kpis(con, 2026, period=Period("custom", dt.date(2026, 1, 1), dt.date(2026, 2, 28), "Jan-Feb"))
        rest = overall_kpis(con, 2026, period=Period("custom", dt.date(2026, 2, 2), dt.date(2026, 12, 31), "2 Feb-"))
        year = overall_kpis(con, 2026)
    assert (jan_feb["participants"], rest["participants"], year["participants"]) == (1, 1, 2)


def test_no_recap_or_a_zero_headcount_gives_no_rate(tmp_path):
    path = world.build(tmp_path / "norecap.duckdb", aggregate=False)
    with connect(path) as con:
        dishub = overall_kpis(con, 2026, Scope("Dinas Perhubungan"))             # headcount 0, nobody used anything
        con.execute("DELETE FROM headcount")
        none = overall_kpis(con, 2026)
    assert dishub == {"headcount": 0, "asset_users": 0, "utilisation_rate": None, "participants": 0,
                      "participation_rate": None, "assets_published": 0, "use_events": 0}
    assert none["headcount"] is None and none["utilisation_rate"] is None and none["participation_rate"] is None

# The pages, on the field samples (AppTest). Logs, attendance and meetings start in July 2025.
@pytest.fixture
def ringkasan(field_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO, logged_in
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    monkeypatch.setattr("metrics.activity.today_wib", lambda: TODAY)
    return logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60))


def _tile(at, name: str):
    return next(m for m in at.metric if m.label == name)


def _independent_q_users(db, start: str, end: str) -> tuple[int, int]:
    """Distinct roster NIPs viewing or downloading a listed asset in [start, end], and the recap's headcount."""
    with connect(db, read_only=True) as con:
        users = con.execute("""SELECT count(DISTINCT e.nip) FROM access_event e
            JOIN employee_current emp ON emp.nip = e.nip AND emp.skpd IN (SELECT skpd FROM headcount_current)
            WHERE e.action IN ('view', 'download') AND e.event_time >= ?::DATE AND e.event_time < ?::DATE + 1
              AND e.aset_id IN (SELECT aset_id FROM aset_current)""", [start, end]).fetchall()[0][0]
        headcount = con.execute("SELECT sum(headcount) FROM headcount_current").fetchall()[0][0]
    return users, headcount


def test_a_quarter_chosen_on_ringkasan_stays_in_the_url_and_recounts_the_tiles(ringkasan, field_db):
    at = ringkasan.run()
    year_value = _tile(at, "Tingkat pemanfaatan").value
    at.sidebar.selectbox(key="periode").select(("quarter", 3)).run()
    assert at.query_params["periode"] == "tw3"
    users, headcount = _independent_q_users(field_db, "2026-07-01", "2026-09-30")
    tile = _tile(at, "Tingkat pemanfaatan")
    assert tile.value == f"{users / headcount:.1%}".replace(".", ",") != year_value
    assert f"{users:,}".replace(",", ".") in tile.help
    assert _tile(at, "Tingkat partisipasi").delta.endswith(" TW3 2025")             # compared: TW3 2025 has data
    assert not any("Proyeksi" in c.value for c in at.caption)                      # no projection for a quarter


def test_no_comparison_with_a_period_without_data(ringkasan):
    ringkasan.query_params["periode"] = "tw1"
    at = ringkasan.run()
    assert not at.exception
    assert not _tile(at, "Tingkat partisipasi").delta and not _tile(at, "Aset terbit").delta          # TW1 2025: nothing


def test_a_finished_year_has_no_projection(ringkasan, monkeypatch):
    monkeypatch.setattr("metrics.activity.today_wib", lambda: dt.date(2027, 1, 10))
    at = ringkasan.run()
    assert not any("Proyeksi" in c.value for c in at.caption)


@pytest.mark.parametrize("value", ["bulan-13", "tw5", "Q2"])
def test_an_unknown_period_in_a_link_is_said_and_the_year_shown(ringkasan, value):
    ringkasan.query_params["periode"] = value
    at = ringkasan.run()
    assert not at.exception
    assert [w.value.replace("\\", "") for w in at.warning] == [                     # as rendered (Markdown escapes off)
        f"{value}: periode ini tidak ada (tahun, sd, tw1–tw4, bulan-01–bulan-12) → Setahun penuh"]
    # the whole year 2026: expected overall utilisation 2753 / 6953 = 0.395944
    assert _tile(at, "Tingkat pemanfaatan").value == "39,6%"
    assert "periode" not in at.query_params


def test_an_unknown_period_is_said_in_english_too(ringkasan):
    ringkasan.query_params["periode"] = "bulan-13"
    ringkasan.query_params["lang"] = "en"
    at = ringkasan.run()
    assert at.warning[0].value.replace("\\", "") == "bulan-13: no such period (tahun, sd, tw1–tw4, bulan-01–bulan-12) → Whole year"


def test_a_running_quarter_on_ringkasan_is_compared_with_the_same_days_a_year_earlier(ringkasan, field_db):
    # Today is pinned to 6 Dec 2026: TW4 2026 runs 1 Oct-6 Dec; a year earlier is 1 Oct-6 Dec 2025.
    ringkasan.query_params["periode"] = "tw4"
    at = ringkasan.run()
    users, headcount = _independent_q_users(field_db, "2025-10-01", "2025-12-06")
    assert users > 0
    assert _tile(at, "Tingkat partisipasi").delta.endswith(" poin dibanding 1 Okt–6 Desember 2025")
    assert "dibanding 1 Okt–6 Desember 2025" in _tile(at, "Tingkat pemanfaatan").help


@pytest.mark.parametrize("query, shown", [({"periode": "bulan-12"}, "1–6 Desember 2026"),         # running, nothing yet
                                          ({"periode": "bulan-02", "tahun": "2025"}, "Februari 2025")])  # data start July 2025
def test_a_period_without_any_data_says_so_instead_of_zeros(ringkasan, query, shown):
    for key, value in query.items():
        ringkasan.query_params[key] = value
    at = ringkasan.run()
    assert not at.exception and not at.metric                                  # no 0,0% tile, no delta
    assert [i.value for i in at.info] == [f"Belum ada data untuk {shown}: tidak ada pemanfaatan aset, kehadiran, "
                                          "kegiatan, atau aset terbit pada periode ini. Pilih periode lain."]


@pytest.mark.parametrize("page, tiles", [("perangkat_daerah", []),
                                         ("kegiatan", ["CoP berkegiatan TW IV 2026"])])   # the quarter's target tile stays
def test_the_agency_and_meetings_pages_say_so_too(ringkasan, page, tiles):
    at = ringkasan.run()
    at.switch_page(f"views/{page}.py")
    at.query_params["periode"] = "bulan-12"
    at.run()
    assert not at.exception and [m.label for m in at.metric] == tiles
    assert at.info[0].value.startswith("Belum ada data untuk 1–6 Desember 2026:")


def test_a_running_quarter_on_kegiatan_is_compared_with_the_same_days_a_year_earlier(ringkasan, field_db):
    # Meetings dated 1 Oct-6 Dec 2026 and 1 Oct-6 Dec 2025, counted straight from the register.
    with connect(field_db, read_only=True) as con:
        now, before = (con.execute("SELECT count(*) FROM activity_current WHERE activity_date BETWEEN ?::DATE AND ?::DATE",
                                   [start, end]).fetchall()[0][0]
                       for start, end in (("2026-10-01", "2026-12-06"), ("2025-10-01", "2025-12-06")))
    at = ringkasan.run()
    at.switch_page("views/kegiatan.py")
    at.query_params["periode"] = "tw4"
    at.run()
    tile = _tile(at, "Kegiatan")
    assert tile.value == str(now)
    assert now > 0 and before > 0
    assert tile.delta == f"{now - before:+d} dibanding 1 Okt–6 Desember 2025"
