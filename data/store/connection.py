"""The DuckDB store: where the file is, opening it, creating and upgrading the schema,
and copying it whole (backups).

Ownership of the file (see README, "Who owns the database"): nobody holds it open.
DuckDB lets one process write and, while it does, no other process may even read.
So every user of the file opens a short-lived connection, does one unit of work
(one page's query set, or one file's import transaction) and closes it; a process
that finds the file locked retries for a bounded wait (``lock_wait_s``) and then
raises ``DatabaseBusy``. Imports parse files before opening the database, so the
lock is held only for the writes.

Versions (``data.store.migrations``): every open reads ``meta.schema_version`` and
``meta.schema_sha256`` (two small reads, no DDL). Only a file that is new, older than this
code or written with other ``schema*.sql`` / agency reference files is changed: it is
backed up (``backup_dir``) and upgraded once, by the first open that finds it so (one
thread of a process at a time); a newer one is refused (``SchemaTooNew``). Opening a
current file for a read or a small write runs no DDL, so concurrent units of work never
conflict on the catalog. Settings come from ``data.config``, read at each open.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd

from data.store import migrations
from data.intake.agencies import REFERENCE_CSV, AgencyTable, agency_key, load_agency_table
from data.config import Settings, settings
from data.errors import BackupError, DatabaseBusy, StoreUnusable
from data.store.writer_queue import announce_writer, hold_writer, wait_for_writers

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parents[1]          # data/: the checkout's state files
DEFAULT_DB = DATA_DIR / "kmdash.duckdb"
DEMO_DB = DATA_DIR / "demo.duckdb"
SCHEMA_SQL = Path(__file__).parent / "schema.sql"
SCHEMA_VERSION = str(migrations.CURRENT_VERSION)
_COPY_ALIAS = "kmdash_copy_target"
_UPGRADE_LOCK = threading.Lock()   # one schema upgrade at a time in this process (DuckDB shares
                                   # one instance per file between a process's connections)


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: ``explicit`` if given, else the ``db_path`` setting (``$KMDASH_DB``,
    the TOML file, else ``data/kmdash.duckdb``)."""
    if explicit:
        return Path(explicit)
    return settings().db_path


def demo_db_path() -> Path:
    """The demo database: the ``demo_db_path`` setting (``$KMDASH_DEMO_DB``, default ``data/demo.duckdb``)."""
    return settings().demo_db_path


def _is_lock_error(exc: Exception) -> bool:
    """Another holder of the file, in this process or another: worth waiting for.

    In one process, DuckDB refuses a read-only open while a read-write connection is open
    (and the reverse) with "different configuration": that too passes once the other
    unit of work closes its connection."""
    text = str(exc).lower()
    return ("lock" in text or "conflicting" in text or "being used by another process" in text
            or "different configuration" in text)


