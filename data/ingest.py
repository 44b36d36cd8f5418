"""Import field exports into the store: the one path used by the command line and the
dashboard's import page.

``python -m data.ingest PATH [PATH ...] [--db FILE] [--json] [--allow-shrink]``

PATH is a file or a folder (its files, sorted by name, hidden files skipped). Each
file is read and parsed without touching the database, then written in its own
transaction. Exit codes: 0 every file imported (rows may still have been rejected,
and are reported); 3 at least one file refused as a whole (the others are imported);
2 wrong usage; 4 the database stayed locked past the wait; 5 no file refused but a
roster or headcount recap held back, because it holds under two thirds of the rows it
would replace (nothing of it loaded; run again with ``--allow-shrink`` if it is whole).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from data.intake.agencies import AgencyTable, load_agency_table
from data.ops.audit import record
from data.command import command
from data.config import operator_name
from data.errors import ConfigError, DatabaseBusy, ImportRefused, KmdashError, SchemaTooNew, StoreUnusable
from data.intake.bulk import bulk_applies, parse_bulk
from data.intake.guards import cut_last_line, open_last_line_note, reject_cut_row, shrink_message, unregistered_cops
from data.intake.formula_eval import fill_formula_gaps
from data.intake.fastcsv import fast_path_applies, parse_csv_fast
from data.intake.layout import EVENT_KINDS, HEADER_SCAN_ROWS, cells_beyond_header, find_layout
from data.store.load import TABLES, load_table
from data.store.pseudonym import KeyMismatch
from data.logging_setup import configure_logging
from data.intake.readers import MAX_FILE_BYTES
from data.intake.sandbox import read_untrusted
from data.intake.records import parse_table, serials_to_1900
from data.store.connection import connect, db_path, get_meta
from data.intake.values import clean_text

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USAGE, EXIT_REFUSED, EXIT_BUSY, EXIT_HELD = 0, 2, 3, 4, 5
HEAD_ROWS = HEADER_SCAN_ROWS + 2  # CSV rows read to find the header before choosing a path
# a value the checks let through but the store cannot hold
_VALUE_ERRORS = (duckdb.ConversionException, duckdb.OutOfRangeException, duckdb.ConstraintException,
                 duckdb.InvalidInputException)
WARNING = "WARNING: "   # the start of a note a person must act on (the import page shows it as a warning)


@dataclass
class FileResult:
    """What happened to one file.

    ``status`` is ``imported``, ``already_imported`` (same content hash loaded before:
    nothing changed), ``refused`` (``reason`` says why; nothing of it was loaded) or
    ``held_back`` (a snapshot far smaller than the one it would replace: nothing loaded
    until the person confirms; ``reason`` says so).
    Counts satisfy ``rows_read = rows_loaded + rows_duplicate + rows_rejected``.
    """

    file: str
    status: str
    kind: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    rows_replaced: int = 0
    import_id: int | None = None
    reason: str | None = None
    reason_code: str | None = None
    notes: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files named, and the files of folders named (sorted, not recursive, skipping
    hidden files and Office lock files ``~$...``).

    Raises:
        FileNotFoundError: a path that does not exist.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(str(path))
    return files


DEMO_REFUSAL = ("this is the demo database (its numbers are made by the product): field data goes into a real "
                "database, e.g. `python -m data.ingest FILES --db data/kmdash.duckdb`, then serve it with KMDASH_DB")


def ingest_file(path: Path, *, db: str | os.PathLike | None = None, display_name: str | None = None,
                imported_by: str | None = None, agencies: AgencyTable | None = None,
                allow_shrink: bool = False) -> FileResult:
    """Read, parse and load one file. A refused file gives a ``refused`` result, not an error
    (so is any file offered to the demo database: ``demo_database``, nothing changes);
    a snapshot that would replace far more rows than it holds gives ``held_back`` (nothing
    loaded) unless ``allow_shrink`` (``data.intake.guards.shrink_message``).

    Raises:
        DatabaseBusy: the database stayed locked past the wait (nothing was written).
    """
    name = display_name or path.name
    if db_path(db).exists():
        with connect(db, read_only=True) as con:
            demo = get_meta(con, "is_demo") == "true"
        if demo:
            return FileResult(name, "refused", reason_code="demo_database", reason=DEMO_REFUSAL)
    agencies = agencies or load_agency_table()
    try:
        sha = file_sha256(path) if path.stat().st_size <= MAX_FILE_BYTES else None
    except OSError as exc:
        return FileResult(name, "refused", reason_code="unreadable_file", reason=f"the file cannot be opened ({exc.strerror})")
    if sha is not None and db_path(db).exists():      # a file imported before is not parsed again
        with connect(db, read_only=True) as con:
            done = _earlier_import(con, name, sha)
        if done is not None:
            return done
    try:
        book, layout, table = _parse(path, name, agencies)
        _refuse_if_unusable(table, name)
    except ImportRefused as refused:
        log.info("import refused file=%s reason=%s", name, refused.reason_code)
        return FileResult(name, "refused", reason=refused.message, reason_code=refused.reason_code)
    except Exception as exc:  # noqa: BLE001 - one file's fault must not stop a folder import or the page
        fault = importer_fault(name, exc)
        return FileResult(name, "refused", reason=fault.message, reason_code=fault.reason_code)
    result = FileResult(name, "imported", kind=layout.kind, sheet=layout.sheet.name,
                        header_row=layout.header_rows[-1] + 1, notes=list(dict.fromkeys(layout.notes + table.notes)))
    sha = sha or file_sha256(path)
    with connect(db) as con:
        done = _earlier_import(con, name, sha)      # again under the write lock: another import may have won
        if done is not None:
            return done
        held = None if allow_shrink else shrink_message(con, layout, table)
        if held is not None:
            log.info("import held back file=%s reason=shrink", name)
            return FileResult(name, "held_back", kind=layout.kind, sheet=layout.sheet.name, reason=held,
                              reason_code="shrink", rows_read=table.rows_read, notes=result.notes)
        result.notes.extend(unregistered_cops(con, table))
        try:
            counts = load_table(con, table, file_name=name, sha256=sha, file_format=book.file_format,
                                imported_by=imported_by or operator_name(), notes=result.notes)
        except _VALUE_ERRORS as exc:
            log.error("import refused file=%s reason=unstorable_value detail=%s", name, str(exc).splitlines()[0])
            return FileResult(name, "refused", kind=layout.kind, reason_code="unstorable_value",
                              reason=f"a value cannot be stored ({str(exc).splitlines()[0][:160]}); nothing was loaded")
        except (duckdb.Error, KmdashError):
            raise                                   # the database itself: the command stops (data.ingest.main)
        except Exception as exc:  # noqa: BLE001 - rolled back by load_table; the other files go on
            fault = importer_fault(name, exc)
            return FileResult(name, "refused", kind=layout.kind, reason=fault.message, reason_code=fault.reason_code)
        record(con, imported_by or operator_name(), "import",
               f"import_id={counts.import_id} file={name} kind={layout.kind} loaded={counts.loaded} "
               f"rejected={counts.rejected}")
    result.import_id, result.rows_read, result.rows_loaded = counts.import_id, counts.read, counts.loaded
    result.rows_duplicate, result.rows_rejected, result.rows_replaced = counts.duplicate, counts.rejected, counts.replaced
    if layout.kind == "roster" and counts.replaced > 2 * counts.loaded:
        result.notes.insert(0, f"{WARNING}this roster holds {counts.loaded} employee(s) and replaced the {counts.replaced} "
                               f"stored; if it is not the whole province's list, {_undo_hint([counts.import_id])}")
    if layout.kind not in EVENT_KINDS and counts.rejected > counts.loaded:
        # loaded all the same, so every rejected row can be listed and fixed in one go
        what = (f"replaced the stored rows it covers with only {counts.loaded} row(s)" if counts.replaced
                else f"was loaded with only {counts.loaded} row(s)")
        result.notes.insert(0, f"{WARNING}{counts.rejected} of {counts.read} rows rejected; this {layout.spec.label} "
                               f"{what}: fix the file and import it again, or {_undo_hint([counts.import_id])}")
    return result


def _undo_hint(import_ids: list[int]) -> str:
    """How to undo these imports, newest first (``import_ids`` oldest first)."""
    order = ", then ".join(f"#{i}" for i in reversed(import_ids))
    newest_first = " (newest first; " if len(import_ids) > 1 else " ("
    return f"undo import {order}{newest_first}Data & impor page, or python -m data.undo {import_ids[-1]})"


@dataclass
class Preview:
    """What a file looks like to the importer, before anything is loaded.

    ``columns`` maps each canonical column found to the header text it came from;
    ``sample`` holds up to five data rows as written (a list of lists of text) and ``header``
    the header text above each of their columns (``""`` where there is none).
    ``reason`` (the message) and ``reason_code`` are set (and the rest empty) when the file
    would be refused.
    """

    file: str
    kind: str | None = None
    kind_label: str | None = None
    file_format: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sample: list[list[str]] = field(default_factory=list)
    reason: str | None = None
    header: list[str] = field(default_factory=list)   # the header row's texts, one per sample column
    reason_code: str | None = None


def preview_file(path: Path, *, display_name: str | None = None) -> Preview:
    """Detect a file's kind, sheet, header row and column mapping without loading it."""
    name = display_name or path.name
    try:
        book = read_untrusted(path, display_name=name, head_rows=HEAD_ROWS)
        layout = find_layout(book)
    except ImportRefused as refused:
        return Preview(name, reason=refused.message, reason_code=refused.reason_code)
    except Exception as exc:  # noqa: BLE001 - the page previews every upload: one file's fault must not stop it
        fault = importer_fault(name, exc)
        return Preview(name, reason=fault.message, reason_code=fault.reason_code)
    header = layout.sheet.rows[layout.header_rows[-1]]
    top = layout.sheet.rows[layout.header_rows[0]]
    columns = {c: " / ".join(dict.fromkeys(str(v).strip() for v in (top[i], header[i]) if str(v or "").strip()))
               for c, i in layout.columns.items() if i < len(header)}
    rows = layout.sheet.rows[layout.first_data_row:layout.first_data_row + 5]
    sample = [[clean_text(v) for v in row] for row in rows]
    width = max([len(header), *map(len, sample)])
    texts = [" / ".join(dict.fromkeys(clean_text(r[i]) for r in (top, header) if i < len(r) and clean_text(r[i])))
             for i in range(width)]
    return Preview(name, layout.kind, layout.spec.label, book.file_format, layout.sheet.name,
                   layout.header_rows[-1] + 1, columns, layout.unmapped, layout.notes, sample, header=texts)


