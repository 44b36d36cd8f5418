"""Benchmark of the overview page's query set and of one agency drill-down (issue 4).

``python -m bench.run --db bench/jakarta.duckdb [--year 2026] [--as-of 2026-09-30] [--repeat 3]``

Each query set runs in a fresh process (``--child``): the first run is *cold* (new
process, new connection, DuckDB's caches empty; the OS file cache is not dropped), then
``--repeat`` more runs in that process give *warm* (median), with no Streamlit cache.
Peak memory is the child's peak resident set (``ru_maxrss``: Python, pandas and DuckDB).
The floor is one hand-written DuckDB query per KPI over the raw tables (``bench.floor``).
``--no-aggregate`` runs the product's functions as if ``use_month`` were absent.
DuckDB settings are the product's (``data.store.connection``): ``KMDASH_DUCKDB_THREADS`` (default 2)
and ``KMDASH_DUCKDB_MEMORY_LIMIT`` (default 2GB).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time

from data.store.connection import connect
from metrics.coverage import coverage
from metrics.kpi import Scope
from metrics.overview import overview
from metrics.projection import project_overall, project_skpd

SETS = ("overview", "floor_overview", "drill", "floor_drill")


def overview_set(con, year: int, as_of: dt.date, skpd: str | None) -> None:
    """What the overview page shows: totals, agency table with targets, monthly trend,
    year-end projection (overall and per agency) and the data coverage."""
    overview(con, year)
    project_overall(con, year, as_of)
    project_skpd(con, year, as_of)
    coverage(con, year)


def drill_set(con, year: int, as_of: dt.date, skpd: str | None) -> None:
    """One agency's view: its overview, its projection."""
    scope = Scope(skpd)
    overview(con, year, scope)
    project_overall(con, year, as_of, scope)
    project_skpd(con, year, as_of, scope)


def _child(args) -> dict:
    from bench import floor
    if args.no_aggregate:
        import metrics.kpi
        metrics.kpi.use_month_ready = lambda con: False
    run = {"overview": overview_set, "drill": drill_set, "floor_overview": floor.overview_floor,
           "floor_drill": floor.drill_floor}[args.set]
    times = []
    with connect(args.db, read_only=True) as con:
        skpd = con.execute("SELECT skpd FROM headcount_current ORDER BY headcount DESC LIMIT 1").fetchall()[0][0]
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            run(con, args.year, args.as_of, skpd)
            times.append(time.perf_counter() - started)
        settings = con.execute("SELECT current_setting('threads'), current_setting('memory_limit')").fetchall()[0]
    return {"threads": settings[0], "memory_limit": settings[1], "set": args.set, "cold_s": times[0], "warm_s": statistics.median(times[1:]),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "no_aggregate": args.no_aggregate}


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--db", default="bench/jakarta.duckdb")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 9, 30))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--set", choices=SETS)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--no-aggregate", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        sys.stdout.write(json.dumps(_child(args)) + "\n")
        return 0
    sys.stdout.write("| set | cold s | warm s | peak RSS MB | DuckDB |\n| --- | ---: | ---: | ---: | --- |\n")
    for name, extra in [(s, []) for s in SETS] + [("overview", ["--no-aggregate"]), ("drill", ["--no-aggregate"])]:
        cmd = [sys.executable, "-m", "bench.run", "--child", "--set", name, "--db", args.db, "--year", str(args.year),
               "--as-of", args.as_of.isoformat(), "--repeat", str(args.repeat), *extra]
        out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        label = name + (" (no aggregate)" if extra else "")
        sys.stdout.write(f"| {label} | {out['cold_s']:.3f} | {out['warm_s']:.3f} | {out['peak_rss_mb']:.0f} | "
                         f"threads={out['threads']} memory_limit={out['memory_limit']}\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
