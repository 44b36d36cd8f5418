"""The importer's words in the page's language: export kinds, reason codes, and the
messages of refusals, rejected rows and import notes.

``data`` writes its messages in English (logs, the command line, the stored import log and
rejected rows). The page translates at display: a stored message is matched against the
English templates below (each a msgid of the catalogue, ``{name}`` for the values the
importer put in), the template is translated, and the values are put back (translated in
turn when a value is itself such a message). Reason codes stay as stable codes beside a
translated label. A message no template matches is shown as written; the templates are
kept in step with ``data/`` by ``tests/test_import_text.py``.
"""
from __future__ import annotations

import functools
import re

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from metrics.targets import EDITED_FILE_NAME

WARNING_PREFIX = "WARNING: "

KIND_NAMES = {"roster": N_("Employee roster"), "headcount": N_("Headcount recap"),
              "attendance": N_("CoP attendance"), "aset": N_("Knowledge asset register"),
              "access_log": N_("KM Portal access log"), "activity": N_("CoP activity register"),
              "maturity": N_("CoP maturity assessment"), "jury": N_("KM Award jury scores")}

# Each kind's columns (``data.intake.kinds``) in words, for the preview's column mapping and
# the rejected rows' column.
COLUMN_NAMES = {
    "nip": N_("NIP"), "name": N_("Name"), "skpd": N_("Agency"), "employment_status": N_("Employment status"),
    "headcount": N_("Headcount"), "headcount_pns": N_("PNS headcount"), "headcount_pppk": N_("PPPK headcount"),
    "as_of": N_("As of"), "cop": N_("CoP"), "activity_title": N_("Activity title"), "activity_date": N_("Activity date"),
    "role": N_("Role"), "submitted_at": N_("Submitted at"), "position": N_("Position"), "signature": N_("Signature"),
    "presence": N_("Presence"), "aset_id": N_("Asset ID"), "title": N_("Title"), "aset_kind": N_("Kind"),
    "uploader_nip": N_("Uploader NIP"), "uploaded_on": N_("Uploaded on"), "status": N_("Status"),
    "published_on": N_("Published on"), "event_time": N_("Access time"), "action": N_("Action"),
    "quarter_label": N_("Quarter"), "accompanied": N_("Accompanied"), "mentor": N_("Mentor"),
    "attendee_count": N_("Attendees"), "strategi": N_("Strategy"), "orang": N_("People"), "proses": N_("Process"),
    "konten": N_("Content"), "teknologi": N_("Technology"), "mean_file": N_("Mean in the file"),
    "level_file": N_("Level in the file"), "year": N_("Year"), "juror": N_("Juror"), "score": N_("Score"),
}

REASONS = {
    "missing_nip": N_("NIP missing"), "bad_nip": N_("NIP malformed"), "numeric_nip": N_("NIP stored as a number"),
    "damaged_nip": N_("NIP damaged"), "bad_date": N_("date unreadable"), "missing_date": N_("date missing"),
    "unknown_action": N_("unknown action"), "unknown_role": N_("unknown role"), "unknown_status": N_("unknown status"),
    "unknown_skpd": N_("unknown agency"), "missing_skpd": N_("agency missing"), "bad_number": N_("not a number"),
    "missing_number": N_("number missing"), "bad_year": N_("year unreadable"), "missing_year": N_("year missing"),
    "score_out_of_range": N_("score out of range"), "too_precise": N_("too many decimals"),
    "formula_without_value": N_("formula without a saved value"), "bad_yes_no": N_("not Ya/Tidak"),
    "missing_headcount": N_("headcount missing"), "truncated_row": N_("row cut off"),
    "missing_asset_id": N_("asset id missing"), "missing_cop": N_("CoP missing"),
    "missing_activity_title": N_("activity title missing"), "missing_name": N_("name missing"),
    "duplicate_key": N_("same key, other values"),
    # whole files
    "not_a_spreadsheet": N_("not a spreadsheet"), "unknown_kind": N_("unknown kind of export"),
    "empty": N_("empty file"), "too_large": N_("file too large"), "encrypted": N_("password-protected"),
    "broken_file": N_("damaged file"), "unsafe_archive": N_("unsafe archive"), "unsafe_xml": N_("unsafe XML"),
    "no_rows": N_("no data rows"), "no_usable_rows": N_("no usable rows"), "several_tables": N_("several tables"),
    "incomplete_sign_in_sheet": N_("sign-in sheet incomplete"), "bad_title_date": N_("title date unreadable"),
}

