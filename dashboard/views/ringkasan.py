"""Ringkasan (overview): the programme against the 50% target, for leadership."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard.access import current_user, require_page
from dashboard.components import format as fmt
from dashboard.components.charts import LEAGUE_TITLE, league_chart, trend_chart
from dashboard.components.drill import chosen_point, chosen_row, open_page
from dashboard.components.escape import md
from dashboard.components.period import no_data_text, period_label, period_selector
from dashboard.components.i18n import N_, tr
from dashboard.components.report_files import report_buttons
from dashboard.components.report_xlsx import overview_report
from dashboard.components.theme import pinned_first
from dashboard.components.export import PERCENT_FORMAT
from dashboard.components.downloads import XLSX_MIME, download_button
from dashboard.components.tables import download_buttons, keep_exact, skpd_table
from dashboard.state import (DatabaseBusy, cached_data_version, cached_freshness, cached_outlook, cached_overview,
                             current_version, lang, year_selector)
from metrics import activity
from metrics.registry import label

OUTLOOK_STATUS = {"at_risk": N_("⚠ at risk"), "off_track": N_("✖ off track"), "on_track": N_("✔ on track"),
                  "met": N_("✔ met"), "not_enough_data": N_("? not enough data"), "undefined": N_("? n/a")}

language = lang()
require_page("ringkasan", language)
st.title(tr("Knowledge Management Dashboard", language))
try:
    path, version = current_version()
    year = year_selector(path, version, tr("Year", language))
    period = period_selector(year, language) if year else None
    data = cached_overview(path, version, year, None, period) if year else None
    outlook = cached_outlook(path, version, year, None, activity.today_wib(), period) if year else None
except DatabaseBusy:
    st.warning(tr("The database is busy with an import; try again shortly.", language))
    st.stop()
if data is None or data.overall["headcount"] is None:
    st.info(tr("No data for this year yet. Import the field exports on the Data & imports page or with `python -m data.ingest`.", language))
    st.stop()
if not data.period_has_data:
    st.info(no_data_text(period, language))
    st.stop()


def _change(now, before, kind: str) -> str | None:
    """Change from the same period a year earlier (maturity: the previous year) as text: points
    for rates, a signed count or score otherwise; None without a value to compare with."""
    if before is None or now is None or pd.isna(before) or pd.isna(now):
        return None
    text = {"rate": fmt.points(now - before, language), "count": fmt.signed(now - before, language, 0),
            "score": fmt.signed(now - before, language)}[kind]
    unit = tr("points vs", language) if kind == "rate" else tr("vs", language)
    against = year - 1 if kind == "score" else period_label(outlook.previous_period, language)
    return f"{text} {unit} {against}"


overall, previous = data.overall, outlook.previous or {}
rate = overall["utilisation_rate"]
tiles = st.columns(5)
tiles[0].metric(label("utilisation_rate", language), fmt.pct(rate, language),
                delta=None if rate is None else f"{fmt.points(rate - data.target, language)} {tr('points vs target', language)}",
                help=f"{fmt.num(overall['asset_users'], language)} / {fmt.num(overall['headcount'], language)}. "
                     f"{_change(rate, previous.get('utilisation_rate'), 'rate') or ''}")
tiles[1].metric(label("participation_rate", language), fmt.pct(overall["participation_rate"], language),
                delta=_change(overall["participation_rate"], previous.get("participation_rate"), "rate"),
                help=f"{fmt.num(overall['participants'], language)} / {fmt.num(overall['headcount'], language)}")
tiles[2].metric(tr("Agencies at target", language), f"{data.skpd_reaching_target} / {data.skpd_with_rate}")
tiles[3].metric(label("assets_published", language), fmt.num(overall["assets_published"], language),
                delta=_change(overall["assets_published"], previous.get("assets_published"), "count"))
tiles[4].metric(tr("Mean CoP maturity", language), fmt.dec(outlook.maturity_mean, language),
                delta=_change(outlook.maturity_mean, outlook.maturity_mean_previous, "score"))
st.caption(f"{tr('Headcount from the recap of', language)} {fmt.day(data.recap_date, language)} · "
           f"{label('asset_users', language)}: {fmt.num(overall['asset_users'], language)} · "
           f"{label('use_events', language)}: {fmt.num(overall['use_events'], language)}")

projection = outlook.projection
if not data.monthly.empty:
    st.plotly_chart(trend_chart(data.monthly, data.target, language, projection), width="stretch")
    if projection.get("projected_rate") is not None:
        # a log that stops inside a month: that month is left out, and the day the data end is named
        sentence = (tr("Year-end projection from {months} complete months (to {last}; data to {day}): {rate} "
                       "(band {low}–{high}), {status}. Method: {method}", language) if projection.get("data_to") else
                    tr("Year-end projection from {months} complete months (to {last}): {rate} (band {low}–{high}), "
                       "{status}. Method: {method}", language))
        st.caption(sentence.format(
            months=projection["months_used"], last=fmt.month_label(f"{year}-{projection['months_used']:02d}", language),
            day=fmt.day(projection.get("data_to"), language),
            rate=fmt.pct(projection["projected_rate"], language), low=fmt.pct(projection["projected_rate_low"], language),
            high=fmt.pct(projection["projected_rate_high"], language),
            status=tr(OUTLOOK_STATUS[projection["status"]], language), method=tr("saturating curve: each month a share p of the employees not yet reached becomes a user; p fitted by least squares on the complete months so far and carried to December; band from the lowest and highest monthly share seen; made from 3 complete months on", language)))
kinds = sorted(k for k in data.skpd["kind"].dropna().unique())
wanted = st.query_params.get("jenis")
kind = st.sidebar.selectbox(tr("Agency kind", language), [None, *kinds], index=1 + kinds.index(wanted) if wanted in kinds else 0,
                            format_func=lambda k: tr("All kinds", language) if k is None else k,
                            key="ringkasan_jenis")   # a key keeps the widget when the URL moves its index
if kind is None:
    st.query_params.pop("jenis", None)
else:
    st.query_params["jenis"] = kind
shown = data.skpd if kind is None else data.skpd[data.skpd["kind"] == kind]
st.subheader(tr(LEAGUE_TITLE, language))              # a page heading wraps on a phone; a plotly title is cut
clicked = st.plotly_chart(league_chart(shown, data.target, language), width="stretch", on_select="rerun",
                          selection_mode="points", key="league_chart", config={"displayModeBar": False})
table = skpd_table(shown, language)
st.caption(tr("Click a bar or a row to open its agency.", language))
row = chosen_row(st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                              key="league_table", column_config=pinned_first(tr("Agency", language))))
agency = chosen_point(clicked) or (shown["skpd"].iloc[row] if row is not None else None)
if agency:
    open_page("views/perangkat_daerah.py", skpd=agency, tahun=str(year))
download_buttons(table, f"ringkasan_{year}", language)
if not outlook.at_risk.empty:
    st.subheader(tr("Agencies at risk of missing the target by December", language))
    risk = pd.DataFrame({tr("Agency", language): outlook.at_risk["skpd"],
                         tr("Status", language): [tr(OUTLOOK_STATUS[s], language) for s in outlook.at_risk["status"]],
                         label("utilisation_rate", language): [fmt.pct(v, language) for v in outlook.at_risk["utilisation_rate"]],
                         tr("Projected", language): [fmt.pct(v, language) for v in outlook.at_risk["projected_rate"]],
                         tr("Band", language): [f"{fmt.pct(lo, language)}–{fmt.pct(hi, language)}" for lo, hi in
                                               zip(outlook.at_risk["projected_rate_low"], outlook.at_risk["projected_rate_high"])]})
    for name, column in (("utilisation_rate", label("utilisation_rate", language)), ("projected_rate", tr("Projected", language))):
        keep_exact(risk, column, outlook.at_risk[name], PERCENT_FORMAT)        # the downloads keep the exact fractions
    st.dataframe(risk, hide_index=True, width="stretch", column_config=pinned_first(tr("Agency", language)))
    download_buttons(risk, f"pd_berisiko_{year}", language)
undefined = data.skpd.loc[data.skpd["target_status"] == "undefined", "skpd"].tolist()
if undefined:
    st.warning(f"{tr('Agencies without headcount (rate undefined)', language)}: {', '.join(map(md, undefined))}")
report = partial(overview_report, data, table, cached_freshness(path, version), user=current_user().username,
                 version=cached_data_version(path, version), lang=language, outlook=outlook)     # made when clicked, not on every view
download_button(tr("Download report (XLSX)", language), report, f"laporan_km_{year}.xlsx", XLSX_MIME, type="primary")
report_buttons(path, year, None, language)        # one-page PDF and slides, made when clicked