@contextlib.contextmanager
def connect(path: str | os.PathLike | None = None, *, read_only: bool = False, lock_wait_s: float | None = None):
    """Open the database for one unit of work and close it afterwards.

    A file that is current (``is_current``) is opened as it is: no DDL, no write. A file that
    does not exist yet, is older than this code, or predates a change to the ``schema*.sql``
    or agency reference files is first created or upgraded (``ensure_schema``) by a
    read-write open, once: other threads of this process wait for that upgrade and then find
    the file current. A locked file is retried every 0.1-0.5 s for ``lock_wait_s`` seconds
    (default: the setting).

    Yields:
        a ``duckdb.DuckDBPyConnection``; callers that use threads take ``.cursor()`` each.

    Raises:
        DatabaseBusy: the file stayed locked by another process for the whole wait.
        SchemaTooNew: the file was written by a newer release.
    """
    path = db_path(path)
    config = settings()
    wait_s = config.lock_wait_s if lock_wait_s is None else lock_wait_s
    if read_only:
        con = _open_current_read_only(path, config, wait_s)
        try:
            yield con
        finally:
            con.close()
        return
    with hold_writer(path):
        con = _open_upgraded(path, config, wait_s)
        try:
            yield con
        finally:
            con.close()


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the open database has this code's schema version and ``schema_digest`` (reads only).

    Raises:
        SchemaTooNew: the database is newer than this code.
    """
    version = migrations.schema_version(con)
    migrations.refuse_if_too_new(version, file_of(con) or "(in memory)")
    return version == migrations.CURRENT_VERSION and get_meta(con, "schema_sha256") == schema_digest()


def data_stamp(path: str | os.PathLike) -> str:
    """A token that changes whenever the database file is written, read without opening it:
    modification time (ns) and size of ``path`` and of its write-ahead log ``<path>.wal``.
    Every commit (import, undo, target change, award freeze) changes one of them; a
    checkpoint may change it without new data (one extra cache miss, never a stale read).
    Cache keys use it so a page rerun needs no database open to know nothing changed."""
    path = Path(path)
    parts = []
    for part in (path, path.with_name(path.name + ".wal")):
        try:
            stat = part.stat()
            parts += [stat.st_mtime_ns, stat.st_size]
        except FileNotFoundError:
            parts += [0, 0]
    return "-".join(str(v) for v in parts)


def _open_upgraded(path: Path, config: Settings, wait_s: float) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(mode=0o750, parents=True, exist_ok=True)  # a new state directory: owner and group only
    con = _open(path, False, wait_s, config)
    try:
        if not is_current(con):
            with _UPGRADE_LOCK:
                if not is_current(con):       # another thread may have upgraded it meanwhile
                    ensure_schema(con)
    except BaseException:
        con.close()
        raise
    return con


def _open_current_read_only(path: Path, config: Settings, wait_s: float) -> duckdb.DuckDBPyConnection:
    if path.exists():
        con = _open(path, True, wait_s, config)
        try:
            if is_current(con):
                return con
        except BaseException:
            con.close()
            raise
        con.close()
    _open_upgraded(path, config, wait_s).close()
    return _open(path, True, wait_s, config)


def _open(path: Path, read_only: bool, wait_s: float, config: Settings | None = None) -> duckdb.DuckDBPyConnection:
    config = config or settings()
    options = {"threads": config.duckdb_threads, "memory_limit": config.duckdb_memory_limit}
    deadline = time.monotonic() + wait_s
    _refuse_if_not_duckdb(path)
    if read_only:
        wait_for_writers(path, deadline)
        return _retry_connect(path, True, options, deadline, wait_s)
    with announce_writer(path):
        created = not path.exists()
        con = _retry_connect(path, False, options, deadline, wait_s)
    if created and path.exists():
        os.chmod(path, 0o600)           # it holds NIPs and names: readable by its owner only
    return con


DUCKDB_MAGIC = b"DUCK"      # bytes 8-11 of every DuckDB database file


def _refuse_if_not_duckdb(path: Path) -> None:
    """Refuse an existing file without DuckDB's header before DuckDB opens it (DuckDB would
    try to download a reader extension for an SQLite file, for example).

    Raises:
        StoreUnusable: the file exists and is not a DuckDB database.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except FileNotFoundError:
        return
    except OSError:
        return                  # unreadable: DuckDB's own error is turned into one line below
    if head[8:12] != DUCKDB_MAGIC:
        raise StoreUnusable(f"{path} is not a DuckDB database (a KM dashboard database file is needed)")


def _unusable(path: Path, read_only: bool, exc: Exception) -> StoreUnusable | Exception:
    """A one-line ``StoreUnusable`` for a file DuckDB cannot open (damaged, no permission,
    read-only); any other error is returned as it is (a bug, raised whole)."""
    text = str(exc)
    if "not a valid DuckDB database file" in text:
        return StoreUnusable(f"{path} is not a DuckDB database (a KM dashboard database file is needed)")
    if "Could not read enough bytes" in text or "Corrupt database file" in text:
        return StoreUnusable(f"{path} is a damaged DuckDB database (truncated or corrupt); restore a backup")
    for cause in ("Permission denied", "Operation not permitted", "Read-only file system"):
        if cause in text:
            use = "read" if read_only else "written"
            return StoreUnusable(f"{path} cannot be {use}: {cause.lower()} (check the file's owner, mode and file system)")
    return exc


def _retry_connect(path: Path, read_only: bool, options: dict, deadline: float, wait_s: float):
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=options)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc):
                raise _unusable(path, read_only, exc) from exc
            if time.monotonic() >= deadline:
                raise DatabaseBusy(f"database {path} is locked by another process (waited {wait_s:.0f} s)") from exc
            time.sleep(pause)
            pause = min(pause * 1.5, 0.25)


