"""The floor: one hand-written DuckDB query per KPI over the raw tables (no aggregate,
no product code), covering what ``bench.run.overview_set`` / ``drill_set`` show.
Each returns rows to Python (``fetchall``) as the product does."""
from __future__ import annotations

import datetime as dt

HC = """(SELECT skpd, headcount FROM headcount_current WHERE as_of = (SELECT max(as_of) FROM headcount_current
         WHERE as_of <= make_date($y, 12, 31)) AND ($s IS NULL OR skpd = $s))"""
USE = f"""(SELECT e.nip, e.event_time, emp.skpd FROM access_event e JOIN employee_current emp USING (nip)
          WHERE e.action IN ('view', 'download') AND e.event_time >= make_date($y, 1, 1)
            AND e.event_time < make_date($y + 1, 1, 1) AND e.aset_id IN (SELECT aset_id FROM aset_current)
            AND emp.skpd IN (SELECT skpd FROM {HC}))"""
QUERIES = {
    "skpd_users_events": f"SELECT skpd, count(DISTINCT nip), count(*) FROM {USE} GROUP BY skpd",
    "overall_users": f"SELECT count(DISTINCT nip), count(*) FROM {USE}",
    "headcount": f"SELECT skpd, headcount FROM {HC}",
    "participants": f"""SELECT emp.skpd, count(DISTINCT a.nip) FROM attendance a JOIN employee_current emp USING (nip)
        WHERE year(a.activity_date) = $y AND emp.skpd IN (SELECT skpd FROM {HC}) GROUP BY ROLLUP (emp.skpd)""",
    "published": f"""SELECT skpd, count(*) FROM aset_current WHERE status = 'terbit' AND year(published_on) = $y
        AND skpd IN (SELECT skpd FROM {HC}) GROUP BY skpd""",
    "monthly_cumulative": f"""SELECT m, sum(count(*)) OVER (ORDER BY m) FROM
        (SELECT nip, month(min(event_time)) AS m FROM {USE} GROUP BY nip) GROUP BY m""",
    "skpd_curves": f"""SELECT skpd, m, count(*) FROM (SELECT skpd, nip, month(min(event_time)) AS m FROM {USE}
        GROUP BY skpd, nip) GROUP BY skpd, m""",
    "left_out": """SELECT count(*) FILTER (WHERE nip NOT IN (SELECT nip FROM employee_current)),
        count(*) FILTER (WHERE nip IN (SELECT nip FROM employee_current) AND aset_id NOT IN (SELECT aset_id FROM aset_current))
        FROM access_event WHERE action IN ('view', 'download') AND year(event_time) = $y""",
    "sources": """SELECT kind, max(imported_at), count(*) FROM import_log GROUP BY kind""",
}
DRILL = ("skpd_users_events", "headcount", "participants", "published", "monthly_cumulative", "skpd_curves")


def _run(con, names, year: int, skpd: str | None) -> None:
    for name in names:
        sql = QUERIES[name]
        params = {k: v for k, v in {"y": year, "s": skpd}.items() if f"${k}" in sql}
        con.execute(sql, params).fetchall()


def overview_floor(con, year: int, as_of: dt.date, skpd: str | None) -> None:
    """Every query once, province-wide."""
    _run(con, QUERIES, year, None)


def drill_floor(con, year: int, as_of: dt.date, skpd: str | None) -> None:
    """The agency's queries, restricted to ``skpd``."""
    _run(con, DRILL, year, skpd)
