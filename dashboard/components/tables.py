"""Tables as people read them: labelled columns, formatted numbers, status in words
and symbols, and download buttons."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from dashboard.components.number_input import NumberTextError, parse_number
from dashboard.components.downloads import XLSX_MIME, download_button
from dashboard.components.export import PERCENT_FORMAT, frame_to_csv, frames_to_xlsx
from metrics.registry import label

EXACT = "exact_values"          # ``DataFrame.attrs`` key: shown column -> (exact values, Excel format)
SCORE_FORMAT = "0.000"          # a maturity score in a download: 3 decimals shown, the cell exact
SIGNED_SCORE_FORMAT = "+0.000;-0.000;0.000"
SIGNED_WHOLE_FORMAT = "+0;-0;0"
STATUS_NAMES = {"met": N_("✔ Met"), "below": N_("✖ Below"), "undefined": N_("? n/a (no headcount)")}


def skpd_table(skpd: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-agency frame (``metrics.overview.Overview.skpd``) as display text: the name, then
    the rates and status (what a phone shows beside the name), then the counts."""
    out = pd.DataFrame({tr("Agency", lang): skpd["skpd"]})
    out[label("utilisation_rate", lang)] = [fmt.pct(v, lang) for v in skpd["utilisation_rate"]]
    out[tr("Status", lang)] = [tr("⚠ above 100%: check the data", lang) if over else tr(STATUS_NAMES[s], lang)
                              for s, over in zip(skpd["target_status"], skpd["rate_above_one"])]
    out[label("participation_rate", lang)] = [fmt.pct(v, lang) for v in skpd["participation_rate"]]
    for col in ("headcount", "asset_users", "participants", "assets_published"):
        out[label(col, lang)] = [fmt.num(v, lang) for v in skpd[col]]
    for col in ("utilisation_rate", "participation_rate"):      # the downloads keep the exact fractions
        keep_exact(out, label(col, lang), skpd[col], PERCENT_FORMAT)
    return out


def _numbers(texts: pd.Series, lang: str) -> tuple[list, str] | None:
    """A column of display text read back as numbers with the Excel format it was shown in:
    ``'39,6%'`` -> 0.396 (``0.0%``), ``'6.953'`` -> 6953 (``#,##0``), ``'3,34'`` -> 3.34 (``0.00``).
    None when any non-blank cell is not such a number (names, ``<5``, ``▲ +0,50``, years)."""
    values, digits, percent, grouped = [], 0, None, False
    for text in texts:
        if text is None or (isinstance(text, float) and pd.isna(text)) or text in ("", fmt.na(lang)):
            values.append(None)
            continue
        if not isinstance(text, str) or not text.strip() or text.strip()[0] not in "-0123456789":
            return None
        raw = text.strip()
        is_percent = raw.endswith("%")
        if percent is not None and is_percent != percent:
            return None
        percent = is_percent
        try:
            number = parse_number(raw.rstrip("%"), lang)
        except NumberTextError:
            return None
        decimals = raw.rstrip("%").rpartition(fmt.decimal_mark(lang))[2] if fmt.decimal_mark(lang) in raw else ""
        digits = max(digits, len(decimals))
        grouped = grouped or fmt.group_mark(lang) in raw
        values.append(number / 100 if is_percent else number)
    if percent is None:
        return None
    fraction = "." + "0" * digits if digits else ""
    if not percent and not grouped and not digits and any(v is not None and abs(v) >= 1000 for v in values):
        return values, "0"                     # shown without separators: a year or an id, not a count
    return values, ("0" + fraction + "%") if percent else ("#,##0" + fraction)


def keep_exact(table: pd.DataFrame, column: str, values, number_format: str | list) -> pd.DataFrame:
    """Keep the exact values under a shown (rounded) column of ``table`` for its downloads:
    the XLSX writes them as number cells in ``number_format`` (an Excel format, or one per
    row), the CSV as numbers in the page's notation with every digit (``3,498``, not ``3,50``).
    ``values``: one per row (None or NaN: the shown text is kept). Returns ``table``."""
    table.attrs.setdefault(EXACT, {})[column] = ([None if v is None or pd.isna(v) else v for v in values], number_format)
    return table


def _exact_text(value, number_format: str, lang: str) -> str:
    """An exact value as CSV text in the page's notation, with at least the decimals of its
    XLSX format: ``0.395944`` in a ``0.0%`` column -> ``'39,5944%'``; ``3.498`` and ``2.3`` in a
    ``0.000`` column -> ``'3,498'``, ``'2,300'``; a signed change ``-0.75`` -> ``'-0,750'``."""
    if isinstance(value, str):
        return value
    shown = number_format.split(";")[0]                  # as many decimals as the XLSX shows, at least
    digits = len(shown.partition(".")[2].rstrip("%"))
    return fmt.exact(value, lang, percent=shown.endswith("%"), min_digits=digits)


def _exact(table: pd.DataFrame) -> dict:
    return {col: found for col, found in table.attrs.get(EXACT, {}).items() if col in table.columns}


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """The table as CSV: shown text, but kept exact values (``keep_exact``) instead of their
    rounded display, in the page's notation; text a spreadsheet would run is made inert."""
    out = frame.copy()
    for col, (values, number_format) in _exact(frame).items():
        formats = number_format if isinstance(number_format, (list, tuple)) else [number_format] * len(values)
        out[col] = [shown if v is None else _exact_text(v, f or "", lang)
                    for shown, v, f in zip(frame[col], values, formats)]
    return frame_to_csv(out)


def display_xlsx(frame: pd.DataFrame, title: str, lang: str) -> bytes:
    """A table as shown, as an XLSX whose numbers are number cells (in the format shown:
    counts ``#,##0``, percents ``0.0%``, decimals ``0.00``), so Excel can compute with them;
    text columns stay text, inert. Columns with exact values kept (``keep_exact``) hold those,
    never the rounded display (a score 3.498 shown 3,50 stays 3.498 beside its level 3)."""
    title = title.replace("_", " ").strip()
    title = title[:1].upper() + title[1:]          # a sheet name a person reads: "Ringkasan 2026"
    out, formats, exact = frame.copy(), {}, _exact(frame)
    for col in frame.columns:
        if col in exact:
            values, number_format = exact[col]
            out[col] = [shown if v is None else v for shown, v in zip(frame[col], values)]
            formats[col] = number_format
        elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            found = _numbers(frame[col], lang)
            if found is not None:
                out[col], formats[col] = found[0], found[1]
    return frames_to_xlsx({title: out}, number_formats={title: formats})


def download_buttons(frame: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, lang: str, *,
                     key: str | None = None) -> None:
    """CSV and XLSX downloads of the table as shown (text a spreadsheet would run is made inert),
    with the exact values kept under rounded columns (``keep_exact``).
    The files are made (and audited) only when a button is clicked (``downloads.download_button``),
    never on a page view; ``frame`` may be a function giving the table, then made only then too."""
    table = frame if callable(frame) else (lambda: frame)
    left, right = st.columns(2)
    download_button(tr("Download CSV", lang), lambda: csv_bytes(table(), lang), f"{stem}.csv", "text/csv",
                    slot=left, key=f"{key or stem}-csv")
    download_button(tr("Download XLSX", lang), lambda: display_xlsx(table(), stem, lang), f"{stem}.xlsx", XLSX_MIME,
                    slot=right, key=f"{key or stem}-xlsx")
