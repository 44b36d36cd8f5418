"""The fast path for large CSV access logs: parsed by DuckDB in bulk, the rest by Python.

A portal log is millions of rows of a few plain shapes. Row by row in Python that
costs about a minute per million rows; here DuckDB reads the CSV and parses the
common, unambiguous shapes in SQL (an 18-digit NIP after removing spaces and
apostrophes; ISO times with or without an offset; day-first ``dd/mm/yyyy HH:MM[:SS]``;
an action word of ``data.intake.values.ACTIONS``). Every row that is not one of those shapes
goes through the same Python builder as the slow path (``data.intake.records.access_record``),
so both paths accept and reject exactly the same rows (tested against each other).

Parsing runs in a private in-memory DuckDB, before the store is opened; the result is
an Arrow table that ``data.store.load`` inserts in one statement.
"""
from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pyarrow as pa

from data.errors import RowProblem
from data.intake.layout import Layout
from data.store.pseudonym import nip_key, sql_pseudonym
from data.intake.records import ParsedTable, Rejection, access_record, _row_date, raw_text
from data.intake.values import ACTIONS, clean_text

log = logging.getLogger(__name__)

FAST_KINDS = ("access_log",)
_ISO = (r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
        r"\s*(Z|[+-]\d{2}:?\d{2})?$")
_DMY = r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$"
_FIELDS = ("event_time", "nip", "aset_id", "action")

# Each statement runs in a private in-memory DuckDB. The raw rows keep file order, so a
# row's rowid is its position under the header. NIP, asset id and action repeat a lot in a
# log (tens of thousands of NIPs over a million rows), so they are cleaned - and NIPs
# pseudonymised - once per distinct value and joined back.
_RAW_SQL = """
CREATE TEMP TABLE raw AS
SELECT {t} AS t_raw, {n} AS n_raw, {a} AS a_raw, {x} AS x_raw
FROM read_csv($path, header = false, skip = $skip, delim = $delim, quote = '"', escape = '"',
              all_varchar = true, auto_detect = false, null_padding = true, columns = {columns})
"""
_MAPS_SQL = (
    """CREATE TEMP TABLE nip_map AS
    SELECT n_raw, nip, CASE WHEN regexp_full_match(nip, '[0-9]{18}') THEN """ + sql_pseudonym("nip") + """ END
        AS pseudonym
    FROM (SELECT n_raw, CASE WHEN regexp_full_match(n_raw, '[0-9]{18}') THEN n_raw ELSE
            regexp_replace(regexp_replace(coalesce(n_raw, ''), '[\\s\\x{a0}\\x{2007}\\x{202f}]+', '', 'g'),
                           '^[''`"\\x{2019}]+|[''`"\\x{2019}]+$', '', 'g') END AS nip
          FROM (SELECT DISTINCT n_raw FROM raw))""",
    """CREATE TEMP TABLE aset_map AS
    SELECT a_raw, upper(regexp_replace(trim(coalesce(a_raw, '')), '\\s+', ' ', 'g')) AS aset_id
    FROM (SELECT DISTINCT a_raw FROM raw)""",
    """CREATE TEMP TABLE action_map AS
    SELECT x_raw, w.action FROM (SELECT DISTINCT x_raw FROM raw) d
    LEFT JOIN action_words w
        ON w.word = replace(lower(regexp_replace(trim(coalesce(d.x_raw, '')), '\\s+', ' ', 'g')), '_', ' ')""",
)
_PARSED_SQL = """
CREATE TEMP TABLE parsed_rows AS
SELECT r.rowid AS rn, try_strptime(r.t_raw, '%Y-%m-%d %H:%M:%S') AS event_time,
       m.pseudonym AS nip, a.aset_id, x.action
FROM raw r
LEFT JOIN nip_map m ON m.n_raw IS NOT DISTINCT FROM r.n_raw
LEFT JOIN aset_map a ON a.a_raw IS NOT DISTINCT FROM r.a_raw
LEFT JOIN action_map x ON x.x_raw IS NOT DISTINCT FROM r.x_raw
"""
# Rows not clean (blank rows left out: they are not data rows), with their raw text.
_OTHERS_SQL = """
SELECT p.rn + $first, r.t_raw, r.n_raw, r.a_raw, r.x_raw
FROM parsed_rows p JOIN raw r ON r.rowid = p.rn
WHERE NOT coalesce({clean}, false) AND (coalesce(trim(r.t_raw), '') <> '' OR coalesce(trim(r.n_raw), '') <> ''
    OR coalesce(trim(r.a_raw), '') <> '' OR coalesce(trim(r.x_raw), '') <> '')
ORDER BY p.rn
"""
# The other time shapes (ISO with T, fractions or an offset; day-first), only for rows the
# plain 'YYYY-MM-DD HH:MM:SS' did not read - usually none.
_OTHER_TIMES_SQL = """
UPDATE parsed_rows SET event_time = CASE
    WHEN iso.y <> '' THEN try(make_timestamp(iso.y::BIGINT, iso.mo::BIGINT, iso.d::BIGINT,
            coalesce(nullif(iso.h, '')::BIGINT, 0), coalesce(nullif(iso.mi, '')::BIGINT, 0),
            coalesce(nullif(iso.s, '')::DOUBLE, 0) + coalesce(('0.' || nullif(iso.f, ''))::DOUBLE, 0)))
        - CASE WHEN iso.off = '' THEN INTERVAL 0 SECOND
               WHEN iso.off = 'Z' THEN INTERVAL 7 HOUR * -1
               ELSE (CASE WHEN left(iso.off, 1) = '-' THEN -1 ELSE 1 END)
                    * (INTERVAL 1 HOUR * substr(replace(iso.off, ':', ''), 2, 2)::INT
                       + INTERVAL 1 MINUTE * substr(replace(iso.off, ':', ''), 4, 2)::INT) - INTERVAL 7 HOUR END
    WHEN dmy.y <> '' THEN try(make_timestamp(dmy.y::BIGINT, dmy.mo::BIGINT, dmy.d::BIGINT,
            coalesce(nullif(dmy.h, '')::BIGINT, 0), coalesce(nullif(dmy.mi, '')::BIGINT, 0),
            coalesce(nullif(dmy.s, '')::DOUBLE, 0)))
    END
FROM (SELECT rn AS shaped_rn,
             regexp_extract(trim(coalesce(r.t_raw, '')), $iso, ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'off']) AS iso,
             regexp_extract(trim(coalesce(r.t_raw, '')), $dmy, ['d', 'mo', 'y', 'h', 'mi', 's']) AS dmy
      FROM parsed_rows JOIN raw r ON r.rowid = parsed_rows.rn WHERE event_time IS NULL) shaped
WHERE parsed_rows.rn = shaped.shaped_rn
"""
_CLEAN = "event_time IS NOT NULL AND nip IS NOT NULL AND action IS NOT NULL AND aset_id <> ''"


