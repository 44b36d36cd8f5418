"""The aggregates kept at import time give exactly what the raw events give."""
from __future__ import annotations

from data.store.connection import connect
from metrics import coverage
from metrics.kpi import Scope, _counted_use_cte, _params, _run


def test_use_month_counted_equals_listed_use_events_per_month_and_nip(field_db):
    with connect(field_db, read_only=True) as con:
        stored = sorted(con.execute("SELECT month_start, nip, use_events FROM use_month_counted").fetchall())
        direct = sorted(con.execute(
            "SELECT date_trunc('month', event_time)::DATE, nip, count(*)::INTEGER FROM access_event "
            "WHERE action IN ('view', 'download') AND aset_id IN (SELECT aset_id FROM aset_current) "
            "GROUP BY ALL").fetchall())
    assert stored == direct and len(stored) > 1000


def test_left_out_uses_from_the_aggregates_equal_the_event_level_query(field_db):
    with connect(field_db, read_only=True) as con:
        fast = coverage.left_out_uses(con, 2026)
        cte, params = _counted_use_cte(con, _params(2026, Scope()))
        slow = dict(zip(("missing_nip", "bad_nip", "unknown_nip", "unknown_asset", "counted"),
                        map(int, _run(con, coverage._LEFT_OUT_SQL.format(cte=cte), params).fetchall()[0])))
    assert fast == slow
    assert fast["counted"] == 20215            # the expected file's 2026 use_events


def test_use_year_nip_holds_first_and_last_month_and_events_per_year(field_db):
    with connect(field_db, read_only=True) as con:
        stored = sorted(con.execute("SELECT year, nip, first_month, last_month, use_events FROM use_year_nip").fetchall())
        direct = sorted(con.execute(
            "SELECT year(event_time), nip, min(month(event_time)), max(month(event_time)), count(*)::INTEGER "
            "FROM access_event WHERE action IN ('view', 'download') AND aset_id IN (SELECT aset_id FROM aset_current) "
            "GROUP BY ALL").fetchall())
    assert stored == direct


def test_attend_year_nip_holds_each_attendee_once_per_year(field_db):
    with connect(field_db, read_only=True) as con:
        stored = sorted(con.execute("SELECT year, nip FROM attend_year_nip").fetchall())
        direct = sorted(con.execute("SELECT DISTINCT year(activity_date), nip FROM attendance").fetchall())
    assert stored == direct and len(stored) > 3000


def test_use_year_all_holds_every_use_event_per_year_listed_or_not(field_db):
    """Built from the monthly logs imported one by one (2025-07 .. 2026-11): each import
    refreshes only its own year, and the result equals the whole-table query."""
    with connect(field_db, read_only=True) as con:
        stored = sorted(con.execute("SELECT year, nip, use_events FROM use_year_all").fetchall())
        direct = sorted(con.execute(
            "SELECT year(event_time), nip, count(*)::INTEGER FROM access_event WHERE action IN ('view', 'download') "
            "GROUP BY ALL").fetchall())
        years = {r[0] for r in stored}
    assert stored == direct
    assert years == {2025, 2026}


def test_use_year_aset_holds_every_use_event_per_year_asset_and_nip(field_db):
    with connect(field_db, read_only=True) as con:
        stored = sorted(con.execute("SELECT year, aset_id, nip, use_events FROM use_year_aset").fetchall())
        direct = sorted(con.execute(
            "SELECT year(event_time), aset_id, nip, count(*)::INTEGER FROM access_event "
            "WHERE action IN ('view', 'download') GROUP BY ALL").fetchall())
    assert stored == direct and len(stored) > 1000


def _engagement(db) -> list:
    from metrics import engagement
    with connect(db, read_only=True) as con:
        return [engagement.skpd_engagement(con, 2026), engagement.engagement_totals(con, 2026),
                engagement.engagement_totals(con, 2026, Scope("Dinas Kesehatan")),
                engagement.top_assets(con, 2026, Scope("Dinas Kesehatan"), limit=500),
                engagement.asset_use_by_skpd(con, 2026)]


def test_agency_engagement_from_use_year_aset_equals_the_raw_events(field_db, tmp_path):
    import shutil

    import pandas as pd
    db = tmp_path / "raw.duckdb"
    shutil.copy(field_db, db)
    fast = _engagement(db)
    with connect(db) as con:
        con.execute("DELETE FROM meta WHERE key IN ('use_year_aset_ready', 'engagement_year_stamp')")  # raw events
    slow = _engagement(db)
    for a, b in zip(fast, slow):
        if isinstance(a, dict):
            assert a == b
        else:
            pd.testing.assert_frame_equal(a, b)
    assert fast[1]["use_events"] == 20215          # the expected file's 2026 use_events


def test_a_store_without_use_year_aset_gets_it_at_its_one_upgrade(field_db, tmp_path):
    import shutil
    db = tmp_path / "old.duckdb"
    shutil.copy(field_db, db)
    with connect(db) as con:
        expected = sorted(con.execute("SELECT * FROM use_year_aset").fetchall())
        con.execute("DROP TABLE use_year_aset")
        con.execute("DELETE FROM meta WHERE key = 'use_year_aset_ready'")
        con.execute("UPDATE meta SET value = 'older-release' WHERE key = 'schema_sha256'")
    with connect(db, read_only=True) as con:
        assert sorted(con.execute("SELECT * FROM use_year_aset").fetchall()) == expected
        assert con.execute("SELECT value FROM meta WHERE key = 'use_year_aset_ready'").fetchall() == [("1",)]


def test_award_cop_asset_use_from_use_year_aset_equals_the_raw_events(field_db):
    """Distinct roster users (of agencies in the 2026 recap) of each CoP's listed assets in 2026."""
    from metrics.award_criteria import criteria_frame
    with connect(field_db, read_only=True) as con:
        fast = criteria_frame(con, 2026).set_index("cop_key")["cop_asset_use"]
        raw = dict(con.execute(
            "SELECT a.cop_key, count(DISTINCT e.nip) FROM access_event e JOIN aset_current a ON a.aset_id = e.aset_id "
            "JOIN employee_current emp ON emp.nip = e.nip WHERE e.action IN ('view', 'download') "
            "AND year(e.event_time) = 2026 AND emp.skpd IN (SELECT skpd FROM headcount_current WHERE as_of = "
            "(SELECT max(as_of) FROM headcount_current WHERE as_of <= DATE '2026-12-31')) GROUP BY ALL").fetchall())
    assert sum(raw.values()) > 100
    assert {k: int(v) for k, v in fast.items() if v} == raw
