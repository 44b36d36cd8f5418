"""Perangkat daerah (agency): one agency's KPIs against the province, its trend, CoPs,
most-used assets, who uses them, and data coverage. The agency is kept in the URL query
``skpd`` (official name): links elsewhere are ``/perangkat-daerah?skpd=<name>``."""
from __future__ import annotations

import streamlit as st

from dashboard.components import charts_skpd as cs
from dashboard.components import format as fmt
from dashboard.components.charts import trend_chart
from dashboard.components.drill import chosen_row, open_page
from dashboard.components.escape import md
from dashboard.components.theme import pinned_first
from dashboard.components.period import no_data_text, period_label, period_selector
from dashboard.components.i18n import tr
from dashboard.components.report_files import report_buttons
from dashboard.components.tables import download_buttons
from dashboard.state import CACHE_ENTRIES, CACHE_TTL_S, current_version, DatabaseBusy, lang, reading, wanted_agency, year_selector
from dashboard.access import locked_agency, require_page
from metrics.engagement import province_figures, recap_skpd, skpd_page
from metrics.registry import label


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_agencies(path: str, version: str, year: int) -> list[str]:
    """Agencies in the recap applying to ``year`` (``metrics.engagement.recap_skpd``)."""
    with reading(path) as con:
        return recap_skpd(con, year)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_province(path: str, version: str, year: int, period=None):
    """``metrics.engagement.province_figures``: computed once for every agency's page."""
    with reading(path) as con:
        return province_figures(con, year, period)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_page(path: str, version: str, year: int, skpd: str, period=None):
    """``metrics.engagement.skpd_page`` for the year (or ``period``) and agency."""
    province = cached_province(path, version, year, period)
    with reading(path) as con:
        return skpd_page(con, year, skpd, province, period=period)


def choose_agency(agencies: list[str], language: str) -> str:
    """The agency select box, kept in the URL query ``skpd`` (any spelling the agency table
    knows, see ``wanted_agency``); an unknown name, or one outside the year's recap, falls back
    to the first with a warning naming it."""
    own = locked_agency(language)
    if own is not None:
        return own
    wanted = wanted_agency(language, agencies[0])
    if wanted and wanted not in agencies:
        st.warning(f"{md(wanted)}: {tr('not in this year’s headcount recap', language)} → {md(agencies[0])}")
    index = agencies.index(wanted) if wanted in agencies else 0
    chosen = st.selectbox(tr("Choose an agency", language), agencies, index=index)
    st.query_params["skpd"] = chosen
    return chosen


def section(title: str, frame, columns: dict, stem: str, language: str, *, key: str | None = None,
            hidden=None) -> int | None:
    """A subheader, the frame as a display table (cells ``hidden`` marks shown as ``<5`` / ``*``)
    with its CSV download, or a note when empty. With ``key`` a row can be clicked: its
    position is returned (else None)."""
    st.subheader(title)
    if frame.empty:
        st.caption(tr("No data for this section this year.", language))
        return None
    table = cs.display(frame, columns, language, hidden)
    event = st.dataframe(table, hide_index=True, width="stretch", key=key, column_config=pinned_first(table.columns[0]),
                         **({"on_select": "rerun", "selection_mode": "single-row"} if key else {}))
    download_buttons(table, stem, language)
    return chosen_row(event) if key else None


language = lang()
require_page("perangkat_daerah", language)
st.title(tr("Agency", language))
try:
    path, version = current_version()
    year = year_selector(path, version, tr("Year", language))
    agencies = cached_agencies(path, version, year) if year else []
    period = period_selector(year, language) if year else None
    skpd = choose_agency(agencies, language) if agencies else None
    data = cached_page(path, version, year, skpd, period) if skpd else None
except DatabaseBusy:
    st.warning(tr("The database is busy with an import; try again shortly.", language))
    st.stop()
if data is None:
    st.info(tr("No data for this year yet. Import the field exports on the Data & imports page or with `python -m data.ingest`.", language))
    st.stop()
