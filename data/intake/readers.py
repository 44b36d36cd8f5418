"""Reading a file of any shape the field sends into plain grids of cells.

A file is recognised by its content, never by its extension (``data.intake.formats.sniff``):
an OOXML workbook (xlsx, xlsm, xlsb; its workbook part found through the package's
relationships), an OpenDocument spreadsheet (ods), a legacy xls, all read with
python-calamine; anything else must decode as text (UTF-16 with or without BOM, UTF-8
with or without BOM, else Windows-1252) and is read as CSV with the delimiter sniffed
(``,`` ``;`` tab ``|``). Unsafe files are refused before any parsing: over the size
limit, archives that inflate far past their size, XML with a DTD or entity declaration.
An xlsx whose cells lie far apart is read cell by cell (``data.intake.sparse_xlsx``). Any
error of the reader, a Rust panic included, becomes a refusal. ``data.intake.sandbox`` runs
this in a child process with memory and CPU limits.
"""
from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from defusedxml import ElementTree as SafeET

from data.errors import ImportRefused
from data.intake.formats import sniff, standard_workbook_copy
from data.intake.formula_cells import formula_gaps_in, formula_texts_in  # noqa: F401 - formula_gaps_in: for callers of this module
from data.intake import sparse_ods
from data.intake.sparse_xlsx import read_sparse, sparse_extent

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_INFLATE_RATIO = 100
MAX_INFLATED_BYTES = 1024 * 1024 * 1024



@dataclass
class Sheet:
    """One grid of cells.

    Attributes:
        name: the sheet's name (``""`` for a CSV).
        rows: the cells, row 0 being the file's row 1; values are ``str``, ``float``,
            ``int``, ``bool``, ``datetime``/``date`` or ``None`` (CSV cells are ``str``).
        hidden: the sheet is hidden in the workbook.
        merged: merged ranges as ``((first_row, first_col), (last_row, last_col))``, 0-based.
    """

    name: str
    rows: list[list[object]]
    hidden: bool = False
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    formula_gaps: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based: formula text, no saved result
    date1904: bool = False  # the workbook counts serial day numbers from 1904-01-01 (old Mac Excel)
    sparse: bool = False    # read cell by cell (data.intake.sparse_xlsx): rows ragged, empty rows the shared ``()``


@dataclass
class Workbook:
    """A file read into sheets, with the format it was found to be (``xlsx``, ``xls``, ``csv``)."""

    file_name: str
    file_format: str
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    delimiter: str | None = None   # CSV only
    truncated: bool = False        # CSV read only up to ``head_rows``
    rewritten: bool = False        # CSV cells differ from the file's raw text (a stray separator dropped)


def read_workbook(path: Path, *, display_name: str | None = None, max_bytes: int = MAX_FILE_BYTES,
                  head_rows: int | None = None) -> Workbook:
    """Read ``path`` into sheets, recognising its format from its first bytes.

    Args:
        path: the file.
        display_name: the name to report (an upload's original name); defaults to the file name.
        max_bytes: files larger than this are refused before reading.
        head_rows: for a CSV, read only this many rows (enough to find the header);
            the workbook is then marked ``truncated``. Spreadsheets are always read whole.

    Raises:
        ImportRefused: ``too_large``, ``empty``, ``not_a_spreadsheet``, ``encrypted``,
            ``unsafe_archive``, ``unsafe_xml``, ``broken_file``.
    """
    name = display_name or path.name
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportRefused(name, "too_large", f"file is {size:,} bytes; the limit is {max_bytes:,}")
    if size == 0:
        raise ImportRefused(name, "empty", "file is empty")
    file_format = sniff(path, name)
    if file_format in ("xlsx", "xlsm"):
        return _read_xlsx(path, name, file_format)
    if file_format in ("ods", "xlsb"):
        _check_zip(path, name)
    if file_format == "ods" and _sparse_ods(path, name):
        return _read_sparse_ods(path, name)
    if file_format != "csv":
        return _read_with_calamine(path, name, file_format)
    return _read_csv(path, name, head_rows)


