"""Ringkasan (overview): the programme against the 50% target, for leadership."""
from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.charts import league_chart, trend_chart
from dashboard.components.i18n import t
from dashboard.components.report_xlsx import overview_report
from dashboard.components.tables import audit_export, download_buttons, skpd_table
from dashboard.state import DatabaseBusy, cached_freshness, cached_overview, current_version, lang, year_selector
from dashboard.access import current_user, require_page
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
links = table.assign(**{t("details", language): [f"/perangkat-daerah?skpd={quote(n)}&tahun={year}" for n in data.skpd["skpd"]]})
st.dataframe(links, hide_index=True, width="stretch", column_config={
    t("details", language): st.column_config.LinkColumn(display_text="↗")})
download_buttons(table, f"ringkasan_{year}", language)
user = current_user()
st.download_button(t("report_button", language), type="primary", file_name=f"laporan_km_{year}.xlsx",
                   data=overview_report(data, table, cached_freshness(path, version), user=user.username,
                                        version=version, lang=language),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   on_click=audit_export, args=(f"laporan_km_{year}.xlsx",))
undefined = data.skpd.loc[data.skpd["target_status"] == "undefined", "skpd"].tolist()
if undefined:
    st.warning(f"{t('undefined_list', language)}: {', '.join(undefined)}")
