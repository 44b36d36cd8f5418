"""Utilisation at every grain and period (issue 4).

Grains: ``province``, ``kind`` (agency kind: Dinas, Badan, Biro, Kota Administrasi, ...),
``skpd`` (agency) and ``cop``. Periods (``Period``): a WIB calendar ``year``, a ``quarter``
(triwulan), a ``month``, or ``ytd`` (1 January to a date, inclusive). The headcount of a
period is the recap that applies to its end (DOMAIN.md); asset users are distinct NIPs
with a counted use in the period, re-counted at each grain from the events (never a sum of
agency or monthly counts), and every rate is users over the grain's summed headcount.

At the ``cop`` grain there is no headcount (employees belong to agencies, not CoPs): a
CoP's row counts the distinct users (of any agency in the recap) of the CoP's assets in
the period, and its rate is undefined by design.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.kpi import Scope, _counted_use_cte, _run
from metrics.targets import effective_targets

GRAINS = ("province", "kind", "skpd", "cop")
PERIODS = ("year", "quarter", "month", "ytd")
PROVINCE = "Provinsi DKI Jakarta"


@dataclass(frozen=True)
class Period:
    """A reporting period: ``kind`` (year | quarter | month | ytd), ``start`` and ``end``
    (inclusive WIB dates) and a ``label`` ("2026", "2026-TW2", "2026-05", "2026-01-01..2026-05-15"; a
    quarter or month cut at today by ``metrics.periods.period_of``: "2026-12-01..2026-12-07")."""

    kind: str
    start: dt.date
    end: dt.date
    label: str

    @property
    def next(self) -> dt.date:
        """The day after ``end`` (the exclusive bound of event times)."""
        return self.end + dt.timedelta(days=1)

    @property
    def year(self) -> int:
        """The WIB year the period lies in (targets are per year)."""
        return self.start.year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def period_at(kind: str, as_of: dt.date) -> Period:
    """The period of ``kind`` holding ``as_of`` (``ytd``: 1 January to ``as_of``).

    Raises:
        ValueError: unknown kind.
    """
    y, m = as_of.year, as_of.month
    if kind == "year":
        return Period(kind, dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))
    if kind == "quarter":
        q = (m - 1) // 3 + 1
        return Period(kind, dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}-TW{q}")
    if kind == "month":
        return Period(kind, dt.date(y, m, 1), _month_end(y, m), f"{y}-{m:02d}")
    if kind == "ytd":
        return Period(kind, dt.date(y, 1, 1), as_of, f"{y}-01-01..{as_of.isoformat()}")
    raise ValueError(f"unknown period {kind!r}; one of {', '.join(PERIODS)}")


def periods_of_year(kind: str, year: int) -> list[Period]:
    """Every quarter or month of ``year`` in order (``year``: the year itself)."""
    if kind == "year":
        return [period_at("year", dt.date(year, 1, 1))]
    step = {"quarter": 3, "month": 1}[kind]
    return [period_at(kind, dt.date(year, m, 1)) for m in range(1, 13, step)]


_GROUP_SQL = """
WITH {cte},
g_hc AS (SELECT {key_hc} AS grain_value, sum(h.headcount) AS headcount
         FROM hc h LEFT JOIN skpd s ON s.name = h.skpd GROUP BY ALL),
g_use AS (SELECT {key_use} AS grain_value, count(DISTINCT u.nip) AS asset_users, sum(u.use_events) AS use_events
          FROM use_event u LEFT JOIN skpd s ON s.name = u.skpd GROUP BY ALL)
SELECT g.grain_value, g.headcount, coalesce(u.asset_users, 0) AS asset_users, coalesce(u.use_events, 0) AS use_events
FROM g_hc g LEFT JOIN g_use u USING (grain_value) ORDER BY g.grain_value
"""
_COP_SQL = """
WITH {cte},
cop_use AS (SELECT a.cop_key, count(DISTINCT u.nip) AS asset_users, sum(u.use_events) AS use_events
            FROM use_event u JOIN aset_current a USING (aset_id)
            WHERE $cop_scope IS NULL OR a.skpd = $cop_scope GROUP BY a.cop_key)
