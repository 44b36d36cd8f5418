"""The award page's texts, cached reads and display tables. Presentation only: the
ranking, explanation and stability come from ``metrics.award*``; here they are labelled
and formatted (rates as percents, scores with decimal commas in Indonesian)."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, ntr, tr
from dashboard.state import CACHE_ENTRIES, CACHE_TTL_S, reading
from metrics.award import TIE_BREAK, AwardResult, rank_cops
from metrics.award_criteria import CRITERION_BY_NAME, AwardSettings, criterion_label
from metrics.award_stability import Stability, stability



@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_award(path: str, version: str, year: int, settings: AwardSettings) -> tuple[AwardResult, Stability]:
    """``metrics.award.rank_cops`` and its ``stability`` for the year and settings."""
    with reading(path) as con:
        result = rank_cops(con, year, settings)
    return result, stability(result)


def _criterion_value(name: str, value: float, lang: str) -> str:
    unit = CRITERION_BY_NAME[name].unit
    if unit == "fraction":
        return fmt.pct(value, lang)
    return fmt.num(value, lang) if unit == "count" else fmt.dec(value, lang)


def ranking_table(result: AwardResult, lang: str) -> pd.DataFrame:
    """The ranking as shown: rank, CoP, score, shortlisted mark, agency, jurors, raw criteria
    (score and mark first after the CoP, so a phone shows them beside it)."""
    r = result.ranking
    out = pd.DataFrame({tr("Rank", lang): r["rank"], "CoP": r["cop"],
                        tr("Score", lang): [fmt.dec(v, lang, 4) for v in r["score"]],
                        tr("Shortlisted", lang): ["✔" if s else "" for s in r["shortlisted"]],
                        tr("Agency", lang): r["skpd"], tr("Jurors", lang): r["jurors"]})
    for name, weight in result.weights.items():
        if weight > 0:
            out[criterion_label(name, lang)] = [_criterion_value(name, v, lang) for v in r[name]]
    return out


def ineligible_table(result: AwardResult, lang: str) -> pd.DataFrame:
    """Ineligible CoPs with their reasons."""
    i = result.ineligible
    return pd.DataFrame({"CoP": i["cop"], tr("Agency", lang): i["skpd"],
                         tr("Reason", lang): [reason_text(r, lang) for r in i["reason"]]})


_QUARTERS = {"id": {"Q1": "TW I", "Q2": "TW II", "Q3": "TW III", "Q4": "TW IV"}}
AWARD_ERRORS = {
    "no_weight": N_("Give a weight above 0 to at least one criterion that has data this year."),
    "negative_weight": N_("Weights must be 0 or more."),
    "unknown_criterion": N_("Unknown criterion."),
    "unknown_method": N_("Unknown method: choose SAW or TOPSIS."),
    "bad_setting": N_("A setting is out of range: shortlist of at least 1, weight uncertainty below 100%."),
    "unknown_preset": N_("No preset of that name for this year."),
    "already_frozen": N_("This year’s final ranking is already frozen."),
}


def error_text(code: str, lang: str) -> str:
    """An ``AwardError`` (by its reason code) in the page language."""
    return tr(AWARD_ERRORS.get(code, N_("The settings cannot be used.")), lang)


def reason_text(reason: str, lang: str) -> str:
    """An ineligibility reason (metrics.award, English) in the page language, criteria by their labels."""
    parts = []
    for part in reason.split("; "):
        if part.startswith("no value for "):
            names = [criterion_label(n.strip(), lang) for n in part.removeprefix("no value for ").split(",")]
            part = tr("no value for {criteria}", lang).format(criteria=", ".join(names))
        elif part == "no maturity assessment this year":
            part = tr("no maturity assessment this year", lang)
        elif m := re.match(r"fewer than (\d+) meeting\(s\) in (.*)$", part):
            n = int(m.group(1))
            quarters = ", ".join(_QUARTERS.get(lang, {}).get(q.strip(), q.strip()) for q in m.group(2).split(","))
            part = ntr("fewer than {n} meeting in {quarters}", "fewer than {n} meetings in {quarters}", n, lang).format(
                n=n, quarters=quarters)
        parts.append(part)
    return "; ".join(parts)


def explain_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.award.explain`` as shown."""
    return pd.DataFrame({tr("Criterion", lang): [criterion_label(n, lang) for n in frame["criterion"]],
                         tr("Value", lang): [_criterion_value(n, v, lang) for n, v in zip(frame["criterion"], frame["raw"])],
                         tr("Normalised", lang): [fmt.dec(v, lang, 3) for v in frame["normalised"]],
                         tr("Weight", lang): [fmt.pct(v, lang) for v in frame["weight"]],
                         tr("Contribution", lang): [fmt.dec(v, lang, 4) for v in frame["contribution"]]})


def compare_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.award.compare`` as shown."""
    return pd.DataFrame({tr("Criterion", lang): [criterion_label(n, lang) for n in frame["criterion"]],
                         "A": [_criterion_value(n, v, lang) for n, v in zip(frame["criterion"], frame["raw_a"])],
                         "B": [_criterion_value(n, v, lang) for n, v in zip(frame["criterion"], frame["raw_b"])],
                         tr("Difference (A − B)", lang): [fmt.dec(v, lang, 4) for v in frame["difference"]]})


def stability_table(stab: Stability, lang: str) -> pd.DataFrame:
    """Per CoP: rank, probability of staying in the top N, rank range."""
    s = stab.per_cop
    return pd.DataFrame({tr("Rank", lang): s["rank"], "CoP": s["cop"], tr("Agency", lang): s["skpd"],
                         tr("Probability of staying in the top N", lang): [fmt.pct(v, lang) for v in s["p_top_n"]],
                         tr("Rank range", lang): [f"{a}–{b}" for a, b in zip(s["rank_min"], s["rank_max"])],
                         tr("Shortlisted", lang): ["✔" if x else "" for x in s["shortlisted"]]})


def cut_note(result: AwardResult, lang: str) -> str:
    """The tie rule, and what happened at the cut this time."""
    rule = f"{tr('Ties: equal scores share a rank (1, 2, 2, 4); at the shortlist cut they are decided by', lang)} {', '.join(criterion_label(n, lang) for n in TIE_BREAK)}."
    if result.cut["all_tied_in"]:
        return f"{rule} {tr('The shortlist cut falls inside a tie that every tie-break leaves equal: all tied CoPs are in', lang)} ({result.cut['shortlist_size']})."
    if result.cut["tie_at_cut"]:
        return f"{rule} {tr('The shortlist cut falls inside a tie; decided by', lang)}: {criterion_label(result.cut['decided_by'], lang)}."
    return rule
