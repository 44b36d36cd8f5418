"""The per-agency engagement counts kept at import time (``engagement_year``) equal what the raw
events give, and follow every change they rest on: imports, undos, a corrected headcount."""
from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from data.store.engagement_counts import counts_sql, kept_engagement
from data.store.connection import connect
from data.undo import undo_import
from metrics.engagement import engagement_totals
from metrics.kpi import Scope
from metrics.targets import set_headcount

# Written from DOMAIN.md over the raw tables: a use is a stored view/download in 2026 by a roster
# NIP of an agency in the recap (field samples: one recap, 30 June 2026) of a listed asset.
RAW = """
WITH hc AS (SELECT skpd, headcount FROM headcount_current
            WHERE as_of = (SELECT max(as_of) FROM headcount_current WHERE as_of <= DATE '2026-12-31')),
ev AS (SELECT e.nip, emp.skpd AS user_skpd, a.skpd AS aset_skpd
       FROM access_event e JOIN employee_current emp ON emp.nip = e.nip JOIN aset_current a ON a.aset_id = e.aset_id
       WHERE e.action IN ('view', 'download') AND year(e.event_time) = 2026 AND emp.skpd IN (SELECT skpd FROM hc)),
agency AS (
    SELECT hc.skpd, hc.headcount,
        (SELECT count(DISTINCT nip) FROM ev WHERE user_skpd = hc.skpd) AS asset_users,
        (SELECT count(*) FROM ev WHERE user_skpd = hc.skpd) AS use_events,
        (SELECT count(DISTINCT nip) FROM ev WHERE aset_skpd = hc.skpd) AS users_of_assets,
        (SELECT count(*) FROM ev WHERE aset_skpd = hc.skpd) AS use_events_of_assets,
        (SELECT count(DISTINCT nip) FROM ev WHERE aset_skpd = hc.skpd AND user_skpd <> hc.skpd) AS cross_skpd_users
    FROM hc)
SELECT * FROM agency
UNION ALL
SELECT NULL, (SELECT sum(headcount) FROM hc), (SELECT count(DISTINCT nip) FROM ev), (SELECT count(*) FROM ev),
       (SELECT count(DISTINCT nip) FROM ev WHERE aset_skpd IN (SELECT skpd FROM hc)),
       (SELECT count(*) FROM ev WHERE aset_skpd IN (SELECT skpd FROM hc)),
       (SELECT count(DISTINCT nip) FROM ev WHERE aset_skpd IN (SELECT skpd FROM hc) AND user_skpd <> aset_skpd)
"""
COLUMNS = ["skpd", "headcount", "asset_users", "use_events", "users_of_assets", "use_events_of_assets",
           "cross_skpd_users"]


def _rows(frame) -> list[tuple]:
    return sorted((tuple(None if v != v else v for v in row) for row in frame[COLUMNS].itertuples(index=False)),
                  key=lambda r: (r[0] is None, r[0] or ""))


@pytest.fixture
def store(field_db, tmp_path):
    path = tmp_path / "kept.duckdb"
    shutil.copy(field_db, path)
    return path


def test_kept_engagement_equals_an_independent_query_over_the_raw_events(field_db):
    with connect(field_db, read_only=True) as con:
        kept = kept_engagement(con, 2026)
        raw = con.execute(RAW).df()
    assert kept is not None and len(kept) == 25           # 24 agencies in the recap, and the province
    assert _rows(kept) == _rows(raw)
    province = kept[kept["skpd"].isna()].iloc[0]
    assert province["use_events"] == 20215                  # the expected file's 2026 use_events


