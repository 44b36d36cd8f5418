"""Function lengths of a tree's Python modules: count, median and longest per module, and the
median over all of them (issue 14 asks a median of at most 15 lines in the moved modules).

A function's length is its lines from ``def`` to its last line, docstring included; nested
functions and methods count as functions of their own.

``python -m bench.function_lengths data/intake data/store data/ops data/demo [--all-modules]``
"""
from __future__ import annotations

import argparse
import ast
import statistics
from pathlib import Path


def function_lengths(path: Path) -> list[int]:
    """The length in lines of every function and method in one Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.end_lineno - node.lineno + 1 for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def python_files(roots: list[Path]) -> list[Path]:
    """Every ``.py`` file under the given folders (or the files themselves), sorted."""
    return sorted(f for root in roots for f in ([root] if root.is_file() else root.rglob("*.py")))


def main(argv: list[str] | None = None) -> int:
    """Print one line per module and the overall median; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=Path)
    args = parser.parse_args(argv)
    every: list[int] = []
    for path in python_files(args.roots):
        lengths = function_lengths(path)
        every += lengths
        if lengths:
            print(f"{str(path):42s} functions={len(lengths):3d} median={statistics.median(lengths):5.1f}"
                  f" longest={max(lengths)}")
    print(f"all: functions={len(every)} median={statistics.median(every) if every else 0}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
