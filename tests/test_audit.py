"""The audit log never loses a row and never breaks a login, however many act at once:
many threads and processes appending at once, twenty sessions logging in at the same
moment, a torn line left by a killed writer, and a database folder that cannot be written."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import threading
from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from data.ops.audit import UNREADABLE, audit_entries, audit_file, file_entries, record_event
from data.store.connection import connect
from tests.conftest import REPO
from tests.test_browser import CHROMIUM_ARGS, serve

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def db(field_db_copy):
    return field_db_copy


def _in_threads(count: int, work) -> list[str]:
    errors, start = [], threading.Barrier(count)

    def run(n: int) -> None:
        start.wait()
        try:
            work(n)
        except Exception as exc:  # any error at all fails the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return errors


def test_200_events_from_8_threads_are_all_kept(db):
    def writer(n: int) -> None:
        for i in range(25):
            assert record_event(db, f"user{n}", "export", f"file-{n}-{i}.csv")

    assert _in_threads(8, writer) == []
    with connect(db, read_only=True) as con:
        rows = audit_entries(con)
    details = sorted(rows.loc[rows["action"] == "export", "detail"])
    assert details == sorted(f"file-{n}-{i}.csv" for n in range(8) for i in range(25))
    assert len(audit_file(db).read_bytes().splitlines()) == 200


def test_events_from_4_processes_at_once_are_all_kept(db):
    code = ("import sys; from data.ops.audit import record_event\n"
            "for i in range(50): assert record_event(sys.argv[1], 'p' + sys.argv[2], 'refused', f'page={i}')")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(p)], cwd=REPO) for p in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    counts = Counter(file_entries(audit_file(db))["username"])
    assert counts == {"p0": 50, "p1": 50, "p2": 50, "p3": 50}


def test_twenty_sessions_logging_in_at_once_all_get_in_and_are_all_recorded(db, tmp_path):
    """Twenty browsers (Debian's chromium, one context each) press "Masuk" at the same moment
    on a real server. A browser, not AppTest in threads: AppTest swaps Streamlit's global
    Runtime in and out around each run, so concurrent AppTests break one another."""
    from dashboard.users import add_user
    users = tmp_path / "users.json"
    for n in range(20):
        add_user(f"staf{n:02d}", "pimpinan", f"kata-sandi-{n:02d}-panjang", path=users)
    with serve(db, users) as url:
        shown = asyncio.run(_log_in_at_once(url, 20))
    assert shown == ["Tingkat pemanfaatan"] * 20
    with connect(db, read_only=True) as con:
        logins = audit_entries(con).query("action == 'login'")["username"]
    assert sorted(logins) == [f"staf{n:02d}" for n in range(20)]


async def _log_in_at_once(url: str, count: int) -> list[str]:
    """Each browser's first KPI tile label after all ``count`` pressed "Masuk" together."""
    from playwright.async_api import async_playwright
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        pages = []
        for n in range(count):
            page = await (await browser.new_context()).new_page()
            await page.goto(url, wait_until="networkidle")
            await page.get_by_label("Nama pengguna").fill(f"staf{n:02d}")
            await page.get_by_label("Kata sandi").fill(f"kata-sandi-{n:02d}-panjang")
            pages.append(page)
        await asyncio.gather(*(p.get_by_role("button", name="Masuk").click() for p in pages))
        await asyncio.gather(*(p.wait_for_selector('[data-testid="stMetricLabel"]', timeout=300_000) for p in pages))
        assert [await p.locator('[data-testid="stException"]').count() for p in pages] == [0] * count
        shown = [(await p.locator('[data-testid="stMetricLabel"]').first.inner_text()).strip() for p in pages]
        await browser.close()
    return shown


def test_a_torn_line_is_shown_and_the_next_row_starts_on_its_own_line(db):
    record_event(db, "ani", "login", "local")
    with audit_file(db).open("ab") as out:
        out.write(b'{"at": "2026-12-06T09:00:00", "user')        # a writer killed mid-line
    record_event(db, "budi", "logout")
    rows = file_entries(audit_file(db))
    assert sorted(rows["action"]) == sorted(["login", UNREADABLE, "logout"])
    assert rows.loc[rows["action"] == UNREADABLE, "detail"].iloc[0] == '{"at": "2026-12-06T09:00:00", "user'
    assert rows.loc[rows["action"] == "logout", "username"].iloc[0] == "budi"


def test_file_and_table_rows_are_read_together_newest_first(db):
    record_event(db, "ani", "login", "local")
    with connect(db) as con:
        con.execute("INSERT INTO audit_log VALUES ('2001-01-01 08:00:00', 'sari', 'import', 'import_id=1')")
    with connect(db, read_only=True) as con:
        rows = audit_entries(con)[["username", "action"]].values.tolist()
    assert rows[0] == ["ani", "login"] and rows[-1] == ["sari", "import"]


def test_login_on_a_read_only_database_folder_works_and_says_it_was_not_recorded(db, tmp_path):
    from dashboard.users import add_user
    add_user("ani", "pimpinan", "rahasia-panjang")
    audit_file(db).mkdir()                      # the audit file cannot be written (as a read-only folder)
    db.chmod(0o444)
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.text_input[0].input("ani")
    at.text_input[1].input("rahasia-panjang")
    at.button[0].click().run()
    assert not at.exception
    assert at.warning[0].value.startswith("Login ini tidak dapat dicatat")
    assert "Tingkat pemanfaatan" in {m.label for m in at.metric}
    assert record_event(db, "ani", "logout") is False
