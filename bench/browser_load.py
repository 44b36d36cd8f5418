"""Browser load benchmark (issue 13): many people logging in at the same moment, and one
person's first and cached visit of every page, in Debian's chromium driven by Playwright.
Run by hand, never by the test suite (figures in bench/README.md):

``python -m bench.browser_load --db /tmp/jakarta.duckdb [--sizes 1,10,25] [--browsers new,returning] [--json out.json]``

A fresh dashboard server (``streamlit run dashboard/server.py`` as ``data.admin serve`` runs
it, port chosen free) serves
``--db``; a temporary users file holds one ``pimpinan`` account per simulated person and one
``pusdatin`` account. In order:
1. **pages**: one person (pusdatin) logs in and visits every page once (first visit: the
   server's caches are empty for that page), then every page again (cached visit);
2. **bursts**: for each size N, N browser contexts fill the login form, then all press
   "Masuk" at the same moment - first as new visitors (the browser fetches and compiles the
   page's JavaScript after the click: Plotly's, the table grid's), then as returning ones
   (each logged in and out once before, so the browser holds that JavaScript); each time runs from its click until Ringkasan is drawn (the
   report button shown, the script finished). An exception box, an error box, the "busy"
   warning or no Ringkasan within ``--timeout-s`` is an error.
Server peak memory is the server process's ``VmHWM`` (peak resident set) at the end.
The load average of the machine is printed with every figure: other work on it slows
every time here.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "bench-kata-sandi-2026"
DONE = 'document.querySelector("[data-testid=stApp]")?.getAttribute("data-test-script-state") === "notRunning"'
RUNNING = 'document.querySelector("[data-testid=stApp]")?.getAttribute("data-test-script-state") === "running"'
BAD = '[data-testid="stException"], [data-testid="stAlertContentError"]'
BUSY_TEXT = "Basis data sedang dipakai"
REPORT_BUTTON = "Unduh laporan (XLSX)"
# page: its navigation label (a page with a chart is drawn once the chart is)
PAGES = {"ringkasan": "Ringkasan", "perangkat_daerah": "Perangkat daerah", "kegiatan": "Kegiatan",
         "maturitas": "Maturitas", "penghargaan": "Penghargaan", "data": "Data & impor", "definisi": "Definisi KPI",
         "panduan": "Panduan"}


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    """The machine's 1 / 5 / 15-minute load averages."""
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (``VmHWM``) of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_users(path: Path, people: int) -> None:
    """``bench01``.. (pimpinan) and ``bench_pusdatin`` in the users file ``path``."""
    from dashboard.users import add_user
    for n in range(1, people + 1):
        add_user(f"bench{n:02d}", "pimpinan", PASSWORD, path=path)
    add_user("bench_pusdatin", "pusdatin", PASSWORD, path=path)


