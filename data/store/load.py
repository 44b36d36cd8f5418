"""Writing one parsed file into the store, all or nothing.

Per the data contract (DOMAIN.md): snapshots replace what they cover and keep the
replaced rows (``replaced_by``) - the roster as a whole, a headcount recap for its
date, assets by id, activities by (CoP, title, date), maturity by (CoP, year).
Events add up: an access event identical in time, NIP, asset and action to one
already stored, or an attendance of the same NIP at the same CoP activity, is a
duplicate and counts once. Within one file, an identical row is a duplicate and a
second, different row for the same snapshot key is rejected (``duplicate_key``).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import duckdb
import pandas as pd

from data.store.aggregates import refresh_after_insert
from data.store.engagement_counts import refresh_engagement
from data.store.pseudonym import check_key
from data.intake.records import ParsedTable, Rejection
from data.intake.values import WIB, text_key

log = logging.getLogger(__name__)

# kind -> (table, columns written, snapshot key columns or None for events, event key columns)
TABLES = {
    "roster": ("employee", ["nip", "nip_plain", "name", "skpd", "employment_status"], [], None),
    "headcount": ("headcount", ["skpd", "as_of", "headcount", "headcount_pns", "headcount_pppk"], ["as_of"], None),
    "aset": ("aset", ["aset_id", "title", "aset_kind", "cop_key", "skpd", "uploader_nip", "uploaded_on", "status", "published_on"], ["aset_id"], None),
    "activity": ("activity", ["cop_key", "skpd", "activity_title", "title_key", "activity_date", "quarter_label", "accompanied", "mentor", "attendee_count"], ["cop_key", "title_key", "activity_date"], None),
    "maturity": ("maturity", ["cop_key", "skpd", "year", "strategi", "orang", "proses", "konten", "teknologi", "mean_file", "level_file", "instrument"], ["cop_key", "year"], None),
    "jury": ("jury_score", ["year", "cop_key", "skpd", "juror", "score"], ["year", "cop_key", "juror"], None),
    "attendance": ("attendance", ["nip", "cop_key", "activity_title", "title_key", "activity_date", "role", "skpd_text", "skpd", "submitted_at"], None, ["nip", "cop_key", "title_key", "activity_date"]),
    "access_log": ("access_event", ["event_time", "nip", "aset_id", "action"], None, ["event_time", "nip", "aset_id", "action"]),
}
SPAN_COLUMNS = {"access_log": "event_time", "attendance": "activity_date"}  # an event's time (see _insert)
ROW_KEYS = {"roster": ["nip"], "headcount": ["skpd", "as_of"], "jury": ["year", "cop_key", "juror"]}


@dataclass
class LoadCounts:
    """What one file did to the store. ``read = loaded + duplicate + rejected``."""

    import_id: int
    read: int
    loaded: int
    duplicate: int
    rejected: int
    replaced: int


def _with_keys(table: ParsedTable) -> list[dict]:
    for record in table.records:
        if "cop" in record:
            record["cop_key"] = text_key(record["cop"])
        if "activity_title" in record:
            record["title_key"] = text_key(record["activity_title"])
    return table.records


def _as_written(record: dict) -> dict:
    """The record as a person reads it: the NIP itself rather than its pseudonym."""
    return {**record, "nip": record["nip_plain"]} if record.get("nip_plain") else record


def _dedupe_in_file(kind: str, table: ParsedTable) -> tuple[list[dict], list[int], int, list[Rejection]]:
    """Drop identical rows (duplicates) and reject a later different row for the same key."""
    _, columns, snapshot_key, event_key = TABLES[kind]
    key_cols = event_key or ROW_KEYS.get(kind) or snapshot_key
    seen: dict[tuple, tuple[tuple, int]] = {}
    kept, rows, rejected = [], [], []
    duplicates = 0
    for record, row_number in zip(_with_keys(table), table.row_numbers):
        key = tuple(record.get(c) for c in key_cols)
        whole = tuple(record.get(c) for c in columns if c not in ("submitted_at",))
        if key in seen:
            if seen[key][0] == whole or event_key:
                duplicates += 1
            else:
                shown = _as_written(record)
                rejected.append(Rejection(table.layout.sheet.name, row_number, "+".join(key_cols),
                                          " | ".join(str(shown.get(c)) for c in key_cols), "duplicate_key",
                                          f"same {'+'.join(key_cols)} as row {seen[key][1]} with other values",
                                          raw_row=" | ".join("" if shown.get(c) is None else str(shown.get(c))
                                                             for c in columns if c != "nip_plain")))
            continue
        seen[key] = (whole, row_number)
        kept.append(record)
        rows.append(row_number)
    return kept, rows, duplicates, rejected


def _frame(kind: str, records: list[dict], rows: list[int], import_id: int) -> pd.DataFrame:
    _, columns, _, _ = TABLES[kind]
    frame = pd.DataFrame.from_records(records, columns=columns) if records else pd.DataFrame(columns=columns)
    for col in ("strategi", "orang", "proses", "konten", "teknologi", "mean_file", "score"):
        if col in frame:
            frame[col] = frame[col].map(lambda v: None if v is None else str(v)).astype("object")
    frame["import_id"] = import_id
    frame["source_row"] = rows
    return frame.astype({c: "object" for c in columns})


def _stage(con: duckdb.DuckDBPyConnection, kind: str, frame: pd.DataFrame, arrow=None, import_id: int = 0) -> None:
    """Cast the rows to the table's declared types into the temp table ``staged_t``:
    the frame's, plus the bulk-parsed Arrow rows (``data.intake.fastcsv``) when given."""
    table, columns, _, _ = TABLES[kind]
    casts = ", ".join(f"CAST(s.{c} AS {_type(con, table, c)}) AS {c}" for c in columns)
    con.register("staged", frame)
    try:
        sql = f"SELECT {casts}, s.import_id::INTEGER AS import_id, s.source_row::INTEGER AS source_row FROM staged s"
        if arrow is not None:
            con.register("staged_arrow", arrow)
            sql += (f" UNION ALL SELECT {casts}, {int(import_id)}::INTEGER AS import_id, s.source_row::INTEGER "
                    f"AS source_row FROM staged_arrow s")
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged_t AS {sql}")
    finally:
        con.unregister("staged")
        if arrow is not None:
            con.unregister("staged_arrow")


