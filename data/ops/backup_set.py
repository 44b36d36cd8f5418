"""Backup sets: everything needed to bring the product back on another machine, in one folder.

A set is a folder ``<db name>-<WIB time>/`` (mode 0700, files 0600) holding

- ``kmdash.duckdb``: a consistent copy of the database (``connection.copy_database``, read-only
  open, so it runs while the dashboard serves);
- ``nip.key``: the key of the NIP pseudonyms (without it a restored database refuses every
  import, ``data.store.pseudonym``); required whenever the database holds pseudonyms;
- ``users.json``: the dashboard's accounts, when there is a users file;
- ``audit.jsonl``: the dashboard's audit file (``data.ops.audit``: logins, downloads, refusals),
  when there is one, copied under its lock;
- ``manifest.json``: ``format``, ``format_version``, ``release`` and ``schema_version`` of the
  code and database that wrote it, ``created_at`` (WIB), ``nip_key_fingerprint``, ``rows``
  per table, per file ``bytes`` and ``sha256``, and ``manifest_sha256`` (of the other fields
  as canonical JSON), so a damaged manifest is found as well as a damaged file.

It is written as ``<name>.partial/`` and renamed when complete. ``verify_set`` checks a set
(every checksum, the key against the database's fingerprint, the schema version) and
``restore_set`` does that, then copies the database into a staging file, and only then
saves the state it replaces (another set) and puts the database, key and users file where
the settings point. A damaged or incomplete set raises ``BackupError`` with one line
naming the file and the reason, before anything is changed.

A single ``.duckdb`` file (a pre-upgrade backup, or a backup of an older release) can be
restored too (``restore_database_file``): it carries no key, so it is refused when the
database holds pseudonyms of a key other than the one on this machine. Its checksum file
``<file>.sha256``, when present (pre-upgrade backups write one), must match; without one,
DuckDB's own block checksums are what finds damage, while the copy is staged.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from data.store import connection, migrations, pseudonym
from data.ops.audit import audit_file
from data.config import settings
from data.errors import BackupError
from data.version import RELEASE

log = logging.getLogger(__name__)

FORMAT, FORMAT_VERSION = "kmdash-backup-set", 1
MANIFEST, DB_FILE, KEY_FILE, USERS_FILE = "manifest.json", "kmdash.duckdb", "nip.key", "users.json"
AUDIT_FILE = "audit.jsonl"
WIB = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class BackupSet:
    """A verified set: its folder and its manifest (see the module docstring for the keys)."""

    path: Path
    manifest: dict

    @property
    def has_key(self) -> bool:
        return KEY_FILE in self.manifest["files"]

    @property
    def has_users(self) -> bool:
        return USERS_FILE in self.manifest["files"]


def _existing_db(db: str | os.PathLike | None) -> Path:
    path = connection.db_path(db)
    if not path.is_file():
        raise BackupError(f"no database at {path}")
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary name, readable by its owner only (0600)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _db_facts(con) -> tuple[int | None, str | None]:
    """The open database's schema version and NIP key fingerprint (None when it has none)."""
    version = migrations.schema_version(con)
    if version is None:
        return None, None
    return version, connection.get_meta(con, pseudonym.FINGERPRINT_META)


def _set_folder(target: str | os.PathLike | None, source: Path) -> Path:
    """Where a new set goes: ``target`` itself when it does not exist yet, else a timestamped folder in it."""
    folder = Path(target) if target is not None else connection.backup_dir_for(source)
    if target is not None and not folder.exists():
        return folder
    if folder.exists() and not folder.is_dir():
        raise BackupError(f"{folder} exists already and is not a folder; choose a new name")
    return folder / f"{source.stem}-{dt.datetime.now(WIB):%Y%m%dT%H%M%S}"


