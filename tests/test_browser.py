"""A real browser (Debian's chromium driven by Playwright, no browser download) opens
every page of a dashboard started on the field samples, waits for the charts, finds no
Streamlit exception box, and saves screenshots to artifacts/screenshots/."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import REPO

SHOTS = REPO / "artifacts" / "screenshots"
PAGES = {"ringkasan": "", "perangkat_daerah": "perangkat-daerah", "kegiatan": "kegiatan", "maturitas": "maturitas",
         "penghargaan": "penghargaan", "data": "data", "definisi": "definisi", "panduan": "panduan"}
PASSWORD = "uji-peramban-2026"
NAV_LABELS = {"ringkasan": "Ringkasan", "perangkat_daerah": "Perangkat daerah", "kegiatan": "Kegiatan",
              "maturitas": "Maturitas", "penghargaan": "Penghargaan", "data": "Data & impor",
              "definisi": "Definisi KPI", "panduan": "Panduan"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(field_db, tmp_path_factory):
    users = tmp_path_factory.mktemp("users") / "users.json"
    from dashboard.users import add_user
    add_user("pusdatin_uji", "pusdatin", PASSWORD, path=users)
    port = _free_port()
    env = {**os.environ, "KMDASH_DB": str(field_db), "KMDASH_USERS": str(users)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("dashboard did not answer on its health endpoint within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium must be installed (scripts/test installs it)"
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def session(server, browser):
    """One browser context logged in through the login form, as a person would."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(server, wait_until="networkidle")
    page.get_by_label("Nama pengguna").fill("pusdatin_uji")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector(".js-plotly-plot", timeout=60000)
    yield page
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_exception(server, session, name):
    page = session
    page.get_by_role("link", name=NAV_LABELS[name]).first.click()
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("h1", timeout=30000)
    if name in ("ringkasan", "perangkat_daerah", "kegiatan", "maturitas"):
        page.wait_for_selector(".js-plotly-plot", timeout=30000)
    if name == "ringkasan":
        page.wait_for_selector(".js-plotly-plot", timeout=30000)
        assert "39,6%" in page.inner_text("body")
    page.wait_for_timeout(1000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
