"""The Maturitas page's charts and display tables, drawn with the shared theme. Inputs
are ``metrics.maturity`` frames; scores are on the 1-5 scale, shares fractions 0-1."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components import format as fmt
from dashboard.components.escape import plain
from dashboard.components.i18n import N_, tr
from dashboard.components.tables import SCORE_FORMAT, SIGNED_SCORE_FORMAT, SIGNED_WHOLE_FORMAT, keep_exact
from dashboard.components.theme import BLUE, GREEN, ORANGE, VERMILION, count_axis, template
from metrics.maturity import COMPARED, DIMENSIONS
from metrics.registry import label

_NOTE = {"no_previous": N_("not assessed the year before"),
         "instrument_differs": N_("⚠ different instrument: not compared"),
         "instrument_unknown": N_("⚠ instrument unknown: not compared")}
DIMENSION_NAMES = {"strategi": N_("Strategy"), "orang": N_("People"), "proses": N_("Process"), "konten": N_("Content"),
                   "teknologi": N_("Technology")}


LEVEL_NAMES = {1: N_("Initiate"), 2: N_("Develop"), 3: N_("Standardize"), 4: N_("Optimize"), 5: N_("Innovate")}


def level_name(level: int, lang: str) -> str:
    """``3 Standardisasi`` / ``3 Standardize`` (APQC's levels, named in the page's language)."""
    return f"{int(level)} {tr(LEVEL_NAMES[int(level)], lang)}"


def signed(value: float | None, lang: str) -> str:
    """A score change with its sign and an arrow (``▲ +0,58``: scores always with 2 decimals); missing -> ``t/a``."""
    if value is None or pd.isna(value):
        return fmt.na(lang)
    arrow = "▲" if value > 0 else "▼" if value < 0 else "■"
    return f"{arrow} {'+' if value > 0 else ''}{fmt.dec(value, lang, 2)}"


def level_chart(levels: pd.DataFrame, lang: str) -> go.Figure:
    """CoPs per level (x) with one bar series per assessed year (``level_distribution``)."""
    fig = go.Figure()
    for year, rows in levels.groupby("year"):
        fig.add_bar(x=[level_name(v, lang) for v in rows["maturity_level"]], y=rows["cops"], name=str(year),
                    text=[fmt.pct(s, lang, 0) for s in rows["cops_share"]], textposition="outside")
    fig.update_layout(template=template(lang), title=tr("Maturity levels by year", lang), height=340, barmode="group",
                      legend={"orientation": "h", "y": -0.15}, yaxis=count_axis(levels["cops"].max() if len(levels) else None))
    return fig


def radar_chart(cop: pd.Series, medians: dict, lang: str) -> go.Figure:
    """One CoP's five dimension scores (filled) against the province medians (dashed)."""
    axes = [tr(DIMENSION_NAMES[d], lang) for d in DIMENSIONS]
    fig = go.Figure()
    fig.add_scatterpolar(r=[medians[d] for d in DIMENSIONS] + [medians[DIMENSIONS[0]]], theta=axes + axes[:1],
                         name=tr("Province median", lang), line={"color": ORANGE, "dash": "dash"})
    fig.add_scatterpolar(r=[cop[d] for d in DIMENSIONS] + [cop[DIMENSIONS[0]]], theta=axes + axes[:1],
                         name=plain(cop["cop"]), fill="toself", line={"color": BLUE})
    fig.update_layout(template=template(lang), title=tr("Five dimensions against the province median", lang), height=360,
                      polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5]}},
                      legend={"orientation": "h", "y": -0.1})
    return fig


def change_chart(scores: pd.DataFrame, lang: str) -> go.Figure:
    """Score change per compared CoP, largest rise on top; rises green ▲, falls vermilion ▼."""
    rows = scores[scores["comparison"] == COMPARED].sort_values("score_change")
    fig = go.Figure(go.Bar(
        y=[f"{'▲' if c > 0 else '▼' if c < 0 else '■'} {plain(n)}" for n, c in zip(rows["cop"], rows["score_change"])],
        x=rows["score_change"], orientation="h", hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
        marker={"color": [GREEN if c > 0 else VERMILION for c in rows["score_change"]]}))
    fig.update_layout(template=template(lang), title=tr("Score change from the previous year", lang), height=max(300, 20 * len(rows) + 100))
    return fig


def cop_table(scores: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``cop_scores`` as display text: dimensions, score, level, previous score, change, and a
    remark where the CoP was not compared (no remark column when every CoP was). The downloads
    hold the exact scores and changes as numbers (``tables.keep_exact``), never the rounded text."""
    out = pd.DataFrame({tr("Agency", lang): scores["skpd"], tr("CoP", lang): scores["cop"]})
    exact = {}
    for d in DIMENSIONS:
        out[tr(DIMENSION_NAMES[d], lang)] = [fmt.dec(v, lang) for v in scores[d]]
        exact[tr(DIMENSION_NAMES[d], lang)] = (scores[d], SCORE_FORMAT)
    # three decimals: a score shown rounded to 3,50 beside level 3 (3.498) contradicts its level
    out[label("maturity_score", lang)] = [fmt.dec(v, lang, 3) for v in scores["maturity_score"]]
    out[label("maturity_level", lang)] = [level_name(v, lang) for v in scores["maturity_level"]]
    out[tr("Previous year's score", lang)] = [fmt.dec(v, lang, 3) for v in scores["previous_score"]]
    out[label("maturity_score_change", lang)] = [signed(v, lang) for v in scores["score_change"]]
    out[label("maturity_level_change", lang)] = [fmt.na(lang) if pd.isna(v) else f"{int(v):+d}" if v else "0"
                                                 for v in scores["level_change"]]
    exact |= {label("maturity_score", lang): (scores["maturity_score"], SCORE_FORMAT),
              tr("Previous year's score", lang): (scores["previous_score"], SCORE_FORMAT),
              label("maturity_score_change", lang): (scores["score_change"], SIGNED_SCORE_FORMAT),
              label("maturity_level_change", lang): ([None if pd.isna(v) else int(v) for v in scores["level_change"]],
                                                     SIGNED_WHOLE_FORMAT)}
    remarks = [tr(_NOTE[c], lang) if c in _NOTE else "" for c in scores["comparison"]]
    if any(remarks):
        out[tr("Remark", lang)] = remarks
    for column, (values, number_format) in exact.items():
        keep_exact(out, column, values, number_format)
    return out


def skpd_table(skpd: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``dimension_summary`` by agency as display text (means over the agency's CoPs); the
    downloads hold the exact means (``tables.keep_exact``)."""
    out = pd.DataFrame({tr("Agency", lang): skpd["skpd"], tr("CoPs assessed", lang): [fmt.num(v, lang) for v in skpd["cops"]]})
    for d in (*DIMENSIONS, "maturity_score"):
        column = label(d, lang) if d == "maturity_score" else tr(DIMENSION_NAMES[d], lang)
        out[column] = [fmt.dec(v, lang) for v in skpd[d]]
        keep_exact(out, column, skpd[d], SCORE_FORMAT)
    out[label("maturity_level", lang)] = [level_name(v, lang) for v in skpd["maturity_level"]]
    return out
