"""Finding the table inside a sheet: which sheet, which kind, which header row(s),
which column is which, and what the title block above it says.

The header is found by content: each of the first rows (and each pair of rows, for
two-row headers under merged group cells) is tried against every kind's synonyms;
the candidate that holds all of a kind's required columns and maps the most cells
wins. Merged cells are filled first (a quarter merged down a column becomes the
value of every row it spans).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from data.errors import ImportRefused
from data.intake.kinds import IGNORED_HEADERS, KIND_BY_NAME, KINDS, SYNONYMS, KindSpec, header_key
from data.intake.readers import Sheet, Workbook
from data.intake.values import clean_text

HEADER_SCAN_ROWS = 40
EVENT_KINDS = ("access_log", "attendance")   # rows add up; the other kinds are snapshots (data.store.load)
_ALL_SYNONYMS = {key for index in SYNONYMS.values() for key in index}


@dataclass
class Layout:
    """Where a table sits and how to read it.

    Attributes:
        kind: the export kind (``roster``, ``headcount``, ...).
        sheet: the chosen sheet.
        header_rows: 0-based indices of the header row(s); data starts after the last.
        columns: canonical column -> 0-based column index.
        unmapped: header texts that matched no column of the kind (reported, ignored).
        title: ``label -> value`` pairs and free lines from the rows above the header.
        notes: what a person should know (hidden sheets skipped, sheet chosen, ...).
    """

    kind: str
    sheet: Sheet
    header_rows: list[int]
    columns: dict[str, int]
    unmapped: list[str]
    title_lines: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def spec(self) -> KindSpec:
        """The kind's specification."""
        return KIND_BY_NAME[self.kind]

    @property
    def first_data_row(self) -> int:
        """0-based index of the first row under the header."""
        return self.header_rows[-1] + 1


def fill_merged(sheet: Sheet) -> None:
    """Give every cell of a merged range the value of its top-left cell, in place."""
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= len(sheet.rows):
            continue
        value = sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else None
        for r in range(r0, min(r1, len(sheet.rows) - 1) + 1):
            row = sheet.rows[r]
            if type(row) is not list:           # a sparse sheet's shared empty row
                row = sheet.rows[r] = list(row)
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def _is_text(value: object) -> bool:
    return isinstance(value, str) and clean_text(value) != ""


def _map_header(spec: KindSpec, top: list[object], sub: list[object] | None) -> tuple[dict[str, int], list[str], int]:
    """Map header cells to columns: a sub-header cell first, then 'group sub', then the group."""
    index = SYNONYMS[spec.kind]
    best: dict[str, tuple[int, int]] = {}
    unmapped: list[str] = []
    width = max(len(top), len(sub or []))
    for col in range(width):
        upper = clean_text(top[col]) if col < len(top) else ""
        above = top[col] if col < len(top) else None
        lower = clean_text(sub[col]) if sub and col < len(sub) and sub[col] != above else ""
        tries = [t for t in (lower, f"{upper} {lower}".strip() if lower else "", upper) if t]
        found = next((index[header_key(t)] for t in tries if header_key(t) in index), None)
        if found is None:
            label = " / ".join(t for t in (upper, lower) if t)
            if label and header_key(label) not in IGNORED_HEADERS:
                unmapped.append(label)
            continue
        name, priority = found
        if name not in best or priority < best[name][1]:
            best[name] = (col, priority)
    return {name: col for name, (col, _) in best.items()}, unmapped, len(best)


def cells_beyond_header(layout: Layout) -> list[str]:
    """A note listing the data rows holding values right of the header's last column.

    Such cells (a stray value, a comment typed beside the table) are not read; empty cells
    there (a trailing ``;`` on every row) are ignored without a note. Rows are 1-based, as
    a spreadsheet shows them; at most ten are named, with the cell and its value.
    """
    width = max((c + 1 for r in layout.header_rows for c, v in enumerate(layout.sheet.rows[r]) if clean_text(v)),
                default=0)
    width = max(width, max(layout.columns.values(), default=-1) + 1)
    found = []
    for r in range(layout.first_data_row, len(layout.sheet.rows)):
        row = layout.sheet.rows[r]
        if len(row) > width:
            extra = [(c, v) for c, v in enumerate(row[width:], start=width) if clean_text(v)]
            if extra:
                found.append(f"row {r + 1} ({', '.join(f'{_column_letters(c)}{r + 1} {clean_text(v)[:40]!r}' for c, v in extra[:3])})")
    if not found:
        return []
    shown = ", ".join(found[:10]) + (", ..." if len(found) > 10 else "")
    return [f"{len(found)} row(s) hold values right of the header's last column ({_column_letters(width - 1)}), "
            f"not read: {shown}"]


