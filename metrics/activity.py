"""Meeting KPIs of the activity register (rekap kegiatan), at three grains.

The programme's quarterly target: every CoP holds at least one meeting per quarter
(triwulan, a WIB calendar quarter of the meeting's date). The CoPs expected to meet are
the CoPs the product knows (table ``cop``: named in an activity register, asset register or
maturity file), each belonging to its owner agency there. A quarter is *covered* when it
has started by ``as_of`` and does not end before the register's first meeting (the
register starts mid-2025: earlier quarters are not counted as missed). A covered quarter
is ``closed`` when it ended before ``as_of``, else ``running``.

Rates are fractions 0-1, re-computed from their numerator and denominator at every grain
(never an average of rates); an undefined rate is NaN.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from metrics.grain import Period
from metrics.kpi import Scope, _params, _run, activity_summary

WIB = ZoneInfo("Asia/Jakarta")
_SUMS = ["activities", "activities_accompanied", "cops", "cops_meeting_target"]
_RUNNING = object()          # cops_without_meeting's default: the running quarter


def today_wib() -> dt.date:
    """Today's date in Jakarta (WIB)."""
    return dt.datetime.now(WIB).date()


def covered_quarters(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date) -> list[int]:
    """The covered quarters (1-4) of ``year``, ascending; empty when none (see module doc).

    Reads: activity (the register's first meeting date, province-wide).
    """
    first = con.execute("SELECT min(activity_date) FROM activity_current").fetchall()[0][0]
    if first is None:
        return []
    quarters = []
    for q in range(1, 5):
        start, end = dt.date(year, 3 * q - 2, 1), _quarter_end(year, q)
        if start <= as_of and end >= first:
            quarters.append(q)
    return quarters


def _quarter_end(year: int, q: int) -> dt.date:
    return dt.date(year + 1, 1, 1) - dt.timedelta(days=1) if q == 4 else dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)


def cop_quarters(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *,
                 as_of: dt.date) -> pd.DataFrame:
    """One row per known CoP (within scope) x covered quarter of ``year``, ordered by
    agency, CoP, quarter.

    Columns: ``cop`` (display name), ``cop_key``, ``skpd`` (owner), ``quarter`` (int 1-4),
    ``activities``, ``activities_accompanied`` (ints, meetings dated in the quarter),
    ``met_target`` (bool: at least one meeting), ``quarter_closed`` (bool). No covered
    quarter or no CoP: empty frame with these columns.

    Reads: cop, activity.
    """
    quarters = covered_quarters(con, year, as_of)
    sql = """
    WITH cops AS (SELECT cop_key, name AS cop, skpd FROM cop WHERE skpd IS NOT NULL AND ($scope IS NULL OR skpd = $scope)),
    q AS (SELECT unnest($quarters::INTEGER[]) AS quarter),
    meet AS (
        SELECT cop_key, quarter(activity_date) AS quarter, count(*) AS activities,
               count(*) FILTER (WHERE accompanied) AS activities_accompanied
        FROM activity_current
        WHERE activity_date BETWEEN $start AND $end AND ($scope IS NULL OR skpd = $scope) GROUP BY ALL
    )
    SELECT cops.cop, cops.cop_key, cops.skpd, q.quarter,
           coalesce(meet.activities, 0)::INTEGER AS activities,
           coalesce(meet.activities_accompanied, 0)::INTEGER AS activities_accompanied,
           coalesce(meet.activities, 0) >= 1 AS met_target
    FROM cops CROSS JOIN q LEFT JOIN meet USING (cop_key, quarter)
    ORDER BY cops.skpd, cops.cop, q.quarter
    """
    frame = _run(con, sql, {**_params(year, scope), "quarters": quarters}).df()
    frame["quarter_closed"] = [_quarter_end(year, int(q)) < as_of for q in frame["quarter"]]
    return frame


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``accompanied_rate`` and ``cops_meeting_target_rate`` from their sums."""
    frame["accompanied_rate"] = frame["activities_accompanied"] / frame["activities"].where(frame["activities"] > 0)
    frame["cops_meeting_target_rate"] = frame["cops_meeting_target"] / frame["cops"].where(frame["cops"] > 0)
    return frame


def quarter_summary(cq: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Re-aggregate ``cop_quarters`` to ``by`` + quarter (``["skpd"]`` agency x quarter, ``[]`` province).

    Columns: ``by``, ``quarter``, ``quarter_closed``, ``activities``, ``activities_accompanied``,
    ``cops`` (CoPs expected), ``cops_meeting_target`` (ints), ``accompanied_rate``,
    ``cops_meeting_target_rate`` (float 0-1, NaN when undefined). Ordered by ``by``, quarter.
    Empty input: empty frame with these columns.
    """
    keys = [*by, "quarter", "quarter_closed"]
    work = cq.assign(cops=1, cops_meeting_target=cq["met_target"].astype(int))
    out = work.groupby(keys, as_index=False)[_SUMS].sum()       # sorted by the keys; no row: the columns alone
    return _rates(out.astype({c: int for c in _SUMS}))


