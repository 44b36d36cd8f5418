"""The per-agency engagement counts, kept at import time (``engagement_year``), so the agency
page never runs the province-wide engagement query over the use aggregates on a view.

``engagement_year``: one row per (WIB year, agency in the headcount recap applying to that
year) plus one province row (``skpd`` NULL) per year, holding the counts of
``COUNTS_SQL`` (use by the agency's employees, use of its assets by anyone, cross-agency
users, reuse, contributors); ``engagement_aset_year`` and ``engagement_pair_year`` hold
the use of each asset and of each (asset's agency, user's agency) pair (``ASET_USE_SQL``,
``PAIR_USE_SQL``), ``engagement_cop_year`` the users of each CoP's assets (``COP_USE_SQL``). Counts only: the ratios are KPI arithmetic and are made in
``metrics.engagement`` from these counts. It depends on the roster, the headcount recap,
the asset register and the access log, so every import or undo of those kinds (and a
headcount corrected on the page, ``metrics.targets.set_headcount``) rebuilds it in the
same transaction (``rebuild_engagement``). The rows carry a stamp of the import log of those
kinds (``meta.engagement_year_stamp``): a reader whose stamp differs (a store written by an
older release) gets None from ``kept_engagement`` and counts live instead.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

import duckdb
import pandas as pd

from data.store.aggregates import use_month_counted_ready, use_year_aset_ready
from data.store.connection import get_meta, has_table, set_meta

log = logging.getLogger(__name__)

STAMP_KEY = "engagement_year_stamp"
SOURCE_KINDS = ("roster", "headcount", "aset", "access_log")

# The headcount recap for a period: the newest dated on or before its end, else the earliest after it.
RECAP_CTE = """
recap_date AS (
    SELECT coalesce((SELECT max(as_of) FROM headcount_current WHERE as_of <= $end),
                    (SELECT min(as_of) FROM headcount_current WHERE as_of > $end)) AS as_of
),
hc AS (
    SELECT h.skpd, h.headcount FROM headcount_current h, recap_date r
    WHERE h.as_of = r.as_of AND ($scope IS NULL OR h.skpd = $scope)
),
emp AS (SELECT nip, skpd FROM employee_current WHERE skpd IN (SELECT skpd FROM hc))"""


def pairs_cte(con: duckdb.DuckDBPyConnection) -> str:
    """``RECAP_CTE`` plus ``use_event``: one row per (NIP, asset) with counted use in the
    year (``$year``): ``nip``, ``aset_id``, ``use_events``, ``skpd`` (the roster's agency);
    with ``$skpd`` set, only uses of that agency's assets (what every scoped reader of it needs).
    Read from the ``use_year_aset`` aggregate when it is kept (``data.store.aggregates``), else
    from ``access_event``; the roster and the register are joined here, at query time."""
    scoped = "($skpd IS NULL OR aset_id IN (SELECT aset_id FROM aset_current WHERE skpd = $skpd))"
    if use_year_aset_ready(con):
        rows = f"SELECT nip, aset_id, use_events FROM use_year_aset WHERE year = $year AND {scoped}"
    else:
        rows = ("SELECT nip, aset_id, count(*) AS use_events FROM access_event WHERE action IN ('view', 'download') "
                f"AND event_time >= $start AND event_time < $next AND {scoped} GROUP BY ALL")
    return RECAP_CTE + f""",
use_event AS (
    SELECT u.nip, u.aset_id, u.use_events, emp.skpd FROM ({rows}) u JOIN emp USING (nip)
    WHERE u.aset_id IN (SELECT aset_id FROM aset_current)
)"""


def _by_nip(con: duckdb.DuckDBPyConnection) -> str:
    """Counted use per roster NIP of the year (``nip``, ``skpd``, ``use_events``): from the
    ``use_year_nip`` aggregate when kept (the same listed assets and roster join), else from
    ``access_event``."""
    if use_month_counted_ready(con) and has_table(con, "use_year_nip"):
        return ("(SELECT y.nip, emp.skpd, y.use_events FROM use_year_nip y JOIN emp USING (nip) "
                "WHERE y.year = $year)")
    return ("(SELECT e.nip, emp.skpd, count(*) AS use_events FROM access_event e JOIN emp USING (nip) "
            "WHERE e.action IN ('view', 'download') AND e.event_time >= $start AND e.event_time < $next "
            "AND e.aset_id IN (SELECT aset_id FROM aset_current) GROUP BY ALL)")


def counts_sql(con: duckdb.DuckDBPyConnection) -> str:
    """``COUNTS_SQL`` over the aggregates this store keeps (else over ``access_event``).
    Parameters: ``$year``, ``$start``, ``$end``, ``$next`` (the year's bounds, dates),
    ``$scope`` (None: the province) and ``$skpd`` (None, or the one agency to count)."""
    return COUNTS_SQL.format(cte=pairs_cte(con), by_nip=_by_nip(con))


COUNTS_SQL = """
WITH {cte},
hc_in AS (SELECT skpd, headcount FROM hc WHERE $skpd IS NULL OR skpd = $skpd),
aset_in AS (SELECT * FROM aset_current WHERE skpd IN (SELECT skpd FROM hc_in)),
head AS (SELECT skpd, sum(headcount) AS headcount FROM hc_in GROUP BY GROUPING SETS ((skpd), ())),
by_emp AS (SELECT skpd, count(DISTINCT nip) AS asset_users, sum(use_events)::BIGINT AS use_events FROM {by_nip}
           WHERE skpd IN (SELECT skpd FROM hc_in) GROUP BY GROUPING SETS ((skpd), ())),
pairs AS (SELECT u.nip, u.skpd AS user_skpd, a.skpd AS aset_skpd, sum(u.use_events) AS use_events
          FROM use_event u JOIN aset_in a USING (aset_id) GROUP BY ALL),
of_aset AS (
    SELECT aset_skpd AS skpd, count(DISTINCT nip) AS users_of_assets, sum(use_events)::BIGINT AS use_events_of_assets,
           count(DISTINCT nip) FILTER (WHERE user_skpd <> aset_skpd) AS cross_skpd_users,
           sum(use_events) FILTER (WHERE user_skpd <> aset_skpd)::BIGINT AS cross_skpd_use_events
    FROM pairs GROUP BY GROUPING SETS ((aset_skpd), ())),
reused AS (SELECT DISTINCT u.aset_id FROM use_event u JOIN aset_in a USING (aset_id)
           WHERE u.nip IS DISTINCT FROM a.uploader_nip),
reuse AS (
    SELECT a.skpd, count(*) AS assets_available, count(r.aset_id) AS assets_reused
    FROM aset_in a LEFT JOIN reused r USING (aset_id)
    WHERE a.status = 'terbit' AND a.published_on <= $end GROUP BY GROUPING SETS ((a.skpd), ())),
contrib AS (
    SELECT emp.skpd, count(DISTINCT a.uploader_nip) AS contributors
    FROM aset_current a JOIN emp ON emp.nip = a.uploader_nip
    WHERE a.uploaded_on BETWEEN $start AND $end AND emp.skpd IN (SELECT skpd FROM hc_in)
    GROUP BY GROUPING SETS ((emp.skpd), ()))
SELECT head.skpd, head.headcount::BIGINT AS headcount,
       coalesce(by_emp.asset_users, 0) AS asset_users, coalesce(by_emp.use_events, 0) AS use_events,
       coalesce(of_aset.users_of_assets, 0) AS users_of_assets,
       coalesce(of_aset.use_events_of_assets, 0) AS use_events_of_assets,
       coalesce(of_aset.cross_skpd_users, 0) AS cross_skpd_users,
       coalesce(of_aset.cross_skpd_use_events, 0) AS cross_skpd_use_events,
       coalesce(reuse.assets_available, 0) AS assets_available, coalesce(reuse.assets_reused, 0) AS assets_reused,
       coalesce(contrib.contributors, 0) AS contributors
FROM head
LEFT JOIN by_emp ON by_emp.skpd IS NOT DISTINCT FROM head.skpd
LEFT JOIN of_aset ON of_aset.skpd IS NOT DISTINCT FROM head.skpd
LEFT JOIN reuse ON reuse.skpd IS NOT DISTINCT FROM head.skpd
LEFT JOIN contrib ON contrib.skpd IS NOT DISTINCT FROM head.skpd
ORDER BY head.skpd NULLS LAST
"""


# Use of each asset of an agency in the recap (``asset_users``: distinct users of any agency,
# ``use_events``, ``cross_skpd_users``: users of other agencies) and of each (asset's agency,
# user's agency) pair (``asset_users``, ``use_events``, ``assets_used``); ``$skpd`` narrows to
# one agency's assets (None: every agency, what is kept).
ASET_USE_SQL = """
WITH {cte}
SELECT a.aset_id, count(DISTINCT u.nip) AS asset_users, sum(u.use_events)::BIGINT AS use_events,
       count(DISTINCT u.nip) FILTER (WHERE u.skpd <> a.skpd) AS cross_skpd_users
FROM use_event u JOIN aset_current a USING (aset_id)
WHERE a.skpd IN (SELECT skpd FROM hc) AND ($skpd IS NULL OR a.skpd = $skpd) GROUP BY a.aset_id
"""
PAIR_USE_SQL = """
WITH {cte}
SELECT a.skpd AS aset_skpd, u.skpd AS user_skpd, count(DISTINCT u.nip) AS asset_users,
       sum(u.use_events)::BIGINT AS use_events, count(DISTINCT u.aset_id) AS assets_used
FROM use_event u JOIN aset_current a USING (aset_id)
WHERE a.skpd IN (SELECT skpd FROM hc) AND ($skpd IS NULL OR a.skpd = $skpd) GROUP BY a.skpd, u.skpd
"""
# Distinct users of each CoP's assets (any agency's; the award's cop_asset_use).
COP_USE_SQL = """
WITH {cte}
SELECT a.cop_key, count(DISTINCT u.nip) AS users FROM use_event u JOIN aset_current a USING (aset_id) GROUP BY a.cop_key
"""
# table kept -> what fills it (each run per year, province-wide)
KEPT = {"engagement_year": COUNTS_SQL, "engagement_aset_year": ASET_USE_SQL, "engagement_pair_year": PAIR_USE_SQL,
        "engagement_cop_year": COP_USE_SQL}
KEPT_VERSION = "3"       # raised whenever KEPT changes, so a store's one upgrade rebuilds them


def use_sql(con: duckdb.DuckDBPyConnection, template: str) -> str:
    """``template`` (``ASET_USE_SQL`` or ``PAIR_USE_SQL``) over the aggregates this store keeps."""
    return template.format(cte=pairs_cte(con))


def source_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """A token of the import log of the kinds the counts rest on (``SOURCE_KINDS``): it
    changes with every such import, undo or corrected headcount."""
    row = con.execute("SELECT count(*), coalesce(max(import_id), 0), count(*) FILTER (WHERE status <> 'loaded') "
                      "FROM import_log WHERE kind IN (SELECT unnest($kinds))", {"kinds": list(SOURCE_KINDS)}).fetchall()[0]
    return "-".join(str(v) for v in (f"v{KEPT_VERSION}", *row))


def _year_params(year: int) -> dict:
    return {"year": year, "start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "next": dt.date(year + 1, 1, 1),
            "scope": None, "skpd": None}


def _execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> None:
    """Execute with only the ``$name`` parameters the statement uses (DuckDB refuses extras)."""
    used = set(re.findall(r"\$(\w+)", sql))
    con.execute(sql, {k: v for k, v in params.items() if k in used})


def rebuild_engagement(con: duckdb.DuckDBPyConnection, years: list[int] | None = None) -> int:
    """Rebuild the ``KEPT`` tables for ``years`` (None: every WIB year with a kept use row or
    a headcount recap) and stamp them (call it after the import log row of the change is
    written, inside the change's transaction). Returns the rows of ``engagement_year``. The
    tables are declared in ``data/store/schema_aggregates.sql``; a store without them (older,
    read-only) is left alone."""
    if not all(has_table(con, table) for table in KEPT):
        return 0
    if years is None:
        source = "use_year_aset" if use_year_aset_ready(con) else "(SELECT year(event_time) AS year FROM access_event)"
        years = [r[0] for r in con.execute(f"SELECT DISTINCT year FROM {source} UNION "
                                           "SELECT DISTINCT year(as_of) FROM headcount_current ORDER BY 1").fetchall()]
        for table in KEPT:
            con.execute(f"DELETE FROM {table}")
    # the year's counted uses are read once (a temporary table) for the three tables
    kept_cte = RECAP_CTE + ",\nuse_event AS (SELECT * FROM kept_use_event)"
    for year in years:
        _execute(con, f"CREATE OR REPLACE TEMP TABLE kept_use_event AS WITH {pairs_cte(con)} SELECT * FROM use_event",
                 _year_params(year))
        for table, template in KEPT.items():
            con.execute(f"DELETE FROM {table} WHERE year = ?", [year])
            sql = template.format(cte=kept_cte, by_nip=_by_nip(con))
            _execute(con, f"INSERT INTO {table} SELECT {int(year)}, * FROM ({sql})", _year_params(year))
    con.execute("DROP TABLE IF EXISTS kept_use_event")
    set_meta(con, STAMP_KEY, source_stamp(con))
    rows = con.execute("SELECT count(*) FROM engagement_year").fetchall()[0][0]
    log.info("aggregate tables=%s years=%s engagement_year_rows=%s", ",".join(KEPT), years, rows)
    return rows


def refresh_engagement(con: duckdb.DuckDBPyConnection, kind: str | None = None, import_id: int | None = None) -> None:
    """Rebuild the ``KEPT`` tables when an import (``import_id``) or undo of ``kind`` changes
    what they count - an access-log import only the WIB years its events fall in (no other
    year's counts can change), any other change every year - or (``kind`` None: at a schema
    upgrade) when they are missing or out of date."""
    if kind == "access_log" and import_id is not None:
        rebuild_engagement(con, [r[0] for r in con.execute(
            "SELECT DISTINCT year(event_time) FROM access_event WHERE import_id = ? ORDER BY 1", [import_id]).fetchall()])
    elif kind in SOURCE_KINDS or (kind is None and all(has_table(con, table) for table in KEPT)
                                  and get_meta(con, STAMP_KEY) != source_stamp(con)):
        rebuild_engagement(con)


def kept_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the ``KEPT`` tables are in this store and were made after its latest change."""
    return all(has_table(con, table) for table in KEPT) and get_meta(con, STAMP_KEY) == source_stamp(con)


def kept_engagement(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame | None:
    """The kept counts of ``year`` (``COUNTS_SQL``'s columns; the province row last, ``skpd``
    NULL), or None when they are not kept for it or were made before the latest change."""
    if not kept_current(con):
        return None
    frame = con.execute("SELECT * EXCLUDE (year) FROM engagement_year WHERE year = ? ORDER BY skpd NULLS LAST",
                        [year]).df()
    return None if frame.empty else frame
