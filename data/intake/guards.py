"""Checks between parsing a file and loading it, against files that are not whole.

- A CSV cut off mid-row (the last line has no line break and fewer cells than the header,
  or an unclosed quote) has that row rejected as ``truncated_row``, never loaded as if whole.
- A CSV whose last line, with all its cells, has no line break while the lines before it have
  one gets a note that it may be cut off (inside its last cell): some programs write no final
  line break, so it is loaded.
- A snapshot that would replace a much larger one is held back: a roster (replaced as a
  whole) or a headcount recap (replaced for its date) with fewer than two thirds of the
  rows stored. The person confirms (``--allow-shrink``; a box on the import page).
- Attendance of a CoP that no register names (activity, asset or maturity file) is loaded
  all the same, with a note naming those CoPs (a typo, or a register not imported yet).
"""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from data.intake.layout import Layout
from data.intake.readers import Workbook, decode_text
from data.intake.records import ParsedTable, Rejection, _listed, raw_text
from data.intake.values import clean_text, text_key

WARNING = "WARNING: "      # as data.ingest.WARNING: a note a person must act on
SHRINK_KEEPS = 2 / 3       # a snapshot holding fewer than this share of the rows it replaces is held back
_TAIL_BYTES = 1 << 16


def cut_last_line(path: Path, book: Workbook, layout: Layout) -> list[str] | None:
    """The cells of a CSV's last line when the file was cut off in it, else None.

    Cut off: the file does not end with a line break, and that line holds fewer cells than
    the header and than the line before it, or an unclosed quote. A last line with every
    cell (many exporters write no final line break) is whole."""
    lines = _open_tail_lines(path, book)
    if lines is None:
        return None
    cells, before = (next(csv.reader([line], delimiter=book.delimiter or ","), []) for line in (lines[-1], lines[-2:][0]))
    short = len(cells) < min(_header_width(layout), len(before) if len(lines) > 1 else 10 ** 6)
    return cells if short or lines[-1].count('"') % 2 else None


OPEN_LAST_LINE_NOTE = ("the last line has no line break while the lines before it have one: the file may be cut off "
                       "and its last row incomplete (compare that row with the source: some programs write no final "
                       "line break)")


def open_last_line_note(path: Path, book: Workbook) -> str | None:
    """A note when a CSV's last line holds values and has no line break while the lines before
    it have one: a file cut off inside its last cell has the header's cell count, so
    ``cut_last_line`` takes it as whole. A note, not a refusal: some programs write no final
    line break."""
    lines = _open_tail_lines(path, book)
    if lines is None or len(lines) < 2:
        return None
    cells = next(csv.reader([lines[-1]], delimiter=book.delimiter or ","), [])
    return f"{WARNING}{OPEN_LAST_LINE_NOTE}" if any(clean_text(c) for c in cells) else None


def _open_tail_lines(path: Path, book: Workbook) -> list[str] | None:
    """The lines of a CSV's last 64 KiB when the file does not end with a line break, else None."""
    if book.file_format != "csv":
        return None
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - _TAIL_BYTES) & ~1)          # even: UTF-16 stays aligned
        tail = handle.read()
    if tail.rstrip(b"\x00").endswith((b"\n", b"\r")):
        return None
    return decode_text(tail, book.file_name).splitlines() or [""]


def _header_width(layout: Layout) -> int:
    """1 + the last column holding header text."""
    return max((c + 1 for r in layout.header_rows for c, v in enumerate(layout.sheet.rows[r]) if clean_text(v)), default=0)


def reject_cut_row(layout: Layout, table: ParsedTable, cells: list[str], row_number: int) -> None:
    """Record the cut last row (already left out of parsing) as a ``truncated_row`` rejection."""
    width = _header_width(layout)
    table.rejections.append(Rejection(
        layout.sheet.name, row_number, "", clean_text(cells[-1]) if cells else "", "truncated_row",
        f"the file ends in the middle of this row ({len(cells)} of {width} cells, no final line break): it was "
        f"cut off; send the whole file", None, " | ".join(raw_text(v) for v in cells)))
    table.notes.insert(0, f"WARNING: the file ends in the middle of row {row_number}: it looks cut off; that row was "
                          f"rejected (truncated_row)")


def shrink_message(con: duckdb.DuckDBPyConnection, layout: Layout, table: ParsedTable) -> str | None:
    """Why this snapshot is held back (it would replace far more rows than it holds), or None.

    Reads: employee (roster) or headcount (the recap's dates), current rows only."""
    new = table.rows_read - len(table.rejections)
    if layout.kind == "roster":
        current = con.execute("SELECT count(*) FROM employee WHERE replaced_by IS NULL").fetchone()[0]
    elif layout.kind == "headcount":
        dates = sorted({r["as_of"] for r in table.records})
        if not dates:
            return None
        current = con.execute(f"SELECT count(*) FROM headcount WHERE replaced_by IS NULL AND as_of IN "
                              f"({', '.join('?' * len(dates))})", dates).fetchone()[0]
    else:
        return None
    if not current or new >= current * SHRINK_KEEPS:
        return None
    return (f"this {layout.spec.label} holds {new:,} usable row(s) and would replace the {current:,} stored "
            f"(a drop of {1 - new / current:.0%}): held back, nothing was imported. Is it the whole list? If it is, "
            f"import it again confirming the drop (command line: --allow-shrink; import page: the confirmation box)")


_REGISTERS = ("activity", "aset", "maturity")     # the tables whose CoPs are known


def unregistered_cops(con: duckdb.DuckDBPyConnection, table: ParsedTable) -> list[str]:
    """A note naming the CoPs of an attendance file that no register names, or ``[]``.

    Matched by ``cop_key`` (``text_key`` of the name) against the current rows of the
    activity register, the asset register and the maturity assessment. No note while none of
    those is loaded yet (every CoP would be named). Reads: activity, aset, maturity."""
    if table.layout.kind != "attendance" or not table.records:
        return []
    names = {text_key(r["cop"]): r["cop"] for r in reversed(table.records)}   # the first spelling of each
    union = " UNION ALL ".join(f"SELECT cop_key FROM {t} WHERE replaced_by IS NULL" for t in _REGISTERS)
    known = {k for (k,) in con.execute(f"SELECT DISTINCT cop_key FROM ({union})").fetchall()}
    if not known:
        return []
    unknown = sorted(names[k] for k in names.keys() - known)
    if not unknown:
        return []
    shown = _listed([f"'{name}'" for name in unknown])
    return [f"{len(unknown)} CoP(s) found in no register (activity, asset or maturity file), their attendance loaded "
            f"all the same: {shown}"]