def write_set(target: str | os.PathLike | None = None, *, db: str | os.PathLike | None = None,
              strict_key: bool = True) -> Path:
    """Write a backup set of the database ``db`` (default: the setting), the NIP key file and
    the users file the settings name. ``target``: a new folder for the set, or an existing
    folder to put a timestamped set in (default: ``backup_dir``).

    Args:
        strict_key: refuse when the key file does not belong to the database (a set that
            could not be restored); False only for the save made before a restore.

    Returns:
        the set's folder.

    Raises:
        BackupError: no database, the set exists, or the key file is missing or belongs to
            another database. DatabaseBusy: locked past the wait.
    """
    source = _existing_db(db)
    final = _set_folder(target, source)
    if final.exists():
        raise BackupError(f"{final} exists already; choose a new name")
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)
    try:
        manifest = _seal(_fill_set(partial, source, strict_key))
        _write_private(partial / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
        os.replace(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    log.info("backup reason=manual db=%s set=%s tables=%s rows=%s key=%s users=%s", source, final,
             len(manifest["rows"]), sum(manifest["rows"].values()), KEY_FILE in manifest["files"],
             USERS_FILE in manifest["files"])
    return final


def _fill_set(folder: Path, source: Path, strict_key: bool) -> dict:
    """Copy the database, key and users file into ``folder``; the manifest (not yet written)."""
    con = connection._open(source, True, settings().lock_wait_s)
    try:
        version, key_fingerprint = _db_facts(con)
        if version is None:
            raise BackupError(f"{source} is not a KM dashboard database (no meta table)")
        rows = connection.copy_database(con, folder / DB_FILE)
    finally:
        con.close()
    config = settings()
    key_file, users_file = config.nip_key_file, config.users_file
    if key_file.is_file():
        key_text = key_file.read_text(encoding="ascii").strip()
        if strict_key and key_fingerprint and pseudonym.fingerprint(key_text) != key_fingerprint:
            raise BackupError(f"the NIP key file {key_file} does not belong to {source}; "
                              "a set with it could not be restored (set nip_key_file to the database's key)")
        _write_private(folder / KEY_FILE, key_file.read_bytes())
    elif strict_key and key_fingerprint:
        raise BackupError(f"the NIP key file {key_file} is missing, but {source} holds pseudonymised NIPs; "
                          "without it a restored database cannot take imports")
    if users_file.is_file():
        _write_private(folder / USERS_FILE, users_file.read_bytes())
    audit = audit_file(source)
    if audit.is_file():
        with audit.open("rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)  # no append half-way
            _write_private(folder / AUDIT_FILE, handle.read())
    files = {p.name: {"bytes": p.stat().st_size, "sha256": connection.file_sha256(p)} for p in sorted(folder.iterdir())}
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "release": RELEASE, "schema_version": version,
            "created_at": dt.datetime.now(WIB).isoformat(timespec="seconds"), "source_db": str(source),
            "nip_key_fingerprint": key_fingerprint, "rows": rows, "files": files}


def _canonical_sha256(manifest: dict) -> str:
    """SHA-256 of the manifest's fields but ``manifest_sha256``, as canonical JSON."""
    fields = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _seal(manifest: dict) -> dict:
    """The manifest with its own checksum (``manifest_sha256``): an altered manifest is found too."""
    return {**manifest, "manifest_sha256": _canonical_sha256(manifest)}


def verify_set(path: str | os.PathLike) -> BackupSet:
    """Check the set at ``path`` without changing anything: the manifest, every file's size
    and SHA-256, the key against the database's fingerprint, the schema version.

    Raises:
        BackupError: one line naming the file and what is wrong (missing, truncated, altered).
        SchemaTooNew: written by a newer release.
    """
    path = Path(path)
    if not path.is_dir():
        raise BackupError(f"{path}: no backup set there (a set is a folder holding {MANIFEST})")
    manifest = _read_manifest(path / MANIFEST)
    for name, expected in manifest["files"].items():
        file = path / name
        if not file.is_file():
            raise BackupError(f"{file}: missing from the backup set (the manifest lists it)")
        if file.stat().st_size != expected["bytes"]:
            raise BackupError(f"{file}: {file.stat().st_size} bytes, the manifest says {expected['bytes']} "
                              "(truncated or altered)")
        if connection.file_sha256(file) != expected["sha256"]:
            raise BackupError(f"{file}: checksum differs from the manifest (damaged or altered)")
    if DB_FILE not in manifest["files"]:
        raise BackupError(f"{path / MANIFEST}: lists no {DB_FILE}; not a complete backup set")
    fingerprint = manifest.get("nip_key_fingerprint")
    if fingerprint:
        if KEY_FILE not in manifest["files"]:
            raise BackupError(f"{path}: the database holds pseudonymised NIPs but the set has no {KEY_FILE}")
        key_text = (path / KEY_FILE).read_text(encoding="ascii", errors="replace").strip()
        if pseudonym.fingerprint(key_text) != fingerprint:
            raise BackupError(f"{path / KEY_FILE}: not the key of this set's database")
    migrations.refuse_if_too_new(manifest.get("schema_version"), path)
    return BackupSet(path, manifest)


def _read_manifest(file: Path) -> dict:
    if not file.is_file():
        raise BackupError(f"{file}: missing; not a backup set, or one whose writing did not finish")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{file}: not a readable manifest ({exc.__class__.__name__})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{file}: not a KM dashboard backup manifest")
    if manifest.get("manifest_sha256") != _canonical_sha256(manifest):
        raise BackupError(f"{file}: its checksum does not match its content (damaged or altered)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{file}: backup set format {manifest.get('format_version')!r}; this release reads "
                          f"{FORMAT_VERSION}")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, dict) and {"bytes", "sha256"} <= set(v) for v in files.values()):
        raise BackupError(f"{file}: its list of files is damaged")
    return manifest


