"""Numbers and dates for people in a report, through Babel: Indonesian by default (decimal
comma, ``.`` thousands, ``11 Juli 2026``), English (en_GB) when chosen. The report's
formats are the dashboard's (same Babel patterns), bound to one language per report."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal, format_percent

LOCALES = {"id": "id_ID", "en": "en_GB"}
NOT_AVAILABLE = "n/a"


def target_percent(rate: float, locale: str) -> str:
    """A utilisation target as a percent with the decimals it has, up to two (targets are set to
    a tenth of a percent): ``0.5`` -> ``'50%'``, ``0.575`` -> ``'57,5%'`` in ``id_ID``. The
    dashboard's ``target_pct`` writes targets the same way."""
    return format_percent(rate, format="#,##0.##%", locale=locale)


def short_month(month: int, locale: str) -> str:
    """A month's three-letter name in ``locale`` (``9`` -> ``'Sep'``, ``8`` -> ``'Agu'`` in
    ``id_ID``, ``'Aug'`` in ``en_GB``): CLDR's abbreviation cut to three letters, since British
    English abbreviates September alone to four (``'Sept'``); Indonesian's are three already.
    The dashboard's month labels use it too."""
    return get_month_names("abbreviated", locale=locale)[month][:3]


def _missing(value: object) -> bool:
    """None, NaN, NaT and pandas' NA."""
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Formats:
    """Formatting in one language (``id`` or ``en``); every method turns None/NaN into ``n/a``."""

    lang: str = "id"

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    def pct(self, rate: float | None, digits: int = 1) -> str:
        """A fraction 0-1 as a percent: ``0.395944`` -> ``'39,6%'`` (id) / ``'39.6%'`` (en)."""
        if _missing(rate):
            return NOT_AVAILABLE
        return format_percent(rate, format="#,##0." + "0" * digits + "%", locale=self.locale)

    def target(self, rate: float | None) -> str:
        """A utilisation target with the decimals it has, up to two: ``0.5`` -> ``'50%'``,
        ``0.575`` -> ``'57,5%'`` (the dashboard's ``target_pct``)."""
        if _missing(rate):
            return NOT_AVAILABLE
        return target_percent(rate, self.locale)

    def band(self, low: float | None, high: float | None, digits: int = 1) -> str:
        """A range of two fractions as percents with one sign: ``(0.43, 0.465)`` -> ``'43,0–46,5%'``."""
        if _missing(low) or _missing(high):
            return NOT_AVAILABLE
        return f"{self.pct(low, digits).rstrip('%').strip()}–{self.pct(high, digits)}"

    def points(self, difference: float | None, digits: int = 1) -> str:
        """A difference of two fractions in signed percentage points: ``-0.104`` -> ``'-10,4'``."""
        return self.signed(None if _missing(difference) else difference * 100, digits)

    def signed(self, value: float | None, digits: int = 2) -> str:
        """A signed decimal: ``0.27`` -> ``'+0,27'``."""
        if _missing(value):
            return NOT_AVAILABLE
        body = "#,##0." + "0" * digits if digits else "#,##0"
        return format_decimal(value, format=f"+{body};-{body}", locale=self.locale)

    def num(self, value: float | int | None) -> str:
        """A count with thousands separators: ``6953`` -> ``'6.953'``."""
        if _missing(value):
            return NOT_AVAILABLE
        return format_decimal(value, locale=self.locale)

    def dec(self, value: float | None, digits: int = 2) -> str:
        """A decimal such as a maturity score: ``3.344`` -> ``'3,34'``."""
        if _missing(value):
            return NOT_AVAILABLE
        return format_decimal(value, format="#,##0." + "0" * digits, locale=self.locale)

    def day(self, value: dt.date | None) -> str:
        """A date in words: ``2026-07-11`` -> ``'11 Juli 2026'``."""
        if _missing(value):
            return NOT_AVAILABLE
        return format_date(value, format="d MMMM y", locale=self.locale)

    def short_day(self, value: dt.date | None) -> str:
        """A date with the month abbreviated: ``2026-08-11`` -> ``'11 Agu 2026'``."""
        if _missing(value):
            return NOT_AVAILABLE
        return f"{value.day} {short_month(value.month, self.locale)} {value.year}"

    def stamp(self, value: dt.datetime | None, short: bool = False) -> str:
        """A WIB time in words: ``'6 Desember 2026 15.04 WIB'`` (``short``: ``'6 Des 2026 15.04'``)."""
        if _missing(value):
            return NOT_AVAILABLE
        sep = "." if self.lang == "id" else ":"
        if short:
            return f"{self.short_day(value.date())} {value:%H}{sep}{value:%M}"
        return f"{self.day(value.date())} {value:%H}{sep}{value:%M} WIB"

    def month(self, month: str) -> str:
        """A ``YYYY-MM`` month in short words: ``'2026-08'`` -> ``'Agu 2026'``."""
        year, mon = (int(p) for p in month.split("-"))
        return f"{short_month(mon, self.locale)} {year}"

    def month_name(self, month: str) -> str:
        """A ``YYYY-MM`` month as its abbreviated name: ``'2026-08'`` -> ``'Agu'``."""
        return short_month(int(month.split("-")[1]), self.locale)
