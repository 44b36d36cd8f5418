"""Seeded generator of a Jakarta-scale store for the benchmark (not part of the tests).

``python -m bench.generate --db bench/jakarta.duckdb [--seed 7] [--events 10000000]``

Writes straight into DuckDB with SQL (``range()`` and ``hash()``-based pseudo-random
numbers, so the same seed gives the same rows), not through the importer: 51 agencies,
about 70,000 employees, a headcount recap per year, 6,000 assets, 10,000,000 access-log
rows (Jan 2025 - Sep 2026, time-ordered like monthly imports; 1% unknown NIPs, 1% unknown
assets, 10% likes/comments) and 500,000 attendance rows, an import log per kind, then
builds the aggregates as imports would have (``data.store.aggregates``: ``use_month``,
``use_month_counted``, ``use_year_nip``, ``use_year_all``, ``attend_year_nip``).
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from data.store.aggregates import rebuild, rebuild_attendance, rebuild_counted
from data.store.engagement_counts import rebuild_engagement
from data.store.connection import connect

log = logging.getLogger(__name__)

# u(i, salt): a pseudo-random fraction in [0, 1) from the seed, the row number and a salt.
U = "((hash({i}, $seed, {salt}) % 1000003) / 1000003.0)"


def u(i: str, salt: int) -> str:
    return U.format(i=i, salt=salt)


STEPS = [
    ("employee", f"""
INSERT INTO employee (nip, name, skpd, employment_status, import_id, source_row, replaced_by) SELECT printf('19%016d', i) AS nip, 'Pegawai ' || i, s.name,
       CASE WHEN {u('i', 2)} < 0.2 THEN 'PPPK' ELSE 'PNS' END, 2, i, NULL
FROM range($employees) r(i)
JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS k FROM skpd) s
  ON s.k = floor(51 * pow({u('i', 1)}, 1.6))::INTEGER"""),
    ("headcount", """
INSERT INTO headcount (skpd, as_of, headcount, headcount_pns, headcount_pppk, import_id, source_row, replaced_by) SELECT skpd, make_date(y, 6, 30), (count(*) * 1.03)::INTEGER, NULL, NULL, 1, 0, NULL
FROM employee, (VALUES (2025), (2026)) v(y) GROUP BY skpd, y"""),
    ("cop", """INSERT INTO cop (cop_key, name, skpd) SELECT 'cop ' || lower(name), 'CoP ' || name, name FROM skpd ON CONFLICT DO NOTHING"""),
    ("aset", f"""
INSERT INTO aset (aset_id, title, aset_kind, cop_key, skpd, uploader_nip, uploaded_on, status, published_on, import_id, source_row, replaced_by) SELECT printf('AP-%05d', i), 'Aset ' || i, 'dokumen', 'cop ' || lower(s.name), s.name, NULL,
       DATE '2024-06-01' + floor(800 * {u('i', 4)})::INTEGER,
       CASE WHEN {u('i', 5)} < 0.9 THEN 'terbit' ELSE 'draf' END,
       DATE '2024-06-01' + floor(800 * {u('i', 4)})::INTEGER + 3, 3, i, NULL
FROM range($assets) r(i) JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS k FROM skpd) s
  ON s.k = floor(51 * {u('i', 3)})::INTEGER"""),
    ("access_event", f"""
