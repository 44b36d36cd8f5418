"""The one-click "laporan" for leadership: one XLSX with a cover sheet (filters, who,
when, data freshness) and one sheet per view of the overview page, including the
year-end projection and the agencies at risk; set up to print on A4 (``dashboard.components.export``).

Every number is a number cell with an Excel number format (counts ``#,##0``, rates
``0.0%`` over fractions 0-1, months as dates shown ``mmm yyyy``), so Excel shows them in
the reader's locale and can compute with them; headers and sheet names are in the page's
language, never code names.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from dashboard.components.tables import STATUS_NAMES
from dashboard.components.export import COUNT_FORMAT, PERCENT_FORMAT, SCORE_FORMAT, frames_to_xlsx
from data.intake.values import WIB
from metrics.registry import KPI_BY_NAME, label

UNIT_FORMATS = {"count": COUNT_FORMAT, "fraction": PERCENT_FORMAT, "score": SCORE_FORMAT}
MONTH_FORMAT = "mmm yyyy"
# The projection statuses in words (the same msgids as the overview page's).
_STATUS = {"at_risk": N_("⚠ at risk"), "off_track": N_("✖ off track"), "on_track": N_("✔ on track"),
           "met": N_("✔ met"), "not_enough_data": N_("? not enough data"), "undefined": N_("? n/a")}


def _agencies(skpd: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The per-agency sheet: numbers as numbers, status in words; and its column formats."""
    counts = ("headcount", "asset_users", "participants", "assets_published")
    frame = pd.DataFrame({tr("Agency", lang): skpd["skpd"]})
    formats: dict[str, str] = {}
    for col in ("headcount", "asset_users", "utilisation_rate"):
        frame[label(col, lang)] = skpd[col].astype(float)
    frame[tr("Status", lang)] = [tr("⚠ above 100%: check the data", lang) if over else tr(STATUS_NAMES[s], lang)
                                 for s, over in zip(skpd["target_status"], skpd["rate_above_one"])]
    for col in ("participants", "participation_rate", "assets_published"):
        frame[label(col, lang)] = skpd[col].astype(float)
    for col in (*counts, "utilisation_rate", "participation_rate"):
        formats[label(col, lang)] = COUNT_FORMAT if col in counts else PERCENT_FORMAT
    return frame, formats


def _at_risk(risk: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The agencies at risk (``metrics.outlook.Outlook.at_risk``) with words and formats."""
    heads = {"skpd": tr("Agency", lang), "status": tr("Status", lang), "users_now": label("asset_users", lang),
             "headcount": label("headcount", lang), "utilisation_rate": label("utilisation_rate", lang),
             "projected_rate": tr("December projection", lang),
             "projected_rate_low": f"{tr('December projection', lang)} ({tr('Band', lang)}, min)",
             "projected_rate_high": f"{tr('December projection', lang)} ({tr('Band', lang)}, max)",
             "utilisation_target": tr("Target", lang)}
    frame = risk.assign(status=[tr(_STATUS[s], lang) for s in risk["status"]])[list(heads)].rename(columns=heads)
    formats = {heads[c]: COUNT_FORMAT if c in ("users_now", "headcount") else PERCENT_FORMAT
               for c in heads if c not in ("skpd", "status")}
    return frame, formats


def _projection_rows(projection: dict, lang: str) -> list[tuple[str, object, str | None]]:
    name = tr("December projection", lang)
    return [(name, projection.get("projected_rate"), "fraction"),
            (f"{name} ({tr('Band', lang)}, min)", projection.get("projected_rate_low"), "fraction"),
            (f"{name} ({tr('Band', lang)}, max)", projection.get("projected_rate_high"), "fraction"),
            (f"{name}: {tr('Status', lang)}", tr(_STATUS[projection.get("status")], lang), None)]


def overview_report(data, table: pd.DataFrame, freshness: pd.DataFrame, *, user: str, version: str,
                    lang: str, outlook=None) -> bytes:
    """The overview (``metrics.overview.Overview``) as a workbook: cover, headline, agencies,
    trend, and with ``outlook`` (``metrics.outlook.Outlook``) the year-end projection (in the
    headline: projected rate, band low / high as fractions, status) and a sheet of the
    agencies at risk (rates as fractions 0-1).

    ``table`` (the agency table as shown) is kept in the signature for callers; the sheet is
    built from ``data.skpd`` so its cells are numbers.
    """
    now = dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)
    cover = {tr("Report", lang): tr("Knowledge Management Dashboard", lang), tr("Year", lang): str(data.year),
             tr("Made", lang): fmt.moment(now, lang), tr("By", lang): user,
             tr("Headcount from the recap of", lang): fmt.day(data.recap_date, lang), tr("Data version", lang): version}
    for row in freshness.itertuples(index=False):
        cover[f"{tr('Source freshness', lang)}: {row.label}"] = (
            "-" if pd.isna(row.newest_import) else fmt.moment(pd.Timestamp(row.newest_import), lang))
    value = tr("Value", lang)
    names = [label(k, lang) for k in data.overall] + [tr("Agencies at target", lang), tr("Target", lang)]
    values = [None if v is None else float(v) for v in data.overall.values()] + [data.skpd_reaching_target, data.target]
    units = [KPI_BY_NAME[k].unit for k in data.overall] + ["count", "fraction"]
    if outlook is not None:
        for name, number, unit in _projection_rows(outlook.projection, lang):
            names, values, units = names + [name], values + [number], units + [unit]
    headline = pd.DataFrame({"KPI": names, value: values})
    agencies, agency_formats = _agencies(data.skpd, lang)
    month = tr("Month", lang)
    trend = pd.DataFrame({month: [dt.date(int(m[:4]), int(m[5:7]), 1) for m in data.monthly["month"]],
                          label("cumulative_asset_users", lang): data.monthly["cumulative_asset_users"].astype(float),
                          tr("Cumulative utilisation rate", lang): data.monthly["cumulative_utilisation_rate"]})
    sheets = {tr("Headline", lang): headline, tr("Agencies", lang): agencies, tr("Monthly trend", lang): trend}
    formats = {tr("Headline", lang): {value: [UNIT_FORMATS.get(u) for u in units]},
               tr("Agencies", lang): agency_formats,
               tr("Monthly trend", lang): {month: MONTH_FORMAT, label("cumulative_asset_users", lang): COUNT_FORMAT,
                                           tr("Cumulative utilisation rate", lang): PERCENT_FORMAT}}
    if outlook is not None:
        title = tr("Agencies at risk", lang)
        sheets[title], formats[title] = _at_risk(outlook.at_risk, lang)
    return frames_to_xlsx(sheets, cover=cover, cover_title=tr("Cover", lang), number_formats=formats)
