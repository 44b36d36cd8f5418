"""The audit log: one row per login, import, undo, export and refused access (who, when
in WIB, what), in the ``audit_log`` table, and one key=value log line each."""
from __future__ import annotations

import datetime as dt
import logging
import os

import duckdb
import pandas as pd

from data.store import connect
from data.values import WIB

log = logging.getLogger(__name__)
ACTIONS = ("login", "login_failed", "logout", "import", "undo", "export", "refused", "erase")


def record(con: duckdb.DuckDBPyConnection, username: str, action: str, detail: str = "") -> None:
    """Append one audit row on an open read-write connection.

    Raises:
        ValueError: an action not in ``ACTIONS``.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    now = dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)
    con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?)", [now, username, action, detail])
    log.info("audit action=%s user=%s detail=%s", action, username, detail)


def record_event(db: str | os.PathLike | None, username: str, action: str, detail: str = "") -> None:
    """``record`` on a short-lived connection of its own."""
    with connect(db) as con:
        record(con, username, action, detail)


def audit_entries(con: duckdb.DuckDBPyConnection, limit: int = 1000) -> pd.DataFrame:
    """The newest ``limit`` audit rows, newest first: at (WIB), username, action, detail."""
    return con.execute('SELECT "at", username, action, detail FROM audit_log ORDER BY "at" DESC, rowid DESC LIMIT ?', [limit]).df()
