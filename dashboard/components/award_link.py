"""The award page's settings in its link, so a reload or a link sent by chat gives the same
ranking: ``?bobot=maturity_score:0.45,meetings:0.2,…&n=5&metode=topsis``.

- ``bobot``: every criterion's weight as ``name:number``, comma-separated, the number with
  a decimal point whatever the page language (a link is read in both); left out while the
  weights are the defaults. Criteria a hand-typed link leaves out keep their default.
- ``n``: the shortlist size, a whole number 1–200; left out at the default.
- ``metode``: ``saw`` or ``topsis``; left out at the default.

A value that cannot be read is never an error: the page warns, naming the value and the
defaults used instead (a ``bobot`` with one bad part is dropped whole, so a link gives
either the ranking it was made from or the defaults, said, never a mix).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from dashboard.components import format as fmt
from dashboard.components.escape import md
from dashboard.components.i18n import tr
from metrics.award_criteria import CRITERION_BY_NAME, METHODS, AwardSettings, criterion_label

WEIGHTS, TOP_N, METHOD = "bobot", "n", "metode"
_NUMBER = re.compile(r"\d{1,3}(\.\d{1,12})?")
TOP_N_RANGE = (1, 200)
WEIGHT_MAX = 100.0


def _plain(number: float) -> str:
    """``0.45`` -> ``'0.45'``, ``1e-05`` -> ``'0.00001'``: the shortest text that reads back exactly."""
    text = format(Decimal(repr(float(number))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def link_query(settings: AwardSettings) -> dict[str, str | None]:
    """The query values for ``settings`` (None: leave the key out, the value is the default)."""
    default = AwardSettings()
    weights = settings.weight_dict()
    return {WEIGHTS: None if weights == default.weight_dict()
            else ",".join(f"{name}:{_plain(weight)}" for name, weight in weights.items()),
            TOP_N: None if settings.top_n == default.top_n else str(settings.top_n),
            METHOD: None if settings.method == default.method else settings.method}


def _weights(text: str) -> dict[str, float] | None:
    """``name:number,…`` as weights over the defaults; None when any part is not one."""
    weights = AwardSettings().weight_dict()
    seen = set()
    for part in text.split(","):
        name, sep, value = part.strip().partition(":")
        if not sep or name not in CRITERION_BY_NAME or name in seen or not _NUMBER.fullmatch(value) \
                or float(value) > WEIGHT_MAX:
            return None
        seen.add(name)
        weights[name] = float(value)
    return weights


def read_link(query: Mapping[str, str], lang: str) -> tuple[dict, list[str]]:
    """(session-state values for the page's widgets, warnings) from the URL ``query``:
    ``w_<criterion>`` floats, ``award_top_n`` int, ``award_method``; only what the link holds
    and can be read. Each unreadable value gives a warning naming it and the default used."""
    default = AwardSettings()
    seeds: dict = {}
    warnings: list[str] = []
    if WEIGHTS in query:
        weights = _weights(query[WEIGHTS])
        if weights is None:
            shown = ", ".join(f"{criterion_label(n, lang)} {fmt.dec(w, lang)}" for n, w in default.weight_dict().items())
            warnings.append(tr("{value}: not criterion weights as a link writes them (criterion:number from 0 to 100, "
                               "comma-separated) → default weights: {defaults}", lang)
                            .format(value=md(query[WEIGHTS]), defaults=shown))
        else:
            seeds.update({f"w_{name}": weight for name, weight in weights.items()})
    if TOP_N in query:
        raw = query[TOP_N]
        if raw.isascii() and raw.isdigit() and TOP_N_RANGE[0] <= int(raw) <= TOP_N_RANGE[1]:
            seeds["award_top_n"] = int(raw)
        else:
            warnings.append(tr("{value}: not a shortlist size (a whole number from 1 to 200) → {default}", lang)
                            .format(value=md(raw), default=default.top_n))
    if METHOD in query:
        if query[METHOD] in METHODS:
            seeds["award_method"] = query[METHOD]
        else:
            warnings.append(tr("{value}: no such method (saw, topsis) → {default}", lang)
                            .format(value=md(query[METHOD]), default=default.method))
    return seeds, warnings
