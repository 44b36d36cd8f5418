"""Engagement KPIs (issue 4): whose assets are used and by whom, reuse, contributors,
and how people take part in each CoP; plus the agency page's bundle (issue 5).

Counting rules are those of ``metrics.kpi`` (``_HEADCOUNT_CTE``): a use is a view or
download in the WIB year by a roster NIP of an agency in the applicable headcount
recap, of an asset in the register (any status); identical events count once. Every
ratio is re-computed from distinct counts at its grain (agency or the scope's total).

Scope: the asset side (use *of* an agency's assets, reuse, most-used assets, who uses
them) is scoped by the asset's agency and counts users of every agency, as counts only;
the people side (use *by* employees, contributors, participation) by the roster agency.

Participation tiers (after Wenger-Trayner's core / active / occasional / peripheral) of a
member (a roster NIP attending at least one of the CoP's meetings in the year, from any
agency), with M the CoP's meetings in the year and m those the member attended:
- core: m >= 3 and m >= 75% of M, or Narasumber/Fasilitator at >= 2 meetings (leads it);
- active: m >= 3 (about every quarter: the programme expects a meeting a quarter);
- occasional: m = 2;  peripheral: m = 1.
The floor of 3 keeps a CoP that met once or twice from calling every attendee core.
``active_members`` are core + active.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from data.store.engagement_counts import ASET_USE_SQL, PAIR_USE_SQL, counts_sql, kept_current, kept_engagement, use_sql
from data.store.connection import get_meta
from metrics.privacy import hidden_asset_counts, hidden_cop_counts, hidden_user_counts
from metrics.grain import period_at
from metrics.kpi import (_RECAP_CTE, Scope, _params, _run, activity_summary, cop_maturity,
                         monthly_cumulative, overall_kpis, recap_date, skpd_kpis)
from metrics.periods import has_data, year_earlier
from metrics.targets import effective_target

CORE_SHARE = 0.75           # share of the CoP's meetings attended, for core
CORE_MIN_MEETINGS = 3       # ... and at least this many meetings
CORE_LEAD_MEETINGS = 2      # or led (Narasumber/Fasilitator) at least this many meetings
ACTIVE_MIN_MEETINGS = 3
OCCASIONAL_MEETINGS = 2
_RATIOS = ("cross_skpd_share", "reuse_rate", "contributors_per_100")
TIERS = ("core", "active", "occasional", "peripheral")
LEAD_ROLES = ("narasumber", "fasilitator")


def _engagement_params(year: int, scope: Scope) -> dict:
    """The CTE runs province-wide (all use events); ``$skpd`` narrows each side."""
    return {**_params(year, Scope.province()), "skpd": scope.skpd}


def _kept_or_live(con: duckdb.DuckDBPyConnection, table: str, template: str) -> str:
    """A subquery of ``table``'s rows of ``$year`` when the kept tables are current
    (``data.store.engagement_counts``), else ``template`` counted now (narrowed to ``$skpd``)."""
    if kept_current(con):
        return f"SELECT * EXCLUDE (year) FROM {table} WHERE year = $year"
    return use_sql(con, template)


def _with_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """``COUNTS_SQL``'s counts plus their ratios, in the columns' published order:
    ``cross_skpd_share`` = cross_skpd_users / users_of_assets, ``reuse_rate`` = assets_reused /
    assets_available (fractions 0-1, NaN where the denominator is 0) and
    ``contributors_per_100`` (per 100 employees, NaN without a headcount)."""
    frame = frame.copy()
    ratio = lambda top, bottom, times=1.0: (times * frame[top] / frame[bottom]).where(frame[bottom] > 0)  # noqa: E731
    frame.insert(frame.columns.get_loc("cross_skpd_use_events") + 1, "cross_skpd_share",
                 ratio("cross_skpd_users", "users_of_assets"))
    frame.insert(frame.columns.get_loc("assets_reused") + 1, "reuse_rate", ratio("assets_reused", "assets_available"))
    frame["contributors_per_100"] = ratio("contributors", "headcount", 100.0)
    return frame


def _engagement(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> pd.DataFrame:
    """The scope's agencies' engagement and the scope's total row (``skpd`` NULL, last), from
    the counts kept at import time (``data.store.engagement_counts``) when they are current, else
    counted now; with ratios (``_with_ratios``)."""
    kept = kept_engagement(con, year)
    if kept is not None and scope.skpd is not None:
        own = kept[kept["skpd"] == scope.skpd]
        kept = pd.concat([own, own.assign(skpd=None)], ignore_index=True) if len(own) else None
    if kept is None:
        kept = _run(con, counts_sql(con), _engagement_params(year, scope)).df()
    return _with_ratios(kept)


def skpd_engagement(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per agency in the applicable headcount recap (within scope), ordered by name.

    Columns: ``skpd``; ``headcount`` (int); use *by* its employees: ``asset_users``,
    ``use_events``; use *of* its assets (users of any agency): ``users_of_assets``,
    ``use_events_of_assets``, ``cross_skpd_users`` / ``cross_skpd_use_events`` (by employees
    of other agencies), ``cross_skpd_share`` (cross_skpd_users / users_of_assets); reuse:
    ``assets_available`` (status Terbit, published on or before 31 Dec of ``year``),
    ``assets_reused`` (of those, used in ``year`` by someone other than the uploader),
    ``reuse_rate``; ``contributors`` (distinct roster NIPs, counted to their own agency, who
    uploaded an asset of any status dated in ``year``), ``contributors_per_100`` (per 100
    employees, not a fraction). Counts are ints; rates float 0-1, NaN where the denominator
    is 0. No recap: empty frame.

    Reads: headcount, employee, access_event, aset.
    """
    frame = _engagement(con, year, scope)
    return frame[frame["skpd"].notna()].reset_index(drop=True)


