"""Engagement KPIs (metrics/engagement.py) pinned on the tiny hand-made exports in
``tests/fixtures/engagement/``; every expected number is worked out by hand below.

Headcount recap 30 Jun 2026 (applies to 2025 and 2026): Dinkes 4, Disdik 5, Dishub 0; total 9.
Roster: K1 K2 K3 (Dinkes), D1 D2 D3 (Disdik). X = 199107072016011007 is in no roster.

Assets: AP-1 Dinkes by K1 up 5 Jan 2026, Terbit 10 Jan 2026 | AP-2 Dinkes by K2 up Nov 2025,
Terbit 5 Nov 2025 | AP-3 Dinkes by K1 up 1 Feb 2026, Draf | AP-4 Disdik by D1 up 1 Mar 2026,
Terbit 2 Mar 2026 | AP-5 Dishub by D2 (a Disdik employee) up 1 Apr 2026, Terbit | AP-6 Disdik
by D3 up 1 May 2026, Ditolak.

2026 use events (after dropping: the identical second K1/AP-1 row, K2's like, X (no roster),
K2 on AP-99 (no register), K3's 31 Dec 2025 view):
  e1 K1 AP-1, e3 K1 AP-2, e4 D1 AP-1, e5 D1 AP-1, e6 D2 AP-3, e7 D1 AP-4, e9 K3 AP-5, e13 D1 AP-5.

CoP meetings 2026: CoP Sehat 4 in the activity register + "Berbagi Sehat 5" only in the
attendance = 5; CoP Guru 2; CoP Jalan 0 (one in 2025).
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from data.ingest import ingest_paths
from data.store.aggregates import rebuild
from data.store.connection import connect, set_meta
from metrics.engagement import (asset_use_by_skpd, cop_tiers, engagement_totals, latest_imports, province_figures,
                                recap_skpd, skpd_engagement, skpd_page, top_assets)
from metrics.grain import period_at
from metrics.kpi import Scope

FIXTURES = Path(__file__).parent / "fixtures" / "engagement"
DINKES, DISDIK, DISHUB = "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The fixture folder (not ``later/``) imported once."""
    path = tmp_path_factory.mktemp("engagement") / "engagement.duckdb"
    results = ingest_paths([FIXTURES], db=path)
    assert [(r.file, r.status) for r in results if r.status != "imported"] == []
    return path


def _row(db: Path, year: int, skpd: str, scope: Scope = Scope()) -> dict:
    with connect(db, read_only=True) as con:
        frame = skpd_engagement(con, year, scope)
    return frame.set_index("skpd").loc[skpd].to_dict()


def test_use_of_an_agencys_assets_counts_users_of_every_agency(db):
    dinkes = _row(db, 2026, DINKES)
    # Dinkes assets AP-1..3: e1 e3 (K1), e4 e5 (D1), e6 (D2) -> users {K1, D1, D2} = 3, events 5
    assert (dinkes["users_of_assets"], dinkes["use_events_of_assets"]) == (3, 5)
    # use BY Dinkes employees: K1 (e1, e3), K3 (e9 on Dishub's AP-5) -> 2 users, 3 events
    assert (dinkes["asset_users"], dinkes["use_events"]) == (2, 3)


def test_cross_agency_use_is_use_by_employees_of_other_agencies(db):
    dinkes = _row(db, 2026, DINKES)
    # of {K1, D1, D2} the Disdik ones D1, D2 -> 2 users, events e4 e5 e6 = 3; share 2 / 3
    assert (dinkes["cross_skpd_users"], dinkes["cross_skpd_use_events"]) == (2, 3)
    assert dinkes["cross_skpd_share"] == pytest.approx(2 / 3)
    # Disdik's only used asset AP-4 was used by its own D1 only: share 0 / 1
    assert _row(db, 2026, DISDIK)["cross_skpd_share"] == 0


