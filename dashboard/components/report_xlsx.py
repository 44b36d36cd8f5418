"""The one-click "laporan" for leadership: one XLSX with a cover sheet (filters, who,
when, data freshness) and one sheet per view of the overview page, including the
year-end projection and the agencies at risk; set up to print on A4 (``data.export``)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from data.export import frames_to_xlsx
from data.values import WIB
from metrics.registry import label

# The projection statuses in words (the same msgids as the overview page's).
_STATUS = {"at_risk": N_("⚠ at risk"), "off_track": N_("✖ off track"), "on_track": N_("✔ on track"),
           "met": N_("✔ met"), "not_enough_data": N_("? not enough data"), "undefined": N_("? n/a")}


def overview_report(data, table: pd.DataFrame, freshness: pd.DataFrame, *, user: str, version: str,
                    lang: str, outlook=None) -> bytes:
    """The overview (``metrics.overview.Overview``) as a workbook: cover, headline, agencies,
    trend, and with ``outlook`` (``metrics.outlook.Outlook``) the year-end projection (in the
    headline: projected rate, band low / high as fractions, status) and a sheet of the
    agencies at risk (rates as fractions 0-1).

    ``table`` is the agency table as shown (already formatted for people); rates in the
    headline and trend sheets stay numbers (fractions 0-1) so Excel can compute with them.
    """
    now = dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)
    cover = {tr("Report", lang): tr("Knowledge Management Dashboard", lang), tr("Year", lang): str(data.year),
             tr("Made", lang): f"{fmt.day(now.date(), lang)} {now:%H:%M} WIB", tr("By", lang): user,
             tr("Headcount from the recap of", lang): fmt.day(data.recap_date, lang), "Versi data": version}
    for row in freshness.itertuples(index=False):
        cover[f"{tr('Source freshness', lang)}: {row.label}"] = "-" if pd.isna(row.newest_import) else str(row.newest_import)
    headline = pd.DataFrame([(label(k, lang), v) for k, v in data.overall.items()], columns=["KPI", "Nilai"])
    headline.loc[len(headline)] = [tr("Agencies at target", lang), data.skpd_reaching_target]
    headline.loc[len(headline)] = [tr("Target", lang), data.target]
    trend = data.monthly.rename(columns={"month": tr("Month", lang)})
    sheets = {tr("Headline", lang): headline, tr("Agency", lang): table, tr("Monthly trend", lang): trend}
    if outlook is not None:
        projection, name = outlook.projection, tr("December projection", lang)
        for key, value in ((name, projection.get("projected_rate")),
                           (f"{name} ({tr('Band', lang)}, min)", projection.get("projected_rate_low")),
                           (f"{name} ({tr('Band', lang)}, max)", projection.get("projected_rate_high")),
                           (f"{name}: {tr('Status', lang)}", tr(_STATUS[projection.get("status")], lang))):
            headline.loc[len(headline)] = [key, value]
        risk = outlook.at_risk.assign(status=[tr(_STATUS[s], lang) for s in outlook.at_risk["status"]])
        sheets[tr("Agencies at risk", lang)] = risk.rename(columns={"skpd": tr("Agency", lang), "status": tr("Status", lang)})
    return frames_to_xlsx(sheets, cover=cover)
