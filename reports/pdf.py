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
        figures_json=_figures_json({f"chart-{k}": v for k, v in figures.items()}), left=left, right=right,
        classes=classes)


def province_html(report: ProvinceReport, lang: str = "id") -> str:
    """The province's page: tiles, trend with projection band, at-risk agencies and data
    freshness on the left, every agency's line on the right."""
    sections, words = province_sections(report, lang), Texts(lang)
    data = report.overview
    figures = {}
    if not data.monthly.empty:
        figures["trend"] = trend_figure(data.monthly, data.target, report.outlook.projection, words, Formats(lang))
    return page_html(sections, figures, left=[words["at_risk"], words["freshness"]], right=[words["league"]],
                     classes={words["league"]: "league names", words["at_risk"]: "small names",
                              words["freshness"]: "small fresh"})


def agency_html(report: AgencyReport, lang: str = "id") -> str:
    """One agency's page: tiles, its trend against the province, figures against the
    province, CoPs with maturity, meetings per quarter."""
    sections, words = agency_sections(report, lang), Texts(lang)
    figures = {}
    if not report.page.monthly.empty:
        figures["trend"] = trend_figure(report.page.monthly, report.target, report.outlook.projection, words,
                                        Formats(lang), compare=report.province_monthly, compare_name=words["province"])
    return page_html(sections, figures, left=[words["counts"], words["quarters"]], right=[words["cops"]],
                     classes={words["counts"]: "small names", words["cops"]: "small names"})


def write_pdf(report: ProvinceReport | AgencyReport, out: Path, lang: str = "id", *, instance=None) -> Path:
    """Write the report's one-page A4 PDF to ``out`` and return it.

    Raises:
        reports.render.RenderError: chromium missing or a chart failed to draw.
    """
    html = agency_html(report, lang) if isinstance(report, AgencyReport) else province_html(report, lang)
    return html_to_pdf(html, out, instance=instance)
