"""The Maturitas page's charts and display tables, drawn with the shared theme. Inputs
are ``metrics.maturity`` frames; scores are on the 1-5 scale, shares fractions 0-1."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components import format as fmt
from dashboard.components.i18n import register, t
from dashboard.components.theme import BLUE, GREEN, ORANGE, TEMPLATE, VERMILION
from metrics.maturity import COMPARED, DIMENSIONS
from metrics.registry import MATURITY_LEVEL_NAMES, label

register({
    "mat_title": {"id": "Maturitas CoP", "en": "CoP maturity"},
    "mat_levels": {"id": "Sebaran level maturitas per tahun", "en": "Maturity levels by year"},
    "mat_radar": {"id": "Lima dimensi terhadap median provinsi", "en": "Five dimensions against the province median"},
    "mat_change": {"id": "Perubahan skor dari tahun sebelumnya", "en": "Score change from the previous year"},
    "mat_median": {"id": "Median provinsi", "en": "Province median"},
    "mat_cop": {"id": "CoP", "en": "CoP"},
    "mat_level_name": {"id": "Level", "en": "Level"},
    "mat_previous": {"id": "Skor tahun sebelumnya", "en": "Previous year's score"},
    "mat_note": {"id": "Keterangan", "en": "Note"},
    "mat_no_previous": {"id": "belum dinilai tahun sebelumnya", "en": "not assessed the year before"},
    "mat_instrument_differs": {"id": "⚠ instrumen berbeda: tidak dibandingkan", "en": "⚠ different instrument: not compared"},
    "mat_instrument_unknown": {"id": "⚠ instrumen tidak diketahui: tidak dibandingkan",
                               "en": "⚠ instrument unknown: not compared"},
    "mat_compared": {"id": "dibandingkan", "en": "compared"},
    "mat_cops": {"id": "CoP dinilai", "en": "CoPs assessed"},
    "mat_dim_strategi": {"id": "Strategi", "en": "Strategy"},
    "mat_dim_orang": {"id": "Orang", "en": "People"},
    "mat_dim_proses": {"id": "Proses", "en": "Process"},
    "mat_dim_konten": {"id": "Konten", "en": "Content"},
    "mat_dim_teknologi": {"id": "Teknologi", "en": "Technology"},
})
_NOTE = {COMPARED: "mat_compared", "no_previous": "mat_no_previous", "instrument_differs": "mat_instrument_differs",
         "instrument_unknown": "mat_instrument_unknown"}


def level_name(level: int) -> str:
    """``3 Standardize`` (APQC's level names are used in both languages)."""
    return f"{int(level)} {MATURITY_LEVEL_NAMES[int(level)]}"


def signed(value: float | None, lang: str) -> str:
    """A score change with its sign and an arrow (``▲ +0,576``); missing -> ``n/a``."""
    if value is None or pd.isna(value):
        return fmt.NOT_AVAILABLE
    arrow = "▲" if value > 0 else "▼" if value < 0 else "■"
    return f"{arrow} {'+' if value > 0 else ''}{fmt.dec(value, lang, 3)}"


def level_chart(levels: pd.DataFrame, lang: str) -> go.Figure:
    """CoPs per level (x) with one bar series per assessed year (``level_distribution``)."""
    fig = go.Figure()
    for year, rows in levels.groupby("year"):
        fig.add_bar(x=[level_name(v) for v in rows["maturity_level"]], y=rows["cops"], name=str(year),
                    text=[fmt.pct(s, lang, 0) for s in rows["cops_share"]], textposition="outside")
    fig.update_layout(template=TEMPLATE, title=t("mat_levels", lang), height=340, barmode="group",
                      legend={"orientation": "h", "y": -0.15})
    return fig


def radar_chart(cop: pd.Series, medians: dict, lang: str) -> go.Figure:
    """One CoP's five dimension scores (filled) against the province medians (dashed)."""
    axes = [t(f"mat_dim_{d}", lang) for d in DIMENSIONS]
    fig = go.Figure()
    fig.add_scatterpolar(r=[medians[d] for d in DIMENSIONS] + [medians[DIMENSIONS[0]]], theta=axes + axes[:1],
                         name=t("mat_median", lang), line={"color": ORANGE, "dash": "dash"})
    fig.add_scatterpolar(r=[cop[d] for d in DIMENSIONS] + [cop[DIMENSIONS[0]]], theta=axes + axes[:1],
                         name=cop["cop"], fill="toself", line={"color": BLUE})
    fig.update_layout(template=TEMPLATE, title=t("mat_radar", lang), height=360,
                      polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5]}},
                      legend={"orientation": "h", "y": -0.1})
    return fig


def change_chart(scores: pd.DataFrame, lang: str) -> go.Figure:
    """Score change per compared CoP, largest rise on top; rises green ▲, falls vermilion ▼."""
    rows = scores[scores["comparison"] == COMPARED].sort_values("score_change")
    fig = go.Figure(go.Bar(
        y=[f"{'▲' if c > 0 else '▼' if c < 0 else '■'} {n}" for n, c in zip(rows["cop"], rows["score_change"])],
        x=rows["score_change"], orientation="h", hovertemplate="%{y}: %{x:+.3f}<extra></extra>",
        marker={"color": [GREEN if c > 0 else VERMILION for c in rows["score_change"]]}))
    fig.update_layout(template=TEMPLATE, title=t("mat_change", lang), height=max(300, 20 * len(rows) + 100))
    return fig


def cop_table(scores: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``cop_scores`` as display text: dimensions, score, level, previous score, change, note."""
    out = pd.DataFrame({t("skpd", lang): scores["skpd"], t("mat_cop", lang): scores["cop"]})
    for d in DIMENSIONS:
        out[t(f"mat_dim_{d}", lang)] = [fmt.dec(v, lang) for v in scores[d]]
    out[label("maturity_score", lang)] = [fmt.dec(v, lang, 3) for v in scores["maturity_score"]]
    out[label("maturity_level", lang)] = [level_name(v) for v in scores["maturity_level"]]
    out[t("mat_previous", lang)] = [fmt.dec(v, lang, 3) for v in scores["previous_score"]]
    out[label("maturity_score_change", lang)] = [signed(v, lang) for v in scores["score_change"]]
    out[label("maturity_level_change", lang)] = [fmt.NOT_AVAILABLE if pd.isna(v) else f"{int(v):+d}" if v else "0"
                                                 for v in scores["level_change"]]
    out[t("mat_note", lang)] = [t(_NOTE[c], lang) for c in scores["comparison"]]
    return out


def skpd_table(skpd: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``dimension_summary`` by agency as display text (means over the agency's CoPs)."""
    out = pd.DataFrame({t("skpd", lang): skpd["skpd"], t("mat_cops", lang): [fmt.num(v, lang) for v in skpd["cops"]]})
    for d in (*DIMENSIONS, "maturity_score"):
        out[label(d, lang) if d == "maturity_score" else t(f"mat_dim_{d}", lang)] = [fmt.dec(v, lang) for v in skpd[d]]
    out[label("maturity_level", lang)] = [level_name(v) for v in skpd["maturity_level"]]
    return out