def engagement_totals(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> dict:
    """The scope's totals of ``skpd_engagement``'s columns (without ``skpd``), distinct
    counts re-computed over the scope (a user of two agencies' assets counts once); for the
    province ``cross_skpd_users`` are users of at least one other agency's asset. Undefined
    rates and a missing headcount (no recap) are None.

    Reads: as ``skpd_engagement``.
    """
    frame = _engagement(con, year, scope)
    row = frame[frame["skpd"].isna()].drop(columns="skpd").iloc[0].to_dict()
    return {k: None if pd.isna(v) else (float(v) if k in _RATIOS else int(v)) for k, v in row.items()}


def cop_tiers(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> pd.DataFrame:
    """One row per CoP of an agency in the applicable recap (within scope, by the CoP's
    agency), ordered by agency then CoP name; CoPs without meetings in ``year`` included.

    Columns: ``cop_key``, ``cop`` (display name), ``skpd``, ``meetings`` (distinct title and
    date in the activity register or attendance, dated in ``year``), ``members`` (distinct
    roster NIPs of any agency attending at least one), ``core``, ``active``, ``occasional``,
    ``peripheral`` (members per tier, see the module docstring), ``active_members`` (core +
    active); all ints. No recap: empty frame.

    Reads: headcount, employee, cop, activity, attendance.
    """
    sql = f"""
    WITH {_RECAP_CTE},
    cops AS (SELECT cop_key, name AS cop, skpd FROM cop
             WHERE skpd IN (SELECT skpd FROM hc) AND ($skpd IS NULL OR skpd = $skpd)),
    meeting AS (SELECT cop_key, title_key, activity_date FROM activity_current WHERE activity_date BETWEEN $start AND $end
                UNION SELECT cop_key, title_key, activity_date FROM attendance WHERE activity_date BETWEEN $start AND $end),
    cop_meetings AS (SELECT cop_key, count(*) AS meetings FROM meeting GROUP BY cop_key),
    member AS (
        SELECT cop_key, nip, count(DISTINCT (title_key, activity_date)) AS attended,
               count(DISTINCT (title_key, activity_date)) FILTER (WHERE lower(trim(role)) IN $lead_roles) AS led
        FROM attendance WHERE activity_date BETWEEN $start AND $end AND nip IN (SELECT nip FROM emp)
        GROUP BY cop_key, nip),
    tiered AS (
        SELECT m.cop_key, CASE
            WHEN (m.attended >= $core_min AND m.attended >= $core_share * c.meetings) OR m.led >= $core_lead THEN 'core'
            WHEN m.attended >= $active_min THEN 'active' WHEN m.attended = $occasional THEN 'occasional'
            ELSE 'peripheral' END AS tier
        FROM member m JOIN cop_meetings c USING (cop_key))
    SELECT cops.cop_key, cops.cop, cops.skpd, coalesce(any_value(c.meetings), 0)::BIGINT AS meetings,
           count(t.tier) AS members,
           {", ".join(f"count(*) FILTER (WHERE t.tier = '{tier}') AS {tier}" for tier in TIERS)}
    FROM cops LEFT JOIN cop_meetings c USING (cop_key) LEFT JOIN tiered t USING (cop_key)
    GROUP BY cops.cop_key, cops.cop, cops.skpd ORDER BY cops.skpd, cops.cop
    """
    params = {**_engagement_params(year, scope), "lead_roles": list(LEAD_ROLES), "core_min": CORE_MIN_MEETINGS,
              "core_share": CORE_SHARE, "core_lead": CORE_LEAD_MEETINGS, "active_min": ACTIVE_MIN_MEETINGS,
              "occasional": OCCASIONAL_MEETINGS}
    frame = _run(con, sql, params).df()
    frame["active_members"] = frame["core"] + frame["active"]
    return frame


def top_assets(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope(), *, limit: int = 10) -> pd.DataFrame:
    """The most-used assets of the scope's agencies (by the asset's agency) in ``year``:
    one row per asset with at least one counted use, at most ``limit`` rows, ordered by
    ``asset_users`` then ``use_events`` (both descending), then ``aset_id``.

    Columns: ``aset_id``, ``title``, ``aset_kind``, ``cop`` (display name), ``skpd``,
    ``status`` (terbit/draf/ditolak), ``asset_users`` (distinct users, any agency),
    ``use_events``, ``cross_skpd_users`` (users from other agencies); counts are ints.
    No use: empty frame.

    Reads: engagement_aset_year (kept counts), else use_year_aset or access_event with headcount, employee;
    aset, cop.
    """
    sql = f"""
    SELECT a.aset_id, a.title, a.aset_kind, coalesce(c.name, a.cop_key) AS cop, a.skpd, a.status,
           k.asset_users, k.use_events, k.cross_skpd_users
    FROM ({_kept_or_live(con, "engagement_aset_year", ASET_USE_SQL)}) k JOIN aset_current a USING (aset_id)
    LEFT JOIN cop c ON c.cop_key = a.cop_key
    WHERE $skpd IS NULL OR a.skpd = $skpd
    ORDER BY k.asset_users DESC, k.use_events DESC, a.aset_id LIMIT $limit
    """
    return _run(con, sql, {**_engagement_params(year, scope), "limit": limit}).df()


def asset_use_by_skpd(con: duckdb.DuckDBPyConnection, year: int, scope: Scope = Scope()) -> pd.DataFrame:
    """Who uses the scope's assets: one row per (asset's agency, user's agency) pair with at
    least one counted use in ``year``, ordered by ``aset_skpd``, then ``asset_users`` and
    ``use_events`` descending, then ``user_skpd``.

    Columns: ``aset_skpd``, ``user_skpd``, ``own`` (bool: the same agency), ``asset_users``
    (distinct users), ``use_events``, ``assets_used`` (distinct assets); ints. No use: empty.

    Reads: engagement_pair_year (kept counts), else use_year_aset or access_event with headcount, employee,
    aset.
    """
    sql = f"""
    SELECT aset_skpd, user_skpd, aset_skpd = user_skpd AS own, asset_users, use_events, assets_used
    FROM ({_kept_or_live(con, "engagement_pair_year", PAIR_USE_SQL)})
    WHERE $skpd IS NULL OR aset_skpd = $skpd ORDER BY aset_skpd, asset_users DESC, use_events DESC, user_skpd
    """
    return _run(con, sql, _engagement_params(year, scope)).df()


def latest_imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Data coverage: one row per export kind with a loaded (not undone) import, ordered by
    kind: ``kind``, ``file_name``, ``imported_at`` (WIB timestamp), ``rows_loaded`` (int) of
    the newest such import, and ``imports`` (int: loaded imports of that kind). Empty store:
    empty frame.

    Reads: import_log.
    """
    sql = """
    SELECT kind, file_name, imported_at, rows_loaded, count(*) OVER (PARTITION BY kind) AS imports
    FROM import_log WHERE status = 'loaded'
    QUALIFY row_number() OVER (PARTITION BY kind ORDER BY import_id DESC) = 1
    ORDER BY kind
    """
    return con.execute(sql).df()


def recap_skpd(con: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """Official names of the agencies in the headcount recap applying to ``year``, sorted."""
    sql = f"WITH {_RECAP_CTE} SELECT skpd FROM hc ORDER BY skpd"
    return [r[0] for r in _run(con, sql, _params(year, Scope.province())).fetchall()]


@dataclass(frozen=True)
class SkpdPage:
    """What the agency page shows for one agency and year.

    Attributes:
        year, skpd: the WIB year and the agency's official name.
        kpis: the agency's ``metrics.kpi.skpd_kpis`` row as a dict (rates None if undefined).
        province: ``metrics.kpi.overall_kpis`` of the whole province.
        engagement, province_engagement: ``engagement_totals`` of the agency / province.
        activities: ``metrics.kpi.activity_summary`` of the agency.
        monthly: ``metrics.kpi.monthly_cumulative`` of the agency.
        cops: ``cop_tiers`` of the agency plus ``maturity_score`` / ``maturity_level``
            (NaN when not assessed in ``year``).
        top_assets, users_by_skpd: ``top_assets`` / ``asset_use_by_skpd`` of the agency.
        coverage: ``latest_imports``.
        recap_date: the headcount recap used (None: no recap); is_demo: demo database.
        target: the agency's utilisation target for ``year`` (fraction 0-1,
            ``metrics.targets.effective_target``): what its status, caption and trend line use.
        period: the ``metrics.grain.Period`` counted; previous: the agency's ``overall_kpis``
            of the same period a year earlier (None when it holds no data); previous_period.
        period_has_data: the province holds any data in ``period`` (``metrics.periods.has_data``;
            False: the period's counts are all an empty 0, and the page says "no data").
        hidden: ``"cops"``, ``"top_assets"``, ``"users_by_skpd"`` -> which of those frames'
            people counts every display and export must hide (``metrics.privacy``: ``""``
            shown, ``small`` as ``<5``, ``complement`` hidden so that no ``<5`` can be worked out).
    """

    year: int
    skpd: str
    kpis: dict
    province: dict
    engagement: dict
    province_engagement: dict
    activities: dict
    monthly: pd.DataFrame
    cops: pd.DataFrame
    top_assets: pd.DataFrame
    users_by_skpd: pd.DataFrame
    coverage: pd.DataFrame
    recap_date: dt.date | None
    is_demo: bool
    target: float
    period: object = None
    previous: dict | None = None
    previous_period: object = None
    hidden: dict[str, pd.DataFrame] = field(default_factory=dict)
    period_has_data: bool = True


def _cops_with_maturity(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> pd.DataFrame:
    maturity = cop_maturity(con, year, scope)[["cop", "skpd", "maturity_score", "maturity_level"]]
    return cop_tiers(con, year, scope).merge(maturity, on=["cop", "skpd"], how="left")


def province_figures(con: duckdb.DuckDBPyConnection, year: int, period=None) -> tuple[dict, dict]:
    """The province's ``overall_kpis`` (of ``period`` when given) and ``engagement_totals`` for
    ``year``: what every agency page compares with, computed once per data version, year and
    period by a caller that caches it. Reads what those read."""
    return overall_kpis(con, year, Scope.province(), period=period), engagement_totals(con, year, Scope.province())


def skpd_page(con: duckdb.DuckDBPyConnection, year: int, skpd: str,
              province: tuple[dict, dict] | None = None, *, period=None) -> SkpdPage | None:
    """Assemble ``SkpdPage`` for ``skpd`` (official name); None when the agency is not in
    the recap applying to ``year`` (or there is no recap). ``province`` is
    ``province_figures(con, year, period)`` when the caller has it already (else computed here).
    ``period`` (``metrics.grain.Period`` within ``year``) re-counts ``kpis``, ``province``,
    ``activities``, ``monthly`` and ``previous`` for it; engagement, CoPs and assets stay the
    year's. Reads what the parts read, and meta."""
    scope = Scope(skpd)
    rows = skpd_kpis(con, year, scope, period=period)
    if rows.empty:
        return None
    kpis = {k: (None if pd.isna(v) else v) for k, v in rows.iloc[0].to_dict().items()}
    period = period or period_at("year", dt.date(year, 1, 1))
    earlier = year_earlier(period)
    previous = overall_kpis(con, year - 1, scope, period=earlier) if has_data(con, earlier, scope) else None
    province_kpis, province_engagement = province or province_figures(con, year, period)
    engagement, cops = engagement_totals(con, year, scope), _cops_with_maturity(con, year, scope)
    assets, users = top_assets(con, year, scope), asset_use_by_skpd(con, year, scope)
    hidden = {"cops": hidden_cop_counts(cops), "top_assets": hidden_asset_counts(assets),
              "users_by_skpd": hidden_user_counts(users, engagement["users_of_assets"] or 0,
                                                  engagement["cross_skpd_users"] or 0)}
    return SkpdPage(year, skpd, kpis, province_kpis, engagement, province_engagement,
                    activity_summary(con, year, scope, period=period), monthly_cumulative(con, year, scope, period=period),
                    cops, assets, users, latest_imports(con), recap_date(con, year, period=period),
                    get_meta(con, "is_demo") == "true", effective_target(con, year, skpd), period, previous, earlier,
                    hidden, has_data(con, period, Scope.province()))
