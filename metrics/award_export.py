"""The KM Award shortlist as the tables of a workbook that carries everything needed to
reproduce it: sheets ``Peringkat`` (ranking), ``Kontribusi`` (per CoP per criterion:
raw, normalised, weight, contribution), ``Tidak memenuhi syarat`` (ineligible, with
reasons), ``Stabilitas`` (when given) and ``Pengaturan`` (weights, method, eligibility
rules, tie-break, seed, date, data version).

The frames only: the page's download (``dashboard.components.award_xlsx``) writes them, in
the page's language, as a workbook whose text cells stay inert. Rates stay fractions 0-1.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from data.intake.values import WIB

from metrics.award import TIE_BREAK, AwardResult, explain
from metrics.award_criteria import CRITERION_BY_NAME, CRITERION_NAMES
from metrics.award_stability import Stability


def _settings_rows(result: AwardResult, created: dt.datetime) -> pd.DataFrame:
    s, rules = result.settings, result.settings.eligibility
    rows = [("year", result.year), ("method", s.method), ("top_n", s.top_n),
            ("created_at_wib", created.isoformat(sep=" ", timespec="seconds")),
            ("data_version", result.data_version or ""), ("tie_break", ", ".join(TIE_BREAK)),
            ("eligibility.require_maturity", rules.require_maturity),
            ("eligibility.min_meetings_per_quarter", rules.min_meetings_per_quarter),
            ("eligibility.min_coverage", rules.min_coverage),
            ("stability.band", s.band), ("stability.draws", s.draws), ("stability.seed", s.seed),
            ("unavailable_criteria", ", ".join(result.unavailable))]
    given = s.weight_dict()
    rows += [(f"weight.{n}", given[n]) for n in CRITERION_NAMES]
    rows += [(f"weight_used.{n}", result.weights[n]) for n in CRITERION_NAMES]
    rows += [(f"direction.{n}", f"{CRITERION_BY_NAME[n].direction} ({CRITERION_BY_NAME[n].unit})") for n in CRITERION_NAMES]
    return pd.DataFrame(rows, columns=["setting", "value"])


def shortlist_sheets(result: AwardResult, stab: Stability | None = None,
                     created: dt.datetime | None = None) -> dict[str, pd.DataFrame]:
    """The workbook's tables under code names (``ranking``, ``contributions``, ``ineligible``,
    ``stability`` when given, ``settings``), columns as in ``AwardResult``: the page labels
    them in its language (``dashboard.components.award_xlsx``). ``created`` defaults to now (WIB)."""
    created = created or dt.datetime.now(WIB).replace(tzinfo=None)
    parts = [explain(result, k).assign(cop=c, skpd=s) for k, c, s in
             zip(result.ranking["cop_key"], result.ranking["cop"], result.ranking["skpd"])]
    columns = ["cop", "skpd", "criterion", "raw", "normalised", "weight", "contribution"]
    sheets = {"ranking": result.ranking.drop(columns=["cop_key"]),
              "contributions": pd.concat(parts)[columns] if parts else pd.DataFrame(columns=columns),
              "ineligible": result.ineligible.drop(columns=["cop_key"])}
    if stab is not None:
        sheets["stability"] = stab.per_cop.drop(columns=["cop_key"])
    sheets["settings"] = _settings_rows(result, created)
    return sheets
