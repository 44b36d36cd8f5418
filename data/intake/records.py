"""Turning a located table into typed records and rejected rows.

Every data row ends as exactly one of: a record, or a rejection carrying its sheet,
row number (as Excel or a text editor shows it, 1-based), column, raw value and a
reason code. Blank rows and TOTAL / JUMLAH rows are not data rows: they are counted
in the notes, not in ``rows_read``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from data.intake.agencies import AgencyTable
from data.errors import ImportRefused, RowProblem
from data.intake.kinds import DIMENSIONS
from data.intake.layout import Layout, instrument_from_block, title_from_block
from data.store.pseudonym import nip_key, pseudonym
from data.intake.values import (clean_text, parse_action, parse_count, parse_date, parse_datetime_wib,
                         parse_decimal, parse_nip, parse_role, parse_status, parse_year, parse_yes_no, text_key,
                         wrong_day_name)

MAX_SCORE_DECIMALS = 8  # the store keeps DECIMAL(18, 8): never round a score silently
_TOTAL_ROW = re.compile(r"^(?:jumlah|total|grand total|jumlah total|total keseluruhan|jumlah keseluruhan|sub ?total)\b")


@dataclass
class Rejection:
    """A row that will not be loaded, and why."""

    sheet: str
    row_number: int
    column: str
    value: str
    reason_code: str
    message: str
    row_date: dt.date | None = None
    raw_row: str = ""


@dataclass
class ParsedTable:
    """A file's table as records (one dict per loaded-to-be row) plus rejections.

    ``rows_read`` = ``len(records)`` + ``len(rejections)`` before deduplication.
    ``context`` carries file-level values: ``as_of`` (headcount), ``year`` and
    ``instrument`` (maturity).
    """

    layout: Layout
    records: list[dict] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    arrow: object = None  # pyarrow.Table of rows parsed in bulk (data.intake.fastcsv), or None

    @property
    def rows_read(self) -> int:
        """Data rows read: bulk-parsed rows, records and rejected rows."""
        bulk = self.arrow.num_rows if self.arrow is not None else 0
        return bulk + len(self.records) + len(self.rejections)


def _cell(row: list[object], index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if isinstance(value, str) and not value.strip() else value


DATE_COLUMNS = ("event_time", "activity_date", "as_of", "uploaded_on", "published_on", "submitted_at")
DAYS_1904_TO_1900 = 1462   # serial day N of the 1904 date system is day N + 1462 of the 1900 system


def serials_to_1900(layout: Layout) -> int:
    """In a 1904-system workbook, turn the plain numbers of the date columns into 1900-system
    serial numbers (what ``data.intake.values`` reads), in place; real date cells are already
    dates. Returns how many cells changed; call it once per layout."""
    if not layout.sheet.date1904:
        return 0
    changed = 0
    indices = [layout.columns[c] for c in DATE_COLUMNS if c in layout.columns]
    for row in layout.sheet.rows[layout.first_data_row:]:
        for i in indices:
            if i < len(row) and isinstance(row[i], (int, float)) and not isinstance(row[i], bool):
                row[i] += DAYS_1904_TO_1900
                changed += 1
    return changed


def label_columns(layout: Layout) -> list[int]:
    """The columns whose text marks a TOTAL / JUMLAH row: agency, name or CoP, else the first column mapped."""
    return [layout.columns[c] for c in ("skpd", "name", "cop") if c in layout.columns] or list(layout.columns.values())[:1]


def _data_rows(layout: Layout, notes: list[str], indices=None):
    blank = total = 0
    label_cols = label_columns(layout)
    for r in (range(layout.first_data_row, len(layout.sheet.rows)) if indices is None else indices):
        row = layout.sheet.rows[r]
        if not row:
            blank += 1
            continue
        cells = {name: _cell(row, col) for name, col in layout.columns.items()}
        meaningful = {k: v for k, v in cells.items() if v is not None and k != "quarter_label"}
        if not meaningful:
            blank += 1
            continue
        if any(_TOTAL_ROW.match(text_key(_cell(row, c))) for c in label_cols) or _is_total_marker(row, layout):
            total += 1
            continue
        yield r + 1, cells
    if blank:
        notes.append(f"{blank} empty row(s) skipped")
    if total:
        notes.append(f"{total} TOTAL/JUMLAH row(s) skipped")


def is_total_label(value: object) -> bool:
    """Whether a cell reads as a TOTAL / JUMLAH label."""
    return _TOTAL_ROW.match(text_key(value)) is not None


def _is_total_marker(row: list[object], layout: Layout) -> bool:
    """A TOTAL / JUMLAH label in one of the first three cells (e.g. under the 'No' column)."""
    first = next((text_key(v) for v in row[:3] if isinstance(v, str) and v.strip()), "")
    return _TOTAL_ROW.match(first) is not None


def raw_text(value: object) -> str:
    """A cell as a person should see it in a rejected row: ``clean_text``, except that a
    number of 16 digits or more is written as Excel's formula bar shows it: its 15 significant
    digits, then zeros (``198001072005011000``). Its full float (``198001072005010999``, or
    Python's ``1.98001072005011e+17``) would show digits Excel never stored. From 21 digits
    on, Excel's own short form (``1E+300``)."""
    if isinstance(value, float) and abs(value) >= 1e15 and math.isfinite(value):
        return f"{Decimal(f'{value:.15g}'):f}" if abs(value) < 1e21 else f"{value:.15G}"
    return clean_text(value)


def _agency(agencies: AgencyTable, raw: object) -> str:
    name = agencies.match(raw)
    if name is None:
        if clean_text(raw) == "":
            raise RowProblem("missing_skpd", "agency name is empty", column="skpd")
        hint = ", ".join(agencies.suggest(raw))
        raise RowProblem("unknown_skpd", f"agency {clean_text(raw)!r} is not in the agency table; closest: {hint}", column="skpd", value=raw)
    return name


def _text(cells: dict, column: str, required: bool = True) -> str | None:
    value = clean_text(cells.get(column))
    if not value and required:
        raise RowProblem(f"missing_{column}", f"{column} is empty", column=column)
    return value or None


def _checked(column: str, parser, value):
    try:
        return parser(value)
    except RowProblem as problem:
        problem.column = problem.column or column
        problem.value = value if problem.value is None else problem.value
        raise


def roster_record(cells: dict, ctx: dict) -> dict:
    """One employee: nip, name, skpd, employment_status (``PNS``/``PPPK``/other text)."""
    nip = _checked("nip", parse_nip, cells.get("nip"))
    return {"nip": pseudonym(nip, ctx.get("nip_key")), "nip_plain": nip, "name": _text(cells, "name"),
            "skpd": _checked("skpd", lambda v: _agency(ctx["agencies"], v), cells.get("skpd")),
            "employment_status": (_text(cells, "employment_status", False) or "").upper() or None}


_DASHES = frozenset("-\u2012\u2013\u2014\u2212")


def _headcount(value: object) -> int:
    """A headcount cell: a count, or a lone dash, which recaps (and Excel's accounting format) write for 0."""
    return 0 if isinstance(value, str) and value.strip() in _DASHES and value.strip() else parse_count(value)


def headcount_record(cells: dict, ctx: dict) -> dict:
    """One agency's headcount on the recap's date; the total, or PNS + PPPK when no total column.
    0 (or ``-``) is a headcount: the agency stays in reports, its rates undefined."""
    pns = _checked("headcount_pns", _headcount, cells["headcount_pns"]) if cells.get("headcount_pns") is not None else None
    pppk = _checked("headcount_pppk", _headcount, cells["headcount_pppk"]) if cells.get("headcount_pppk") is not None else None
    if cells.get("headcount") is not None:
        total = _checked("headcount", _headcount, cells["headcount"])
    elif pns is not None and pppk is not None:
        total = pns + pppk
    elif pns is not None or pppk is not None:   # no total column: the headcount is PNS + PPPK, one is empty
        empty = "headcount_pppk" if pppk is None else "headcount_pns"
        raise RowProblem("missing_headcount", f"{'PPPK' if pppk is None else 'PNS'} count is empty and there is no "
                         f"total column (the headcount is PNS + PPPK)", column=empty)
    else:
        raise RowProblem("missing_headcount", "headcount is empty", column="headcount")
    as_of = _checked("as_of", parse_date, cells["as_of"]) if cells.get("as_of") is not None else ctx.get("as_of")
    if as_of is None:
        raise RowProblem("missing_date", "the recap gives no date (title 'Keadaan per ...' or an as-of column)", column="as_of")
    return {"skpd": _checked("skpd", lambda v: _agency(ctx["agencies"], v), cells.get("skpd")),
            "as_of": as_of, "headcount": total, "headcount_pns": pns, "headcount_pppk": pppk}


def attendance_record(cells: dict, ctx: dict) -> dict:
    """One attendance: nip, cop, activity title and date, role, agency text as written."""
    date_raw = cells.get("activity_date") if cells.get("activity_date") is not None else ctx.get("activity_date")
    skpd_text = clean_text(cells.get("skpd")) or None
    return {"nip": pseudonym(_checked("nip", parse_nip, cells.get("nip")), ctx.get("nip_key")),
            "cop": clean_text(cells.get("cop")) or ctx.get("cop") or _text(cells, "cop"),
            "activity_title": clean_text(cells.get("activity_title")) or ctx.get("activity_title") or _text(cells, "activity_title"),
            "activity_date": _checked("activity_date", parse_date, date_raw),
            "role": parse_role(cells.get("role")),
            "skpd_text": skpd_text, "skpd": ctx["agencies"].match(skpd_text) if skpd_text else None,
            "submitted_at": _checked("submitted_at", parse_datetime_wib, cells["submitted_at"]) if cells.get("submitted_at") is not None else None}


def aset_record(cells: dict, ctx: dict) -> dict:
    """One asset: id, title, kind, cop, skpd, uploader NIP (None when unreadable), dates, status."""
    status = _checked("status", parse_status, cells.get("status"))
    published = cells.get("published_on")
    uploader = None
    if cells.get("uploader_nip") is not None:
        try:
            uploader = pseudonym(parse_nip(cells["uploader_nip"]), ctx.get("nip_key"))
        except RowProblem as problem:   # the asset still counts; only its uploader is unknown (noted)
            ctx.setdefault("unreadable_uploaders", []).append((ctx.get("row_number"), problem.reason_code))
    return {"aset_id": _text(cells, "aset_id").upper(), "title": _text(cells, "title"),
            "aset_kind": _text(cells, "aset_kind", False), "cop": _text(cells, "cop"),
            "skpd": _checked("skpd", lambda v: _agency(ctx["agencies"], v), cells.get("skpd")),
            "uploader_nip": uploader,
            "uploaded_on": _checked("uploaded_on", parse_date, cells["uploaded_on"]) if cells.get("uploaded_on") is not None else None,
            "status": status,
            "published_on": _checked("published_on", parse_date, published) if published is not None else None}


def access_record(cells: dict, ctx: dict) -> dict:
    """One portal event: event_time (WIB), nip, aset_id, action (view/download/like/comment)."""
    return {"event_time": _checked("event_time", parse_datetime_wib, cells.get("event_time")),
            "nip": pseudonym(_checked("nip", parse_nip, cells.get("nip")), ctx.get("nip_key")),
            "aset_id": _text(cells, "aset_id").upper(),
            "action": _checked("action", parse_action, cells.get("action"))}


def activity_record(cells: dict, ctx: dict) -> dict:
    """One CoP meeting: skpd, cop, title, date, accompanied, mentor, attendee_count."""
    count = cells.get("attendee_count")
    return {"quarter_label": clean_text(cells.get("quarter_label")) or None,
            "skpd": _checked("skpd", lambda v: _agency(ctx["agencies"], v), cells.get("skpd")),
            "cop": _text(cells, "cop"), "activity_title": _text(cells, "activity_title"),
            "activity_date": _checked("activity_date", parse_date, cells.get("activity_date")),
            "accompanied": _checked("accompanied", parse_yes_no, cells.get("accompanied")),
            "mentor": _text(cells, "mentor", False),
            "attendee_count": _checked("attendee_count", parse_count, count) if count is not None else None}


def maturity_record(cells: dict, ctx: dict) -> dict:
    """One CoP's scores for the year: five dimensions as exact decimals 1-5, file mean and level."""
    record = {"skpd": _checked("skpd", lambda v: _agency(ctx["agencies"], v), cells.get("skpd")),
              "cop": _text(cells, "cop")}
    for dim in DIMENSIONS:
        score = _checked(dim, parse_decimal, cells.get(dim))
        if score.as_tuple().exponent < -MAX_SCORE_DECIMALS:
            raise RowProblem("too_precise", f"{dim} score {score} has more than {MAX_SCORE_DECIMALS} decimals",
                             column=dim, value=cells.get(dim))
        if not Decimal(1) <= score <= Decimal(5):
            raise RowProblem("score_out_of_range", f"{dim} score {score} is outside 1-5", column=dim, value=cells.get(dim))
        record[dim] = score
    year_raw = cells.get("year") if cells.get("year") is not None else ctx.get("year")
    if year_raw is None:
        raise RowProblem("missing_year", "no year (title 'TAHUN 2025' or a Tahun column)", column="year")
    record["year"] = _checked("year", parse_year, year_raw)
    record["mean_file"] = _checked("mean_file", parse_decimal, cells["mean_file"]) if cells.get("mean_file") is not None else None
    record["level_file"] = _checked("level_file", parse_count, cells["level_file"]) if cells.get("level_file") is not None else None
    record["instrument"] = ctx.get("instrument")
    return record


def jury_record(cells: dict, ctx: dict) -> dict:
    """One juror's score (0-100, exact decimal) for one CoP in one award year."""
    score = _checked("score", parse_decimal, cells.get("score"))
    if not Decimal(0) <= score <= Decimal(100):
        raise RowProblem("score_out_of_range", f"jury score {score} is outside 0-100", column="score", value=cells.get("score"))
    if score.as_tuple().exponent < -4:
        raise RowProblem("too_precise", f"jury score {score} has more than 4 decimals", column="score", value=cells.get("score"))
    year_raw = cells.get("year") if cells.get("year") is not None else ctx.get("year")
    return {"year": _checked("year", parse_year, year_raw),
            "skpd": _checked("skpd", lambda v: _agency(ctx["agencies"], v), cells.get("skpd")),
            "cop": _text(cells, "cop"), "juror": _text(cells, "juror"), "score": score}


BUILDERS = {"roster": roster_record, "headcount": headcount_record, "attendance": attendance_record,
            "aset": aset_record, "access_log": access_record, "activity": activity_record,
            "maturity": maturity_record, "jury": jury_record}


def _row_date(cells: dict, ctx: dict) -> dt.date | None:
    """The rejected row's own date when it can be read, so left-out rows can be counted per period."""
    raw = cells.get("event_time") or cells.get("activity_date") or ctx.get("activity_date")
    try:
        return parse_date(raw) if raw is not None else None
    except RowProblem:
        return None


def _check_formula_gaps(layout: Layout, row_number: int, columns: dict[str, int]) -> None:
    """A used cell that holds a formula with no saved result is never read as empty or 0."""
    if not layout.sheet.formula_gaps:
        return
    for name, col in columns.items():
        if (row_number - 1, col) in layout.sheet.formula_gaps:
            raise RowProblem("formula_without_value",
                             f"cell {_a1(row_number, col)} holds a formula with no saved result: open the file in "
                             f"Excel and save it again", column=name, value="=?")


def _a1(row_number: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row_number}"


def _context(layout: Layout, agencies: AgencyTable) -> dict:
    ctx: dict = {"agencies": agencies, "nip_key": nip_key()}
    for column in ("cop", "activity_title", "year", "as_of"):
        if column not in layout.columns:
            value = title_from_block(layout.spec, column, layout.title_lines)
            if value is not None:
                ctx[column] = value
    if layout.kind == "attendance" and "activity_date" not in layout.columns:
        ctx["activity_date"] = title_from_block(layout.spec, "activity_date", layout.title_lines)
    if layout.kind == "headcount" and "as_of" in ctx:
        try:
            ctx["as_of"] = parse_date(ctx["as_of"])
        except RowProblem as problem:
            raise ImportRefused(layout.sheet.name or "file", "bad_title_date", f"recap date in title unreadable: {problem.message}") from problem
    if layout.kind == "maturity":
        ctx["instrument"] = instrument_from_block(layout.title_lines)
    return ctx


def _listed(found: list[str]) -> str:
    return ", ".join(found[:10]) + (", ..." if len(found) > 10 else "")


def _headcount_sums(records: list[dict], rows: list[int]) -> list[str]:
    """A note on recap rows whose total is not PNS + PPPK (the total is what counts)."""
    found = [f"row {row} ({r['skpd']}: {r['headcount']} vs {r['headcount_pns']} + {r['headcount_pppk']})"
             for r, row in zip(records, rows) if r["headcount_pns"] is not None and r["headcount_pppk"] is not None
             and r["headcount"] != r["headcount_pns"] + r["headcount_pppk"]]
    return [f"{len(found)} row(s) whose total differs from PNS + PPPK (the total is used): {_listed(found)}"] if found else []


_QUARTER_LABEL = re.compile(r"\b(?:tw|triwulan|kuartal|quarter|q)\s*[-.]?\s*(iv|iii|ii|i|[1-4])\b(?:\D*(\d{4}))?", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _quarter_labels(records: list[dict], rows: list[int]) -> list[str]:
    """A note on meetings whose quarter label (``TW II 2026``) contradicts their date (the date is what counts)."""
    found = []
    for r, row in zip(records, rows):
        match = _QUARTER_LABEL.search(r.get("quarter_label") or "")
        if not match:
            continue
        quarter = _ROMAN.get(match.group(1).lower()) or int(match.group(1))
        date = r["activity_date"]
        if quarter != (date.month - 1) // 3 + 1 or (match.group(2) and int(match.group(2)) != date.year):
            found.append(f"row {row} ({r['quarter_label']}, {date:%d-%m-%Y})")
    return [f"{len(found)} meeting(s) whose quarter label contradicts the date (the date is used): {_listed(found)}"] if found else []


_CONSISTENCY = {"headcount": _headcount_sums, "activity": _quarter_labels}
_TITLE_DATE = {"attendance": "activity_date", "headcount": "as_of"}    # the date a title block may give


def _wrong_days(cells: dict, row_number: int) -> list[str]:
    """``row N (text)`` for each date cell of a row whose day name contradicts its date."""
    return [f"row {row_number} ({clean_text(cells[c])})" for c in DATE_COLUMNS if wrong_day_name(cells.get(c))]


def _day_name_notes(layout: Layout, rows: list[str]) -> list[str]:
    """Notes on dates whose day name contradicts them (``Senin, 31 Maret 2026`` is a Tuesday):
    the title's date, then the rows' (the date is what counts in both)."""
    notes = []
    column = _TITLE_DATE.get(layout.kind)
    text = title_from_block(layout.spec, column, layout.title_lines) if column and column not in layout.columns else None
    weekday = wrong_day_name(text)
    if weekday:
        notes.append(f"the title's date '{clean_text(text)}' names the wrong day: it is a {weekday} (the date is used)")
    if rows:
        notes.append(f"{len(rows)} date(s) whose day name contradicts the date (the date is used): {_listed(rows)}")
    return notes


def parse_table(layout: Layout, agencies: AgencyTable, indices=None) -> ParsedTable:
    """Build the records of a located table; see the module docstring for the accounting.

    ``indices`` (0-based sheet rows, ascending) limits the work to those rows; by default
    every row under the header. ``data.intake.bulk`` passes the rows it did not parse itself.
    """
    table = ParsedTable(layout)
    ctx = _context(layout, agencies)
    table.context = {k: v for k, v in ctx.items() if k not in ("agencies", "nip_key", "row_number")}
    builder = BUILDERS[layout.kind]
    gap_columns = {name: col for name, col in layout.columns.items()}
    wrong_days: list[str] = []
    for row_number, cells in _data_rows(layout, table.notes, indices):
        ctx["row_number"] = row_number
        try:
            _check_formula_gaps(layout, row_number, gap_columns)
            table.records.append(builder(cells, ctx))
            table.row_numbers.append(row_number)
            wrong_days += _wrong_days(cells, row_number)
        except RowProblem as problem:
            raw = "" if problem.value is None else raw_text(problem.value)
            table.rejections.append(Rejection(layout.sheet.name, row_number, problem.column, raw,
                                              problem.reason_code, problem.message, _row_date(cells, ctx),
                                              " | ".join(raw_text(v) for v in cells.values())))
    check = _CONSISTENCY.get(layout.kind)
    if check is not None:
        table.notes.extend(check(table.records, table.row_numbers))
    table.notes.extend(_day_name_notes(layout, wrong_days))
    unreadable = ctx.get("unreadable_uploaders", [])
    if unreadable:
        shown = _listed([f"row {row} ({code})" for row, code in unreadable])
        table.notes.append(f"{len(unreadable)} asset(s) loaded without an uploader: the uploader NIP was unreadable: {shown}")
    if layout.unmapped:
        table.notes.append(f"columns not used: {layout.unmapped}")
    return table