SELECT coalesce(c.name, cu.cop_key) AS grain_value, NULL::BIGINT AS headcount, cu.asset_users, cu.use_events
FROM cop_use cu LEFT JOIN cop c USING (cop_key) ORDER BY grain_value
"""
_KEYS = {"province": (f"'{PROVINCE}'", f"'{PROVINCE}'"), "kind": ("coalesce(s.kind, '?')", "coalesce(s.kind, '?')"),
         "skpd": ("h.skpd", "u.skpd")}


def utilisation_by(con: duckdb.DuckDBPyConnection, period: Period, grain: str, scope: Scope = Scope()) -> pd.DataFrame:
    """Utilisation of ``period`` at ``grain``, one row per grain value, ordered by it.

    Columns: ``grain_value`` (str: the province's name, the kind, the agency or the CoP),
    ``headcount`` (Int64; NA at the cop grain), ``asset_users``, ``use_events`` (int),
    ``utilisation_rate`` (float 0-1; NaN where headcount is 0 or NA), ``rate_above_one``
    (bool, shown and flagged), ``utilisation_target`` (float, the agency's own at the skpd
    grain, else the province's for the period's year), ``target_met`` (bool; NA when the
    rate is undefined; met at exactly the target). No recap: empty frame.

    Reads: headcount, employee, access_event / use_month, aset, skpd, cop, utilisation_target.

    Raises:
        ValueError: unknown grain.
    """
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}; one of {', '.join(GRAINS)}")
    params = {"start": period.start, "end": period.end, "next": period.next,
              "scope": None if grain == "cop" else scope.skpd, "cop_scope": scope.skpd}
    cte, params = _counted_use_cte(con, params)
    sql = _COP_SQL.format(cte=cte) if grain == "cop" else _GROUP_SQL.format(
        cte=cte, key_hc=_KEYS[grain][0], key_use=_KEYS[grain][1])
    frame = _run(con, sql, params).df()
    return _with_rates(con, frame, period, grain)


def _with_rates(con, frame: pd.DataFrame, period: Period, grain: str) -> pd.DataFrame:
    frame["headcount"] = frame["headcount"].astype("Int64")
    for col in ("asset_users", "use_events"):
        frame[col] = frame[col].fillna(0).astype("int64")
    defined = frame["headcount"].fillna(0) > 0
    rate = frame["asset_users"] / frame["headcount"].astype("float64")
    frame["utilisation_rate"] = rate.where(defined).astype("float64")
    frame["rate_above_one"] = frame["utilisation_rate"].fillna(0) > 1
    names = list(frame["grain_value"]) if grain == "skpd" else []
    targets = effective_targets(con, period.year, names)
    frame["utilisation_target"] = [targets[g] if grain == "skpd" else targets[None] for g in frame["grain_value"]]
    met = frame["utilisation_rate"] >= frame["utilisation_target"]
    frame["target_met"] = met.astype("boolean").where(defined, pd.NA)
    return frame


def skpd_reaching_target(con: duckdb.DuckDBPyConnection, period: Period, scope: Scope = Scope()) -> dict:
    """Agencies reaching their target in ``period``: ``skpd_reaching_target`` (int),
    ``skpd_in_recap`` (int, the agencies of the applicable recap within scope),
    ``skpd_reaching_target_share`` (float 0-1: reaching over agencies in the recap; None
    without agencies), ``skpd_undefined`` (list of agencies whose rate is undefined: zero
    or missing headcount; they are not counted as reaching) and ``skpd_above_one`` (list).

    Reads: as ``utilisation_by``.
    """
    table = utilisation_by(con, period, "skpd", scope)
    reaching = int(table["target_met"].fillna(False).sum())
    total = len(table)
    return {"skpd_reaching_target": reaching, "skpd_in_recap": total,
            "skpd_reaching_target_share": reaching / total if total else None,
            "skpd_undefined": sorted(table.loc[table["utilisation_rate"].isna(), "grain_value"]),
            "skpd_above_one": sorted(table.loc[table["rate_above_one"], "grain_value"])}
