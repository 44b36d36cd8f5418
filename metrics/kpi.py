"""The KPIs of DOMAIN.md computed in DuckDB SQL over the store's current tables.

Every function takes an open connection (or cursor), the year (a WIB calendar year)
and the reader's ``Scope``: the whole province or one agency. Scope is applied where
data is read, so a reader scoped to one agency never receives another's rows.
Rates are fractions 0-1. An undefined rate (zero or missing denominator) is ``None``
in dicts and NaN (pandas' missing value) in frames; ``metrics.report`` writes it as
``null`` and the pages as "n/a".

Use events are read from the ``use_month`` aggregate (``data.store.aggregates``: per WIB month,
NIP and asset, independent of roster and register) for whole months when it is ready,
else from ``access_event``; the roster and register joins always happen here, at query time.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from data.store.aggregates import use_month_counted_ready, use_month_ready
from data.store.engagement_counts import RECAP_CTE
from data.store.connection import has_table


@dataclass(frozen=True)
class Scope:
    """Whose data a reader may see: ``skpd=None`` is the whole province, else one
    agency's official name."""

    skpd: str | None = None

    @classmethod
    def province(cls) -> "Scope":
        """The whole province."""
        return cls(None)


def year_bounds(year: int) -> dict:
    """``{"start": 1 Jan, "end": 31 Dec, "next": 1 Jan of year+1}`` as dates (WIB)."""
    return {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "next": dt.date(year + 1, 1, 1)}


def _params(year: int, scope: Scope, period=None) -> dict:
    """Query parameters of ``year`` or of ``period`` (a ``metrics.grain.Period``: any object
    with ``start``, ``end`` and ``next`` dates within one year), for ``scope``."""
    bounds = year_bounds(year) if period is None else {"start": period.start, "end": period.end, "next": period.next}
    return {**bounds, "scope": scope.skpd, "year": bounds["start"].year}


def _is_whole_year(params: dict) -> bool:
    start = params["start"]
    return start.month == start.day == 1 and params["next"] == dt.date(start.year + 1, 1, 1)


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> duckdb.DuckDBPyConnection:
    """Execute with only the ``$name`` parameters the statement uses (DuckDB refuses extras)."""
    used = set(re.findall(r"\$(\w+)", sql))
    return con.execute(sql, {k: v for k, v in params.items() if k in used})


# The headcount recap for a period (``hc``, ``emp``): defined beside the kept engagement counts.
_RECAP_CTE = RECAP_CTE

# Raw counted use events (one row per stored event); kept for modules that need event times.
_HEADCOUNT_CTE = _RECAP_CTE + """,
use_event AS (
    SELECT e.event_time, e.nip, e.aset_id, emp.skpd
    FROM access_event e JOIN emp USING (nip)
    WHERE e.action IN ('view', 'download') AND e.event_time >= $start AND e.event_time < $next
      AND e.aset_id IN (SELECT aset_id FROM aset_current)
)"""

_RAW_USE = """SELECT date_trunc('month', event_time)::DATE AS month_start, nip, aset_id, count(*)::INTEGER AS use_events
    FROM access_event WHERE action IN ('view', 'download') AND event_time >= {lo} AND event_time < {hi} GROUP BY ALL"""


def _first_of_next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _counted_use_cte(con: duckdb.DuckDBPyConnection, params: dict, *, by_asset: bool = True) -> tuple[str, dict]:
    """``_RECAP_CTE`` plus ``use_event``: one row per (month_start, nip, aset_id, skpd) with
    ``use_events``, counted uses in [``$start``, ``$next``). Whole months come from the
    ``use_month`` aggregate when it is ready (``data.store.aggregates``), the rest from ``access_event``.

    ``by_asset=False`` (callers that never look at the asset): one row per (month_start, nip,
    skpd), whole months from ``use_month_counted`` (already limited to listed assets), with
    ``aset_id`` NULL - much smaller, same distinct users and event counts."""
    start, nxt = params["start"], params["next"]
    agg_from = start if start.day == 1 else _first_of_next_month(start)
    agg_to = dt.date(nxt.year, nxt.month, 1)
    if not by_asset and use_month_counted_ready(con):
        whole_year = start.month == start.day == 1 and nxt == dt.date(start.year + 1, 1, 1)
        if whole_year and has_table(con, "use_year_nip"):
            return _whole_year_cte(), {**params, "year": start.year}
        return _counted_by_nip_cte(agg_from < agg_to), {**params, "agg_from": agg_from, "agg_to": agg_to}
    if not use_month_ready(con) or agg_from >= agg_to:
        rows = _RAW_USE.format(lo="$start", hi="$next")
    else:
        rows = (f"SELECT month_start, nip, aset_id, use_events FROM use_month "
                f"WHERE month_start >= $agg_from AND month_start < $agg_to"
                f"\n    UNION ALL {_RAW_USE.format(lo='$start', hi='$agg_from')}"
                f"\n    UNION ALL {_RAW_USE.format(lo='$agg_to', hi='$next')}")
    sql = _RECAP_CTE + f""",
use_rows AS ({rows}),
use_event AS (
    SELECT u.month_start, u.nip, u.aset_id, u.use_events, emp.skpd FROM use_rows u JOIN emp USING (nip)
    WHERE u.aset_id IN (SELECT aset_id FROM aset_current)
)"""
    return sql, {**params, "agg_from": agg_from, "agg_to": agg_to}


