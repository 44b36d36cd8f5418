"""Kegiatan (meetings): meetings per quarter and agency, the quarterly target of one
meeting per CoP, accompanied meetings and their mentors, CoPs without a meeting."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.components import charts_activity as ca
from dashboard.components import format as fmt
from dashboard.components.period import no_data_text, period_label, period_selector
from dashboard.components.i18n import tr
from dashboard.components.tables import download_buttons
from dashboard.state import CACHE_ENTRIES, CACHE_TTL_S, current_version, DatabaseBusy, lang, reading, year_selector
from dashboard.access import require_page
from metrics import activity
from metrics.kpi import Scope
from metrics.periods import has_data, meetings_with_year_earlier, year_earlier
from metrics.registry import label



@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def _load(path: str, version: str, year: int, skpd: str | None, as_of: dt.date):
    with reading(path) as con:
        return activity.activity_overview(con, year, Scope(skpd), as_of=as_of)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def _meetings(path: str, version: str, period, skpd: str | None):
    with reading(path) as con:
        return (*meetings_with_year_earlier(con, period, Scope(skpd)), has_data(con, period, Scope.province()))


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def _agencies(path: str, version: str) -> list[str]:
    with reading(path) as con:
        return activity.cop_agencies(con)


language = lang()
require_page("kegiatan", language)
st.title(tr("CoP meetings", language))
try:
    path, version = current_version()
    year = year_selector(path, version, tr("Year", language))
    skpd = ca.agency_filter(_agencies(path, version), language)
    period = period_selector(year, language) if year else None
    data = _load(path, version, year, skpd, activity.today_wib()) if year else None
    summary, before, period_has_data = _meetings(path, version, period, skpd) if year else (None, None, False)
except DatabaseBusy:
    st.warning(tr("The database is busy with an import; try again shortly.", language))
    st.stop()
if data is None or data.province.empty:
    st.info(tr("No quarter of this year is covered by the activity register yet.", language) if data is not None else tr("No data for this year yet. Import the field exports on the Data & imports page or with `python -m data.ingest`.", language))
    st.stop()

target = data.target_totals()
against = period_label(year_earlier(period), language)


def _versus(name: str) -> str | None:
    """Change from the same period a year earlier; None when that period holds no data."""
    if before is None or before[name] is None or summary[name] is None:
        return None
    change = summary[name] - before[name]
    return f"{fmt.points(change, language)} {tr('points vs', language)} {against}" if name.endswith("_rate") \
        else f"{fmt.signed(change, language, 0)} {tr('vs', language)} {against}"


if not period_has_data:                     # said, never 0 meetings and deltas; the year's charts stay below
    st.info(no_data_text(period, language))
tiles = st.columns(4)
if period_has_data:
    tiles[0].metric(label("activities", language), fmt.num(summary["activities"], language), delta=_versus("activities"))
    tiles[1].metric(label("activities_accompanied", language), fmt.num(summary["activities_accompanied"], language),
                    delta=_versus("activities_accompanied"))
    tiles[2].metric(label("accompanied_rate", language), fmt.pct(summary["accompanied_rate"], language),
                    delta=_versus("accompanied_rate"))
focus = data.focus_quarter(period)          # the chosen quarter, a month's quarter, else the running one
judged = data.quarter_target(focus) if focus is not None else None
if focus is not None:
    met = "–" if judged is None else f"{fmt.num(judged[0], language)} / {fmt.num(judged[1], language)}"
    tip = label("cops_meeting_target", language)
    if period.kind == "month":
        tip += " " + tr("A month is judged by its quarter: the target is one meeting per CoP per quarter.", language)
    tiles[3].metric(f"{tr('CoPs that met', language)} {ca.quarter_label(focus, year, language)}", met, help=tip)
else:
    tiles[3].metric(tr("Quarterly target met", language), fmt.pct(target["cops_meeting_target_rate"], language),
                    help=f"{tr('CoP-quarters meeting the target', language)}: {fmt.num(target['cop_quarters_meeting_target'], language)}"
                         f" / {fmt.num(target['cop_quarters'], language)}")

left, right = st.columns(2)
left.plotly_chart(ca.quarter_chart(data.province, year, language), width="stretch")
right.plotly_chart(ca.target_chart(data.province, year, language), width="stretch")

if focus is None:
    st.subheader(tr("CoPs without a meeting, by quarter", language))
elif focus == data.running_quarter:
    st.subheader(tr("CoPs without a meeting this quarter", language))
else:
    st.subheader(tr("CoPs without a meeting in {quarter}", language).format(quarter=ca.quarter_label(focus, year, language)))
missing = ca.without_meeting_table(data.cops_without_meeting(focus), year, language)
if focus is not None and judged is None:
    st.info(tr("{quarter} is not counted: it has not started yet, or it ended before the register's first meeting.",
               language).format(quarter=ca.quarter_label(focus, year, language)))
elif missing.empty:
    st.success(tr("Every CoP has met.", language))
else:
    st.dataframe(missing, hide_index=True, width="stretch")
    download_buttons(missing, f"cop_tanpa_kegiatan_{year}", language)

st.subheader(tr("By agency", language))
st.plotly_chart(ca.skpd_heatmap(data.skpd_quarters, year, language), width="stretch")
table = ca.skpd_table(data.skpd, language)
st.dataframe(table, hide_index=True, width="stretch")
download_buttons(table, f"kegiatan_pd_{year}", language)

st.subheader(tr("Mentors", language))
mentors = ca.mentor_table(data.mentors, language)
st.dataframe(mentors, hide_index=True, width="stretch")
download_buttons(mentors, f"pendamping_{year}", language)
