"""The periods a page can show (a year, a quarter, a month, the year to date), the same
period a year earlier, and whether a period holds any data (so a comparison is only
made with a period that has some, and a page says "no data" rather than 0%).

A quarter or a month still running today ends today, as the year to date does, so its
year earlier is the same days (1 October-7 December 2025 for TW4 on 7 December 2026),
never the whole quarter. The whole year is not cut: its running form is the year to date.

Periods are ``metrics.grain.Period`` values (WIB calendar dates, inclusive); the KPI
functions of ``metrics.kpi`` and ``metrics.overview`` take one as ``period=`` and
re-count distinct users and participants in it (never a sum of monthly counts).
"""
from __future__ import annotations

import datetime as dt

import duckdb

from metrics.grain import Period, period_at
from metrics.kpi import Scope, _run, activity_summary

PERIOD_KINDS = ("year", "quarter", "month", "ytd")


def period_of(year: int, kind: str = "year", index: int | None = None, *, today: dt.date) -> Period:
    """The period of ``kind`` in ``year``: ``index`` is the quarter (1-4) or the month (1-12);
    ``ytd`` runs from 1 January to ``today``'s day and month (in ``year``; 28 February for
    29 February in a common year), so a past year's year-to-date compares with this one's.
    A quarter or month that holds ``today`` (WIB) and has not reached its last day ends on
    ``today`` (``is_whole`` is then False); a past or future one is whole.

    Raises:
        ValueError: unknown kind, or an index out of range.
    """
    if kind == "year":
        return period_at("year", dt.date(year, 1, 1))
    if kind == "quarter":
        if index not in (1, 2, 3, 4):
            raise ValueError(f"quarter {index!r}: expected 1-4")
        return _so_far(period_at("quarter", dt.date(year, 3 * index - 2, 1)), today)
    if kind == "month":
        if index not in range(1, 13):
            raise ValueError(f"month {index!r}: expected 1-12")
        return _so_far(period_at("month", dt.date(year, index, 1)), today)
    if kind == "ytd":
        return period_at("ytd", _same_day(today, year))
    raise ValueError(f"unknown period {kind!r}; one of {', '.join(PERIOD_KINDS)}")


def _same_day(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:                                    # 29 February in a common year
        return dt.date(year, 2, 28)


def _so_far(period: Period, today: dt.date) -> Period:
    """``period`` cut at ``today`` when it holds ``today`` and has not reached its last day."""
    return _part(period.kind, period.start, today) if period.start <= today < period.end else period


def _part(kind: str, start: dt.date, end: dt.date) -> Period:
    return Period(kind, start, end, f"{start.isoformat()}..{end.isoformat()}")


def is_whole(period: Period) -> bool:
    """The period is a whole year, quarter or month (False: a year to date, a running
    quarter or month cut at today, or any other span)."""
    if period.kind not in ("year", "quarter", "month"):
        return False
    whole = period_at(period.kind, period.start)
    return (period.start, period.end) == (whole.start, whole.end)


def year_earlier(period: Period) -> Period:
    """The same period one year earlier: TW2 2026 -> TW2 2025; year to 6 Dec 2026 -> to
    6 Dec 2025; TW4 2026 running to 7 Dec -> 1 Oct-7 Dec 2025 (the same days, not the
    whole quarter). 29 February becomes 28 February."""
    if period.kind == "ytd":
        return period_at("ytd", _same_day(period.end, period.start.year - 1))
    if not is_whole(period):
        earlier = period.start.year - 1
        return _part(period.kind, _same_day(period.start, earlier), _same_day(period.end, earlier))
    return period_at(period.kind, _same_day(period.start, period.start.year - 1))


def is_finished(period: Period, today: dt.date) -> bool:
    """The period has ended before ``today`` (WIB): no projection is made for it."""
    return period.end < today


_ANY_DATA = """
SELECT EXISTS (SELECT 1 FROM access_event e JOIN employee_current emp USING (nip)
               WHERE e.action IN ('view', 'download') AND e.event_time >= $start AND e.event_time < $next
                 AND ($scope IS NULL OR emp.skpd = $scope))
    OR EXISTS (SELECT 1 FROM attendance a JOIN employee_current emp USING (nip)
               WHERE a.activity_date BETWEEN $start AND $end AND ($scope IS NULL OR emp.skpd = $scope))
    OR EXISTS (SELECT 1 FROM activity_current WHERE activity_date BETWEEN $start AND $end
                 AND ($scope IS NULL OR skpd = $scope))
    OR EXISTS (SELECT 1 FROM aset_current WHERE published_on BETWEEN $start AND $end
                 AND ($scope IS NULL OR skpd = $scope))
"""


def has_data(con: duckdb.DuckDBPyConnection, period: Period, scope: Scope = Scope()) -> bool:
    """Whether ``period`` holds any use event of a roster employee, attendance, meeting or
    published asset within ``scope``: without any, a comparison with it means nothing (a
    headcount recap alone applies to every year and proves nothing).

    Reads: access_event, attendance, employee, activity, aset.
    """
    params = {"start": period.start, "end": period.end, "next": period.next, "scope": scope.skpd}
    return bool(_run(con, _ANY_DATA, params).fetchall()[0][0])


def meetings_with_year_earlier(con: duckdb.DuckDBPyConnection, period: Period,
                               scope: Scope = Scope()) -> tuple[dict, dict | None]:
    """(``activity_summary`` of ``period``, the same of the period a year earlier or None when
    that one holds no data). Reads: activity (and what ``has_data`` reads)."""
    earlier = year_earlier(period)
    before = activity_summary(con, earlier.year, scope, period=earlier) if has_data(con, earlier, scope) else None
    return activity_summary(con, period.year, scope, period=period), before


__all__ = ["meetings_with_year_earlier", "PERIOD_KINDS", "Period", "period_of", "year_earlier", "is_finished", "has_data",
           "is_whole"]
