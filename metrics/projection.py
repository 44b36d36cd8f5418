"""Year-end projection of utilisation, per agency and overall (issue 4).

Method (stated on the page and in ``metrics.registry``): a saturating curve. Each month a
share ``p`` of the employees who have not yet used an asset becomes a user, so with
headcount ``H`` and cumulative users ``C``, month m adds ``p * (H - C[m-1])``. ``p`` is
fitted by least squares through the origin on the complete months so far (January to
the last month that has ended at the as-of date and that the access log covers to its last
day: ``complete_months``), and the curve is carried to December: ``C[12] = H - (H - C[k]) * (1 - p) ** (12 - k)``. The band repeats the same
step with the lowest and the highest monthly share observed (``p_m = new users in m /
users still to reach before m``): "if every month left were like the worst / best month
so far". Below 3 complete months the answer is "not enough data", never a guess.

Status against the agency's target: ``met`` (already at or above it: cumulative users
never fall), ``on_track`` (the low end reaches it), ``at_risk`` (only the central value or
the high end does), ``off_track`` (even the high end misses), ``not_enough_data``, or
``undefined`` (zero or missing headcount).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.kpi import _RECAP_CTE, Scope, _counted_use_cte, _params, _run, monthly_cumulative
from metrics.targets import effective_targets

MIN_MONTHS = 3
STATUSES = ("met", "on_track", "at_risk", "off_track", "not_enough_data", "undefined")


@dataclass(frozen=True)
class CurveProjection:
    """The December value of one cumulative-users curve. Rates are fractions 0-1; all
    projected fields are None when ``status`` is ``not_enough_data`` or ``undefined``."""

    months_used: int
    users_now: int
    monthly_share: float | None
    projected_users: float | None
    projected_rate: float | None
    projected_rate_low: float | None
    projected_rate_high: float | None
    status: str


def _carry(users: float, headcount: int, share: float, months_left: int) -> float:
    return headcount - (headcount - users) * (1 - share) ** months_left


def project_curve(cumulative: list[int], headcount: int | None, target: float, months_left: int) -> CurveProjection:
    """Project ``cumulative`` (distinct users at the end of January, February, ..., all
    complete months) ``months_left`` months ahead (to December), by the module's method."""
    users_now = int(cumulative[-1]) if cumulative else 0
    if not headcount:
        return CurveProjection(len(cumulative), users_now, None, None, None, None, None, "undefined")
    if users_now / headcount >= target:
        status = "met"
    elif len(cumulative) < MIN_MONTHS:
        return CurveProjection(len(cumulative), users_now, None, None, None, None, None, "not_enough_data")
    pairs = [(b - a, headcount - a) for a, b in zip([0, *cumulative[:-1]], cumulative) if headcount - a > 0]
    if len(pairs) < MIN_MONTHS:
        rate = users_now / headcount
        return CurveProjection(len(cumulative), users_now, None, users_now, rate, rate, rate, "met")
    share = sum(d * r for d, r in pairs) / sum(r * r for _, r in pairs)
    shares = [d / r for d, r in pairs]
    central, low, high = (_carry(users_now, headcount, s, months_left) for s in (share, min(shares), max(shares)))
    if users_now / headcount < target:
        status = ("on_track" if low / headcount >= target else "at_risk" if high / headcount >= target
                  else "off_track")
    return CurveProjection(len(cumulative), users_now, share, central, central / headcount, low / headcount,
                           high / headcount, status)


def _months_ended_by(day: dt.date, year: int) -> int:
    """How many months of ``year`` (from January) have their last day on or before ``day``."""
    if day.year != year:
        return 12 if day.year > year else 0
    return day.month if (day + dt.timedelta(days=1)).day == 1 else day.month - 1


def complete_months(year: int, as_of: dt.date | None, data_to: dt.date | None) -> int:
    """How many months of ``year`` (from January) are complete: ended at ``as_of`` (None:
    the year is over) and covered by the data, whose newest day is ``data_to`` (the access
    log's newest event on or after 1 January of ``year``, any action; None: no event).

    A month is covered when the log reaches its last day or a later month. The log, not the
    newest counted use, because it is the export whose end is in question (the day Data &
    impor shows as the log's last day): a last day with only likes or unknown assets is still
    covered. A month the log stops inside (a monthly file's one-day overlap, or a file
    exported before the month ended) would add only the users of its first days, and the
    fitted monthly share would drop as if people had stopped using the portal: it is left
    out, and the projection runs from the months before it. A log that reaches the last day
    in the evening (or whose last day was quiet) is trusted as it is: no hour is required.
    """
    done = 12 if as_of is None else _months_ended_by(as_of, year)
    return min(done, 0 if data_to is None else _months_ended_by(data_to, year))