def test_province_cross_agency_users_are_distinct_not_summed(db):
    with connect(db, read_only=True) as con:
        total = engagement_totals(con, 2026)
    # per agency 2 (Dinkes: D1, D2) + 0 + 2 (Dishub: K3, D1) = 4, but D1 is one person:
    # distinct users of another agency's asset {D1, D2, K3} = 3, of all users {K1, D1, D2, K3} = 4
    assert (total["cross_skpd_users"], total["users_of_assets"]) == (3, 4)
    assert total["cross_skpd_share"] == 0.75


def test_reuse_counts_published_assets_used_by_someone_other_than_the_uploader(db):
    # Dinkes: AP-1 (K1's, used by D1) and AP-2 (K2's, used by K1) reused; AP-3 is a draft -> 2 / 2
    assert (_row(db, 2026, DINKES)["assets_available"], _row(db, 2026, DINKES)["assets_reused"]) == (2, 2)
    # Disdik: AP-4 used only by its uploader D1 -> 0 / 1; AP-6 rejected is not available
    disdik = _row(db, 2026, DISDIK)
    assert (disdik["assets_available"], disdik["assets_reused"], disdik["reuse_rate"]) == (1, 0, 0.0)


def test_reuse_stock_is_assets_published_by_the_years_end(db):
    # 2025: only AP-2 was published by 31 Dec 2025 and nobody used it in 2025 -> Dinkes 0 / 1
    dinkes = _row(db, 2025, DINKES)
    assert (dinkes["assets_available"], dinkes["reuse_rate"]) == (1, 0.0)
    # Disdik's AP-4 (published 2026) is not in the 2025 stock: 0 assets, rate undefined
    assert math.isnan(_row(db, 2025, DISDIK)["reuse_rate"])


def test_province_reuse_rate_is_recomputed_from_counts(db):
    with connect(db, read_only=True) as con:
        total = engagement_totals(con, 2026)
    # available AP-1, AP-2, AP-4, AP-5 = 4; reused AP-1, AP-2, AP-5 = 3 -> 0.75 (mean of agency rates would be 2/3)
    assert (total["assets_available"], total["assets_reused"], total["reuse_rate"]) == (4, 3, 0.75)


def test_contributors_count_uploaders_of_the_year_to_their_own_agency(db):
    # Dinkes: K1 (AP-1, AP-3); K2's AP-2 was uploaded in 2025 -> 1; 100 * 1 / 4 = 25
    assert (_row(db, 2026, DINKES)["contributors"], _row(db, 2026, DINKES)["contributors_per_100"]) == (1, 25.0)
    # Disdik: D1 (AP-4), D2 (AP-5, a Dishub asset), D3 (AP-6, rejected still uploaded) -> 3; 100 * 3 / 5 = 60
    assert (_row(db, 2026, DISDIK)["contributors"], _row(db, 2026, DISDIK)["contributors_per_100"]) == (3, 60.0)


def test_contributors_per_100_is_undefined_without_headcount(db):
    dishub = _row(db, 2026, DISHUB)       # headcount 0, no contributor
    assert dishub["contributors"] == 0 and math.isnan(dishub["contributors_per_100"])
    with connect(db, read_only=True) as con:
        total = engagement_totals(con, 2026)
    assert total["contributors_per_100"] == pytest.approx(100 * 4 / 9)   # K1, D1, D2, D3 over 9


def test_scope_keeps_one_agency_but_counts_its_users_from_everywhere(db):
    with connect(db, read_only=True) as con:
        frame = skpd_engagement(con, 2026, Scope(DINKES))
        total = engagement_totals(con, 2026, Scope(DINKES))
    assert list(frame["skpd"]) == [DINKES]
    assert frame.iloc[0]["users_of_assets"] == 3 and total["users_of_assets"] == 3


def _tiers(db: Path, year: int) -> dict:
    with connect(db, read_only=True) as con:
        frame = cop_tiers(con, year)
    return frame.set_index("cop").drop(columns=["cop_key", "skpd"]).to_dict("index")