def importer_fault(name: str, exc: BaseException) -> ImportRefused:
    """The refusal given for an unexpected error while reading or parsing a file (a fault of
    the importer, not of the person): logged with its traceback, reported as one line
    naming the error, code ``importer_fault``."""
    log.error("import failed file=%s error=%s", name, type(exc).__name__, exc_info=exc)
    detail = " ".join(str(exc).split())[:160]
    return ImportRefused(name, "importer_fault", f"the importer failed on this file ({type(exc).__name__}: {detail}); "
                                                 f"nothing of it was imported; please report it with the file")


def _parse(path: Path, name: str, agencies: AgencyTable):
    """Read and parse one file: a CSV access log through ``data.intake.fastcsv``, rosters and other
    access logs column-wise (``data.intake.bulk``), the other kinds row by row.

    Raises:
        ImportRefused: the file as a whole cannot be used.
    """
    book = read_untrusted(path, display_name=name, head_rows=HEAD_ROWS)
    layout = find_layout(book)
    cut = cut_last_line(path, book, layout)
    open_end = [] if cut is not None else [n for n in [open_last_line_note(path, book)] if n]  # maybe cut in a cell
    if cut is None and not book.rewritten and fast_path_applies(layout, book.file_format):  # DuckDB reads the raw file
        table = parse_csv_fast(path, layout, book.delimiter)
        if table is not None:
            table.notes[:0] = open_end
            table.notes.extend(layout.notes)
            return book, layout, table
    if book.truncated:
        book = read_untrusted(path, display_name=name)
        layout = find_layout(book)
    if cut is not None:                    # the cut row is rejected, not parsed as if whole
        layout.sheet.rows.pop()
    if serials_to_1900(layout):
        layout.notes.append("1904 date system: dates typed as numbers read from 1904-01-01")
    filled = fill_formula_gaps(layout)
    table = (parse_bulk if bulk_applies(layout) else parse_table)(layout, agencies)
    table.notes[:0] = open_end
    table.notes.extend(filled + cells_beyond_header(layout))
    if cut is not None:
        reject_cut_row(layout, table, cut, len(layout.sheet.rows) + 1)
    return book, layout, table


