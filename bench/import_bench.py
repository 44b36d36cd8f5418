"""Import throughput against the plain read of the same file (issue 3's goal: the whole
import within 1.5x of the plain read).

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--xlsx-rows 100000] [--out DIR]

Writes a seeded 1,000,000-row access-log CSV and a 100,000-row roster xlsx, then times
(best of three, except the command line):
- the plain read: DuckDB's read_csv counting the CSV; python-calamine loading the sheet;
- the plain load: the same read written into a table of a new DuckDB file and committed
  (what any import must at least do);
- the whole import in this process (``data.ingest.ingest_file``, what the import page
  runs) into a fresh database;
- the whole import through the command line (python -m data.ingest) in a fresh process,
  with its peak memory (ru_maxrss of the child);
- a month of 300,000 log rows imported into a store already holding the 1,000,000.
Prints Markdown tables; figures are recorded in bench/IMPORT.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import python_calamine
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from data.ingest import ingest_file  # noqa: E402

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


def write_month(path: Path, rows: int, seed: int = 99) -> None:
    """December's log, after the year's: the incremental case."""
    rng = random.Random(seed)
    nips = [f"19{rng.randint(60, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}20{rng.randint(10, 24)}"
            f"{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}" for _ in range(70_000)]
    start = dt.datetime(2026, 12, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("Waktu Akses,NIP,ID Aset,Aktivitas\n")
        for i in range(rows):
            out.write(f"{start + dt.timedelta(seconds=i * 8):%Y-%m-%d %H:%M:%S},{rng.choice(nips)},"
                      f"AP-2026-{rng.randint(1, 3000):05d},Lihat\n")


def timed(fn, repeat: int = 3) -> float:
    """Best wall seconds of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _fresh(db: Path) -> Path:
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    return db


def plain_load_csv(path: Path, db: Path) -> None:
    """read_csv (its own type detection) into a table of a new database file, committed and closed."""
    con = duckdb.connect(str(_fresh(db)))
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
    con.close()


def plain_load_xlsx(path: Path, db: Path) -> None:
    """calamine's rows as Arrow text columns into a table of a new database file, committed and closed."""
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header, body = rows[2], rows[3:]
    sheet = pa.table({f"c{i}": pa.array([None if r[i] == "" else str(r[i]) for r in body], pa.string())
                      for i in range(len(header))})
    con = duckdb.connect(str(_fresh(db)))
    con.register("sheet", sheet)
    con.execute("CREATE TABLE t AS SELECT * FROM sheet")
    con.close()


def import_here(path: Path, db: Path) -> None:
    result = ingest_file(path, db=_fresh(db))
    assert result.status == "imported", result


def import_run(path: Path, db: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `python -m data.ingest PATH --db DB` in a fresh process."""
    _fresh(db)
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
    parser.add_argument("--store", type=Path, help="also import the December log into a copy of this store "
                        "(bench/jakarta.duckdb from bench.generate; uses the NIP key file it was written with)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    log, roster = args.out / "log_akses.csv", args.out / "daftar_pegawai.xlsx"
    if not log.exists():
        write_log(log, args.rows)
    if not roster.exists():
        write_roster(roster, args.xlsx_rows)
    month = args.out / "log_akses_desember.csv"
    if not month.exists():
        write_month(month, 300_000)
    if args.store is None:
        os.environ.setdefault("KMDASH_NIP_KEY_FILE", str(args.out / "nip.key"))
    os.environ.setdefault("KMDASH_LOG_LEVEL", "WARNING")
    import_here(log, args.out / "warm.duckdb")       # imports and caches warm, as in a running dashboard
    figures = []
    for name, rows, path, plain, load in (
            ("access-log CSV", args.rows, log,
             lambda: duckdb.connect().sql(f"SELECT count(*) FROM read_csv('{log}', all_varchar=true)").fetchall(),
             lambda: plain_load_csv(log, args.out / "plain.duckdb")),
            ("roster xlsx", args.xlsx_rows, roster,
             lambda: python_calamine.CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python(),
             lambda: plain_load_xlsx(roster, args.out / "plain.duckdb"))):
        read_s, load_s = timed(plain), timed(load)
        here_s = timed(lambda: import_here(path, args.out / "here.duckdb"))
        cli_s, cli_mb = import_run(path, args.out / "cli.duckdb")
        figures.append((name, rows, read_s, load_s, here_s, cli_s, cli_mb))
    base = args.out / "year.duckdb"
    import_here(log, base)

    def into_year() -> None:
        shutil.copy(base, args.out / "grown.duckdb")
        _fresh(args.out / "grown.duckdb.wal")
        assert ingest_file(month, db=args.out / "grown.duckdb").rows_loaded == 300_000
    copy_s = timed(lambda: shutil.copy(base, args.out / "grown.duckdb"))
    month_s = timed(into_year) - copy_s
    out = sys.stdout
    out.write("| file | rows | plain read (s) | plain load (s) | import, in process (s) | x plain read | x plain load "
              "| rows/s | import, command line (s) | peak RSS (MB) |\n")
    out.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    for name, rows, read_s, load_s, here_s, cli_s, cli_mb in figures:
        out.write(f"| {name} | {rows:,} | {read_s:.2f} | {load_s:.2f} | {here_s:.2f} | {here_s / read_s:.1f}x | "
                  f"{here_s / load_s:.1f}x | {rows / here_s:,.0f} | {cli_s:.2f} | {cli_mb:,.0f} |\n")
    out.write(f"\n300,000 log rows of December into a store holding the 1,000,000: {month_s:.2f} s "
              f"({300_000 / month_s:,.0f} rows/s)\n")
    if args.store is not None:
        copy = args.out / "store_copy.duckdb"
        copy_s = timed(lambda: shutil.copy(args.store, copy), repeat=1)

        def into_store() -> None:
            shutil.copy(args.store, _fresh(copy))
            assert ingest_file(month, db=copy).rows_loaded == 300_000
        store_s = timed(into_store, repeat=2) - copy_s
        out.write(f"300,000 log rows of December into {args.store.name}: {store_s:.2f} s\n")


if __name__ == "__main__":
    main()
