"""The KM Award shortlist workbook as evaluators download it from the page: the sheets of
``metrics.award_export.shortlist_sheets`` with headers, sheet names, criteria, reasons and
settings in the page's language, and numbers as number cells with Excel formats (rates and
weights ``0.0%``, counts ``#,##0``, scores ``0.0000``/``0.00``). Text stays inert
(``dashboard.components.export.frames_to_xlsx``).
"""
from __future__ import annotations

import pandas as pd

from dashboard.components.award_view import reason_text
from dashboard.components.i18n import N_, tr
from dashboard.components.export import COUNT_FORMAT, PERCENT_FORMAT, SCORE_FORMAT, frames_to_xlsx
from metrics.award import AwardResult
from metrics.award_criteria import CRITERION_BY_NAME, criterion_label
from metrics.award_export import shortlist_sheets
from metrics.award_stability import Stability

SCORE4 = "0.0000"
UNIT_FORMATS = {"fraction": PERCENT_FORMAT, "count": COUNT_FORMAT, "score": SCORE_FORMAT, "score_points": SCORE_FORMAT,
                "per_100": "#,##0.0"}
HEADERS = {"rank": N_("Rank"), "cop": N_("CoP"), "skpd": N_("Agency"), "score": N_("Score"),
           "score_saw": N_("Score (SAW)"), "score_topsis": N_("Score (TOPSIS)"), "shortlisted": N_("Shortlisted"),
           "jurors": N_("Jurors"), "criterion": N_("Criterion"), "raw": N_("Value"), "normalised": N_("Normalised"),
           "weight": N_("Weight"), "contribution": N_("Contribution"), "reason_code": N_("Reason code"),
           "reason": N_("Reason"), "p_top_n": N_("Probability of staying in the top N"), "rank_min": N_("Best rank"),
           "rank_max": N_("Worst rank"), "stable": N_("Stable")}
FORMATS = {"score": SCORE4, "score_saw": SCORE4, "score_topsis": SCORE4, "normalised": SCORE4, "contribution": SCORE4,
           "weight": PERCENT_FORMAT, "p_top_n": PERCENT_FORMAT, "rank": COUNT_FORMAT, "jurors": COUNT_FORMAT}
SHEETS = {"ranking": N_("Ranking"), "contributions": N_("Contributions"), "ineligible": N_("Not eligible"),
          "stability": N_("Stability"), "settings": N_("Settings")}


def _yes_no(value: bool, lang: str) -> str:
    return tr("Yes", lang) if value else tr("No", lang)


def _sheet(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns renamed to words, booleans as Ya/Tidak, criterion codes as labels; the formats."""
    out, formats = pd.DataFrame(index=frame.index), {}
    for col in frame.columns:
        values = frame[col]
        if col in CRITERION_BY_NAME:
            head, pattern = criterion_label(col, lang), UNIT_FORMATS[CRITERION_BY_NAME[col].unit]
        else:
            head, pattern = tr(HEADERS.get(col, col), lang), FORMATS.get(col)
        if values.dtype == bool:
            values = values.map(lambda v: _yes_no(v, lang))
        elif col == "criterion":
            values = values.map(lambda n: criterion_label(n, lang))
        elif col == "reason":
            values = values.map(lambda r: reason_text(r, lang))
        out[head] = values
        if pattern:
            formats[head] = pattern
    return out.reset_index(drop=True), formats


def _raw_formats(contributions: pd.DataFrame, lang: str) -> list[str | None]:
    """The contributions sheet's raw values: each row formatted by its criterion's unit."""
    return [UNIT_FORMATS[CRITERION_BY_NAME[n].unit] for n in contributions["criterion"]]


SETTING_NAMES = {"year": N_("Year"), "method": N_("Method"), "top_n": N_("Shortlist size (N)"),
                 "created_at_wib": N_("Made (WIB)"), "data_version": N_("Data version"),
                 "tie_break": N_("Tie-break order"), "eligibility.require_maturity": N_("Maturity assessment this year required"),
                 "eligibility.min_meetings_per_quarter": N_("Minimum meetings per quarter"),
                 "eligibility.min_coverage": N_("Minimum data coverage"), "stability.band": N_("Weight uncertainty (±)"),
                 "stability.draws": N_("Monte Carlo draws"), "stability.seed": N_("Random seed"),
                 "unavailable_criteria": N_("Criteria without data this year (weight not used)")}
SETTING_FORMATS = {"eligibility.min_coverage": PERCENT_FORMAT, "stability.band": PERCENT_FORMAT,
                   "stability.draws": COUNT_FORMAT}


def _settings(rows: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, list]]:
    """The settings sheet: each setting by name, criteria by label, weights as percents."""
    names, values, formats = [], [], []
    for key, value in zip(rows["setting"], rows["value"]):
        kind, _, crit = key.partition(".")
        if crit in CRITERION_BY_NAME and kind in ("weight", "weight_used", "direction"):
            head = {"weight": N_("Weight given: {criterion}"), "weight_used": N_("Weight used: {criterion}"),
                    "direction": N_("Better when: {criterion}")}[kind]
            names.append(tr(head, lang).format(criterion=criterion_label(crit, lang)))
            if kind == "direction":
                value = tr("higher", lang) if CRITERION_BY_NAME[crit].direction == "max" else tr("lower", lang)
            formats.append(None if kind == "direction" else "0.00" if kind == "weight" else PERCENT_FORMAT)
        else:
            names.append(tr(SETTING_NAMES.get(key, key), lang))
            if key in ("tie_break", "unavailable_criteria"):
                value = ", ".join(criterion_label(n.strip(), lang) for n in str(value).split(",") if n.strip())
            elif isinstance(value, bool):
                value = _yes_no(value, lang)
            formats.append(SETTING_FORMATS.get(key))
        values.append(value)
    return pd.DataFrame({tr("Setting", lang): names, tr("Value", lang): values}), {tr("Value", lang): formats}


def shortlist_workbook(result: AwardResult, stab: Stability | None, lang: str) -> bytes:
    """The shortlist workbook (see module docstring) as bytes."""
    sheets, formats = {}, {}
    for key, frame in shortlist_sheets(result, stab).items():
        title = tr(SHEETS[key], lang)
        if key == "settings":
            sheets[title], formats[title] = _settings(frame, lang)
            continue
        sheets[title], formats[title] = _sheet(frame, lang)
        if key == "contributions":
            formats[title][tr("Value", lang)] = _raw_formats(frame, lang)
    return frames_to_xlsx(sheets, number_formats=formats)

