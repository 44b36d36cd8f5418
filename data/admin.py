"""Running the product for years: backups, restores, integrity and freshness checks, and
the service's start command.

``python -m data.admin backup FILE [--db DB]``   a consistent copy (also while the dashboard serves);
                                                FILE may be a folder: ``<db name>-<WIB time>.duckdb`` in it
``python -m data.admin restore FILE [--db DB]``  replace DB by the backup FILE (DB is backed up first)
``python -m data.admin check [--db DB]``         row accounting, orphans, schema version
``python -m data.admin freshness [--max-age-days N] [--db DB]``  sources whose newest import is too old
``python -m data.admin serve [--port N]``        upgrade the database, then serve the dashboard (systemd)

Exit codes: 0 fine; 1 ``check`` or ``freshness`` found problems (listed on stdout);
2 wrong usage or a refused file (not a database, newer schema, target exists);
4 the database stayed locked past the wait.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from data import migrations, store
from data.config import settings
from data.errors import BackupError, ConfigError, DatabaseBusy, SchemaTooNew
from data.load import ROW_KEYS, TABLES
from data.logging_setup import configure_logging

log = logging.getLogger("data.admin")  # the same name when run as __main__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 4
WIB = dt.timezone(dt.timedelta(hours=7))
REPO = Path(__file__).resolve().parents[1]


def _existing(db: str | os.PathLike | None) -> Path:
    path = store.db_path(db)
    if not path.is_file():
        raise BackupError(f"no database at {path}")
    return path


def backup(target: str | os.PathLike, *, db: str | os.PathLike | None = None) -> Path:
    """Copy the database into the new file ``target`` (or a timestamped file in the folder
    ``target``) from one consistent snapshot. Opens the database read-only, so it works
    while the dashboard serves; waits for a running import to finish (``lock_wait_s``).
    The schema is copied as it is (an old database is not upgraded first).

    Returns:
        the backup file.

    Raises:
        BackupError: no database, or the target exists. DatabaseBusy: locked past the wait.
    """
    source = _existing(db)
    target = Path(target)
    if target.is_dir():
        target = target / f"{source.stem}-{dt.datetime.now(WIB):%Y%m%dT%H%M%S}.duckdb"
    con = store._open(source, True, settings().lock_wait_s)
    try:
        rows = store.copy_database(con, target)
    finally:
        con.close()
    log.info("backup reason=manual db=%s file=%s tables=%s rows=%s bytes=%s",
             source, target, len(rows), sum(rows.values()), target.stat().st_size)
    return target


def restore(source: str | os.PathLike, *, db: str | os.PathLike | None = None) -> Path | None:
    """Replace the database by the backup ``source``. The current database, if any, is first
    backed up to the backup folder; the swap is one rename, made while holding the write lock.
    An older backup is upgraded at the next open, as any old database.

    Returns:
        the backup of the database as it was before (None when there was none).

    Raises:
        BackupError: ``source`` is missing or not a KM dashboard database.
        SchemaTooNew: ``source`` was written by a newer release. DatabaseBusy: locked past the wait.
    """
    source, target = Path(source), store.db_path(db)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    staging = target.with_name(target.name + ".restoring")
    staging.unlink(missing_ok=True)
    con = store._open(source, True, settings().lock_wait_s)
    try:
        version = migrations.schema_version(con)
        if version is None:
            raise BackupError(f"{source} is not a KM dashboard database (no meta table)")
        migrations.refuse_if_too_new(version, source)
        rows = store.copy_database(con, staging)
    finally:
        con.close()
    before = None
    if target.is_file():
        store.backup_dir_for(target).mkdir(parents=True, exist_ok=True)
        before = backup(store.backup_dir_for(target), db=target)
    _swap(staging, target)
    log.info("restore file=%s db=%s schema_version=%s tables=%s rows=%s previous_saved_as=%s",
             source, target, version, len(rows), sum(rows.values()), before)
    return before


def _swap(staging: Path, target: Path) -> None:
    """Rename ``staging`` over ``target`` while holding ``target``'s write lock (so no import is half-way)."""
    holder = store._open(target, False, settings().lock_wait_s) if target.is_file() else None
    try:
        if holder is not None:
            holder.execute("CHECKPOINT")
        os.replace(staging, target)
    finally:
        if holder is not None:
            holder.close()


def check(*, db: str | os.PathLike | None = None) -> list[str]:
    """Integrity problems of the database, one line each (empty: all fine). Reads only: an old
    database is reported as needing an upgrade, not upgraded. See ``integrity_problems``.

    Raises:
        BackupError: no database. DatabaseBusy: locked past the wait.
    """
    path = _existing(db)
    con = store._open(path, True, settings().lock_wait_s)
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
    present = set(store.row_counts(con))
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


