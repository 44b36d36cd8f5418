"""Column-wise parsing of the two big kinds (roster, access log) from any sheet.

A roster holds tens of thousands of rows and an access log up to a million; built row
by row in Python that costs tens of microseconds a row. Here each column is checked at once,
and a value that repeats (an agency, an asset id, an action word) is parsed only the
first time it is seen. A row is "plain" when every one of its cells has the common,
unambiguous shape; plain rows go straight into an Arrow table. Every other row - a
damaged NIP, an unknown agency, a TOTAL line, a blank row, a formula without a value -
goes through the row builder of ``data.intake.records``, so both paths accept and reject
exactly the same rows (``tests/test_bulk.py`` checks them against each other).

The checks used for plain cells are the builders' own parsers, called on the value,
or a stricter test whose accepted values the parser returns unchanged (an 18-digit
ASCII NIP).
"""
from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

import pyarrow as pa
import pyarrow.compute as pc

from data.intake.agencies import AgencyTable
from data.errors import RowProblem
from data.intake.layout import Layout
from data.store.pseudonym import nip_key, pseudonym
from data.intake.records import ParsedTable, is_total_label, label_columns, parse_table
from data.intake.values import clean_text, parse_action, parse_datetime_wib

BULK_KINDS = ("roster", "access_log")
_ODD = object()   # a cell that is not plain: its row goes through the row builder
# A text cell can be a TOTAL / JUMLAH label (data.intake.records._TOTAL_ROW) only if its first
# character is j, t, g or s in either case, a space, or outside ASCII (which may case-fold
# to one): the cheap filter before the real test.
_TOTAL_TRIGGERS = frozenset("jtgsJTGS \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
_TRIGGER_PATTERN = r"^[jtgsJTGS\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f ]|^[^\x00-\x7f]"  # RE2, the same set


def bulk_applies(layout: Layout) -> bool:
    """True for the kinds this module parses (``BULK_KINDS``), on a sheet read densely (a sparse
    sheet's million empty rows are skipped faster one by one)."""
    return layout.kind in BULK_KINDS and not layout.sheet.sparse


def _required_text(value: object) -> object:
    text = clean_text(value)
    return text if text else _ODD


def _upper_text(value: object) -> object:
    text = clean_text(value)
    return text.upper() if text else _ODD


def _optional_upper(value: object) -> object:
    return clean_text(value).upper() or None


def _checked(parser: Callable[[object], object]) -> Callable[[object], object]:
    def parse(value: object) -> object:
        try:
            return parser(value)
        except RowProblem:
            return _ODD
    return parse


def _memoised(parse: Callable[[object], object]) -> Callable[[list], list]:
    """Apply ``parse`` to a column, once per distinct (type, value)."""
    def column(values: list) -> list:
        seen: dict = {}
        out = []
        for value in values:
            key = (value.__class__, value)
            try:
                out.append(seen[key])
            except KeyError:
                seen[key] = result = parse(value)
                out.append(result)
            except TypeError:            # unhashable: never from a reader, but stay safe
                out.append(parse(value))
        return out
    return column


def _each(parse: Callable[[object], object]) -> Callable[[list], list]:
    return lambda values: [parse(v) for v in values]


def _nips(values: list) -> list:
    """Each cell as is when it is an 18-digit ASCII text (what ``parse_nip`` returns unchanged), else ``_ODD``."""
    return [v if type(v) is str and len(v) == 18 and v.isdigit() and v.isascii() else _ODD for v in values]


def _names(values: list) -> list:
    """``_required_text`` of a column; text that ``clean_text`` returns unchanged is taken as is."""
    return [v if type(v) is str and v and v.isprintable() and "  " not in v and v[0] != " " and v[-1] != " "
            else _required_text(v) for v in values]


def _specs(kind: str, agencies: AgencyTable) -> dict[str, Callable[[list], list]]:
    """Per column of ``kind``: a function turning the column's cells into plain values or ``_ODD``."""
    if kind == "roster":
        return {"nip": _nips, "name": _names,
                "skpd": _memoised(lambda v: _ODD if (m := agencies.match(v)) is None else m),
                "employment_status": _memoised(_optional_upper)}
    return {"event_time": _each(_checked(parse_datetime_wib)), "nip": _nips,
            "aset_id": _memoised(_upper_text), "action": _memoised(_checked(parse_action))}


def _total_candidates(cells: list) -> list[int]:
    """Positions of text cells whose first letter can start a TOTAL / JUMLAH label (a cheap
    filter: in Arrow when the column is all text, else in Python)."""
    try:
        texts = pa.array(cells, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return [k for k, v in enumerate(cells) if type(v) is str and (v[:1] in _TOTAL_TRIGGERS or not v[:1].isascii())]
    hits = pc.match_substring_regex(texts, _TRIGGER_PATTERN)
    return pc.indices_nonzero(pc.fill_null(hits, False)).to_pylist()


def _odd_rows(layout: Layout, rows: list[list], first: int, width: int) -> set[int]:
    """Rows (0-based, sheet) that a TOTAL label or a formula without a value keeps off the plain path.

    The labels are those ``data.intake.records`` skips a row for: the label columns' text, and
    the first non-blank text among a row's first three cells."""
    odd: set[int] = set()
    candidates: dict[int, list[int]] = {}
    for col in dict.fromkeys([*label_columns(layout), 0, 1, 2]):
        candidates[col] = _total_candidates(_column(rows, col, width))
    for col in label_columns(layout):
        odd.update(first + k for k in candidates[col] if is_total_label(rows[k][col]))
    for k in set(candidates[0] + candidates[1] + candidates[2]):
        head = next((v for v in rows[k][:3] if isinstance(v, str) and v.strip()), None)
        if head is not None and is_total_label(head):
            odd.add(first + k)
    mapped = set(layout.columns.values())
    odd.update(r for r, c in layout.sheet.formula_gaps if c in mapped and first <= r < first + len(rows))
    return odd


def parse_bulk(layout: Layout, agencies: AgencyTable) -> ParsedTable:
    """Parse a roster or access-log table column-wise; rows that are not plain go to
    ``data.intake.records.parse_table``.

    Returns:
        a ``ParsedTable`` whose ``arrow`` holds the plain rows - roster: nip (pseudonym),
        nip_plain, name, skpd, employment_status, source_row; access log: event_time
        (TIMESTAMP, WIB), nip (pseudonym), aset_id, action, source_row - and whose
        ``records`` / ``rejections`` hold the rows the row builder judged. A roster that
        names one NIP twice is returned as records only, so that ``data.store.load`` judges its
        duplicates row by row.
    """
    first = layout.first_data_row
    rows = layout.sheet.rows[first:]
    columns: dict[str, list] = {}
    width = min(map(len, rows), default=0)
    odd = _odd_rows(layout, rows, first, width)
    for name, parse in _specs(layout.kind, agencies).items():
        index = layout.columns.get(name)
        columns[name] = values = parse(_column(rows, index, width) if index is not None else [None] * len(rows))
        if _ODD in values:
            odd.update(first + k for k, v in enumerate(values) if v is _ODD)
    names = list(columns)
    plain = [k for k in range(len(rows)) if first + k not in odd] if odd else list(range(len(rows)))
    table = parse_table(layout, agencies, indices=sorted(odd))
    picked = {name: _take(columns[name], plain) for name in names} if odd else columns
    nips = picked["nip"]
    key = nip_key()
    picked["nip"] = [pseudonym(n, key) for n in nips]
    if layout.kind == "roster":
        picked["nip_plain"] = nips
        if len(set(nips) | {r["nip_plain"] for r in table.records}) < len(nips) + len(table.records):
            return _as_records(table, picked, [first + k + 1 for k in plain])
    picked["source_row"] = [first + k + 1 for k in plain]
    table.arrow = pa.table({name: pa.array(values, type=_ARROW_TYPES.get(name, pa.string()))
                            for name, values in picked.items()})
    return table


def _column(rows: list[list], index: int, width: int) -> list:
    """The cells of column ``index`` (None past a short row's end); ``width`` is the shortest row's length."""
    if index < width:
        return list(map(itemgetter(index), rows))
    return [(row[index] if index < len(row) else None) for row in rows]


def _take(values: list, positions: list[int]) -> list:
    if not positions:
        return []
    taken = itemgetter(*positions)(values)
    return list(taken) if len(positions) > 1 else [taken]


_ARROW_TYPES = {"event_time": pa.timestamp("us"), "source_row": pa.int32()}


def _as_records(table: ParsedTable, picked: dict[str, list], row_numbers: list[int]) -> ParsedTable:
    """The plain rows as records, merged with the builder's in row order (duplicates to judge)."""
    names = list(picked)
    plain = [dict(zip(names, values)) for values in zip(*picked.values())]
    merged = sorted(zip(row_numbers + table.row_numbers, plain + table.records), key=lambda pair: pair[0])
    table.row_numbers = [row for row, _ in merged]
    table.records = [record for _, record in merged]
    return table
