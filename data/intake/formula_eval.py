"""Formula cells without a saved result, filled in where the sheet itself gives the value.

A workbook written by a program (not by Excel) may carry formulas with no saved result.
Before its rows are read, each such cell in a used column is handled in this order:

1. A headcount recap's total (Jumlah) beside its PNS and PPPK cells: left empty, so the
   row's headcount is PNS + PPPK (``data.intake.records.headcount_record``), and noted.
2. A simple formula - numbers, cells of the same sheet and ranges combined with ``+ - * /``
   and ``SUM`` - over cells holding numbers: evaluated with the ``formulas`` library
   (vinci1it2000/formulas, which implements Excel's semantics; imported only when needed)
   and noted with its result.
3. Anything else stays a gap, and ``data.intake.records`` rejects the row naming the cell.
"""
from __future__ import annotations

import re

from data.intake.layout import Layout
from data.intake.records import _a1, _listed

_SIMPLE = re.compile(r"^[\s0-9A-Z$:.,+\-*/()]*$")
_FUNCTION = re.compile(r"([A-Z][A-Z0-9.]*)\s*\(")
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def fill_formula_gaps(layout: Layout) -> list[str]:
    """Fill in what the sheet gives for the used cells holding a formula without a saved
    result, in place (values written into the rows, gaps removed); returns the notes."""
    gaps = layout.sheet.formula_gaps
    used = set(layout.columns.values())
    cells = sorted(k for k in gaps if k[1] in used and k[0] >= layout.first_data_row)
    if not cells:
        return []
    summed, computed = [], []
    for r, c in cells:
        if _total_of_parts(layout, r, c):
            gaps.pop((r, c))
            _set(layout, r, c, None)
            summed.append(f"row {r + 1}")
    for r, c in (k for k in cells if k in gaps):
        value = _evaluate(gaps[(r, c)], layout)
        if value is not None:
            formula = gaps.pop((r, c))
            _set(layout, r, c, value)
            computed.append(f"{_a1(r + 1, c)} ={formula} -> {value:g}")
    notes = []
    if summed:
        notes.append(f"{len(summed)} total(s) held a formula without a saved result and were computed as PNS + PPPK: "
                     f"{_listed(summed)}")
    if computed:
        notes.append(f"{len(computed)} formula cell(s) without a saved result computed from the sheet: {_listed(computed)}")
    return notes


def _set(layout: Layout, r: int, c: int, value: object) -> None:
    row = layout.sheet.rows[r]
    if type(row) is not list or len(row) <= c:          # a sparse sheet's short or shared empty row
        row = layout.sheet.rows[r] = list(row) + [None] * max(0, c + 1 - len(row))
    row[c] = value


def _total_of_parts(layout: Layout, r: int, c: int) -> bool:
    columns = layout.columns
    if layout.kind != "headcount" or columns.get("headcount") != c:
        return False
    parts = [columns.get("headcount_pns"), columns.get("headcount_pppk")]
    return None not in parts and not any((r, p) in layout.sheet.formula_gaps for p in parts)


def _evaluate(formula: str, layout: Layout) -> float | None:
    """The value of a simple same-sheet formula over numeric cells, or None."""
    text = formula.strip().upper()
    if not text or not _SIMPLE.match(text) or any(f != "SUM" for f in _FUNCTION.findall(text)):
        return None
    import formulas                     # noqa: PLC0415 - heavy (numpy, scipy), needed for few files
    import numpy as np
    try:
        compiled = formulas.Parser().ast("=" + text)[1].compile()
        inputs = [_values(ref, layout) for ref in compiled.inputs]
        if any(v is None for v in inputs):
            return None
        result = np.asarray(compiled(*inputs), dtype=object).ravel()
    except (formulas.errors.FormulaError, ValueError, TypeError, IndexError):
        return None
    value = result[0] if result.size == 1 else None
    return float(value) if isinstance(value, (int, float, np.number)) and np.isfinite(value) else None


def _values(ref: str, layout: Layout):
    """A reference's cells as numbers (a scalar, or a 2-D array for a range); None when a
    cell holds text or a formula gap (the result would not be what Excel shows)."""
    import numpy as np
    match = _RANGE.match(ref)
    if not match:
        return None
    c0, r0, c1, r1 = match.group(1), int(match.group(2)) - 1, match.group(3) or match.group(1), int(match.group(4) or match.group(2)) - 1
    cols = range(_col(c0), _col(c1) + 1)
    grid = []
    for r in range(r0, r1 + 1):
        row = layout.sheet.rows[r] if r < len(layout.sheet.rows) else ()
        values = []
        for c in cols:
            if (r, c) in layout.sheet.formula_gaps:
                return None
            v = row[c] if c < len(row) else None
            if v is None or (isinstance(v, str) and not v.strip()):
                v = 0.0
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                return None
            values.append(float(v))
        grid.append(values)
    return grid[0][0] if match.group(3) is None else np.array(grid, dtype=float)


def _col(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1
