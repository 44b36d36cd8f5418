"""The meeting take-aways on Ringkasan and Perangkat daerah: the one-page PDF and the
slides (PPTX) of ``reports``, made only when a button is clicked (Streamlit's deferred
download data), with the same figures as the page, and audited like every download."""
from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit as st

from dashboard.components.i18n import tr
from dashboard.components.downloads import download_button
from dashboard.state import reading

MIME = {"pdf": "application/pdf",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def report_bytes(path: str, year: int, skpd: str | None, lang: str, kind: str) -> bytes:
    """The report file (``kind`` ``pdf`` or ``pptx``) of the province (``skpd`` None) or of one
    agency, read from the database at ``path``.

    Runs in a thread of its own: Playwright's synchronous API refuses a thread that runs an
    event loop (as Streamlit's server thread does).

    Raises:
        reports.content.ReportError: no data for the year / agency not in the recap.
        reports.render.RenderError: chromium missing or the chart failed to draw.
    """
    def make() -> bytes:
        from reports.content import agency_report, province_report
        with reading(path) as con:
            report = agency_report(con, year, skpd) if skpd else province_report(con, year)
        with tempfile.TemporaryDirectory(prefix="kmdash-take-away-") as tmp:
            out = Path(tmp) / f"report.{kind}"
            if kind == "pdf":
                from reports.pdf import write_pdf
                write_pdf(report, out, lang)
            else:
                from reports.slides import write_pptx
                write_pptx(report, out, lang)
            return out.read_bytes()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(make).result()


def report_buttons(path: str, year: int, skpd: str | None, lang: str) -> None:
    """Two download buttons side by side: the one-page PDF and the slides."""
    stem = f"laporan_km_{year}" + ("" if skpd is None else "_" + "".join(c if c.isalnum() else "_" for c in skpd))
    left, right = st.columns(2)
    for slot, kind, text in ((left, "pdf", tr("One-page report (PDF)", lang)), (right, "pptx", tr("Slides (PPTX)", lang))):
        name = f"{stem}.{kind}"
        download_button(text, lambda kind=kind: report_bytes(path, year, skpd, lang, kind), name, MIME[kind],
                        slot=slot, key=f"report_{kind}_{skpd or 'province'}")
