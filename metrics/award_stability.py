"""How stable a KM Award ranking is: Monte Carlo over the weights within the evaluator's
band, and the agreement of the two methods (SAW and TOPSIS).

Each draw multiplies every used weight by an independent factor uniform in
[1 - band, 1 + band] and renormalises to sum 1; the draws are seeded
(``AwardSettings.seed``), so the same settings give the same numbers. In a draw a CoP
is "in the top N" when its shared rank is <= N (a tie at the cut counts as in).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.award import SCORE_DECIMALS, AwardResult, topsis_scores

STABLE_PROBABILITY = 0.8        # a CoP's place is stable when P(top N) >= 0.8 (in) or <= 0.2 (out)
MIN_METHOD_AGREEMENT = 0.8      # Spearman between SAW and TOPSIS below this marks the shortlist fragile


@dataclass(frozen=True)
class Stability:
    """The stability of one ranking.

    Attributes:
        per_cop: one row per ranked CoP in ranking order: ``cop_key``, ``cop``, ``skpd``,
            ``rank`` (int), ``shortlisted`` (bool), ``p_top_n`` (fraction 0-1 of draws in the
            top N), ``rank_min``, ``rank_max`` (ints over the draws), ``stable`` (bool).
        spearman: rank correlation (-1..1) of the SAW and TOPSIS scores; None with fewer
            than two CoPs or no spread.
        fragile: some CoP's place is not stable, or the methods disagree
            (spearman < ``MIN_METHOD_AGREEMENT``).
        draws, seed, band: as used.
    """

    per_cop: pd.DataFrame
    spearman: float | None
    fragile: bool
    draws: int
    seed: int
    band: float


def weight_draws(weights: np.ndarray, band: float, draws: int, seed: int) -> np.ndarray:
    """``draws`` x len(weights) matrix of perturbed weights, each row summing to 1."""
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - band, 1 + band, size=(draws, len(weights)))
    drawn = weights * factors
    return drawn / drawn.sum(axis=1, keepdims=True)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Shared ranks per column of a CoP x draw score matrix (1 = best; ties share)."""
    return (scores[None, :, :] > scores[:, None, :]).sum(axis=1) + 1


def spearman(a: pd.Series, b: pd.Series) -> float | None:
    """Spearman rank correlation (average ranks for ties), rounded to ``SCORE_DECIMALS`` so an
    exact value such as 0.8 is not read as 0.7999999999999999 against ``MIN_METHOD_AGREEMENT``;
    None when undefined."""
    if len(a) < 2:
        return None
    ra, rb = a.rank().to_numpy(), b.rank().to_numpy()
    if ra.std() == 0 or rb.std() == 0:
        return None
    return round(float(np.corrcoef(ra, rb)[0, 1]), SCORE_DECIMALS)


def stability(result: AwardResult) -> Stability:
    """Monte Carlo over the weights for ``result.settings.method`` and method agreement."""
    settings, ranking = result.settings, result.ranking
    used = [n for n, w in result.weights.items() if w > 0]
    norm = result.normalised.loc[ranking["cop_key"], used].to_numpy()
    draws = weight_draws(np.array([result.weights[n] for n in used]), settings.band, settings.draws, settings.seed)
    if settings.method == "saw":
        scores = norm @ draws.T
    else:
        scores = np.column_stack([topsis_scores(norm, w) for w in draws])
    ranks = _ranks(scores.round(SCORE_DECIMALS))          # CoP x draw; no CoP ranked: 0 rows, as every column below
    per_cop = ranking[["cop_key", "cop", "skpd", "rank", "shortlisted"]].copy()
    per_cop["p_top_n"] = (ranks <= settings.top_n).mean(axis=1)
    per_cop["rank_min"] = ranks.min(axis=1)
    per_cop["rank_max"] = ranks.max(axis=1)
    # out in at least STABLE_PROBABILITY of draws (not p <= 1 - 0.8, which is 0.19999999999999996)
    per_cop["stable"] = ((per_cop["shortlisted"] & (per_cop["p_top_n"] >= STABLE_PROBABILITY))
                         | (~per_cop["shortlisted"] & (1 - per_cop["p_top_n"] >= STABLE_PROBABILITY)))
    rho = spearman(ranking["score_saw"], ranking["score_topsis"])
    fragile = bool((~per_cop["stable"]).any() or (rho is not None and rho < MIN_METHOD_AGREEMENT))
    return Stability(per_cop.reset_index(drop=True), rho, fragile, settings.draws, settings.seed, settings.band)