def schema_files() -> list[Path]:
    """``data/store/schema.sql`` then every ``data/store/schema_*.sql`` (one per feature), sorted by name.
    Each holds only idempotent ``CREATE ... IF NOT EXISTS`` / ``CREATE OR REPLACE VIEW``."""
    return [SCHEMA_SQL, *sorted(SCHEMA_SQL.parent.glob("schema_*.sql"))]


_DIGESTS: dict[tuple, str] = {}


def schema_digest() -> str:
    """Hex SHA-256 of the schema version, every ``schema_files`` text and the agency reference
    CSV: changes with a release's schema or an edited agency table (then the next open
    upgrades the file once). Cached by the files' modification times."""
    parts = [*schema_files(), REFERENCE_CSV]
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in parts)
    if key not in _DIGESTS:
        digest = hashlib.sha256(SCHEMA_VERSION.encode())
        for part in parts:
            digest.update(part.name.encode() + b"\0" + part.read_bytes())
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


def ensure_schema(con: duckdb.DuckDBPyConnection, agencies: AgencyTable | None = None) -> None:
    """Bring the database to this code's schema, then sync the agency table.

    A fresh database gets ``data/store/schema.sql`` (version 1) and every migration; an older
    one is first backed up (``backup_before_upgrade``) and migrated in one transaction.
    Then the idempotent ``schema_files`` run (new tables and views), and the agency table
    and its aliases are synced from ``data/reference/perangkat_daerah.csv`` (new names and
    aliases are added; nothing is removed). Aggregates an older release did not keep are
    built (``data.store.aggregates.build_missing``).

    Raises:
        SchemaTooNew: the database is newer than this code (nothing is changed).
    """
    version = migrations.schema_version(con)
    migrations.refuse_if_too_new(version, file_of(con) or "(in memory)")
    if version is None:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        set_meta(con, "schema_version", str(migrations.BASE_VERSION))
        version = migrations.BASE_VERSION
        log.info("schema created db=%s base_version=%s", file_of(con) or "(in memory)", version)
    elif migrations.pending(version):
        backup_before_upgrade(con, version)
    migrations.apply_migrations(con, version)
    for part in schema_files():
        con.execute(part.read_text(encoding="utf-8"))
    from data.store.aggregates import build_missing     # (aggregates import this module)
    from data.store.engagement_counts import refresh_engagement
    build_missing(con)
    refresh_engagement(con)
    set_meta(con, "schema_sha256", schema_digest())
    _sync_agencies(con, agencies or load_agency_table())


def _sync_agencies(con: duckdb.DuckDBPyConnection, agencies: AgencyTable) -> None:
    skpd = pd.DataFrame([(a.name, a.abbreviation, a.kind) for a in agencies.agencies.values()],
                        columns=["name", "abbreviation", "kind"])
    aliases = pd.DataFrame(agencies.keys(), columns=["alias_key", "skpd"])
    con.register("skpd_frame", skpd)
    con.register("aliases_frame", aliases)
    try:
        con.execute("INSERT INTO skpd SELECT name, abbreviation, kind FROM skpd_frame ON CONFLICT (name) "
                    "DO UPDATE SET abbreviation = excluded.abbreviation, kind = excluded.kind")
        con.execute("INSERT INTO skpd_alias SELECT alias_key, skpd FROM aliases_frame ON CONFLICT (alias_key) DO NOTHING")
    finally:
        con.unregister("skpd_frame")
        con.unregister("aliases_frame")


def file_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file ``con`` has open as its main database; None in memory."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(row[0][0]) if row and row[0][0] else None


def backup_dir_for(db: Path) -> Path:
    """Where automatic backups of ``db`` go: the ``backup_dir`` setting, else ``backups/`` beside it."""
    return settings().backup_dir or db.parent / "backups"


