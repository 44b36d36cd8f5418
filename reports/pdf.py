"""The one-page A4 PDF: ``reports.sections`` laid out by an HTML template and CSS
(``reports/templates``), charts drawn by Plotly in the same chromium page, printed by
``reports.render``."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from reports.charts import trend_figure
from reports.content import AgencyReport, ProvinceReport
from reports.fmt import Formats
from reports.render import html_to_pdf
from reports.sections import Sections, agency_sections, province_sections
from reports.texts import Texts

TEMPLATES = Path(__file__).parent / "templates"
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"]),
                          trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    return get_plotlyjs()


def _figures_json(figures: dict[str, go.Figure]) -> str:
    """The figures as one JSON object safe inside a <script> element."""
    payload = {key: json.loads(fig.to_json()) for key, fig in figures.items()}
    return json.dumps(payload).replace("</", "<\\/")


def page_html(sections: Sections, figures: dict[str, go.Figure], *, left: list[str], right: list[str],
              classes: dict[str, str]) -> str:
    """The report page as one self-contained HTML document (CSS, plotly.js and figures inline):
    ``left`` / ``right`` name the ``sections.tables`` of each column; ``classes`` gives a
    table's CSS classes (``report.css``; default ``small``)."""
    return _ENV.get_template("page.html").render(
        s=sections, css=(TEMPLATES / "report.css").read_text(encoding="utf-8"), plotly_js=_plotly_js(),
        figures_json=_figures_json({f"chart-{k}": v for k, v in figures.items()}), draw_script=_DRAW_SCRIPT,
        left=left, right=right, classes=classes)


def report_figures(report: ProvinceReport | AgencyReport, lang: str = "id", **size) -> dict[str, go.Figure]:
    """The report's charts by key (``trend``: the cumulative trend with target and projection
    band, and for an agency the province's curve); none when the year has no use yet.
    ``size``: ``width``, ``height`` (px), ``font_size`` for ``reports.charts.trend_figure``."""
    words, fmt = Texts(lang), Formats(lang)
    if isinstance(report, AgencyReport):
        if report.page.monthly.empty:
            return {}
        return {"trend": trend_figure(report.page.monthly, report.target, report.outlook.projection, words, fmt,
                                      compare=report.province_monthly, compare_name=words["province"], **size)}
    if report.overview.monthly.empty:
        return {}
    return {"trend": trend_figure(report.overview.monthly, report.overview.target, report.outlook.projection, words,
                                  fmt, **size)}


def province_html(report: ProvinceReport, lang: str = "id") -> str:
    """The province's page: tiles, trend with projection band, at-risk agencies and data
    freshness on the left, every agency's line on the right."""
    sections, words = province_sections(report, lang), Texts(lang)
    figures = report_figures(report, lang)
    return page_html(sections, figures, left=[words["at_risk"], words["freshness"]], right=[words["league"]],
                     classes={words["league"]: "league names", words["at_risk"]: "small names",
                              words["freshness"]: "small fresh"})


def agency_html(report: AgencyReport, lang: str = "id") -> str:
    """One agency's page: tiles, its trend against the province, figures against the
    province, CoPs with maturity, meetings per quarter, most-used assets."""
    sections, words = agency_sections(report, lang), Texts(lang)
    figures = report_figures(report, lang)
    return page_html(sections, figures, left=[words["counts"], words["quarters"]],
                     right=[words["cops"], words["top_assets"]],
                     classes={words["counts"]: "small names", words["cops"]: "small names",
                              words["top_assets"]: "small names"})


def write_pdf(report: ProvinceReport | AgencyReport, out: Path, lang: str = "id", *, instance=None) -> Path:
    """Write the report's one-page A4 PDF to ``out`` and return it.

    Raises:
        reports.render.RenderError: chromium missing or a chart failed to draw.
    """
    html = agency_html(report, lang) if isinstance(report, AgencyReport) else province_html(report, lang)
    return html_to_pdf(html, out, instance=instance)


def charts_html(figures: dict[str, go.Figure]) -> str:
    """A bare page holding only ``figures`` (each in ``div#chart-<key>``), for screenshots."""
    divs = "".join(f'<div id="chart-{key}" style="display:inline-block"></div>' for key in figures)
    return ("<!doctype html><html><head><meta charset='utf-8'><style>body{margin:0;background:white}</style>"
            f"<script>{_plotly_js()}</script></head><body>{divs}<script>const figures = "
            f"{_figures_json({f'chart-{k}': v for k, v in figures.items()})};{_DRAW_SCRIPT}</script></body></html>")


_DRAW_SCRIPT = """
Promise.all(Object.entries(figures).map(([id, fig]) =>
  Plotly.newPlot(document.getElementById(id), fig.data, fig.layout, {staticPlot: true, displayModeBar: false})))
  .then(() => { document.body.dataset.ready = "1"; }, (err) => { document.body.dataset.ready = "error: " + err; });
"""
