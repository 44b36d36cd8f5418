"""What Pusdatin reads about imports: the history, the rejected rows, and how fresh
each source is. Reads ``import_log`` and ``rejected_row``; personal data (NIPs in
rejected values) is here, so only the data office's pages call it."""
from __future__ import annotations

import duckdb
import pandas as pd

from data.intake.kinds import KIND_BY_NAME


def import_history(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The newest ``limit`` imports, newest first. Columns: import_id, imported_at (WIB),
    imported_by, file_name, kind, sheet, header_row, rows_read, rows_loaded,
    rows_duplicate, rows_rejected, rows_replaced, status, notes."""
    return con.execute(
        "SELECT import_id, imported_at, imported_by, file_name, kind, sheet, header_row, rows_read, rows_loaded, "
        "rows_duplicate, rows_rejected, rows_replaced, status, notes FROM import_log "
        "ORDER BY import_id DESC LIMIT ?", [limit]).df()


def rejected_rows(con: duckdb.DuckDBPyConnection, import_ids: list[int] | None = None,
                  limit: int = 20000) -> pd.DataFrame:
    """Rejected rows of the given imports that still count (all such when None), by import
    then row number. An undone import's rows are left out: its rows are in no figure, so its
    rejections explain none (the import history keeps its counts), as in ``rejection_summary``.
    Columns: import_id, file_name, sheet, row_number (1-based, as Excel shows it),
    column_name, value, reason_code, message, raw_row."""
    chosen = "" if import_ids is None else f"AND import_id IN ({', '.join(str(int(i)) for i in import_ids) or 'NULL'})"
    return con.execute(
        f"SELECT import_id, file_name, sheet, row_number, column_name, value, reason_code, message, raw_row "
        f"FROM rejected_row WHERE import_id IN (SELECT import_id FROM import_log WHERE status = 'loaded') {chosen} "
        f"ORDER BY import_id DESC, row_number LIMIT ?", [limit]).df()


def rejection_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rejected rows of imports that still count, by kind and reason: kind, reason_code, rows."""
    return con.execute(
        "SELECT l.kind, r.reason_code, count(*) AS rows FROM rejected_row r JOIN import_log l USING (import_id) "
        "WHERE l.status = 'loaded' GROUP BY ALL ORDER BY rows DESC").df()


def source_freshness(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per export kind: kind, label, newest_import (WIB timestamp or NaT), imports
    (count of imports that still count), ordered as the kinds are declared."""
    found = {k: (t, n) for k, t, n in con.execute(
        "SELECT kind, max(imported_at), count(*) FROM import_log WHERE status = 'loaded' GROUP BY kind").fetchall()}
    rows = [(k, spec.label, found.get(k, (None, 0))[0], found.get(k, (None, 0))[1]) for k, spec in KIND_BY_NAME.items()]
    return pd.DataFrame(rows, columns=["kind", "label", "newest_import", "imports"])


def unknown_agencies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Agency names the agency table does not know, for a person to confirm (add an alias
    to data/reference/perangkat_daerah.csv) - never merged silently.

    One row per spelling: ``name`` as written, ``rows`` (rejected rows, or attendance rows
    whose typed agency matched nothing), ``where`` (``rejected`` / ``attendance``),
    ``closest`` (the closest official names, from the rejection message). Most rows first.
    """
    return con.execute("""
        SELECT value AS name, count(*) AS rows, 'rejected' AS "where",
               any_value(regexp_extract(message, 'closest: (.*)$', 1)) AS closest
        FROM rejected_row r JOIN import_log l USING (import_id)
        WHERE l.status = 'loaded' AND r.reason_code = 'unknown_skpd' GROUP BY value
        UNION ALL
        SELECT skpd_text, count(*), 'attendance', NULL FROM attendance
        WHERE skpd IS NULL AND skpd_text IS NOT NULL GROUP BY skpd_text
        ORDER BY rows DESC, name
    """).df()


def zero_headcounts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Agencies whose headcount is 0 in a current recap: their rates are undefined, shown as
    n/a and listed as a data-quality problem (DOMAIN.md), while their users still count in the
    province's figures. One row per (recap, agency): ``as_of`` (date), ``skpd``; newest recap
    first, then by name. Empty frame: none. Reads: headcount_current."""
    return con.execute("SELECT as_of, skpd FROM headcount_current WHERE headcount = 0 ORDER BY as_of DESC, skpd").df()
