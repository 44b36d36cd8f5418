"""Versioned schema: the ordered list of migrations from one schema version to the next.

``data/store/schema.sql`` creates schema version ``BASE_VERSION`` (1). Every change to an
existing table after that is a ``Migration`` appended to ``MIGRATIONS``; the database's
version is ``meta.schema_version``. ``data.store.connection.ensure_schema`` (run once, by the first
open that finds the file new, older or with changed schema files) takes an automatic backup, then
applies the pending migrations in one transaction (all or none), then runs the idempotent
``schema*.sql`` files. A database newer than ``CURRENT_VERSION`` is refused
(``SchemaTooNew``), never downgraded.

Rules for the next change (see docs/deployment.md, "Upgrading"):
- A new table or view: ``CREATE ... IF NOT EXISTS`` in a ``data/store/schema_*.sql`` file; no migration.
- Anything else (a column added, renamed or retyped, data rewritten): a new ``Migration``
  here with the next version, written to be idempotent where DuckDB allows
  (``ADD COLUMN IF NOT EXISTS``), and a fixture of the previous version in
  ``tests/fixtures/schema_v<N>/`` (``make_v<N>.py``) so ``tests/test_migrations.py`` runs it.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import duckdb

from data.errors import KmdashError, SchemaTooNew

log = logging.getLogger(__name__)

BASE_VERSION = 1


@dataclass(frozen=True)
class Migration:
    """One step: ``apply(con)`` turns a database of ``version - 1`` into ``version``.

    ``apply`` runs inside the caller's transaction and must not commit.
    """

    version: int
    description: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def _v2_undo_columns(con: duckdb.DuckDBPyConnection) -> None:
    """import_log gains when and by whom an import was undone (NULL while it counts)."""
    con.execute("ALTER TABLE import_log ADD COLUMN IF NOT EXISTS undone_at TIMESTAMP")
    con.execute("ALTER TABLE import_log ADD COLUMN IF NOT EXISTS undone_by VARCHAR")


def _v3_pseudonyms(con: duckdb.DuckDBPyConnection) -> None:
    """NIPs outside the roster become keyed hashes (data.store.pseudonym); the roster keeps the NIP in nip_plain."""
    from data.store.pseudonym import migrate_to_pseudonyms
    migrate_to_pseudonyms(con)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "import_log.undone_at (TIMESTAMP, WIB) and undone_by (VARCHAR): who undid an import, and when",
              _v2_undo_columns),
    Migration(3, "employee.nip_plain holds the NIP; employee.nip, access_event.nip, attendance.nip and "
                 "aset.uploader_nip hold its keyed hash (data.store.pseudonym)", _v3_pseudonyms),
)
CURRENT_VERSION = MIGRATIONS[-1].version if MIGRATIONS else BASE_VERSION


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The database's schema version; None for a fresh database (no ``meta`` table).

    A ``meta`` table without ``schema_version`` is version ``BASE_VERSION``.

    Raises:
        KmdashError: ``meta.schema_version`` is not a whole number.
    """
    has_meta = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                           "AND schema_name = 'main' AND table_name = 'meta'").fetchall()[0][0]
    if not has_meta:
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    if not row:
        return BASE_VERSION
    try:
        return int(row[0][0])
    except ValueError as exc:
        raise KmdashError(f"meta.schema_version is {row[0][0]!r}, not a version number") from exc


def refuse_if_too_new(version: int | None, path: object) -> None:
    """Raises ``SchemaTooNew`` when ``version`` is newer than this code knows."""
    if version is not None and version > CURRENT_VERSION:
        raise SchemaTooNew(str(path), version, CURRENT_VERSION)


def pending(version: int, migrations: Sequence[Migration] = MIGRATIONS) -> list[Migration]:
    """The migrations a database of ``version`` still needs, in order."""
    return [m for m in migrations if m.version > version]


def apply_migrations(con: duckdb.DuckDBPyConnection, from_version: int, *,
                     migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the pending migrations in one transaction; ``meta.schema_version`` moves with them.

    Returns:
        the version the database has now (``from_version`` when nothing was pending).

    Raises:
        whatever a migration raises; the transaction is rolled back and the database keeps
        ``from_version`` and its data.
    """
    todo = pending(from_version, migrations)
    if not todo:
        return from_version
    started = time.monotonic()
    con.execute("BEGIN TRANSACTION")
    try:
        for step in todo:
            step.apply(con)
            con.execute("INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) "
                        "DO UPDATE SET value = excluded.value", [str(step.version)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        log.error("migration failed from_version=%s to_version=%s rolled_back=true", from_version, todo[-1].version)
        raise
    duration_s = time.monotonic() - started
    for step in todo:
        log.info("migration from_version=%s to_version=%s description=%r transaction_duration_s=%.3f",
                 step.version - 1, step.version, step.description, duration_s)
    return todo[-1].version