def _stage_database(source: Path, staging: Path) -> tuple[int, str | None, dict]:
    """Copy the backup database ``source`` into ``staging`` through DuckDB (every block read).

    Returns:
        schema version, NIP key fingerprint and rows per table of the copy.

    Raises:
        BackupError: not a readable KM dashboard database (nothing left at ``staging``).
        SchemaTooNew: written by a newer release.
    """
    _remove_staging(staging)
    try:
        con = duckdb.connect(str(source), read_only=True)
    except duckdb.Error as exc:
        raise BackupError(f"{source}: not a readable DuckDB database ({_first_line(exc)})") from exc
    try:
        version, key_fingerprint = _db_facts(con)
        if version is None:
            raise BackupError(f"{source} is not a KM dashboard database (no meta table)")
        migrations.refuse_if_too_new(version, source)
        rows = connection.copy_database(con, staging)
    except duckdb.Error as exc:
        _remove_staging(staging)
        raise BackupError(f"{source}: damaged database ({_first_line(exc)})") from exc
    except BaseException:
        _remove_staging(staging)
        raise
    finally:
        con.close()
    return version, key_fingerprint, rows


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0][:200]


def _remove_staging(staging: Path) -> None:
    for leftover in (staging, staging.with_name(staging.name + ".wal"), staging.with_name(staging.name + ".partial"),
                     staging.with_name(staging.name + ".partial.wal")):
        leftover.unlink(missing_ok=True)


def restore_set(path: str | os.PathLike, *, db: str | os.PathLike | None = None) -> Path | None:
    """Bring the set at ``path`` back where the settings point: the database (``db``, default
    the setting), the NIP key file and the users file. Everything is checked first
    (``verify_set``, then the database is copied into a staging file); then the state it
    replaces, if any, is saved as a set in the backup folder; then the files are put in place.

    Returns:
        the set holding the state as it was before (None when there was no database).

    Raises:
        BackupError: a damaged or incomplete set (nothing changed). SchemaTooNew: newer release.
        DatabaseBusy: locked past the wait.
    """
    backup_set = verify_set(path)
    target = connection.db_path(db)
    staging = target.with_name(target.name + ".restoring")
    target.parent.mkdir(parents=True, exist_ok=True)
    version, key_fingerprint, rows = _stage_database(backup_set.path / DB_FILE, staging)
    try:
        if key_fingerprint != backup_set.manifest.get("nip_key_fingerprint"):
            raise BackupError(f"{backup_set.path / DB_FILE}: its NIP key fingerprint differs from the manifest's")
        before = write_set(db=target, strict_key=False) if target.is_file() else None
        config = settings()
        if backup_set.has_key:
            config.nip_key_file.parent.mkdir(parents=True, exist_ok=True)
            _write_private(config.nip_key_file, (backup_set.path / KEY_FILE).read_bytes())
        if backup_set.has_users:
            config.users_file.parent.mkdir(parents=True, exist_ok=True)
            _write_private(config.users_file, (backup_set.path / USERS_FILE).read_bytes())
        if AUDIT_FILE in backup_set.manifest["files"]:
            _write_private(audit_file(target), (backup_set.path / AUDIT_FILE).read_bytes())
        _swap(staging, target)
    finally:
        _remove_staging(staging)
    log.info("restore set=%s db=%s schema_version=%s tables=%s rows=%s key=%s users=%s previous_saved_as=%s",
             backup_set.path, target, version, len(rows), sum(rows.values()), backup_set.has_key,
             backup_set.has_users, before)
    return before


