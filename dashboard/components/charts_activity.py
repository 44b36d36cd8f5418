"""The Kegiatan page's charts, display tables and agency filter, drawn with the shared
theme. Inputs are ``metrics.activity`` frames; rates are fractions shown as percents."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.export import PERCENT_FORMAT
from dashboard.components.i18n import tr
from dashboard.components.tables import keep_exact
from dashboard.components.theme import BLUE, GREY, count_axis, template
from dashboard.access import locked_agency
from dashboard.components.escape import md
from dashboard.state import wanted_agency
from metrics.registry import label

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_label(quarter: int, year: int, lang: str) -> str:
    """``TW III 2026`` (Indonesian) or ``Q3 2026``."""
    return f"TW {_ROMAN[int(quarter)]} {year}" if lang == "id" else f"Q{int(quarter)} {year}"


def agency_filter(options: list[str], lang: str) -> str | None:
    """A sidebar agency select box kept in the URL query ``skpd`` (any spelling the agency
    table knows, see ``dashboard.state.wanted_agency``); None is the whole province. A name
    that reaches no agency, or an agency without a known CoP, is said on screen."""
    own = locked_agency(lang)
    if own is not None:
        return own
    everyone = tr("All agencies", lang)
    wanted = wanted_agency(lang, everyone)
    if wanted is not None and wanted not in options:
        st.warning(f"{md(wanted)}: {tr('no CoP of this agency is known', lang)} → {md(everyone)}")
    choices = [None, *options]
    index = choices.index(wanted) if wanted in options else 0
    skpd = st.sidebar.selectbox(tr("Agency", lang), choices, index=index,
                                format_func=lambda v: tr("All agencies", lang) if v is None else v)
    if skpd is None:
        st.query_params.pop("skpd", None)
    else:
        st.query_params["skpd"] = skpd
    return skpd


def quarter_chart(province: pd.DataFrame, year: int, lang: str) -> go.Figure:
    """Meetings per quarter, accompanied and not (stacked), from ``quarter_summary(.., [])``."""
    x = [quarter_label(q, year, lang) for q in province["quarter"]]
    fig = go.Figure()
    fig.add_bar(x=x, y=province["activities_accompanied"], name=label("activities_accompanied", lang),
                marker={"color": BLUE})
    fig.add_bar(x=x, y=province["activities"] - province["activities_accompanied"], name=tr("Not accompanied", lang),
                marker={"color": GREY, "pattern": {"shape": "/"}})
    fig.update_layout(template=template(lang), barmode="stack", title=tr("Meetings per quarter", lang), height=320,
                      legend={"orientation": "h", "y": -0.15}, yaxis=count_axis(province["activities"].max()))
    return fig


def target_chart(province: pd.DataFrame, year: int, lang: str) -> go.Figure:
    """Share of CoPs with at least one meeting per quarter (target: every CoP)."""
    x = [quarter_label(q, year, lang) for q in province["quarter"]]
    text = [f"{fmt.num(m, lang)}/{fmt.num(c, lang)}" for m, c in zip(province["cops_meeting_target"], province["cops"])]
    fig = go.Figure(go.Bar(x=x, y=province["cops_meeting_target_rate"], text=text, marker={"color": BLUE},
                           hovertemplate="%{x}: %{y:.1%} (%{text})<extra></extra>"))
    fig.update_layout(template=template(lang), title=tr("CoPs with ≥ 1 meeting per quarter", lang), height=320,
                      yaxis={"tickformat": ".0%", "range": [0, 1.05]})
    return fig


def skpd_heatmap(skpd_quarters: pd.DataFrame, year: int, lang: str) -> go.Figure:
    """Meetings per agency (rows) and quarter (columns), counts written in the cells."""
    grid = skpd_quarters.pivot(index="skpd", columns="quarter", values="activities").sort_index(ascending=False)
    fig = go.Figure(go.Heatmap(z=grid.values, x=[quarter_label(q, year, lang) for q in grid.columns], y=grid.index,
                               colorscale="Blues", texttemplate="%{z}", showscale=False,
                               hovertemplate="%{y} · %{x}: %{z}<extra></extra>"))
    fig.update_layout(template=template(lang), title=tr("Meetings by agency and quarter", lang), height=max(260, 22 * len(grid) + 90))
    return fig


def skpd_table(skpd: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``skpd_year_summary`` as display text; the downloads hold the exact rates (``keep_exact``)."""
    out = pd.DataFrame({
        tr("Agency", lang): skpd["skpd"],
        tr("CoPs", lang): [fmt.num(v, lang) for v in skpd["cops"]],
        label("activities", lang): [fmt.num(v, lang) for v in skpd["activities"]],
        label("activities_accompanied", lang): [fmt.num(v, lang) for v in skpd["activities_accompanied"]],
        label("accompanied_rate", lang): [fmt.pct(v, lang) for v in skpd["accompanied_rate"]],
        tr("CoP-quarters meeting the target", lang): [f"{fmt.num(m, lang)} / {fmt.num(n, lang)}"
                                      for m, n in zip(skpd["cop_quarters_meeting_target"], skpd["cop_quarters"])],
        label("cops_meeting_target_rate", lang): [fmt.pct(v, lang) for v in skpd["cops_meeting_target_rate"]],
    })
    for name in ("accompanied_rate", "cops_meeting_target_rate"):
        keep_exact(out, label(name, lang), skpd[name], PERCENT_FORMAT)
    return out


def mentor_table(mentors: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.activity.mentors`` as display text; the downloads hold the exact rates."""
    out = pd.DataFrame({
        tr("Mentor", lang): [tr("(no name)", lang) if pd.isna(m) else m for m in mentors["mentor"]],
        label("activities_accompanied", lang): [fmt.num(v, lang) for v in mentors["activities_accompanied"]],
        tr("CoPs", lang): [fmt.num(v, lang) for v in mentors["cops_accompanied"]],
        tr("Agency", lang): [fmt.num(v, lang) for v in mentors["skpd_accompanied"]],
        label("mentor_accompanied_rate", lang): [fmt.pct(v, lang) for v in mentors["accompanied_rate"]],
    })
    return keep_exact(out, label("mentor_accompanied_rate", lang), mentors["accompanied_rate"], PERCENT_FORMAT)


def without_meeting_table(rows: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """CoP x quarter rows without a meeting (``ActivityOverview.cops_without_meeting``) as text."""
    return pd.DataFrame({
        tr("Quarter", lang): [quarter_label(q, year, lang) + ("" if closed else f" ({tr('running', lang)})")
                                 for q, closed in zip(rows["quarter"], rows["quarter_closed"])],
        tr("Agency", lang): rows["skpd"],
        tr("CoP", lang): rows["cop"],
    })