def skpd_year_summary(cq: pd.DataFrame) -> pd.DataFrame:
    """One row per agency over the covered quarters, ordered by agency.

    Columns: ``skpd``, ``cops``, ``activities``, ``activities_accompanied``, ``cop_quarters``
    (CoP x covered quarter), ``cop_quarters_meeting_target`` (ints), ``accompanied_rate``,
    ``cops_meeting_target_rate`` (cop_quarters_meeting_target / cop_quarters, float 0-1).
    Empty input: empty frame with these columns.
    """
    out = cq.groupby("skpd", as_index=False).agg(                  # sorted by agency; no row: the columns alone
        cops=("cop_key", "nunique"), activities=("activities", "sum"),
        activities_accompanied=("activities_accompanied", "sum"), cop_quarters=("cop_key", "size"),
        cop_quarters_meeting_target=("met_target", "sum"))
    out["accompanied_rate"] = out["activities_accompanied"] / out["activities"].where(out["activities"] > 0)
    out["cops_meeting_target_rate"] = out["cop_quarters_meeting_target"] / out["cop_quarters"]
    return out


def mentors(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per mentor (pendamping) of the accompanied meetings of ``year`` within scope,
    most meetings first, then by name; an accompanied meeting without a mentor's name has
    ``mentor`` None.

    Columns: ``mentor``, ``activities_accompanied``, ``cops_accompanied``, ``skpd_accompanied``
    (ints), ``accompanied_rate`` (float 0-1: the mentor's meetings over all the scope's
    meetings of the year; over mentors these add up to the scope's accompanied rate).
    No accompanied meeting: empty frame.

    Reads: activity.
    """
    sql = """
    WITH a AS (SELECT * FROM activity_current WHERE activity_date BETWEEN $start AND $end
               AND ($scope IS NULL OR skpd = $scope))
    SELECT nullif(trim(mentor), '') AS mentor, count(*)::INTEGER AS activities_accompanied,
           count(DISTINCT cop_key)::INTEGER AS cops_accompanied, count(DISTINCT skpd)::INTEGER AS skpd_accompanied,
           count(*) / (SELECT count(*) FROM a) AS accompanied_rate
    FROM a WHERE accompanied GROUP BY 1 ORDER BY activities_accompanied DESC, mentor NULLS LAST
    """
    return _run(con, sql, _params(year, scope)).df()


def cop_agencies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Agencies owning at least one known CoP, by name (for an agency filter). Reads: cop."""
    return [r[0] for r in con.execute("SELECT DISTINCT skpd FROM cop WHERE skpd IS NOT NULL ORDER BY 1").fetchall()]


@dataclass(frozen=True)
class ActivityOverview:
    """What the Kegiatan page shows for one year within a scope.

    Attributes:
        year, as_of: the WIB calendar year and the date quarters are judged on.
        summary: ``metrics.kpi.activity_summary`` (the headline counts, as ``metrics.report``).
        cop_quarters: ``cop_quarters``. province: ``quarter_summary(.., [])``.
        skpd_quarters: ``quarter_summary(.., ["skpd"])``. skpd: ``skpd_year_summary``.
        mentors: ``mentors``.
        running_quarter: the covered quarter still running (int), or None for a past year.
    """

    year: int
    as_of: dt.date
    summary: dict
    cop_quarters: pd.DataFrame
    province: pd.DataFrame
    skpd_quarters: pd.DataFrame
    skpd: pd.DataFrame
    mentors: pd.DataFrame
    running_quarter: int | None

    def target_totals(self) -> dict:
        """The quarterly target over the covered quarters: ``cops`` (known CoPs),
        ``quarters`` (covered, ints), ``cop_quarters``, ``cop_quarters_meeting_target`` (ints),
        ``cops_meeting_target_rate`` (float 0-1, None when no CoP-quarter is counted), and
        for the running quarter (None for a past year) ``running_cops_meeting_target``."""
        cq = self.cop_quarters
        met = int(cq["met_target"].sum())
        running = cq[cq["quarter"] == self.running_quarter]
        return {"cops": int(cq["cop_key"].nunique()), "quarters": sorted(int(q) for q in cq["quarter"].unique()),
                "cop_quarters": len(cq), "cop_quarters_meeting_target": met,
                "cops_meeting_target_rate": met / len(cq) if len(cq) else None,
                "running_cops_meeting_target": int(running["met_target"].sum()) if self.running_quarter else None}

    def focus_quarter(self, period: Period | None = None) -> int | None:
        """The quarter (1-4) the page's quarterly-target tile and "CoPs without a meeting"
        list are about for ``period`` (a ``metrics.grain.Period`` of ``year``): a quarter's own
        quarter; for a month, the quarter holding it (the target is per quarter); for the
        whole year, the year to date or no period, the running quarter (None for a past year:
        then every covered quarter counts). The quarter may be uncovered (not started yet, or
        before the register's first meeting): see ``quarter_target``."""
        if period is not None and period.kind in ("quarter", "month") and period.start.year == self.year:
            return (period.start.month - 1) // 3 + 1
        return self.running_quarter

    def quarter_target(self, quarter: int) -> tuple[int, int] | None:
        """(CoPs with at least one meeting in ``quarter``, known CoPs) as ints, or None when
        the quarter is not covered (nothing to judge)."""
        rows = self.cop_quarters[self.cop_quarters["quarter"] == quarter]
        if rows.empty:
            return None
        return int(rows["met_target"].sum()), int(rows["cop_key"].nunique())

    def cops_without_meeting(self, quarter: int | None | object = _RUNNING) -> pd.DataFrame:
        """CoP x covered quarter rows without a meeting: ``quarter``'s (default: the running
        quarter's when one is running, else every quarter's; None: every quarter's).
        Columns as ``cop_quarters``; ordered by quarter, agency, CoP; empty for an uncovered quarter."""
        rows = self.cop_quarters[~self.cop_quarters["met_target"]]
        quarter = self.running_quarter if quarter is _RUNNING else quarter
        if quarter is not None:
            rows = rows[rows["quarter"] == quarter]
        return rows.sort_values(["quarter", "skpd", "cop"]).reset_index(drop=True)


def activity_overview(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *,
                      as_of: dt.date | None = None) -> ActivityOverview:
    """Assemble ``ActivityOverview`` (``as_of`` defaults to today in WIB). Reads: cop, activity."""
    as_of = as_of or today_wib()
    cq = cop_quarters(con, year, scope, as_of=as_of)
    running = (as_of.month - 1) // 3 + 1 if as_of.year == year else None
    return ActivityOverview(year, as_of, activity_summary(con, year, scope), cq, quarter_summary(cq, []), quarter_summary(cq, ["skpd"]),
                            skpd_year_summary(cq), mentors(con, year, scope), running)
