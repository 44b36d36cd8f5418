"""Formula cells of an xlsx worksheet part that hold no saved result.

Excel saves each formula's last result beside it (``<f>`` and ``<v>``); files written by
some libraries carry the formula alone. Such a cell must never be read as empty or 0.
"""
from __future__ import annotations

import html
import re

_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_FORMULA = re.compile(rb"<f[\s>/]")
_CELL_START = re.compile(rb"<c[\s>]")
_CELL_REF_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Z]+[0-9]+)["']""")
_SAVED_VALUE = re.compile(rb"<v(?:\s[^>]*)?>\s*[^<\s]")


def formula_gaps_in(xml: bytes) -> set[tuple[int, int]]:
    """The cells of a worksheet part that hold a formula (``<f>``) but no saved value
    (no non-empty ``<v>``), as 0-based (row, col). Scans the bytes around each formula
    instead of parsing the whole sheet (a sheet of 200,000 rows with one formula: about
    0.1 s instead of 15 s)."""
    return set(formula_texts_in(xml))


_FORMULA_TEXT = re.compile(rb"<f(?:\s[^>]*)?>([^<]*)</f>")


def formula_texts_in(xml: bytes) -> dict[tuple[int, int], str]:
    """``formula_gaps_in`` with each cell's formula text (``SUM(C5:D5)``, no ``=``; ``""``
    for a cell that only refers to a shared formula)."""
    found: dict[tuple[int, int], str] = {}
    last_end = -1
    for formula in _FORMULA.finditer(xml):
        if formula.start() < last_end:
            continue                              # a second <f> inside the same cell
        start = max((m.start() for m in _CELL_START.finditer(xml, max(0, formula.start() - 4096), formula.start())),
                    default=-1)
        end = xml.find(b"</c>", formula.end())
        if start < 0 or end < 0:
            continue
        last_end = end
        cell = xml[start:end]
        ref = _CELL_REF_ATTR.search(cell, 0, cell.find(b">") + 1)
        if ref and not _SAVED_VALUE.search(cell):
            index = _ref_to_index(ref.group(1).decode("ascii"))
            if index is not None:
                text = _FORMULA_TEXT.search(cell)
                found[index] = html.unescape(text.group(1).decode("utf-8", "replace")) if text else ""
    return found


def _ref_to_index(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.match(ref)
    if not match:
        return None
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, col - 1
