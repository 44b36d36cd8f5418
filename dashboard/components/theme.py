"""One look for every chart: colours, the target line, the plotly template.

Status is never colour alone: every status colour comes with a symbol and a word
(``STATUS_MARK``), so the table and charts read the same for colour-blind readers.
Colours are from the Okabe-Ito palette (colour-blind safe).
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#7F7F7F"
STATUS_COLOUR = {"met": GREEN, "below": VERMILION, "undefined": GREY}
STATUS_MARK = {"met": "✔", "below": "✖", "undefined": "?"}
TARGET_COLOUR = "#000000"

pio.templates["kmdash"] = go.layout.Template(layout=go.Layout(
    font={"family": "Source Sans Pro, Arial, sans-serif", "size": 13},
    colorway=[BLUE, ORANGE, GREEN, VERMILION, "#56B4E9", "#CC79A7", "#F0E442"],
    margin={"l": 10, "r": 10, "t": 40, "b": 10},
    plot_bgcolor="white", paper_bgcolor="white",
    xaxis={"gridcolor": "#e5e5e5", "zeroline": False}, yaxis={"gridcolor": "#e5e5e5", "zeroline": False},
))
TEMPLATE = "kmdash"
# Number separators per language for every axis, hover and label (d3-format reads them):
# decimal comma and "." thousands in Indonesian.
SEPARATORS = {"id": ",.", "en": ".,"}
for _lang, _separators in SEPARATORS.items():
    pio.templates[f"kmdash_{_lang}"] = go.layout.Template(pio.templates["kmdash"], layout={"separators": _separators})


def count_axis(largest: float | None) -> dict:
    """An axis of whole counts: thousands separated, never a tick at 0.5 meeting."""
    axis = {"tickformat": ",d", "rangemode": "tozero"}
    if largest is not None and largest == largest and largest <= 10:
        axis["dtick"] = 1
    return axis


def template(lang: str) -> str:
    """The plotly template for ``lang``: the house look with that language's separators."""
    return f"kmdash_{lang}"

# Printing a page to PDF from the browser: no sidebar, toolbar or buttons; charts and
# tables kept whole on a page. A4 landscape: charts are drawn at the screen's width (Plotly does
# not lay them out again for paper), and a portrait A4 page (about 720 px) cut the right part off
# charts drawn on a 1400 px screen (trend after Oct, agency markers past 72%); landscape holds
# about 1050 px, the chart width of screens up to about 1500 px. (The one-page PDF report is
# the way to print wider.)
PRINT_CSS = """<style>
@page { size: A4 landscape; margin: 10mm; }
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .stDownloadButton,
  [data-testid="stDecoration"], [data-testid="collapsedControl"] { display: none !important; }
  .main .block-container, [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  .js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stMetric"] { break-inside: avoid; page-break-inside: avoid; }
}
</style>"""

# Phones (390 px): KPI tiles two to a row instead of one per screen line (Streamlit stacks
# columns below 640 px, which leaves a tile alone on each line); on every width, tile labels and
# deltas wrap instead of ending in an ellipsis ('-10,4 poin dibanding t...').
# Besides the phone layout: Streamlit's own input hints ("Press Enter to ...") are English on every
# page whatever its language, so they are hidden (a click or Enter submits anyway).
PHONE_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) { flex-wrap: wrap; gap: 0.5rem; }
  [data-testid="stColumn"]:has([data-testid="stMetric"]) { flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important; }
  [data-testid="stMetricValue"] { font-size: 1.6rem; }
}
[data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; overflow-wrap: anywhere; }
[data-testid="InputInstructions"] { display: none !important; }
</style>"""


def pinned_first(column: str) -> dict:
    """``column_config`` keeping a table's name column narrow and in view while the other
    columns scroll sideways (a phone shows the name and its first figures)."""
    import streamlit as st
    return {column: st.column_config.Column(pinned=True, width=170)}