def restore_database_file(source: str | os.PathLike, *, db: str | os.PathLike | None = None) -> Path | None:
    """Replace the database by a single backup file (a pre-upgrade backup, or an older
    release's backup). The file carries no key: it is refused when it holds pseudonyms
    and this machine's key file is missing or another one.

    Returns:
        the set holding the state as it was before (None when there was no database).

    Raises:
        BackupError: missing, damaged, not a KM dashboard database, or the key does not fit.
        SchemaTooNew: newer release. DatabaseBusy: locked past the wait.
    """
    source, target = Path(source), connection.db_path(db)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    _check_sidecar(source)
    staging = target.with_name(target.name + ".restoring")
    target.parent.mkdir(parents=True, exist_ok=True)
    version, key_fingerprint, rows = _stage_database(source, staging)
    try:
        key_file = settings().nip_key_file
        if key_fingerprint and (not key_file.is_file() or pseudonym.fingerprint(
                key_file.read_text(encoding="ascii").strip()) != key_fingerprint):
            raise BackupError(f"{source} holds NIPs pseudonymised with a key that {key_file} is not (or that file "
                              "is missing): restore a backup set, which carries its key")
        before = write_set(db=target, strict_key=False) if target.is_file() else None
        _swap(staging, target)
    finally:
        _remove_staging(staging)
    log.info("restore file=%s db=%s schema_version=%s tables=%s rows=%s previous_saved_as=%s",
             source, target, version, len(rows), sum(rows.values()), before)
    return before


def _check_sidecar(source: Path) -> None:
    """When ``<source>.sha256`` exists (pre-upgrade backups have one), the file must match it.

    Raises:
        BackupError: the checksum differs, or the sidecar is unreadable.
    """
    sidecar = source.with_name(source.name + ".sha256")
    if not sidecar.is_file():
        return
    words = sidecar.read_text(encoding="utf-8", errors="replace").split()
    if not words or len(words[0]) != 64:
        raise BackupError(f"{sidecar}: not a checksum file")
    if connection.file_sha256(source) != words[0].lower():
        raise BackupError(f"{source}: checksum differs from {sidecar.name} (damaged or altered)")


def _swap(staging: Path, target: Path) -> None:
    """Rename ``staging`` over ``target`` while holding ``target``'s write lock (so no import is half-way)."""
    holder = connection._open(target, False, settings().lock_wait_s) if target.is_file() else None
    try:
        if holder is not None:
            holder.execute("CHECKPOINT")
        os.replace(staging, target)
    finally:
        if holder is not None:
            holder.close()


def prune_sets(folder: Path, stem: str, keep_days: int, *, now: float | None = None) -> list[Path]:
    """Delete the complete sets ``<stem>-<time>`` in ``folder`` older than ``keep_days`` days
    (by their folder's modification time); never the newest set, never anything else.

    Returns:
        the sets deleted.
    """
    now = time.time() if now is None else now
    sets = sorted((p for p in folder.glob(f"{connection.glob_escape(stem)}-*") if (p / MANIFEST).is_file()),
                  key=lambda p: p.stat().st_mtime)
    old = [p for p in sets[:-1] if now - p.stat().st_mtime > keep_days * 86400]
    for path in old:
        shutil.rmtree(path)
        log.info("backup pruned set=%s keep_days=%s", path, keep_days)
    return old
