"""Meeting KPIs (metrics.activity) on the hand-made exports in
``tests/fixtures/activity_maturity/``; every expected number is worked out by hand here.

Known CoPs (the ``cop`` table): CoP Sehat (Dinkes), CoP Guru (Disdik), CoP Jalan (Dishub)
from the activity register, and CoP Sunyi (Dishub), named only in the maturity file.

The register (date, CoP, accompanied, mentor):
  20 Nov 2025 Guru Ya B   <- the register's first meeting
  10 Jan 2026 Sehat Ya A · 10 Feb Sehat Tidak · 15 Mar Guru Ya B       (TW I)
  05 May 2026 Sehat Ya A                                               (TW II)
  01 Aug 2026 Jalan Ya A                                               (TW III)
  02 Oct 2026 Guru Tidak                                               (TW IV)

2026, judged on 30 Nov 2026 (TW IV running):
  quarter  meetings  accompanied  CoPs with a meeting / known
  TW I     3         2            2 / 4 (Sehat, Guru)
  TW II    1         1            1 / 4 (Sehat)
  TW III   1         1            1 / 4 (Jalan)
  TW IV    1         0            1 / 4 (Guru)
  year: 6 meetings, 4 accompanied; 5 of 16 CoP-quarters met the target.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from data.ingest import ingest_paths
from data.store.connection import connect
from metrics.activity import activity_overview, cop_agencies, covered_quarters, mentors
from metrics.kpi import Scope

FIXTURES = Path(__file__).parent / "fixtures" / "activity_maturity"
END_NOV_2026 = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The fixture folder imported into a fresh database."""
    path = tmp_path_factory.mktemp("activity") / "activity.duckdb"
    results = ingest_paths([FIXTURES], db=path)
    assert [r.file for r in results if r.status != "imported"] == []
    return path


def _overview(db, year, scope=Scope(), as_of=END_NOV_2026):
    with connect(db, read_only=True) as con:
        return activity_overview(con, year, scope, as_of=as_of)


def test_quarters_before_the_registers_first_meeting_are_not_counted(db):
    with connect(db, read_only=True) as con:
        # first meeting 20 Nov 2025: TW I-III 2025 ended before it
        assert covered_quarters(con, 2025, END_NOV_2026) == [4]
        assert covered_quarters(con, 2024, END_NOV_2026) == []


def test_quarters_not_yet_started_are_not_counted(db):
    with connect(db, read_only=True) as con:
        assert covered_quarters(con, 2026, dt.date(2026, 5, 15)) == [1, 2]


def test_meetings_per_quarter_at_province_grain(db):
    province = _overview(db, 2026).province
    assert province["quarter"].tolist() == [1, 2, 3, 4]
    assert province["activities"].tolist() == [3, 1, 1, 1]
    assert province["activities_accompanied"].tolist() == [2, 1, 1, 0]
    assert province["quarter_closed"].tolist() == [True, True, True, False]


def test_share_of_cops_meeting_the_quarterly_target_counts_every_known_cop(db):
    province = _overview(db, 2026).province
    assert province["cops"].tolist() == [4, 4, 4, 4]  # CoP Sunyi never met but is known
    assert province["cops_meeting_target"].tolist() == [2, 1, 1, 1]
    assert province["cops_meeting_target_rate"].tolist() == pytest.approx([0.5, 0.25, 0.25, 0.25])


def test_year_target_share_is_cop_quarters_met_over_cop_quarters(db):
    totals = _overview(db, 2026).target_totals()
    assert (totals["cop_quarters_meeting_target"], totals["cop_quarters"]) == (5, 16)
    assert totals["cops_meeting_target_rate"] == pytest.approx(5 / 16)
    assert totals["running_cops_meeting_target"] == 1  # TW IV: Guru


def test_headline_counts_match_the_register(db):
    summary = _overview(db, 2026).summary
    assert (summary["activities"], summary["activities_accompanied"]) == (6, 4)
    assert summary["accompanied_rate"] == pytest.approx(4 / 6)


