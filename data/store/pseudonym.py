"""Pseudonymous NIPs: events and attendance are stored under a keyed hash of the NIP.

Only the roster (``employee.nip_plain``, ``employee.name``) holds the NIP itself; every
other table - and the ``nip`` column of ``employee``, which the KPI joins use - holds
``pseudonym(nip)``: the first 32 hex digits of SHA-256(key ":" NIP). The key lives
outside the database, in ``$KMDASH_NIP_KEY_FILE`` (default ``data/nip.key``, created by
the first import into a new store, readable by its owner only). Without the key the stored values cannot be
turned back into NIPs; with a different key new imports would no longer join old ones,
so the store keeps a fingerprint of its key and refuses a mismatching one.

Back up the key file with the database: a database restored without its key loses the
link between its events and any roster imported later.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from data.errors import KmdashError

FINGERPRINT_META = "nip_key_fingerprint"
HEX_DIGITS = 32


class KeyMismatch(KmdashError):
    """The NIP key file is not the one this database was written with."""


def key_file() -> Path:
    """The key file setting (``$KMDASH_NIP_KEY_FILE``, default ``data/nip.key``; data.config)."""
    from data.config import settings
    return settings().nip_key_file


_PENDING: dict[str, str] = {}    # key file path -> a new key not written yet (there is no file so far)


def _read_key(path: str) -> str | None:
    """The key in the file at ``path`` (read afresh each time: a restore may replace it), or None."""
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None


def _write_pending(path: str) -> None:
    """Write the pending key of ``path`` to its file (0600, folder 0700 where created); the
    first of several processes wins (atomic link), and a different key of another process
    is refused, since the NIPs just hashed used this one.

    Raises:
        KeyMismatch: another process created a different key file meanwhile.
    """
    key = _PENDING.pop(path)
    file = Path(path)
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    try:
        os.link(partial, file)
    except FileExistsError:
        pass
    finally:
        partial.unlink(missing_ok=True)
    if _read_key(path) != key:
        raise KeyMismatch(f"the NIP key file {path} was created by another process meanwhile; run the import again")


def nip_key() -> str:
    """The key (hex text) in the key file. Where there is no key file yet, a new key is made
    and kept in memory: ``check_key`` writes it when a new store records its fingerprint, so
    only a command that really writes creates the file."""
    path = str(key_file())
    return _read_key(path) or _PENDING.setdefault(path, secrets.token_hex(32))


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
    """Record the key's fingerprint in a new store (writing the key file if there was none),
    or refuse a store written with another key or whose key file is missing.

    Raises:
        KeyMismatch: the store's fingerprint differs from the key file's, or the file is missing.
    """
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [FINGERPRINT_META]).fetchall()
    path = str(key_file())
    if not rows:
        key = nip_key()
        if path in _PENDING:            # a new store: its key file is created with its first write
            _write_pending(path)
        con.execute("INSERT INTO meta VALUES (?, ?)", [FINGERPRINT_META, fingerprint(key)])
    elif _read_key(path) is None:
        raise KeyMismatch(f"the NIP key file {path} is missing, and this database was written with a key; "
                          f"restore the key file that belongs to it (see docs/deployment.md); no key was created")
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