def start_server(db: Path, users: Path, port: int) -> subprocess.Popen:
    """The dashboard on ``port``, returned once its health endpoint answers."""
    env = {**os.environ, "KMDASH_DB": str(db), "KMDASH_USERS": str(users)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard/server.py", "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("dashboard did not answer within 120 s")


async def _finished(page, timeout_ms: float) -> None:
    """Wait for the script run a click started to finish (running seen, then not running)."""
    try:
        await page.wait_for_function(RUNNING, timeout=2000, polling=20)
    except Exception:  # noqa: BLE001 - a very fast run may finish before it is seen running
        pass
    await page.wait_for_function(DONE, timeout=timeout_ms, polling=20)


async def _problem(page) -> str | None:
    if await page.locator(BAD).count():
        return (await page.locator(BAD).first.inner_text())[:200]
    if BUSY_TEXT in await page.inner_text("body"):
        return "busy"
    return None


async def login_form(browser, url: str, username: str, returning: bool = False):
    """A new browser context on the login page with ``username`` and the password filled in.
    ``returning``: the person has used the dashboard before in this browser (logged in once
    and out again, so the browser holds the page's JavaScript, as a returning user's does)."""
    context = await browser.new_context(viewport={"width": 1366, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(300_000)               # setting up on a loaded machine is not what is timed
    await page.goto(url, wait_until="domcontentloaded")
    if returning:
        await page.get_by_label("Nama pengguna").fill(username)
        await page.get_by_label("Kata sandi").fill(PASSWORD)
        await press_masuk(page, 300)
        await page.get_by_role("button", name="Keluar").click()
        await page.get_by_label("Nama pengguna").wait_for(timeout=300_000)
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill(PASSWORD)
    return context, page


async def press_masuk(page, timeout_s: float) -> tuple[float, str | None]:
    """Seconds from the click on "Masuk" until Ringkasan is drawn, and the problem seen (None: none)."""
    start = time.monotonic()
    await page.get_by_role("button", name="Masuk").click()
    try:
        await page.get_by_text(REPORT_BUTTON).wait_for(timeout=timeout_s * 1000)
        await page.wait_for_function(DONE, timeout=timeout_s * 1000, polling=20)
        script_s = time.monotonic() - start
        await page.locator(".js-plotly-plot").first.wait_for(timeout=timeout_s * 1000)
    except Exception as exc:  # noqa: BLE001 - a timeout is an error of the run, reported
        return time.monotonic() - start, f"timeout: {type(exc).__name__}"
    print(f"  {page.context}: script done {script_s:.2f} s, chart drawn {time.monotonic() - start:.2f} s",
          file=sys.stderr, flush=True)
    return time.monotonic() - start, await _problem(page)


async def burst(browser, url: str, size: int, timeout_s: float, returning: bool = False) -> dict:
    """``size`` people press "Masuk" at the same moment; their times and errors."""
    forms = await asyncio.gather(*(login_form(browser, url, f"bench{n:02d}", returning) for n in range(1, size + 1)))
    load_before = load_average()
    results = await asyncio.gather(*(press_masuk(page, timeout_s) for _, page in forms))
    for context, _ in forms:
        await context.close()
    times = sorted(t for t, _ in results)
    errors = [p for _, p in results if p]
    return {"people": size, "returning": returning, "errors": len(errors), "error_samples": errors[:3],
            "p50_s": round(statistics.median(times), 2),
            "p95_s": round(times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)], 2),
            "max_s": round(times[-1], 2), "load_before": load_before, "load_after": load_average()}


async def visit(page, name: str, timeout_s: float) -> tuple[float, str | None]:
    """Seconds from a click on the page's navigation link until it is drawn."""
    start = time.monotonic()
    await page.get_by_role("link", name=PAGES[name]).first.click()
    try:
        await _finished(page, timeout_s * 1000)
        if await page.locator('[data-testid="stPlotlyChart"]').count():
            await page.locator(".js-plotly-plot").first.wait_for(timeout=timeout_s * 1000)
    except Exception as exc:  # noqa: BLE001
        return time.monotonic() - start, f"timeout: {type(exc).__name__}"
    return time.monotonic() - start, await _problem(page)


async def page_tour(browser, url: str, timeout_s: float) -> list[dict]:
    """One person: every page's first visit, then every page's cached visit."""
    context, page = await login_form(browser, url, "bench_pusdatin")
    login_s, problem = await press_masuk(page, timeout_s)
    print(f"login: {login_s:.2f} {problem}", file=sys.stderr, flush=True)
    rows = [{"page": "ringkasan (login)", "first_s": round(login_s, 2), "problem": problem, "load": load_average()}]
    first = {}
    for name in [p for p in PAGES if p != "ringkasan"] + ["ringkasan"]:
        first[name] = await visit(page, name, timeout_s)
        print(f"first visit {name}: {first[name]}", file=sys.stderr, flush=True)
    for name in PAGES:
        cached_s, cached_problem = await visit(page, name, timeout_s)
        print(f"cached visit {name}: {cached_s:.2f} {cached_problem}", file=sys.stderr, flush=True)
        first_s, first_problem = first[name]
        rows.append({"page": name, "first_s": round(first_s, 2), "cached_s": round(cached_s, 2),
                     "problem": first_problem or cached_problem, "load": load_average()})
    await context.close()
    return rows


async def run(db: Path, sizes: list[int], timeout_s: float, browsers: list[str] = ("new", "returning")) -> dict:
    """The whole benchmark on a fresh server; returns its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        users = Path(tmp) / "users.json"
        make_users(users, max(sizes))
        port = free_port()
        server = start_server(db, users, port)
        url = f"http://127.0.0.1:{port}"
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
                pages = await page_tour(browser, url, timeout_s)
                await browser.close()
                bursts = []
                for returning in [kind == "returning" for kind in browsers]:
                    for size in sizes:      # a fresh browser per burst: one that fails takes no other burst down
                        browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
                        bursts.append(await burst(browser, url, size, timeout_s, returning))
                        await browser.close()
                        print(f"burst: {bursts[-1]}", file=sys.stderr, flush=True)
            peak = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"db": str(db), "pages": pages, "bursts": bursts, "server_peak_rss_mb": round(peak), "cpus": os.cpu_count()}


def markdown(result: dict) -> str:
    """The figures as the tables of bench/README.md."""
    out = ["| people at once | browser | errors | p50 s | p95 s | max s | load before / after |",
           "| ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    out += [f"| {b['people']} | {'returning' if b['returning'] else 'new'} | {b['errors']} | {b['p50_s']} | "
            f"{b['p95_s']} | {b['max_s']} | "
            f"{b['load_before']} / {b['load_after']} |" for b in result["bursts"]]
    out += ["", "| page | first visit s | cached visit s | problem | load |", "| --- | ---: | ---: | --- | --- |"]
    out += [f"| {r['page']} | {r['first_s']} | {r.get('cached_s', '')} | {r['problem'] or ''} | {r['load']} |"
            for r in result["pages"]]
    out += ["", f"Server peak memory (VmHWM): {result['server_peak_rss_mb']} MB"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """The command line; prints markdown (and writes ``--json``); exit 1 when any error was seen."""
    parser = argparse.ArgumentParser(prog="python -m bench.browser_load", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sizes", default="1,10,25")
    parser.add_argument("--timeout-s", type=float, default=180.0)
    parser.add_argument("--browsers", default="new,returning", help="new, returning or both (comma-separated)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.db, [int(s) for s in args.sizes.split(",")], args.timeout_s, args.browsers.split(",")))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(markdown(result))
    problems = sum(b["errors"] for b in result["bursts"]) + sum(bool(r["problem"]) for r in result["pages"])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