def test_cops_without_a_meeting_in_the_running_quarter(db):
    missing = _overview(db, 2026).cops_without_meeting()
    assert missing["quarter"].unique().tolist() == [4]
    # ordered by agency: Dinkes (Sehat), Dishub (Jalan, Sunyi)
    assert missing["cop"].tolist() == ["CoP Sehat", "CoP Jalan", "CoP Sunyi"]


def test_cops_without_a_meeting_for_a_past_year_are_listed_per_quarter(db):
    data = _overview(db, 2025)
    assert data.running_quarter is None
    missing = data.cops_without_meeting()
    # 2025: only TW IV counted, Guru met -> Sehat, Jalan, Sunyi
    assert list(zip(missing["quarter"], missing["cop"])) == [(4, "CoP Sehat"), (4, "CoP Jalan"), (4, "CoP Sunyi")]


def test_a_chosen_quarter_or_month_is_judged_on_its_own_quarter(db):
    from metrics.periods import period_of
    data = _overview(db, 2026)
    tw2 = period_of(2026, "quarter", 2, today=END_NOV_2026)
    may = period_of(2026, "month", 5, today=END_NOV_2026)
    ytd = period_of(2026, "ytd", today=END_NOV_2026)
    assert (data.focus_quarter(tw2), data.focus_quarter(may), data.focus_quarter(ytd), data.focus_quarter(None)) == (2, 2, 4, 4)
    assert data.quarter_target(2) == (1, 4)                      # TW II: only Sehat met, of 4 known CoPs
    # ordered by agency: Disdik (Guru), Dishub (Jalan, Sunyi)
    assert data.cops_without_meeting(2)["cop"].tolist() == ["CoP Guru", "CoP Jalan", "CoP Sunyi"]
    past = _overview(db, 2025)
    assert past.focus_quarter(period_of(2025, "year", today=END_NOV_2026)) is None
    assert past.quarter_target(1) is None                        # TW I 2025 ended before the first meeting
    assert past.cops_without_meeting(1).empty


def test_agency_grain_re_aggregates_numerators_and_denominators(db):
    skpd = _overview(db, 2026).skpd.set_index("skpd")
    dinkes = skpd.loc["Dinas Kesehatan"]
    # Sehat: 3 meetings (Jan, Feb, May), 2 accompanied; met TW I, TW II of 4
    assert (dinkes["activities"], dinkes["activities_accompanied"]) == (3, 2)
    assert (dinkes["cop_quarters_meeting_target"], dinkes["cop_quarters"]) == (2, 4)
    dishub = skpd.loc["Dinas Perhubungan"]
    # Jalan met TW III, Sunyi never: 1 of 2 CoPs x 4 quarters
    assert dishub["cops_meeting_target_rate"] == pytest.approx(1 / 8)


def test_agency_scope_reads_only_that_agencys_cops(db):
    data = _overview(db, 2026, Scope("Dinas Perhubungan"))
    assert set(data.cop_quarters["cop"]) == {"CoP Jalan", "CoP Sunyi"}
    assert data.province["cops_meeting_target"].tolist() == [0, 0, 1, 0]
    assert data.summary["activities"] == 1


def test_accompanied_rate_by_mentor_adds_up_to_the_accompanied_rate(db):
    with connect(db, read_only=True) as con:
        frame = mentors(con, 2026)
    # A: Sehat Jan, Sehat May, Jalan Aug = 3 of 6 meetings; B: Guru Mar = 1 of 6
    assert frame["mentor"].tolist() == ["Pendamping A", "Pendamping B"]
    assert frame["activities_accompanied"].tolist() == [3, 1]
    assert frame["cops_accompanied"].tolist() == [2, 1]
    assert frame["accompanied_rate"].tolist() == pytest.approx([3 / 6, 1 / 6])
    assert frame["accompanied_rate"].sum() == pytest.approx(4 / 6)


def test_agency_filter_lists_agencies_owning_a_cop(db):
    with connect(db, read_only=True) as con:
        assert cop_agencies(con) == ["Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"]


