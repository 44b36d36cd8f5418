"""Mutation testing of the core modules with mutmut, one module at a time, each with only
the tests that touch it, within a time budget (issue 19). Not run by CI: see bench/MUTATION.md.

For each module the script copies the working tree to a scratch folder (``--work``, default
``/tmp/kmdash-mutation``; ``../shared`` is linked beside the copy so the field-sample tests
run), writes a ``setup.cfg`` whose ``[mutmut]`` section mutates only that module and selects
only its tests (``MODULES`` below), and runs ``mutmut run`` under ``timeout``. The checkout
itself is never edited. It then prints one markdown row per module (mutants, killed,
survived, no tests - functions the selected tests never call -, timeouts, not checked) and writes the survivors' diffs to
``<work>/<module>.survivors.txt`` for review.

    .venv/bin/python -m bench.mutation                       # every module of MODULES, in order
    .venv/bin/python -m bench.mutation data/intake/values.py --budget-s 900 --jobs 1
    .venv/bin/python -m bench.mutation metrics/kpi.py --only 'metrics.kpi.x_recap_date*'   # re-check some

A module whose budget runs out is reported with its ``not checked`` mutants: run it again
with a larger budget (mutmut keeps the results of mutants already checked in the scratch
copy only for that run; each run starts afresh so the numbers match the code).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# module -> the test files that exercise it (narrow on purpose: the 2-core machine is shared).
# Entries are pytest arguments: files, node ids, or ``--deselect=<node id>`` for slow page tests
# (the deselected tests are never mapped to a function, so no mutant runs them).
_PAGE_PERIODS = tuple(f"--deselect=tests/test_periods.py::{t}" for t in (
    "test_a_quarter_chosen_on_ringkasan_stays_in_the_url_and_recounts_the_tiles",
    "test_no_comparison_with_a_period_without_data", "test_a_finished_year_has_no_projection"))
MODULES = {
    # -- values and layout, records (the intake)
    "data/intake/values.py": ("tests/test_values.py",),
    # layout and records: their unit tests call every function on hand-made sheets and cells and alone kill
    # every mutant that is not equivalent (bench/mutation/data_intake_*.md); with the whole-file imports
    # (test_import_quirks, test_robustness) a mutant took ~40 s and 71 of 545 were reached in 20 minutes
    "data/intake/layout.py": ("tests/test_layout_units.py",),
    "data/intake/records.py": ("tests/test_records_units.py",),

    # -- the KPI core
    "metrics/grain.py": ("tests/test_grain.py",),
    "metrics/kpi.py": ("tests/test_kpi_rules.py", "tests/test_grain.py", "tests/test_periods.py", *_PAGE_PERIODS),
    "metrics/projection.py": ("tests/test_projection.py",),
    "metrics/targets.py": ("tests/test_targets.py",),

    # -- the award: hand-made frames (test_award_units) and the fixture store (test_award), without the page
    # test and the property that re-imports the fixture folder (~15 s of every surviving mutant's run)
    **dict.fromkeys(("metrics/award.py", "metrics/award_criteria.py", "metrics/award_store.py"), _AWARD := (
        "tests/test_award_units.py", "tests/test_award.py",
        "--deselect=tests/test_award.py::test_award_page_updates_the_ranks_when_a_weight_changes",
        "--deselect=tests/test_award.py::test_importing_files_and_rows_in_another_order_gives_the_same_ranking")),
    **dict.fromkeys(("metrics/award_export.py", "metrics/award_stability.py"), (
        *_AWARD, "tests/test_exports_xlsx.py::test_award_workbook_is_in_the_pages_language_with_numbers",
        "tests/test_exports_xlsx.py::test_award_workbook_in_indonesian_has_no_english_reasons")),

    # -- who sees what
    # the role matrix (32 page runs per mutant) is left to tests/test_access_units.py's direct calls
    # the login form, OIDC, cookies and scopes called from one-line scripts (no field-sample database per
    # mutant); tests/test_access.py and tests/test_login_throttle.py run the same paths through the whole app
    "dashboard/access.py": ("tests/test_access_units.py", "tests/test_access_oidc.py", "tests/test_access_login.py"),
    "metrics/privacy.py": ("tests/test_privacy.py",),
    "metrics/registry.py": ("tests/test_registry.py",),
    "metrics/agencies.py": ("tests/test_agencies.py",),
    "metrics/imports.py": ("tests/test_imports_metrics.py", "tests/test_exports_xlsx.py"),

    # -- activities, periods, coverage, maturity, outlook
    # the Kegiatan page tests (1-2 s each, ~15 s a mutant) are left out: test_activity.py reaches every function
    "metrics/activity.py": ("tests/test_activity.py",),
    "metrics/periods.py": ("tests/test_periods.py", *_PAGE_PERIODS),
    # coverage.py on the hand-made stores: the field-sample test imports every sample per mutant (~15 s of ~20)
    "metrics/coverage.py": ("tests/test_coverage.py",
                            "--deselect=tests/test_coverage.py::test_the_activity_register_names_the_meeting_days_of_the_year"),
    "metrics/maturity.py": ("tests/test_maturity.py",),
    # outlook.py: test_projection's outlook store reaches every path; test_periods builds its store three ways per mutant
    "metrics/outlook.py": ("tests/test_projection.py",),

    # -- engagement, overview, report
    # engagement: test_engagement_kept (kept counts equal the raw events, on the field samples: an import
    # per mutant) tests data/store/engagement_counts; test_engagement reads both the kept and the live path
    "metrics/engagement.py": ("tests/test_engagement.py",),
    # overview: its own tests on the hand-made store (test_league_chart and test_table_downloads import
    # the field samples, test_kpi_rules its folder, for every mutant)
    "metrics/overview.py": ("tests/test_overview.py",),
    # report: its own tests on the hand-made store (test_kpi_rules and test_field_samples import a
    # folder for every mutant: a minute each under load; they test the KPI values, not the report's wiring)
    "metrics/report.py": ("tests/test_report.py",),
}
# Named selections for ``--tests`` (pytest arguments starting with ``--`` cannot be given there).
SELECTIONS = {
    # kpi.py's helpers (_run, _params, _counted_use_cte, ...) are called by ~100 tests; the
    # hand-made world of test_grain/test_periods reaches every path without test_kpi_rules'
    # import of its fixture folder on every mutant.
    "kpi-helpers": ("tests/test_grain.py", "tests/test_periods.py", *_PAGE_PERIODS),
    # privacy.py's hand-made tables only (re-checks): the two field-sample tests import the samples per mutant
    "privacy-units": ("tests/test_privacy.py",
                      "--deselect=tests/test_privacy.py::test_every_agency_of_the_field_samples_leaves_no_lone_hidden_cell_in_a_known_sum",
                      "--deselect=tests/test_privacy.py::test_the_agency_page_and_its_download_show_the_hidden_cells"),
    # _counted_use_cte and _run: the fewest fast tests that reach each path on the hand-made
    # stores - raw events, use_month for a whole year and around a period's raw edge days (5 Jan,
    # 15 Jan), a period inside one month or from 2 Dec (raw fallback), per NIP from
    # use_month_counted (quarters, months, periods from 1 Jan or to 31 Dec) and a whole year from
    # use_year_nip, the CoP grain's assets on every store.
    "kpi-cte": tuple(f"tests/test_{t}" for t in (
        "grain.py::test_agency_rates_for_the_year",
        "grain.py::test_cop_grain_counts_users_of_the_cops_assets_without_a_rate",
        "periods.py::test_a_period_from_5_january_to_10_march_joins_raw_days_and_whole_months",
        "periods.py::test_a_period_from_15_january_leaves_out_the_days_before_it",
        "periods.py::test_a_period_inside_one_month_reads_only_its_days",
        "periods.py::test_a_period_starting_in_december_counts_only_its_own_days",
        "periods.py::test_a_quarters_participants_are_distinct_too",
        "periods.py::test_a_quarters_distinct_users_are_not_the_sum_of_its_months",
        "periods.py::test_only_a_whole_year_is_counted_from_the_years_users",
        "periods.py::test_the_cop_grain_counts_its_assets_users_on_every_store")),
}
SOURCE_PACKAGES = ("data", "metrics", "dashboard")
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "mutants", "__pycache__", "*.duckdb", "*.duckdb.wal",
                                     ".pytest_cache", ".hypothesis", "artifacts")
_RESULT = re.compile(r"^\s*(\S+): (.+)$")


def _setup_cfg(module: str, tests: tuple[str, ...]) -> str:
    extra = [p.name for p in REPO.iterdir() if p.is_dir() and p.name not in (*SOURCE_PACKAGES, "tests")
             and not p.name.startswith(".")]
    lines = ["[mutmut]", "source_paths =", *(f"    {p}" for p in SOURCE_PACKAGES), f"only_mutate = {module}",
             "also_copy =", *(f"    {p}" for p in (*extra, "pytest.ini")),
             "pytest_add_cli_args_test_selection =", *(f"    {t}" for t in tests),
             "pytest_add_cli_args =", "    -p", "    no:cacheprovider", "    -q"]
    return "\n".join(lines) + "\n"


def prepare(module: str, work: Path, tests: tuple[str, ...] = ()) -> Path:
    """A fresh scratch copy of the working tree for ``module``, configured for mutmut
    (``tests``: a test selection instead of the module's in ``MODULES``)."""
    slug = module.replace("/", "_").removesuffix(".py")
    root = work / slug
    if root.exists():
        shutil.rmtree(root)
    copy = root / "repo"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
    shared = REPO.parent / "shared"
    if shared.is_dir():
        (copy / "shared").symlink_to(shared)          # tests look for ../shared beside tests/'s parent
    (copy / "setup.cfg").write_text(_setup_cfg(module, tests or MODULES[module]), encoding="utf-8")
    return copy


def statuses(copy: Path, mutmut: str) -> Counter:
    """Counter of mutant statuses (killed, survived, timeout, not checked, ...) in ``copy``."""
    out = subprocess.run([mutmut, "results", "--all", "true"], cwd=copy, capture_output=True, text=True).stdout
    return Counter(m.group(2).strip() for line in out.splitlines() if (m := _RESULT.match(line)))


def survivors(copy: Path, mutmut: str) -> str:
    """The diffs of every surviving mutant, one after the other."""
    out = subprocess.run([mutmut, "results"], cwd=copy, capture_output=True, text=True).stdout
    names = [m.group(1) for line in out.splitlines() if (m := _RESULT.match(line)) and m.group(2).strip() == "survived"]
    return "\n".join(subprocess.run([mutmut, "show", n], cwd=copy, capture_output=True, text=True).stdout for n in names)


def run_module(module: str, work: Path, budget_s: int, jobs: int, only: tuple[str, ...] = (),
               tests: tuple[str, ...] = ()) -> Counter:
    """Mutate ``module`` in a scratch copy within ``budget_s`` seconds; returns the statuses.
    ``only``: mutant names or fnmatch patterns (``metrics.kpi.x_recap_date*``) to run alone
    (to check that new tests kill the survivors of a full run; the others stay *not checked*)."""
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    copy = prepare(module, work, tests)
    with open(copy.parent / "mutmut.log", "w", encoding="utf-8") as log:
        done = subprocess.run(["timeout", "--signal=INT", "--kill-after=30", str(budget_s), mutmut, "run",
                               "--max-children", str(jobs), *only], cwd=copy, stdout=log, stderr=subprocess.STDOUT)
    counts = statuses(copy, mutmut)
    counts["budget_ran_out"] = int(done.returncode in (124, 130, 137) or counts.get("not checked", 0) > 0)
    (work / f"{copy.parent.name}.survivors.txt").write_text(survivors(copy, mutmut), encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    """Run the chosen modules one after the other and print the markdown table."""
    parser = argparse.ArgumentParser(prog="python -m bench.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES), help="module paths (default: all of MODULES)")
    parser.add_argument("--budget-s", type=int, default=1200, help="time budget per module (default 1200 s)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--only", nargs="+", default=(), metavar="MUTANT",
                        help="run only these mutants (names or fnmatch patterns, e.g. 'metrics.kpi.x_recap_date*')")
    parser.add_argument("--tests", nargs="+", default=(), metavar="PYTEST_ARG",
                        help=f"test selection instead of MODULES' (files, node ids, or a name of SELECTIONS: {', '.join(SELECTIONS)})")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kmdash-mutation"), help="scratch folder")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"no test selection for {', '.join(unknown)}; add it to MODULES in bench/mutation.py")
    args.work.mkdir(parents=True, exist_ok=True)
    sys.stdout.write(f"mutmut {importlib.metadata.version('mutmut')}, --jobs {args.jobs}, budget {args.budget_s} s per module\n\n"
                     "| module | started (UTC) | seconds | load average (start, end) | mutants | killed | survived "
                     "| no tests | timeout | not checked | other |\n" + "| --- " * 11 + "|\n")
    for module in args.modules:
        started, load = dt.datetime.now(dt.timezone.utc), os.getloadavg()[0]
        clock = time.monotonic()
        tests = tuple(t for name in args.tests for t in SELECTIONS.get(name, (name,)))
        c = run_module(module, args.work, args.budget_s, args.jobs, tuple(args.only), tests)
        named = ("killed", "survived", "no tests", "timeout", "not checked")
        total = sum(v for k, v in c.items() if k != "budget_ran_out")
        other = total - sum(c[k] for k in named)
        sys.stdout.write(f"| {module} | {started:%Y-%m-%d %H:%M} | {time.monotonic() - clock:.0f} | "
                         f"{load:.1f}, {os.getloadavg()[0]:.1f} | {total} | "
                         + " | ".join(str(c[k]) for k in named) + f" | {other} |\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