@dataclass(frozen=True)
class SourceAge:
    """The newest counted import of one export kind: ``newest`` (WIB), ``age_days`` (whole days), ``stale``."""

    kind: str
    newest: dt.datetime
    age_days: int
    stale: bool


def freshness(max_age_days: int, *, db: str | os.PathLike | None = None, now: dt.datetime | None = None) -> list[SourceAge]:
    """Per export kind ever imported (status ``loaded``), its newest import and whether it is
    older than ``max_age_days`` (WIB days since ``now``, default the current time). Ordered by kind.

    Raises:
        BackupError: no database. DatabaseBusy: locked past the wait. SchemaTooNew: newer database.
    """
    path = _existing(db)
    now = now or dt.datetime.now(WIB).replace(tzinfo=None)
    with store.connect(path, read_only=True) as con:
        rows = con.execute("SELECT kind, max(imported_at) FROM import_log WHERE status = 'loaded' "
                           "GROUP BY kind ORDER BY kind").fetchall()
    ages = [SourceAge(kind, newest, (now - newest).days, (now - newest) > dt.timedelta(days=max_age_days))
            for kind, newest in rows]
    log.info("freshness db=%s max_age_days=%s stale=%s", path, max_age_days, ",".join(a.kind for a in ages if a.stale) or "-")
    return ages


def serve_command(port: int | None = None) -> list[str]:
    """The Streamlit command line the service runs, from the settings (address, port, upload limit)."""
    config = settings()
    return ["streamlit", "run", str(REPO / "dashboard" / "server.py"), "--server.headless", "true",
            "--server.address", config.address, "--server.port", str(port or config.port),
            "--server.maxUploadSize", str(config.max_upload_mb), "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "minimal"]


def serve(port: int | None = None) -> int:
    """Upgrade the database (backup first) or refuse a newer one, then run the dashboard in
    this process, so its log lines go where ``configure_logging`` sends them."""
    from streamlit.web import cli as streamlit_cli

    with store.connect(read_only=False) as con:
        log.info("serve db=%s schema_version=%s port=%s", store.db_path(), store.get_meta(con, "schema_version"),
                 port or settings().port)
    sys.argv = serve_command(port)
    return streamlit_cli.main()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data.admin", description="Backups, checks and the service.")
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = "database file (default: $KMDASH_DB, the config file, or data/kmdash.duckdb)"
    for name, help_text in (("backup", "copy the database to FILE (new file, or a folder)"),
                            ("restore", "replace the database by the backup FILE")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("file", type=Path, metavar="FILE")
        sub.add_argument("--db", help=db_help)
    commands.add_parser("check", help="integrity: row accounting, orphans, schema version").add_argument("--db", help=db_help)
    fresh = commands.add_parser("freshness", help="sources whose newest import is older than N days")
    fresh.add_argument("--max-age-days", type=int, help="default: the freshness_max_age_days setting")
    fresh.add_argument("--db", help=db_help)
    commands.add_parser("serve", help="upgrade the database and serve the dashboard").add_argument("--port", type=int)
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "backup":
        sys.stdout.write(f"backup written: {backup(args.file, db=args.db)}\n")
    elif args.command == "restore":
        before = restore(args.file, db=args.db)
        sys.stdout.write(f"restored {args.file} into {store.db_path(args.db)}"
                         + (f"; the database as it was is saved as {before}\n" if before else "\n"))
    elif args.command == "check":
        problems = check(db=args.db)
        sys.stdout.write("".join(f"PROBLEM: {p}\n" for p in problems) or "ok: no problems found\n")
        return EXIT_PROBLEMS if problems else EXIT_OK
    elif args.command == "freshness":
        max_age = settings().freshness_max_age_days if args.max_age_days is None else args.max_age_days
        ages = freshness(max_age, db=args.db)
        for a in ages:
            sys.stdout.write(f"{'STALE' if a.stale else 'ok'} {a.kind}: newest import {a.newest:%Y-%m-%d %H:%M} WIB, "
                             f"{a.age_days} days old (limit {max_age})\n")
        if not ages:
            sys.stdout.write("no imports yet\n")
        return EXIT_PROBLEMS if any(a.stale for a in ages) else EXIT_OK
    elif args.command == "serve":
        return serve(args.port)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    try:
        configure_logging()
        return _run(args)
    except DatabaseBusy as busy:
        sys.stderr.write(f"{busy}\n")
        return EXIT_BUSY
    except (BackupError, SchemaTooNew, ConfigError) as refused:
        sys.stderr.write(f"{refused}\n")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
