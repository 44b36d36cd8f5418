"""The KM Award ranking: eligibility, scores (SAW, TOPSIS), shared ranks, the shortlist
cut with its tie-break, and the per-criterion explanation. Pure functions over the
criteria frame of ``metrics.award_criteria``; the command line is ``main``.

Order-independence: every score is computed per CoP from column minima/maxima and a
fixed criterion order, scores are rounded to ``SCORE_DECIMALS`` before ranking, and
residual ties are broken by values, never by row position. Nothing depends on file or
row order.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from pymcdm.methods import TOPSIS

from data.command import command, open_store, year_arg
from data.errors import DatabaseBusy
from metrics.award_criteria import (CRITERION_BY_NAME, CRITERION_NAMES, MIN, AwardError, AwardSettings,
                                    check_settings, criteria_frame, parse_weights)
from metrics.overview import data_version

log = logging.getLogger(__name__)

SCORE_DECIMALS = 9
TIE_BREAK = ("maturity_score", "utilisation_rate", "cop_asset_use")   # higher first, at the shortlist cut


@dataclass(frozen=True)
class AwardResult:
    """One year's ranking under one set of settings.

    Attributes:
        year, settings: what was asked.
        weights: {criterion: weight} used, normalised to sum 1 (0 for unused criteria).
        unavailable: weighted criteria with no value for any CoP (dropped, weight 0).
        ranking: one row per eligible CoP, ordered by rank then ``TIE_BREAK`` then cop_key:
            ``rank`` (int, equal scores share it: 1, 2, 2, 4), ``cop_key``, ``cop``, ``skpd``,
            ``score`` (float 0-1, of ``settings.method``), ``score_saw``, ``score_topsis``,
            ``shortlisted`` (bool), ``jurors`` (int) and every criterion's raw value (NaN: none).
        normalised: index cop_key, one column per used criterion, values 0-1 (min-max over
            eligible CoPs; missing -> 0; no spread -> 1).
        ineligible: ``cop_key``, ``cop``, ``skpd``, ``reason_code``, ``reason`` (str), by cop_key.
        cut: {"tie_at_cut": bool, "decided_by": criterion or None, "all_tied_in": bool,
            "shortlist_size": int}.
        data_version: ``metrics.overview.data_version`` of the database read (None: frame input).
    """

    year: int
    settings: AwardSettings
    weights: dict
    unavailable: tuple
    ranking: pd.DataFrame
    normalised: pd.DataFrame
    ineligible: pd.DataFrame
    cut: dict
    data_version: str | None = None


def _used_weights(frame: pd.DataFrame, settings: AwardSettings) -> tuple[dict, tuple]:
    given = settings.weight_dict()
    unavailable = tuple(n for n in CRITERION_NAMES if given[n] > 0 and frame[n].isna().all())
    used = {n: w for n, w in given.items() if w > 0 and n not in unavailable}
    if not used:
        raise AwardError("no_weight", "no weighted criterion has any value this year: " + ", ".join(unavailable))
    total = sum(used.values())
    return {n: used.get(n, 0.0) / total for n in CRITERION_NAMES}, unavailable


def _reasons(row: pd.Series, quarters: list[int], used: list[str], settings: AwardSettings) -> list[tuple[str, str]]:
    rules, out = settings.eligibility, []
    if rules.require_maturity and pd.isna(row["maturity_score"]):
        out.append(("no_maturity", "no maturity assessment this year"))
    short = [f"Q{q}" for q in quarters if row[f"meetings_q{q}"] < rules.min_meetings_per_quarter]
    if rules.min_meetings_per_quarter > 0 and short:
        out.append(("quarter_without_meeting",
                    f"fewer than {rules.min_meetings_per_quarter} meeting(s) in {', '.join(short)}"))
    missing = [n for n in used if pd.isna(row[n])]
    if used and (len(used) - len(missing)) / len(used) < rules.min_coverage:
        out.append(("missing_data", "no value for " + ", ".join(missing)))
    return out


def eligibility(frame: pd.DataFrame, weights: dict, settings: AwardSettings) -> tuple[pd.Series, pd.DataFrame]:
    """(eligible mask over ``frame``, ineligible frame: cop_key, cop, skpd, reason_code, reason).
    Several reasons are joined with ``; ``. Quarters checked: from the first to the last
    quarter with any meeting among the frame's CoPs."""
    ran = [q for q in range(1, 5) if frame[f"meetings_q{q}"].sum() > 0]
    quarters = list(range(ran[0], ran[-1] + 1)) if ran else []
    used = [n for n, w in weights.items() if w > 0]
    reasons = [_reasons(row, quarters, used, settings) for _, row in frame.iterrows()]
    mask = pd.Series([not r for r in reasons], index=frame.index)
    out = frame.loc[~mask, ["cop_key", "cop", "skpd"]].copy()
    out["reason_code"] = [",".join(c for c, _ in r) for r in reasons if r]
    out["reason"] = ["; ".join(m for _, m in r) for r in reasons if r]
    return mask, out.sort_values("cop_key").reset_index(drop=True)


