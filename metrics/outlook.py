"""What leadership asks next to the headline: where the year will end, which agencies are
at risk of missing their target, and how this year compares with the last.

``outlook(con, year, scope)`` assembles it from ``metrics.projection`` (method stated
there), ``metrics.kpi`` and ``metrics.kpi.cop_maturity``; nothing is computed twice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.grain import period_at
from metrics.kpi import Scope, cop_maturity, overall_kpis
from metrics.periods import has_data, year_earlier
from metrics.projection import METHOD, project_overall, project_skpd

RISK_STATUSES = ("at_risk", "off_track")


@dataclass(frozen=True)
class Outlook:
    """The year-end outlook of a scope.

    Attributes:
        projection: ``project_overall``'s dict (projected_rate, projected_rate_low/high as
            fractions 0-1, status, months_used, method, ...).
        at_risk: agencies whose projection is ``at_risk`` or ``off_track``: columns skpd,
            status, users_now, headcount, utilisation_rate (users_now / headcount, fraction
            0-1, None without headcount), projected_rate, projected_rate_low,
            projected_rate_high, utilisation_target; off_track first, then lowest projection.
        previous: ``overall_kpis`` of the same period a year earlier (None when that period
            holds no data: ``metrics.periods.has_data``; a recap alone is not data).
        previous_period: that period (``metrics.grain.Period``).
        maturity_mean: mean CoP maturity score of the year (None: no assessment);
            ``maturity_mean_previous`` the same for ``year - 1``.
        method: how the projection is made, in one sentence.
    """

    projection: dict
    at_risk: pd.DataFrame
    previous: dict | None
    previous_period: object
    maturity_mean: float | None
    maturity_mean_previous: float | None
    method: str


def _mean_maturity(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> float | None:
    scores = cop_maturity(con, year, scope)["maturity_score"]
    return None if scores.empty else float(scores.mean())


def outlook(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(),
            as_of: dt.date | None = None, *, period=None) -> Outlook:
    """Assemble the ``Outlook`` of ``year`` (or ``period`` within it) for ``scope``: months
    complete at ``as_of`` (None: every month; ``metrics.projection.complete_months``: a month
    the access log stops inside is not complete). A projection to December is made
    only for the year or the year to date, and only while the year runs at ``as_of``
    (else ``projection`` is ``{}`` and ``at_risk`` empty): a finished period has its value.
    Reads what ``metrics.projection`` and ``metrics.kpi`` read."""
    period = period or period_at("year", dt.date(year, 1, 1))
    earlier = year_earlier(period)
    previous = overall_kpis(con, year - 1, scope, period=earlier) if has_data(con, earlier, scope) else None
    columns = ["skpd", "status", "users_now", "headcount", "utilisation_rate", "projected_rate", "projected_rate_low",
               "projected_rate_high", "utilisation_target"]
    running = period.kind in ("year", "ytd") and (as_of is None or as_of <= dt.date(year, 12, 31))
    if not running:
        return Outlook({}, pd.DataFrame(columns=columns), previous, earlier, _mean_maturity(con, year, scope),
                       _mean_maturity(con, year - 1, scope), METHOD)
    agencies = project_skpd(con, year, as_of, scope)
    risky = agencies[agencies["status"].isin(RISK_STATUSES)].copy()
    risky["order"] = risky["status"].map({"off_track": 0, "at_risk": 1})
    risky = risky.sort_values(["order", "projected_rate", "skpd"]).drop(columns="order")
    risky["utilisation_rate"] = [u / h if h else None for u, h in zip(risky["users_now"], risky["headcount"])]
    return Outlook(project_overall(con, year, as_of, scope), risky[columns].reset_index(drop=True), previous, earlier,
                   _mean_maturity(con, year, scope), _mean_maturity(con, year - 1, scope), METHOD)
