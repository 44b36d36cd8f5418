"""The one-click "laporan" for leadership: one XLSX with a cover sheet (filters, who,
when, data freshness) and one sheet per view of the overview page."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.components import format as fmt
from dashboard.components.i18n import tr
from data.export import frames_to_xlsx
from data.values import WIB
from metrics.registry import label


def overview_report(data, table: pd.DataFrame, freshness: pd.DataFrame, *, user: str, version: str,
                    lang: str) -> bytes:
    """The overview (``metrics.overview.Overview``) as a workbook: cover, headline, agencies, trend.

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
    return frames_to_xlsx({tr("Headline", lang): headline, tr("Agency", lang): table,
                           tr("Monthly trend", lang): trend}, cover=cover)
