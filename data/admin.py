"""Running the product for years: backup sets, restores, integrity and freshness checks, and
the service's start command (``kmdash-admin`` or ``python -m data.admin``).

``backup [TARGET] [--db DB] [--keep-days N]``  a backup set (database, NIP key, users file,
        manifest with checksums; ``data.ops.backup_set``) in ``backup_dir`` or TARGET; also while
        the dashboard serves. ``--keep-days``: then delete this database's sets older than N days
``restore SET [--db DB]``     bring a set back where the settings point (a single ``.duckdb``
        file, e.g. a pre-upgrade backup, restores the database only); checked before anything changes
``verify SET``                check a set's checksums and completeness; changes nothing
``check [--db DB] [--format text|nagios|json]``  row accounting, orphans, schema version
``freshness [--max-age-days N] [--db DB] [--format text|nagios|json]``  stale sources
``serve [--port N]``          upgrade the database, then serve the dashboard (systemd)

Exit codes (text): 0 fine; 1 ``check`` or ``freshness`` found problems (listed on stdout);
2 wrong usage, a refused or damaged file, or a start that cannot succeed (one line on
stderr; the systemd unit does not restart on it); 4 the database stayed locked past the wait.
``--format nagios`` / ``json``: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (see ``data.ops.monitoring``).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import duckdb

from data.ops import backup_set, monitoring
from data.store import connection
from data.command import command
from data.config import settings
from data.errors import BackupError, DatabaseBusy, KmdashError
from data.ops.freshness import SourceAge, freshness  # noqa: F401 - the admin commands' library surface
from data.ops.integrity import check, integrity_problems  # noqa: F401
from data.logging_setup import configure_logging

log = logging.getLogger("data.admin")  # the same name when run as __main__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 4
REPO = Path(__file__).resolve().parents[1]


def backup(target=None, *, db=None, keep_days: int | None = None) -> Path:
    """Write a backup set (``data.ops.backup_set.write_set``); with ``keep_days``, then delete
    this database's sets in the same folder older than that. Returns the set's folder."""
    written = backup_set.write_set(target, db=db)
    if keep_days is not None:
        backup_set.prune_sets(written.parent, connection.db_path(db).stem, keep_days)
    return written


def restore(source, *, db=None) -> Path | None:
    """Restore a set (a folder) or a single database file; returns the set saved from before."""
    if Path(source).is_file():
        return backup_set.restore_database_file(source, db=db)
    return backup_set.restore_set(source, db=db)


def serve_command(port: int | None = None) -> list[str]:
    """The Streamlit command line the service runs, from the settings (address, port, upload limit)."""
    config = settings()
    return ["streamlit", "run", str(REPO / "dashboard" / "server.py"), "--server.headless", "true",
            "--server.address", config.address, "--server.port", str(port or config.port),
            "--server.maxUploadSize", str(config.max_upload_mb), "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "minimal"]


def serve(port: int | None = None) -> int:
    """Upgrade the database (backup first) or refuse a newer one, then run the dashboard in
    this process, so its log lines go where ``configure_logging`` sends them.

    Raises:
        KmdashError, OSError, duckdb.Error: the start cannot succeed (``main`` exits 2 on them).
    """
    from streamlit.web import cli as streamlit_cli

    with connection.connect(read_only=False) as con:
        log.info("serve db=%s schema_version=%s port=%s", connection.db_path(), connection.get_meta(con, "schema_version"),
                 port or settings().port)
    sys.argv = serve_command(port)
    return streamlit_cli.main()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kmdash-admin", description="Backups, checks and the service.")
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = "database file (default: $KMDASH_DB, the config file, or <state_dir>/kmdash.duckdb)"
    sub = commands.add_parser("backup", help="write a backup set (database, NIP key, users file, manifest)")
    sub.add_argument("file", type=Path, metavar="TARGET", nargs="?",
                     help="a new folder for the set, or a folder to put it in (default: backup_dir)")
    sub.add_argument("--db", help=db_help)
    sub.add_argument("--keep-days", type=int, help="then delete this database's sets older than N days")
    sub = commands.add_parser("restore", help="bring back a backup set (or a single database file)")
    sub.add_argument("file", type=Path, metavar="SET")
    sub.add_argument("--db", help=db_help)
    commands.add_parser("verify", help="check a backup set; changes nothing").add_argument("file", type=Path, metavar="SET")
    formats = ("text", "nagios", "json")
    sub = commands.add_parser("check", help="integrity: row accounting, orphans, schema version")
    sub.add_argument("--db", help=db_help)
    sub.add_argument("--format", choices=formats, default="text")
    fresh = commands.add_parser("freshness", help="sources whose newest import or data is too old")
    fresh.add_argument("--max-age-days", type=int, help="default: the freshness_max_age_days setting")
    fresh.add_argument("--max-data-age-days", type=int, help="default: the freshness_max_data_age_days setting")
    fresh.add_argument("--db", help=db_help)
    fresh.add_argument("--format", choices=formats, default="text")
    commands.add_parser("serve", help="upgrade the database and serve the dashboard").add_argument("--port", type=int)
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "backup":
        sys.stdout.write(f"backup set written: {backup(args.file, db=args.db, keep_days=args.keep_days)}\n")
    elif args.command == "restore":
        before = restore(args.file, db=args.db)
        sys.stdout.write(f"restored {args.file} into {connection.db_path(args.db)}"
                         + (f"; the state as it was is saved as {before}\n" if before else "\n"))
    elif args.command == "verify":
        checked = backup_set.verify_set(args.file)
        sys.stdout.write(f"ok: {checked.path} is complete (schema version {checked.manifest['schema_version']}, "
                         f"release {checked.manifest['release']}, {', '.join(sorted(checked.manifest['files']))})\n")
    elif args.command == "check":
        problems = check(db=args.db)
        if args.format != "text":
            return monitoring.emit_check(problems, args.format)
        sys.stdout.write("".join(f"PROBLEM: {p}\n" for p in problems) or "ok: no problems found\n")
        return EXIT_PROBLEMS if problems else EXIT_OK
    elif args.command == "freshness":
        config = settings()
        max_age = config.freshness_max_age_days if args.max_age_days is None else args.max_age_days
        max_data = config.freshness_max_data_age_days if args.max_data_age_days is None else args.max_data_age_days
        ages = freshness(max_age, max_data_age_days=max_data, db=args.db)
        if args.format != "text":
            return monitoring.emit_freshness(ages, args.format)
        sys.stdout.write("".join(f"{monitoring.freshness_line(a)}\n" for a in ages) or "no imports yet\n")
        return EXIT_PROBLEMS if any(a.stale for a in ages) else EXIT_OK
    elif args.command == "serve":
        return serve(args.port)
    return EXIT_OK


@command
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (see the module docstring). Every refusal is
    one line on stderr, never a traceback."""
    args = _parser().parse_args(argv)
    monitor = getattr(args, "format", "text") != "text"
    try:
        configure_logging()
        return _run(args)
    except DatabaseBusy as busy:
        return monitoring.emit_unknown(str(busy), args.format) if monitor else _fail(str(busy), EXIT_BUSY)
    except (KmdashError, OSError, duckdb.Error) as refused:
        message = _one_line(refused)
        return monitoring.emit_unknown(message, args.format) if monitor else _fail(message, EXIT_USAGE)


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or error.__class__.__name__}"
    text = " ".join(str(error).split()) or error.__class__.__name__
    return text if isinstance(error, KmdashError) else f"{error.__class__.__name__}: {text[:300]}"


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"{message}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
