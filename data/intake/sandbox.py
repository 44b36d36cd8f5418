"""Reading an untrusted file in a child process with CPU-time and memory limits.

Spreadsheet readers run native code (python-calamine is Rust) on bytes anyone can
send: a malformed file can make one panic, abort the whole process (a single value in
XFD1048576 asks for 549 GB) or run for minutes. ``read_untrusted`` therefore reads
every spreadsheet (xlsx, xlsm, xls, ods, anything in a zip or OLE2 container) in a fresh
child process (``python -m data.intake.sandbox``) whose address space
and CPU time are capped with ``resource.setrlimit``; the parent gets the parsed
``Workbook`` back, or a refusal with a one-line reason when the child ran out of
memory or time or died. The dashboard's process (import page and its preview) and a
folder import are never taken down by one file.

Text files (CSV) are read in this process: Python's csv module, bounded by the size limit.

The child's answer is a pickle written to its standard output; only this module's own
worker writes it (the file's bytes never reach ``pickle``).
"""
from __future__ import annotations

import logging
import os
import pickle
import resource
import signal
import subprocess
import sys
from pathlib import Path

from data.errors import ImportRefused
from data.intake.readers import MAX_FILE_BYTES, Workbook, read_workbook

log = logging.getLogger(__name__)

READ_MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024   # the child's address space (RLIMIT_AS)
READ_CPU_LIMIT_S = 60                          # the child's CPU time (RLIMIT_CPU)
READ_WALL_LIMIT_S = 180                        # wall clock, for a child that waits instead of computing
_ROOT = Path(__file__).resolve().parents[2]


def read_untrusted(path: Path, *, display_name: str | None = None, head_rows: int | None = None,
                   max_bytes: int = MAX_FILE_BYTES) -> Workbook:
    """``data.intake.readers.read_workbook`` in a child process with the limits above.

    Returns:
        the ``Workbook`` the child read.

    Raises:
        ImportRefused: whatever ``read_workbook`` refuses, plus ``too_much_memory`` (the
            child passed ``READ_MEMORY_LIMIT_BYTES``), ``too_slow`` (CPU or wall limit),
            ``reader_crashed`` (the child died another way) and ``importer_fault`` (an
            unexpected error inside the reader).
    """
    name = display_name or path.name
    if not _needs_child(path):
        return read_workbook(path, display_name=name, head_rows=head_rows, max_bytes=max_bytes)
    request = pickle.dumps((str(path), name, head_rows, max_bytes))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH")) if p)}
    try:
        child = subprocess.run([sys.executable, "-m", "data.intake.sandbox"], input=request, capture_output=True,
                               timeout=READ_WALL_LIMIT_S, env=env, cwd=_ROOT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ImportRefused(name, "too_slow", f"reading the file took over {READ_WALL_LIMIT_S} s; refused") from exc
    if child.returncode == 0 and child.stdout:
        status, payload = pickle.loads(child.stdout)
        if status == "ok":
            return payload
        raise ImportRefused(name, *payload)
    raise _death(name, child.returncode, child.stderr.decode("utf-8", "replace"))


def _needs_child(path: Path) -> bool:
    """Whether the file goes to a spreadsheet reader (a zip or OLE2 container: native code).
    Text (CSV) is read in this process by Python's csv module, its memory bounded by the
    size limit; it is not worth a child's start (about 0.1 s)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False                     # read_workbook reports it
    return head.startswith((b"PK", b"\xd0\xcf\x11\xe0"))


def _death(name: str, code: int, stderr: str) -> ImportRefused:
    """The refusal for a child that died without an answer."""
    tail = stderr.strip().splitlines()[-1:] or [""]
    log.error("reader child died file=%s returncode=%s stderr=%s", name, code, tail[0][:200])
    if code in (-signal.SIGXCPU, -signal.SIGKILL) and "alloc" not in stderr:
        return ImportRefused(name, "too_slow", f"reading the file needed over {READ_CPU_LIMIT_S} s of processing; refused "
                                               f"(a sheet may declare far more cells than it holds)")
    if code == -signal.SIGABRT or "alloc" in stderr or "MemoryError" in stderr:
        return _memory_refusal(name)
    return ImportRefused(name, "reader_crashed", f"the spreadsheet reader crashed on this file (exit {code}); "
                                                 f"the file is damaged or of an unknown kind; nothing was imported")


def _memory_refusal(name: str) -> ImportRefused:
    return ImportRefused(name, "too_much_memory",
                         f"reading the file needed over {READ_MEMORY_LIMIT_BYTES // (1024 * 1024)} MB of memory; refused "
                         f"(the file is damaged, or a sheet reaches far past its data: delete the empty rows and "
                         f"columns after the table and save again)")


def _child() -> None:
    """The worker: limits itself, reads the request from stdin, answers on stdout."""
    resource.setrlimit(resource.RLIMIT_AS, (READ_MEMORY_LIMIT_BYTES, READ_MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (READ_CPU_LIMIT_S, READ_CPU_LIMIT_S + 5))
    path, name, head_rows, max_bytes = pickle.loads(sys.stdin.buffer.read())
    try:
        answer = ("ok", read_workbook(Path(path), display_name=name, head_rows=head_rows, max_bytes=max_bytes))
    except ImportRefused as refused:
        answer = ("refused", (refused.reason_code, refused.message))
    except MemoryError:
        refused = _memory_refusal(name)
        answer = ("refused", (refused.reason_code, refused.message))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a refusal naming the error
        detail = " ".join(str(exc).split())[:160]
        answer = ("refused", ("importer_fault", f"the reader failed on this file ({type(exc).__name__}: {detail}); "
                                                f"nothing of it was imported; please report it with the file"))
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _child()
