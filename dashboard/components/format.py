"""Number and date formatting for people: Indonesian by default (decimal comma, ``.``
thousands, ``11 Juli 2026``), English when chosen. Only the dashboard formats; the
metrics layer hands over plain fractions and counts."""
from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALES = {"id": "id_ID", "en": "en_GB"}
NOT_AVAILABLE = "n/a"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(rate: float | None, lang: str = "id", digits: int = 1) -> str:
    """A fraction as a percent (``0.395944`` -> ``'39,6%'``); undefined -> ``'n/a'``."""
    if _missing(rate):
        return NOT_AVAILABLE
    return format_percent(rate, format="#,##0." + "0" * digits + "%", locale=LOCALES[lang])


def points(difference: float | None, lang: str = "id", digits: int = 1) -> str:
    """A difference of two fractions in percentage points (``-0.104`` -> ``'-10,4'``)."""
    if _missing(difference):
        return NOT_AVAILABLE
    return format_decimal(difference * 100, format="+#,##0." + "0" * digits + ";-#,##0." + "0" * digits,
                          locale=LOCALES[lang])


def signed(value: float | None, lang: str = "id", digits: int = 2) -> str:
    """A signed decimal such as a change of score (``0.27`` -> ``'+0,27'``)."""
    if _missing(value):
        return NOT_AVAILABLE
    pattern = "+#,##0." + "0" * digits + ";-#,##0." + "0" * digits
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def num(value: float | int | None, lang: str = "id") -> str:
    """A count with thousands separators (``6953`` -> ``'6.953'``); missing -> ``'n/a'``."""
    if _missing(value):
        return NOT_AVAILABLE
    return format_decimal(value, locale=LOCALES[lang])


def dec(value: float | None, lang: str = "id", digits: int = 2) -> str:
    """A decimal such as a maturity score (``3.344`` -> ``'3,34'``)."""
    if _missing(value):
        return NOT_AVAILABLE
    return format_decimal(value, format="#,##0." + "0" * digits, locale=LOCALES[lang])


def day(value: dt.date | None, lang: str = "id") -> str:
    """A date in words (``2026-07-11`` -> ``'11 Juli 2026'``)."""
    if value is None:
        return NOT_AVAILABLE
    return format_date(value, format="d MMMM y", locale=LOCALES[lang])


def month_label(month: str, lang: str = "id") -> str:
    """A ``YYYY-MM`` month in words (``'2026-08'`` -> ``'Agu 2026'``)."""
    year, mon = (int(p) for p in month.split("-"))
    return format_date(dt.date(year, mon, 1), format="MMM y", locale=LOCALES[lang])
