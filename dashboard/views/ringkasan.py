"""Ringkasan (overview): the programme against the 50% target, for leadership."""
from __future__ import annotations

import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.charts import league_chart, trend_chart
from dashboard.components.i18n import t
from dashboard.components.tables import download_buttons, skpd_table
from dashboard.state import DatabaseBusy, cached_overview, current_version, lang, year_selector
from dashboard.access import require_page
from metrics.registry import label

language = lang()
require_page("ringkasan", language)
st.title(t("app_title", language))
try:
    path, version = current_version()
    year = year_selector(path, version, t("year", language))
    data = cached_overview(path, version, year, None) if year else None
except DatabaseBusy:
    st.warning(t("db_busy", language))
    st.stop()
if data is None or data.overall["headcount"] is None:
    st.info(t("no_data", language))
    st.stop()
if data.is_demo:
    st.info(t("demo_banner", language), icon=":material/science:")

overall = data.overall
rate = overall["utilisation_rate"]
tiles = st.columns(4)
tiles[0].metric(label("utilisation_rate", language), fmt.pct(rate, language),
                delta=None if rate is None else f"{fmt.points(rate - data.target, language)} {t('vs_target', language)}",
                help=f"{fmt.num(overall['asset_users'], language)} / {fmt.num(overall['headcount'], language)}")
tiles[1].metric(label("participation_rate", language), fmt.pct(overall["participation_rate"], language),
                help=f"{fmt.num(overall['participants'], language)} / {fmt.num(overall['headcount'], language)}")
tiles[2].metric(t("skpd_reaching", language), f"{data.skpd_reaching_target} / {data.skpd_with_rate}")
tiles[3].metric(label("assets_published", language), fmt.num(overall["assets_published"], language))
st.caption(f"{t('recap_used', language)} {fmt.day(data.recap_date, language)} · "
           f"{label('asset_users', language)}: {fmt.num(overall['asset_users'], language)} · "
           f"{label('use_events', language)}: {fmt.num(overall['use_events'], language)}")

if not data.monthly.empty:
    st.plotly_chart(trend_chart(data.monthly, data.target, language), width="stretch")
st.plotly_chart(league_chart(data.skpd, data.target, language), width="stretch")
table = skpd_table(data.skpd, language)
st.dataframe(table, hide_index=True, width="stretch")
download_buttons(table, f"ringkasan_{year}", language)
undefined = data.skpd.loc[data.skpd["target_status"] == "undefined", "skpd"].tolist()
if undefined:
    st.warning(f"{t('undefined_list', language)}: {', '.join(undefined)}")