def backup_before_upgrade(con: duckdb.DuckDBPyConnection, version: int) -> Path | None:
    """Copy the database ``con`` has open to ``<backup dir>/<name>-v<version>-<WIB time>.duckdb``
    (and its checksum to ``.duckdb.sha256``) before it is migrated; None for an in-memory database. At most one such copy per schema
    version and content: when a start fails after the backup (and systemd or a person tries
    again), an earlier ``-v<version>-`` backup holding the same rows per table is kept and reused.

    Returns:
        the backup (new or reused), or None in memory.

    Raises:
        BackupError: the copy failed (the upgrade must not go ahead).
    """
    source = file_of(con)
    if source is None:
        return None
    folder = backup_dir_for(source)
    earlier = _same_content_backup(con, sorted(folder.glob(f"{glob_escape(source.stem)}-v{version}-*.duckdb")))
    if earlier is not None:
        log.info("backup reason=upgrade db=%s file=%s schema_version=%s reused=true", source, earlier, version)
        return earlier
    stamp = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{source.stem}-v{version}-{stamp}.duckdb"
    rows = copy_database(con, target)
    write_checksum(target)
    log.info("backup reason=upgrade db=%s file=%s schema_version=%s tables=%s rows=%s",
             source, target, version, len(rows), sum(rows.values()))
    return target


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksum(path: Path) -> Path:
    """Write ``<path>.sha256`` beside ``path`` (``sha256sum -c`` format, mode 0600); returns it."""
    sidecar = path.with_name(path.name + ".sha256")
    fd = os.open(sidecar, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"{file_sha256(path)}  {path.name}\n")
    return sidecar


def glob_escape(text: str) -> str:
    """``text`` with the glob characters ``*?[`` taken literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _same_content_backup(con: duckdb.DuckDBPyConnection, candidates: list[Path]) -> Path | None:
    """The newest of ``candidates`` whose tables hold as many rows as the open database's."""
    wanted = row_counts(con)
    for candidate in reversed(candidates):
        try:
            con.execute(f"ATTACH '{_sql_text(candidate)}' AS {_COPY_ALIAS} (READ_ONLY)")
        except duckdb.Error:
            continue  # unreadable or damaged: not a copy to rely on
        try:
            if row_counts(con, _COPY_ALIAS) == wanted:
                return candidate
        finally:
            con.execute(f"DETACH {_COPY_ALIAS}")
    return None


def copy_database(con: duckdb.DuckDBPyConnection, target: Path) -> dict[str, int]:
    """Copy everything of the database ``con`` has open (tables with their constraints,
    views, data) into the new file ``target``, in one consistent snapshot. The copy is
    written as ``<target>.partial`` and renamed (mode 0600) when its row counts match the
    source's; on any failure nothing is left behind.

    Returns:
        rows per table of the copy, ``{table name: rows}``.

    Raises:
        BackupError: ``target`` exists, or the copy's row counts differ from the source's.
    """
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    source = con.execute("SELECT current_database()").fetchall()[0][0]
    leftovers = (partial, partial.with_name(partial.name + ".wal"))
    try:
        con.execute(f"ATTACH '{_sql_text(partial)}' AS {_COPY_ALIAS} (READ_WRITE)")
        try:
            con.execute(f'COPY FROM DATABASE "{_sql_ident(source)}" TO {_COPY_ALIAS}')
            expected, copied = row_counts(con, source), row_counts(con, _COPY_ALIAS)
        finally:
            con.execute(f"DETACH {_COPY_ALIAS}")
        if expected != copied:
            raise BackupError(f"copy to {target} is incomplete: {copied} rows against {expected}")
        os.chmod(partial, 0o600)  # a backup holds NIPs and names: its owner only
        os.replace(partial, target)
    except BaseException:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise
    return copied


def row_counts(con: duckdb.DuckDBPyConnection, database: str | None = None) -> dict[str, int]:
    """Rows per base table of the ``main`` schema of ``database`` (default: the open one)."""
    database = database or con.execute("SELECT current_database()").fetchall()[0][0]
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
                                       "AND schema_name = 'main' ORDER BY table_name", [database]).fetchall()]
    return {n: con.execute(f'SELECT count(*) FROM "{_sql_ident(database)}".main."{n}"').fetchall()[0][0] for n in names}


def _sql_text(value: object) -> str:
    return str(value).replace("'", "''")


def _sql_ident(value: object) -> str:
    return str(value).replace('"', '""')


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Set one ``meta`` entry (``is_demo``, ``schema_version``, ...)."""
    con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the store holds table ``name`` (older files, opened read-only, may not)."""
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()[0][0] > 0


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """One ``meta`` entry, or None."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return row[0][0] if row else None


__all__ = ["connect", "db_path", "demo_db_path", "ensure_schema", "is_current", "set_meta", "get_meta", "has_table", "schema_files", "agency_key",
           "copy_database", "row_counts", "file_of", "data_stamp", "backup_before_upgrade", "DEFAULT_DB", "DEMO_DB", "DatabaseBusy"]
