"""Time and peak memory of the import command on each refused file (issue: import quirks).

``python -m bench.refused_files [--repeat 3] [--markdown]``

Each run is ``python -m data.ingest FILE --db <fresh temp db>`` in its own process, so
the wall time includes Python's start and the product's imports (pandas, DuckDB, ...);
peak memory is the largest peak resident set of the command and the processes under it
(the spreadsheet reader runs in a child: ``data.intake.sandbox``). A
small good file (``csv_utf8_with_bom.csv``) and the workbook whose ``<dimension>``
claims A1:XFD1048576 run as well, as baselines. The refused files are the ones made by
``tests/fixtures/import_quirks/make_fixtures.py``; the wanted figures are under 10 s and
a peak no larger than the baseline's by more than a few MB (memory bounded by the file,
not by what it claims to hold).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
FILES = [FIXTURES / "import_quirks" / "csv_utf8_with_bom.csv",
         FIXTURES / "import_quirks" / "dimension_far_larger_than_data.xlsx",
         *sorted((FIXTURES / "refused").iterdir()),
         # issue 12: one stray value far away (imported, read cell by cell), readers that abort or panic
         *sorted((FIXTURES / "robustness").glob("far_cell_*.xlsx")), *sorted((FIXTURES / "robustness").glob("far_cell_*.ods")),
         FIXTURES / "robustness" / "xls_reader_aborts.xls", FIXTURES / "robustness" / "xls_reader_panics.xls"]


# Runs the import command and prints the largest peak RSS (kB) of it and every process under it
# (the spreadsheet reader's child, data.intake.sandbox): RUSAGE_CHILDREN covers all waited-for descendants.
_WRAPPER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:], stderr=subprocess.DEVNULL); "
            "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(code)")


def run_once(path: Path) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak RSS in MB of the largest process of the run, first stdout line)."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        child = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "data.ingest", str(path),
                                "--db", str(Path(folder) / "b.duckdb")], cwd=REPO, capture_output=True, text=True)
        wall_s = time.perf_counter() - started
    return child.returncode, wall_s, int(child.stderr.strip() or 0) / 1024, (child.stdout.splitlines() or [""])[0]


def main(argv: list[str] | None = None) -> int:
    """Run every file ``--repeat`` times; print one line per file (median wall time, max peak RSS)."""
    parser = argparse.ArgumentParser(prog="python -m bench.refused_files")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    if args.markdown:
        print("| file | bytes | exit | wall s (median) | peak RSS MB (max) | first line of output |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
    for path in FILES:
        runs = [run_once(path) for _ in range(args.repeat)]
        codes = {r[0] for r in runs}
        wall_s = statistics.median(r[1] for r in runs)
        peak_mb = max(r[2] for r in runs)
        line = runs[0][3].replace("|", "\\|")
        if args.markdown:
            print(f"| {path.name} | {path.stat().st_size:,} | {','.join(map(str, sorted(codes)))} | {wall_s:.2f} | {peak_mb:.0f} | {line} |")
        else:
            print(f"{path.name}: exit={sorted(codes)} wall_s={wall_s:.2f} peak_rss_mb={peak_mb:.0f}  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
