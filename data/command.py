"""What every command line (``data.ingest``, ``data.undo``, ``data.erase``, ``data.admin``,
``metrics.report``, ``metrics.award``) shares: files created readable by their owner only,
one way to open the store, and one line on stderr with exit 2 (or 4 when busy) instead of a
traceback when the database cannot be used.

``@command`` wraps a ``main(argv) -> int``; ``open_store`` opens the database a command names.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from data.errors import ConfigError, DatabaseBusy, SchemaTooNew, StoreUnusable

EXIT_USAGE = 2
EXIT_BUSY = 4
OWNER_ONLY_UMASK = 0o077     # new files 0600, new folders 0700: the database, its WAL, backups, keys
FIRST_YEAR, LAST_YEAR = 1900, 2999   # calendar years a command accepts (Python dates end at 9999)


def year_arg(text: str) -> int:
    """``argparse`` type of every ``--year``: a whole calendar year from 1900 to 2999.

    Raises:
        argparse.ArgumentTypeError: not a whole number, or outside that range (argparse then
            prints one usage line and exits 2, instead of a traceback deep in the date maths).
    """
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return year


class NoDatabase(StoreUnusable):
    """A command that only reads was pointed at a database file that does not exist."""


@contextlib.contextmanager
def open_store(db: str | os.PathLike | None, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database a command names (``--db``, else the setting), for one unit of work.

    Args:
        db: the ``--db`` value or None.
        read_only: True for commands that only read; such a command never creates a file.

    Raises:
        NoDatabase: ``read_only`` and there is no file.
        StoreUnusable: not a DuckDB database, or cannot be opened for writing.
        DatabaseBusy, SchemaTooNew: see ``data.store.connection.connect``.
    """
    from data.store.connection import connect, db_path
    path = db_path(db)
    if read_only and not Path(path).exists():
        raise NoDatabase(f"no database at {path}; import exports first with python -m data.ingest")
    with connect(path, read_only=read_only) as con:
        yield con


def command(main: Callable[[list[str] | None], int]) -> Callable[[list[str] | None], int]:
    """A command's ``main`` run with umask 077 (the caller's umask back afterwards), and the store's user-facing errors turned into
    one line on stderr: exit 4 for ``DatabaseBusy``, exit 2 for an unusable database, a
    schema too new or a bad setting."""
    @functools.wraps(main)
    def run(argv: list[str] | None = None) -> int:
        before = os.umask(OWNER_ONLY_UMASK)
        try:
            return main(argv)
        except DatabaseBusy as busy:
            sys.stderr.write(f"{busy}\n")
            return EXIT_BUSY
        except (StoreUnusable, SchemaTooNew, ConfigError) as problem:
            sys.stderr.write(f"{str(problem).splitlines()[0]}\n")
            return EXIT_USAGE
        finally:
            os.umask(before)        # a caller in the same process (a test, a wrapper) keeps its own
    return run


__all__ = ["command", "open_store", "NoDatabase", "EXIT_USAGE", "EXIT_BUSY", "OWNER_ONLY_UMASK"]