def _insert(con: duckdb.DuckDBPyConnection, kind: str) -> int:
    """Insert ``staged_t``; events already stored are skipped. Returns rows inserted."""
    table, columns, _, event_key = TABLES[kind]
    cols = ", ".join(columns)
    if event_key:
        match = " AND ".join(f"t.{c} = s.{c}" for c in event_key)
        extra = ", source_row" if table == "attendance" else ""
        before = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        key = ", ".join(event_key)
        pick = (f"DISTINCT ON ({key}) {cols}, import_id{extra}" if extra else f"DISTINCT {cols}, import_id")
        order = f" ORDER BY {key}, source_row" if extra else ""
        # Only stored rows in the file's time span can match: scanning just those lets the
        # store skip the rest of the table (a monthly log against a year of events).
        span = SPAN_COLUMNS[kind]
        low, high = con.execute(f"SELECT min({span}), max({span}) FROM staged_t").fetchall()[0]
        con.execute(f"INSERT INTO {table} ({cols}, import_id{extra}) SELECT {pick} "
                    f"FROM staged_t s WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{span} BETWEEN $low AND $high "
                    f"AND {match}){order}", {"low": low, "high": high})
        return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] - before
    con.execute(f"INSERT INTO {table} ({cols}, import_id, source_row, replaced_by) "
                f"SELECT {cols}, import_id, source_row, NULL FROM staged_t")
    return con.execute("SELECT count(*) FROM staged_t").fetchall()[0][0]


_TYPES: dict[tuple[str, str], str] = {}


