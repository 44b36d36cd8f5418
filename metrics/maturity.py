"""Maturity KPIs of the maturity assessment (penilaian maturitas), at three grains.

A CoP's score is the exact mean of its five dimension scores; its level follows DOMAIN.md
(1 below 1.5 ... 5 from 4.5), judged on the exact sum so 2.50 is level 3. Two years are
compared only when both were scored with the same instrument (name and version from the
file's title block); otherwise the change is left undefined (NaN) and says why.
Scores are on the instrument's 1-5 scale; shares are fractions 0-1.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.kpi import Scope, _params, _run, maturity_level_sql

DIMENSIONS = ("strategi", "orang", "proses", "konten", "teknologi")
LEVELS = (1, 2, 3, 4, 5)
# Comparison of a CoP's year with the previous one.
COMPARED, NO_PREVIOUS, INSTRUMENT_DIFFERS, INSTRUMENT_UNKNOWN = "compared", "no_previous", "instrument_differs", "instrument_unknown"

_SUM = "(m.strategi + m.orang + m.proses + m.konten + m.teknologi)"
_PREV_SUM = "(p.strategi + p.orang + p.proses + p.konten + p.teknologi)"


def cop_scores(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per CoP assessed in ``year`` (within scope), ordered by agency then CoP, with
    the change from ``year - 1``.

    Columns: ``cop`` (display name), ``skpd``, the five dimension scores (float),
    ``maturity_score`` (exact mean, float), ``maturity_level`` (int 1-5), ``instrument``,
    ``level_file`` (Int64: the file's own Level column, missing when it had none) and
    ``level_mismatch`` (bool: that Level disagrees with ``maturity_level``);
    ``previous_score`` (float), ``previous_level`` (Int64), ``previous_instrument``: the
    previous year's, missing when not assessed; ``comparison`` (``compared``,
    ``no_previous``, ``instrument_differs``, ``instrument_unknown``); ``score_change``
    (float, exact difference of the means), ``level_change`` (Int64) and
    ``<dimension>_change`` (float): defined only when ``comparison == "compared"``.
    No assessment in the year: empty frame.

    Reads: maturity, cop.
    """
    dims = ", ".join(f"m.{d}::DOUBLE AS {d}" for d in DIMENSIONS)
    dim_change = ", ".join(f"CASE WHEN ok THEN (m.{d} - p.{d})::DOUBLE END AS {d}_change" for d in DIMENSIONS)
    sql = f"""
    WITH cur AS (SELECT * FROM maturity_current WHERE year = $year AND ($scope IS NULL OR skpd = $scope)),
    prev AS (SELECT * FROM maturity_current WHERE year = $year - 1 AND ($scope IS NULL OR skpd = $scope)),
    pair AS (
        SELECT m.*, p.cop_key IS NOT NULL AND m.instrument = p.instrument AS ok,
               CASE WHEN p.cop_key IS NULL THEN '{NO_PREVIOUS}'
                    WHEN m.instrument IS NULL OR p.instrument IS NULL THEN '{INSTRUMENT_UNKNOWN}'
                    WHEN m.instrument <> p.instrument THEN '{INSTRUMENT_DIFFERS}' ELSE '{COMPARED}' END AS comparison
        FROM cur m LEFT JOIN prev p USING (cop_key)
    )
    SELECT coalesce(c.name, m.cop_key) AS cop, m.skpd, {dims},
           ({_SUM} / 5)::DECIMAL(18, 6)::DOUBLE AS maturity_score, {maturity_level_sql(_SUM)} AS maturity_level, m.instrument,
           m.level_file, coalesce(m.level_file <> {maturity_level_sql(_SUM)}, false) AS level_mismatch,
           ({_PREV_SUM} / 5)::DECIMAL(18, 6)::DOUBLE AS previous_score,
           CASE WHEN p.cop_key IS NOT NULL THEN {maturity_level_sql(_PREV_SUM)} END AS previous_level,
           p.instrument AS previous_instrument, m.comparison,
           CASE WHEN ok THEN (({_SUM} - {_PREV_SUM}) / 5)::DECIMAL(18, 6)::DOUBLE END AS score_change,
           CASE WHEN ok THEN {maturity_level_sql(_SUM)} - {maturity_level_sql(_PREV_SUM)} END AS level_change, {dim_change}
    FROM pair m LEFT JOIN prev p USING (cop_key) LEFT JOIN cop c USING (cop_key)
    ORDER BY m.skpd, cop
    """
    frame = _run(con, sql, _params(year, scope)).df()
    return frame.astype({"previous_level": "Int64", "level_change": "Int64", "level_file": "Int64",
                         "level_mismatch": bool})


