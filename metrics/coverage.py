"""Data coverage shown beside every KPI (issue 4): which export kinds and dates a KPI
rests on, the newest import of each kind, and the rows left out of the year and why.

Left-out use rows (view/download events of the year): ``missing_nip`` and ``bad_nip``
(rejected at import: no NIP, or not 18 digits / damaged by Excel; a row repeated in
overlapping monthly files counts once), ``unknown_nip`` (stored, NIP not in the current
roster) and ``unknown_asset`` (stored, asset id not in the current register; an event
with both an unknown NIP and an unknown asset is counted under ``unknown_nip``). Stored
rows count as soon as a roster or register that knows them arrives.
"""
from __future__ import annotations

import duckdb

from data.store.aggregates import use_month_counted_ready
from data.store.connection import has_table
from metrics.kpi import Scope, _counted_use_cte, _params, _run

# KPI name -> the export kinds it is computed from.
KPI_SOURCES = {
    "headcount": ("headcount",),
    "asset_users": ("access_log", "roster", "aset", "headcount"),
    "utilisation_rate": ("access_log", "roster", "aset", "headcount"),
    "use_events": ("access_log", "roster", "aset", "headcount"),
    "cumulative_asset_users": ("access_log", "roster", "aset", "headcount"),
    "skpd_reaching_target": ("access_log", "roster", "aset", "headcount"),
    "projected_utilisation_rate": ("access_log", "roster", "aset", "headcount"),
    "participants": ("attendance", "roster", "headcount"),
    "participation_rate": ("attendance", "roster", "headcount"),
    "assets_published": ("aset", "headcount"),
}

_SOURCES_SQL = """
WITH newest AS (
    SELECT kind, file_name, imported_at, count(*) OVER (PARTITION BY kind) AS imports
    FROM import_log WHERE status = 'loaded'
    QUALIFY row_number() OVER (PARTITION BY kind ORDER BY import_id DESC) = 1
),
spans AS (
    SELECT 'access_log' AS kind, min(event_time)::DATE AS data_from, max(event_time)::DATE AS data_to
      FROM access_event WHERE event_time >= $start AND event_time < $next
    UNION ALL SELECT 'attendance', min(activity_date), max(activity_date) FROM attendance
      WHERE activity_date BETWEEN $start AND $end
    UNION ALL SELECT 'activity', min(activity_date), max(activity_date) FROM activity_current
      WHERE activity_date BETWEEN $start AND $end
    UNION ALL SELECT 'aset', min(published_on), max(published_on) FROM aset_current WHERE published_on BETWEEN $start AND $end
    UNION ALL SELECT 'headcount', ({recap}), ({recap})
)
SELECT n.kind, n.file_name AS newest_file, n.imported_at AS newest_import_at, n.imports, s.data_from, s.data_to
FROM newest n LEFT JOIN spans s USING (kind) ORDER BY n.kind
"""
_RECAP = ("coalesce((SELECT max(as_of) FROM headcount_current WHERE as_of <= $end), "
          "(SELECT min(as_of) FROM headcount_current WHERE as_of > $end))")