def fast_path_applies(layout: Layout, file_format: str) -> bool:
    """True for CSV files of a kind the fast path knows (access logs)."""
    return file_format == "csv" and layout.kind in FAST_KINDS and len(layout.header_rows) == 1


def parse_csv_fast(path: Path, layout: Layout, delimiter: str) -> ParsedTable | None:
    """Parse a CSV access log with DuckDB; None when DuckDB cannot read the file as
    UTF-8 CSV (the caller then uses the Python path).

    Returns:
        a ``ParsedTable`` whose ``arrow`` holds the clean rows (event_time TIMESTAMP WIB,
        nip, aset_id, action, source_row) and whose ``records`` / ``rejections`` hold the
        rows the Python builder judged.
    """
    width = max(len(layout.sheet.rows[layout.header_rows[-1]]), max(layout.columns.values()) + 1)
    names = [f"c{i}" for i in range(width)]
    cols = {f: names[layout.columns[f]] for f in _FIELDS}
    raw_sql = _RAW_SQL.format(t=cols["event_time"], n=cols["nip"], a=cols["aset_id"], x=cols["action"],
                              columns="{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}")
    first_row = layout.header_rows[-1] + 2   # 1-based file row of the first row under the header
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        con.execute("CREATE TEMP TABLE action_words AS SELECT * FROM (VALUES " +
                    ", ".join(f"('{w}', '{a}')" for w, a in ACTIONS.items()) + ") t(word, action)")
        con.execute(raw_sql, {"path": str(path), "skip": layout.header_rows[-1] + 1, "delim": delimiter})
        con.execute(_MAPS_SQL[0], {"nip_key": nip_key()})
        for statement in _MAPS_SQL[1:]:
            con.execute(statement)
        con.execute(_PARSED_SQL)
        con.execute(_OTHER_TIMES_SQL, {"iso": _ISO, "dmy": _DMY})
        arrow = con.sql(f"SELECT event_time, nip, aset_id, action, (rn + $first)::INTEGER AS source_row "
                        f"FROM parsed_rows WHERE {_CLEAN}", params={"first": first_row}).to_arrow_table()
        others = con.execute(_OTHERS_SQL.format(clean=f"({_CLEAN})"), {"first": first_row}).fetchall()
    except duckdb.Error as exc:
        log.info("fast csv path not usable file=%s reason=%s", path.name, str(exc).splitlines()[0])
        return None
    finally:
        con.close()
    return _with_python_rows(layout, arrow, others)


def _with_python_rows(layout: Layout, arrow: pa.Table, others: list[tuple]) -> ParsedTable:
    table = ParsedTable(layout)
    table.arrow = arrow
    ctx = {"nip_key": nip_key()}
    for row_number, *values in others:
        cells = dict(zip(_FIELDS, values))
        try:
            table.records.append(access_record(cells, ctx))
            table.row_numbers.append(row_number)
        except RowProblem as problem:
            raw = "" if problem.value is None else clean_text(problem.value)
            table.rejections.append(Rejection(layout.sheet.name, row_number, problem.column, raw, problem.reason_code,
                                              problem.message, _row_date(cells, {}),
                                              " | ".join(raw_text(v) for v in values)))
    return table
