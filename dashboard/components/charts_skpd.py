"""The agency page's charts (shared theme) and its display tables: inputs are the
``metrics.engagement.SkpdPage`` frames; rates are fractions shown as percents; people
counts on breakdowns below the agency go through ``privacy.small_count``."""
from __future__ import annotations

from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard.components import format as fmt
from dashboard.components.i18n import register, t
from dashboard.components.privacy import is_small, small_count
from dashboard.components.theme import BLUE, GREY, ORANGE, TEMPLATE
from metrics.registry import label

PERCENT_AXIS = {"tickformat": ".0%"}

register({
    "pd_choose": {"id": "Pilih perangkat daerah", "en": "Choose an agency"},
    "pd_unknown": {"id": "tidak ada di rekap jumlah pegawai tahun ini", "en": "not in this year's headcount recap"},
    "pd_province": {"id": "Provinsi", "en": "Province"},
    "pd_vs_province": {"id": "poin terhadap provinsi", "en": "points vs province"},
    "pd_compare": {"id": "Dibandingkan dengan provinsi", "en": "Compared with the province"},
    "pd_compare_title": {"id": "Perangkat daerah dan provinsi", "en": "Agency and province"},
    "pd_kpi": {"id": "Indikator", "en": "Indicator"},
    "pd_trend": {"id": "Tren bulanan", "en": "Monthly trend"},
    "pd_cops": {"id": "CoP dan tingkat keterlibatan", "en": "CoPs and participation tiers"},
    "pd_tiers_note": {"id": "Tingkat (Wenger-Trayner): inti = hadir >= 3 dan >= 75% pertemuan, atau narasumber/"
                            "fasilitator >= 2 kali; aktif = >= 3; sesekali = 2; periferal = 1. Jumlah di bawah 5 "
                            "orang ditampilkan <5.",
                      "en": "Tiers (Wenger-Trayner): core = attended >= 3 and >= 75% of meetings, or speaker/"
                            "facilitator >= 2 times; active = >= 3; occasional = 2; peripheral = 1. Counts under 5 "
                            "people are shown as <5."},
    "pd_meetings": {"id": "Pertemuan", "en": "Meetings"},
    "pd_tier_core": {"id": "Inti", "en": "Core"},
    "pd_tier_active": {"id": "Aktif", "en": "Active"},
    "pd_tier_occasional": {"id": "Sesekali", "en": "Occasional"},
    "pd_tier_peripheral": {"id": "Periferal", "en": "Peripheral"},
    "pd_top_assets": {"id": "Aset paling banyak dimanfaatkan", "en": "Most-used assets"},
    "pd_aset_id": {"id": "ID aset", "en": "Asset ID"},
    "pd_title": {"id": "Judul", "en": "Title"},
    "pd_kind": {"id": "Jenis", "en": "Kind"},
    "pd_users": {"id": "Siapa memanfaatkan asetnya", "en": "Who uses its assets"},
    "pd_users_title": {"id": "Pengguna aset menurut perangkat daerah pengguna", "en": "Asset users by the users' agency"},
    "pd_own": {"id": "PD sendiri", "en": "Own agency"},
    "pd_own_yes": {"id": "★ ya", "en": "★ yes"},
    "pd_assets_used": {"id": "Aset dipakai", "en": "Assets used"},
    "pd_coverage": {"id": "Cakupan data: impor terbaru per sumber", "en": "Data coverage: newest import per source"},
    "pd_source": {"id": "Sumber", "en": "Source"},
    "pd_file": {"id": "Berkas", "en": "File"},
    "pd_imported_at": {"id": "Diimpor", "en": "Imported"},
    "pd_rows_loaded": {"id": "Baris dimuat", "en": "Rows loaded"},
    "pd_imports": {"id": "Jumlah impor", "en": "Imports"},
    "pd_none": {"id": "Tidak ada data untuk bagian ini pada tahun ini.", "en": "No data for this section this year."},
})
Column = tuple[str, Callable[[object, str], str]]   # (header text, formatter(value, lang))