def _attended(con: duckdb.DuckDBPyConnection, params: dict) -> str:
    """The period's attendees (one row per NIP): for a whole year from ``attend_year_nip`` when
    it is kept, else from ``attendance`` (both give distinct NIPs with an activity dated in it)."""
    if _is_whole_year(params) and has_table(con, "attend_year_nip"):
        return "(SELECT nip FROM attend_year_nip WHERE year = $year)"
    return "(SELECT DISTINCT nip FROM attendance WHERE activity_date BETWEEN $start AND $end)"


# use_event from per-(month, NIP) rows ``use_rows``: no asset (NULL), the agency from the roster.
_USE_EVENT_BY_NIP = """,
use_event AS (
    SELECT u.month_start, u.nip, NULL::VARCHAR AS aset_id, u.use_events, emp.skpd FROM use_rows u JOIN emp USING (nip)
)"""


def _whole_year_cte() -> str:
    """``use_event`` from ``use_year_nip``: two rows per NIP (its first month with the year's
    events, its last month with 0), so distinct users, event sums, first months and the
    newest month all come out as from the monthly rows."""
    return _RECAP_CTE + """,
use_rows AS (
    SELECT make_date($year, first_month, 1) AS month_start, nip, use_events FROM use_year_nip WHERE year = $year
    UNION ALL
    SELECT make_date($year, last_month, 1), nip, 0 FROM use_year_nip WHERE year = $year AND last_month > first_month
)""" + _USE_EVENT_BY_NIP


def _counted_by_nip_cte(whole_months: bool) -> str:
    listed = "aset_id IN (SELECT aset_id FROM aset_current)"
    raw = lambda lo, hi: (f"SELECT month_start, nip, sum(use_events)::INTEGER AS use_events FROM "  # noqa: E731
                          f"({_RAW_USE.format(lo=lo, hi=hi)}) r WHERE {listed} GROUP BY ALL")
    rows = (f"SELECT month_start, nip, use_events FROM use_month_counted "
            f"WHERE month_start >= $agg_from AND month_start < $agg_to"
            f"\n    UNION ALL {raw('$start', '$agg_from')}\n    UNION ALL {raw('$agg_to', '$next')}"
            if whole_months else raw("$start", "$next"))
    return _RECAP_CTE + f""",
use_rows AS ({rows})""" + _USE_EVENT_BY_NIP


def recap_date(con: duckdb.DuckDBPyConnection, year: int, *, period=None) -> dt.date | None:
    """The date of the headcount recap that applies to ``year`` (or ``period``; see DOMAIN.md), or None."""
    sql = f"WITH {_HEADCOUNT_CTE} SELECT as_of FROM recap_date"
    return _run(con, sql, _params(year, Scope.province(), period)).fetchall()[0][0]


def skpd_kpis(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *, period=None) -> pd.DataFrame:
    """One row per agency in the applicable headcount recap (within scope), ordered by name.

    Columns: ``skpd`` (official name), ``kind``, ``headcount`` (int), ``asset_users``,
    ``use_events``, ``participants``, ``assets_published`` (ints), ``utilisation_rate``,
    ``participation_rate`` (float 0-1, NaN where headcount is 0). No recap: empty frame.

    ``period`` (``metrics.grain.Period`` within ``year``): the same for that period, users
    and participants re-counted distinct in it, its recap the one applying to its end.

    Reads: headcount, employee, access_event, aset, attendance, skpd.
    """
    cte, params = _counted_use_cte(con, _params(year, scope, period), by_asset=False)
    attended = _attended(con, params)
    sql = f"""
    WITH {cte},
    users AS (SELECT skpd, count(DISTINCT nip) AS asset_users, sum(use_events) AS use_events FROM use_event GROUP BY skpd),
    part AS (
        SELECT emp.skpd, count(DISTINCT a.nip) AS participants
        FROM {attended} a JOIN emp USING (nip) GROUP BY emp.skpd
    ),
    pub AS (
        SELECT skpd, count(*) AS assets_published FROM aset_current
        WHERE status = 'terbit' AND published_on BETWEEN $start AND $end GROUP BY skpd
    )
    SELECT hc.skpd, s.kind, hc.headcount,
           coalesce(users.asset_users, 0) AS asset_users, coalesce(users.use_events, 0) AS use_events,
           coalesce(part.participants, 0) AS participants, coalesce(pub.assets_published, 0) AS assets_published,
           CASE WHEN hc.headcount > 0 THEN coalesce(users.asset_users, 0) / hc.headcount END AS utilisation_rate,
           CASE WHEN hc.headcount > 0 THEN coalesce(part.participants, 0) / hc.headcount END AS participation_rate
    FROM hc LEFT JOIN users USING (skpd) LEFT JOIN part USING (skpd) LEFT JOIN pub USING (skpd)
    LEFT JOIN skpd s ON s.name = hc.skpd
    ORDER BY hc.skpd
    """
    frame = _run(con, sql, params).df()
    frame["use_events"] = frame["use_events"].astype("int64")
    return frame


