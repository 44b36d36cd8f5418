"""Writing tables for people to take away: XLSX (xlsxwriter) and CSV, safe to open.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) is written inert: XLSX cells are written as strings
(never as formulas) and CSV cells get a leading apostrophe. Numbers stay numbers.
Sheet names are made valid for Excel (at most 31 characters, no ``[]:*?/\\``, unique).
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re

import pandas as pd
import xlsxwriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that starts like a formula but cannot be one: dashes alone ("-" for a missing value)
# and a plain signed number ("-12", "+0,5", "-3.5%"). Left as it is, without the apostrophe.
_NOT_A_FORMULA = re.compile(r"-+|[-+]\d+(?:[.,]\d+)*%?")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def inert_csv_text(value: object) -> object:
    """A CSV cell that no spreadsheet will run: text starting with a formula character
    gets a leading apostrophe (``=1+1`` -> ``'=1+1``, ``-2+3`` -> ``'-2+3``); a lone dash
    and a plain signed number cannot run and stay as they are; other values are returned
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NOT_A_FORMULA.fullmatch(value):
        return "'" + value
    return value


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a BOM (Excel then reads the encoding right), text cells inert."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].astype(object).map(inert_csv_text)
    return safe.to_csv(index=False).encode("utf-8-sig")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for ``name`` (31 characters at most)."""
    base = _BAD_SHEET_CHARS.sub(" ", name).strip().strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def _write_cell(sheet, row: int, col: int, value, formats: dict, number_format=None) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value, number_format)
    elif hasattr(value, "item") and not isinstance(value, str):
        _write_cell(sheet, row, col, value.item(), formats, number_format)
    elif isinstance(value, (dt.datetime, pd.Timestamp)):
        sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), number_format or formats["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), number_format or formats["date"])
    else:
        sheet.write_string(row, col, str(value))


COUNT_FORMAT = "#,##0"        # Excel shows these per the reader's locale: 6.953 / 39,6% in Indonesian
PERCENT_FORMAT = "0.0%"
SCORE_FORMAT = "0.00"
A4_PAPER = 9                 # xlsxwriter / Excel paper code of A4
LANDSCAPE_FROM_CHARS = 100   # a sheet whose columns are wider than this (characters) prints landscape


def _print_setup(sheet, width_chars: float, *, header_row: bool) -> None:
    """Print on A4, fitted to one page wide (as many pages tall as needed), landscape when
    wider than ``LANDSCAPE_FROM_CHARS``, the header row repeated on every page, page numbers."""
    sheet.set_paper(A4_PAPER)
    sheet.fit_to_pages(1, 0)
    if width_chars > LANDSCAPE_FROM_CHARS:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    if header_row:
        sheet.repeat_rows(0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_footer("&L&A&R&P / &N")


def frames_to_xlsx(sheets: dict[str, pd.DataFrame], *, cover: dict[str, str] | None = None,
                   cover_title: str = "Sampul", number_formats: dict[str, dict[str, object]] | None = None) -> bytes:
    """An XLSX workbook: an optional cover sheet of ``label: value`` lines, then one sheet
    per frame (header row bold and frozen, columns sized to their content). Every sheet is
    set up to print (``_print_setup``): A4, one page wide, header row repeated, landscape
    where wide.

    Args:
        sheets: sheet title -> frame (titles are made valid and unique).
        cover: lines for a first sheet ``cover_title`` (filters, data freshness, ...).
        number_formats: sheet title -> {column -> Excel number format}, e.g. ``COUNT_FORMAT``
            or ``PERCENT_FORMAT`` (a rate stays a fraction 0-1; Excel shows it as a percent);
            a list instead of a string gives one format per row (None: none).
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = {"bold": book.add_format({"bold": True}), "date": book.add_format({"num_format": "d mmm yyyy"}),
               "datetime": book.add_format({"num_format": "d mmm yyyy hh:mm"}), "_book": book}
    taken: set[str] = set()
    if cover:
        sheet = book.add_worksheet(sheet_name(cover_title, taken))
        for row, (key, value) in enumerate(cover.items()):
            sheet.write_string(row, 0, str(key), formats["bold"])
            _write_cell(sheet, row, 1, value, formats)
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 60)
        _print_setup(sheet, 88, header_row=False)
    for title, frame in sheets.items():
        _write_frame(book.add_worksheet(sheet_name(title, taken)), frame, formats, (number_formats or {}).get(title, {}))
    book.close()
    return buffer.getvalue()


def _number_format(formats: dict, pattern: str | None):
    if pattern is None:
        return None
    if pattern not in formats:
        formats[pattern] = formats["_book"].add_format({"num_format": pattern})
    return formats[pattern]


def _write_frame(sheet, frame: pd.DataFrame, formats: dict, column_formats: dict[str, object]) -> None:
    total = 0
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, str(name), formats["bold"])
        width = min(60, max(8, max([len(str(name))] + [len(str(v)) for v in frame[name].head(200)]) + 2))
        sheet.set_column(col, col, width)
        total += width
    _print_setup(sheet, total, header_row=True)
    per_column = [column_formats.get(name) for name in frame.columns]
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for col, value in enumerate(values):
            pattern = per_column[col]
            if isinstance(pattern, (list, tuple)):
                pattern = pattern[row - 1]
            _write_cell(sheet, row, col, value, formats, _number_format(formats, pattern))
    sheet.freeze_panes(1, 0)