def test_participation_tiers_follow_the_stated_thresholds(db):
    sehat = _tiers(db, 2026)["CoP Sehat"]
    # M = 5 (4 registered + "Berbagi Sehat 5" from attendance); 75% of 5 = 3.75
    # K1 4 meetings -> core; K2 3 (< 3.75) -> active; K3 2 meetings, Narasumber + Fasilitator -> core (led 2);
    # D1 (Disdik) 2 -> occasional; D2 1 (form sent twice) -> peripheral; X not in roster -> not a member
    assert sehat == {"meetings": 5, "members": 5, "core": 2, "active": 1, "occasional": 1, "peripheral": 1,
                     "active_members": 3}


def test_attending_every_meeting_of_a_cop_that_met_twice_is_not_core(db):
    guru = _tiers(db, 2026)["CoP Guru"]
    # M = 2: D1 attended both (100%) but under the floor of 3 -> occasional; D3 once as Narasumber -> peripheral
    assert (guru["meetings"], guru["core"], guru["occasional"], guru["peripheral"]) == (2, 0, 1, 1)


def test_cops_without_meetings_in_the_year_are_listed_with_zeros(db):
    tiers = _tiers(db, 2026)
    assert tiers["CoP Jalan"]["meetings"] == 0 and tiers["CoP Jalan"]["members"] == 0
    assert _tiers(db, 2025)["CoP Jalan"]["peripheral"] == 1     # K3 at "Diskusi Jalan 0", Oct 2025


def test_top_assets_rank_by_distinct_users_then_events_then_id(db):
    with connect(db, read_only=True) as con:
        frame = top_assets(con, 2026, Scope(DINKES), limit=2)
    # AP-1 {K1, D1} 2 users, 3 events; AP-2 {K1} 1/1 and AP-3 {D2} 1/1 tie -> by id AP-2
    assert frame[["aset_id", "asset_users", "use_events", "cross_skpd_users"]].values.tolist() == [
        ["AP-1", 2, 3, 1], ["AP-2", 1, 1, 0]]


def test_asset_use_by_skpd_lists_user_agencies_largest_first(db):
    with connect(db, read_only=True) as con:
        frame = asset_use_by_skpd(con, 2026, Scope(DINKES))
    # Disdik: D1, D2; events e4 e5 e6; assets AP-1, AP-3. Dinkes own: K1; e1 e3; AP-1, AP-2
    assert frame[["user_skpd", "own", "asset_users", "use_events", "assets_used"]].values.tolist() == [
        [DISDIK, False, 2, 3, 2], [DINKES, True, 1, 2, 2]]