def test_field_samples_quarters_match_the_expected_file(field_db, expected):
    data = _overview(field_db, 2026)
    by_quarter = expected["activities"]["by_quarter"]
    assert data.province["activities"].tolist() == [by_quarter[f"Q{q}"]["activities"] for q in range(1, 5)]
    assert data.province["cops_meeting_target"].tolist() == [by_quarter[f"Q{q}"]["cops_active"] for q in range(1, 5)]


# --- what mutation testing found unchecked (issue 19, bench/mutation/metrics_activity.md) --------

_QUARTER_COLUMNS = ["quarter", "quarter_closed", "activities", "activities_accompanied", "cops", "cops_meeting_target",
                    "accompanied_rate", "cops_meeting_target_rate"]
_SKPD_COLUMNS = ["skpd", "cops", "activities", "activities_accompanied", "cop_quarters", "cop_quarters_meeting_target",
                 "accompanied_rate", "cops_meeting_target_rate"]


def test_a_quarter_is_covered_from_its_first_day_and_closed_only_after_its_last(db):
    with connect(db, read_only=True) as con:
        assert covered_quarters(con, 2026, dt.date(2026, 1, 1)) == [1]
        assert covered_quarters(con, 2026, dt.date(2026, 4, 1)) == [1, 2]
    # judged on 30 Jun: TW I ended 31 Mar (closed); TW II ends that day: running, not closed
    june = _overview(db, 2026, as_of=dt.date(2026, 6, 30))
    assert (june.as_of, june.running_quarter) == (dt.date(2026, 6, 30), 2)
    assert june.province[["quarter", "quarter_closed"]].values.tolist() == [[1, True], [2, False]]
    # 1 Jul: TW II closed the day before; TW III starts, and runs
    july = _overview(db, 2026, as_of=dt.date(2026, 7, 1))
    assert (july.running_quarter, july.province["quarter_closed"].tolist()) == (3, [True, True, False])
    assert _overview(db, 2026, as_of=dt.date(2026, 1, 1)).running_quarter == 1
    # TW IV ends on 31 December: still running that day, closed on 1 January
    assert _overview(db, 2026, as_of=dt.date(2026, 12, 31)).province["quarter_closed"].tolist() == [True, True, True, False]
    assert _overview(db, 2026, as_of=dt.date(2027, 1, 1)).province["quarter_closed"].tolist() == [True, True, True, True]


def test_a_quarter_ending_on_the_registers_first_meeting_is_covered(tmp_path):
    # a register whose first meeting is 30 Sep 2025, the last day of TW III: TW III and TW IV 2025 count
    with connect(tmp_path / "one.duckdb") as con:
        con.execute("INSERT INTO activity VALUES ('cop sehat', 'Dinas Kesehatan', 'Rapat', 'rapat', DATE '2025-09-30', "
                    "NULL, true, NULL, 3, 1, 0, NULL)")
        assert covered_quarters(con, 2025, END_NOV_2026) == [3, 4]


def test_accompanied_share_per_quarter_and_the_target_share_of_an_agency_with_one_cop(db):
    province = _overview(db, 2026).province
    assert list(province.columns) == _QUARTER_COLUMNS
    # TW I 2 of 3 accompanied (Sehat Jan, Guru Mar); TW II 1/1; TW III 1/1; TW IV 0/1
    assert province["accompanied_rate"].tolist() == pytest.approx([2 / 3, 1.0, 1.0, 0.0])
    # Dinkes knows one CoP, Sehat: met TW I (Jan, Feb) and TW II (May) -> 1/1, 1/1, 0/1, 0/1; accompanied
    # TW I 1 of 2 (Jan), TW II 1 of 1 (May), no meeting after: undefined
    dinkes = _overview(db, 2026, Scope("Dinas Kesehatan")).province
    assert dinkes["cops_meeting_target_rate"].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert dinkes["accompanied_rate"].iloc[:2].tolist() == [0.5, 1.0] and dinkes["accompanied_rate"].iloc[2:].isna().all()


