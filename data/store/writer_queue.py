"""Writers first: a process or thread about to write announces itself, and readers
hold back until it has the file, so a busy dashboard cannot starve an import.

DuckDB gives a writer the file only when no connection (read-only ones included) is
open. Readers that reconnect continuously would always hold one, and an import could
wait forever. A writer therefore drops a marker file ``<db>.writer-waiting.<pid>.<n>``
beside the database while it waits for the lock, and removes it once it holds it;
readers wait (within their own bounded wait) while a live writer's marker exists.
Markers of processes that no longer run are ignored and removed.

While a writer holds the file it keeps a second marker, ``<db>.writer-active.<pid>.<n>``
(``hold_writer``), so a reader can tell "an import is running" without touching the file
(``writer_active``) and show the last committed state it has instead of waiting.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import time
from pathlib import Path

_counter = itertools.count()
POLL_S = 0.02


def _markers(db: Path, kind: str = "waiting") -> list[Path]:
    return list(db.parent.glob(f"{db.name}.writer-{kind}.*"))


def _alive(marker: Path) -> bool:
    try:
        pid = int(marker.name.rsplit(".", 2)[-2])
        os.kill(pid, 0)
        return True
    except (ValueError, ProcessLookupError):
        marker.unlink(missing_ok=True)
        return False
    except PermissionError:
        return True


@contextlib.contextmanager
def announce_writer(db: Path, kind: str = "waiting"):
    """Hold a marker saying a writer waits for ``db`` (``kind="waiting"``) or holds it
    (``"active"``) for the duration of the block."""
    marker = db.with_name(f"{db.name}.writer-{kind}.{os.getpid()}.{next(_counter)}")
    try:
        marker.touch()
    except OSError:
        marker = None  # read-only folder: no marker, plain retry only
    try:
        yield
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def wait_for_writers(db: Path, deadline: float) -> None:
    """Return once no live writer waits for ``db``, or at ``deadline`` (time.monotonic)."""
    while time.monotonic() < deadline and any(_alive(m) for m in _markers(db)):
        time.sleep(POLL_S)


def hold_writer(db: Path):
    """A block during which a writer holds ``db`` open read-write (``writer_active`` is True)."""
    return announce_writer(db, "active")


def writer_active(db: Path) -> bool:
    """Whether a live process holds ``db`` open read-write now (an import, an undo, an upgrade)."""
    return any(_alive(m) for m in _markers(db, "active"))