def _column_letters(col: int) -> str:
    """Spreadsheet letters of a 0-based column (0 -> A, 26 -> AA)."""
    letters, col = "", col + 1
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters or "A"


def _title_values(lines: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in lines:
        label, sep, value = line.partition(":")
        if sep and value.strip():
            values[header_key(label)] = value.strip()
    return values


def _candidates(sheet: Sheet):
    """(spec, header rows, top row, sub row, title lines) for every plausible header,
    scanning no further than two rows past the first row that holds any known header."""
    rows = sheet.rows[:HEADER_SCAN_ROWS]
    title: list[str] = []
    stop_at = len(rows)
    for r, row in enumerate(rows):
        if r > stop_at:
            return
        texts = [clean_text(v) for v in row if _is_text(v)]
        if len(texts) >= 2:
            # a header holds several known column names; a title line ("Nama CoP | : | CoP X") one at most
            if stop_at == len(rows) and sum(header_key(t) in _ALL_SYNONYMS for t in texts) >= 2:
                stop_at = r + 2
            nxt = rows[r + 1] if r + 1 < len(rows) else None
            two_row = nxt is not None and any(_is_text(v) for v in nxt) and not any(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in nxt)
            for spec in KINDS:
                if not (two_row and _maps_any(spec, nxt)):
                    yield spec, [r], row, None, title   # a header-like row below: not a one-row header
                if two_row:
                    yield spec, [r, r + 1], row, nxt, title
        filled = [clean_text(v) for v in row if v is not None and clean_text(v)]   # dates too, as ISO text
        title = title + [t for t in dict.fromkeys(texts + _joined_label(filled)) if t not in title]


def _joined_label(texts: list[str]) -> list[str]:
    """A title line whose label and value sit in separate cells (``Nama CoP | : | CoP X``,
    ``Tanggal | 2 Maret 2026``) as the one ``label : value`` line the title parser reads."""
    if not 2 <= len(texts) <= 4 or (":" in texts[0] and not texts[0].endswith(":")):
        return []                       # one cell, or the first already holds "label : value"
    value = " ".join(t for t in texts[1:] if t != ":").lstrip(": ").strip()
    return [f"{texts[0].rstrip(': ')} : {value}"] if value else []


def _maps_any(spec: KindSpec, row: list[object]) -> bool:
    """Whether a row holds a header text of ``spec`` that its row above does not explain
    (a sub-header such as PNS / PPPK under a merged group cell)."""
    index = SYNONYMS[spec.kind]
    return sum(header_key(v) in index for v in row if _is_text(v)) >= 2


def _score(spec: KindSpec, columns: dict[str, int], title: list[str]) -> tuple[bool, list[str]]:
    title_labels = _title_values(title)
    missing = []
    for column in spec.required():
        if column.name in columns or (column.instead and all(c in columns for c in column.instead)):
            continue
        if column.title_ok and title_from_block(spec, column.name, title, title_labels) is not None:
            continue
        missing.append(column.name)
    return not missing, missing


def find_layout(book: Workbook) -> Layout:
    """Choose the sheet, kind and header of a workbook.

    Hidden sheets are never read (a note says which were skipped). Among visible
    sheets the best-matching table wins; the choice is noted when there were several.

    Raises:
        ImportRefused: ``unknown_kind`` naming the headers found and, for the
            nearest kind, the columns it expected but did not find.
    """
    notes = [f"hidden sheet '{s.name}' ignored" for s in book.sheets if s.hidden]
    best, nearest = None, None
    tables: dict[tuple[str, str], int] = {}   # (sheet, kind) -> index of its first row under the header
    for sheet in (s for s in book.sheets if not s.hidden):
        fill_merged(sheet)
        for spec, header_rows, top, sub, title in _candidates(sheet):
            columns, unmapped, mapped = _map_header(spec, top, sub)
            ok, missing = _score(spec, columns, title)
            rank = (mapped - len(unmapped) * 0.1 - len(header_rows) * 0.01)
            if ok:
                tables.setdefault((sheet.name, spec.kind), header_rows[-1] + 1)
            # a data sheet before an example sheet; on equal columns, the longer table (a roster
            # before the per-agency recap of it), whatever the order of the sheets
            rank = (not _EXAMPLE_SHEET.search(sheet.name), rank, len(sheet.rows) - header_rows[-1])
            if ok and (best is None or rank > best[0]):
                best = (rank, Layout(spec.kind, sheet, header_rows, columns, unmapped, title))
            if not ok and mapped >= 2 and (nearest is None or mapped > nearest[0]):
                nearest = (mapped, spec, missing, [clean_text(v) for v in top if _is_text(v)], sheet.name)
    if best is None:
        raise ImportRefused(book.file_name, "unknown_kind", _unknown_kind_message(book, nearest))
    layout = _sign_in_sheet_checked(book, best[1])
    _refuse_second_table(book, layout, tables)
    visible = [s.name for s in book.sheets if not s.hidden]
    if len(visible) > 1:
        notes.append(f"sheet '{layout.sheet.name}' chosen by its columns out of {visible}")
    layout.notes = notes + book.notes
    return layout


# Columns a roster never has but a sign-in sheet or form export does (a date alone is not one:
# a roster may carry the date it was drawn up).
_ATTENDANCE_ONLY = ("cop", "activity_title", "role", "submitted_at", "signature", "presence")
_SIGN_IN_WORDS = re.compile(r"\b(?:daftar\s+hadir|presensi|absensi)\b", re.IGNORECASE)


def _sign_in_sheet_checked(book: Workbook, layout: Layout) -> Layout:
    """A sign-in sheet whose CoP or date is missing still holds NIP, name and agency, the
    columns of a roster; read as a roster it would replace the whole employee list. A
    'roster' with attendance columns (role, signature, activity, timestamp) or a sign-in
    title is refused instead, naming what the sign-in sheet lacks. One that lacks nothing
    (its title gives the CoP, activity and date, and the roster reading only tied with it:
    a header of NIP / Nama / Perangkat Daerah, or a Status column beside one sign-in column)
    is read as the sign-in sheet it is.

    Returns:
        ``layout``, or the attendance reading of its header.

    Raises:
        ImportRefused: ``incomplete_sign_in_sheet``.
    """
    if layout.kind != "roster":
        return layout
    spec = KIND_BY_NAME["attendance"]
    rows = [layout.sheet.rows[r] for r in layout.header_rows]
    columns, unmapped, _ = _map_header(spec, rows[0], rows[1] if len(rows) > 1 else None)
    tells = [c for c in _ATTENDANCE_ONLY if c in columns]
    titled = any(_SIGN_IN_WORDS.search(line) for line in [*layout.title_lines, layout.sheet.name])
    if not tells and not titled:
        return layout
    _, missing = _score(spec, columns, layout.title_lines)
    if not missing:
        return Layout(spec.kind, layout.sheet, layout.header_rows, columns, unmapped, layout.title_lines)
    headers = [clean_text(rows[-1][columns[c]]) for c in tells]
    why = f"columns {headers}" if headers else "a sign-in title or sheet name"
    raise ImportRefused(book.file_name, "incomplete_sign_in_sheet",
                        f"this looks like a sign-in sheet ({spec.label}: {why}) but {missing} is missing "
                        f"(a column, or a title line such as 'Nama CoP : ...' / 'Tanggal : ...'); it was not read as "
                        f"a roster, which would replace the employee list; nothing was imported")


# A sheet that shows how to fill the export in (its example rows are not data).
_EXAMPLE_SHEET = re.compile(r"petunjuk|contoh|template|panduan|instruksi|cara pengisian|example|instruction|readme",
                            re.IGNORECASE)


def _refuse_second_table(book: Workbook, layout: Layout, tables: dict[tuple[str, str], int]) -> None:
    """A file is one table: a second visible sheet holding rows of the same kind is refused,
    never dropped (a roster split into a PNS and a PPPK sheet, a log with a sheet per month).

    Raises:
        ImportRefused: ``several_tables``, naming the sheets.
    """
    others = [s.name for s in book.sheets if not s.hidden and s is not layout.sheet
              and (s.name, layout.kind) in tables and not _EXAMPLE_SHEET.search(s.name)
              and any(any(clean_text(v) for v in row) for row in s.rows[tables[(s.name, layout.kind)]:])]
    if others:
        sheets = ", ".join(f"'{name}'" for name in [layout.sheet.name, *others])
        advice = ("put all rows in one sheet: a roster is one snapshot, and a second file would replace the first"
                  if layout.kind == "roster" else "put all rows in one sheet, or save each sheet as its own file")
        raise ImportRefused(book.file_name, "several_tables",
                            f"sheets {sheets} each hold a {layout.spec.label} table and one file is read as one table: "
                            f"{advice}; nothing was imported")


def _unknown_kind_message(book: Workbook, nearest) -> str:
    if nearest is None:
        return "no table of a known export kind found (no header row with known column names)"
    _, spec, missing, found, sheet = nearest
    where = f" on sheet '{sheet}'" if sheet else ""
    return (f"closest kind is '{spec.label}' but column(s) {missing} are missing{where}; "
            f"columns found: {found}")


_SIGNIN_HEADING = re.compile(r"daftar\s+hadir\s*(?:kegiatan\s*)?(?:[-:]\s*)?(cop\b.*)$", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:tahun|year)\s+(\d{4})\b", re.IGNORECASE)
# "CoP MATURITY ASSESSMENT 2025", "KM AWARD 2026": the one year of an assessment's title line
_ASSESSMENT_YEAR = re.compile(r"^(?=.*\b(?:maturit\w*|assessment|penilaian|award|juri|jury)\b)(?!.*\b(?:19|20)\d{2}\b.*\b(?:19|20)\d{2}\b)"
                              r".*\b((?:19|20)\d{2})\b", re.IGNORECASE)
_AS_OF = re.compile(r"\b(?:keadaan|posisi|per\s+tanggal|as\s+of)\b\s*(?:per\s+)?:?\s*(.+)$", re.IGNORECASE)
_TITLE_LABELS = {
    "cop": ("nama cop", "cop", "komunitas", "nama komunitas"),
    "activity_title": ("kegiatan", "nama kegiatan", "judul kegiatan", "acara", "topik"),
    "activity_date": ("hari/tanggal", "hari tanggal", "tanggal", "tanggal kegiatan", "hari, tanggal", "waktu"),
    "year": ("tahun", "tahun penilaian"),
    "as_of": ("keadaan per", "per tanggal", "tanggal data", "posisi"),
}


def title_from_block(spec: KindSpec, column: str, lines: list[str], labels: dict[str, str] | None = None) -> str | None:
    """The value a title block gives for ``column`` (``Kegiatan : ...``,
    ``DAFTAR HADIR KEGIATAN COP X``, ``... TAHUN 2025``, ``Keadaan per 30 Juni 2026``), or None."""
    labels = _title_values(lines) if labels is None else labels
    for label in _TITLE_LABELS.get(column, ()):
        if header_key(label) in labels:
            return labels[header_key(label)]
    for line in lines:
        if column == "cop" and (m := _SIGNIN_HEADING.search(line)):
            return m.group(1).strip()
        if column == "year" and (m := _YEAR.search(line) or _ASSESSMENT_YEAR.search(line)):
            return m.group(1)
        if column == "as_of" and (m := _AS_OF.search(line)):
            return m.group(1).strip()
    return None


def instrument_from_block(lines: list[str]) -> str | None:
    """The maturity instrument's name and version from ``Instrumen: ...``, or None."""
    labels = _title_values(lines)
    return labels.get("instrumen") or labels.get("instrument")