def test_agency_rows_count_cops_and_the_accompanied_share(db):
    skpd = _overview(db, 2026).skpd
    assert list(skpd.columns) == _SKPD_COLUMNS and list(skpd.index) == [0, 1, 2]
    assert skpd["skpd"].tolist() == ["Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"]
    assert skpd["cops"].tolist() == [1, 1, 2]                      # Sehat | Guru | Jalan, Sunyi
    # Dinkes 2 of 3 (Jan, May); Disdik 1 of 2 (Mar yes, Oct no); Dishub 1 of 1 (Jalan, Aug)
    assert skpd["accompanied_rate"].tolist() == pytest.approx([2 / 3, 0.5, 1.0])


def test_agency_by_quarter_rows_are_ordered_by_agency_then_quarter(db):
    sq = _overview(db, 2026).skpd_quarters
    assert list(sq.columns) == ["skpd", *_QUARTER_COLUMNS] and list(sq.index) == list(range(12))
    assert list(zip(sq["skpd"], sq["quarter"])) == [
        (s, q) for s in ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan") for q in (1, 2, 3, 4)]
    # Dinkes: Jan, Feb | May; Disdik: Mar | Oct; Dishub: Aug
    assert sq["activities"].tolist() == [2, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]
    assert sq["cops"].tolist() == [1] * 8 + [2] * 4


def test_a_year_without_a_covered_quarter_gives_empty_tables_with_their_columns(db):
    data = _overview(db, 2024)                                       # the register starts on 20 Nov 2025
    assert data.cop_quarters.empty and data.province.empty and data.skpd_quarters.empty and data.skpd.empty
    assert list(data.province.columns) == _QUARTER_COLUMNS
    assert list(data.skpd_quarters.columns) == ["skpd", *_QUARTER_COLUMNS]
    assert list(data.skpd.columns) == _SKPD_COLUMNS
    assert data.target_totals() == {"cops": 0, "quarters": [], "cop_quarters": 0, "cop_quarters_meeting_target": 0,
                                    "cops_meeting_target_rate": None, "running_cops_meeting_target": None}
    assert data.cops_without_meeting().empty


def test_the_target_totals_name_the_cops_and_the_quarters_counted(db):
    assert _overview(db, 2026).target_totals() == {
        "cops": 4, "quarters": [1, 2, 3, 4], "cop_quarters": 16, "cop_quarters_meeting_target": 5,
        "cops_meeting_target_rate": 5 / 16, "running_cops_meeting_target": 1}
    # 2025 is past: only TW IV counts (Guru met, 1 of 4); no running quarter
    assert _overview(db, 2025).target_totals() == {
        "cops": 4, "quarters": [4], "cop_quarters": 4, "cop_quarters_meeting_target": 1,
        "cops_meeting_target_rate": 0.25, "running_cops_meeting_target": None}


def test_cops_without_a_meeting_keep_the_cop_quarter_columns(db):
    data = _overview(db, 2026)
    missing = data.cops_without_meeting()
    assert list(missing.columns) == list(data.cop_quarters.columns) and list(missing.index) == [0, 1, 2]


def test_an_agencys_overview_lists_only_its_mentors(db):
    # Dishub's one accompanied meeting: Jalan, 1 Aug, Pendamping A; 1 of its 1 meeting
    mentors_ = _overview(db, 2026, Scope("Dinas Perhubungan")).mentors
    assert mentors_[["mentor", "activities_accompanied", "accompanied_rate"]].values.tolist() == [["Pendamping A", 1, 1.0]]


def test_without_a_date_the_overview_is_judged_on_todays_date_in_jakarta(db, monkeypatch):
    # 6 Dec 2026 20:00 UTC is already 7 Dec 03:00 in Jakarta (UTC+7)
    import metrics.activity as activity

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            instant = dt.datetime(2026, 12, 6, 20, 0, tzinfo=dt.timezone.utc)
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(activity, "dt", SimpleNamespace(datetime=Clock, date=dt.date, timedelta=dt.timedelta))
    assert activity.today_wib() == dt.date(2026, 12, 7)
    with connect(db, read_only=True) as con:
        data = activity_overview(con, 2026)
    assert (data.as_of, data.running_quarter) == (dt.date(2026, 12, 7), 4)
