"""Penghargaan (KM Award): evaluators set weights, method and eligibility rules, and see
the ranking, the shortlist cut, the per-criterion explanation and the stability; they
download the XLSX shortlist, save presets and freeze the year's final ranking."""
from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.components.theme import pinned_first
from dashboard.components import award_link, award_view as view
from dashboard.components.award_xlsx import shortlist_workbook
from dashboard.components.downloads import XLSX_MIME, download_button
from dashboard.components import format as fmt
from dashboard.components.escape import md
from dashboard.components.i18n import tr
from dashboard.components.number_input import decimal_input
from dashboard.state import current_version, DatabaseBusy, lang, reading, writing, year_selector
from dashboard.access import require_page
from metrics.award import compare, explain
from metrics.award_criteria import (CRITERIA, METHODS, AwardError, AwardSettings, Eligibility, criterion_label)
from metrics.award_store import freeze, frozen, load_preset, presets, save_preset

language = lang()
require_page("penghargaan", language)
st.title(tr("KM Award: CoP ranking", language))
try:
    path, version = current_version()
except DatabaseBusy:
    st.warning(tr("The database is busy with an import; try again shortly.", language))
    st.stop()
year = year_selector(path, version, tr("Year", language))
if year is None:
    st.info(tr("No data for this year yet. Import the field exports on the Data & imports page or with `python -m data.ingest`.", language))
    st.stop()
defaults = AwardSettings()
for widget, value in award_link.WIDGET_DEFAULTS.items():     # widgets drawn without a value: no clash with a link's
    st.session_state.setdefault(widget, value)
if "award_link_read" not in st.session_state:           # a new tab, a reload, a link: the settings it carries
    st.session_state["award_link_read"] = True
    seeds, problems = award_link.read_link(st.query_params, language)
    st.session_state.update(seeds)
    for problem in problems:
        st.warning(problem)


def _apply_preset() -> None:
    """Load the chosen preset into the widgets (runs before they are drawn)."""
    with reading(path) as con:
        chosen = load_preset(con, st.session_state["award_preset"], year)
    for name, weight in chosen.weight_dict().items():
        st.session_state[f"w_{name}"] = weight
    st.session_state.update({"award_method": chosen.method, "award_top_n": chosen.top_n,
                             "award_band": chosen.band, "award_req": chosen.eligibility.require_maturity,
                             "award_meet": chosen.eligibility.min_meetings_per_quarter,
                             "award_cov": chosen.eligibility.min_coverage})


with reading(path) as con:
    names, final = list(presets(con, year)["name"]), frozen(con, year)
if final:
    st.info(f"🔒 {tr('This year’s final ranking is frozen', language)}: {fmt.day(final['frozen_at'].date(), language)}, {md(final['frozen_by'])} "
            f"(data {final['data_version']}, {final['settings'].method}).")
with st.sidebar.expander(tr("Evaluation settings", language), expanded=True):
    if names:
        st.selectbox(tr("Preset", language), names, index=None, key="award_preset", on_change=_apply_preset,
                     placeholder=tr("Choose a saved setting", language))
    method = st.radio(tr("Method", language), METHODS, key="award_method", horizontal=True,
                      format_func=lambda m: {"saw": "SAW", "topsis": "TOPSIS"}[m])
    top_n = decimal_input(tr("Shortlist size (N)", language), defaults.top_n, lang=language, key="award_top_n",
                          min_value=1, max_value=200, digits=0)
    st.caption(tr("Criterion weights", language))
    weights = tuple((c.name, decimal_input(criterion_label(c.name, language), defaults.weight_dict()[c.name],
                                           lang=language, key=f"w_{c.name}", min_value=0.0, max_value=100.0))
                    for c in CRITERIA)
    rules = Eligibility(st.checkbox(tr("Maturity assessment this year required", language), key="award_req"),
                        decimal_input(tr("Minimum meetings per quarter", language), 1, lang=language, key="award_meet",
                                      min_value=0, max_value=20, digits=0),
                        st.slider(tr("Minimum data coverage", language), 0.0, 1.0, step=0.05, key="award_cov",
                                  format="percent"))          # 100%: no decimal mark to get wrong in either language
    band = st.slider(tr("Weight uncertainty (±)", language), 0.0, 0.9, step=0.05, key="award_band",
                     format="percent")                          # ±20%: each weight drawn within 0.8-1.2 times itself
settings = AwardSettings(weights=weights, method=method, top_n=int(top_n), eligibility=rules, band=band)
for key, value in award_link.link_query(settings).items():     # the link reproduces this ranking
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value

try:
    result, stab = view.cached_award(path, version, year, settings)
except AwardError as problem:
    st.error(view.error_text(problem.reason_code, language))
    st.stop()

st.subheader(tr("Ranking", language))
st.caption(view.cut_note(result, language))
if result.unavailable:
    st.caption(f"{tr('Criteria without data this year (weight not used)', language)}: {', '.join(criterion_label(n, language) for n in result.unavailable)}")
if result.ranking.empty:
    st.warning(tr("No CoP is eligible.", language))
st.dataframe(view.ranking_table(result, language), hide_index=True, key="award_ranking_table",
             column_config=pinned_first("CoP"))
download_button(tr("Download shortlist (XLSX)", language), partial(shortlist_workbook, result, stab, language),
                f"km_award_{year}.xlsx", XLSX_MIME)

st.subheader(f"{tr('Not eligible', language)} ({len(result.ineligible)})")
st.dataframe(view.ineligible_table(result, language), hide_index=True)

if not result.ranking.empty:
    labels = dict(zip(result.ranking["cop_key"], result.ranking["cop"]))
    st.subheader(tr("Explanation per CoP", language))
    chosen = st.selectbox("CoP", list(labels), format_func=labels.get, key="award_explain_cop")
    st.dataframe(view.explain_table(explain(result, chosen), language), hide_index=True)
    st.subheader(tr("Why is A above B?", language))
    left, right = st.columns(2)
    a = left.selectbox("A", list(labels), format_func=labels.get, key="award_a")
    b = right.selectbox("B", list(labels), format_func=labels.get, index=min(1, len(labels) - 1), key="award_b")
    st.dataframe(view.compare_table(compare(result, a, b), language), hide_index=True)

    st.subheader(tr("Ranking stability", language))
    st.metric(tr("SAW–TOPSIS agreement (Spearman)", language), fmt.dec(stab.spearman, language, 3))
    if stab.fragile:
        st.warning(tr("⚠ Fragile shortlist: places around the cut change when the weights move slightly.", language))
    else:
        st.success(tr("✔ The shortlist is stable under the weight uncertainty.", language))
    st.caption(tr("Stability test (Monte Carlo simulation): {draws} draws, random seed {seed}, weights ±{band}",
                  language).format(draws=fmt.num(stab.draws, language), seed=stab.seed, band=fmt.pct(stab.band, language, 0)))
    st.dataframe(view.stability_table(stab, language), hide_index=True)

with st.expander(tr("Save preset", language)):
    name = st.text_input(tr("New preset name", language), key="award_new_preset")
    if st.button(tr("Save preset", language)) and name.strip():
        with writing(path) as con:
            save_preset(con, name, year, settings)
        st.success(tr("Preset saved.", language))
if not final:
    with st.expander(tr("Freeze this year's final ranking", language)):
        sure = st.checkbox(tr("I am sure: this ranking is final", language), key="award_sure")
        if st.button(tr("Freeze this year's final ranking", language), disabled=not sure):
            with writing(path) as con:
                freeze(con, result)
            st.rerun()
