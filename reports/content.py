"""The figures of one report, assembled from the metrics functions the dashboard pages use,
so a report and the page it summarises always agree.

``province_report(con, year)`` is what Ringkasan shows (``metrics.overview.overview``,
``metrics.outlook.outlook``) plus every agency's year-end projection
(``metrics.projection.project_skpd``) and the data's freshness and coverage
(``metrics.imports.source_freshness``, ``metrics.coverage.coverage``).
``agency_report(con, year, skpd)`` is what Perangkat daerah shows
(``metrics.engagement.skpd_page``) plus the agency's outlook and the province's trend.
Values stay raw (fractions 0-1, counts, dates); only the renderers format them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from data.intake.values import WIB
from metrics.coverage import coverage
from metrics.engagement import SkpdPage, skpd_page
from metrics.imports import source_freshness
from metrics.kpi import Scope, monthly_cumulative
from metrics.outlook import RISK_STATUSES, Outlook, outlook
from metrics.overview import Overview, data_version, overview
from metrics.projection import project_skpd


class ReportError(ValueError):
    """The report cannot be made (no data for the year, unknown agency); the message says why."""


@dataclass(frozen=True)
class ProvinceReport:
    """The province's one-page report for ``year``.

    Attributes:
        year: WIB calendar year.
        made_at: when the figures were read (naive WIB datetime).
        version: ``metrics.overview.data_version`` of the database read.
        overview: ``metrics.overview.overview`` (tiles, agency table, monthly trend).
        outlook: ``metrics.outlook.outlook`` (projection, at-risk agencies, previous year).
        league: ``overview.skpd`` (best utilisation first) with the projection columns of
            ``project_skpd`` (``status`` str, ``projected_rate``, ``projected_rate_low``,
            ``projected_rate_high`` fractions 0-1 or NaN) and ``at_risk`` (bool).
        freshness: ``metrics.imports.source_freshness`` (kind, label, newest_import, imports).
        coverage: ``metrics.coverage.coverage`` (sources with the year's data spans, left-out uses).
    """

    year: int
    made_at: dt.datetime
    version: str
    overview: Overview
    outlook: Outlook
    league: pd.DataFrame
    freshness: pd.DataFrame
    coverage: dict

    @property
    def is_demo(self) -> bool:
        return self.overview.is_demo


@dataclass(frozen=True)
class AgencyReport:
    """One agency's one-page report for ``year``.

    Attributes:
        page: ``metrics.engagement.skpd_page`` (kpis, province, engagement, cops with
            maturity, activities per quarter, monthly trend, coverage).
        outlook: ``metrics.outlook.outlook`` within the agency's scope.
        province_monthly: ``metrics.kpi.monthly_cumulative`` of the province (the trend compared).
        target: the agency's effective utilisation target (fraction).
    """

    year: int
    made_at: dt.datetime
    version: str
    page: SkpdPage
    outlook: Outlook
    province_monthly: pd.DataFrame
    target: float

    @property
    def skpd(self) -> str:
        return self.page.skpd

    @property
    def is_demo(self) -> bool:
        return self.page.is_demo


def _now() -> dt.datetime:
    return dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)


def province_report(con: duckdb.DuckDBPyConnection, year: int) -> ProvinceReport:
    """Assemble the province's report for ``year``.

    Raises:
        ReportError: no headcount recap applies to ``year`` (no rate can be computed).
    """
    data = overview(con, year, Scope.province())
    if data.overall["headcount"] is None:
        raise ReportError(f"no headcount recap applies to {year}: import a rekap jumlah pegawai first")
    projections = project_skpd(con, year)[["skpd", "status", "projected_rate", "projected_rate_low",
                                            "projected_rate_high"]]
    league = data.skpd.merge(projections, on="skpd", how="left")
    league["at_risk"] = league["status"].isin(RISK_STATUSES)
    return ProvinceReport(year, _now(), data_version(con), data, outlook(con, year, Scope.province()), league,
                          source_freshness(con), coverage(con, year))


def agency_report(con: duckdb.DuckDBPyConnection, year: int, skpd: str) -> AgencyReport:
    """Assemble one agency's report for ``year``.

    Raises:
        ReportError: ``skpd`` is not in the headcount recap applying to ``year``.
    """
    page = skpd_page(con, year, skpd)
    if page is None:
        raise ReportError(f"{skpd!r} is not in the headcount recap applying to {year}")
    scope = Scope(skpd)
    view = outlook(con, year, scope)
    return AgencyReport(year, _now(), data_version(con), page, view, monthly_cumulative(con, year, Scope.province()),
                        page.target)
