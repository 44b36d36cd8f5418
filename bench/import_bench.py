"""Import throughput against the plain read of the same file (issue 3's goal: the whole
import within 1.5x of the plain read).

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--xlsx-rows 100000] [--out DIR]

Writes a seeded 1,000,000-row access-log CSV and a 100,000-row roster xlsx, then times:
- the plain read: DuckDB's read_csv counting the CSV; python-calamine loading the xlsx;
- the whole import (python -m data.ingest) into a fresh database, in a subprocess, with
  its peak memory (ru_maxrss of the child).
Prints a Markdown table; figures are recorded in bench/IMPORT.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import python_calamine
import xlsxwriter

REPO = Path(__file__).resolve().parents[1]
AGENCIES = ["Dinas Kesehatan", "Dinas Pendidikan", "Inspektorat", "Badan Kepegawaian Daerah", "Dinas Bina Marga"]


def write_log(path: Path, rows: int, seed: int = 7) -> None:
    """A month-spanning access log in the field's Indonesian shape."""
    rng = random.Random(seed)
    nips = [f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}20{rng.randint(10, 24)}"
            f"{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}" for _ in range(70_000)]
    actions = ["Lihat"] * 7 + ["Unduh"] * 2 + ["Suka", "Komentar"]
    start = dt.datetime(2026, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("Waktu Akses,NIP,ID Aset,Aktivitas\n")
        for i in range(rows):
            moment = start + dt.timedelta(seconds=i * 30)
            out.write(f"{moment:%Y-%m-%d %H:%M:%S},{rng.choice(nips)},AP-2026-{rng.randint(1, 3000):05d},"
                      f"{rng.choice(actions)}\n")


def write_roster(path: Path, rows: int, seed: int = 11) -> None:
    """A roster workbook with a title block, as the field sends it."""
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Pegawai")
    sheet.write_row(0, 0, ["DAFTAR PEGAWAI PEMERINTAH PROVINSI DKI JAKARTA"])
    sheet.write_row(2, 0, ["No", "NIP", "Nama Pegawai", "Perangkat Daerah", "Status Kepegawaian"])
    for i in range(rows):
        sheet.write_row(3 + i, 0, [i + 1, f"19800101{i:010d}", f"Pegawai {i}", rng.choice(AGENCIES),
                                   "PNS" if i % 5 else "PPPK"])
    book.close()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def import_run(path: Path, db: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `python -m data.ingest PATH --db DB` in a fresh process."""
    db.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "data.ingest", str(path), "--db", str(db)], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "KMDASH_LOG_LEVEL": "WARNING"})
    wall = time.perf_counter() - start
    return wall, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/kmdash-bench"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    log, roster = args.out / "log_akses.csv", args.out / "daftar_pegawai.xlsx"
    if not log.exists():
        write_log(log, args.rows)
    if not roster.exists():
        write_roster(roster, args.xlsx_rows)
    csv_plain = timed(lambda: duckdb.connect().sql(f"SELECT count(*) FROM read_csv('{log}', all_varchar=true)").fetchall())
    xlsx_plain = timed(lambda: python_calamine.CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python())
    csv_import, csv_mb = import_run(log, args.out / "csv.duckdb")
    xlsx_import, xlsx_mb = import_run(roster, args.out / "xlsx.duckdb")
    sys.stdout.write("| file | rows | plain read (s) | whole import (s) | ratio | import rows/s | peak RSS (MB) |\n")
    sys.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    for name, rows, plain, full, mb in (("access-log CSV", args.rows, csv_plain, csv_import, csv_mb),
                                        ("roster xlsx", args.xlsx_rows, xlsx_plain, xlsx_import, xlsx_mb)):
        sys.stdout.write(f"| {name} | {rows:,} | {plain:.2f} | {full:.2f} | {full / plain:.1f}x | "
                         f"{rows / full:,.0f} | {mb:,.0f} |\n")


if __name__ == "__main__":
    main()