TEMPLATES = (
    # rows (data/intake/values.py, data/intake/records.py, data/intake/guards.py)
    N_("no NIP (empty, '-', or a guest marker such as 'tamu')"),
    N_("NIP stored as a number: Excel keeps 15 digits, so it is damaged"),
    N_("NIP in scientific notation: its digits are lost"),
    N_("NIP must be 18 digits 0-9, got {detail}"),
    N_("{n} characters"), N_("characters other than 0-9"),
    N_("unknown month name {word}"),
    N_("no such date {day}-{month}-{year}"),
    N_("no such time {hour}:{minute}:{second}"),
    N_("number {number} is not a plausible Excel date"),
    N_("unreadable date {text}"),
    N_("date is empty"),
    N_("not a number: {value}"),
    N_("number is empty"),
    N_("a count cannot be negative: {value}"),
    N_("not a whole count: {value}"),
    N_("count {value} is implausibly large (over {limit})"),
    N_("not a year: {value}"),
    N_("year {year} is outside 2000-2100"),
    N_("unknown {what} {value}"),
    N_("expected Ya or Tidak, got {value}"),
    N_("agency name is empty"),
    N_("agency {name} is not in the agency table; closest: {closest}"),
    N_("{column} is empty"),
    N_("{which} count is empty and there is no total column (the headcount is PNS + PPPK)"),
    N_("headcount is empty"),
    N_("the recap gives no date (title 'Keadaan per ...' or an as-of column)"),
    N_("{dimension} score {score} has more than {decimals} decimals"),
    N_("{dimension} score {score} is outside 1-5"),
    N_("no year (title 'TAHUN 2025' or a Tahun column)"),
    N_("jury score {score} is outside 0-100"),
    N_("jury score {score} has more than 4 decimals"),
    N_("cell {cell} holds a formula with no saved result: open the file in Excel and save it again"),
    N_("the file ends in the middle of this row ({cells} of {width} cells, no final line break): it was cut off; send "
       "the whole file"),
    # notes (data/intake/records.py, data/intake/layout.py, data/ingest.py, data/intake/readers.py, data/intake/guards.py)
    N_("{n} empty row(s) skipped"),
    N_("{n} TOTAL/JUMLAH row(s) skipped"),
    N_("CSV separated by {separator}"),
    N_("every line ends in a stray {character} after its last cell: ignored"),
    N_("hidden sheet {sheet} ignored"),
    N_("sheet {sheet} chosen by its columns out of {sheets}"),
    N_("columns not used: {columns}"),
    N_("{n} total(s) held a formula without a saved result and were computed as PNS + PPPK: {cells}"),
    N_("{n} formula cell(s) without a saved result computed from the sheet: {cells}"),
    N_("1904 date system: dates typed as numbers read from 1904-01-01"),
    N_("{n} asset(s) loaded without an uploader: the uploader NIP was unreadable: {rows}"),
    N_("sheet {sheet} holds {cells} cell(s) spread up to row {row}, column {column}: read cell by cell"),
    N_("sheet {sheet} holds values far apart (last at row {row}): read cell by cell"),
    N_("{n} row(s) hold values right of the header's last column ({column}), not read: {rows}"),
    N_("{n} row(s) whose total differs from PNS + PPPK (the total is used): {rows}"),
    N_("{n} meeting(s) whose quarter label contradicts the date (the date is used): {rows}"),
    N_("the title's date {date} names the wrong day: it is a {weekday} (the date is used)"),
    N_("{n} date(s) whose day name contradicts the date (the date is used): {rows}"),
    N_("{n} CoP(s) found in no register (activity, asset or maturity file), their attendance loaded all the same: "
       "{cops}"),
    N_("same content as import #{import_id} of {when} WIB: nothing changed"),
    N_("the file ends in the middle of row {row}: it looks cut off; that row was rejected (truncated_row)"),
    N_("the last line has no line break while the lines before it have one: the file may be cut off and its last row "
       "incomplete (compare that row with the source: some programs write no final line break)"),
    N_("{rejected} of {read} rows rejected; this {kind} was loaded with only {n} row(s): fix the file and import it "
       "again, or {undo}"),
    N_("{rejected} of {read} rows rejected; this {kind} replaced the stored rows it covers with only {n} row(s): fix "
       "the file and import it again, or {undo}"),
    N_("{rejected} of {read} rows rejected; this {kind} {what}: fix the file and import it again, or {undo}"),
    N_("undo import {order} (Data & impor page, or python -m data.undo {import_id})"),
    N_("undo import {order} (newest first; Data & impor page, or python -m data.undo {import_id})"),
    N_("this roster holds {loaded} employee(s) and replaced the {replaced} stored; if it is not the whole "
       "province's list, {undo}"),
    N_("import #{import_id} is no longer current: import #{newer} replaced its rows; to make this file current "
       "again, {undo}"),
    # held back (data/intake/guards.py): the share is written as a percent (57%), the same in both languages
    N_("this {kind} holds {n} usable row(s) and would replace the {stored} stored (a drop of {drop}): held back, "
       "nothing was imported. Is it the whole list? If it is, import it again confirming the drop (command line: "
       "--allow-shrink; import page: the confirmation box)"),
    N_("same {columns} as row {row} with other values"),
    # undo (data/undo.py)
    N_("import #{import_id} does not exist"),
    N_("database {path} is locked by another process (waited {seconds} s)"),
    N_("import #{import_id} ({file}) is already {status}"),
    N_("import #{import_id} ({file}) cannot be undone before the later import(s) {later} of the same kind; undo "
       "those first"),
    N_("no current {kind} remains: the KPIs that rest on it are 0 or n/a until one is imported"),
    # whole files (data/intake/readers.py, data/intake/formats.py, data/intake/layout.py, data/ingest.py, data/intake/sandbox.py)
    N_("file is {size} bytes; the limit is {limit}"),
    N_("file is empty"),
    N_("the file cannot be opened ({detail})"),
    N_("a value cannot be stored ({detail}); nothing was loaded"),
    N_("this is the demo database (its numbers are made by the product): field data goes into a real database, e.g. "
       "`python -m data.ingest FILES --db data/kmdash.duckdb`, then serve it with KMDASH_DB"),
    N_("file holds no rows"),
    N_("file holds binary data: not a spreadsheet or CSV"),
    N_("file is {what}, not a spreadsheet or CSV{advice}"),
    N_("workbook is password-protected; save it without a password"),
    N_("damaged or truncated xlsx ({detail})"),
    N_("damaged or truncated zip/xlsx file ({detail})"),
    N_("damaged xlsx file ({detail})"),
    N_("damaged {format} file ({detail})"),
    N_("workbook inflates to {size} bytes, over the limit {limit}"),
    N_("{member} declares a DTD or entities; refused for safety"),
    N_("no data rows under the header ({kind})"),
    N_("all {n} rows rejected; {count} for {code}: {example}"),
    N_("no table of a known export kind found (no header row with known column names)"),
    N_("closest kind is {kind} but column(s) {missing} are missing{where}; columns found: {found}"),
    N_(" on sheet {sheet}"),
    N_("recap date in title unreadable: {problem}"),
    N_("the importer failed on this file ({detail}); nothing of it was imported; please report it with the file"),
    N_("reading the file took over {seconds} s; refused"),
    N_("reading the file needed over {seconds} s of processing; refused (a sheet may declare far more cells than it "
       "holds)"),
    N_("reading the file needed over {megabytes} MB of memory; refused (the file is damaged, or a sheet reaches far "
       "past its data: delete the empty rows and columns after the table and save again)"),
    N_("the spreadsheet reader crashed on this file (exit {code}); the file is damaged or of an unknown kind; nothing "
       "was imported"),
    N_("{password} (the xls is encrypted: XOR obfuscation or RC4)"),
    N_("damaged {format} file: the reader failed on it ({detail})"),
    N_("workbook.xml cannot be parsed safely ({detail})"),
    N_("this looks like a sign-in sheet ({kind}: {why}) but {missing} is missing (a column, or a title line such as "
       "'Nama CoP : ...' / 'Tanggal : ...'); it was not read as a roster, which would replace the employee list; "
       "nothing was imported"),
    N_("sheets {sheets} each hold a {kind} table and one file is read as one table: {advice}; nothing was imported"),
)

