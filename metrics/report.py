"""The KPI report, for other systems and scheduled runs.

``python -m metrics.report --year YEAR [--db FILE] [--format json|csv] [--skpd NAME]
[--grain province|kind|skpd|cop] [--period year|quarter|month|ytd] [--as-of YYYY-MM-DD]``

JSON has the shape of ``shared/field-samples.expected.json``: ``year``, ``target``,
``overall``, ``skpd`` (one object per agency), ``cops``, ``activities``, ``monthly``,
plus ``noise_events`` and ``recap_date`` (all for the whole year, as before), and:
``period`` (kind, label, start, end of the period holding ``--as-of``, default 31 December),
``by_grain`` (utilisation at ``--grain`` for that period, ``metrics.grain``),
``skpd_reaching_target`` (count and share for that period), ``projection`` (year-end,
from the months complete at ``--as-of``, ``metrics.projection``) and ``coverage``
(``metrics.coverage``). Rates are fractions 0-1 rounded to 6
decimals; an undefined rate is ``null``. CSV is the per-agency table with an
``overall`` row first. Exit codes: 0 done, 2 wrong usage, 4 database locked.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys

import duckdb
import pandas as pd

from data.command import command, open_store, year_arg
from data.errors import ConfigError, DatabaseBusy, SchemaTooNew
from data.logging_setup import configure_logging
from data.store.connection import db_path
from metrics.kpi import (Scope, activity_summary, cop_maturity, monthly_cumulative, noise_events,
                         overall_kpis, recap_date, skpd_kpis)
from metrics.agencies import closest_skpd, official_skpd
from metrics.coverage import coverage
from metrics.grain import GRAINS, PERIODS, period_at, skpd_reaching_target, utilisation_by
from metrics.projection import project_overall, project_skpd
from metrics.targets import effective_target

RATE_DECIMALS = 6
SKPD_KEYS = ("headcount", "asset_users", "utilisation_rate", "participants", "participation_rate", "assets_published", "use_events")


def _num(value):
    """A JSON-safe number: NaN/None -> None, floats rounded to 6 decimals, numpy ints -> int."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return round(value, RATE_DECIMALS) if isinstance(value, float) else value


def _records(frame) -> list[dict]:
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else _num(None if v is pd.NA else v)) for k, v in r.items()}
            for r in frame.to_dict("records")]


def period_sections(con, year: int, scope: Scope, *, grain: str = "skpd", period: str = "year",
                    as_of: dt.date | None = None) -> dict:
    """The ``period``, ``by_grain``, ``skpd_reaching_target``, ``projection`` and ``coverage``
    sections (see module docstring). ``as_of`` None: 31 December of ``year``."""
    chosen = period_at(period, as_of or dt.date(year, 12, 31))
    reaching = skpd_reaching_target(con, chosen, scope)
    reaching["skpd_reaching_target_share"] = _num(reaching["skpd_reaching_target_share"])
    overall = {k: v.isoformat() if isinstance(v, dt.date) else _num(v)
               for k, v in project_overall(con, year, as_of, scope).items()}
    return {"period": {"kind": chosen.kind, "label": chosen.label, "start": chosen.start.isoformat(),
                       "end": chosen.end.isoformat(), "grain": grain},
            "by_grain": _records(utilisation_by(con, chosen, grain, scope)),
            "skpd_reaching_target": reaching,
            "projection": {"as_of": as_of.isoformat() if as_of else None, "overall": overall,
                           "skpd": _records(project_skpd(con, year, as_of, scope))},
            "coverage": coverage(con, year)}


