"""A real browser (Debian's chromium driven by Playwright, no browser download) opens
every page of a dashboard started on the field samples, waits for the charts, finds no
Streamlit exception box, and saves screenshots to artifacts/screenshots/."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

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


@contextlib.contextmanager
def serve(db, users):
    """The dashboard (``dashboard/server.py``) on a free port over ``db`` and ``users``; yields its URL."""
    port = _free_port()
    env = {**os.environ, "KMDASH_DB": str(db), "KMDASH_USERS": str(users)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard/server.py", "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("dashboard did not answer on its health endpoint within 120 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(field_db, tmp_path_factory):
    users = tmp_path_factory.mktemp("users") / "users.json"
    from dashboard.users import add_user
    add_user("pusdatin_uji", "pusdatin", PASSWORD, path=users)
    with serve(field_db, users) as url:
        yield url


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
    assert _cut_tile_texts(page) == []          # '-10,4 poin dibanding t...' on five tiles at 1366 px


def _cut_tile_texts(page) -> list[str]:
    """The KPI tiles' labels and deltas that the browser cuts (wider than their box)."""
    return page.evaluate("""Array.from(document.querySelectorAll(
        '[data-testid=stMetricLabel] *, [data-testid=stMetricDelta] *'))
        .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)""")


def _log_in(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.get_by_label("Nama pengguna").fill("pusdatin_uji")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector("h1:not(:text('Masuk'))", timeout=60000)
    _login_cookie(page.context)


def _login_cookie(context, timeout_s: float = 30) -> dict:
    """The lasting login cookie, once the browser's POST after the login has set it (the page
    is drawn before that POST returns: reading the cookies at once failed on a loaded machine)."""
    end = time.monotonic() + timeout_s
    while True:
        found = [c for c in context.cookies() if c["name"] == "kmdash_session"]
        if found or time.monotonic() > end:
            assert found, f"no login cookie {timeout_s:g} s after the login"
            return found[0]
        time.sleep(0.2)


def _agency_shown(page) -> str:
    box = page.get_by_role("combobox", name="Pilih perangkat daerah")
    box.wait_for(timeout=30000)
    return box.input_value()


def test_reload_keeps_the_login_and_the_cookie_is_httponly_lax(server, session):
    session.reload(wait_until="networkidle")
    session.wait_for_selector("h1", timeout=30000)
    assert session.get_by_label("Kata sandi").count() == 0
    assert session.get_by_role("button", name="Keluar").count() == 1
    cookie = _login_cookie(session.context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert 8.9 * 3600 < cookie["expires"] - time.time() <= 9 * 3600


def test_deep_link_in_a_new_tab_lands_logged_in_on_that_agency(server, session):
    tab = session.context.new_page()
    tab.goto(f"{server}/perangkat-daerah?skpd=Dinas%20Kesehatan", wait_until="networkidle")
    tab.wait_for_selector("h1", timeout=30000)
    assert tab.inner_text("h1") == "Perangkat daerah"
    assert _agency_shown(tab) == "Dinas Kesehatan"
    tab.close()


def test_deep_link_survives_the_login_form_and_logout_ends_the_login(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    _log_in(page, f"{server}/perangkat-daerah?skpd=Dinas%20Pendidikan")
    assert "/perangkat-daerah" in page.url and _agency_shown(page) == "Dinas Pendidikan"
    copied = _login_cookie(context)
    page.get_by_role("button", name="Keluar").click()
    page.get_by_label("Kata sandi").wait_for(timeout=30000)
    page.wait_for_timeout(500)
    assert not [c for c in context.cookies() if c["name"] == "kmdash_session"]
    page.reload(wait_until="networkidle")
    page.get_by_label("Kata sandi").wait_for(timeout=30000)
    page.get_by_label("Nama pengguna").fill("pusdatin")           # typing shows Streamlit's English hint, hidden
    page.wait_for_timeout(300)
    hints = page.locator('[data-testid="InputInstructions"]')
    assert "Press Enter to submit form" in hints.first.inner_text()                # Streamlit still writes it ...
    assert not any(hints.nth(k).is_visible() for k in range(hints.count()))       # ... but nobody sees English here
    context.close()
    replay = browser.new_context()                     # the cookie copied before logout is dead too
    replay.add_cookies([copied])
    again = replay.new_page()
    again.goto(f"{server}/perangkat-daerah", wait_until="networkidle")
    again.get_by_label("Kata sandi").wait_for(timeout=30000)
    replay.close()


def _league(field_db):
    from data.store.connection import connect
    from metrics.kpi import Scope
    from metrics.overview import overview
    with connect(field_db, read_only=True) as con:
        return overview(con, 2026, Scope(None)).skpd["skpd"].tolist()


def test_clicking_a_bar_of_the_league_chart_opens_that_agency_in_the_same_tab(server, session, field_db):
    session.goto(server, wait_until="networkidle")
    league = session.locator(".js-plotly-plot").nth(1)
    league.wait_for(timeout=30000)
    league.scroll_into_view_if_needed()
    pages_before = len(session.context.pages)
    league.locator("g.point path").nth(3).click(force=True)    # bars are drawn bottom-up: the 4th from last
    session.wait_for_url("**/perangkat-daerah?**", timeout=30000)
    assert _agency_shown(session) == _league(field_db)[-4]
    assert len(session.context.pages) == pages_before


def test_clicking_a_row_of_the_league_table_opens_that_agency_then_a_cop_row_its_maturity(server, session, field_db):
    session.goto(server, wait_until="networkidle")
    grid = session.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    session.mouse.click(box["x"] + 15, box["y"] + 52)           # first row (the header is 35 px high)
    session.wait_for_url("**/perangkat-daerah?**", timeout=30000)
    agency = _league(field_db)[0]
    assert _agency_shown(session) == agency
    cops = session.locator('[data-testid="stDataFrame"]').nth(1)   # after the comparison table: the CoPs
    cops.scroll_into_view_if_needed()
    box = cops.bounding_box()
    session.mouse.click(box["x"] + 15, box["y"] + 52)
    session.wait_for_url("**/maturitas?**", timeout=30000)
    assert "skpd=" + quote_plus(agency) in session.url and "cop=" in session.url


def test_a_page_view_asks_nothing_of_another_host(server, browser):
    """An office network without internet: every request of the login and the overview goes to
    the dashboard itself, and the tab icon's address is the dashboard's too (a ``:material/...:``
    page icon points the browser at fonts.gstatic.com)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    _log_in(page, server)
    page.wait_for_selector(".js-plotly-plot", timeout=60000)
    page.wait_for_load_state("networkidle")
    icons = page.eval_on_selector_all("link[rel~='icon']", "links => links.map(l => l.href)")
    context.close()
    foreign = [u for u in requested + icons if not u.startswith((server, "data:", "blob:"))]
    assert icons and foreign == []


def test_a_period_chosen_stays_in_the_url_and_changes_the_tiles(server, session):
    session.goto(server, wait_until="networkidle")
    tile = session.locator('[data-testid="stMetricValue"]').first
    tile.wait_for(timeout=30000)
    year_value = tile.inner_text()
    box = session.get_by_role("combobox", name="Periode")
    box.click()
    session.get_by_role("option", name="TW3").click()
    session.wait_for_url("**periode=tw3**", timeout=30000)
    session.wait_for_function("v => document.querySelector('[data-testid=\"stMetricValue\"]').innerText !== v",
                              arg=year_value, timeout=30000)
    assert session.locator('[data-testid="stMetricValue"]').first.inner_text() != year_value
    session.reload(wait_until="networkidle")                       # the URL alone brings the period back
    session.get_by_role("combobox", name="Periode").wait_for(timeout=30000)
    assert session.get_by_role("combobox", name="Periode").input_value() == "TW3"


@pytest.mark.parametrize("name,path", [("ringkasan", ""), ("perangkat_daerah", "perangkat-daerah?skpd=Dinas%20Kesehatan"),
                                       ("penghargaan", "penghargaan")])
def test_pages_fit_a_390_px_phone(server, session, browser, name, path):
    phone = browser.new_context(viewport={"width": 390, "height": 3000}, storage_state=session.context.storage_state())
    page = phone.new_page()
    page.goto(f"{server}/{path}", wait_until="networkidle")
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60000)
    page.wait_for_timeout(1500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone_{name}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390         # nothing wider than the phone
    for chart in page.locator(".js-plotly-plot").all():
        assert chart.bounding_box()["width"] <= 390
    tiles = page.locator('[data-testid="stMetric"]').all()
    if len(tiles) >= 2:                                                          # KPI tiles two to a row
        assert tiles[0].bounding_box()["y"] == tiles[1].bounding_box()["y"]
    assert _cut_tile_texts(page) == []                                           # labels and deltas wrap, never cut
    if name == "ringkasan":                                                      # fresh eyes F13
        heading = page.get_by_role("heading", name="Pemanfaatan dan partisipasi per perangkat daerah")
        box = heading.bounding_box()                                             # a page heading, wrapped, never
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390                  # a plotly title cut at the right
        league = page.locator(".js-plotly-plot").nth(1)
        top_ticks = league.locator(".x2tick text")                               # the percent axis where it begins
        assert top_ticks.count() >= 2 and all(t.endswith("%") for t in top_ticks.all_text_contents())
        assert top_ticks.first.bounding_box()["y"] - league.bounding_box()["y"] < 120
    phone.close()


def test_printing_ringkasan_keeps_the_whole_agency_chart(server, session, expected, tmp_path):
    """Browser print (fresh-eyes F6): charts are drawn at the screen's width, and a portrait A4
    page cut the agency chart's axis at 70%, losing the markers past it. The print stylesheet asks
    for A4 landscape (``page.pdf`` honours it with ``prefer_css_page_size``, as the print dialog does)."""
    top = max(a["participation_rate"] for a in expected["skpd"])
    assert top > 0.8                                    # so the participation axis must reach its 80% tick
    session.goto(server, wait_until="networkidle")
    session.wait_for_selector(".js-plotly-plot", timeout=30000)
    session.wait_for_timeout(1500)
    pdf = tmp_path / "ringkasan.pdf"
    session.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "80%" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert width > height                                                          # landscape


def test_a_csv_download_then_the_report_right_after_both_arrive(server, browser):
    """Fresh-eyes F18: a download button that reran the page on its click (its ``on_click``
    audit callback) made the page register new file ids, dropping the ones the browser still
    held, so the report clicked right after the CSV came to nothing ("Deferred file ... not
    found" on the server, the export audited all the same). Before the fix this failed 4 runs in 7.
    The two clicks follow each other at once, as a quick user's would."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    _log_in(page, server)
    page.wait_for_selector(".js-plotly-plot", timeout=60000)
    page.wait_for_load_state("networkidle")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("button", name="Unduh CSV").first.click()
    page.get_by_role("button", name="Unduh laporan (XLSX)").click()
    for _ in range(120):                                             # up to 60 s for both
        if len(downloads) == 2:
            break
        page.wait_for_timeout(500)
    downloads.sort(key=lambda d: d.suggested_filename.endswith(".xlsx"))
    names = [d.suggested_filename for d in downloads]
    files = [Path(d.path()).read_bytes() for d in downloads]
    context.close()
    assert names == ["ringkasan_2026.csv", "laporan_km_2026.xlsx"]
    assert files[0].count(b"\n") == 25 and files[1][:2] == b"PK"    # header + 24 agencies; a zip (XLSX)
