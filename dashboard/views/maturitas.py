"""Maturitas (maturity): level distribution by year, each CoP's five dimensions against
the province median, and the change from last year where the instrument is the same."""
from __future__ import annotations

import streamlit as st

from dashboard.components import charts_maturity as cm
from dashboard.components import format as fmt
from dashboard.components.charts_activity import agency_filter
from dashboard.components.escape import md
from dashboard.components.i18n import tr
from dashboard.components.tables import download_buttons
from dashboard.state import CACHE_ENTRIES, CACHE_TTL_S, current_version, DatabaseBusy, lang, reading, year_selector
from dashboard.access import require_page
from metrics.activity import cop_agencies
from metrics.kpi import Scope
from metrics.maturity import maturity_overview
from metrics.registry import label



@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def _load(path: str, version: str, year: int, skpd: str | None):
    with reading(path) as con:
        return maturity_overview(con, year, Scope(skpd))


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def _agencies(path: str, version: str) -> list[str]:
    with reading(path) as con:
        return cop_agencies(con)


language = lang()
require_page("maturitas", language)
st.title(tr("CoP maturity", language))
try:
    path, version = current_version()
    year = year_selector(path, version, tr("Year", language))
    skpd = agency_filter(_agencies(path, version), language)
    data = _load(path, version, year, skpd) if year else None
except DatabaseBusy:
    st.warning(tr("The database is busy with an import; try again shortly.", language))
    st.stop()
if data is None or data.scores.empty:
    st.info(tr("No maturity assessment for this year.", language))
    st.stop()

check, overall = data.check, data.overall.iloc[0]
tiles = st.columns(4)
tiles[0].metric(tr("CoPs assessed", language), fmt.num(overall["cops"], language))
tiles[1].metric(tr("Maturity score (mean over CoPs)", language), fmt.dec(overall["maturity_score"], language))
tiles[2].metric(tr("Province median", language), fmt.dec(data.medians["maturity_score"], language))
tiles[3].metric(f"{tr('CoPs compared with', language)} {year - 1}", fmt.num(check["compared"], language))
st.caption(f"{tr('Instrument', language)}: {', '.join(map(md, check['instruments'])) or fmt.na(language)}")
if not check["same_instrument"]:
    st.warning(tr("The assessment instrument differs between the years for {n} CoPs ({now} vs {before}): their score change is not computed.", language).format(
        n=check["not_comparable"], now=", ".join(map(md, check["instruments"])) or "?",
        before=", ".join(map(md, check["previous_instruments"])) or "?"), icon=":material/warning:")

mismatched = data.scores[data.scores["level_mismatch"]]
if not mismatched.empty:
    st.warning(tr("The file's Level column differs from the level computed from the five scores for {n} CoP(s) (this page uses the computed level): {cops}", language).format(n=len(mismatched), cops="; ".join(
        f"{md(r.cop)} ({md(r.level_file)} → {r.maturity_level})" for r in mismatched.itertuples())), icon=":material/warning:")

left, right = st.columns(2)
left.plotly_chart(cm.level_chart(data.levels, language), width="stretch")
cops = data.scores["cop"].tolist()
wanted = st.query_params.get("cop")
chosen = right.selectbox(tr("Choose a CoP", language), cops, index=cops.index(wanted) if wanted in cops else 0)
if wanted and wanted not in cops:             # a link to a CoP of another agency, another year or a name not known
    right.warning(f"{md(wanted)}: {tr('not among the CoPs assessed on this page', language)} → {md(chosen)}")
st.query_params["cop"] = chosen
right.plotly_chart(cm.radar_chart(data.scores.loc[data.scores["cop"] == chosen].iloc[0], data.medians, language),
                   width="stretch")

if check["compared"]:
    st.plotly_chart(cm.change_chart(data.scores, language), width="stretch")
st.subheader(tr("By CoP", language))
table = cm.cop_table(data.scores, language)
st.dataframe(table, hide_index=True, width="stretch")
download_buttons(table, f"maturitas_cop_{year}", language)
st.subheader(label("maturity_score", language) + " · " + tr("Agency", language))
by_skpd = cm.skpd_table(data.skpd, language)
st.dataframe(by_skpd, hide_index=True, width="stretch")
download_buttons(by_skpd, f"maturitas_pd_{year}", language)
