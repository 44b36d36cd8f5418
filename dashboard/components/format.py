"""Number and date formatting for people: Indonesian by default (decimal comma, ``.``
thousands, ``11 Juli 2026``), English when chosen. Only the dashboard formats; the
metrics layer hands over plain fractions and counts."""
from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from dashboard.components.i18n import tr
from reports.fmt import short_month, target_percent

LOCALES = {"id": "id_ID", "en": "en_GB"}
NOT_AVAILABLE = "n/a"          # English; pages show ``na(lang)`` ("t/a" in Indonesian)


def decimal_mark(lang: str = "id") -> str:
    """The decimal separator of ``lang``: ``','`` in Indonesian, ``'.'`` in English."""
    return get_decimal_symbol(LOCALES[lang])


def group_mark(lang: str = "id") -> str:
    """The thousands separator of ``lang``: ``'.'`` in Indonesian, ``','`` in English."""
    return get_group_symbol(LOCALES[lang])


def na(lang: str = "id") -> str:
    """An undefined value in words: ``'t/a'`` (tidak ada) in Indonesian, ``na(lang)`` in English."""
    return tr("n/a", lang)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(rate: float | None, lang: str = "id", digits: int = 1) -> str:
    """A fraction as a percent (``0.395944`` -> ``'39,6%'``); undefined -> ``na(lang)``."""
    if _missing(rate):
        return na(lang)
    return format_percent(rate, format="#,##0." + "0" * digits + "%", locale=LOCALES[lang])


def target_pct(rate: float | None, lang: str = "id") -> str:
    """A utilisation target as a percent with the decimals it has, up to two (targets are set
    to a tenth of a percent): ``0.5`` -> ``'50%'``, ``0.575`` -> ``'57,5%'``; undefined -> ``na(lang)``."""
    if _missing(rate):
        return na(lang)
    return target_percent(rate, LOCALES[lang])


def points(difference: float | None, lang: str = "id", digits: int = 1) -> str:
    """A difference of two fractions in percentage points (``-0.104`` -> ``'-10,4'``)."""
    if _missing(difference):
        return na(lang)
    return format_decimal(difference * 100, format="+#,##0." + "0" * digits + ";-#,##0." + "0" * digits,
                          locale=LOCALES[lang])


def signed(value: float | None, lang: str = "id", digits: int = 2) -> str:
    """A signed decimal such as a change of score (``0.27`` -> ``'+0,27'``)."""
    if _missing(value):
        return na(lang)
    pattern = "+#,##0." + "0" * digits + ";-#,##0." + "0" * digits
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def num(value: float | int | None, lang: str = "id") -> str:
    """A count with thousands separators (``6953`` -> ``'6.953'``); missing -> ``na(lang)``."""
    if _missing(value):
        return na(lang)
    return format_decimal(value, locale=LOCALES[lang])


def dec(value: float | None, lang: str = "id", digits: int = 2) -> str:
    """A decimal such as a maturity score (``3.344`` -> ``'3,34'``)."""
    if _missing(value):
        return na(lang)
    return format_decimal(value, format="#,##0." + "0" * digits, locale=LOCALES[lang])


def exact(value: float, lang: str = "id", *, percent: bool = False, min_digits: int = 0) -> str:
    """A number with every digit that matters (up to 6 decimals; 8 for a fraction shown as a
    percent, at least ``min_digits``), in ``lang``'s notation, for downloads: ``3.498`` ->
    ``'3,498'``, ``0.395944`` (percent) -> ``'39,5944%'``, ``-0.75`` -> ``'-0,75'``, ``1`` -> ``'1'``;
    ``2.3`` with ``min_digits=3`` -> ``'2,300'``."""
    most = max(6, min_digits)
    decimals = "0" * min_digits + "#" * (most - min_digits)
    pattern = "#,##0" + ("." + decimals if decimals else "")
    if percent:
        return format_percent(value, format=pattern + "%", locale=LOCALES[lang])
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def day(value: dt.date | None, lang: str = "id") -> str:
    """A date in words (``2026-07-11`` -> ``'11 Juli 2026'``)."""
    if value is None:
        return na(lang)
    return format_date(value, format="d MMMM y", locale=LOCALES[lang])


def month_abbr(month: int, lang: str = "id") -> str:
    """A month's three-letter name (``9`` -> ``'Sep'``, never en_GB's ``'Sept'``; ``8`` ->
    ``'Agu'`` / ``'Aug'``), as the reports write it (``reports.fmt.short_month``)."""
    return short_month(month, LOCALES[lang])


def month_label(month: str, lang: str = "id") -> str:
    """A ``YYYY-MM`` month in words (``'2026-08'`` -> ``'Agu 2026'``, ``'2026-09'`` -> ``'Sep 2026'``)."""
    year, mon = (int(p) for p in month.split("-"))
    return f"{month_abbr(mon, lang)} {year}"


def moment(value: dt.datetime | None, lang: str = "id") -> str:
    """A point in time (WIB) as pages and exports show it: ``'6 Desember 2026 19:48'``."""
    if value is None:
        return na(lang)
    return f"{day(value.date(), lang)} {value:%H:%M}"