def build_report(con, year: int, scope: Scope = Scope()) -> dict:
    """The full report for ``year`` within ``scope`` as a JSON-ready dict (see module docstring)."""
    overall = {k: _num(v) for k, v in overall_kpis(con, year, scope).items()}
    agencies = [{"skpd": r["skpd"], **{k: _num(r[k]) for k in SKPD_KEYS}}
                for r in skpd_kpis(con, year, scope).to_dict("records")]
    cops = [{"cop": r["cop"], "skpd": r["skpd"], "maturity_score": _num(r["maturity_score"]),
             "maturity_level": _num(r["maturity_level"])} for r in cop_maturity(con, year, scope).to_dict("records")]
    activities = activity_summary(con, year, scope)
    activities["accompanied_rate"] = _num(activities["accompanied_rate"])
    monthly = [{k: _num(v) for k, v in r.items()} for r in monthly_cumulative(con, year, scope).to_dict("records")]
    report = {"year": year, "target": effective_target(con, year, scope.skpd), "overall": overall, "skpd": agencies, "cops": cops,
              "activities": activities, "monthly": monthly}
    as_of = recap_date(con, year)
    report["recap_date"] = as_of.isoformat() if as_of else None
    if scope.skpd is None:
        report["noise_events"] = noise_events(con, year)
    if not (overall["use_events"] or overall["participants"] or activities["activities"] or cops):
        report["notes"] = [f"no counted use events, attendance, meetings or maturity scores dated in {year}: "
                           f"the zeros above mean no data, not no use"]
    return report


class UnknownSkpd(ValueError):
    """An agency named on the command line that is not in the ``skpd`` table; the message names
    the closest official names."""


def resolve_skpd(con, skpd: str | None) -> str | None:
    """The official agency name ``skpd`` spells, through the product's agency table as the
    importer matches names (``metrics.agencies.official_skpd``: abbreviation, aliases, case,
    spaces, punctuation, the "Provinsi DKI Jakarta" suffix; ``'Dishub'`` -> ``'Dinas
    Perhubungan'``); None for None. ``con`` is not read (the store's ``skpd`` table is
    synced from the same reference table); kept for the callers.

    Raises:
        UnknownSkpd: no agency has that name, abbreviation or alias; the message names the closest ones.
    """
    if skpd is None:
        return None
    official = official_skpd(skpd)
    if official is not None:
        return official
    raise UnknownSkpd(f"unknown agency {skpd!r}; closest official names: {', '.join(closest_skpd(skpd))}")


def _write_csv(report: dict) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["skpd", *SKPD_KEYS])
    writer.writerow(["overall", *[report["overall"][k] for k in SKPD_KEYS]])
    for row in report["skpd"]:
        writer.writerow([row["skpd"], *[row[k] for k in SKPD_KEYS]])


@command
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m metrics.report", description="KM programme KPIs for a year.")
    parser.add_argument("--year", type=year_arg, required=True, help="calendar year (WIB)")
    parser.add_argument("--db", help="database file (default: $KMDASH_DB or data/kmdash.duckdb)")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--json", action="store_const", const="json", dest="format", help="same as --format json")
    parser.add_argument("--skpd", help="limit to one agency (official name, abbreviation or alias, any case)")
    parser.add_argument("--grain", choices=GRAINS, default="skpd", help="grain of by_grain (default skpd)")
    parser.add_argument("--period", choices=PERIODS, default="year", help="period of by_grain (default year)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="date in YEAR (YYYY-MM-DD): picks the period "
                        "and the months the projection uses (default: 31 December / all months)")
    args = parser.parse_args(argv)
    if args.as_of and args.as_of.year != args.year:
        sys.stderr.write(f"--as-of {args.as_of} is not in --year {args.year}\n")
        return 2
    configure_logging()
    path = db_path(args.db)
    try:
        with open_store(path, read_only=True) as con:
            scope = Scope(resolve_skpd(con, args.skpd))
            report = build_report(con, args.year, scope)
            report.update(period_sections(con, args.year, scope, grain=args.grain, period=args.period,
                                          as_of=args.as_of))
    except UnknownSkpd as unknown:
        sys.stderr.write(f"{unknown}\n")
        return 2
    except DatabaseBusy as busy:
        sys.stderr.write(f"{busy}\n")
        return 4
    except (SchemaTooNew, ConfigError) as problem:
        sys.stderr.write(f"cannot use the database: {problem}\n")
        return 2
    except duckdb.Error as exc:
        sys.stderr.write(f"cannot read {path} as a KM dashboard database: {str(exc).splitlines()[0]}\n")
        return 2
    for note in report.get("notes", []):
        sys.stderr.write(f"note: {note}\n")
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    else:
        _write_csv(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