def _check_zip(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            inflated = sum(m.file_size for m in members)
            limit = min(MAX_INFLATED_BYTES, max(path.stat().st_size * MAX_INFLATE_RATIO, 50 * 1024 * 1024))
            if inflated > limit:
                raise ImportRefused(name, "unsafe_archive", f"workbook inflates to {inflated:,} bytes, over the limit {limit:,}")
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as handle:
                        _check_xml(handle.read(65536), name, member.filename)
    except zipfile.BadZipFile as exc:
        raise ImportRefused(name, "broken_file", f"damaged or truncated xlsx ({exc})") from exc


def _check_xml(head: bytes, name: str, member: str) -> None:
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ImportRefused(name, "unsafe_xml", f"{member} declares a DTD or entities; refused for safety")


def _read_xlsx(path: Path, name: str, file_format: str) -> Workbook:
    _check_zip(path, name)
    with tempfile.TemporaryDirectory(prefix="kmdash-read-") as folder:
        copy = Path(folder) / "workbook.xlsx"
        return _read_xlsx_parts(copy if standard_workbook_copy(path, copy) else path, name, file_format)


def _read_xlsx_parts(path: Path, name: str, file_format: str) -> Workbook:
    """An xlsx whose workbook part is ``xl/workbook.xml``."""
    with zipfile.ZipFile(path) as archive:
        try:
            workbook_xml = SafeET.fromstring(archive.read("xl/workbook.xml"))
        except Exception as exc:  # defusedxml raises several unrelated types; all mean "refuse"
            raise ImportRefused(name, "unsafe_xml", f"workbook.xml cannot be parsed safely ({type(exc).__name__})") from exc
        gaps, sparse = _scan_sheets(archive, workbook_xml)
    properties = workbook_xml.find("m:workbookPr", _NS)
    date1904 = properties is not None and properties.get("date1904", "").strip().lower() in ("1", "true")
    book = _read_sparse(path, name, sparse) if sparse else _read_with_calamine(path, name, file_format)
    for sheet in book.sheets:
        sheet.formula_gaps = gaps.get(sheet.name, {})
        sheet.date1904 = date1904
    return book


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def _sheet_parts(archive: zipfile.ZipFile, workbook_xml) -> dict[str, str]:
    """Sheet name -> its XML part inside the archive."""
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
    parts = {}
    for sheet in workbook_xml.iter(f"{{{_NS['m']}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _scan_sheets(archive: zipfile.ZipFile, workbook_xml) -> tuple[dict[str, dict[tuple[int, int], str]], dict[str, tuple]]:
    """Per sheet, the cells holding a formula without a saved result (0-based row, col);
    and the sheets whose cells lie far apart (``data.intake.sparse_xlsx.sparse_extent``)."""
    names = set(archive.namelist())
    gaps, sparse = {}, {}
    for sheet, part in _sheet_parts(archive, workbook_xml).items():
        if part in names:
            xml = archive.read(part)
            gaps[sheet] = formula_texts_in(xml)
            if (extent := sparse_extent(xml)) is not None:
                sparse[sheet] = extent
    return gaps, sparse


def _read_sparse(path: Path, name: str, sparse: dict[str, tuple]) -> Workbook:
    """An xlsx with a sheet whose cells lie far apart, read cell by cell (``data.intake.sparse_xlsx``)."""
    try:
        sheets = read_sparse(path)
    except (KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile, SafeET.ParseError) as exc:
        raise ImportRefused(name, "broken_file", f"damaged xlsx file ({type(exc).__name__}: {str(exc)[:120]})") from exc
    notes = [f"sheet '{sheet}' holds {cells:,} cell(s) spread up to row {row:,}, column {_letters(col)}: "
             f"read cell by cell" for sheet, (cells, row, col) in sparse.items()]
    return Workbook(name, "xlsx", sheets, notes=notes)


def _sparse_ods(path: Path, name: str) -> bool:
    try:
        return sparse_ods.is_sparse(path)
    except (KeyError, zipfile.BadZipFile) as exc:
        raise ImportRefused(name, "broken_file", f"damaged ods file ({type(exc).__name__}: {str(exc)[:120]})") from exc


def _read_sparse_ods(path: Path, name: str) -> Workbook:
    """An ods with a long run of empty rows or columns before a value, read cell by cell."""
    try:
        sheets = sparse_ods.read_sparse(path)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, SafeET.ParseError) as exc:
        raise ImportRefused(name, "broken_file", f"damaged ods file ({type(exc).__name__}: {str(exc)[:120]})") from exc
    notes = [f"sheet '{s.name}' holds values far apart (last at row {len(s.rows):,}): read cell by cell"
             for s in sheets if not s.hidden]
    return Workbook(name, "ods", sheets, notes=notes)


def _letters(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_with_calamine(path: Path, name: str, file_format: str) -> Workbook:
    try:
        with path.open("rb") as handle:     # by content: from_path would choose the reader by the file's extension
            book = python_calamine.CalamineWorkbook.from_filelike(handle)
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append(Sheet(meta.name, [r if type(r) is list else list(r) for r in rows], hidden, merged))
    except python_calamine.PasswordError as exc:
        raise ImportRefused(name, "encrypted", "workbook is password-protected; save it without a password") from exc
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError) as exc:
        raise ImportRefused(name, "broken_file", f"damaged {file_format} file ({str(exc)[:120]})") from exc
    except BaseException as exc:  # calamine's Rust panics arrive as pyo3's PanicException, a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        detail = " ".join(str(exc).split())[:120]
        raise ImportRefused(name, "broken_file", f"damaged {file_format} file: the reader failed on it "
                                                 f"({type(exc).__name__}: {detail})") from exc
    return Workbook(name, file_format, sheets)


def decode_text(raw: bytes, name: str) -> str:
    """Text of a CSV: UTF-16 with a BOM (Excel's "Unicode Text"), or UTF-16 without one when
    every other byte is NUL, else UTF-8 (a BOM is dropped), else Windows-1252.

    Raises:
        ImportRefused: ``not_a_spreadsheet`` when the bytes hold NUL characters (binary data).
    """
    utf16 = _utf16(raw)
    if utf16 is not None:
        return raw.decode(utf16, errors="replace").lstrip("\ufeff")
    if b"\x00" in raw[:65536]:
        raise ImportRefused(name, "not_a_spreadsheet", "file holds binary data: not a spreadsheet or CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _utf16(raw: bytes) -> str | None:
    """The UTF-16 codec of the text, or None: by its BOM, else by NULs in every other byte."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = raw[:4096]
    if len(sample) >= 4:
        for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
            if zeros.count(0) == len(zeros):
                return codec
    return None


def _read_csv(path: Path, name: str, head_rows: int | None) -> Workbook:
    if head_rows is not None:
        with path.open("rb") as handle:
            raw = handle.read(256 * 1024)
        truncated = len(raw) == 256 * 1024
        if truncated and b"\n" in raw:
            raw = raw[: raw.rfind(b"\n") + 1]
    else:
        raw, truncated = path.read_bytes(), False
    text = decode_text(raw, name)
    if not text.strip():
        raise ImportRefused(name, "empty", "file holds no rows")
    text, stray = _drop_stray_after_line_break(text)
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    ending = next((sep for sep in _SEPARATORS if lines and all(line.endswith(sep) for line in lines)), None)
    sample = "\n".join(line[:-1] if ending else line for line in lines)   # sniffed without the stray ending
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        delimiter = max(_SEPARATORS, key=sample.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [list(r) for _, r in zip(range(head_rows), reader)] if head_rows is not None else [list(r) for r in reader]
    if ending and ending != delimiter:     # the file's own separator ending a line is an empty last cell
        stray = stray or _drop_stray_line_end(rows, ending)
    notes = [] if delimiter == "," else [f"CSV separated by {delimiter!r}"]
    if stray:
        notes.insert(0, f"every line ends in a stray {stray!r} after its last cell: ignored")
    return Workbook(name, "csv", [Sheet("", rows)], notes=notes, delimiter=delimiter,
                    truncated=head_rows is not None and (truncated or len(rows) == head_rows),
                    rewritten=bool(stray))


_SEPARATORS = ",;\t|"


def _drop_stray_after_line_break(text: str) -> tuple[str, str | None]:
    """Windows lines with a separator appended after the line break (``\\r;\\n``, as
    ``sed 's/$/;/'`` makes of a CRLF file): when EVERY ``\\n`` of the text follows ``\\r``
    and the same separator, that separator is dropped (``\\r\\n``). Otherwise the ``\\r`` ends
    one row and the separator makes a second, bogus one.

    Returns:
        the text, and the separator dropped (None when the text is left as it was).
    """
    breaks = text.count("\n")
    for sep in _SEPARATORS:
        if breaks and text.count(f"\r{sep}\n") == breaks:
            text = text.replace(f"\r{sep}\n", "\r\n")
            if text.endswith(sep):      # the last line, without a line break, got the separator too
                text = text[: -len(sep)]
            return text, sep
    return text, None


def _drop_stray_line_end(rows: list[list[str]], sep: str) -> str | None:
    """``sep``, a separator other than the file's own, ending EVERY non-blank row
    (``a,b,c;``): an empty extra cell of another separator. It is cut off the last cell of
    each row, in place. (The file's own separator ending a row is an empty last cell and
    needs nothing.)

    Returns:
        ``sep`` when it was cut off, else None (rows unchanged: some row does not end in it).
    """
    filled = [r for r in rows if any(cell.strip() for cell in r)]
    if not filled or not all(r[-1].endswith(sep) for r in filled):
        return None
    for r in filled:
        r[-1] = r[-1][: -len(sep)]
    return sep
