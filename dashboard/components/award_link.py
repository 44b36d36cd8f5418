"""The award page's settings in its link, so a reload or a link sent by chat gives the same
ranking: ``?bobot=maturity_score:0.45,meetings:0.2,…&n=5&metode=topsis&cakupan=0.8``.

- ``bobot``: every criterion's weight as ``name:number``, comma-separated, the number with
  a decimal point whatever the page language (a link is read in both); left out while the
  weights are the defaults. Criteria a hand-typed link leaves out keep their default.
- ``n``: the shortlist size, a whole number 1–200; left out at the default.
- ``metode``: ``saw`` or ``topsis``; ``wajib``: ``1``/``0``, a maturity assessment required;
  ``rapat``: minimum meetings per quarter, 0–20; ``cakupan``: minimum data coverage, 0–1;
  ``pita``: the weight uncertainty, 0–0.9. Each left out at its default.

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

WEIGHTS = "bobot"
_NUMBER = re.compile(r"\d{1,3}(\.\d{1,12})?")
TOP_N_RANGE = (1, 200)
WEIGHT_MAX = 100.0


def _plain(number: float) -> str:
    """``0.45`` -> ``'0.45'``, ``1e-05`` -> ``'0.00001'``: the shortest text that reads back exactly."""
    text = format(Decimal(repr(float(number))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _whole(low: int, high: int):
    return lambda raw: int(raw) if raw.isascii() and raw.isdigit() and low <= int(raw) <= high else None


def _fraction(high: float):
    return lambda raw: float(raw) if _NUMBER.fullmatch(raw) and float(raw) <= high else None


# query key: (the widget's session-state key, reader (None: unreadable), the setting's value, what the key takes)
_SCALARS = {
    "n": ("award_top_n", _whole(*TOP_N_RANGE), lambda s: s.top_n, "1–200"),
    "metode": ("award_method", lambda raw: raw if raw in METHODS else None, lambda s: s.method, "saw, topsis"),
    "wajib": ("award_req", {"1": True, "0": False}.get, lambda s: s.eligibility.require_maturity, "1, 0"),
    "rapat": ("award_meet", _whole(0, 20), lambda s: s.eligibility.min_meetings_per_quarter, "0–20"),
    "cakupan": ("award_cov", _fraction(1.0), lambda s: s.eligibility.min_coverage, "0–1"),
    "pita": ("award_band", _fraction(0.9), lambda s: s.band, "0–0.9"),
}
WIDGET_DEFAULTS = {widget: value(AwardSettings()) for widget, _, value, _ in _SCALARS.values()}


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return _plain(value) if isinstance(value, float) else str(value)


def link_query(settings: AwardSettings) -> dict[str, str | None]:
    """The query values for ``settings`` (None: leave the key out, the value is the default)."""
    default = AwardSettings()
    weights = settings.weight_dict()
    query = {WEIGHTS: None if weights == default.weight_dict()
             else ",".join(f"{name}:{_plain(weight)}" for name, weight in weights.items())}
    for key, (_, _, value, _) in _SCALARS.items():
        query[key] = None if value(settings) == value(default) else _text(value(settings))
    return query


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
    ``w_<criterion>`` floats and the ``_SCALARS`` widgets' values; only what the link holds
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
    for key, (widget, read, value, takes) in _SCALARS.items():
        if key not in query:
            continue
        used = read(query[key])
        if used is None:
            warnings.append(tr("{key}={value}: not a value this link setting takes ({takes}) → {default}", lang)
                            .format(key=key, value=md(query[key]), takes=takes, default=_text(value(default))))
        else:
            seeds[widget] = used
    return seeds, warnings
