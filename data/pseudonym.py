"""Pseudonymous NIPs: events and attendance are stored under a keyed hash of the NIP.

Only the roster (``employee.nip_plain``, ``employee.name``) holds the NIP itself; every
other table - and the ``nip`` column of ``employee``, which the KPI joins use - holds
``pseudonym(nip)``: the first 32 hex digits of SHA-256(key ":" NIP). The key lives
outside the database, in ``$KMDASH_NIP_KEY_FILE`` (default ``data/nip.key``, created on
first use, readable by its owner only). Without the key the stored values cannot be
turned back into NIPs; with a different key new imports would no longer join old ones,
so the store keeps a fingerprint of its key and refuses a mismatching one.

Back up the key file with the database: a database restored without its key loses the
link between its events and any roster imported later.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from data.errors import KmdashError
from data.keyfile import read_or_create_key

FINGERPRINT_META = "nip_key_fingerprint"
HEX_DIGITS = 32


class KeyMismatch(KmdashError):
    """The NIP key file is not the one this database was written with."""


def key_file() -> Path:
    """The key file setting (``$KMDASH_NIP_KEY_FILE``, default ``data/nip.key``; data.config)."""
    from data.config import settings
    return settings().nip_key_file




def nip_key() -> str:
    """The key (hex text), creating the key file on first use."""
    return read_or_create_key(str(key_file()))


def pseudonym(nip: str, key: str | None = None) -> str:
    """The stored form of an 18-digit NIP (32 hex digits). ``key`` is ``nip_key()`` when
    not given; a caller hashing many NIPs passes it once (reading the settings per NIP
    costs about 40 us)."""
    return hashlib.sha256(f"{key or nip_key()}:{nip}".encode("ascii")).hexdigest()[:HEX_DIGITS]


def sql_pseudonym(column: str) -> str:
    """A DuckDB expression computing ``pseudonym`` of ``column`` (the key bound as ``$nip_key``)."""
    return f"left(sha256($nip_key || ':' || {column}), {HEX_DIGITS})"


def fingerprint(key: str | None = None) -> str:
    """A value that identifies the key (``key``, default ``nip_key()``) without revealing it."""
    return hashlib.sha256(f"kmdash-fingerprint:{key or nip_key()}".encode("ascii")).hexdigest()[:16]



def check_key(con) -> None:
    """Record the key's fingerprint in a new store, or refuse a store written with another key.

    Raises:
        KeyMismatch: the store's fingerprint differs from the key file's.
    """
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [FINGERPRINT_META]).fetchall()
    if not rows:
        con.execute("INSERT INTO meta VALUES (?, ?)", [FINGERPRINT_META, fingerprint()])
    elif rows[0][0] != fingerprint():
        raise KeyMismatch(f"the NIP key file {key_file()} is not the key this database was written with; "
                          f"restore the key file that belongs to it (see docs/deployment.md)")


# (table, column) holding NIPs that migration 3 turns into pseudonyms; employee keeps the NIP in nip_plain.
PSEUDONYM_COLUMNS = (("employee", "nip"), ("access_event", "nip"), ("attendance", "nip"), ("aset", "uploader_nip"))


def migrate_to_pseudonyms(con) -> None:
    """Schema version 3: ``employee`` gains ``nip_plain`` (the NIP itself), and every NIP
    column of ``PSEUDONYM_COLUMNS`` (and the ``use_month`` aggregate, where present) is
    replaced by its pseudonym. Runs inside the caller's transaction; values already
    pseudonymous (32 hex digits) are left alone."""
    params = {"nip_key": nip_key()}
    con.execute("ALTER TABLE employee ADD COLUMN IF NOT EXISTS nip_plain VARCHAR")
    con.execute("UPDATE employee SET nip_plain = nip WHERE nip_plain IS NULL AND length(nip) = 18")
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, column in PSEUDONYM_COLUMNS + (("use_month", "nip"),):
        if table in tables:
            con.execute(f"UPDATE {table} SET {column} = {sql_pseudonym(column)} "
                        f"WHERE {column} IS NOT NULL AND length({column}) = 18", params)
    check_key(con)
