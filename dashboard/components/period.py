"""The period choice of Ringkasan, Perangkat daerah and Kegiatan: the whole year, the year
to date, a quarter (triwulan) or a month, kept in the URL query ``periode`` (absent: the
year; ``sd``: year to date; ``tw1``..``tw4``; ``bulan-01``..``bulan-12``). The counting is
``metrics.periods``; this only asks and names."""
from __future__ import annotations

import datetime as dt

import streamlit as st
from babel.dates import format_date

from dashboard.components import format as fmt
from dashboard.components.escape import md
from dashboard.components.i18n import tr
from metrics import activity
from metrics.grain import Period
from metrics.periods import is_whole, period_of

CHOICES = (("year", None), ("ytd", None), *(("quarter", q) for q in range(1, 5)),
           *(("month", m) for m in range(1, 13)))


def _code(choice: tuple[str, int | None]) -> str:
    kind, index = choice
    return {"year": "tahun", "ytd": "sd"}.get(kind) or (f"tw{index}" if kind == "quarter" else f"bulan-{index:02d}")


def _name(choice: tuple[str, int | None], year: int, lang: str) -> str:
    kind, index = choice
    if kind == "year":
        return tr("Whole year", lang)
    if kind == "ytd":
        return tr("Year to date", lang)
    if kind == "quarter":
        return tr("Q{n}", lang).format(n=index)
    return format_date(dt.date(year, index, 1), format="MMMM", locale=fmt.LOCALES[lang])


def period_selector(year: int, lang: str) -> Period:
    """A sidebar select box of the periods of ``year``, kept in the URL query ``periode``; an
    unknown ``periode`` shows the whole year with a warning naming the value."""
    codes = [_code(c) for c in CHOICES]
    wanted = st.query_params.get("periode", "tahun")
    if wanted not in codes:                                  # a mistyped link: said, never silently the year
        st.warning(tr("{value}: no such period (tahun, sd, tw1–tw4, bulan-01–bulan-12) → {shown}", lang)
                   .format(value=md(wanted), shown=md(_name(CHOICES[0], year, lang))))
    choice = st.sidebar.selectbox(tr("Period", lang), CHOICES, index=codes.index(wanted) if wanted in codes else 0,
                                  format_func=lambda c: _name(c, year, lang), key="periode")
    if choice == CHOICES[0]:
        st.query_params.pop("periode", None)
    else:
        st.query_params["periode"] = _code(choice)
    return period_of(year, choice[0], choice[1], today=activity.today_wib())


def period_label(period: Period, lang: str) -> str:
    """The period in words: ``2026``, ``TW2 2026``, ``Mei 2026``; its days when it is not whole
    (a year to date, or a quarter or month cut at today): ``1 Jan–6 Desember 2026``,
    ``1–7 Desember 2025``."""
    if is_whole(period) and period.kind == "year":
        return str(period.start.year)
    if is_whole(period) and period.kind == "quarter":
        return f"{tr('Q{n}', lang).format(n=(period.start.month + 2) // 3)} {period.start.year}"
    if is_whole(period):
        return format_date(period.start, format="MMMM y", locale=fmt.LOCALES[lang])
    if period.start.month == period.end.month:
        return f"{period.start.day}–{fmt.day(period.end, lang)}"
    return f"{period.start.day} {fmt.month_abbr(period.start.month, lang)}–{fmt.day(period.end, lang)}"


def no_data_text(period: Period, lang: str) -> str:
    """What a page says instead of 0% and deltas for a period without any data."""
    return tr("No data for {period}: no asset use, attendance, meeting or published asset in it. "
              "Choose another period.", lang).format(period=period_label(period, lang))