def level_distribution(con: duckdb.DuckDBPyConnection, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per assessed year x level 1-5 (zeros included), ordered by year then level.

    Columns: ``year`` (int), ``maturity_level`` (int), ``cops`` (int), ``cops_share``
    (float 0-1 of the year's assessed CoPs). No assessment: empty frame.

    Reads: maturity.
    """
    sql = f"""
    WITH m AS (SELECT year, {maturity_level_sql(_SUM)} AS maturity_level FROM maturity_current m
               WHERE $scope IS NULL OR skpd = $scope),
    grid AS (SELECT DISTINCT year, unnest([1, 2, 3, 4, 5]) AS maturity_level FROM m)
    SELECT grid.year::INTEGER AS year, grid.maturity_level, count(m.year)::INTEGER AS cops,
           count(m.year) / sum(count(m.year)) OVER (PARTITION BY grid.year) AS cops_share
    FROM grid LEFT JOIN m USING (year, maturity_level)
    GROUP BY grid.year, grid.maturity_level ORDER BY year, maturity_level
    """
    return _run(con, sql, {"scope": scope.skpd}).df()


def dimension_medians(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, float | None]:
    """The province median of each dimension and of the score in ``year`` over every
    assessed CoP (the benchmark every scope is compared with; no CoP's row leaves this
    function). Keys: the five dimensions and ``maturity_score``; None without assessments.

    Reads: maturity.
    """
    cols = ", ".join(f"median({d})::DOUBLE" for d in DIMENSIONS)
    sql = f"SELECT {cols}, median({_SUM.replace('m.', '')} / 5)::DOUBLE FROM maturity_current WHERE year = $year"
    row = _run(con, sql, {"year": year}).fetchall()[0]
    return dict(zip((*DIMENSIONS, "maturity_score"), row))


def dimension_summary(scores: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``cop_scores`` re-aggregated by ``by`` (``["skpd"]`` per agency, ``[]`` one province row).

    Columns: ``by``, ``cops`` (int), the mean of each dimension and ``maturity_score``
    (float, mean over CoPs), ``maturity_level`` (int, level of that mean rounded to 6 decimals). Ordered by ``by``.
    Empty input: empty frame.
    """
    cols = [*DIMENSIONS, "maturity_score"]
    if scores.empty:
        return pd.DataFrame(columns=[*by, "cops", *cols, "maturity_level"])
    work = scores.assign(_all=0)
    keys = by or ["_all"]
    out = work.groupby(keys, as_index=False).agg(cops=("cop", "size"), **{c: (c, "mean") for c in cols})
    out["maturity_level"] = [1 + sum(round(s, 6) >= t for t in (1.5, 2.5, 3.5, 4.5)) for s in out["maturity_score"]]
    return out.drop(columns=["_all"], errors="ignore").reset_index(drop=True)


def instrument_check(scores: pd.DataFrame) -> dict:
    """Whether the year's scores may be compared with the previous year's.

    Returns: ``instruments`` and ``previous_instruments`` (sorted lists of names),
    ``compared`` (CoPs compared), ``not_comparable`` (CoPs assessed both years whose
    instrument differs or is unknown), ``same_instrument`` (bool: every CoP assessed both
    years used the same instrument; True when no CoP was assessed both years).
    """
    both = scores[scores["comparison"] != NO_PREVIOUS]
    differ = int((both["comparison"] != COMPARED).sum())
    return {"instruments": sorted(scores["instrument"].dropna().unique().tolist()),
            "previous_instruments": sorted(both["previous_instrument"].dropna().unique().tolist()),
            "compared": int((both["comparison"] == COMPARED).sum()), "not_comparable": differ,
            "same_instrument": differ == 0}


@dataclass(frozen=True)
class MaturityOverview:
    """What the Maturitas page shows for one year within a scope: ``scores``
    (``cop_scores``), ``levels`` (``level_distribution``), ``medians``
    (``dimension_medians``, province), ``skpd`` (``dimension_summary`` by agency),
    ``overall`` (the scope's one-row summary) and ``check`` (``instrument_check``)."""

    year: int
    scores: pd.DataFrame
    levels: pd.DataFrame
    medians: dict
    skpd: pd.DataFrame
    overall: pd.DataFrame
    check: dict


def maturity_overview(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> MaturityOverview:
    """Assemble ``MaturityOverview``. Reads: maturity, cop."""
    scores = cop_scores(con, year, scope)
    return MaturityOverview(year, scores, level_distribution(con, scope), dimension_medians(con, year),
                            dimension_summary(scores, ["skpd"]), dimension_summary(scores, []),
                            instrument_check(scores))