def log_data_to(con: duckdb.DuckDBPyConnection, year: int) -> dt.date | None:
    """The day (WIB) of the access log's newest event on or after 1 January of ``year``, any
    action (None: none). Reads: access_event."""
    return _run(con, "SELECT max(event_time)::DATE FROM access_event WHERE event_time >= $start",
                _params(year, Scope())).fetchall()[0][0]


def _partial_data_to(year: int, as_of: dt.date | None, data_to: dt.date | None, months: int) -> dt.date | None:
    """``data_to`` (capped at ``as_of``) when it falls after the last complete month, i.e.
    inside a month the projection leaves out; else None."""
    if data_to is None:
        return None
    day = min(data_to, as_of) if as_of is not None else data_to
    end_of_used = dt.date(year, 1, 1) if months == 0 else dt.date(year + months // 12, months % 12 + 1, 1)
    return day if months < 12 and day >= end_of_used and day.year == year else None


_SKPD_CURVES = """
WITH {cte},
first_use AS (SELECT skpd, nip, month(min(month_start)) AS m FROM use_event GROUP BY skpd, nip),
new_users AS (SELECT skpd, m, count(*) AS n FROM first_use GROUP BY skpd, m),
SELECT hc.skpd, hc.headcount, m.m AS month, coalesce(sum(n.n) OVER (PARTITION BY hc.skpd ORDER BY m.m), 0) AS users
FROM hc CROSS JOIN (SELECT unnest(range(1, 13)) AS m) m LEFT JOIN new_users n ON n.skpd = hc.skpd AND n.m = m.m
ORDER BY hc.skpd, month
"""


def project_skpd(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date | None = None,
                 scope: Scope = Scope()) -> pd.DataFrame:
    """One row per agency of the year's recap (within scope), ordered by name: ``skpd``,
    ``headcount`` (int), the ``CurveProjection`` fields, and ``utilisation_target``.
    Months used: ``complete_months`` at ``as_of`` (None: all) and the access log's newest
    day. No recap: empty frame.

    Reads: headcount, employee, access_event / use_month, aset, utilisation_target.
    """
    cte, params = _counted_use_cte(con, _params(year, Scope()), by_asset=False)
    curves = _run(con, _SKPD_CURVES.format(cte=cte), params).df()
    months = complete_months(year, as_of, log_data_to(con, year))
    if scope.skpd is not None:
        curves = curves[curves["skpd"] == scope.skpd]
    targets = effective_targets(con, year, sorted(curves["skpd"].unique()))
    rows = []
    for skpd, group in curves.groupby("skpd", sort=True):
        cumulative = [int(v) for v in group.sort_values("month")["users"].iloc[:months]]
        headcount = int(group["headcount"].iloc[0])
        projection = project_curve(cumulative, headcount, targets[skpd], 12 - months)
        rows.append({"skpd": skpd, "headcount": headcount, **projection.__dict__, "utilisation_target": targets[skpd]})
    columns = ["skpd", "headcount", *CurveProjection.__dataclass_fields__, "utilisation_target"]
    return pd.DataFrame(rows, columns=columns)


def _headcount(con, year: int, scope: Scope) -> int | None:
    """The scope's headcount for ``year`` (sum over the recap's agencies; None: no recap)."""
    total = _run(con, f"WITH {_RECAP_CTE} SELECT sum(headcount) FROM hc", _params(year, scope)).fetchall()[0][0]
    return None if total is None else int(total)


def project_overall(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date | None = None,
                    scope: Scope = Scope()) -> dict:
    """The scope's projection as a dict of ``CurveProjection`` fields plus ``headcount``,
    ``utilisation_target``, ``method`` (one sentence) and ``data_to``: the access log's
    newest day (capped at ``as_of``) when it falls inside a month left out as incomplete
    (the page names it: "data to 1 Nov 2026"), else None. Reads: as ``project_skpd``."""
    monthly = monthly_cumulative(con, year, scope)
    data_to = log_data_to(con, year)
    months = complete_months(year, as_of, data_to)
    headcount = _headcount(con, year, scope)
    target = effective_targets(con, year, [] if scope.skpd is None else [scope.skpd])[scope.skpd]
    cumulative = [int(v) for v in monthly["cumulative_asset_users"].iloc[:months]]
    cumulative += [cumulative[-1] if cumulative else 0] * (months - len(cumulative))
    projection = project_curve(cumulative, headcount, target, 12 - months)
    return {"headcount": headcount, **projection.__dict__, "utilisation_target": target, "method": METHOD,
            "data_to": _partial_data_to(year, as_of, data_to, months)}


METHOD = ("saturating curve: each month a share p of the employees not yet reached becomes a user; p fitted "
          "by least squares on the complete months so far and carried to December; band from the lowest and "
          "highest monthly share seen; fewer than 3 complete months: not enough data")