def overall_kpis(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *, period=None) -> dict:
    """The scope's totals: headcount (sum over agencies), asset_users and participants
    (distinct over the scope, never a sum of agency counts), use_events, assets_published,
    and the two rates (float 0-1, or None where headcount is 0 or there is no recap).
    ``period``: as ``skpd_kpis``.

    Reads: as ``skpd_kpis``.
    """
    cte, params = _counted_use_cte(con, _params(year, scope, period), by_asset=False)
    attended = _attended(con, params)
    sql = f"""
    WITH {cte},
    total AS (SELECT sum(headcount) AS headcount FROM hc)
    SELECT total.headcount,
           (SELECT count(DISTINCT nip) FROM use_event) AS asset_users,
           (SELECT coalesce(sum(use_events), 0) FROM use_event) AS use_events,
           (SELECT count(DISTINCT a.nip) FROM {attended} a JOIN emp USING (nip)) AS participants,
           (SELECT count(*) FROM aset_current WHERE status = 'terbit' AND published_on BETWEEN $start AND $end
             AND skpd IN (SELECT skpd FROM hc)) AS assets_published
    FROM total
    """
    row = _run(con, sql, params).df().iloc[0].to_dict()
    headcount = None if pd.isna(row["headcount"]) else int(row["headcount"])
    out = {"headcount": headcount}
    for key in ("asset_users", "participants", "assets_published", "use_events"):
        out[key] = int(row[key])
    out["utilisation_rate"] = out["asset_users"] / headcount if headcount else None
    out["participation_rate"] = out["participants"] / headcount if headcount else None
    return {k: out[k] for k in ("headcount", "asset_users", "utilisation_rate", "participants",
                                "participation_rate", "assets_published", "use_events")}


def monthly_cumulative(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *, period=None) -> pd.DataFrame:
    """One row per month from January to the month of the newest counted use event of
    ``year``: ``month`` ("YYYY-MM"), ``cumulative_asset_users`` (distinct users from
    1 January to the month's end), ``cumulative_utilisation_rate`` (over the scope's
    headcount; NaN when it is 0). Empty when there is no counted use in the year.
    ``period``: months from the period's first to its newest counted use, cumulated from its start.

    Reads: as ``skpd_kpis``.
    """
    cte, params = _counted_use_cte(con, _params(year, scope, period), by_asset=False)
    sql = f"""
    WITH {cte},
    first_use AS (SELECT nip, month(min(month_start)) AS m FROM use_event GROUP BY nip),
    months AS (SELECT unnest(range(month($start), coalesce((SELECT max(month(month_start)) FROM use_event), 0) + 1)) AS m),
    cumulative AS (SELECT months.m, (SELECT count(*) FROM first_use f WHERE f.m <= months.m) AS users FROM months),
    total AS (SELECT sum(headcount) AS headcount FROM hc)
    SELECT printf('%04d-%02d', $year, c.m) AS month, c.users AS cumulative_asset_users,
           CASE WHEN total.headcount > 0 THEN c.users / total.headcount END AS cumulative_utilisation_rate
    FROM cumulative c, total ORDER BY c.m
    """
    return _run(con, sql, params).df()


def maturity_level_sql(total: str) -> str:
    """SQL for the maturity level (1-5) of a CoP whose five dimension scores sum to ``total``
    (exact decimals): the mean's bands 1.5 / 2.5 / 3.5 / 4.5, taken on the sum (DOMAIN.md)."""
    return (f"CASE WHEN {total} < 7.5 THEN 1 WHEN {total} < 12.5 THEN 2 WHEN {total} < 17.5 THEN 3 "
            f"WHEN {total} < 22.5 THEN 4 ELSE 5 END")