def normalise(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Min-max normalised criteria (0 worst, 1 best, by each criterion's direction) of
    ``frame`` indexed by cop_key; a missing value is 0, a criterion without spread is 1."""
    out = {}
    for name in names:
        values = frame[name].astype("float")
        low, high = values.min(), values.max()
        scaled = (values - low) / (high - low) if high > low else values * 0 + 1.0
        if CRITERION_BY_NAME[name].direction == MIN:
            scaled = 1 - scaled if high > low else scaled
        out[name] = scaled.fillna(0.0).to_numpy()
    return pd.DataFrame(out, index=frame["cop_key"].to_numpy())


def topsis_scores(norm: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """TOPSIS closeness (0-1) of each row of the normalised matrix (pymcdm, no further
    normalisation); where every CoP is identical, 1.0."""
    if len(norm) == 0:
        return np.zeros(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = TOPSIS(normalization_function=lambda x, cost: x)(norm, weights, np.ones(len(weights)),
                                                                      validation=False)
    return np.nan_to_num(closeness, nan=1.0)


def competition_rank(scores: pd.Series) -> pd.Series:
    """Rank 1 = highest; equal scores share the best rank (1, 2, 2, 4)."""
    return scores.rank(method="min", ascending=False).astype(int)


def _order(ranking: pd.DataFrame) -> pd.DataFrame:
    keys = ranking[list(TIE_BREAK)].fillna(-np.inf)
    sort = pd.concat([ranking[["rank"]], -keys, ranking[["cop_key"]]], axis=1)
    return ranking.loc[sort.sort_values(["rank", *TIE_BREAK, "cop_key"]).index].reset_index(drop=True)


def _shortlist(ranking: pd.DataFrame, top_n: int) -> tuple[pd.Series, dict]:
    """Top ``top_n`` by rank; a tie at the cut is decided by ``TIE_BREAK``; CoPs still equal
    on every tie-break value at the cut are all taken in."""
    key = ranking[["score", *TIE_BREAK]].fillna(-np.inf).apply(tuple, axis=1)
    if len(ranking) <= top_n:
        return pd.Series(True, index=ranking.index), {"tie_at_cut": False, "decided_by": None,
                                                      "all_tied_in": False, "shortlist_size": len(ranking)}
    last_in, first_out = key.iloc[top_n - 1], key.iloc[top_n]
    shortlisted = key.apply(lambda k: k >= last_in)
    tie = last_in[0] == first_out[0]
    decided = next((n for n, a, b in zip(TIE_BREAK, last_in[1:], first_out[1:]) if a != b), None) if tie else None
    return shortlisted, {"tie_at_cut": bool(tie), "decided_by": decided, "all_tied_in": bool(tie and decided is None),
                         "shortlist_size": int(shortlisted.sum())}


def rank_table(frame: pd.DataFrame, year: int, settings: AwardSettings = AwardSettings(),
               version: str | None = None) -> AwardResult:
    """Rank the CoPs of a criteria frame (``criteria_frame`` columns); see ``AwardResult``.

    Raises:
        AwardError: unusable settings (``check_settings``) or no weighted criterion with data.
    """
    check_settings(settings)
    weights, unavailable = _used_weights(frame, settings)
    mask, ineligible = eligibility(frame, weights, settings)
    used = [n for n, w in weights.items() if w > 0]
    eligible = frame.loc[mask].reset_index(drop=True)
    norm = normalise(eligible, used)
    w = np.array([weights[n] for n in used])
    ranking = eligible[["cop_key", "cop", "skpd", "jurors", *CRITERION_NAMES]].copy()
    ranking["score_saw"] = (norm.to_numpy() * w).sum(axis=1).round(SCORE_DECIMALS) if used else 0.0
    ranking["score_topsis"] = topsis_scores(norm.to_numpy(), w).round(SCORE_DECIMALS)
    ranking["score"] = ranking[f"score_{settings.method}"]
    ranking["rank"] = competition_rank(ranking["score"])
    ranking = _order(ranking)
    ranking["shortlisted"], cut = _shortlist(ranking, settings.top_n)
    head = ["rank", "cop_key", "cop", "skpd", "score", "score_saw", "score_topsis", "shortlisted", "jurors"]
    log.info("award ranked year=%s method=%s eligible=%s ineligible=%s", year, settings.method, len(ranking),
             len(ineligible))
    return AwardResult(year, settings, weights, unavailable, ranking[head + list(CRITERION_NAMES)], norm,
                       ineligible, cut, version)


def rank_cops(con: duckdb.DuckDBPyConnection, year: int, settings: AwardSettings = AwardSettings()) -> AwardResult:
    """``rank_table`` over the store's criteria for ``year``, stamped with the data version.
    Reads: as ``metrics.award_criteria.criteria_frame``, and import_log."""
    return rank_table(criteria_frame(con, year), year, settings, data_version(con))


def explain(result: AwardResult, cop_key: str) -> pd.DataFrame:
    """One row per criterion for one ranked CoP: ``criterion``, ``raw`` (float, NaN: none),
    ``normalised`` (0-1), ``weight`` (0-1), ``contribution`` (= normalised x weight; for SAW
    they sum to the score; for TOPSIS they are its weighted inputs, not additive).

    Raises:
        KeyError: the CoP is not ranked (ineligible or unknown).
    """
    row = result.ranking.set_index("cop_key").loc[cop_key]
    norm = result.normalised.loc[cop_key]
    rows = [(n, row[n], float(norm.get(n, 0.0)), result.weights[n], float(norm.get(n, 0.0)) * result.weights[n])
            for n in CRITERION_NAMES]
    return pd.DataFrame(rows, columns=["criterion", "raw", "normalised", "weight", "contribution"])


def compare(result: AwardResult, a: str, b: str) -> pd.DataFrame:
    """Why A is above (or below) B: one row per weighted criterion, ``criterion``, ``raw_a``,
    ``raw_b``, ``contribution_a``, ``contribution_b``, ``difference`` (a - b; for SAW the
    differences sum to score_a - score_b), largest absolute difference first, then name."""
    ea, eb = explain(result, a).set_index("criterion"), explain(result, b).set_index("criterion")
    out = pd.DataFrame({"raw_a": ea["raw"], "raw_b": eb["raw"], "contribution_a": ea["contribution"],
                        "contribution_b": eb["contribution"]})
    out["difference"] = out["contribution_a"] - out["contribution_b"]
    out = out[ea["weight"] > 0].reset_index()
    out["size"] = out["difference"].abs()
    return out.sort_values(["size", "criterion"], ascending=[False, True]).drop(columns="size").reset_index(drop=True)


def to_json(result: AwardResult) -> dict:
    """The command line's JSON: year, method, weights, ranking (by rank), ineligible."""
    ranking = [{"rank": int(r["rank"]), "cop": r["cop"], "skpd": r["skpd"], "score": float(r["score"]),
                "contributions": {n: float(result.normalised.loc[r["cop_key"]].get(n, 0.0)) * result.weights[n]
                                  for n in CRITERION_NAMES if result.weights[n] > 0},
                "shortlisted": bool(r["shortlisted"])} for _, r in result.ranking.iterrows()]
    ineligible = [{"cop": r["cop"], "skpd": r["skpd"], "reason": r["reason"]} for _, r in result.ineligible.iterrows()]
    return {"year": result.year, "method": result.settings.method, "weights": result.weights, "ranking": ranking,
            "ineligible": ineligible, "unavailable": list(result.unavailable), "cut": result.cut,
            "data_version": result.data_version}


@command
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (0 ok, 2 usage or unusable settings, 4 database busy)."""
    parser = argparse.ArgumentParser(prog="python -m metrics.award", description="KM Award ranking of CoPs for a year.",
                                     epilog="criteria (all: higher is better): " + ", ".join(CRITERION_NAMES))
    parser.add_argument("--year", type=year_arg, required=True, help="calendar year (WIB)")
    parser.add_argument("--db", help="database file (default: $KMDASH_DB or data/kmdash.duckdb)")
    parser.add_argument("--weights", default="", help="name=value,... over the default weights; criteria: "
                        + ", ".join(CRITERION_NAMES))
    parser.add_argument("--method", choices=("saw", "topsis"), default="saw")
    parser.add_argument("--top", type=int, default=15, help="shortlist size (default 15); the text output lists the whole ranking and marks the shortlist with *")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    try:
        settings = AwardSettings(weights=parse_weights(args.weights), method=args.method, top_n=args.top)
        with open_store(args.db, read_only=True) as con:
            result = rank_cops(con, args.year, settings)
    except AwardError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    except DatabaseBusy as busy:
        sys.stderr.write(f"{busy}\n")
        return 4
    payload = to_json(result)
    if args.format == "json":
        sys.stdout.write(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    else:
        for r in payload["ranking"]:
            sys.stdout.write(f"{r['rank']:>3} {'*' if r['shortlisted'] else ' '} {r['score']:.6f}  {r['cop']} ({r['skpd']})\n")
        for r in payload["ineligible"]:
            sys.stdout.write(f"  -  {r['cop']} ({r['skpd']}): {r['reason']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
