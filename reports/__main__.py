"""The command line of the reports package.

``python -m reports pdf|pptx --year Y [--skpd NAME] [--db FILE] [--lang id|en] --out FILE``
writes the one-page PDF or the slides of the province (or of one agency).
``python -m reports send --to A[,B...] [--year Y] [--skpd NAME] [--db FILE] [--lang id|en]``
e-mails the PDF through the SMTP server of the settings.
``python -m reports run-due [--db FILE] [--today YYYY-MM-DD]`` sends the subscriptions that
are due and the at-risk alerts (run daily by ``deploy/kmdash-reports.timer``).

Exit codes: 0 done; 2 wrong usage, unknown agency, no data for the year, or unusable
database/settings; 3 rendering or sending failed (nothing half-sent is recorded as sent);
4 database locked.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from data.command import command, year_arg
from data.errors import ConfigError, DatabaseBusy, SchemaTooNew
from data.logging_setup import configure_logging
from data.store.connection import connect, db_path
from metrics.report import UnknownSkpd, resolve_skpd
from reports.content import ReportError, agency_report, province_report
from reports.render import RenderError


def load_report(db, year: int | None, skpd: str | None):
    """The province's or ``skpd``'s report of ``year`` (None: the newest year with data) from ``db``.

    Raises:
        ReportError: no database, unknown agency, or no data for the year.
        DatabaseBusy, SchemaTooNew, ConfigError, duckdb.Error: as ``data.store.connection.connect``.
    """
    from metrics.overview import available_years
    path = db_path(db)
    if not path.exists():
        raise ReportError(f"no database at {path}; import exports first with python -m data.ingest")
    with connect(path, read_only=True) as con:
        try:
            skpd = resolve_skpd(con, skpd)
        except UnknownSkpd as unknown:
            raise ReportError(str(unknown)) from None
        if year is None:
            years = available_years(con)
            if not years:
                raise ReportError(f"{path} holds no data yet")
            year = years[0]
        return agency_report(con, year, skpd) if skpd else province_report(con, year)


def _file(args, report) -> int:
    if args.command == "pdf":
        from reports.pdf import write_pdf
        write_pdf(report, Path(args.out), args.lang)
    else:
        from reports.slides import write_pptx
        write_pptx(report, Path(args.out), args.lang)
    sys.stdout.write(f"{args.out}\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m reports", description="Meeting-ready reports of the KM programme.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, what in (("pdf", "one-page A4 PDF"), ("pptx", "slides (PPTX)")):
        cmd = sub.add_parser(name, help=f"write the {what}")
        cmd.add_argument("--year", type=year_arg, required=True, help="calendar year (WIB)")
        cmd.add_argument("--out", required=True, help="file to write")
    send = sub.add_parser("send", help="e-mail the PDF through the SMTP server of the settings")
    send.add_argument("--to", required=True, help="address[,address...]")
    send.add_argument("--year", type=year_arg, help="calendar year (WIB; default: the newest with data)")
    due = sub.add_parser("run-due", help="send the subscriptions that are due and the at-risk alerts")
    due.add_argument("--today", help="the date to act as (YYYY-MM-DD, WIB; default: today)")
    for cmd in (sub.choices["pdf"], sub.choices["pptx"], send):
        cmd.add_argument("--skpd", help="one agency (official name, abbreviation or alias) instead of the province")
        cmd.add_argument("--lang", choices=("id", "en"), default="id", help="language (default id)")
    for cmd in sub.choices.values():
        cmd.add_argument("--db", help="database file (default: $KMDASH_DB or data/kmdash.duckdb)")
    return parser


@command
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    configure_logging()
    try:
        if args.command in ("pdf", "pptx"):
            return _file(args, load_report(args.db, args.year, args.skpd))
        from reports import delivery
        if args.command == "send":
            addresses = delivery.parse_addresses(args.to)
            delivery.send_report(load_report(args.db, args.year, args.skpd), addresses, db=args.db, lang=args.lang)
            sys.stdout.write(f"sent to {', '.join(addresses)}\n")
            return 0
        import datetime as dt
        summary = delivery.run_due(args.db, today=dt.date.fromisoformat(args.today) if args.today else None)
        sys.stdout.write(f"{summary}\n")
        return 3 if summary.failed else 0
    except (ReportError, ConfigError, SchemaTooNew, ValueError) as problem:
        sys.stderr.write(f"{problem}\n")
        return 2
    except DatabaseBusy as busy:
        sys.stderr.write(f"{busy}\n")
        return 4
    except duckdb.Error as exc:
        sys.stderr.write(f"cannot read the database: {str(exc).splitlines()[0]}\n")
        return 2
    except (RenderError, OSError) as problem:
        sys.stderr.write(f"failed: {problem}\n")
        return 3


if __name__ == "__main__":
    sys.exit(main())
