"""Many readers while a large import runs and an undo follows: no reader gets an error,
and every read equals a committed state (before the import, after it, after the undo).

Design under test (README, "Who owns the database file"): nobody holds the file open;
each unit of work opens a short-lived connection and waits (bounded) while another
process or thread writes. A page's query set runs on one connection, so it never sees
half an import."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import threading
import time

from data.store.connection import connect
from data.undo import undo_import
from metrics.kpi import Scope, overall_kpis
from tests.conftest import REPO

READERS = 20
ROWS = 200_000


def _snapshot(db) -> tuple:
    with connect(db, read_only=True, lock_wait_s=120) as con:
        overall = overall_kpis(con, 2026, Scope.province())
        loaded = con.execute("SELECT count(*) FROM import_log WHERE status = 'loaded'").fetchall()[0][0]
    return loaded, tuple(sorted(overall.items()))


def _big_log(path) -> None:
    start = dt.datetime(2026, 6, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("Waktu Akses,NIP,ID Aset,Aktivitas\n")
        for i in range(ROWS):
            out.write(f"{start + dt.timedelta(seconds=9 * i):%Y-%m-%d %H:%M:%S},19870310201001{i % 9000:04d},"
                      f"AP-2026-{i % 300:05d},Unduh\n")


def test_readers_see_only_committed_states_while_importing_and_undoing(field_db, tmp_path, field_samples):
    db = tmp_path / "busy.duckdb"
    shutil.copy(field_db, db)
    big = tmp_path / "log_akses_besar.csv"
    _big_log(big)
    before = _snapshot(db)
    reads, errors, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                reads.append(_snapshot(db))
            except Exception as exc:  # any error at all is a failure of the design under test
                errors.append(repr(exc))
            time.sleep(0.01)          # a reader renders, then asks again

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    subprocess.run([sys.executable, "-m", "data.ingest", str(big), "--db", str(db)], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, env={"KMDASH_LOCK_WAIT_S": "120", "PATH": "/usr/bin:/bin"})
    time.sleep(0.5)
    with connect(db, lock_wait_s=120) as con:                      # the undo, in this process, while readers read
        import_id = con.execute("SELECT max(import_id) FROM import_log").fetchall()[0][0]
        undo_import(con, import_id, user="test")
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    after_undo = _snapshot(db)
    assert errors == []
    with connect(db, read_only=True) as con:
        rows = con.execute("SELECT rows_loaded FROM import_log WHERE import_id = ?", [import_id]).fetchall()[0][0]
    assert rows > 0                                                 # the big file really was imported
    assert after_undo[1] == before[1]                               # the undo brought the KPIs back
    committed = {before, after_undo} | {r for r in reads if r[0] == before[0] + 1}
    assert len({r for r in reads if r[0] == before[0] + 1}) <= 1    # one state while the import counted
    assert set(reads) <= committed and len(reads) >= READERS