# Values that are counts (``2,801`` from the importer): written back the page's way (``2.801``).
# Ids, years and values read from the file (``{value}``, ``{import_id}``) are left as written.
COUNT_FIELDS = frozenset({"n", "cells", "row", "rejected", "read", "loaded", "replaced", "stored", "size", "limit",
                          "count", "width", "seconds", "megabytes"})
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_ROW = re.compile(r"\brow (\d{1,3}(?:,\d{3})+|\d+)\b")      # "row 1048576 (XFD1048576 'x')" inside a list of rows

# Values the importer puts into its messages that are words, not data (what a refused file is).
VALUE_WORDS = (
    N_("a 7z archive"),
    N_("a GIF image"),
    N_("a JPEG image"),
    N_("a PDF document"),
    N_("a PNG image"),
    N_("a PowerPoint 97-2003 presentation (ppt)"),
    N_("a PowerPoint presentation (pptx)"),
    N_("a PowerPoint presentation"),
    N_("a RAR archive"),
    N_("a Word 97-2003 document (doc)"),
    N_("a Word document (docm)"),
    N_("a Word document (docx)"),
    N_("a gzip archive"),
    N_("an OpenDocument drawing (.odg)"),
    N_("an OpenDocument presentation (Impress, .odp)"),
    N_("an OpenDocument text document (Writer, .odt)"),
    N_("an RTF document"),
    N_("an empty zip archive"),
    N_("an Excel 2003 XML spreadsheet"),
    N_("an HTML page (a web export saved with a spreadsheet's name)"),
    N_("a zip archive that holds no workbook"),
    N_(": open it in Excel or LibreOffice and save it as xlsx"),
    N_("action"),
    # the weekday a date really is (data.intake.values.WEEKDAY_WORDS)
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"),
    N_("role"),
    N_("status"),
)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """(regex, template) per template, the most literal text first (so a specific template
    wins over a general one such as ``{column} is empty``)."""
    out = []
    for template in TEMPLATES:
        parts = re.split(r"(\{\w+\})", template)
        regex = "".join(f"(?P<{p[1:-1]}>.*?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts)
        literal = sum(len(p) for p in parts if not re.fullmatch(r"\{\w+\}", p))
        out.append((re.compile(f"^{regex}$", re.DOTALL), template, literal))
    return tuple((p, t) for p, t, _ in sorted(out, key=lambda x: -x[2]))


def message(text: str, lang: str) -> str:
    """One importer message (or several joined by ``'; '``) in ``lang``; a message no
    template knows is returned as written."""
    if lang == "en" or not text:
        return text
    return "; ".join(_one(part, lang) for part in _split(text))


def _split(text: str) -> list[str]:
    whole = _one_known(text)
    return [text] if whole or "; " not in text else text.split("; ")


def _one_known(text: str) -> bool:
    return any(p.match(text.removeprefix(WARNING_PREFIX)) for p, _ in _patterns())


def _one(text: str, lang: str) -> str:
    if text.startswith(WARNING_PREFIX):
        return tr("WARNING: ", lang) + _one(text.removeprefix(WARNING_PREFIX), lang)
    for pattern, template in _patterns():
        found = pattern.match(text)
        if found:
            values = {k: _count(v, lang) if k in COUNT_FIELDS and _COUNT.fullmatch(v) else _value(v, lang)
                      for k, v in found.groupdict().items()}
            return tr(template, lang).format(**values)
    return text


def _count(text: str, lang: str) -> str:
    """A count the importer wrote (``2,801`` or ``1048257``) in ``lang``'s way (``2.801``, ``1.048.257``)."""
    return fmt.num(int(text.replace(",", "")), lang)


def _value(text: str, lang: str) -> str:
    """A value inside a message: a message itself, a word the catalogue knows, or as written,
    with each ``row 12,345`` in it as ``baris 12.345``."""
    if _one_known(text):
        return _one(text, lang)
    found = tr(text, lang)
    return _ROW.sub(lambda m: f"{tr('row', lang)} {_count(m.group(1), lang)}", found)


# File names the product itself writes into the import log (not a file's own name).
FILE_NAMES = {EDITED_FILE_NAME: N_("(edited in dashboard)")}


def file_name(name: str | None, lang: str) -> str:
    """An import's file name as shown: a file's own name as written, the product's marker for a
    headcount corrected on the page in words (``(diubah di dasbor)``)."""
    return "" if not name else tr(FILE_NAMES[name], lang) if name in FILE_NAMES else name


def kind_name(kind: str | None, lang: str) -> str:
    """An export kind (``access_log``) in words."""
    return "" if not kind else tr(KIND_NAMES[kind], lang) if kind in KIND_NAMES else kind


def column_name(column: str | None, lang: str) -> str:
    """A kind's column (``event_time``) in words (``Waktu akses``); another name as it is."""
    return "" if not column else tr(COLUMN_NAMES[column], lang) if column in COLUMN_NAMES else column


def reason_name(code: str | None, lang: str) -> str:
    """A reason code (``bad_nip``) as a short label; an unknown code as it is."""
    return "" if not code else tr(REASONS[code], lang) if code in REASONS else code