def test_latest_imports_show_the_newest_file_per_source(db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    ingest_paths([FIXTURES / "later" / "log_akses_2026-12.csv"], db=copy)
    with connect(copy, read_only=True) as con:
        coverage = latest_imports(con).set_index("kind")
    assert coverage.loc["access_log", "file_name"] == "log_akses_2026-12.csv"
    assert coverage.loc["access_log", "imports"] == 3        # 2025-12, 2026, then the later one
    assert coverage.loc["roster", "rows_loaded"] == 6


def test_skpd_page_is_none_for_an_agency_outside_the_recap(db):
    with connect(db, read_only=True) as con:
        assert recap_skpd(con, 2026) == [DINKES, DISDIK, DISHUB]
        assert skpd_page(con, 2026, "Dinas Sosial") is None
        page = skpd_page(con, 2026, DINKES)
    assert page.kpis["headcount"] == 4 and page.engagement["users_of_assets"] == 3
    assert page.province_engagement["users_of_assets"] == 4


# --- the agency page's bundle (what mutation testing found unchecked) ------------------------
# 2025 in the fixture: K3 (Dinkes) views AP-4 on 31 Dec 2025 23:00 and attends "Diskusi Jalan 0"
# (CoP Jalan, Dishub) on 10 Oct 2025; Dinkes publishes AP-2 on 5 Nov 2025. Disdik has nothing of
# its own in 2025. The 30 Jun 2026 recap (Dinkes 4, Disdik 5, Dishub 0) applies to 2025 too.

def _page(db: Path, skpd: str, period=None, province=None):
    with connect(db, read_only=True) as con:
        return skpd_page(con, 2026, skpd, province, period=period)


def test_the_agency_page_compares_with_the_agencys_own_year_earlier(db):
    page = _page(db, DINKES)
    # Dinkes 2025: K3's view -> 1 user, 1 use, 1/4; K3 at Diskusi Jalan 0 -> 1 participant, 1/4; AP-2 published
    assert page.previous == {"headcount": 4, "asset_users": 1, "utilisation_rate": 0.25, "participants": 1,
                             "participation_rate": 0.25, "assets_published": 1, "use_events": 1}
    assert (page.period.label, page.previous_period.label) == ("2026", "2025")
    # the province holds K3's 2025 data, Disdik none of its own: no comparison for Disdik
    assert _page(db, DISDIK).previous is None


def test_the_agency_page_of_a_month_counts_that_month_and_the_same_month_a_year_earlier(db):
    december = period_at("month", dt.date(2026, 12, 1))
    page = _page(db, DINKES, december)
    # nothing is dated in December 2026 (the uses end on 8 Apr, the meetings on 15 May)
    assert (page.kpis["asset_users"], page.kpis["use_events"], page.kpis["utilisation_rate"]) == (0, 0, 0.0)
    assert (page.province["headcount"], page.province["asset_users"], page.province["use_events"]) == (9, 0, 0)
    assert page.activities["activities"] == 0 and page.monthly.empty          # the year: 4 and Jan-Apr
    # December 2025: only K3's view of 31 Dec; the October meeting and November's AP-2 fall outside
    assert page.previous == {"headcount": 4, "asset_users": 1, "utilisation_rate": 0.25, "participants": 0,
                             "participation_rate": 0.0, "assets_published": 0, "use_events": 1}
    assert page.previous_period.label == "2025-12"
    # engagement, CoPs and assets stay the year's: users of Dinkes assets K1, D1, D2
    assert page.engagement["users_of_assets"] == 3 and page.province_engagement["users_of_assets"] == 4


def test_the_agency_page_lists_its_own_cops_with_their_maturity_and_none_for_undefined_rates(db):
    page = _page(db, DINKES)
    # only CoP Sehat is a Dinkes CoP; no maturity file is imported: its score is missing, the CoP stays
    assert list(page.cops["cop"]) == ["CoP Sehat"] and page.cops["maturity_score"].isna().all()
    assert page.cops.iloc[0]["meetings"] == 5
    dishub = _page(db, DISHUB)          # headcount 0: rates undefined, given as None (not NaN)
    assert dishub.kpis["headcount"] == 0
    assert dishub.kpis["utilisation_rate"] is None and dishub.kpis["participation_rate"] is None


def test_the_agency_page_takes_the_province_figures_it_is_given(db):
    given = ({"asset_users": -1}, {"users_of_assets": -2})
    page = _page(db, DINKES, province=given)
    assert (page.province, page.province_engagement) == given


def test_province_figures_are_the_provinces_kpis_and_engagement_of_the_year_or_period(db):
    with connect(db, read_only=True) as con:
        kpis, engagement = province_figures(con, 2026)
        q1, q1_engagement = province_figures(con, 2026, period_at("quarter", dt.date(2026, 1, 1)))
    # 2026: users K1, D1, D2, K3 = 4 of 9; uses e1 e3 e4 e5 e6 e7 e9 e13 = 8
    assert (kpis["headcount"], kpis["asset_users"], kpis["use_events"]) == (9, 4, 8)
    assert (engagement["headcount"], engagement["users_of_assets"]) == (9, 4)
    # TW1: K1 (12, 20 Jan), D1 (3, 4 Feb, 10 Mar), D2 (5 Feb) -> 3 users, 6 uses; engagement stays the year's
    assert (q1["asset_users"], q1["use_events"]) == (3, 6) and q1_engagement == engagement


def test_the_agency_page_shows_its_own_assets_and_hides_small_people_counts(db):
    page = _page(db, DISDIK)
    # Disdik's only used asset: AP-4, by its own D1 (e7): 1 user, 1 use, none from other agencies
    assert page.top_assets[["aset_id", "asset_users", "use_events", "cross_skpd_users"]].values.tolist() == [["AP-4", 1, 1, 0]]
    assert page.users_by_skpd[["aset_skpd", "user_skpd", "asset_users", "use_events", "assets_used"]].values.tolist() == [
        [DISDIK, DISDIK, 1, 1, 1]]
    assert set(page.hidden) == {"cops", "top_assets", "users_by_skpd"}
    # the page shows 1 user of its assets: the one row's 1 user could be read off that total, so hiding
    # spreads to the row's 1 use event and its 1 asset (every cell 1-4: small)
    assert page.hidden["users_by_skpd"].values.tolist() == [["small", "small", "small"]]
    # AP-4: 1 user beside 1 use event would tell the user count: both hidden; 0 from other agencies shown
    assert page.hidden["top_assets"].values.tolist() == [["small", "small", ""]]
    # CoP Guru: members D1, D3 (2), occasional D1 (1), peripheral D3 (1); zeros shown
    assert page.hidden["cops"].loc[0].to_dict() == {"members": "small", "core": "", "active": "", "occasional": "small",
                                                     "peripheral": "small", "active_members": ""}


def test_the_agency_page_of_the_year_holds_every_part(db):
    page = _page(db, DINKES)
    assert (page.year, page.skpd, page.recap_date, page.is_demo) == (2026, DINKES, dt.date(2026, 6, 30), False)
    # by Dinkes employees: K1 (e1, e3), K3 (e9) -> 2 of 4, 3 uses; attendees K1, K2, K3 -> 3 of 4; AP-1 published 2026
    assert page.kpis == {"skpd": DINKES, "kind": "Dinas", "headcount": 4, "asset_users": 2, "utilisation_rate": 0.5, "participants": 3,
                         "participation_rate": 0.75, "assets_published": 1, "use_events": 3}
    # the province: users K1, D1, D2, K3 = 4 of 9
    assert (page.province["asset_users"], page.province["headcount"]) == (4, 9)
    # Berbagi Sehat 1-4 registered for Dinkes, accompanied 1, 3, 4 -> 3 of 4
    assert (page.activities["activities"], page.activities["activities_accompanied"]) == (4, 3)
    # cumulative Dinkes users: K1 from January, K3 from April -> 1, 1, 1, 2 of 4
    assert page.monthly[["month", "cumulative_asset_users"]].values.tolist() == [
        ["2026-01", 1], ["2026-02", 1], ["2026-03", 1], ["2026-04", 2]]
    assert list(page.coverage["kind"]) == ["access_log", "activity", "aset", "attendance", "headcount", "roster"]
    # AP-1 {K1, D1}, AP-2 {K1}, AP-3 {D2}; users by agency: Disdik D1, D2 then Dinkes K1
    assert list(page.top_assets["aset_id"]) == ["AP-1", "AP-2", "AP-3"]
    assert list(page.users_by_skpd["user_skpd"]) == [DISDIK, DINKES]
    # the page shows 3 users of its assets, 2 from other agencies: Disdik's row (2) equals the 2 and
    # Dinkes' own row is 3 - 2 = 1, so beside the users their uses (3, 2) and assets (2, 2) are hidden
    assert page.hidden["users_by_skpd"].values.tolist() == [["small"] * 3, ["small"] * 3]


def test_the_agency_page_says_when_the_database_is_the_demo(db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(db.read_bytes())
    with connect(copy) as con:
        set_meta(con, "is_demo", "true")
    assert _page(copy, DINKES).is_demo is True


# --- counted now (the kept counts out of date), and the frame's shape ------------------------

def _live_copy(db: Path, tmp_path: Path) -> Path:
    """A copy whose kept counts are out of date, as a release that did not keep them leaves
    a store: every reader counts from the events now."""
    path = tmp_path / "live.duckdb"
    path.write_bytes(db.read_bytes())
    with connect(path) as con:
        set_meta(con, "engagement_year_stamp", "older")
    return path


def test_the_agency_table_has_the_documented_columns_in_order(db):
    with connect(db, read_only=True) as con:
        frame = skpd_engagement(con, 2026)
    assert list(frame.columns) == ["skpd", "headcount", "asset_users", "use_events", "users_of_assets",
                                   "use_events_of_assets", "cross_skpd_users", "cross_skpd_use_events", "cross_skpd_share",
                                   "assets_available", "assets_reused", "reuse_rate", "contributors",
                                   "contributors_per_100"]
    assert list(frame.index) == [0, 1, 2] and list(frame["skpd"]) == [DINKES, DISDIK, DISHUB]


def test_counted_now_the_figures_are_the_same(db, tmp_path):
    # plus here: a Dishub employee E (roster added; Dishub's recap says 0) who uploads a draft in 2026
    path = _live_copy(db, tmp_path)
    with connect(path) as con:
        con.execute("INSERT INTO employee VALUES ('e-pseudonym', 'Eko', 'Dinas Perhubungan', 'PNS', 1, 99, NULL, NULL)")
        con.execute("INSERT INTO aset VALUES ('AP-7', 'Peta Halte', 'Infografis', 'cop jalan', 'Dinas Perhubungan', "
                    "'e-pseudonym', DATE '2026-06-01', 'draf', NULL, 1, 99, NULL)")
    with connect(path, read_only=True) as con:
        frame = skpd_engagement(con, 2026).set_index("skpd")
        total = engagement_totals(con, 2026)
        dinkes_total = engagement_totals(con, 2026, Scope(DINKES))
        assets = top_assets(con, 2026, Scope(DINKES), limit=2)
        users = asset_use_by_skpd(con, 2026, Scope(DINKES))
    dinkes = frame.loc[DINKES]
    # as the kept counts gave (tests above): Dinkes users of its assets 3 (5 uses), cross 2 (3 uses), share 2/3,
    # its employees 2 users (3 uses), reuse 2 / 2, 1 contributor -> 25 per 100
    assert [dinkes[c] for c in ("users_of_assets", "use_events_of_assets", "cross_skpd_users", "cross_skpd_use_events",
                                "asset_users", "use_events", "assets_available", "assets_reused", "contributors")] == [
        3, 5, 2, 3, 2, 3, 2, 2, 1]
    assert (dinkes["cross_skpd_share"], dinkes["reuse_rate"], dinkes["contributors_per_100"]) == (pytest.approx(2 / 3), 1.0, 25.0)
    # Dishub: E contributes, but 0 employees in the recap: per 100 undefined (not infinite)
    assert frame.loc[DISHUB, "contributors"] == 1 and math.isnan(frame.loc[DISHUB, "contributors_per_100"])
    # the province: users {K1, D1, D2, K3}, of another agency's asset {D1, D2, K3}; reuse 3 / 4; contributors
    # K1, D1, D2, D3 and E = 5 of 9
    assert (total["users_of_assets"], total["cross_skpd_users"], total["cross_skpd_share"], total["reuse_rate"]) == (
        4, 3, 0.75, 0.75)
    assert total["contributors"] == 5 and total["contributors_per_100"] == pytest.approx(500 / 9)
    assert (dinkes_total["users_of_assets"], dinkes_total["headcount"], dinkes_total["cross_skpd_users"]) == (3, 4, 2)
    assert assets[["aset_id", "asset_users", "use_events", "cross_skpd_users"]].values.tolist() == [
        ["AP-1", 2, 3, 1], ["AP-2", 1, 1, 0]]
    assert users[["user_skpd", "own", "asset_users", "use_events", "assets_used"]].values.tolist() == [
        [DISDIK, False, 2, 3, 2], [DINKES, True, 1, 2, 2]]


def test_the_most_used_assets_are_ten_unless_asked(db, tmp_path):
    # plus here: AP-10 .. AP-20, eleven Dishub assets each viewed once by K2 in June 2026; with AP-5: 12 used
    path = _live_copy(db, tmp_path)
    with connect(path) as con:
        k2 = con.execute("SELECT nip FROM employee_current WHERE nip_plain = '198602022011012002'").fetchall()[0][0]
        for n in range(10, 21):
            con.execute("INSERT INTO aset VALUES (?, 'Peta', 'Infografis', 'cop jalan', 'Dinas Perhubungan', NULL, "
                        "DATE '2026-01-01', 'terbit', DATE '2026-01-02', 1, ?, NULL)", [f"AP-{n}", 100 + n])
            con.execute("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) "
                        "VALUES (TIMESTAMP '2026-06-01 10:00', ?, ?, 'view', 1)", [k2, f"AP-{n}"])
        rebuild(con)                                       # the use aggregates, as an import refreshes them
    with connect(path, read_only=True) as con:
        assert len(top_assets(con, 2026, Scope(DISHUB))) == 10
        assert len(top_assets(con, 2026, Scope(DISHUB), limit=20)) == 12


def test_the_totals_give_counts_as_ints_rates_as_floats_and_undefined_as_none(db):
    with connect(db, read_only=True) as con:
        dishub = engagement_totals(con, 2026, Scope(DISHUB))
    # Dishub's AP-5: used by K3 and D1 (both from other agencies), reused (uploaded by D2) -> 1 / 1;
    # no employee in the recap (0): no contributor, per 100 undefined
    assert dishub == {"headcount": 0, "asset_users": 0, "use_events": 0, "users_of_assets": 2, "use_events_of_assets": 2,
                      "cross_skpd_users": 2, "cross_skpd_use_events": 2, "cross_skpd_share": 1.0, "assets_available": 1,
                      "assets_reused": 1, "reuse_rate": 1.0, "contributors": 0, "contributors_per_100": None}
    assert all(type(v) is int for k, v in dishub.items() if k not in ("cross_skpd_share", "reuse_rate", "contributors_per_100"))
    assert type(dishub["cross_skpd_share"]) is float and type(dishub["reuse_rate"]) is float


def test_an_agency_outside_the_recap_has_no_rows_and_empty_totals(db):
    with connect(db, read_only=True) as con:
        frame = skpd_engagement(con, 2026, Scope("Dinas Sosial"))
        total = engagement_totals(con, 2026, Scope("Dinas Sosial"))
    assert frame.empty
    # Dinas Sosial is in no recap: no headcount (None), nothing counted to it, every rate undefined
    assert total == {"headcount": None, "asset_users": 0, "use_events": 0, "users_of_assets": 0, "use_events_of_assets": 0,
                     "cross_skpd_users": 0, "cross_skpd_use_events": 0, "cross_skpd_share": None, "assets_available": 0,
                     "assets_reused": 0, "reuse_rate": None, "contributors": 0, "contributors_per_100": None}


def test_the_agency_page_of_a_quarter_states_the_recap_applying_to_its_end(db, tmp_path):
    copy = tmp_path / "recaps.duckdb"
    copy.write_bytes(db.read_bytes())
    with connect(copy) as con:       # a recap of 31 Mar 2026 beside the 30 Jun one
        con.execute("INSERT INTO headcount VALUES ('Dinas Kesehatan', DATE '2026-03-31', 4, NULL, NULL, 1, 99, NULL)")
    assert _page(copy, DINKES, period_at("quarter", dt.date(2026, 1, 1))).recap_date == dt.date(2026, 3, 31)
    assert _page(copy, DINKES).recap_date == dt.date(2026, 6, 30)


def test_the_agency_page_carries_its_own_target_and_whether_the_period_holds_data(db, tmp_path):
    # fresh-eyes F1: the page showed the programme's 50% beside an agency's own 57.5%
    import shutil
    from data.store.connection import connect as connect_rw
    from metrics.targets import set_target
    copy = tmp_path / "targets.duckdb"
    shutil.copy(db, copy)
    with connect_rw(copy) as con:
        set_target(con, year=2026, skpd=DINKES, target=0.575, by="test")
        set_target(con, year=2025, skpd=DINKES, target=0.6, by="test")          # another year's target is not read
    assert _page(copy, DINKES).target == 0.575
    assert _page(copy, DISDIK).target == 0.5                                     # no target of its own: the programme's
    # nothing is dated in December 2026 anywhere in the province; the year holds data
    assert _page(db, DINKES, period_at("month", dt.date(2026, 12, 1))).period_has_data is False
    assert _page(db, DISDIK).period_has_data is True
