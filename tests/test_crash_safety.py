"""A process killed in the middle of an import leaves the database exactly as it was
before that file: DuckDB's write-ahead log replays only committed transactions, and
each file is one transaction (data.store.load.load_table)."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import duckdb

from data.ingest import ingest_paths
from data.store.connection import connect
from metrics.report import build_report
from tests.conftest import REPO

ROWS = 600_000


def _write_big_log(path) -> None:
    start = dt.datetime(2026, 5, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("Waktu Akses,NIP,ID Aset,Aktivitas\n")
        for i in range(ROWS):
            out.write(f"{start + dt.timedelta(seconds=7 * i):%Y-%m-%d %H:%M:%S},19870310201001{i % 9999:04d},"
                      f"AP-2026-{i % 300:05d},Lihat\n")


def _state(db) -> tuple:
    with connect(db, read_only=True) as con:
        report = build_report(con, 2026)
        counts = con.execute("SELECT (SELECT count(*) FROM import_log), (SELECT count(*) FROM access_event)").fetchall()
    return json.dumps(report, sort_keys=True), counts[0]


def _writer_holds_lock(db) -> bool:
    try:
        duckdb.connect(str(db), read_only=True).close()
        return False
    except duckdb.Error:
        return True


def test_killed_import_leaves_database_as_before(field_samples, tmp_path):
    db = tmp_path / "crash.duckdb"
    ingest_paths([field_samples / "daftar_pegawai.csv", field_samples / "log_akses_portal_km_2026-03.csv"], db=db)
    before = _state(db)
    big = tmp_path / "log_akses_besar.csv"
    _write_big_log(big)
    proc = subprocess.Popen([sys.executable, "-m", "data.ingest", str(big), "--db", str(db)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "KMDASH_LOCK_WAIT_S": "30"})
    deadline = time.monotonic() + 120
    while not _writer_holds_lock(db):
        assert proc.poll() is None, "the import finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)                       # inside the write: the file's transaction is open
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _state(db) == before
