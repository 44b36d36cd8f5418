"""Perangkat daerah (agency): one agency's KPIs against the province, its trend, CoPs,
most-used assets, who uses them, and data coverage. The agency is kept in the URL query
``skpd`` (official name): links elsewhere are ``/perangkat-daerah?skpd=<name>``."""
from __future__ import annotations

import streamlit as st

from dashboard.components import charts_skpd as cs
from dashboard.components import format as fmt
from dashboard.components.charts import trend_chart
from dashboard.components.escape import md
from dashboard.components.i18n import t
from dashboard.components.tables import download_buttons
from dashboard.state import CACHE_ENTRIES, CACHE_TTL_S, DatabaseBusy, current_version, lang, year_selector
from dashboard.access import locked_agency, require_page
from data.store import connect
from metrics.engagement import recap_skpd, skpd_page
from metrics.registry import TARGET_UTILISATION, label


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_agencies(path: str, version: str, year: int) -> list[str]:
    """Agencies in the recap applying to ``year`` (``metrics.engagement.recap_skpd``)."""
    with connect(path, read_only=True) as con:
        return recap_skpd(con, year)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_page(path: str, version: str, year: int, skpd: str):
    """``metrics.engagement.skpd_page`` for the year and agency."""
    with connect(path, read_only=True) as con:
        return skpd_page(con, year, skpd)


def choose_agency(agencies: list[str], language: str) -> str:
    """The agency select box, kept in the URL query ``skpd``; an unknown name falls back to the first."""
    own = locked_agency(language)
    if own is not None:
        return own
    wanted = st.query_params.get("skpd")
    if wanted and wanted not in agencies:
        st.warning(f"{md(wanted)}: {t('pd_unknown', language)} → {md(agencies[0])}")
    index = agencies.index(wanted) if wanted in agencies else 0
    chosen = st.selectbox(t("pd_choose", language), agencies, index=index)
    st.query_params["skpd"] = chosen
    return chosen


def section(title: str, frame, columns: dict, stem: str, language: str) -> None:
    """A subheader, the frame as a display table with its CSV download, or a note when empty."""
    st.subheader(title)
    if frame.empty:
        st.caption(t("pd_none", language))
        return
    table = cs.display(frame, columns, language)
    st.dataframe(table, hide_index=True, width="stretch")
    download_buttons(table, stem, language)


language = lang()
require_page("perangkat_daerah", language)
st.title(t("skpd_page", language))
try:
    path, version = current_version()
    year = year_selector(path, version, t("year", language))
    agencies = cached_agencies(path, version, year) if year else []
    skpd = choose_agency(agencies, language) if agencies else None
    data = cached_page(path, version, year, skpd) if skpd else None
except DatabaseBusy:
    st.warning(t("db_busy", language))
    st.stop()
if data is None:
    st.info(t("no_data", language))
    st.stop()
if data.is_demo:
    st.info(t("demo_banner", language), icon=":material/science:")

own, eng = data.kpis, data.engagement
stem = f"{skpd}_{year}".replace(" ", "_").replace(",", "")
rates = cs.rate_pairs(data, language)
tiles = st.columns(3) + st.columns(3)
for slot, (name, mine, theirs) in zip(tiles, rates[:3]):
    delta = None if mine is None or theirs is None else f"{fmt.points(mine - theirs, language)} {t('pd_vs_province', language)}"
    slot.metric(name, fmt.pct(mine, language), delta=delta)
tiles[3].metric(label("contributors_per_100", language), fmt.dec(eng["contributors_per_100"], language, 1),
                help=f"{fmt.num(eng['contributors'], language)} / {fmt.num(own['headcount'], language)}")
tiles[4].metric(label("assets_published", language), fmt.num(own["assets_published"], language))
tiles[5].metric(rates[3][0], fmt.pct(rates[3][1], language),
                help=f"{fmt.num(eng['cross_skpd_users'], language)} / {fmt.num(eng['users_of_assets'], language)}")
st.caption(f"{t('recap_used', language)} {fmt.day(data.recap_date, language)} · "
           f"{label('headcount', language)}: {fmt.num(own['headcount'], language)} · "
           f"{label('asset_users', language)}: {fmt.num(own['asset_users'], language)} · "
           f"{label('participants', language)}: {fmt.num(own['participants'], language)} · "
           f"{t('target', language)} {fmt.pct(TARGET_UTILISATION, language, 0)}")

st.subheader(t("pd_compare", language))
left, right = st.columns([3, 2])
left.plotly_chart(cs.comparison_chart(rates, skpd, language), width="stretch")
table = cs.comparison_table(data, language)
right.dataframe(table, hide_index=True, width="stretch", height=420)
with right:
    download_buttons(table, f"perbandingan_{stem}", language)

if not data.monthly.empty:
    st.subheader(t("pd_trend", language))
    st.plotly_chart(trend_chart(data.monthly, TARGET_UTILISATION, language), width="stretch")

section(t("pd_cops", language), data.cops, cs.cop_columns(language), f"cop_{stem}", language)
st.caption(t("pd_tiers_note", language))
section(t("pd_top_assets", language), data.top_assets, cs.asset_columns(language), f"aset_{stem}", language)
if not data.users_by_skpd.empty:
    st.plotly_chart(cs.users_by_skpd_chart(data.users_by_skpd, language), width="stretch")
section(t("pd_users", language), data.users_by_skpd, cs.user_columns(language), f"pengguna_{stem}", language)
section(t("pd_coverage", language), data.coverage, cs.coverage_columns(language), f"cakupan_{stem}", language)