if not data.period_has_data:
    st.info(no_data_text(period, language))
    st.stop()

own, eng = data.kpis, data.engagement
stem = f"{skpd}_{year}".replace(" ", "_").replace(",", "")
rates = cs.rate_pairs(data, language)
tiles = st.columns(3) + st.columns(3)
earlier = data.previous or {}
for slot, (name, mine, theirs), key in zip(tiles, rates[:3], ("utilisation_rate", "participation_rate", None)):
    delta = None if mine is None or theirs is None else f"{fmt.points(mine - theirs, language)} {tr('points vs province', language)}"
    before = earlier.get(key) if key else None
    slot.metric(name, fmt.pct(mine, language), delta=delta,
                help=None if before is None else f"{period_label(data.previous_period, language)}: {fmt.pct(before, language)}")
tiles[3].metric(label("contributors_per_100", language), fmt.dec(eng["contributors_per_100"], language, 1),
                help=f"{fmt.num(eng['contributors'], language)} / {fmt.num(own['headcount'], language)}")
tiles[4].metric(label("assets_published", language), fmt.num(own["assets_published"], language))
tiles[5].metric(rates[3][0], fmt.pct(rates[3][1], language),
                help=f"{fmt.num(eng['cross_skpd_users'], language)} / {fmt.num(eng['users_of_assets'], language)}")
st.caption(f"{tr('Headcount from the recap of', language)} {fmt.day(data.recap_date, language)} · "
           f"{label('headcount', language)}: {fmt.num(own['headcount'], language)} · "
           f"{label('asset_users', language)}: {fmt.num(own['asset_users'], language)} · "
           f"{label('participants', language)}: {fmt.num(own['participants'], language)} · "
           f"{tr('Target', language)} {fmt.target_pct(data.target, language)}")
report_buttons(path, year, skpd, language)        # this agency's one-page PDF and slides, made when clicked

st.subheader(tr("Compared with the province", language))
left, right = st.columns([3, 2])
left.plotly_chart(cs.comparison_chart(rates, skpd, language), width="stretch")
table = cs.comparison_table(data, language)
right.dataframe(table, hide_index=True, width="stretch", height=420, column_config=pinned_first(table.columns[0]))
with right:
    download_buttons(table, f"perbandingan_{stem}", language)

if not data.monthly.empty:
    st.subheader(tr("Monthly trend", language))
    st.plotly_chart(trend_chart(data.monthly, data.target, language), width="stretch")

cop_row = section(tr("CoPs and participation tiers", language), data.cops, cs.cop_columns(language), f"cop_{stem}",
                  language, key="pd_cops", hidden=data.hidden.get("cops"))
st.caption(tr("Tiers (Wenger-Trayner): core = attended >= 3 and >= 75% of meetings, or speaker/facilitator >= 2 times; active = >= 3; occasional = 2; peripheral = 1. Counts under 5 people are shown as <5.", language)
           + " " + tr("* hidden so that a count under 5 cannot be worked out from the others.", language)
           + " " + tr("Click a CoP row to open its maturity.", language))
if cop_row is not None:
    open_page("views/maturitas.py", skpd=skpd, cop=str(data.cops["cop"].iloc[cop_row]), tahun=str(year))
section(tr("Most-used assets", language), data.top_assets, cs.asset_columns(language), f"aset_{stem}", language,
        hidden=data.hidden.get("top_assets"))
if not data.users_by_skpd.empty:
    st.plotly_chart(cs.users_by_skpd_chart(data.users_by_skpd, language, hidden=data.hidden.get("users_by_skpd")),
                    width="stretch")
section(tr("Who uses its assets", language), data.users_by_skpd, cs.user_columns(language), f"pengguna_{stem}", language,
        hidden=data.hidden.get("users_by_skpd"))
section(tr("Data coverage: newest import per source", language), data.coverage, cs.coverage_columns(language), f"cakupan_{stem}", language)