def _earlier_import(con: duckdb.DuckDBPyConnection, name: str, sha: str) -> FileResult | None:
    """The ``already_imported`` result when a file with this content was loaded before, else None.

    Reads: import_log, and the kind's table (whether a later snapshot replaced its rows)."""
    earlier = con.execute("SELECT import_id, imported_at, kind, sheet, header_row FROM import_log "
                          "WHERE content_sha256 = ? AND status = 'loaded' ORDER BY import_id LIMIT 1", [sha]).fetchall()
    if not earlier:
        return None
    import_id, imported_at, kind, sheet, header_row = earlier[0]
    result = FileResult(name, "already_imported", kind=kind, sheet=sheet or None, header_row=header_row,
                        import_id=import_id,
                        notes=[f"same content as import #{import_id} of {imported_at:%Y-%m-%d %H:%M} WIB: nothing changed"])
    chain, later = [], _replaced_by(con, kind, import_id)
    while later is not None and later not in chain:   # each later snapshot, up to the current one
        chain.append(later)
        later = _replaced_by(con, kind, later)
    if chain:
        result.notes.append(f"{WARNING}import #{import_id} is no longer current: import #{chain[0]} replaced its rows; "
                            f"to make this file current again, {_undo_hint(chain)}")
    return result


def _replaced_by(con: duckdb.DuckDBPyConnection, kind: str, import_id: int) -> int | None:
    """For a snapshot kind: the first later import that replaced rows of ``import_id``, or None."""
    table, _, _, event_key = TABLES[kind]
    if event_key is not None:
        return None
    found = con.execute(f"SELECT min(replaced_by) FROM {table} WHERE import_id = ?", [import_id]).fetchall()
    return found[0][0]