def cop_maturity(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per CoP assessed in ``year``, ordered by agency then CoP name.

    Columns: ``cop`` (display name), ``skpd``, the five dimension scores (float),
    ``maturity_score`` (exact mean of the five, as float), ``maturity_level`` (1-5, from
    the exact sum), ``level_file`` (the file's Level, may be NaN), ``level_mismatch``
    (bool: the file's Level disagrees with the computed one), ``instrument``.

    Reads: maturity, cop.
    """
    sql = f"""
    WITH m AS (
        SELECT m.*, (strategi + orang + proses + konten + teknologi) AS score_sum
        FROM maturity_current m WHERE year = $year AND ($scope IS NULL OR skpd = $scope)
    )
    SELECT coalesce(c.name, m.cop_key) AS cop, m.skpd,
           m.strategi::DOUBLE AS strategi, m.orang::DOUBLE AS orang, m.proses::DOUBLE AS proses,
           m.konten::DOUBLE AS konten, m.teknologi::DOUBLE AS teknologi,
           (m.score_sum / 5)::DECIMAL(18, 6)::DOUBLE AS maturity_score,
           {maturity_level_sql("m.score_sum")} AS maturity_level,
           m.level_file, m.instrument
    FROM m LEFT JOIN cop c USING (cop_key)
    ORDER BY m.skpd, cop
    """
    frame = _run(con, sql, _params(year, scope)).df()
    frame["level_mismatch"] = frame["level_file"].notna() & (frame["level_file"] != frame["maturity_level"])
    return frame


def activity_summary(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *, period=None) -> dict:
    """Meetings of ``year``: ``activities``, ``activities_accompanied``, ``accompanied_rate``
    (float 0-1 or None with no meetings) and ``by_quarter`` {"Q1".."Q4": {activities,
    cops_active}} (every quarter present, zeros included).

    Reads: activity.
    """
    sql = """
    SELECT quarter(activity_date) AS q, count(*) AS activities,
           count(*) FILTER (WHERE accompanied) AS accompanied, count(DISTINCT cop_key) AS cops_active
    FROM activity_current
    WHERE activity_date BETWEEN $start AND $end AND ($scope IS NULL OR skpd = $scope)
    GROUP BY q ORDER BY q
    """
    rows = {int(q): (int(a), int(acc), int(c)) for q, a, acc, c in _run(con, sql, _params(year, scope, period)).fetchall()}
    activities = sum(r[0] for r in rows.values())
    accompanied = sum(r[1] for r in rows.values())
    return {"activities": activities, "activities_accompanied": accompanied,
            "accompanied_rate": accompanied / activities if activities else None,
            "by_quarter": {f"Q{q}": {"activities": rows.get(q, (0, 0, 0))[0], "cops_active": rows.get(q, (0, 0, 0))[2]}
                           for q in range(1, 5)}}


def noise_events(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """Access-log events of ``year`` left out of the KPIs, by cause: ``guest`` (no NIP),
    ``short`` (malformed or damaged NIP), ``stranger`` (NIP not in the roster), ``orphan``
    (asset not in the register). Guest and short rows were rejected at import; strangers
    and orphans are stored and count as soon as a roster or register knows them. A rejected
    row repeated in overlapping monthly files counts once (by its raw cells).

    Reads: rejected_row, import_log, access_event, employee, aset.
    """
    sql = """
    SELECT
      (SELECT count(DISTINCT r.raw_row) FROM rejected_row r JOIN import_log l USING (import_id)
        WHERE l.kind = 'access_log' AND l.status = 'loaded' AND r.reason_code = 'missing_nip' AND r.row_date BETWEEN $start AND $end) AS guest,
      (SELECT count(DISTINCT r.raw_row) FROM rejected_row r JOIN import_log l USING (import_id)
        WHERE l.kind = 'access_log' AND l.status = 'loaded' AND r.reason_code IN ('bad_nip', 'numeric_nip', 'damaged_nip')
          AND r.row_date BETWEEN $start AND $end) AS short,
      (SELECT count(*) FROM access_event e WHERE e.event_time >= $start AND e.event_time < $next
          AND e.nip NOT IN (SELECT nip FROM employee_current)) AS stranger,
      (SELECT count(*) FROM access_event e WHERE e.event_time >= $start AND e.event_time < $next
          AND e.aset_id NOT IN (SELECT aset_id FROM aset_current)) AS orphan
    """
    row = _run(con, sql, _params(year, Scope())).fetchall()[0]
    return dict(zip(("guest", "short", "stranger", "orphan"), map(int, row)))