def _type(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    if (table, column) not in _TYPES:
        for name, dtype in con.execute(f"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}'").fetchall():
            _TYPES[(table, name)] = dtype
    return _TYPES[(table, column)]


def _replace(con: duckdb.DuckDBPyConnection, kind: str, import_id: int) -> int:
    """Mark the current rows this snapshot covers as replaced; returns how many."""
    table, _, snapshot_key, event_key = TABLES[kind]
    if event_key is not None:
        return 0
    covered = "TRUE" if not snapshot_key else (
        f"({', '.join(snapshot_key)}) IN (SELECT ({', '.join(snapshot_key)}) FROM staged_t)" if len(snapshot_key) > 1
        else f"{snapshot_key[0]} IN (SELECT {snapshot_key[0]} FROM staged_t)")
    count = con.execute(f"SELECT count(*) FROM {table} WHERE replaced_by IS NULL AND {covered}").fetchall()[0][0]
    con.execute(f"UPDATE {table} SET replaced_by = ? WHERE replaced_by IS NULL AND {covered}", [import_id])
    return count


def _upsert_cops(con: duckdb.DuckDBPyConnection, kind: str, records: list[dict]) -> None:
    if not records or "cop_key" not in records[0]:
        return
    owners = {}
    for r in records:
        owners.setdefault(r["cop_key"], (r["cop"], r.get("skpd") if kind != "attendance" else None))
    rows = [(k, name, skpd) for k, (name, skpd) in owners.items()]
    if kind == "attendance":
        con.executemany("INSERT INTO cop VALUES (?, ?, ?) ON CONFLICT (cop_key) DO NOTHING", rows)
    else:
        con.executemany("INSERT INTO cop VALUES (?, ?, ?) ON CONFLICT (cop_key) DO UPDATE SET "
                        "name = excluded.name, skpd = excluded.skpd", rows)


def load_table(con: duckdb.DuckDBPyConnection, table: ParsedTable, *, file_name: str, sha256: str,
               file_format: str, imported_by: str, notes: list[str]) -> LoadCounts:
    """Write one parsed file in its own transaction; on any error nothing of it stays.

    Reads/writes: ``import_log``, ``rejected_row``, the kind's table, ``cop``.

    Returns:
        the row accounting, with the new ``import_id``.
    """
    kind = table.layout.kind
    records, rows, duplicates, dup_rejections = _dedupe_in_file(kind, table)
    rejections = table.rejections + dup_rejections
    con.execute("BEGIN TRANSACTION")
    try:
        check_key(con)
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0]
        _stage(con, kind, _frame(kind, records, rows, import_id), table.arrow, import_id)
        replaced = _replace(con, kind, import_id)
        staged = con.execute("SELECT count(*) FROM staged_t").fetchall()[0][0]
        inserted = _insert(con, kind)
        refresh_after_insert(con, kind, import_id)
        duplicates += staged - inserted
        _upsert_cops(con, kind, records)
        counts = LoadCounts(import_id, table.rows_read, inserted, duplicates, len(rejections), replaced)
        _log_import(con, counts, table, file_name, sha256, file_format, imported_by, notes, rejections)
        refresh_engagement(con, kind, import_id)   # after the log row: its stamp covers this import
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    log.info("import kind=%s file=%s import_id=%s read=%s loaded=%s duplicate=%s rejected=%s replaced=%s",
             kind, file_name, import_id, counts.read, counts.loaded, counts.duplicate, counts.rejected, counts.replaced)
    return counts


def _log_import(con, counts: LoadCounts, table: ParsedTable, file_name: str, sha256: str, file_format: str,
                imported_by: str, notes: list[str], rejections: list[Rejection]) -> None:
    now = dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)
    con.execute("INSERT INTO import_log (import_id, file_name, content_sha256, kind, file_format, sheet, header_row, "
                "imported_at, imported_by, rows_read, rows_loaded, rows_duplicate, rows_rejected, rows_replaced, status, "
                "notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?)",
                [counts.import_id, file_name, sha256, table.layout.kind, file_format, table.layout.sheet.name,
                 table.layout.header_rows[-1] + 1, now, imported_by, counts.read, counts.loaded, counts.duplicate,
                 counts.rejected, counts.replaced, "; ".join(notes)])
    if rejections:
        frame = pd.DataFrame([(counts.import_id, file_name, r.sheet, r.row_number, r.column, r.value, r.reason_code,
                               r.message, r.row_date, r.raw_row or r.value) for r in rejections],
                             columns=["import_id", "file_name", "sheet", "row_number", "column_name", "value",
                                      "reason_code", "message", "row_date", "raw_row"]).astype(object)
        con.register("rejected_frame", frame)
        try:
            con.execute("INSERT INTO rejected_row (import_id, file_name, sheet, row_number, column_name, value, "
                        "reason_code, message, row_date, raw_row) SELECT import_id, file_name, sheet, row_number, column_name, value, "
                        "reason_code, message, CAST(row_date AS DATE), raw_row FROM rejected_frame")
        finally:
            con.unregister("rejected_frame")