def _recount(con, year: int) -> list[tuple]:
    params = {"year": year, "start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "scope": None, "skpd": None}
    return sorted(con.execute(counts_sql(con), {k: v for k, v in params.items() if f"${k}" in counts_sql(con)})
                  .fetchall(), key=lambda r: (r[0] is None, r[0] or ""))


def _kept(con, year: int) -> list[tuple]:
    frame = kept_engagement(con, year)
    assert frame is not None, "the kept counts are out of date"
    return sorted((tuple(None if v != v else v for v in r) for r in frame.itertuples(index=False)),
                  key=lambda r: (r[0] is None, r[0] or ""))


def test_undoing_the_newest_access_log_rebuilds_the_kept_counts(store):
    with connect(store) as con:
        before = _kept(con, 2026)
        newest = con.execute("SELECT max(import_id) FROM import_log WHERE kind = 'access_log' "
                             "AND status = 'loaded'").fetchall()[0][0]
        undo_import(con, newest, user="test")
        after = _kept(con, 2026)
        assert after == _recount(con, 2026)
    assert after != before                                 # the newest log held 2026 uses


def test_a_headcount_corrected_on_the_page_reaches_the_kept_province_row(store):
    with connect(store) as con:
        as_of, skpd, old = con.execute("SELECT as_of, skpd, headcount FROM headcount_current "
                                       "ORDER BY as_of DESC, skpd LIMIT 1").fetchall()[0]
        total = engagement_totals(con, 2026)["headcount"]
        set_headcount(con, skpd=skpd, as_of=as_of, headcount=old + 100, by="test")
        assert kept_engagement(con, 2026) is not None
        assert engagement_totals(con, 2026)["headcount"] == total + 100
        assert engagement_totals(con, 2026, Scope(skpd))["headcount"] == old + 100


def test_counts_made_before_a_change_are_not_read(store):
    """A store changed by a release that did not keep the counts: readers count live."""
    from metrics.award_criteria import criteria_frame
    from metrics.engagement import asset_use_by_skpd, top_assets
    read = [lambda con: criteria_frame(con, 2026)[["cop_key", "cop_asset_use"]],
            lambda con: asset_use_by_skpd(con, 2026), lambda con: top_assets(con, 2026, Scope("Dinas Kesehatan"))]
    with connect(store) as con:
        kept = [f(con) for f in read]
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'engagement_year_stamp'")
        assert kept_engagement(con, 2026) is None
        assert engagement_totals(con, 2026)["use_events"] == 20215
        for frame, f in zip(kept, read):                                   # counted now: the same
            pd.testing.assert_frame_equal(frame, f(con))


def test_kept_use_per_asset_and_per_agency_pair_equal_the_raw_events(field_db):
    from metrics.engagement import asset_use_by_skpd, top_assets
    with connect(field_db, read_only=True) as con:
        ev = RAW.split("agency AS (")[0].rstrip().rstrip(",")      # hc and ev of RAW
        pairs = sorted(con.execute(ev + " SELECT aset_skpd, user_skpd, count(DISTINCT nip), count(*) FROM ev "
                                   "WHERE aset_skpd IN (SELECT skpd FROM hc) GROUP BY ALL").fetchall())
        assets = con.execute(
            ev.replace("a.skpd AS aset_skpd", "a.skpd AS aset_skpd, a.aset_id")
            + " SELECT aset_id, count(DISTINCT nip), count(*), count(DISTINCT nip) FILTER (WHERE user_skpd <> aset_skpd)"
              " FROM ev WHERE aset_skpd = 'Dinas Kesehatan' GROUP BY ALL ORDER BY 2 DESC, 3 DESC, 1").fetchall()
        kept_pairs = asset_use_by_skpd(con, 2026)
        kept_assets = top_assets(con, 2026, Scope("Dinas Kesehatan"), limit=1000)
    assert sorted(kept_pairs[["aset_skpd", "user_skpd", "asset_users", "use_events"]].itertuples(index=False,
                                                                                                name=None)) == pairs
    assert list(kept_assets[["aset_id", "asset_users", "use_events", "cross_skpd_users"]].itertuples(
        index=False, name=None)) == assets and len(assets) > 3


def test_an_access_log_import_rebuilds_its_own_year_and_leaves_the_others_right(store, tmp_path):
    from data.ingest import ingest_file
    with connect(store, read_only=True) as con:
        nip, aset = con.execute("SELECT nip_plain, (SELECT min(aset_id) FROM aset_current) FROM employee_current "
                                "WHERE nip_plain IS NOT NULL ORDER BY nip_plain LIMIT 1").fetchall()[0]
        before_2025, before_2026 = _kept(con, 2025), _kept(con, 2026)
    log = tmp_path / "log_akses_des.csv"
    log.write_text(f"Waktu Akses,NIP,ID Aset,Aktivitas\n2026-12-20 08:00:00,{nip},{aset},Unduh\n", encoding="utf-8")
    assert ingest_file(log, db=store, imported_by="sari").status == "imported"
    with connect(store, read_only=True) as con:
        after_2025, after_2026 = _kept(con, 2025), _kept(con, 2026)
        assert after_2026 == _recount(con, 2026) and after_2025 == _recount(con, 2025)
    assert after_2025 == before_2025 and after_2026 != before_2026       # one more 2026 use event
