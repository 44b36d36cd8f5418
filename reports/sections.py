"""A report's sections as text for people, in one language: what the PDF page and the
slides both lay out, so the two always show the same figures.

``province_sections(report, lang)`` and ``agency_sections(report, lang)`` return a
``Sections``: headline tiles, the tables (rows of strings, with their column titles) and
the sentences around them. Formats are Indonesian by default (``reports.fmt``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from metrics.outlook import RISK_STATUSES
from reports.content import AgencyReport, ProvinceReport
from reports.fmt import Formats
from reports.texts import Texts

MARK = {"met": "✔", "below": "✖", "undefined": "?"}
RISK_MARK = {"off_track": "✖", "at_risk": "⚠"}


@dataclass(frozen=True)
class Tile:
    """One headline figure: its name, value, and up to two short notes (change, counts)."""

    name: str
    value: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table as text: column titles, rows of cells, which columns are numbers (right-aligned),
    and per row an optional class (``risk``, ``met``, ``undefined``) for emphasis."""

    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric: tuple[int, ...] = ()
    row_class: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sections:
    """Everything a report shows, formatted: ``title``, ``subtitle`` (organisation),
    ``stamp`` (made, data version, recap), ``tiles``, ``trend_title``, ``projection``
    (sentence or ""), ``method``, ``tables`` (section title -> ``Table``), ``notes``
    (section title -> extra lines), ``legend`` and ``demo`` (banner or "")."""

    lang: str
    title: str
    subtitle: str
    stamp: str
    tiles: list[Tile]
    trend_title: str
    projection: str
    method: str
    tables: dict[str, Table]
    notes: dict[str, list[str]]
    legend: str
    demo: str


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _change(now, before, kind: str, year: int, fmt: Formats, words: Texts) -> str:
    """Change from the previous year: percentage points for rates, signed count or score otherwise."""
    if _blank(now) or _blank(before):
        return ""
    if kind == "rate":
        return f"{fmt.points(now - before)} {words['vs_year'].format(year=year - 1)}"
    text = fmt.signed(now - before, 0 if kind == "count" else 2)
    return f"{text} {words['vs_count'].format(year=year - 1)}"


def _projection_line(projection: dict, fmt: Formats, words: Texts) -> str:
    if projection.get("projected_rate") is None:
        return f"{words['projection']}: {words.status(projection.get('status'))}."
    return words["projection_line"].format(rate=fmt.pct(projection["projected_rate"]),
                                           band=fmt.band(projection["projected_rate_low"], projection["projected_rate_high"]),
                                           status=words.status(projection["status"]))


def _stamp(report, fmt: Formats, words: Texts, recap) -> str:
    return (f"{words['made']} {fmt.stamp(report.made_at)} · {words['version']} {report.version} · "
            f"{words['recap']} {fmt.day(recap)}")


def _status_cell(row, fmt: Formats) -> str:
    mark = MARK.get(row["target_status"], "?")
    return f"{mark} ⚠" if row["at_risk"] else mark


def league_table(report: ProvinceReport, fmt: Formats, words: Texts) -> Table:
    """Every agency of the recap, best utilisation first (``ProvinceReport.league``)."""
    rows, classes = [], []
    for n, row in enumerate(report.league.to_dict("records"), start=1):
        rows.append((str(n), row["skpd"], fmt.pct(row["utilisation_rate"]), fmt.pct(row["participation_rate"]),
                     fmt.pct(row["projected_rate"]) if not _blank(row["projected_rate"]) else "–",
                     _status_cell(row, fmt)))
        classes.append("risk" if row["at_risk"] else row["target_status"])
    return Table((words["no"], words["skpd"], words["util_short"], words["part_short"], words["proj_short"],
                  words["status"]), rows, (0, 2, 3, 4), classes)


def risk_table(frame: pd.DataFrame, fmt: Formats, words: Texts) -> Table:
    """``metrics.outlook.Outlook.at_risk``: off track first, then lowest projection."""
    rows = [(r["skpd"], fmt.pct(r["utilisation_rate"]), fmt.pct(r["projected_rate"]),
             fmt.band(r["projected_rate_low"], r["projected_rate_high"]), RISK_MARK[r["status"]])
            for r in frame.to_dict("records")]
    return Table((words["skpd"], words["now"], words["proj_short"], words["band"], ""), rows, (1, 2, 3),
                 ["risk"] * len(rows))


