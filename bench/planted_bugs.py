"""Plant the ten bugs of issue #19 one at a time and check the suite catches each.

Each planted bug is a one-line source edit (``old`` -> ``new``, which must occur exactly
once in ``module``) and the tests that must fail with it. For each bug the script edits
the file in place, runs only those tests, and always writes the original back (also on
Ctrl-C). A bug "is killed" when pytest exits with failures (exit code 1).

Run from the repository root (never commit while it runs):

    .venv/bin/python -m bench.planted_bugs            # all ten, about 2 minutes
    .venv/bin/python -m bench.planted_bugs grain      # only those whose module path holds 'grain'

Exit code 0 when every bug is killed, 1 otherwise. The results are recorded in
bench/MUTATION.md.
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Planted:
    """One planted bug: where, the edit, what it breaks and the tests that must catch it."""

    module: str
    old: str
    new: str
    what: str
    tests: tuple[str, ...]


BUGS = (
    Planted("metrics/grain.py", 'met = frame["utilisation_rate"] >= frame["utilisation_target"]',
            'met = frame["utilisation_rate"] > frame["utilisation_target"]',
            "target met only above 0.5, not at exactly 0.5",
            ("tests/test_grain.py::test_an_agency_and_the_province_at_exactly_the_target_meet_it",)),
    Planted("metrics/grain.py", "q = (m - 1) // 3 + 1", "q = m // 3 + 1",
            "quarter of a month m // 3 + 1 (March in TW II)",
            ("tests/test_grain.py::test_quarter_boundaries_at_the_grain_functions",)),
    Planted("metrics/grain.py", "WHERE $cop_scope IS NULL OR a.skpd = $cop_scope GROUP BY a.cop_key",
            "GROUP BY a.cop_key", "agency filter on the CoP grain removed",
            ("tests/test_grain.py::test_agency_scope_at_the_cop_grain_sees_only_its_cops",)),
    Planted("metrics/kpi.py", "event_time >= {lo} AND event_time < {hi}", "event_time >= {lo} AND event_time <= {hi}",
            "a use at 00:00 WIB on 1 January also counted in the year before",
            ("tests/test_grain.py::test_a_use_at_midnight_on_1_january_belongs_to_the_new_year_only",)),
    Planted("data/intake/values.py", r're.fullmatch(r"\d{1,3}(?:[.,]\d{3})+"', r're.fullmatch(r"\d{1,3}(?:[.]\d{3})+"',
            "',' no longer a thousands separator in counts",
            ("tests/test_values.py::test_count_reads_dot_thousands",)),
    Planted("data/intake/values.py", "return (first, rest.strip()) if first.casefold() in DAY_NAMES else (None, text)",
            "return (None, text)",
            "a day name without a comma no longer stripped",
            ("tests/test_values.py::test_moment_is_read_as_wib",)),
    Planted("metrics/award.py", 'TIE_BREAK = ("maturity_score", "utilisation_rate", "cop_asset_use")',
            'TIE_BREAK = ("utilisation_rate", "maturity_score", "cop_asset_use")',
            "tie-break order swapped (utilisation before maturity)",
            ("tests/test_award.py::test_cut_inside_a_tie_is_decided_by_maturity_before_utilisation",)),
    Planted("metrics/projection.py", '("on_track" if low / headcount >= target',
            '("on_track" if central / headcount >= target',
            "on-track judged on the central value, not the low end",
            ("tests/test_projection.py::test_central_value_at_target_but_low_end_below_is_at_risk",)),
    Planted("dashboard/access.py", 'user.username.startswith("demo_") and not is_demo()',
            'user.username.startswith("demo_") and False',
            "demo accounts no longer refused on a real database",
            ("tests/test_access.py::test_a_demo_account_cannot_log_in_to_a_real_database",)),
    Planted("data/store/pseudonym.py", "elif rows[0][0] != fingerprint():", "elif False:",
            "the NIP key fingerprint check switched off",
            ("tests/test_pseudonym.py::test_an_import_with_another_nip_key_is_refused_and_changes_nothing",)),
)


def run_one(bug: Planted) -> bool:
    """Plant ``bug``, run its tests, restore the file; True when the tests fail (killed)."""
    path = REPO / bug.module
    original = path.read_text(encoding="utf-8")
    if original.count(bug.old) != 1:
        raise SystemExit(f"{bug.module}: the text to replace occurs {original.count(bug.old)} times, not once: {bug.old!r}")
    try:
        path.write_text(original.replace(bug.old, bug.new), encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *bug.tests],
                                cwd=REPO, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    return result.returncode == 1


def main(argv: list[str]) -> int:
    """Run the bugs whose module path holds every argument (all without arguments)."""
    chosen = [b for b in BUGS if all(a in b.module for a in argv)]
    survivors = 0
    for bug in chosen:
        killed = run_one(bug)
        survivors += not killed
        sys.stdout.write(f"{'killed ' if killed else 'SURVIVED'}  {bug.module}: {bug.what}\n"
                         f"          by {', '.join(bug.tests)}\n")
        sys.stdout.flush()
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
