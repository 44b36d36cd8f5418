"""Ringkasan (overview): the programme against the 50% target, for leadership."""
from __future__ import annotations

from functools import partial
from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard.access import current_user, require_page
from dashboard.components import format as fmt
from dashboard.components.charts import league_chart, trend_chart
from dashboard.components.escape import md
from dashboard.components.i18n import t
from dashboard.components.report_xlsx import overview_report
from dashboard.components.tables import audit_export, download_buttons, skpd_table
from dashboard.state import (DatabaseBusy, cached_data_version, cached_freshness, cached_outlook, cached_overview,
                             current_version, lang, year_selector)
from metrics.registry import label

language = lang()
require_page("ringkasan", language)
st.title(t("app_title", language))
try:
    path, version = current_version()
    year = year_selector(path, version, t("year", language))
    data = cached_overview(path, version, year, None) if year else None
    outlook = cached_outlook(path, version, year, None) if year else None
except DatabaseBusy:
    st.warning(t("db_busy", language))
    st.stop()
if data is None or data.overall["headcount"] is None:
    st.info(t("no_data", language))
    st.stop()
if data.is_demo:
    st.info(t("demo_banner", language), icon=":material/science:")


def _change(now, before, kind: str) -> str | None:
    """Change from the previous year as text: points for rates, a signed count or score otherwise."""
    if before is None or now is None or pd.isna(before) or pd.isna(now):
        return None
    text = {"rate": fmt.points(now - before, language), "count": fmt.signed(now - before, language, 0),
            "score": fmt.signed(now - before, language)}[kind]
    unit = t("vs_year", language) if kind == "rate" else "vs"
    return f"{text} {unit} {year - 1}"


overall, previous = data.overall, outlook.previous or {}
rate = overall["utilisation_rate"]
tiles = st.columns(5)
tiles[0].metric(label("utilisation_rate", language), fmt.pct(rate, language),
                delta=None if rate is None else f"{fmt.points(rate - data.target, language)} {t('vs_target', language)}",
                help=f"{fmt.num(overall['asset_users'], language)} / {fmt.num(overall['headcount'], language)}. "
                     f"{_change(rate, previous.get('utilisation_rate'), 'rate') or ''}")
tiles[1].metric(label("participation_rate", language), fmt.pct(overall["participation_rate"], language),
                delta=_change(overall["participation_rate"], previous.get("participation_rate"), "rate"),
                help=f"{fmt.num(overall['participants'], language)} / {fmt.num(overall['headcount'], language)}")
tiles[2].metric(t("skpd_reaching", language), f"{data.skpd_reaching_target} / {data.skpd_with_rate}")
tiles[3].metric(label("assets_published", language), fmt.num(overall["assets_published"], language),
                delta=_change(overall["assets_published"], previous.get("assets_published"), "count"))
tiles[4].metric(t("mean_maturity", language), fmt.dec(outlook.maturity_mean, language),
                delta=_change(outlook.maturity_mean, outlook.maturity_mean_previous, "score"))
st.caption(f"{t('recap_used', language)} {fmt.day(data.recap_date, language)} · "
           f"{label('asset_users', language)}: {fmt.num(overall['asset_users'], language)} · "
           f"{label('use_events', language)}: {fmt.num(overall['use_events'], language)}")

projection = outlook.projection
if not data.monthly.empty:
    st.plotly_chart(trend_chart(data.monthly, data.target, language, projection), width="stretch")
    if projection.get("projected_rate") is not None:
        st.caption(t("projection_caption", language).format(
            rate=fmt.pct(projection["projected_rate"], language), low=fmt.pct(projection["projected_rate_low"], language),
            high=fmt.pct(projection["projected_rate_high"], language),
            status=t(f"status_{projection['status']}", language), method=t("projection_method", language)))
kinds = sorted(k for k in data.skpd["kind"].dropna().unique())
wanted = st.query_params.get("jenis")
kind = st.sidebar.selectbox(t("skpd_kind", language), [None, *kinds], index=1 + kinds.index(wanted) if wanted in kinds else 0,
                            format_func=lambda k: t("all_kinds", language) if k is None else k,
                            key="ringkasan_jenis")   # a key keeps the widget when the URL moves its index
if kind is None:
    st.query_params.pop("jenis", None)
else:
    st.query_params["jenis"] = kind
shown = data.skpd if kind is None else data.skpd[data.skpd["kind"] == kind]
st.plotly_chart(league_chart(shown, data.target, language), width="stretch")
table = skpd_table(shown, language)
links = table.assign(**{t("details", language): [f"/perangkat-daerah?skpd={quote(n)}&tahun={year}" for n in shown["skpd"]]})
st.dataframe(links, hide_index=True, width="stretch", column_config={
    t("details", language): st.column_config.LinkColumn(display_text="↗")})
download_buttons(table, f"ringkasan_{year}", language)
if not outlook.at_risk.empty:
    st.subheader(t("at_risk_title", language))
    risk = pd.DataFrame({t("skpd", language): outlook.at_risk["skpd"],
                         t("status", language): [t(f"status_{s}", language) for s in outlook.at_risk["status"]],
                         label("utilisation_rate", language): [fmt.pct(v, language) for v in outlook.at_risk["utilisation_rate"]],
                         t("projected", language): [fmt.pct(v, language) for v in outlook.at_risk["projected_rate"]],
                         t("band", language): [f"{fmt.pct(lo, language)}–{fmt.pct(hi, language)}" for lo, hi in
                                               zip(outlook.at_risk["projected_rate_low"], outlook.at_risk["projected_rate_high"])]})
    st.dataframe(risk, hide_index=True, width="stretch")
    download_buttons(risk, f"pd_berisiko_{year}", language)
undefined = data.skpd.loc[data.skpd["target_status"] == "undefined", "skpd"].tolist()
if undefined:
    st.warning(f"{t('undefined_list', language)}: {', '.join(map(md, undefined))}")
report = partial(overview_report, data, table, cached_freshness(path, version), user=current_user().username,
                 version=cached_data_version(path, version), lang=language)     # made when clicked, not on every view
st.download_button(t("report_button", language), type="primary", file_name=f"laporan_km_{year}.xlsx", data=report,
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   on_click=audit_export, args=(f"laporan_km_{year}.xlsx",))