def freshness_table(freshness: pd.DataFrame, fmt: Formats, words: Texts, year: int, coverage: dict) -> Table:
    """Newest import per export kind that has one (``metrics.imports.source_freshness``), and
    the span of the year's data in it (``metrics.coverage.sources``)."""
    spans = {s["kind"]: s for s in coverage.get("sources", [])}
    rows = []
    for r in freshness.to_dict("records"):
        if not r["imports"]:
            continue
        span = spans.get(r["kind"], {})
        lo, hi = span.get("data_from"), span.get("data_to")
        when = "–" if not lo else (fmt.short_day(pd.Timestamp(lo).date()) if lo == hi else
                                   f"{fmt.short_day(pd.Timestamp(lo).date())} – {fmt.short_day(pd.Timestamp(hi).date())}")
        rows.append((r["label"], fmt.stamp(pd.Timestamp(r["newest_import"]).to_pydatetime(), short=True), when))
    return Table((words["source"], f'{words["newest_import"]} (WIB)', words["span"].format(year=year)), rows)


def province_sections(report: ProvinceReport, lang: str = "id") -> Sections:
    """The province's report as text in ``lang``; see ``Sections``."""
    fmt, words = Formats(lang), Texts(lang)
    data, view, year = report.overview, report.outlook, report.year
    overall, previous = data.overall, view.previous or {}
    rate = overall["utilisation_rate"]
    tiles = [
        Tile(words.kpi("utilisation_rate"), fmt.pct(rate),
             (f"{fmt.points(None if rate is None else rate - data.target)} {words['vs_target']} {fmt.target(data.target)}",
              _change(rate, previous.get("utilisation_rate"), "rate", year, fmt, words)
              or f"{fmt.num(overall['asset_users'])} / {fmt.num(overall['headcount'])}")),
        Tile(words.kpi("participation_rate"), fmt.pct(overall["participation_rate"]),
             (f"{fmt.num(overall['participants'])} / {fmt.num(overall['headcount'])}",
              _change(overall["participation_rate"], previous.get("participation_rate"), "rate", year, fmt, words))),
        Tile(words["skpd_reaching"], f"{data.skpd_reaching_target} / {data.skpd_with_rate}",
             (words["of_agencies"].format(n=data.skpd_with_rate),)),
        Tile(words.kpi("assets_published"), fmt.num(overall["assets_published"]),
             (_change(overall["assets_published"], previous.get("assets_published"), "count", year, fmt, words),)),
        Tile(words["mean_maturity"], fmt.dec(view.maturity_mean),
             (_change(view.maturity_mean, view.maturity_mean_previous, "score", year, fmt, words),)),
    ]
    left = report.coverage.get("left_out_uses", {})
    total = sum(left.get(k, 0) for k in ("missing_nip", "bad_nip", "unknown_nip", "unknown_asset"))
    fresh_notes = [words["left_out"].format(total=fmt.num(total), all=fmt.num(total + left.get("counted", 0)),
                                            missing=fmt.num(left.get("missing_nip", 0)), bad=fmt.num(left.get("bad_nip", 0)),
                                            unknown=fmt.num(left.get("unknown_nip", 0)),
                                            asset=fmt.num(left.get("unknown_asset", 0)))]
    undefined = report.league.loc[report.league["target_status"] == "undefined", "skpd"].tolist()
    if undefined:
        fresh_notes.append(f"{words['undefined']}: {', '.join(undefined)}")
    risk = risk_table(view.at_risk, fmt, words)
    return Sections(lang, words["title"].format(year=year), words["org"], _stamp(report, fmt, words, data.recap_date),
                    tiles, words["trend"], _projection_line(view.projection, fmt, words), words["method"],
                    {words["league"]: league_table(report, fmt, words), words["at_risk"]: risk,
                     words["freshness"]: freshness_table(report.freshness, fmt, words, year, report.coverage)},
                    {words["at_risk"]: [words["risk_legend"]] if risk.rows else [words["none_at_risk"]],
                     words["freshness"]: fresh_notes},
                    words["legend"], words["demo"] if report.is_demo else "")


def _cops_table(page, fmt: Formats, words: Texts) -> Table:
    rows = []
    hidden = page.hidden.get("cops")                      # metrics.privacy: the same cells hidden as on the page
    for pos, r in enumerate(page.cops.to_dict("records")):
        mark = {} if hidden is None else hidden.iloc[pos].to_dict()
        level = "" if _blank(r.get("maturity_level")) else str(int(r["maturity_level"]))
        rows.append((str(r["cop"]), fmt.num(r["meetings"]), _small(r["members"], fmt, mark.get("members")),
                     _small(r["active_members"], fmt, mark.get("active_members")),
                     "" if _blank(r.get("maturity_score")) else fmt.dec(r["maturity_score"]), level))
    return Table(("CoP", words["meetings"], words["members"], words["active"], words.kpi("maturity_score"),
                  words["level"]), rows, (1, 2, 3, 4, 5))