def comparison_chart(rows: list[tuple[str, float | None, float | None]], skpd: str, lang: str) -> go.Figure:
    """Grouped bars of fractions: ``rows`` are (KPI label, agency value, province value);
    an undefined value draws no bar."""
    names = [r[0] for r in rows][::-1]
    fig = go.Figure()
    for idx, (name, colour) in enumerate(((skpd, BLUE), (t("pd_province", lang), GREY))):
        values = [r[idx + 1] for r in rows][::-1]
        fig.add_bar(y=names, x=values, orientation="h", name=name, marker={"color": colour},
                    text=[fmt.pct(v, lang) for v in values], textposition="outside",
                    hovertemplate="%{y}: %{text}<extra>" + name + "</extra>")
    fig.update_layout(template=TEMPLATE, title=t("pd_compare_title", lang), height=90 + 70 * len(rows),
                      barmode="group", xaxis={**PERCENT_AXIS, "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.12})
    return fig


def users_by_skpd_chart(frame: pd.DataFrame, lang: str, *, top: int = 12) -> go.Figure:
    """Users of the agency's assets by the users' agency (``asset_use_by_skpd``), the
    ``top`` largest; the agency's own employees in orange with a ★. Agencies with fewer
    than 5 users are left out of the chart (the table shows them as <5)."""
    shown = frame[[not is_small(n) for n in frame["asset_users"]]].head(top).iloc[::-1]
    names = [f"★ {s}" if own else s for s, own in zip(shown["user_skpd"], shown["own"])]
    fig = go.Figure(go.Bar(y=names, x=shown["asset_users"], orientation="h",
                           marker={"color": [ORANGE if own else BLUE for own in shown["own"]]},
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(template=TEMPLATE, title=t("pd_users_title", lang), height=max(260, 26 * len(shown) + 100),
                      xaxis={"title": label("users_of_assets", lang)}, showlegend=False)
    return fig


def display(frame: pd.DataFrame, columns: dict[str, Column], lang: str) -> pd.DataFrame:
    """``frame`` as display text: only ``columns`` (source column -> (header, formatter)), in that order."""
    return pd.DataFrame({head: [fn(v, lang) for v in frame[col]] for col, (head, fn) in columns.items()})


def _text(value: object, lang: str) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def cop_columns(lang: str) -> dict[str, Column]:
    """The CoP table: meetings, members and tiers (people counts suppressed under 5), maturity."""
    cols: dict[str, Column] = {"cop": ("CoP", _text), "meetings": (t("pd_meetings", lang), fmt.num),
                               "members": (label("cop_members", lang), small_count)}
    for tier in ("core", "active", "occasional", "peripheral"):
        cols[tier] = (t(f"pd_tier_{tier}", lang), small_count)
    cols["active_members"] = (label("cop_active_members", lang), small_count)
    cols["maturity_score"] = (label("maturity_score", lang), fmt.dec)
    cols["maturity_level"] = (label("maturity_level", lang), fmt.num)
    return cols


def asset_columns(lang: str) -> dict[str, Column]:
    """The most-used assets table."""
    return {"aset_id": (t("pd_aset_id", lang), _text), "title": (t("pd_title", lang), _text),
            "aset_kind": (t("pd_kind", lang), _text), "cop": ("CoP", _text),
            "asset_users": (label("asset_users", lang), small_count),
            "use_events": (label("use_events", lang), fmt.num),
            "cross_skpd_users": (label("cross_skpd_users", lang), small_count)}


def user_columns(lang: str) -> dict[str, Column]:
    """Who uses the agency's assets, by the users' agency."""
    return {"user_skpd": (t("skpd", lang), lambda v, _lang: str(v)),
            "own": (t("pd_own", lang), lambda v, lang_: t("pd_own_yes", lang_) if v else ""),
            "asset_users": (label("users_of_assets", lang), small_count),
            "use_events": (label("use_events_of_assets", lang), fmt.num),
            "assets_used": (t("pd_assets_used", lang), fmt.num)}


def coverage_columns(lang: str) -> dict[str, Column]:
    """The newest import per source."""
    return {"kind": (t("pd_source", lang), _text), "file_name": (t("pd_file", lang), _text),
            "imported_at": (t("pd_imported_at", lang), lambda v, lang_: f"{fmt.day(v.date(), lang_)} {v:%H:%M}"),
            "rows_loaded": (t("pd_rows_loaded", lang), fmt.num), "imports": (t("pd_imports", lang), fmt.num)}


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
    return pd.DataFrame(rows, columns=[t("pd_kpi", lang), data.skpd, t("pd_province", lang)])
