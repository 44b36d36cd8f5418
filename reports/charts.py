"""The report's charts as Plotly figures, drawn by Plotly itself inside the same chromium
page that lays out the PDF (vector, text stays text) or screenshotted to PNG for the
slides. Inputs are the metrics layer's frames; rates are fractions shown as percents.
Colours are the dashboard's (Okabe-Ito, colour-blind safe); status is never colour alone."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics.registry import label
from reports.fmt import Formats
from reports.texts import Texts

BLUE, ORANGE, GREEN, VERMILION, GREY, BLACK = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#7F7F7F", "#000000"
FONT = "Liberation Sans, Arial, DejaVu Sans, sans-serif"


def _layout(fig: go.Figure, *, width: int, height: int, font_size: int, top: float, legend: bool) -> go.Figure:
    fig.update_layout(width=width, height=height, font={"family": FONT, "size": font_size},
                      margin={"l": 6, "r": 6, "t": 6, "b": 6}, plot_bgcolor="white", paper_bgcolor="white",
                      showlegend=legend, legend={"orientation": "h", "y": -0.12, "x": 0, "font": {"size": font_size - 1},
                              "entrywidth": 0, "itemwidth": 30, "tracegroupgap": 0},
                      yaxis={"tickformat": ".0%", "range": [0, top], "gridcolor": "#e5e5e5", "zeroline": False,
                             "automargin": True},
                      xaxis={"gridcolor": "#e5e5e5", "automargin": True, "tickangle": 0})
    return fig


def _projection(fig: go.Figure, months: list[str], last_rate: float, projection: dict | None, december: str,
                words: Texts, fmt: Formats) -> float:
    """The dotted line from the last month to December and its band; returns the highest value drawn."""
    if not projection or projection.get("projected_rate") is None or months[-1] == december:
        return 0.0
    low, mid, high = (projection[k] for k in ("projected_rate_low", "projected_rate", "projected_rate_high"))
    fig.add_scatter(x=[months[-1], december, december, months[-1]], y=[last_rate, high, low, last_rate],
                    fill="toself", mode="lines", line={"width": 0}, fillcolor="rgba(0,114,178,0.18)",
                    name=f"{words['band']} {fmt.band(low, high)}", hoverinfo="skip")
    fig.add_scatter(x=[months[-1], december], y=[last_rate, mid], mode="lines+markers+text",
                    line={"color": BLUE, "dash": "dot", "width": 2}, marker={"size": 6},
                    text=["", fmt.pct(mid)], textposition="top left", name=f"{words['projection']} {fmt.pct(mid)}")
    return float(high)


def trend_figure(monthly: pd.DataFrame, target: float, projection: dict | None, words: Texts, fmt: Formats, *,
                 compare: pd.DataFrame | None = None, compare_name: str = "", width: int = 325, height: int = 215,
                 font_size: int = 9) -> go.Figure:
    """Cumulative utilisation by month (``metrics.kpi.monthly_cumulative``) with the target line
    and, when given, the year-end projection and its band (``metrics.projection``) and a
    second curve to compare with (the province, for an agency). A legend only with a second
    curve; otherwise the value labels and the page's projection sentence name what is drawn."""
    year = monthly["month"].iloc[0][:4]
    december = fmt.month_name(f"{year}-12")
    months = [fmt.month_name(m) for m in monthly["month"]]
    rates = [float(v) for v in monthly["cumulative_utilisation_rate"]]
    fig = go.Figure()
    top = max([target * 1.15, *[r * 1.1 for r in rates]])
    if compare is not None and not compare.empty:
        other = [float(v) for v in compare["cumulative_utilisation_rate"]]
        fig.add_scatter(x=[fmt.month_name(m) for m in compare["month"]], y=other, mode="lines", name=compare_name,
                        line={"color": GREY, "width": 2, "dash": "dash"})
        top = max(top, *[r * 1.1 for r in other])
    fig.add_scatter(x=months, y=rates, mode="lines+markers+text", name=label("cumulative_asset_users", fmt.lang),
                    line={"color": BLUE, "width": 3}, marker={"size": 5},
                    text=[""] * (len(rates) - 1) + [fmt.pct(rates[-1])], textposition="top left")
    top = max(top, _projection(fig, months, rates[-1], projection, december, words, fmt) * 1.1)
    fig.add_hline(y=target, line={"color": BLACK, "dash": "dash", "width": 1},
                  annotation_text=f"{words['target']} {fmt.target(target)}", annotation_position="top left",
                  annotation_font_size=font_size)
    axis = months + ([december] if months[-1] != december else [])
    if compare is not None and not compare.empty:
        axis = list(dict.fromkeys([fmt.month_name(m) for m in compare["month"]] + axis))
    fig.update_xaxes(categoryorder="array", categoryarray=axis)
    return _layout(fig, width=width, height=height, font_size=font_size, top=top,
                   legend=compare is not None and not compare.empty)
