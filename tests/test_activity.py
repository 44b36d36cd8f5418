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
