"""The DuckDB store: where the file is, opening it, and creating the schema.

Ownership of the file (see README, "Who owns the database"): nobody holds it open.
DuckDB lets one process write and, while it does, no other process may even read.
So every user of the file opens a short-lived connection, does one unit of work
(one page's query set, or one file's import transaction) and closes it; a process
that finds the file locked retries for a bounded wait (``lock_wait_s``) and then
raises ``DatabaseBusy``. Imports parse files before opening the database, so the
lock is held only for the writes.
"""
from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path

import duckdb
import pandas as pd

from data.agencies import AgencyTable, agency_key, load_agency_table
from data.errors import DatabaseBusy

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent
DEFAULT_DB = DATA_DIR / "kmdash.duckdb"
DEMO_DB = DATA_DIR / "demo.duckdb"
SCHEMA_SQL = DATA_DIR / "schema.sql"
SCHEMA_VERSION = "1"
LOCK_WAIT_S = float(os.environ.get("KMDASH_LOCK_WAIT_S", "15"))
DUCKDB_THREADS = int(os.environ.get("KMDASH_DUCKDB_THREADS", "2"))
DUCKDB_MEMORY_LIMIT = os.environ.get("KMDASH_DUCKDB_MEMORY_LIMIT", "2GB")


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: ``explicit`` if given, else ``$KMDASH_DB``, else ``data/kmdash.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KMDASH_DB")
    return Path(env) if env else DEFAULT_DB


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


@contextlib.contextmanager
def connect(path: str | os.PathLike | None = None, *, read_only: bool = False, lock_wait_s: float | None = None):
    """Open the database for one unit of work and close it afterwards.

    A read-only open of a file that does not exist yet creates it (with the schema)
    first. A locked file is retried every 0.1-0.5 s for ``lock_wait_s`` seconds.

    Yields:
        a ``duckdb.DuckDBPyConnection``; callers that use threads take ``.cursor()`` each.

    Raises:
        DatabaseBusy: the file stayed locked by another process for the whole wait.
    """
    path = db_path(path)
    if read_only and not path.exists():
        with connect(path, read_only=False, lock_wait_s=lock_wait_s):
            pass
    con = _open(path, read_only, LOCK_WAIT_S if lock_wait_s is None else lock_wait_s)
    try:
        if not read_only:
            ensure_schema(con)
        yield con
    finally:
        con.close()


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    config = {"threads": DUCKDB_THREADS, "memory_limit": DUCKDB_MEMORY_LIMIT}
    deadline = time.monotonic() + wait_s
    pause = 0.1
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(f"database {path} is locked by another process (waited {wait_s:.0f} s)") from exc
            time.sleep(pause)
            pause = min(pause * 1.5, 0.5)


def schema_files() -> list[Path]:
    """``data/schema.sql`` then every ``data/schema_*.sql`` (one per feature), sorted by name.
    Each holds only idempotent ``CREATE ... IF NOT EXISTS`` / ``CREATE OR REPLACE VIEW``."""
    return [SCHEMA_SQL, *sorted(DATA_DIR.glob("schema_*.sql"))]


def ensure_schema(con: duckdb.DuckDBPyConnection, agencies: AgencyTable | None = None) -> None:
    """Create missing tables and views (``schema_files``), record the schema version, and sync the agency
    table and its aliases from ``data/reference/perangkat_daerah.csv`` (new names and
    aliases are added; nothing is removed)."""
    for part in schema_files():
        con.execute(part.read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [SCHEMA_VERSION])
    agencies = agencies or load_agency_table()
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


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Set one ``meta`` entry (``is_demo``, ``schema_version``, ...)."""
    con.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """One ``meta`` entry, or None."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return row[0][0] if row else None


__all__ = ["connect", "db_path", "ensure_schema", "set_meta", "get_meta", "agency_key",
           "DEFAULT_DB", "DEMO_DB", "DatabaseBusy"]