def _small(value, fmt: Formats, mark: str | None = None) -> str:
    """A count of people: 1-4 shown as ``<5`` (as on the dashboard: no one is singled out);
    a cell ``metrics.privacy`` hides for another's sake (``mark`` ``complement``) as ``*``."""
    if _blank(value):
        return ""
    if mark == "complement":
        return "*"
    return "<5" if 0 < int(value) < 5 else fmt.num(value)


def _quarters_table(page, fmt: Formats, words: Texts) -> Table:
    by_q = page.activities["by_quarter"]
    rows = [(f"{words['quarter']} {q[1:]}", fmt.num(v["activities"]), fmt.num(v["cops_active"])) for q, v in by_q.items()]
    rows.append(("Σ", fmt.num(page.activities["activities"]), ""))
    return Table((words["quarter"], words["meetings"], words["cops_active"]), rows, (1, 2))


def _compare_table(report: AgencyReport, fmt: Formats, words: Texts) -> Table:
    page = report.page
    rows = [(words.kpi(k), fmt.num(page.kpis[k]), fmt.num(page.province[k]))
            for k in ("headcount", "asset_users", "use_events", "participants", "assets_published")]
    rows += [(words.kpi(k), fmt.pct(page.kpis[k]), fmt.pct(page.province[k]))
             for k in ("utilisation_rate", "participation_rate")]
    rows += [(words.kpi(k), fmt.pct(page.engagement[k]), fmt.pct(page.province_engagement[k]))
             for k in ("reuse_rate", "cross_skpd_share")]
    rows.append((words.kpi("contributors_per_100"), fmt.dec(page.engagement["contributors_per_100"], 1),
                 fmt.dec(page.province_engagement["contributors_per_100"], 1)))
    return Table((words["counts"], words["this_agency"], words["province"]), rows, (1, 2))


def _assets_table(page, fmt: Formats, words: Texts) -> Table:
    """The agency's most-used assets (``metrics.engagement.top_assets``), users counted as on the page."""
    rows = [(str(r["title"]), str(r["aset_kind"]), _small(r["asset_users"], fmt), fmt.num(r["use_events"]))
            for r in page.top_assets.to_dict("records")]
    return Table((words["title_col"], words["kind"], words.kpi("asset_users"), words.kpi("use_events")), rows, (2, 3))


def agency_sections(report: AgencyReport, lang: str = "id") -> Sections:
    """One agency's report as text in ``lang``; see ``Sections``."""
    fmt, words = Formats(lang), Texts(lang)
    page, view, year = report.page, report.outlook, report.year
    own, prov = page.kpis, page.province

    def versus(name: str, mine, theirs) -> Tile:
        note = "" if _blank(mine) or _blank(theirs) else f"{fmt.points(mine - theirs)} {words['vs_province']}"
        return Tile(words.kpi(name), fmt.pct(mine), (note, f"{words['province']} {fmt.pct(theirs)}"))

    rate = own["utilisation_rate"]
    tiles = [versus("utilisation_rate", rate, prov["utilisation_rate"]),
             versus("participation_rate", own["participation_rate"], prov["participation_rate"]),
             Tile(words.kpi("assets_published"), fmt.num(own["assets_published"]),
                  (f"{words.kpi('contributors')}: {fmt.num(page.engagement['contributors'])}",)),
             Tile(words.kpi("activities"), fmt.num(page.activities["activities"]),
                  (f"{fmt.pct(page.activities['accompanied_rate'], 0)} {words['accompanied']}",)),
             Tile(words["mean_maturity"], fmt.dec(view.maturity_mean),
                  (_change(view.maturity_mean, view.maturity_mean_previous, "score", year, fmt, words),))]
    risk_note = [] if view.projection.get("status") not in RISK_STATUSES else [words.status(view.projection["status"])]
    return Sections(lang, words["title_skpd"].format(skpd=page.skpd, year=year), words["org"],
                    _stamp(report, fmt, words, page.recap_date), tiles, words["trend_skpd"],
                    _projection_line(view.projection, fmt, words), words["method"],
                    {words["counts"]: _compare_table(report, fmt, words), words["cops"]: _cops_table(page, fmt, words),
                     words["quarters"]: _quarters_table(page, fmt, words),
                     words["top_assets"]: _assets_table(page, fmt, words)},
                    {words["cops"]: [] if not page.cops.empty else [words["none"]], words["at_risk"]: risk_note,
                     words["top_assets"]: [] if not page.top_assets.empty else [words["none"]]},
                    "", words["demo"] if report.is_demo else "")
