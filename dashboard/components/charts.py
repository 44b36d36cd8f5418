"""The overview's charts, drawn with the shared theme. Inputs are the metrics layer's
frames; rates are fractions and are shown as percents on the axes."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from dashboard.components.theme import BLUE, ORANGE, STATUS_COLOUR, STATUS_MARK, TARGET_COLOUR, template
from metrics.registry import label

PERCENT_AXIS = {"tickformat": ".0%"}


def trend_chart(monthly: pd.DataFrame, target: float, lang: str, projection: dict | None = None) -> go.Figure:
    """Cumulative utilisation by month (``metrics.kpi.monthly_cumulative``) with the target line
    and, when a projection is given, its December value and band (``metrics.projection``)."""
    months = [fmt.month_label(m, lang) for m in monthly["month"]]
    fig = go.Figure(go.Scatter(x=months, y=monthly["cumulative_utilisation_rate"], mode="lines+markers",
                               name=label("cumulative_asset_users", lang), line={"color": BLUE, "width": 3},
                               customdata=monthly["cumulative_asset_users"],
                               hovertemplate="%{x}: %{y:.1%} (%{customdata})<extra></extra>"))
    fig.add_hline(y=target, line={"color": TARGET_COLOUR, "dash": "dash"},
                  annotation_text=f"{tr('Target', lang)} {fmt.target_pct(target, lang)}", annotation_position="top left")
    top = max(target * 1.15, float(monthly["cumulative_utilisation_rate"].max() or 0) * 1.1)
    if projection and projection.get("projected_rate") is not None and len(monthly) < 12:
        year = monthly["month"].iloc[0][:4]
        december = fmt.month_label(f"{year}-12", lang)
        fig.add_scatter(x=[months[-1], december], y=[monthly["cumulative_utilisation_rate"].iloc[-1],
                                                       projection["projected_rate"]],
                        mode="lines+markers", line={"color": BLUE, "dash": "dot"}, name=tr("December projection", lang),
                        error_y={"type": "data", "symmetric": False, "color": BLUE,
                                 "array": [0, projection["projected_rate_high"] - projection["projected_rate"]],
                                 "arrayminus": [0, projection["projected_rate"] - projection["projected_rate_low"]]},
                        hovertemplate="%{x}: %{y:.1%}<extra></extra>")
        top = max(top, projection["projected_rate_high"] * 1.1)
        months = months + [december]
        fig.update_xaxes(categoryorder="array", categoryarray=months)
    title = tr("Cumulative asset users vs the {target} target", lang).format(target=fmt.target_pct(target, lang))
    fig.update_layout(template=template(lang), title=title, height=340, showlegend=False,
                      yaxis={**PERCENT_AXIS, "range": [0, top]}, xaxis={"title": tr("Month", lang)})
    return fig


LEAGUE_TITLE = N_("Utilisation and participation by agency")


def league_chart(skpd: pd.DataFrame, target: float, lang: str) -> go.Figure:
    """Utilisation (bars coloured and marked by target status) and participation (dots)
    per agency, best first, with the target line. Each agency's name is written above its
    bar, so the bars keep the chart's whole width on a phone (390 px) as on a desktop."""
    frame = skpd.iloc[::-1]
    names = [f"{STATUS_MARK[s]} {n}" for n, s in zip(frame["skpd"], frame["target_status"])]
    fig = go.Figure()
    fig.add_bar(y=names, x=frame["utilisation_rate"], orientation="h", name=label("utilisation_rate", lang),
                marker={"color": [STATUS_COLOUR[s] for s in frame["target_status"]]}, customdata=frame["skpd"],
                hovertemplate="%{y}: %{x:.1%}<extra></extra>")
    fig.add_scatter(y=names, x=frame["participation_rate"], mode="markers", name=label("participation_rate", lang),
                    marker={"color": ORANGE, "symbol": "diamond", "size": 9}, customdata=frame["skpd"], xaxis="x2",
                    hovertemplate="%{y}: %{x:.1%}<extra></extra>")
    fig.add_vline(x=target, line={"color": TARGET_COLOUR, "dash": "dash"},
                  annotation_text=f"{tr('Target', lang)} {fmt.target_pct(target, lang)}", annotation_position="top",
                  annotation_yshift=20)                        # above the top axis's labels
    # the names set at once, after the line: one add_annotation per agency re-validated every
    # earlier one (1.5 s of CPU for 51 agencies, on every run of the page)
    fig.update_layout(annotations=[*fig.layout.annotations, *(
        {"x": 0, "xref": "paper", "y": name, "yshift": 13, "xanchor": "left", "showarrow": False, "font": {"size": 11},
         "text": f"{name} · {fmt.pct(rate, lang)}"} for name, rate in zip(names, frame["utilisation_rate"]))])
    # no title inside the figure: plotly never wraps one, so the page writes it above the chart
    # (``LEAGUE_TITLE``); the percent axis is drawn at the top too, since the chart is taller
    # than a phone's screen and its bottom axis is out of sight where the bars begin (plotly
    # draws an axis only under a trace: the dots use it, its range the same as the bars')
    fig.update_layout(template=template(lang), height=max(320, 36 * len(frame) + 160), xaxis=PERCENT_AXIS,
                      xaxis2={**PERCENT_AXIS, "overlaying": "x", "matches": "x", "side": "top", "showgrid": False},
                      yaxis={"showticklabels": False}, margin={"l": 8, "r": 8, "t": 70},
                      legend={"orientation": "h", "y": -0.05}, bargap=0.6)
    return fig