INSERT INTO access_event (event_time, nip, aset_id, action, import_id) SELECT
    TIMESTAMP '2025-01-01' + to_microseconds((i::DOUBLE / $events * 638 * 86400000000)::BIGINT),
    CASE WHEN {u('i', 6)} < 0.01 THEN printf('20%016d', i % 5000)
         ELSE printf('19%016d', floor($employees * 0.85 * pow({u('i', 7)}, 2.2))::BIGINT) END,
    CASE WHEN {u('i', 8)} < 0.01 THEN printf('XX-%05d', i % 3000)
         ELSE printf('AP-%05d', floor($assets * pow({u('i', 9)}, 3))::BIGINT) END,
    CASE WHEN {u('i', 10)} < 0.6 THEN 'view' WHEN {u('i', 10)} < 0.9 THEN 'download'
         WHEN {u('i', 10)} < 0.97 THEN 'like' ELSE 'comment' END,
    4 + (i * 21 // $events)::INTEGER
FROM range($events) r(i)"""),
    ("attendance", f"""
INSERT INTO attendance (nip, cop_key, activity_title, title_key, activity_date, role, skpd_text, skpd, submitted_at, import_id, source_row) SELECT printf('19%016d', floor($employees * pow({u('i', 11)}, 1.5))::BIGINT),
    'cop ' || lower(s.name), 'Pertemuan ' || (i % 40), 'pertemuan ' || (i % 40),
    DATE '2025-01-01' + floor(630 * {u('i', 13)})::INTEGER, 'Peserta', s.name, s.name, NULL, 30, i
FROM range($attendance) r(i) JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS k FROM skpd) s
  ON s.k = floor(51 * {u('i', 12)})::INTEGER"""),
    ("rejected_row", f"""
INSERT INTO rejected_row (import_id, file_name, sheet, row_number, column_name, value, reason_code, message, row_date, raw_row) SELECT 4 + i % 21, 'log_akses.csv', 'csv', i, 'NIP', '123', 
    CASE WHEN i % 2 = 0 THEN 'missing_nip' ELSE 'bad_nip' END, 'generated', DATE '2025-01-01' + (i % 630)::INTEGER, 'row ' || i
FROM range(20000) r(i)"""),
]

_IMPORTS = """
INSERT INTO import_log (import_id, file_name, content_sha256, kind, file_format, sheet, header_row, imported_at,
    imported_by, rows_read, rows_loaded, rows_duplicate, rows_rejected, rows_replaced, status, notes)
SELECT i, f, '', k, 'csv', 'csv', 1, TIMESTAMP '2026-10-01 08:00' + INTERVAL (i) MINUTE, 'bench', 0, 0, 0, 0, 0, 'loaded', ''
FROM (VALUES (1, 'rekap.xlsx', 'headcount'), (2, 'pegawai.csv', 'roster'), (3, 'aset.xlsx', 'aset'),
             (25, 'kehadiran.csv', 'attendance')) v(i, f, k)
UNION ALL SELECT 4 + m, printf('log_akses_%02d.csv', m), '', 'access_log', 'csv', 'csv', 1,
    TIMESTAMP '2026-10-01 08:00' + INTERVAL (4 + m) MINUTE, 'bench', 0, 0, 0, 0, 0, 'loaded', ''
FROM range(21) r(m)"""


def generate(path: Path, *, seed: int, events: int, employees: int = 70_000, assets: int = 6_000,
             attendance: int = 500_000) -> None:
    """Write the bench store to ``path`` (replaced if present)."""
    path.unlink(missing_ok=True)
    params = {"seed": seed, "events": events, "employees": employees, "assets": assets, "attendance": attendance}
    with connect(path) as con:
        con.execute(_IMPORTS)
        for table, sql in STEPS:
            started = time.perf_counter()
            con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
            log.info("generated table=%s rows=%s s=%.1f", table,
                     con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0], time.perf_counter() - started)
        started = time.perf_counter()
        rows = rebuild(con)
        log.info("aggregate use_month rows=%s s=%.1f", rows, time.perf_counter() - started)
        started = time.perf_counter()   # and the rest, as the imports keep them
        rows = rebuild_counted(con), rebuild_attendance(con)
        log.info("aggregates use_month_counted (+ use_year_*) and attend_year_nip rows=%s s=%.1f", rows,
                 time.perf_counter() - started)
        started = time.perf_counter()
        log.info("aggregate engagement_year rows=%s s=%.1f", rebuild_engagement(con), time.perf_counter() - started)
        con.execute("CHECKPOINT")


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate")
    parser.add_argument("--db", default="bench/jakarta.duckdb")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--events", type=int, default=10_000_000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    generate(Path(args.db), seed=args.seed, events=args.events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