def _refuse_if_unusable(table, name: str) -> None:
    """A file with no usable row is refused whole: loading it would only log rejections,
    and a snapshot (a header-only roster) would wipe what it covers.

    Raises:
        ImportRefused: ``no_rows`` (no data row under the header) or ``no_usable_rows``
            (every row rejected; the most common reason is named).
    """
    if table.rows_read == 0:
        raise ImportRefused(name, "no_rows", f"no data rows under the header ({table.layout.spec.label})")
    if not table.records and (table.arrow is None or table.arrow.num_rows == 0):
        reasons = Counter(r.reason_code for r in table.rejections)
        code, count = reasons.most_common(1)[0]
        example = next(r.message for r in table.rejections if r.reason_code == code)
        raise ImportRefused(name, "no_usable_rows", f"all {table.rows_read} rows rejected; {count} for {code}: {example}")


def ingest_paths(paths: list[Path], *, db: str | os.PathLike | None = None, allow_shrink: bool = False) -> list[FileResult]:
    """``ingest_file`` for every file of ``paths`` (see ``expand_paths``), in order."""
    agencies = load_agency_table()
    return [ingest_file(p, db=db, agencies=agencies, allow_shrink=allow_shrink) for p in expand_paths(paths)]


def _print_human(results: list[FileResult]) -> None:
    for r in results:
        if r.status in ("refused", "held_back"):
            sys.stdout.write(f"{r.file}: {r.status.upper().replace('_', ' ')}: {r.reason} [{r.reason_code}]\n")
            continue
        sys.stdout.write(f"{r.file}: {r.kind} ({r.status}) read={r.rows_read} loaded={r.rows_loaded} "
                         f"duplicate={r.rows_duplicate} rejected={r.rows_rejected} replaced={r.rows_replaced}\n")
        for note in r.notes:
            sys.stdout.write(f"    note: {note}\n")


@command
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m data.ingest", description="Import KM field exports into the DuckDB store.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="export file or folder of exports")
    parser.add_argument("--db", help="database file (default: $KMDASH_DB or data/kmdash.duckdb)")
    parser.add_argument("--json", action="store_true", help="print the per-file results as a JSON list")
    parser.add_argument("--allow-shrink", action="store_true",
                        help="load a roster or headcount recap even when it holds under 2/3 of the rows it replaces")
    args = parser.parse_args(argv)
    configure_logging()
    try:
        files = expand_paths(args.paths)
    except FileNotFoundError as missing:
        sys.stderr.write(f"no such file or folder: {missing}\n")
        return EXIT_USAGE
    if not files:
        sys.stderr.write("no files found in the given folder(s)\n")
        return EXIT_USAGE
    agencies = load_agency_table()
    results: list[FileResult] = []
    try:
        for path in files:
            results.append(ingest_file(path, db=db_path(args.db), agencies=agencies, allow_shrink=args.allow_shrink))
    except DatabaseBusy as busy:
        sys.stderr.write(f"{busy}; {len(results)} file(s) imported before it, the rest not\n")
        _emit(results, args.json)
        return EXIT_BUSY
    except (SchemaTooNew, ConfigError, KeyMismatch, StoreUnusable, duckdb.Error) as problem:
        sys.stderr.write(f"cannot use the database: {str(problem).splitlines()[0]}; "
                         f"{len(results)} file(s) imported before it, the rest not\n")
        _emit(results, args.json)
        return EXIT_USAGE
    _emit(results, args.json)
    if any(r.status == "refused" for r in results):
        return EXIT_REFUSED
    return EXIT_HELD if any(r.status == "held_back" for r in results) else EXIT_OK


def _emit(results: list[FileResult], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps([asdict(r) for r in results], indent=1, default=str) + "\n")
    else:
        _print_human(results)


if __name__ == "__main__":
    sys.exit(main())
