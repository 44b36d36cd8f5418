"""Laying out HTML with Debian's chromium, driven by Playwright (no browser download):
print to an A4 PDF, or screenshot one element to PNG.

Why chromium and not WeasyPrint: the charts are Plotly figures, and Plotly draws them with
its own JavaScript; chromium runs that script and prints the result as vectors (text stays
text, so ``pdftotext`` finds every figure), with no second engine or export library
(kaleido would start a Chrome anyway). Chromium is already on every machine that runs the
browser test, and Playwright already drives it there.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
A4_CONTENT_HEIGHT_PX = (297 - 16) / 25.4 * 96    # A4 less the 8 mm top and bottom margins of report.css
READY_TIMEOUT_MS = 30_000


class RenderError(RuntimeError):
    """Chromium is missing or could not lay the page out; the message says which."""


def chromium_path() -> str:
    """The chromium executable: ``$KMDASH_CHROMIUM`` when set, else Debian's ``chromium`` on PATH.

    Raises:
        RenderError: none found.
    """
    path = os.environ.get("KMDASH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RenderError("chromium is not installed: install Debian's chromium package (apt-get install chromium)")
    return path


@contextlib.contextmanager
def browser():
    """A headless chromium for one batch of renders; closed afterwards."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def _ready(page) -> None:
    page.wait_for_function("document.body.dataset.ready !== undefined", timeout=READY_TIMEOUT_MS)
    state = page.evaluate("document.body.dataset.ready")
    if state != "1":
        raise RenderError(f"a chart could not be drawn: {state}")


def html_to_pdf(html: str, out: Path, *, instance=None) -> Path:
    """Print ``html`` (a page whose script sets ``body.dataset.ready = "1"`` when its charts are
    drawn) to ``out`` as A4 PDF, backgrounds included. A page taller than one A4 page is
    printed scaled down to fit it (and a warning logged), never cut.

    Raises:
        RenderError: chromium missing, or a chart failed to draw.
    """
    with (contextlib.nullcontext(instance) if instance else browser()) as chrome:
        page = chrome.new_page()
        try:
            page.emulate_media(media="print")
            page.set_content(html, wait_until="load")
            _ready(page)
            height = page.evaluate("document.documentElement.scrollHeight")
            scale = 1.0
            if height > A4_CONTENT_HEIGHT_PX:
                scale = max(0.5, A4_CONTENT_HEIGHT_PX / height * 0.98)
                log.warning("report taller than one A4 page height_px=%s scale=%.3f", height, scale)
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True, scale=scale)
        finally:
            page.close()
    return out


def html_to_png(html: str, selectors: list[str], *, instance=None, scale: float = 2.0) -> dict[str, bytes]:
    """Screenshot each element of ``selectors`` in ``html`` as PNG (``scale`` device pixels per
    CSS pixel), once the page's charts are drawn. Returns selector -> PNG bytes.

    Raises:
        RenderError: chromium missing, or a chart failed to draw.
    """
    with (contextlib.nullcontext(instance) if instance else browser()) as chrome:
        page = chrome.new_page(device_scale_factor=scale)
        try:
            page.set_content(html, wait_until="load")
            _ready(page)
            return {sel: page.locator(sel).screenshot(type="png") for sel in selectors}
        finally:
            page.close()
