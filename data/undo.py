"""Undoing a whole import: its rows leave the store, the rows it replaced count again,
and the import log keeps the record (status ``undone``, who and when).

An undo that could make the store disagree with a re-import of the remaining files is
refused, with the imports to undo first:
- a snapshot import whose rows were later replaced by a newer import of the same kind
  (restoring what it replaced would bring back rows the newer file replaced too);
- an event import (access log, attendance) when a later import of the same kind found
  duplicates, which may be events stored only under this import.
"""
from __future__ import annotations

import datetime as dt
import logging

import duckdb

from data.store.aggregates import refresh_after_undo
from data.store.engagement_counts import refresh_engagement
from data.ops.audit import record
from data.command import command
from data.errors import KmdashError
from data.store.load import TABLES
from data.intake.values import WIB

log = logging.getLogger(__name__)


class UndoRefused(KmdashError):
    """The import cannot be undone (unknown, already undone, or later imports depend on it)."""


def _import_row(con: duckdb.DuckDBPyConnection, import_id: int) -> tuple[str, str, str]:
    rows = con.execute("SELECT kind, status, file_name FROM import_log WHERE import_id = ?", [import_id]).fetchall()
    if not rows:
        raise UndoRefused(f"import #{import_id} does not exist")
    kind, status, file_name = rows[0]
    if status != "loaded":
        raise UndoRefused(f"import #{import_id} ({file_name}) is already {status}")
    return kind, status, file_name


def _blockers(con: duckdb.DuckDBPyConnection, kind: str, import_id: int) -> list[int]:
    table, _, _, event_key = TABLES[kind]
    if event_key is None:
        sql = f"SELECT DISTINCT replaced_by FROM {table} WHERE import_id = ? AND replaced_by IS NOT NULL"
        return sorted(r[0] for r in con.execute(sql, [import_id]).fetchall())
    sql = ("SELECT import_id FROM import_log WHERE kind = ? AND import_id > ? AND status = 'loaded' "
           "AND rows_duplicate > 0 ORDER BY import_id")
    return [r[0] for r in con.execute(sql, [kind, import_id]).fetchall()]


def undo_import(con: duckdb.DuckDBPyConnection, import_id: int, *, user: str) -> dict:
    """Undo import ``import_id`` in one transaction.

    Returns:
        ``{"import_id", "file_name", "kind", "rows_removed", "rows_restored"}``.

    Raises:
        UndoRefused: unknown or already undone, or later imports depend on it (named).
    """
    kind, _, file_name = _import_row(con, import_id)
    blockers = _blockers(con, kind, import_id)
    if blockers:
        raise UndoRefused(f"import #{import_id} ({file_name}) cannot be undone before the later import(s) "
                          f"{', '.join('#' + str(b) for b in blockers)} of the same kind; undo those first")
    table, _, _, event_key = TABLES[kind]
    con.execute("BEGIN TRANSACTION")
    try:
        removed = con.execute(f"SELECT count(*) FROM {table} WHERE import_id = ?", [import_id]).fetchall()[0][0]
        con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])
        restored = 0
        if event_key is None:
            restored = con.execute(f"SELECT count(*) FROM {table} WHERE replaced_by = ?", [import_id]).fetchall()[0][0]
            con.execute(f"UPDATE {table} SET replaced_by = NULL WHERE replaced_by = ?", [import_id])
        now = dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)
        con.execute("UPDATE import_log SET status = 'undone', undone_at = ?, undone_by = ? WHERE import_id = ?",
                    [now, user, import_id])
        refresh_after_undo(con, kind)
        refresh_engagement(con, kind)
        record(con, user, "undo", f"import_id={import_id} file={file_name} removed={removed} restored={restored}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    log.info("undo import_id=%s kind=%s file=%s removed=%s restored=%s user=%s",
             import_id, kind, file_name, removed, restored, user)
    left = con.execute(f"SELECT count(*) FROM {table}" + (" WHERE replaced_by IS NULL" if event_key is None else "")
                       ).fetchall()[0][0]
    warning = (f"no current {kind} remains: the KPIs that rest on it are 0 or n/a until one is imported"
               if left == 0 else None)
    return {"import_id": import_id, "file_name": file_name, "kind": kind, "rows_removed": removed,
            "rows_restored": restored, "warning": warning}


@command
def main(argv: list[str] | None = None) -> int:
    """``python -m data.undo IMPORT_ID [--db FILE]``: 0 undone, 3 refused, 2 usage, 4 busy."""
    import argparse
    import sys

    from data.config import operator_name
    from data.errors import DatabaseBusy
    from data.command import open_store

    parser = argparse.ArgumentParser(prog="python -m data.undo", description="Undo one whole import.")
    parser.add_argument("import_id", type=int)
    parser.add_argument("--db", help="database file (default: $KMDASH_DB or data/kmdash.duckdb)")
    args = parser.parse_args(argv)
    try:
        with open_store(args.db, read_only=False) as con:
            result = undo_import(con, args.import_id, user=operator_name())
    except UndoRefused as refused:
        sys.stderr.write(f"{refused}\n")
        return 3
    except DatabaseBusy as busy:
        sys.stderr.write(f"{busy}\n")
        return 4
    sys.stdout.write(f"import #{result['import_id']} ({result['file_name']}, {result['kind']}) undone: "
                     f"{result['rows_removed']} rows removed, {result['rows_restored']} rows restored\n")
    if result["warning"]:
        sys.stderr.write(f"warning: {result['warning']}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
