"""Integrity of the database: row accounting per import, orphans, duplicate keys, the schema
version (``data.admin check``). Reads only; an old database is reported, not upgraded."""
from __future__ import annotations

import logging
import os

from data.store import connection, migrations
from data.config import settings
from data.errors import BackupError, SchemaTooNew
from data.store.load import ROW_KEYS, TABLES

log = logging.getLogger("data.admin")


def _existing(db: str | os.PathLike | None):
    path = connection.db_path(db)
    if not path.is_file():
        raise BackupError(f"no database at {path}")
    return path


def check(*, db: str | os.PathLike | None = None) -> list[str]:
    """Integrity problems of the database, one line each (empty: all fine). Reads only: an old
    database is reported as needing an upgrade, not upgraded. See ``integrity_problems``.

    Raises:
        BackupError: no database. DatabaseBusy: locked past the wait.
    """
    path = _existing(db)
    con = connection._open(path, True, settings().lock_wait_s)
    try:
        problems = integrity_problems(con)
    finally:
        con.close()
    log.info("check db=%s problems=%s", path, len(problems))
    return problems


def integrity_problems(con) -> list[str]:
    """What is wrong with the database ``con`` has open, one line each (empty: nothing):
    the schema version; tables missing; per import in ``import_log``: rows_read = loaded +
    duplicate + rejected, rejected = its ``rejected_row`` rows, and (while it counts, status
    ``loaded``) loaded = its rows in the kind's table, replaced = rows marking it ``replaced_by``;
    rows and ``replaced_by`` pointing at no import; two current rows with the same key."""
    version = migrations.schema_version(con)
    if version is None:
        return ["not a KM dashboard database: no meta table"]
    if version > migrations.CURRENT_VERSION:
        return [str(SchemaTooNew("this database", version, migrations.CURRENT_VERSION))]
    problems = []
    if version < migrations.CURRENT_VERSION:
        problems.append(f"schema version {version} is older than this release's {migrations.CURRENT_VERSION}: "
                        "the next command or page view upgrades it (after a backup)")
    present = set(connection.row_counts(con))
    needed = {"meta", "import_log", "rejected_row"} | {t[0] for t in TABLES.values()}
    problems += [f"table {t} is missing" for t in sorted(needed - present)]
    if needed - present:
        return problems
    return (problems + _accounting_problems(con) + _orphan_problems(con) + _duplicate_key_problems(con)
            + _missing_reference_problems(con))


def _missing_reference_problems(con) -> list[str]:
    """Events stored while the snapshot they are judged against is empty: every KPI is then 0."""
    has = lambda sql: con.execute(sql).fetchall()[0][0] > 0  # noqa: E731 - a one-line probe
    problems = []
    if has("SELECT count(*) FROM access_event") or has("SELECT count(*) FROM attendance"):
        if not has("SELECT count(*) FROM employee WHERE replaced_by IS NULL"):
            problems.append("no current roster (daftar pegawai): every use event and attendance is unmatched "
                            "and every rate is 0; import a roster")
        if not has("SELECT count(*) FROM headcount WHERE replaced_by IS NULL"):
            problems.append("no current headcount recap: every rate is undefined; import a rekap jumlah pegawai")
    return problems


def _counts(con, sql: str) -> dict:
    return dict(con.execute(sql).fetchall())


def _accounting_problems(con) -> list[str]:
    rejected = _counts(con, "SELECT import_id, count(*) FROM rejected_row GROUP BY import_id")
    held = {t: _counts(con, f"SELECT import_id, count(*) FROM {t} GROUP BY import_id") for t, *_ in TABLES.values()}
    replaced = {t: _counts(con, f"SELECT replaced_by, count(*) FROM {t} WHERE replaced_by IS NOT NULL GROUP BY replaced_by")
                for t, _, snap, _ in TABLES.values() if snap is not None}
    problems = []
    for iid, name, kind, status, read, loaded, dup, rej, repl in con.execute(
            "SELECT import_id, file_name, kind, status, rows_read, rows_loaded, rows_duplicate, rows_rejected, "
            "rows_replaced FROM import_log ORDER BY import_id").fetchall():
        label = f"import #{iid} ({name}, {kind})"
        if read != loaded + dup + rej:
            problems.append(f"{label}: rows_read {read} is not loaded {loaded} + duplicate {dup} + rejected {rej}")
        if status == "loaded" and rejected.get(iid, 0) != rej:
            problems.append(f"{label}: rows_rejected says {rej} but rejected_row holds {rejected.get(iid, 0)}")
        if kind not in TABLES:
            problems.append(f"{label}: unknown kind {kind!r}")
            continue
        table = TABLES[kind][0]
        if status == "loaded" and held[table].get(iid, 0) != loaded:
            problems.append(f"{label}: rows_loaded says {loaded} but {table} holds {held[table].get(iid, 0)} rows of it")
        if status == "loaded" and table in replaced and replaced[table].get(iid, 0) != repl:
            problems.append(f"{label}: rows_replaced says {repl} but {replaced[table].get(iid, 0)} rows of {table} "
                            "are marked replaced by it")
    return problems


def _orphan_problems(con) -> list[str]:
    problems = []
    columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
                          "AND schema_name = 'main' AND column_name IN ('import_id', 'replaced_by') AND table_name <> 'import_log' "
                          "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()) "
                          "ORDER BY ALL").fetchall()
    for table, column in columns:
        ids = [r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} "
                                         "NOT IN (SELECT import_id FROM import_log) ORDER BY 1").fetchall()]
        if ids:
            shown = ", ".join(f"#{i}" for i in ids[:10]) + (" ..." if len(ids) > 10 else "")
            problems.append(f"{table}.{column} points at imports the import log does not hold: {shown}")
    return problems


def _duplicate_key_problems(con) -> list[str]:
    problems = []
    for kind, (table, _, snapshot_key, event_key) in sorted(TABLES.items()):
        key = ROW_KEYS.get(kind) or snapshot_key or event_key
        where = "WHERE replaced_by IS NULL" if snapshot_key is not None else ""
        cols = ", ".join(key)
        dupes = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {table} {where} GROUP BY {cols} "
                            "HAVING count(*) > 1)").fetchall()[0][0]
        if dupes:
            problems.append(f"{table}: {dupes} key(s) ({cols}) held by more than one current row")
    return problems
