"""Reading an xlsx whose cells lie far apart, in memory that grows with the cells that hold
data, not with the range between them.

python-calamine (the fast reader) builds each sheet as one dense rectangle from A1 to its
farthest cell: one stray value in AZ1048576 costs 54 million cells (2.3 GB), one in
XFD1048576 asks for 549 GB and aborts. ``is_sparse`` tells such a sheet from its XML
(how many cells it holds against the rectangle they span); ``read_sparse`` then streams
the workbook with openpyxl's worksheet parser and keeps each row only as long as its
last cell (every empty row is one shared empty tuple), so that stray cell costs one
short row and a pointer per row above it.
"""
from __future__ import annotations

import re
from pathlib import Path

DENSE_CELLS_FLOOR = 2_000_000   # a rectangle this small is read densely whatever it holds (about 80 MB)
SPARSE_RATIO = 20               # ... and a larger one when its cells fill at least 1/20 of it

_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br\s*=\s*[\"']([0-9]{1,7})[\"']")


_EMPTY_ROW = ()   # every empty row is this one tuple: a million of them cost 8 MB and pickle in no time


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def sheet_extent(xml: bytes) -> tuple[int, int, int]:
    """(cells written, last row, last column) of a worksheet part, 1-based; rows and cells
    without an ``r`` attribute are counted but cannot push the extent out."""
    cells = 0
    last_row = last_col = 0
    longest = b""
    for match in _CELL.finditer(xml):
        cells += 1
        letters = match.group(1)
        if len(letters) > len(longest) or (len(letters) == len(longest) and letters > longest):
            longest = letters
        row = int(match.group(2))
        if row > last_row:
            last_row = row
    for match in _ROW.finditer(xml):
        last_row = max(last_row, int(match.group(1)))
    last_col = _column_number(longest) if longest else 0
    return cells, last_row, last_col


def sparse_extent(xml: bytes) -> tuple[int, int, int] | None:
    """``sheet_extent`` when a dense read of this worksheet part would cost far more than
    its cells (the rectangle over ``DENSE_CELLS_FLOOR`` and ``SPARSE_RATIO`` times the
    cells written), else None."""
    cells, last_row, last_col = extent = sheet_extent(xml)
    area = last_row * last_col
    return extent if area > DENSE_CELLS_FLOOR and area > SPARSE_RATIO * max(cells, 1) else None


def _merged(ref_ranges) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    merged = []
    for cell_range in ref_ranges:
        min_col, min_row, max_col, max_row = cell_range.bounds
        merged.append(((min_row - 1, min_col - 1), (max_row - 1, max_col - 1)))
    return merged


def read_sparse(path: Path):
    """Every worksheet of an xlsx as ``data.intake.readers.Sheet`` objects (rows ragged, empty rows
    the shared ``()``; ``sparse`` set), with hidden state and merged ranges; values as openpyxl gives them (numbers,
    text, ``datetime``, ``bool``, error text such as ``#REF!``), formulas as their saved result.

    Raises:
        whatever openpyxl raises on a damaged workbook (the caller turns it into a refusal).
    """
    from openpyxl import load_workbook

    with path.open("rb") as handle:          # a file object: openpyxl would judge a path by its extension
        return _read_sheets(load_workbook(handle, read_only=True, data_only=True, keep_links=False))


def _read_sheets(book) -> list:
    from openpyxl.worksheet._reader import WorkSheetParser

    from data.intake.readers import Sheet

    sheets = []
    try:
        for ws in book.worksheets:
            rows: list[list[object]] = []
            with ws._get_source() as source:
                parser = WorkSheetParser(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                                         date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
                for _, cells in parser.parse():
                    for cell in cells:
                        r, c, value = cell["row"] - 1, cell["column"] - 1, cell["value"]
                        if value is None or value == "":
                            continue
                        if len(rows) <= r:
                            rows.extend([_EMPTY_ROW] * (r + 1 - len(rows)))
                        row = rows[r]
                        if row is _EMPTY_ROW:
                            row = rows[r] = []
                        if len(row) <= c:
                            row.extend([None] * (c + 1 - len(row)))
                        row[c] = value
                merged = _merged(parser.merged_cells.mergeCell) if getattr(parser, "merged_cells", None) else []
            sheets.append(Sheet(ws.title, rows, ws.sheet_state != "visible", merged, sparse=True))
    finally:
        book.close()
    return sheets
