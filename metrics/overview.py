"""What the overview page (Ringkasan) shows, assembled from the KPI functions, so the
page only presents.

``overview(con, year, scope)`` returns one ``Overview`` holding the scope's totals,
the per-agency table with each agency's target status, the cumulative monthly trend
and the agencies reaching the target.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from data.store.connection import get_meta, has_table
from metrics.grain import period_at
from metrics.kpi import Scope, monthly_cumulative, overall_kpis, recap_date, skpd_kpis
from metrics.periods import has_data
from metrics.registry import TARGET_UTILISATION
from metrics.targets import effective_targets

# Target status of a rate: met (>= target), below, undefined (no headcount), over_one (> 1: shown, flagged).
STATUS_MET, STATUS_BELOW, STATUS_UNDEFINED = "met", "below", "undefined"


def target_status(rate: float | None, target: float = TARGET_UTILISATION) -> str:
    """``met`` at or above ``target`` (exactly 0.5 is met), ``below`` under it,
    ``undefined`` for a missing rate (zero or missing headcount)."""
    if rate is None or pd.isna(rate):
        return STATUS_UNDEFINED
    return STATUS_MET if rate >= target else STATUS_BELOW


@dataclass(frozen=True)
class Overview:
    """The overview of one year within a scope.

    Attributes:
        year: the WIB calendar year.
        target: the scope's effective utilisation target (fraction; ``metrics.targets``).
        overall: the scope's totals (``metrics.kpi.overall_kpis``).
        skpd: one row per agency (``metrics.kpi.skpd_kpis`` columns plus
            ``target_status`` str and ``rate_above_one`` bool), ordered by
            utilisation_rate descending, undefined rates last.
        monthly: ``metrics.kpi.monthly_cumulative``.
        skpd_reaching_target: agencies with a defined rate at or above target.
        skpd_with_rate: agencies whose rate is defined.
        recap_date: date of the headcount recap used (None: no recap).
        is_demo: the database holds the product's demo data.
        period: the ``metrics.grain.Period`` counted (None: the whole year).
        period_has_data: the province holds any data in the period (``metrics.periods.has_data``;
            False: every count is an empty 0, and a page says "no data" instead).
    """

    year: int
    target: float
    overall: dict
    skpd: pd.DataFrame
    monthly: pd.DataFrame
    skpd_reaching_target: int
    skpd_with_rate: int
    recap_date: object
    is_demo: bool
    period: object = None
    period_has_data: bool = True


def overview(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *, period=None) -> Overview:
    """Assemble the overview; see ``Overview``. Each agency is judged against its own effective
    target (``metrics.targets``; column ``utilisation_target``), ``target`` is the scope's.
    ``period`` (``metrics.grain.Period`` within ``year``): every count re-made for it.
    Reads what ``metrics.kpi`` and ``metrics.periods.has_data`` read, ``utilisation_target`` and ``meta``."""
    table = skpd_kpis(con, year, scope, period=period)
    targets = effective_targets(con, year, list(table["skpd"]))
    table["utilisation_target"] = [targets[s] for s in table["skpd"]]
    table["target_status"] = [target_status(r, t) for r, t in zip(table["utilisation_rate"], table["utilisation_target"])]
    table["rate_above_one"] = table["utilisation_rate"].fillna(0) > 1
    table = table.sort_values(["utilisation_rate", "skpd"], ascending=[False, True], na_position="last")
    defined = table["target_status"] != STATUS_UNDEFINED
    return Overview(year, targets[scope.skpd] if scope.skpd in targets else targets[None],
                    overall_kpis(con, year, scope, period=period), table.reset_index(drop=True),
                    monthly_cumulative(con, year, scope, period=period), int((table["target_status"] == STATUS_MET).sum()),
                    int(defined.sum()), recap_date(con, year, period=period), get_meta(con, "is_demo") == "true", period,
                    has_data(con, period or period_at("year", dt.date(year, 1, 1)), Scope.province()))


def available_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years (WIB) holding any use event, attendance, meeting, maturity score or recap, newest first."""
    sql = """
    SELECT DISTINCT y FROM (
        SELECT year(event_time) AS y FROM access_event
        UNION SELECT year(activity_date) FROM attendance
        UNION SELECT year(activity_date) FROM activity_current
        UNION SELECT year FROM maturity_current
        UNION SELECT year(as_of) FROM headcount_current
    ) WHERE y IS NOT NULL ORDER BY y DESC
    """
    return [int(r[0]) for r in con.execute(sql).fetchall()]


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes with every import or undo, and with every target change (for cache keys)."""
    row = con.execute("SELECT count(*), coalesce(max(import_id), 0), count(*) FILTER (WHERE status <> 'loaded') "
                      "FROM import_log").fetchall()[0]
    changes = con.execute("SELECT count(*) FROM target_change").fetchall()[0][0] if has_table(con, "target_change") else 0
    return "-".join(str(v) for v in (*row, changes))
