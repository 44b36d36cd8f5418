"""The KM Award's ranking rules, settings, stability, export tables and store, one behaviour
per test on hand-made criteria frames (no import of the fixture folder): what mutation testing
found unchecked in metrics/award.py, award_criteria.py, award_stability.py, award_export.py and
award_store.py (issue 19, bench/mutation/metrics_award*.md). Expected values are worked out in the
comments.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import math
import warnings
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pandas as pd
import pytest

from data.store.connection import connect
from metrics.award import normalise, rank_table
from metrics.award_criteria import (CRITERION_BY_NAME, CRITERION_NAMES, DEFAULT_WEIGHTS, MIN, AwardError, AwardSettings,
                                    Eligibility, check_settings, criterion_label, parse_weights)
from metrics.award_export import shortlist_sheets
from metrics.award_stability import _ranks, spearman, stability, weight_draws
from metrics.award_store import freeze, frozen, load_preset, presets, save_preset
from tests.test_award import TWO, _abcde, _frame

WIB = ZoneInfo("Asia/Jakarta")
ALL_KNOWN = ("maturity_score, maturity_change, utilisation_rate, cop_asset_use, participation_rate, "
             "assets_published_per_100, meetings, accompanied_rate, jury_score")


def _wib_now() -> dt.datetime:
    return dt.datetime.now(WIB).replace(tzinfo=None)


# --- award: eligibility, normalising, ranking order, the cut ------------------------------------

def _keys(frame: pd.DataFrame) -> list[str]:
    return list(frame["cop_key"])


def test_without_the_maturity_rule_an_unassessed_cop_is_ranked_on_what_it_has():
    frame = _abcde()
    frame.loc[frame["cop_key"] == "c", "maturity_score"] = math.nan
    rules = Eligibility(require_maturity=False, min_coverage=0.5)
    result = rank_table(frame, 2026, AwardSettings(weights=TWO, eligibility=rules))
    # C: maturity missing -> 0; meetings 4 over 2..6 -> .5; score .5 x .5 = .25
    assert result.ineligible.empty and result.ranking.set_index("cop_key").loc["c", "score"] == pytest.approx(0.25)


def test_the_reasons_name_the_quarters_short_of_the_minimum_and_every_missing_criterion():
    frame = _abcde().assign(meetings_q1=2, meetings_q2=2, meetings_q3=2, meetings_q4=2)
    frame.loc[frame["cop_key"] == "b", ["meetings_q2", "meetings_q4"]] = 1         # one short of 2 in Q2 and Q4
    frame.loc[frame["cop_key"] == "c", ["maturity_score", "meetings"]] = math.nan
    rules = Eligibility(require_maturity=False, min_meetings_per_quarter=2)
    result = rank_table(frame, 2026, AwardSettings(weights=TWO, eligibility=rules))
    assert list(result.ineligible.columns) == ["cop_key", "cop", "skpd", "reason_code", "reason"]
    assert result.ineligible.values.tolist() == [
        ["b", "B", "Dinas b", "quarter_without_meeting", "fewer than 2 meeting(s) in Q2, Q4"],
        ["c", "C", "Dinas c", "missing_data", "no value for maturity_score, meetings"]]
    assert _keys(result.ranking) == ["a", "d", "e"]          # exactly 2 in every quarter is enough


def test_the_ineligible_are_listed_by_cop_key_whatever_the_row_order():
    frame = _abcde().iloc[::-1].reset_index(drop=True)         # e, d, c, b, a
    frame["maturity_score"] = frame["maturity_score"].where(frame["cop_key"].isin(["a", "b"]))
    result = rank_table(frame, 2026, AwardSettings(weights=TWO))
    assert _keys(result.ineligible) == ["c", "d", "e"] and list(result.ineligible.index) == [0, 1, 2]


@pytest.mark.parametrize("zero, short, expected", [
    ((), {"e": ["meetings_q1", "meetings_q4"]}, {"e": "Q1, Q4"}),      # the whole year ran: Q1 and Q4 count
    (("meetings_q1", "meetings_q4"), {"b": ["meetings_q2"], "d": ["meetings_q3"]}, {"b": "Q2", "d": "Q3"}),
    (("meetings_q2",), {}, {k: "Q2" for k in "abcde"})])        # Q1, Q3, Q4 ran: Q2 lies between, so it counts
def test_the_quarters_required_run_from_the_first_to_the_last_with_a_meeting(zero, short, expected):
    frame = _abcde()
    frame[list(zero)] = 0
    for key, quarters in short.items():
        frame.loc[frame["cop_key"] == key, quarters] = 0
    result = rank_table(frame, 2026, AwardSettings(weights=TWO))
    got = {k: r.removeprefix("fewer than 1 meeting(s) in ") for k, r in zip(result.ineligible["cop_key"],
                                                                             result.ineligible["reason"])}
    assert got == expected


def test_a_quarter_with_a_single_meeting_among_all_cops_is_required():
    frame = _abcde().assign(meetings_q4=0)
    frame.loc[frame["cop_key"] == "a", "meetings_q4"] = 1            # only A met in Q4, once: Q4 ran
    result = rank_table(frame, 2026, AwardSettings(weights=TWO))
    assert _keys(result.ineligible) == ["b", "c", "d", "e"] and set(result.ineligible["reason"]) == {
        "fewer than 1 meeting(s) in Q4"}


def test_no_meeting_all_year_requires_no_quarter():
    frame = _abcde().assign(meetings_q1=0, meetings_q2=0, meetings_q3=0, meetings_q4=0)
    assert rank_table(frame, 2026, AwardSettings(weights=TWO)).ineligible.empty


def test_a_lower_is_better_criterion_is_normalised_the_other_way(monkeypatch):
    # no criterion is "min" today; the rule is there for one: meetings 6, 6, 4, 6, 2 over 2..6 -> 1 - (v - 2) / 4
    monkeypatch.setitem(CRITERION_BY_NAME, "meetings", dataclasses.replace(CRITERION_BY_NAME["meetings"], direction=MIN))
    got = normalise(_abcde(), ["meetings", "maturity_score"])
    assert got["meetings"].to_dict() == {"a": 0.0, "b": 0.0, "c": 0.5, "d": 0.0, "e": 1.0}
    assert got["maturity_score"].to_dict() == {"a": 1.0, "b": 0.5, "c": 0.0, "d": 0.5, "e": 0.0}
    flat = _abcde().assign(meetings=3)                     # no spread: 1 for everyone either way
    assert normalise(flat, ["meetings"])["meetings"].tolist() == [1.0] * 5


def test_identical_cops_all_score_one_by_either_method():
    frame = _frame({"a": {"maturity_score": 3.0, "meetings": 4}, "b": {"maturity_score": 3.0, "meetings": 4}})
    for method in ("saw", "topsis"):
        result = rank_table(frame, 2026, AwardSettings(weights=TWO, method=method))
        assert list(result.ranking["score"]) == [1.0, 1.0] and list(result.ranking["rank"]) == [1, 1]


def test_topsis_ranks_a_dominant_cop_and_identical_cops_without_a_warning():
    # pymcdm's input check warns of dominant / dominated alternatives (A and E here) and numpy of 0 / 0
    # (identical CoPs): both are normal in a year's ranking and must not fill the server log
    identical = _frame({"a": {"maturity_score": 3.0, "meetings": 4}, "b": {"maturity_score": 3.0, "meetings": 4}})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert rank_table(_abcde(), 2026, AwardSettings(weights=TWO, method="topsis")).ranking["score"].iloc[0] == 1.0
        assert list(rank_table(identical, 2026, AwardSettings(weights=TWO, method="topsis")).ranking["score"]) == [1, 1]


def test_a_frame_cut_from_a_larger_one_ranks_as_a_fresh_one():
    frame = _abcde()
    frame.loc[frame["cop_key"] == "c", "maturity_score"] = math.nan
    cut = frame.set_axis([10, 20, 30, 40, 50])             # row labels of a frame filtered from a larger one
    settings = AwardSettings(weights=TWO, top_n=2)
    got, fresh = rank_table(cut, 2026, settings), rank_table(frame, 2026, settings)
    pd.testing.assert_frame_equal(got.ranking, fresh.ranking)
    assert _keys(got.ineligible) == ["c"] and _keys(got.ranking) == ["a", "d", "b", "e"]


def test_a_missing_tie_break_value_counts_below_any_value():
    # B and D tie at .75 with maturity 3.0; D has no utilisation, B .4 -> B first and in at the top-2 cut
    result = rank_table(_abcde(d_utilisation=math.nan), 2026, AwardSettings(weights=TWO, top_n=2))
    assert _keys(result.ranking) == ["a", "b", "d", "c", "e"]
    assert list(result.ranking["shortlisted"]) == [True, True, False, False, False]
    assert result.cut == {"tie_at_cut": True, "decided_by": "utilisation_rate", "all_tied_in": False,
                          "shortlist_size": 2}


def test_three_equal_scores_share_the_best_of_their_places():
    frame = _abcde()
    frame.loc[frame["cop_key"] == "c", ["maturity_score", "meetings"]] = [3.0, 6]     # C now scores .75 like B, D
    result = rank_table(frame, 2026, AwardSettings(weights=TWO))
    assert list(zip(result.ranking["cop_key"], result.ranking["rank"])) == [("a", 1), ("d", 2), ("b", 2), ("c", 2),
                                                                            ("e", 5)]


def test_cops_equal_on_everything_are_ordered_by_key():
    frame = _abcde(d_utilisation=0.4).iloc[::-1].reset_index(drop=True)      # D's row before B's
    assert _keys(rank_table(frame, 2026, AwardSettings(weights=TWO)).ranking) == ["a", "b", "d", "c", "e"]


def test_a_shortlist_as_long_as_the_ranking_takes_everyone_without_a_cut():
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO, top_n=5))
    assert list(result.ranking["shortlisted"]) == [True] * 5
    assert result.cut == {"tie_at_cut": False, "decided_by": None, "all_tied_in": False, "shortlist_size": 5}


@pytest.mark.parametrize("top_n, shortlisted", [(4, [True, True, True, True, False]),     # C .25 in, E 0 out
                                                (3, [True, True, True, False, False]),     # B .75 in, C .25 out
                                                (1, [True, False, False, False, False])])  # A 1 in, D .75 out
def test_a_cut_between_different_scores_is_no_tie(top_n, shortlisted):
    # at 3 and 1 the CoPs either side of the cut also differ in maturity (3 / 2; 4 / 3): still no tie to decide
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO, top_n=top_n))
    assert list(result.ranking["shortlisted"]) == shortlisted
    assert result.cut == {"tie_at_cut": False, "decided_by": None, "all_tied_in": False, "shortlist_size": top_n}


def test_the_ranking_has_the_documented_columns_and_logs_one_line(caplog):
    with caplog.at_level(logging.INFO, logger="metrics.award"):
        frame = _abcde()
        frame.loc[frame["cop_key"] == "e", "maturity_score"] = math.nan
        result = rank_table(frame, 2026, AwardSettings(weights=TWO, method="topsis"))
    assert list(result.ranking.columns) == ["rank", "cop_key", "cop", "skpd", "score", "score_saw", "score_topsis",
                                            "shortlisted", "jurors", *CRITERION_NAMES]
    assert list(result.normalised.columns) == ["maturity_score", "meetings"]
    assert result.ranking["rank"].dtype == "int64" and result.ranking["shortlisted"].dtype == bool
    assert [r.getMessage() for r in caplog.records if r.name == "metrics.award"] == [
        "award ranked year=2026 method=topsis eligible=4 ineligible=1"]


# --- award_criteria: errors, settings, weights, labels ---------------------------------------

def test_an_award_error_shows_its_message_and_reason_code():
    problem = AwardError("no_weight", "nothing weighted")
    assert (str(problem), problem.message, problem.reason_code) == ("nothing weighted [no_weight]", "nothing weighted",
                                                                    "no_weight")


def test_weights_as_given_are_floats_in_criterion_order_with_absent_ones_zero():
    got = AwardSettings(weights=(("meetings", 2), ("maturity_score", 1))).weight_dict()
    assert list(got) == list(CRITERION_NAMES)
    assert got == {n: {"meetings": 2.0, "maturity_score": 1.0}.get(n, 0.0) for n in CRITERION_NAMES}
    assert all(type(v) is float for v in got.values())


def test_settings_read_back_from_their_json_are_the_same():
    chosen = AwardSettings(weights=TWO, method="topsis", top_n=3, band=0.1, draws=40, seed=9,
                           eligibility=Eligibility(require_maturity=False, min_meetings_per_quarter=2, min_coverage=0.5))
    stored = json.loads(json.dumps(chosen.to_dict()))
    assert stored["weights"] == {n: {"maturity_score": 1.0, "meetings": 1.0}.get(n, 0.0) for n in CRITERION_NAMES}
    assert stored["eligibility"] == {"require_maturity": False, "min_meetings_per_quarter": 2, "min_coverage": 0.5}
    back = AwardSettings.from_dict(stored)
    assert (back.weight_dict(), back.method, back.top_n, back.band, back.draws, back.seed, back.eligibility) == (
        chosen.weight_dict(), "topsis", 3, 0.1, 40, 9, Eligibility(False, 2, 0.5))


@pytest.mark.parametrize("settings", [
    AwardSettings(weights=(("meetings", 0.0), ("jury_score", 1.0))),          # a zero weight beside a positive one
    AwardSettings(top_n=1), AwardSettings(band=0.0), AwardSettings(draws=1),
    AwardSettings(eligibility=Eligibility(min_coverage=0.0)), AwardSettings(eligibility=Eligibility(min_coverage=1.0)),
    AwardSettings(method="topsis")])
def test_settings_at_the_edge_of_the_allowed_are_accepted(settings):
    check_settings(settings)


@pytest.mark.parametrize("settings, code, message", [
    (AwardSettings(weights=(("fame", 1.0),)), "unknown_criterion", f"unknown criterion 'fame'; known: {ALL_KNOWN}"),
    (AwardSettings(weights=(("meetings", -0.5),)), "negative_weight", "weight of meetings must be >= 0, got -0.5"),
    (AwardSettings(weights=(("meetings", math.nan),)), "negative_weight", "weight of meetings must be >= 0, got nan"),
    (AwardSettings(weights=(("meetings", 0.0), ("jury_score", 0.0))), "no_weight",
     "at least one criterion needs a weight above 0"),
    (AwardSettings(method="wsm"), "unknown_method", "method must be one of saw, topsis, got 'wsm'"),
    (AwardSettings(top_n=0), "bad_setting", None), (AwardSettings(band=1.0), "bad_setting", None),
    (AwardSettings(band=-0.01), "bad_setting", None), (AwardSettings(draws=0), "bad_setting", None),
    (AwardSettings(eligibility=Eligibility(min_coverage=-0.01)), "bad_setting", None),
    (AwardSettings(eligibility=Eligibility(min_coverage=1.01)), "bad_setting", None)])
def test_unusable_settings_are_refused_by_reason(settings, code, message):
    with pytest.raises(AwardError) as problem:
        check_settings(settings)
    assert problem.value.reason_code == code
    assert problem.value.message == (message or "top_n >= 1, 0 <= band < 1, draws >= 1 and 0 <= min_coverage <= 1 "
                                                "are required")


def test_parse_weights_over_a_base_skips_empty_parts_and_trims_spaces():
    base = {"meetings": 1.0, "jury_score": 3.0}
    assert parse_weights(" meetings = 2 , ,jury_score=0,", base) == (("meetings", 2.0), ("jury_score", 0.0))
    assert parse_weights("", base) == (("meetings", 1.0), ("jury_score", 3.0))
    assert parse_weights("") == tuple(DEFAULT_WEIGHTS.items())


@pytest.mark.parametrize("text, code, message", [
    ("meetings", "bad_setting", "weight 'meetings' is not name=number"),
    ("meetings=many", "bad_setting", "weight 'meetings=many' is not name=number"),
    ("meetings=1=2", "bad_setting", "weight 'meetings=1=2' is not name=number"),       # split at the first "="
    (" fame =1", "unknown_criterion", f"unknown criterion 'fame'; known: {ALL_KNOWN}")])
def test_parse_weights_refuses_what_is_not_a_known_name_and_a_number(text, code, message):
    with pytest.raises(AwardError) as problem:
        parse_weights(text)
    assert (problem.value.reason_code, problem.value.message) == (code, message)


def test_criterion_labels_in_both_languages():
    assert (criterion_label("meetings"), criterion_label("meetings", "id"), criterion_label("meetings", "en")) == (
        "Pertemuan", "Pertemuan", "Meetings")


# --- award_stability ----------------------------------------------------------------------------

def test_weight_draws_stay_within_the_band_and_sum_to_one():
    # two equal weights, band .5: factors in [.5, 1.5], so a normalised weight lies in [.5/2, 1.5/2] = [.25, .75]
    drawn = weight_draws(np.array([0.5, 0.5]), 0.5, 200, 1)
    assert drawn.shape == (200, 2) and np.allclose(drawn.sum(axis=1), 1.0)
    assert drawn.min() >= 0.25 and drawn.max() <= 0.75
    assert drawn[:, 0].min() < 0.3 and drawn[:, 0].max() > 0.7          # the whole band is drawn from
    assert np.array_equal(drawn, weight_draws(np.array([0.5, 0.5]), 0.5, 200, 1))
    assert not np.array_equal(drawn, weight_draws(np.array([0.5, 0.5]), 0.5, 200, 2))


def test_weight_draws_without_a_band_are_the_weights():
    assert np.allclose(weight_draws(np.array([0.75, 0.25]), 0.0, 3, 5), [[0.75, 0.25]] * 3)


def test_ranks_per_draw_are_shared_on_equal_scores():
    # draw 1: .5, .7, .5 -> 2, 1, 2; draw 2: .1, .2, .3 -> 3, 2, 1
    assert _ranks(np.array([[0.5, 0.1], [0.7, 0.2], [0.5, 0.3]])).tolist() == [[2, 3], [1, 2], [2, 1]]


def test_spearman_uses_average_ranks_and_is_undefined_without_spread():
    # a = 1, 2, 2, 3 -> ranks 1, 2.5, 2.5, 4; b -> 1, 3, 2, 4; deviations from 2.5:
    # (-1.5, 0, 0, 1.5) and (-1.5, .5, -.5, 1.5): 4.5 / sqrt(4.5 * 5) = .948683
    assert spearman(pd.Series([1, 2, 2, 3]), pd.Series([1, 3, 2, 4])) == pytest.approx(0.948683, abs=1e-6)
    assert spearman(pd.Series([1, 2]), pd.Series([2, 1])) == pytest.approx(-1.0)
    assert spearman(pd.Series([1]), pd.Series([1])) is None
    assert spearman(pd.Series([1, 1, 1]), pd.Series([1, 2, 3])) is None
    assert spearman(pd.Series([1, 2, 3]), pd.Series([4, 4, 4])) is None


def test_a_spearman_of_exactly_the_agreement_threshold_is_not_fragile():
    # one swap among four: 1 - 6 * (1 + 1) / (4 * 15) = .8, the threshold (below it is fragile), not .79999...
    assert spearman(pd.Series([4, 3, 2, 1]), pd.Series([3, 4, 2, 1])) == 0.8


def _saw_topsis_disagree() -> pd.DataFrame:
    # normalised (maturity, meetings) at weights .5/.5: Y (1, .25), X (.6, .6), W (0, 1), Z (0, 0)
    # (maturity 1..5: X 3.4 -> .6; meetings 2..22: X 14 -> .6, Y 7 -> .25)
    # SAW: Y .625, X .6, W .5, Z 0. TOPSIS (PIS (.5, .5), NIS (0, 0)): X d+ .2828 d- .4243 -> .6;
    # Y d+ .375 d- .5154 -> .5788; W .5 / 1 -> .5; Z 0. Ranks Y, X swap: spearman 1 - 6 * 2 / 60 = .8
    return _frame({"y": {"maturity_score": 5.0, "meetings": 7}, "x": {"maturity_score": 3.4, "meetings": 14},
                   "w": {"maturity_score": 1.0, "meetings": 22}, "z": {"maturity_score": 1.0, "meetings": 2}})


@pytest.mark.parametrize("method, first", [("saw", "y"), ("topsis", "x")])
def test_stability_draws_rank_by_the_rankings_method(method, first):
    result = rank_table(_saw_topsis_disagree(), 2026, AwardSettings(weights=TWO, method=method, top_n=1, band=0.0,
                                                                    draws=3))
    stab = stability(result)
    got = stab.per_cop.set_index("cop_key")
    assert got["p_top_n"].to_dict() == {first: 1.0, ({"x", "y"} - {first}).pop(): 0.0, "w": 0.0, "z": 0.0}
    assert got["rank_max"].to_dict() == {first: 1, ({"x", "y"} - {first}).pop(): 2, "w": 3, "z": 4}
    assert got["stable"].all() and stab.spearman == 0.8 and not stab.fragile
    assert (stab.draws, stab.seed, stab.band) == (3, 20251201, 0.0)
    assert list(stab.per_cop.columns) == ["cop_key", "cop", "skpd", "rank", "shortlisted", "p_top_n", "rank_min",
                                          "rank_max", "stable"]


def test_methods_that_disagree_make_a_stable_ranking_fragile():
    # normalised (maturity 1..5, meetings 2..22): P (0, 1), Q (1, 0), R (0, .6), S (.3, .4); weights .5/.5
    # SAW: P, Q .5, S .35, R .3. TOPSIS (weighted; PIS (.5, .5), NIS (0, 0)): P, Q .5;
    # R (0, .3): .3 / (.5385 + .3) = .3578; S (.15, .2): .25 / (.4610 + .25) = .3516 -> R above S.
    # Average ranks SAW (3.5, 3.5, 1, 2), TOPSIS (3.5, 3.5, 2, 1): 3.5 / 4.5 = .777778 < .8
    frame = _frame({"p": {"maturity_score": 1.0, "meetings": 22}, "q": {"maturity_score": 5.0, "meetings": 2},
                    "r": {"maturity_score": 1.0, "meetings": 14}, "s": {"maturity_score": 2.2, "meetings": 10}})
    stab = stability(rank_table(frame, 2026, AwardSettings(weights=TWO, top_n=2, band=0.0, draws=3)))
    assert stab.per_cop["stable"].all()                    # no weight uncertainty: every place kept
    assert stab.spearman == pytest.approx(7 / 9) and stab.fragile


def _near_tie() -> pd.DataFrame:
    # normalised A (1, 0), B (0, 1), C (0, 0): A's score is its drawn maturity weight, B's the meetings weight,
    # so A is in the top 1 exactly when the maturity factor is drawn above the meetings factor
    return _frame({"a": {"maturity_score": 4.0, "meetings": 2}, "b": {"maturity_score": 2.0, "meetings": 6},
                   "c": {"maturity_score": 2.0, "meetings": 2}})


@pytest.mark.parametrize("method", ["saw", "topsis"])
def test_a_place_kept_in_exactly_the_stable_share_of_draws_is_stable(method):
    # seed 6, band .2: numpy's default_rng(6).uniform(.8, 1.2, (5, 2)) draws the factor pairs
    # (1.015, .937) (.948, .950) (1.195, 1.053) (1.070, .932) (1.072, .849): maturity above in 4 of 5.
    # TOPSIS gives A w_m / (w_m + w_b) = w_m too (PIS (w_m, w_b), NIS (0, 0)). The tie at the cut goes to A.
    result = rank_table(_near_tie(), 2026, AwardSettings(weights=TWO, method=method, top_n=1, band=0.2, draws=5,
                                                         seed=6))
    got = stability(result).per_cop.set_index("cop_key")
    assert got["shortlisted"].to_dict() == {"a": True, "b": False, "c": False}
    assert got["p_top_n"].to_dict() == pytest.approx({"a": 0.8, "b": 0.2, "c": 0.0})
    assert got["stable"].to_dict() == {"a": True, "b": True, "c": True}
    assert (got.loc["a", "rank_min"], got.loc["a", "rank_max"], got.loc["c", "rank_min"]) == (1, 2, 3)
    assert not stability(result).fragile


def test_a_place_kept_in_fewer_draws_is_not_stable_in_or_out():
    # seed 3: (.834, .895) (1.121, 1.033) (.838, .973) (.992, .864) (1.094, .845): maturity above in 3 of 5
    result = rank_table(_near_tie(), 2026, AwardSettings(weights=TWO, top_n=1, band=0.2, draws=5, seed=3))
    stab = stability(result)
    got = stab.per_cop.set_index("cop_key")
    assert got["p_top_n"].to_dict() == pytest.approx({"a": 0.6, "b": 0.4, "c": 0.0})
    assert got["stable"].to_dict() == {"a": False, "b": False, "c": True}
    assert stab.fragile


def test_no_eligible_cop_gives_an_empty_stability():
    frame = _abcde()
    frame["maturity_score"] = math.nan                  # nobody assessed: nobody eligible
    for method in ("saw", "topsis"):
        result = rank_table(frame, 2026, AwardSettings(weights=(("meetings", 1.0),), method=method))
        stab = stability(result)
        assert stab.per_cop.empty and stab.spearman is None and not stab.fragile
        assert (stab.per_cop["p_top_n"].dtype, stab.per_cop["rank_min"].dtype, stab.per_cop["stable"].dtype) == (
            "float64", "int64", bool)                      # the documented types, even without rows


# --- award_export -------------------------------------------------------------------------------

def test_the_settings_table_names_every_setting_with_its_value():
    frame = _abcde()
    settings = AwardSettings(weights=(*TWO, ("jury_score", 2.0), ("accompanied_rate", 1.0)), method="topsis", top_n=2,
                             band=0.1, draws=30, seed=4,
                             eligibility=Eligibility(require_maturity=False, min_meetings_per_quarter=2,
                                                     min_coverage=0.5))
    result = rank_table(frame.assign(meetings_q1=2, meetings_q2=2, meetings_q3=2, meetings_q4=2), 2026, settings,
                        version="3-9-1")
    rows = shortlist_sheets(result, created=dt.datetime(2026, 12, 6, 9, 5, 7, 123456))["settings"]
    assert list(rows.columns) == ["setting", "value"]
    got = dict(zip(rows["setting"], rows["value"]))
    assert list(got)[:13] == ["year", "method", "top_n", "created_at_wib", "data_version", "tie_break",
                              "eligibility.require_maturity", "eligibility.min_meetings_per_quarter",
                              "eligibility.min_coverage", "stability.band", "stability.draws", "stability.seed",
                              "unavailable_criteria"]
    assert [got[k] for k in list(got)[:13]] == [2026, "topsis", 2, "2026-12-06 09:05:07", "3-9-1",
                                                "maturity_score, utilisation_rate, cop_asset_use", False, 2, 0.5, 0.1,
                                                30, 4, "accompanied_rate, jury_score"]
    # given 1, 1, 1, 2 (accompanied, jury: no data, dropped) -> used .5, .5, 0, 0
    assert [got[f"weight.{n}"] for n in CRITERION_NAMES] == [1.0, 0, 0, 0, 0, 0, 1.0, 1.0, 2.0]
    assert [got[f"weight_used.{n}"] for n in CRITERION_NAMES] == [0.5, 0, 0, 0, 0, 0, 0.5, 0, 0]
    assert (got["direction.maturity_score"], got["direction.utilisation_rate"], got["direction.meetings"],
            got["direction.assets_published_per_100"]) == ("max (score)", "max (fraction)", "max (count)",
                                                           "max (per_100)")
    assert len(rows) == 13 + 3 * len(CRITERION_NAMES)


def test_the_shortlist_tables_hold_the_ranking_the_contributions_and_the_ineligible():
    frame = _abcde()
    frame.loc[frame["cop_key"] == "e", "maturity_score"] = math.nan          # E: no assessment
    result = rank_table(frame, 2026, AwardSettings(weights=TWO, top_n=2))
    stab = stability(result)
    sheets = shortlist_sheets(result, stab, created=dt.datetime(2026, 1, 2))
    assert list(sheets) == ["ranking", "contributions", "ineligible", "stability", "settings"]
    assert "cop_key" not in sheets["ranking"] and list(sheets["ranking"]["cop"]) == ["A", "D", "B", "C"]
    assert list(sheets["ineligible"].columns) == ["cop", "skpd", "reason_code", "reason"]
    assert list(sheets["ineligible"]["cop"]) == ["E"]
    assert list(sheets["stability"].columns) == ["cop", "skpd", "rank", "shortlisted", "p_top_n", "rank_min",
                                                 "rank_max", "stable"]
    contributions = sheets["contributions"]
    assert list(contributions.columns) == ["cop", "skpd", "criterion", "raw", "normalised", "weight", "contribution"]
    assert len(contributions) == 4 * len(CRITERION_NAMES)
    # C (maturity 2, meetings 4) over A, B, C, D: maturity 2..4 -> 0, meetings 4..6 -> 0
    c = contributions[contributions["cop"] == "C"].set_index("criterion")
    assert c.loc["meetings", ["raw", "normalised", "weight", "contribution"]].tolist() == [4.0, 0.0, 0.5, 0.0]
    d = contributions[contributions["cop"] == "D"].set_index("criterion")    # maturity 3 -> .5, x .5 = .25
    assert d.loc["maturity_score", ["raw", "normalised", "contribution"]].tolist() == [3.0, 0.5, 0.25]
    assert set(d["skpd"]) == {"Dinas d"}
    assert dict(zip(sheets["settings"]["setting"], sheets["settings"]["value"]))["created_at_wib"] == "2026-01-02 00:00:00"


def test_the_shortlist_tables_without_stability_or_eligible_cops():
    frame = _abcde()
    frame["maturity_score"] = math.nan
    sheets = shortlist_sheets(rank_table(frame, 2026, AwardSettings(weights=(("meetings", 1.0),))))
    assert list(sheets) == ["ranking", "contributions", "ineligible", "settings"]
    settings = dict(zip(sheets["settings"]["setting"], sheets["settings"]["value"]))
    assert (settings["data_version"], settings["unavailable_criteria"]) == ("", "")     # not read from a database
    assert sheets["contributions"].empty
    assert list(sheets["contributions"].columns) == ["cop", "skpd", "criterion", "raw", "normalised", "weight",
                                                     "contribution"]


def test_the_shortlist_is_dated_now_in_wib_by_default():
    before = _wib_now().replace(microsecond=0)
    rows = shortlist_sheets(rank_table(_abcde(), 2026, AwardSettings(weights=TWO)))["settings"]
    after = _wib_now()
    made = dict(zip(rows["setting"], rows["value"]))["created_at_wib"]
    assert len(made) == 19 and before <= dt.datetime.fromisoformat(made) <= after


# --- award_store --------------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path):
    with connect(tmp_path / "award_store.duckdb") as con:
        yield con


def test_a_preset_is_saved_under_its_trimmed_name_and_overwritten(store, monkeypatch, caplog):
    monkeypatch.setenv("KMDASH_USER", "operator sari")
    before = _wib_now().replace(microsecond=0)
    with caplog.at_level(logging.INFO, logger="metrics.award_store"):
        save_preset(store, "  juri  ", 2026, AwardSettings(weights=TWO))
    assert [r.getMessage() for r in caplog.records] == ["award preset saved name=juri year=2026"]
    save_preset(store, "juri", 2026, AwardSettings(weights=TWO, top_n=4), user="budi")
    save_preset(store, "awal", 2026, AwardSettings(weights=TWO))
    save_preset(store, "lama", 2025, AwardSettings(weights=TWO))
    after = _wib_now()
    listed = presets(store, 2026)
    assert list(listed.columns) == ["name", "saved_at", "saved_by"]
    assert list(zip(listed["name"], listed["saved_by"])) == [("awal", "operator sari"), ("juri", "budi")]
    assert all(before <= t.to_pydatetime() <= after and t.microsecond == 0 for t in listed["saved_at"])
    assert load_preset(store, "juri", 2026).top_n == 4
    assert list(presets(store, 2025)["name"]) == ["lama"]


def test_a_preset_needs_a_name(store):
    with pytest.raises(AwardError) as problem:
        save_preset(store, "   ", 2026, AwardSettings())
    assert (problem.value.reason_code, problem.value.message) == ("bad_setting", "a preset needs a name")


def test_a_store_without_the_award_tables_has_no_presets_and_nothing_frozen():
    con = duckdb.connect(":memory:")                     # a database made before the award tables existed
    empty = presets(con, 2026)
    assert empty.empty and list(empty.columns) == ["name", "saved_at", "saved_by"]
    assert frozen(con, 2026) is None
    with pytest.raises(AwardError) as problem:
        load_preset(con, "juri", 2026)
    assert (problem.value.reason_code, problem.value.message) == ("unknown_preset", "no preset 'juri' for 2026")


def test_a_frozen_ranking_is_stored_with_its_settings_version_and_who(store, monkeypatch, caplog):
    monkeypatch.setenv("KMDASH_USER", "operator sari")
    settings = AwardSettings(weights=TWO, top_n=2, seed=11)
    before = _wib_now().replace(microsecond=0)
    ranked = rank_table(_abcde(), 2026, settings, version="5-5-0")
    with caplog.at_level(logging.INFO, logger="metrics.award_store"):
        freeze(store, ranked)
    # only this module's records: after a test that set up logging, metrics.award's own INFO line is captured too
    assert [r.getMessage() for r in caplog.records if r.name == "metrics.award_store"] == [
        "award ranking frozen year=2026 data_version=5-5-0"]
    after = _wib_now()
    kept = frozen(store, 2026)
    assert set(kept) == {"settings", "result", "data_version", "frozen_at", "frozen_by"}
    assert (kept["data_version"], kept["frozen_by"]) == ("5-5-0", "operator sari")
    assert (kept["settings"].weight_dict(), kept["settings"].top_n, kept["settings"].seed) == (settings.weight_dict(), 2, 11)
    assert before <= kept["frozen_at"] <= after and kept["frozen_at"].microsecond == 0
    assert kept["result"]["cop_keys"] == ["a", "d", "b", "c", "e"]             # ranking order (D in at the cut)
    assert [r["cop"] for r in kept["result"]["ranking"]] == ["A", "D", "B", "C", "E"]
    assert kept["result"]["year"] == 2026 and frozen(store, 2025) is None
    freeze(store, rank_table(_abcde(), 2025, settings, version="5-5-0"), user="budi")
    assert frozen(store, 2025)["frozen_by"] == "budi"


def test_a_ranking_not_read_from_the_database_or_of_a_frozen_year_is_not_frozen(store):
    with pytest.raises(AwardError) as problem:
        freeze(store, rank_table(_abcde(), 2026, AwardSettings(weights=TWO)))
    assert (problem.value.reason_code, problem.value.message) == (
        "bad_setting", "only a ranking read from the database can be frozen")
    freeze(store, rank_table(_abcde(), 2026, AwardSettings(weights=TWO), version="1-1-0"), user="t")
    with pytest.raises(AwardError) as problem:
        freeze(store, rank_table(_abcde(), 2026, AwardSettings(weights=TWO, top_n=1), version="1-1-0"), user="t")
    assert (problem.value.reason_code, problem.value.message) == (
        "already_frozen", "the 2026 ranking is already frozen")
    assert frozen(store, 2026)["settings"].top_n == 15
