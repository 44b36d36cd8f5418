"""The agency page's charts (shared theme) and its display tables: inputs are the
``metrics.engagement.SkpdPage`` frames; rates are fractions shown as percents; people
counts on breakdowns below the agency go through ``privacy.small_count``."""
from __future__ import annotations

from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard.components import format as fmt
from dashboard.components.export import COUNT_FORMAT, PERCENT_FORMAT
from dashboard.components.i18n import N_, tr
from dashboard.components.import_text import kind_name
from dashboard.components.privacy import is_small, small_count
from dashboard.components.tables import SCORE_FORMAT, keep_exact
from dashboard.components.theme import BLUE, GREY, ORANGE, count_axis, template
from metrics.privacy import COMPLEMENT, SMALL, SMALL_COUNT_MIN
from metrics.registry import label

PERCENT_AXIS = {"tickformat": ".0%"}

Column = tuple[str, Callable[[object, str], str]]   # (header text, formatter(value, lang))


def comparison_chart(rows: list[tuple[str, float | None, float | None]], skpd: str, lang: str) -> go.Figure:
    """Grouped bars of fractions: ``rows`` are (KPI label, agency value, province value);
    an undefined value draws no bar."""
    names = [r[0] for r in rows][::-1]
    fig = go.Figure()
    for idx, (name, colour) in enumerate(((skpd, BLUE), (tr("Province", lang), GREY))):
        values = [r[idx + 1] for r in rows][::-1]
        fig.add_bar(y=names, x=values, orientation="h", name=name, marker={"color": colour},
                    text=[fmt.pct(v, lang) for v in values], textposition="outside",
                    hovertemplate="%{y}: %{text}<extra>" + name + "</extra>")
    fig.update_layout(template=template(lang), title=tr("Agency and province", lang), height=90 + 70 * len(rows),
                      barmode="group", xaxis={**PERCENT_AXIS, "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.12})
    return fig


def users_by_skpd_chart(frame: pd.DataFrame, lang: str, *, hidden: pd.DataFrame | None = None,
                        top: int = 12) -> go.Figure:
    """Users of the agency's assets by the users' agency (``asset_use_by_skpd``), the
    ``top`` largest; the agency's own employees in orange with a ★. Agencies whose user
    count is hidden (``hidden``, ``metrics.privacy``: fewer than 5, or hidden so that
    another cannot be worked out) are left out of the chart, as are counts under 5."""
    keep = [not is_small(n) for n in frame["asset_users"]]
    if hidden is not None:
        keep = [k and not h for k, h in zip(keep, hidden["asset_users"])]
    shown = frame[keep].head(top).iloc[::-1]
    names = [f"★ {s}" if own else s for s, own in zip(shown["user_skpd"], shown["own"])]
    fig = go.Figure(go.Bar(y=names, x=shown["asset_users"], orientation="h",
                           marker={"color": [ORANGE if own else BLUE for own in shown["own"]]},
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(template=template(lang), title=tr("Asset users by the users' agency", lang), height=max(260, 26 * len(shown) + 100),
                      xaxis={"title": label("users_of_assets", lang), **count_axis(shown["asset_users"].max())},
                      showlegend=False)
    return fig


_EXACT_FORMATS = {fmt.dec: SCORE_FORMAT, fmt.pct: PERCENT_FORMAT}
HIDDEN_TEXT = {SMALL: f"<{SMALL_COUNT_MIN}", COMPLEMENT: "*"}


def display(frame: pd.DataFrame, columns: dict[str, Column], lang: str, hidden: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` as display text: only ``columns`` (source column -> (header, formatter)), in that
    order; a cell ``hidden`` marks (``metrics.privacy``) shows ``<5`` or ``*`` instead of its value."""
    def cell(i, col, value, fn) -> str:
        mark = hidden.at[i, col] if hidden is not None and col in hidden.columns else ""
        return HIDDEN_TEXT[mark] if mark else fn(value, lang)
    out = pd.DataFrame({head: [cell(i, col, v, fn) for i, v in frame[col].items()] for col, (head, fn) in columns.items()})
    for col, (head, fn) in columns.items():              # rounded for the eye; the downloads keep them exact
        if fn in _EXACT_FORMATS and not (hidden is not None and col in hidden.columns and hidden[col].astype(bool).any()):
            keep_exact(out, head, frame[col], _EXACT_FORMATS[fn])
    return out


def _text(value: object, lang: str) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def cop_columns(lang: str) -> dict[str, Column]:
    """The CoP table: meetings, members and tiers (people counts suppressed under 5), maturity."""
    cols: dict[str, Column] = {"cop": ("CoP", _text), "meetings": (tr("Meetings", lang), fmt.num),
                               "members": (label("cop_members", lang), small_count)}
    for tier in ("core", "active", "occasional", "peripheral"):
        cols[tier] = (tr(TIER_NAMES[tier], lang), small_count)
    cols["active_members"] = (label("cop_active_members", lang), small_count)
    cols["maturity_score"] = (label("maturity_score", lang), fmt.dec)
    cols["maturity_level"] = (label("maturity_level", lang), fmt.num)
    return cols


def asset_columns(lang: str) -> dict[str, Column]:
    """The most-used assets table."""
    return {"aset_id": (tr("Asset ID", lang), _text), "title": (tr("Title", lang), _text),
            "aset_kind": (tr("Kind", lang), _text), "cop": ("CoP", _text),
            "asset_users": (label("asset_users", lang), small_count),
            "use_events": (label("use_events", lang), fmt.num),
            "cross_skpd_users": (label("cross_skpd_users", lang), small_count)}


def user_columns(lang: str) -> dict[str, Column]:
    """Who uses the agency's assets, by the users' agency."""
    return {"user_skpd": (tr("Agency", lang), lambda v, _lang: str(v)),
            "own": (tr("Own agency", lang), lambda v, lang_: tr("★ yes", lang_) if v else ""),
            "asset_users": (label("users_of_assets", lang), small_count),
            "use_events": (label("use_events_of_assets", lang), fmt.num),
            "assets_used": (tr("Assets used", lang), fmt.num)}


def coverage_columns(lang: str) -> dict[str, Column]:
    """The newest import per source."""
    return {"kind": (tr("Source", lang), kind_name), "file_name": (tr("File", lang), _text),
            "imported_at": (tr("Imported", lang), lambda v, lang_: fmt.moment(v, lang_)),
            "rows_loaded": (tr("Rows loaded", lang), fmt.num), "imports": (tr("Imports", lang), fmt.num)}


TIER_NAMES = {"core": N_("Core"), "active": N_("Active"), "occasional": N_("Occasional"),
              "peripheral": N_("Peripheral")}
RATES = ("utilisation_rate", "participation_rate", "reuse_rate", "cross_skpd_share")
_KPI_COUNTS = ("headcount", "asset_users", "use_events", "participants", "assets_published")
_ENGAGEMENT_COUNTS = ("users_of_assets", "cross_skpd_users", "assets_available", "assets_reused", "contributors")


def rate_pairs(data, lang: str) -> list[tuple[str, float | None, float | None]]:
    """(label, agency, province) for each of ``RATES`` from a ``SkpdPage``."""
    def pick(name: str, own: dict, prov: dict) -> tuple[str, float | None, float | None]:
        return label(name, lang), own[name], prov[name]
    return [pick(n, data.kpis, data.province) for n in RATES[:2]] + \
           [pick(n, data.engagement, data.province_engagement) for n in RATES[2:]]


def comparison_table(data, lang: str) -> pd.DataFrame:
    """The agency's counts and rates beside the province's, as display text."""
    rows = [(label(n, lang), fmt.num(data.kpis[n], lang), fmt.num(data.province[n], lang)) for n in _KPI_COUNTS]
    rows += [(label(n, lang), fmt.num(data.engagement[n], lang), fmt.num(data.province_engagement[n], lang))
             for n in _ENGAGEMENT_COUNTS]
    rows.append((label("contributors_per_100", lang), fmt.dec(data.engagement["contributors_per_100"], lang, 1),
                 fmt.dec(data.province_engagement["contributors_per_100"], lang, 1)))
    rows += [(name, fmt.pct(a, lang), fmt.pct(b, lang)) for name, a, b in rate_pairs(data, lang)]
    out = pd.DataFrame(rows, columns=[tr("Indicator", lang), data.skpd, tr("Province", lang)])
    counts, pairs = len(_KPI_COUNTS) + len(_ENGAGEMENT_COUNTS), rate_pairs(data, lang)
    formats = [COUNT_FORMAT] * counts + ["0.0"] + [PERCENT_FORMAT] * len(pairs)     # per row: the downloads keep them exact
    own = [data.kpis[n] for n in _KPI_COUNTS] + [data.engagement[n] for n in _ENGAGEMENT_COUNTS]
    province = [data.province[n] for n in _KPI_COUNTS] + [data.province_engagement[n] for n in _ENGAGEMENT_COUNTS]
    keep_exact(out, data.skpd, own + [data.engagement["contributors_per_100"]] + [a for _, a, _ in pairs], formats)
    keep_exact(out, tr("Province", lang), province + [data.province_engagement["contributors_per_100"]] + [b for _, _, b in pairs],
               formats)
    return out
