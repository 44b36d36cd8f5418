"""Aggregates kept up to date at import time, so the KPI queries need not scan every
access-log event.

``use_month``: one row per (WIB month, NIP, asset id) with at least one view or download,
holding how many stored (already de-duplicated) such events there are. It is built from
``access_event`` alone - never from the roster or the asset register - so a roster or
register arriving later changes nothing here: the KPI queries still join both at query
time, and import order still never changes a number (DOMAIN.md, "judged when counted").

It is refreshed inside the import's transaction (``data.load.load_table`` calls
``refresh_after_insert``): the months an access-log import touched are recomputed from
``access_event``. The first refresh of a store that has events but no aggregate yet
builds it whole; until then ``meta.use_month_ready`` is absent and readers fall back to
``access_event`` (``use_month_ready``).
"""
from __future__ import annotations

import logging

import duckdb

log = logging.getLogger(__name__)

READY_KEY = "use_month_ready"
USE_ACTIONS = ("view", "download")

_CREATE = """
CREATE TABLE IF NOT EXISTS use_month (
    month_start DATE NOT NULL,      -- first day of the WIB month of the events
    nip VARCHAR NOT NULL,
    aset_id VARCHAR NOT NULL,
    use_events INTEGER NOT NULL     -- stored view/download events of this NIP on this asset in the month
)"""
_SELECT = """
SELECT date_trunc('month', event_time)::DATE AS month_start, nip, aset_id, count(*)::INTEGER AS use_events
FROM access_event WHERE action IN ('view', 'download') {where}
GROUP BY ALL ORDER BY month_start, nip, aset_id"""


def use_month_ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``use_month`` is complete (built and kept up to date) in this store."""
    has_meta = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchall()[0][0]
    return bool(has_meta) and bool(con.execute("SELECT count(*) FROM meta WHERE key = ?", [READY_KEY]).fetchall()[0][0])


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Build ``use_month`` from all of ``access_event`` and mark it ready; returns its rows."""
    con.execute(_CREATE)
    con.execute("DELETE FROM use_month")
    con.execute("INSERT INTO use_month " + _SELECT.format(where=""))
    con.execute("INSERT INTO meta VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value", [READY_KEY])
    rows = con.execute("SELECT count(*) FROM use_month").fetchall()[0][0]
    log.info("aggregate table=use_month rebuilt rows=%s", rows)
    return rows


def refresh_after_insert(con: duckdb.DuckDBPyConnection, kind: str, import_id: int) -> None:
    """Bring the aggregates up to date after import ``import_id`` of ``kind`` was inserted
    (inside its transaction). Only ``access_log`` imports touch ``use_month``: the months
    its events fall in are deleted and recomputed from ``access_event``."""
    if kind != "access_log":
        return
    if not use_month_ready(con):
        rebuild(con)
        return
    months = [r[0] for r in con.execute("SELECT DISTINCT date_trunc('month', event_time)::DATE FROM access_event "
                                        "WHERE import_id = ?", [import_id]).fetchall()]
    for month in months:
        con.execute("DELETE FROM use_month WHERE month_start = ?", [month])
        con.execute("INSERT INTO use_month " + _SELECT.format(
            where="AND event_time >= $m AND event_time < $m + INTERVAL 1 MONTH"), {"m": month})
    log.info("aggregate table=use_month import_id=%s months=%s", import_id, len(months))
