"""Build the demo database: the product's own seeded demo exports, imported through
the same path as field files, into ``data/demo.duckdb`` marked ``is_demo = true``.

``python -m data.demo.build [--db FILE] [--force]`` - builds only when the file is
missing (or with ``--force``). The database is built under a temporary name and
renamed when complete, so a half-built demo is never served.
"""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from data.demo import write_demo_exports
from data.ingest import ingest_paths
from data.store.connection import DEMO_DB, connect, set_meta

log = logging.getLogger(__name__)


def build_demo_db(target: Path = DEMO_DB, *, seed: int = 2025) -> Path:
    """Write the demo exports, import them into ``target`` and mark it as demo.

    Raises:
        RuntimeError: a demo export was refused (a bug in the generator or importer).
    """
    partial = target.with_name(target.name + ".building")
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = write_demo_exports(Path(tmp), seed=seed)
        results = ingest_paths(files, db=partial)
    refused = [f"{r.file}: {r.reason}" for r in results if r.status == "refused"]
    if refused:
        raise RuntimeError(f"demo exports refused: {refused}")
    with connect(partial) as con:
        set_meta(con, "is_demo", "true")
        set_meta(con, "demo_seed", str(seed))
    partial.replace(target)
    log.info("demo database built path=%s files=%s", target, len(results))
    return target


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m data.demo.build", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEMO_DB)
    parser.add_argument("--force", action="store_true", help="rebuild even when the file exists")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    if args.db.exists() and not args.force:
        log.info("demo database present path=%s", args.db)
        return 0
    build_demo_db(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
