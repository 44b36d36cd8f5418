"""The one-click "laporan" for leadership: one XLSX with a cover sheet (filters, who,
when, data freshness) and one sheet per view of the overview page."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.components import format as fmt
from dashboard.components.i18n import t
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
    cover = {t("report_title", lang): t("app_title", lang), t("year", lang): str(data.year),
             t("report_made", lang): f"{fmt.day(now.date(), lang)} {now:%H:%M} WIB", t("report_by", lang): user,
             t("recap_used", lang): fmt.day(data.recap_date, lang), "Versi data": version}
    for row in freshness.itertuples(index=False):
        cover[f"{t('freshness', lang)}: {row.label}"] = "-" if pd.isna(row.newest_import) else str(row.newest_import)
    headline = pd.DataFrame([(label(k, lang), v) for k, v in data.overall.items()], columns=["KPI", "Nilai"])
    headline.loc[len(headline)] = [t("skpd_reaching", lang), data.skpd_reaching_target]
    headline.loc[len(headline)] = [t("target", lang), data.target]
    trend = data.monthly.rename(columns={"month": t("month", lang)})
    return frames_to_xlsx({t("report_headline", lang): headline, t("skpd", lang): table,
                           t("report_trend", lang): trend}, cover=cover)
