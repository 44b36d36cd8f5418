"""Reading an OpenDocument spreadsheet whose cells lie far apart, in memory that grows with
the cells that hold data (the ods counterpart of ``data.intake.sparse_xlsx``).

python-calamine builds each sheet as one dense rectangle: an ``.ods`` with one value in
AZ1048576 needs gigabytes. ``is_sparse`` finds, in ``content.xml``, a run of empty rows or
columns (``number-rows-repeated`` / ``number-columns-repeated``) followed by a value;
``read_sparse`` then streams ``content.xml`` and keeps each row only as long as its last
value (empty rows are one shared empty tuple).
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from defusedxml.ElementTree import iterparse

_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_S = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_LONG_RUN = 10_000          # empty rows (or columns) in one run that would make a dense read costly
_RUN = re.compile(rb'<table:table-(row|cell)\b[^>]*?number-(?:rows|columns)-repeated="(\d{5,})"')
_EMPTY_ROW = ()


def is_sparse(path: Path) -> bool:
    """Whether a long run of empty rows or columns in ``content.xml`` has a value after it
    in the same table (rows) or row (columns)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("content.xml")
    for run in _RUN.finditer(xml):
        if int(run.group(2)) < _LONG_RUN:
            continue
        end = xml.find(b"</table:table>" if run.group(1) == b"row" else b"</table:table-row>", run.end())
        if xml.find(b"office:value-type", run.end(), end if end >= 0 else len(xml)) >= 0:
            return True
    return False


def _value(cell):
    kind = cell.get(f"{{{_O}}}value-type")
    if kind is None:
        return None
    if kind in ("float", "percentage", "currency"):
        return float(cell.get(f"{{{_O}}}value"))
    if kind == "boolean":
        return cell.get(f"{{{_O}}}boolean-value") == "true"
    if kind == "date":
        text = cell.get(f"{{{_O}}}date-value")
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    text = "\n".join(_text(p) for p in cell if p.tag == f"{{{_X}}}p")
    return text or None


def _text(element) -> str:
    """A paragraph's text with ODF's spacing elements: ``<text:s text:c="n"/>`` (n spaces),
    tabs and line breaks."""
    parts = [element.text or ""]
    for child in element:
        local = child.tag.rsplit("}", 1)[-1]
        if local == "s":
            parts.append(" " * int(child.get(f"{{{_X}}}c", "1")))
        elif local in ("tab", "line-break"):
            parts.append("\t" if local == "tab" else "\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _hidden_styles(path: Path) -> set[str]:
    """Names of table styles with ``table:display="false"`` (hidden sheets)."""
    hidden = set()
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as source:
        for _, element in iterparse(source):
            if element.tag == f"{{{_S}}}style" and any(
                    p.get(f"{{{_T}}}display") == "false" for p in element if p.tag == f"{{{_S}}}table-properties"):
                hidden.add(element.get(f"{{{_S}}}name"))
            if element.tag == f"{{{_O}}}automatic-styles":
                break
    return hidden


def read_sparse(path: Path) -> list:
    """Every table of an ods as ``data.intake.readers.Sheet`` objects (rows ragged, empty rows the
    shared ``()``, ``sparse`` set), with hidden state and merged ranges."""
    from data.intake.readers import Sheet

    hidden, sheets = _hidden_styles(path), []
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as source:
        rows, merged, row_cells, col = [], [], [], 0
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{{{_T}}}table":
                    rows, merged = [], []
                elif tag == f"{{{_T}}}table-row":
                    row_cells, col = [], 0
                continue
            if tag in (f"{{{_T}}}table-cell", f"{{{_T}}}covered-table-cell"):
                repeat = int(element.get(f"{{{_T}}}number-columns-repeated", "1"))
                value = _value(element) if tag.endswith("}table-cell") else None
                spans = (int(element.get(f"{{{_T}}}number-rows-spanned", "1")), int(element.get(f"{{{_T}}}number-columns-spanned", "1")))
                if spans != (1, 1):
                    merged.append(((len(rows), col), (len(rows) + spans[0] - 1, col + spans[1] - 1)))
                if value is not None:
                    row_cells.extend([None] * (col - len(row_cells)))
                    row_cells.extend([value] * repeat)
                col += repeat
                element.clear()
            elif tag == f"{{{_T}}}table-row":
                repeat = int(element.get(f"{{{_T}}}number-rows-repeated", "1"))
                rows.extend([_EMPTY_ROW] * repeat if not row_cells else [list(row_cells) for _ in range(repeat)])
                element.clear()
            elif tag == f"{{{_T}}}table":
                while rows and rows[-1] is _EMPTY_ROW:
                    rows.pop()                       # the run of empty rows every sheet ends with
                name = element.get(f"{{{_T}}}name") or ""
                sheets.append(Sheet(name, rows, element.get(f"{{{_T}}}style-name") in hidden, merged, sparse=True))
                element.clear()
    return sheets