def sources(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """One dict per export kind with a loaded import, ordered by kind: ``kind``,
    ``newest_file``, ``newest_import_at`` (ISO text, WIB), ``imports`` (int), and
    ``data_from`` / ``data_to`` (ISO dates of the kind's rows in ``year``: event days,
    attendance and meeting days, publish days, or the recap used; None when it holds none,
    and for the kinds without days: maturity, jury).

    Reads: import_log, access_event, attendance, activity, aset, headcount.
    """
    frame = _run(con, _SOURCES_SQL.format(recap=_RECAP), _params(year, Scope())).fetchall()
    out = []
    for kind, newest_file, at, imports, data_from, data_to in frame:
        out.append({"kind": kind, "newest_file": newest_file, "newest_import_at": at.isoformat() if at else None,
                    "imports": int(imports), "data_from": data_from.isoformat() if data_from else None,
                    "data_to": data_to.isoformat() if data_to else None})
    return out


# Rejected access-log rows of the year by NIP problem (a row repeated in overlapping logs once).
_REJECTED_CTE = """rejected AS (
    SELECT r.reason_code, count(DISTINCT r.raw_row) AS n FROM rejected_row r JOIN import_log l USING (import_id)
    WHERE l.kind = 'access_log' AND l.status = 'loaded' AND r.row_date BETWEEN $start AND $end
      AND r.reason_code IN ('missing_nip', 'bad_nip', 'numeric_nip', 'damaged_nip') GROUP BY ALL
)"""
_REJECTED_COUNTS = """
  coalesce((SELECT sum(n) FROM rejected WHERE reason_code = 'missing_nip'), 0) AS missing_nip,
  coalesce((SELECT sum(n) FROM rejected WHERE reason_code <> 'missing_nip'), 0) AS bad_nip,"""

_LEFT_OUT_SQL = """
WITH {cte},
raw_use AS (SELECT nip, aset_id, use_events FROM use_rows),
""" + _REJECTED_CTE + """
SELECT""" + _REJECTED_COUNTS + """
  coalesce((SELECT sum(use_events) FROM raw_use WHERE nip NOT IN (SELECT nip FROM employee_current)), 0) AS unknown_nip,
  coalesce((SELECT sum(use_events) FROM raw_use WHERE nip IN (SELECT nip FROM employee_current)
            AND aset_id NOT IN (SELECT aset_id FROM aset_current)), 0) AS unknown_asset,
  coalesce((SELECT sum(use_events) FROM use_event), 0) AS counted
"""


# The same counts from the per-(month, NIP) aggregates: all assets (use_month summed per NIP)
# against listed assets (use_month_counted); a whole year is whole months.
_LEFT_OUT_BY_NIP_SQL = """
WITH {cte},
all_use AS ({all_use}),
listed AS ({listed}),
roster AS (SELECT DISTINCT nip FROM employee_current),
""" + _REJECTED_CTE + """
SELECT""" + _REJECTED_COUNTS + """
  coalesce((SELECT sum(n) FROM all_use WHERE nip NOT IN (SELECT nip FROM roster)), 0) AS unknown_nip,
  coalesce((SELECT sum(n) FROM all_use WHERE nip IN (SELECT nip FROM roster)), 0)
    - coalesce((SELECT sum(n) FROM listed WHERE nip IN (SELECT nip FROM roster)), 0) AS unknown_asset,
  coalesce((SELECT sum(use_events) FROM use_event), 0) AS counted
"""


def left_out_uses(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """Use rows (view/download) of ``year`` by fate, province-wide: ``counted`` (of
    agencies in the recap) and the left-out causes of the module docstring (ints). The
    rejected causes count all rejected access-log rows of the year (their action may be
    unreadable too). Reads: access_event / use_month, rejected_row, import_log, employee, aset.
    """
    if use_month_counted_ready(con):
        cte, params = _counted_use_cte(con, _params(year, Scope()), by_asset=False)
        yearly = has_table(con, "use_year_all")
        all_use = ("SELECT nip, use_events AS n FROM use_year_all WHERE year = $year" if yearly else
                   "SELECT nip, sum(use_events) AS n FROM use_month WHERE month_start >= $start "
                   "AND month_start < $next GROUP BY nip")
        listed = ("SELECT nip, use_events AS n FROM use_year_nip WHERE year = $year" if yearly else
                  "SELECT nip, sum(use_events) AS n FROM use_month_counted WHERE month_start >= $start "
                  "AND month_start < $next GROUP BY nip")
        sql = _LEFT_OUT_BY_NIP_SQL.format(cte=cte, all_use=all_use, listed=listed)
        row = _run(con, sql, {**params, "year": year}).fetchall()[0]
    else:
        cte, params = _counted_use_cte(con, _params(year, Scope()))
        row = _run(con, _LEFT_OUT_SQL.format(cte=cte), params).fetchall()[0]
    return dict(zip(("missing_nip", "bad_nip", "unknown_nip", "unknown_asset", "counted"), map(int, row)))


def coverage(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """What the year's KPIs stand on: ``sources`` (``sources``), ``left_out_uses``
    (``left_out_uses``) and ``kpi_sources`` (KPI name -> list of export kinds)."""
    return {"sources": sources(con, year), "left_out_uses": left_out_uses(con, year),
            "kpi_sources": {k: list(v) for k, v in KPI_SOURCES.items()}}
