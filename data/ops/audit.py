"""The audit log: one row per login, import, undo, export, e-mail sent and refused access (who, when
in WIB, what), and one key=value log line each.

Two append-only places, read together by ``audit_entries`` (see README, "Who owns the
database file"):
- ``record(con, ...)``: inside a writer's own transaction (imports, undos, erasures), into
  the ``audit_log`` table, so the row commits or rolls back with the change it describes.
- ``record_event(db, ...)``: everything the dashboard records (logins, failed logins,
  logouts, downloads, refused pages or agencies) goes to the audit file beside the
  database, ``<db>.audit.jsonl``: one JSON object per line, appended with ``O_APPEND``
  under an exclusive ``flock`` and ``fsync``-ed before returning. Appending never waits for
  the database, never conflicts with another session and works when the database is
  read-only; many threads and processes may append at once and no row is lost.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
from pathlib import Path

import duckdb
import pandas as pd

from data.store.connection import db_path, file_of
from data.intake.values import WIB

log = logging.getLogger(__name__)
ACTIONS = ("login", "login_failed", "logout", "import", "undo", "export", "refused", "erase", "send", "subscribe")
COLUMNS = ["at", "username", "action", "detail"]
UNREADABLE = "unreadable"          # action shown for a line of the audit file that is not a row
_TAIL_BLOCK = 64 * 1024


def _now() -> dt.datetime:
    return dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)


def _check(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")


def record(con: duckdb.DuckDBPyConnection, username: str, action: str, detail: str = "") -> None:
    """Append one audit row to the ``audit_log`` table on an open read-write connection, in
    the caller's transaction (imports, undos, erasures).

    Raises:
        ValueError: an action not in ``ACTIONS``.
    """
    _check(action)
    con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?)", [_now(), username, action, detail])
    log.info("audit action=%s user=%s detail=%s", action, username, detail)


def audit_file(db: str | os.PathLike | None = None) -> Path:
    """The audit file of database ``db`` (default: the ``db_path`` setting): ``<db>.audit.jsonl`` beside it."""
    path = db_path(db)
    return path.with_name(path.name + ".audit.jsonl")


def record_event(db: str | os.PathLike | None, username: str, action: str, detail: str = "") -> bool:
    """Append one row (``{"at": WIB ISO time, "username", "action", "detail"}``) to ``audit_file(db)``.

    Safe from any number of threads and processes at once: one ``write`` of the whole line
    in append mode under an exclusive ``flock``, then ``fsync``. A line left torn by a
    writer killed mid-write is closed first, so the next row starts on its own line.

    Returns:
        True when the row is on disk; False when the file cannot be written (read-only
        folder or medium): the row then goes to the log (WARNING) only, and the caller says
        so on screen. Never raises for that, so a login or page never breaks on the audit.

    Raises:
        ValueError: an action not in ``ACTIONS``.
    """
    _check(action)
    row = {"at": _now().isoformat(), "username": username, "action": action, "detail": detail}
    line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
    path = audit_file(db)
    try:
        _append(path, line)
    except OSError as exc:
        log.warning("audit not_recorded=true file=%s reason=%r action=%s user=%s detail=%s",
                    path, exc, action, username, detail)
        return False
    log.info("audit action=%s user=%s detail=%s", action, username, detail)
    return True


def _append(path: Path, line: bytes) -> None:
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line                      # close a torn line left by a killed writer
        written = 0
        while written < len(line):
            written += os.write(fd, line[written:])
        os.fsync(fd)
    finally:
        os.close(fd)                                 # releases the flock


def _tail_lines(path: Path, limit: int) -> list[bytes]:
    """The last ``limit`` non-empty lines of ``path``, oldest first, reading from the end."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return []
    with handle:
        pos = handle.seek(0, os.SEEK_END)
        chunks, newlines = [], 0
        while pos > 0 and newlines <= limit:
            step = min(_TAIL_BLOCK, pos)
            pos -= step
            handle.seek(pos)
            chunk = handle.read(step)
            chunks.append(chunk)
            newlines += chunk.count(b"\n")
    lines = b"".join(reversed(chunks)).split(b"\n")
    if pos > 0:
        lines = lines[1:]                            # the first may be the end of an older line
    return [ln for ln in lines if ln.strip()][-limit:]


def _parse(line: bytes) -> tuple:
    try:
        row = json.loads(line)
        return pd.Timestamp(row["at"]), str(row["username"]), str(row["action"]), str(row["detail"])
    except (ValueError, KeyError, TypeError):
        return pd.NaT, "-", UNREADABLE, line.decode("utf-8", errors="replace")


def file_entries(path: str | os.PathLike, limit: int = 1000) -> pd.DataFrame:
    """The newest ``limit`` rows of an audit file, newest first (``COLUMNS``; ``at`` a naive WIB
    timestamp). A line that is not a row (a torn write) is kept as action ``unreadable`` with
    the line as ``detail``. A missing file gives an empty frame."""
    rows = [_parse(line) for line in reversed(_tail_lines(Path(path), limit))]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"])
    return frame


def audit_entries(con: duckdb.DuckDBPyConnection, limit: int = 1000) -> pd.DataFrame:
    """The newest ``limit`` audit rows of the database ``con`` has open and of its audit file,
    newest first: ``at`` (naive WIB timestamp, seconds), ``username``, ``action``, ``detail``.
    Rows of the same second keep their order of writing within each source.

    Reads: audit_log, ``<db>.audit.jsonl``.
    """
    table = con.execute('SELECT "at", username, action, detail FROM audit_log ORDER BY "at" DESC, rowid DESC LIMIT ?',
                        [limit]).df()
    db = file_of(con)
    if db is None:
        return table
    both = pd.concat([frame for frame in (file_entries(audit_file(db), limit), table) if not frame.empty]
                     or [table], ignore_index=True)
    both["at"] = pd.to_datetime(both["at"])
    return both.sort_values("at", ascending=False, kind="stable", na_position="first").head(limit).reset_index(drop=True)
