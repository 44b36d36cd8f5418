"""Readers never fail because an import is running: while another process holds the
database for writing, a page shows the last committed state it read, at once, and says so."""
from __future__ import annotations

import subprocess
import sys
import time

from streamlit.testing.v1 import AppTest

from data.store.writer_queue import writer_active
from tests.conftest import REPO, logged_in

APP = str(REPO / "dashboard" / "app.py")
# Another process: commits a small write (the file's stamp changes), then keeps the file
# open read-write for a while, as a long import does.
HOLDER = """
import sys, time
from data.store.connection import connect
with connect(sys.argv[1]) as con:
    con.execute("INSERT INTO meta VALUES ('import_running_test', 'x')")
    print("holding", flush=True)
    time.sleep(60)
"""


def test_a_page_during_an_import_shows_the_last_committed_state_at_once(field_db_copy, monkeypatch):
    monkeypatch.setenv("KMDASH_LOCK_WAIT_S", "2")
    before = logged_in(AppTest.from_file(APP, default_timeout=120), "pimpinan").run()
    shown_before = [m.value for m in before.metric]
    assert shown_before and not before.exception
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(field_db_copy)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        assert writer_active(field_db_copy)
        started = time.monotonic()
        during = logged_in(AppTest.from_file(APP, default_timeout=120), "pimpinan").run()
        elapsed_s = time.monotonic() - started
        assert not during.exception
        assert [m.value for m in during.metric] == shown_before
        assert any(i.value.startswith("Impor sedang berjalan: angka ini dari sebelum impor") for i in during.info)
        assert not [w.value for w in during.warning if "sibuk" in w.value or "busy" in w.value]
        assert elapsed_s < 30                          # answered from the shared caches, not after the import
    finally:
        holder.kill()
        holder.wait()
    assert not writer_active(field_db_copy)            # a killed writer's marker no longer counts
