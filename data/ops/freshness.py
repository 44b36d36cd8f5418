"""Freshness of the data (``data.admin freshness``): per export kind, when it was last imported
and which period the data covers.

A kind is stale when its newest counted import is older than ``max_age_days`` (yearly kinds,
maturity, jury and the headcount recap: ``YEARLY_MAX_AGE_DAYS``), or, for the dated kinds of
``DATA_DATES``, when its newest event or as-of date is older than ``max_data_age_days`` (yearly
kinds: ``YEARLY_MAX_AGE_DAYS``): re-importing last month's file again does not make the data fresh.
The headcount recap is yearly: one recap (the samples' is as of 30 June) serves the whole year.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass

from data.store import connection
from data.ops.integrity import _existing

log = logging.getLogger("data.admin")

WIB = dt.timezone(dt.timedelta(hours=7))
YEARLY_KINDS, YEARLY_MAX_AGE_DAYS = ("maturity", "jury", "headcount"), 366
# kind -> (table, the column dating a row: an event's time or a snapshot's as-of date)
DATA_DATES = {"access_log": ("access_event", "event_time"), "attendance": ("attendance", "activity_date"),
              "activity": ("activity", "activity_date"), "headcount": ("headcount", "as_of")}


@dataclass(frozen=True)
class SourceAge:
    """One export kind ever imported (status ``loaded``).

    Attributes:
        newest: its newest counted import (WIB). age_days: whole days since.
        data_newest: the newest date its rows cover (None for undated kinds: roster, aset,
            maturity, jury). data_age_days: whole days since (None likewise).
        limit_days / data_limit_days: the limits applied. stale: either age over its limit.
    """

    kind: str
    newest: dt.datetime
    age_days: int
    stale: bool
    data_newest: dt.date | None = None
    data_age_days: int | None = None
    limit_days: int = 0
    data_limit_days: int | None = None


def freshness(max_age_days: int, *, max_data_age_days: int = 62, db: str | os.PathLike | None = None,
              now: dt.datetime | None = None) -> list[SourceAge]:
    """Per export kind ever imported, its newest import and newest data date, and whether
    either is older than its limit (WIB days since ``now``, default the current time). Ordered by kind.

    Reads ``import_log`` and, for ``DATA_DATES`` kinds, the kind's table (rows of counted imports).

    Raises:
        BackupError: no database. DatabaseBusy: locked past the wait. SchemaTooNew: newer database.
    """
    path = _existing(db)
    now = now or dt.datetime.now(WIB).replace(tzinfo=None)
    with connection.connect(path, read_only=True) as con:
        rows = con.execute("SELECT kind, max(imported_at) FROM import_log WHERE status = 'loaded' "
                           "GROUP BY kind ORDER BY kind").fetchall()
        data_dates = {kind: _newest_date(con, *DATA_DATES[kind]) for kind, _ in rows if kind in DATA_DATES}
    ages = []
    for kind, newest in rows:
        limit = YEARLY_MAX_AGE_DAYS if kind in YEARLY_KINDS else max_age_days
        data_newest = data_dates.get(kind)
        data_age = (now.date() - data_newest).days if data_newest else None
        data_limit = (YEARLY_MAX_AGE_DAYS if kind in YEARLY_KINDS else max_data_age_days) if kind in DATA_DATES else None
        stale = (now - newest) > dt.timedelta(days=limit) or (data_age is not None and data_age > data_limit)
        ages.append(SourceAge(kind, newest, (now - newest).days, stale, data_newest, data_age, limit, data_limit))
    log.info("freshness db=%s max_age_days=%s max_data_age_days=%s stale=%s", path, max_age_days, max_data_age_days,
             ",".join(a.kind for a in ages if a.stale) or "-")
    return ages


def _newest_date(con, table: str, column: str) -> dt.date | None:
    value = con.execute(f"SELECT max(CAST({column} AS DATE)) FROM {table} WHERE import_id IN "
                        "(SELECT import_id FROM import_log WHERE status = 'loaded')").fetchall()[0][0]
    return value
