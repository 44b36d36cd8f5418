"""Utilisation targets and hand-edited headcounts as data, every change logged.

The target of an agency in a year is the most specific row of ``utilisation_target``:
(year, agency) > (every year, agency) > (year, every agency) > (every year, every agency),
else the programme's 0.5 (``metrics.registry.TARGET_UTILISATION``). Pusdatin sets and
removes rows with ``set_target``; a headcount of a recap is corrected with
``set_headcount``, which replaces the recap row as a one-row snapshot import (so the
import history and the data version see it). Both write ``target_change`` (who, when,
old, new). A database created before these tables existed reads as "default only".
"""
from __future__ import annotations

import datetime as dt
import logging

import duckdb
import pandas as pd

from data.store.engagement_counts import rebuild_engagement
from data.store.connection import has_table
from data.intake.values import WIB
from metrics.registry import TARGET_UTILISATION

EDITED_FILE_NAME = "(edited in dashboard)"   # the import log's file name of a headcount corrected on the page

log = logging.getLogger(__name__)


class TargetError(ValueError):
    """A target or headcount edit the user must correct (message says why)."""


def _now() -> dt.datetime:
    return dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)


def target_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The target rows as set: ``year`` (Int, NA = every year), ``skpd`` (str, None = every
    agency), ``target`` (float 0-1), ``set_at`` (WIB), ``set_by``; ordered year, skpd with
    the general rows first. No table or no rows: an empty frame with those columns.

    Reads: utilisation_target.
    """
    columns = ["year", "skpd", "target", "set_at", "set_by"]
    if not has_table(con, "utilisation_target"):
        return pd.DataFrame(columns=columns)
    return con.execute("SELECT year, skpd, target, set_at, set_by FROM utilisation_target "
                       "ORDER BY year NULLS FIRST, skpd NULLS FIRST").df()


def effective_targets(con: duckdb.DuckDBPyConnection, year: int, skpds: list[str]) -> dict[str | None, float]:
    """The target (fraction) for ``year`` of each agency in ``skpds`` and of the province
    (key ``None``), by the precedence in the module docstring.

    Reads: utilisation_target.
    """
    rows = target_rows(con)
    table = {(None if pd.isna(y) else int(y), s if isinstance(s, str) else None): float(t)
             for y, s, t in zip(rows["year"], rows["skpd"], rows["target"])}

    def pick(skpd: str | None) -> float:
        for key in ((year, skpd), (None, skpd), (year, None), (None, None)):
            if key in table:
                return table[key]
        return TARGET_UTILISATION

    return {name: pick(name) for name in [None, *skpds]}


def effective_target(con: duckdb.DuckDBPyConnection, year: int, skpd: str | None = None) -> float:
    """The target (fraction 0-1) for ``year`` and ``skpd`` (None: the province)."""
    return effective_targets(con, year, [] if skpd is None else [skpd])[skpd]


def _log_change(con, by: str, item: str, *, year=None, as_of=None, skpd=None, old=None, new=None, note="") -> None:
    con.execute("INSERT INTO target_change VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_now(), by, item, year, as_of, skpd, old, new, note])
    log.info("change item=%s year=%s as_of=%s skpd=%s old=%s new=%s by=%s", item, year, as_of, skpd, old, new, by)


def _check_skpd(con, skpd: str | None) -> None:
    if skpd is not None and not con.execute("SELECT count(*) FROM skpd WHERE name = ?", [skpd]).fetchall()[0][0]:
        raise TargetError(f"unknown agency {skpd!r}: use its official name")


def set_target(con: duckdb.DuckDBPyConnection, *, year: int | None, skpd: str | None, target: float | None,
               by: str, note: str = "") -> None:
    """Set (or with ``target=None`` remove) the target row for (year, skpd) and log the change.

    Args:
        year: WIB calendar year, or None for every year.
        skpd: official agency name, or None for every agency.
        target: fraction, 0 < target <= 1; None removes the row (the next rule applies).
        by: who made the change (recorded).

    Raises:
        TargetError: target outside (0, 1], or unknown agency.
    """
    if target is not None and not 0 < target <= 1:
        raise TargetError(f"a target is a fraction above 0 and at most 1, not {target}")
    _check_skpd(con, skpd)
    match = "year IS NOT DISTINCT FROM ? AND skpd IS NOT DISTINCT FROM ?"
    old = con.execute(f"SELECT target FROM utilisation_target WHERE {match}", [year, skpd]).fetchall()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM utilisation_target WHERE {match}", [year, skpd])
        if target is not None:
            con.execute("INSERT INTO utilisation_target VALUES (?, ?, ?, ?, ?)", [year, skpd, float(target), _now(), by])
        _log_change(con, by, "target", year=year, skpd=skpd, old=old[0][0] if old else None, new=target, note=note)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def set_headcount(con: duckdb.DuckDBPyConnection, *, skpd: str, as_of: dt.date, headcount: int, by: str,
                  note: str = "") -> int:
    """Correct one agency's headcount in the recap dated ``as_of``; returns the new import id.

    The recap row is replaced like a snapshot import (``import_log`` kind ``headcount``,
    format ``manual``), so the replaced value stays in the history; the change is logged.

    Raises:
        TargetError: no recap at ``as_of``, unknown agency, or a negative headcount.
    """
    if headcount < 0:
        raise TargetError(f"a headcount cannot be negative ({headcount})")
    _check_skpd(con, skpd)
    if not con.execute("SELECT count(*) FROM headcount_current WHERE as_of = ?", [as_of]).fetchall()[0][0]:
        raise TargetError(f"no headcount recap dated {as_of}: import the recap first")
    old = con.execute("SELECT headcount FROM headcount_current WHERE as_of = ? AND skpd = ?", [as_of, skpd]).fetchall()
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0]
        con.execute("INSERT INTO import_log (import_id, file_name, content_sha256, kind, file_format, sheet, header_row, "
                    "imported_at, imported_by, rows_read, rows_loaded, rows_duplicate, rows_rejected, rows_replaced, "
                    "status, notes) VALUES (?, ?, '', 'headcount', 'manual', '', 0, ?, ?, "
                    "1, 1, 0, 0, ?, 'loaded', ?)", [import_id, EDITED_FILE_NAME, _now(), by, len(old), note])
        con.execute("UPDATE headcount SET replaced_by = ? WHERE replaced_by IS NULL AND as_of = ? AND skpd = ?",
                    [import_id, as_of, skpd])
        con.execute("INSERT INTO headcount (skpd, as_of, headcount, import_id, source_row) VALUES (?, ?, ?, ?, 0)",
                    [skpd, as_of, headcount, import_id])
        _log_change(con, by, "headcount", as_of=as_of, skpd=skpd, old=old[0][0] if old else None, new=headcount, note=note)
        rebuild_engagement(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return import_id


def change_log(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The newest ``limit`` changes, newest first: changed_at (WIB), changed_by, item
    (target | headcount), year, as_of, skpd, old_value, new_value, note. Reads: target_change."""
    if not has_table(con, "target_change"):
        return pd.DataFrame(columns=["changed_at", "changed_by", "item", "year", "as_of", "skpd",
                                     "old_value", "new_value", "note"])
    return con.execute("SELECT * FROM target_change ORDER BY changed_at DESC, rowid DESC LIMIT ?", [limit]).df()


def recap_headcount(con: duckdb.DuckDBPyConnection, as_of: dt.date, skpd: str) -> int | None:
    """The agency's headcount in the current recap dated ``as_of`` (PNS + PPPK), or None when
    that recap has no row for it. Reads: headcount_current."""
    rows = con.execute("SELECT headcount FROM headcount_current WHERE as_of = ? AND skpd = ?", [as_of, skpd]).fetchall()
    return int(rows[0][0]) if rows else None


def editable_choices(con: duckdb.DuckDBPyConnection) -> dict:
    """What the targets editor offers: ``skpd`` (official agency names, sorted) and
    ``recap_dates`` (dates of the current headcount recaps, newest first). Reads: skpd, headcount."""
    names = [r[0] for r in con.execute("SELECT name FROM skpd ORDER BY name").fetchall()]
    dates = [r[0] for r in con.execute("SELECT DISTINCT as_of FROM headcount_current ORDER BY as_of DESC").fetchall()]
    return {"skpd": names, "recap_dates": dates}
