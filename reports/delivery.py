"""Sending reports by e-mail: one-off (``send_report``), by subscription (``run_due``), and
an alert when an agency's year-end projection turns at risk.

- SMTP: the ``smtp_*`` settings (``data.config``; ``KMDASH_SMTP_HOST`` ... ``_STARTTLS``).
  One message per recipient (nobody sees the other addresses), the one-page PDF attached.
- Subscriptions (table ``report_subscription``, edited by Pusdatin on *Data & impor*): an
  address gets the province's report or one agency's, ``monthly`` (due when nothing was sent
  to it in the current WIB calendar month) or ``weekly`` (in the current ISO week). The
  timer (``deploy/kmdash-reports.timer``) runs ``python -m reports run-due`` daily, so a
  monthly report leaves on the first run of each month, a weekly one on the first of each week.
- Alerts: ``run_due`` compares each agency's projection status (``metrics.projection``) with
  the last-known one (table ``skpd_risk_state``). An agency whose status moves from outside
  ``metrics.outlook.RISK_STATUSES`` into it (at_risk or off_track) gets exactly one alert to
  every subscriber with ``alerts`` of the province's report or of that agency's. Moving
  between at_risk and off_track is no new alert. The first run of a year records the
  statuses without alerting (there is no change to report yet); an alert that failed to go
  out leaves the old status, so the next run tries again.
- Every message sent is audited (``data.ops.audit.record_event``, action ``send``).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import duckdb
import pandas as pd

from data.ops.audit import record_event
from data.config import ConfigError, Settings, operator_name, settings
from data.store.connection import connect, db_path
from data.intake.values import WIB
from metrics.kpi import Scope
from metrics.outlook import RISK_STATUSES
from metrics.overview import available_years
from metrics.projection import project_skpd
from reports.content import AgencyReport, ProvinceReport, agency_report, province_report
from reports.fmt import Formats
from reports.texts import Texts

log = logging.getLogger(__name__)
FREQUENCIES = ("monthly", "weekly")
LANGS = ("id", "en")
PROVINCE = ""                       # report_subscription.skpd of the province's report
_ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
SMTP_TIMEOUT_S = 30


def _now() -> dt.datetime:
    return dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)


def parse_addresses(text: str) -> list[str]:
    """``a@x.go.id, b@y.go.id`` -> the addresses, lower case, in order, without repeats.

    Raises:
        ValueError: none given, or one that is not an e-mail address (named).
    """
    addresses = list(dict.fromkeys(a.strip().lower() for a in re.split(r"[,;\s]+", text or "") if a.strip()))
    if not addresses:
        raise ValueError("no e-mail address given")
    bad = [a for a in addresses if not _ADDRESS.match(a)]
    if bad:
        raise ValueError(f"not an e-mail address: {', '.join(bad)}")
    return addresses


def smtp_settings(config: Settings | None = None) -> Settings:
    """The settings, checked for sending.

    Raises:
        ConfigError: ``KMDASH_SMTP_HOST`` or ``KMDASH_SMTP_FROM`` unset, or a user without a password.
    """
    config = config or settings()
    missing = [env for env, value in (("KMDASH_SMTP_HOST", config.smtp_host), ("KMDASH_SMTP_FROM", config.smtp_from))
               if not value]
    if missing:
        raise ConfigError(f"cannot send e-mail: set {' and '.join(missing)} (docs/deployment.md, Settings)")
    if config.smtp_user and not config.smtp_password:
        raise ConfigError("KMDASH_SMTP_USER is set without KMDASH_SMTP_PASSWORD")
    return config


def message(sender: str, to: str, subject: str, body: str, pdf: Path | None = None) -> EmailMessage:
    """One e-mail (plain text, UTF-8) to ``to``, with ``pdf`` attached when given."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"], msg["Message-ID"] = formatdate(localtime=False), make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg.set_content(body)
    if pdf is not None:
        msg.add_attachment(Path(pdf).read_bytes(), maintype="application", subtype="pdf", filename=Path(pdf).name)
    return msg


def deliver(messages: list[EmailMessage], config: Settings) -> None:
    """Send ``messages`` over one SMTP connection (STARTTLS and login as the settings say).

    Raises:
        OSError / smtplib.SMTPException: the server refused or could not be reached.
    """
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
        if config.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password)
        for msg in messages:
            smtp.send_message(msg)


def _scope_name(report, words: Texts) -> str:
    return report.skpd if isinstance(report, AgencyReport) else words["province"]


def report_file_name(report: ProvinceReport | AgencyReport) -> str:
    """``laporan_km_2026.pdf`` or ``laporan_km_2026_Dinas_Kesehatan.pdf``."""
    stem = f"laporan_km_{report.year}"
    if isinstance(report, AgencyReport):
        stem += "_" + re.sub(r"[^A-Za-z0-9]+", "_", report.skpd).strip("_")
    return stem + ".pdf"


def report_message(report: ProvinceReport | AgencyReport, to: str, pdf: Path, sender: str, lang: str) -> EmailMessage:
    """The report's e-mail to ``to`` with the PDF ``pdf`` attached, in ``lang``."""
    words, fmt = Texts(lang), Formats(lang)
    scope = _scope_name(report, words)
    return message(sender, to, words["mail_subject"].format(scope=scope, year=report.year),
                   words["mail_body"].format(scope=scope, year=report.year, made=fmt.stamp(report.made_at),
                                             version=report.version), pdf)


def send_report(report: ProvinceReport | AgencyReport, addresses: list[str], *, db=None, lang: str = "id",
                username: str | None = None, instance=None) -> int:
    """Render ``report``'s PDF and e-mail it to each of ``addresses`` (one message each);
    each message sent is audited. Returns the number sent.

    Raises:
        ConfigError: SMTP settings missing. reports.render.RenderError: the PDF failed.
        OSError / smtplib.SMTPException: the server failed (what was sent before is audited).
    """
    from reports.pdf import write_pdf
    config = smtp_settings()
    with tempfile.TemporaryDirectory(prefix="kmdash-report-") as tmp:
        pdf = write_pdf(report, Path(tmp) / report_file_name(report), lang, instance=instance)
        sent = 0
        for address in addresses:
            deliver([report_message(report, address, pdf, config.smtp_from, lang)], config)
            _audit(db, username, f"report {_scope_name(report, Texts('en'))} {report.year} ({pdf.name}, "
                                 f"data version {report.version}) e-mailed to {address}")
            sent += 1
    return sent


def _audit(db, username: str | None, detail: str) -> None:
    record_event(db, username or operator_name(), "send", detail)


# --- subscriptions -------------------------------------------------------------------------

def subscriptions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every subscription, by address then report: address, skpd ('' = province), frequency,
    lang, alerts (bool), created_at, created_by, last_sent_at (WIB; NaT = never)."""
    return con.execute("SELECT address, skpd, frequency, lang, alerts, created_at, created_by, last_sent_at "
                       "FROM report_subscription ORDER BY address, skpd").df()


def agency_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Official names of every agency in the agency table, sorted (the choices of a subscription)."""
    return [r[0] for r in con.execute("SELECT name FROM skpd ORDER BY name").fetchall()]


def subscribe(con: duckdb.DuckDBPyConnection, address: str, skpd: str | None, frequency: str, *, lang: str = "id",
              alerts: bool = True, by: str) -> None:
    """Add or change the subscription of ``address`` to the province's report (``skpd`` None
    or '') or one agency's (official name).

    Raises:
        ValueError: a bad address, frequency, language or an unknown agency.
    """
    (address,) = parse_addresses(address)[:1]
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}, not {frequency!r}")
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    skpd = skpd or PROVINCE
    if skpd and not con.execute("SELECT count(*) FROM skpd WHERE name = ?", [skpd]).fetchall()[0][0]:
        raise ValueError(f"unknown agency {skpd!r}: use its official name")
    con.execute("INSERT INTO report_subscription VALUES (?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (address, skpd) "
                "DO UPDATE SET frequency = excluded.frequency, lang = excluded.lang, alerts = excluded.alerts",
                [address, skpd, frequency, lang, bool(alerts), _now(), by])


def unsubscribe(con: duckdb.DuckDBPyConnection, address: str, skpd: str | None) -> bool:
    """Remove one subscription; False when there was none."""
    gone = con.execute("DELETE FROM report_subscription WHERE address = ? AND skpd = ? RETURNING address",
                       [address.strip().lower(), skpd or PROVINCE]).fetchall()
    return bool(gone)


def is_due(frequency: str, last_sent: dt.datetime | None, today: dt.date) -> bool:
    """Monthly: the last sending (WIB) was in a calendar month before ``today``'s; weekly: in an
    ISO week before ``today``'s. A sending stamped in a later period than ``today`` (a run for a
    past day, ``--today``) is not due again."""
    if last_sent is None or pd.isna(last_sent):
        return True
    sent = pd.Timestamp(last_sent).date()
    if frequency == "weekly":
        return tuple(sent.isocalendar()[:2]) < tuple(today.isocalendar()[:2])
    return (sent.year, sent.month) < (today.year, today.month)


# --- the daily run -------------------------------------------------------------------------

@dataclass
class RunSummary:
    """What ``run_due`` did: reports sent, alerts sent, failures (messages), statuses recorded."""

    year: int | None = None
    sent: int = 0
    alerts: int = 0
    statuses: int = 0
    failed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"year={self.year} reports_sent={self.sent} alerts_sent={self.alerts} statuses_recorded={self.statuses}"
        return text + "".join(f"\nfailed: {f}" for f in self.failed)


def _year(con, today: dt.date) -> int | None:
    years = [y for y in available_years(con) if y <= today.year]
    return years[0] if years else None


def risk_changes(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    """Agencies whose status moved into ``RISK_STATUSES`` from a known status outside it."""
    return sorted(s for s, status in current.items()
                  if status in RISK_STATUSES and s in previous and previous[s] not in RISK_STATUSES)


def _alert(row: dict, old: str, year: int, version: str, sender: str, to: str, lang: str) -> EmailMessage:
    words, fmt = Texts(lang), Formats(lang)
    rate = row["users_now"] / row["headcount"] if row["headcount"] else None
    return message(sender, to, words["alert_subject"].format(skpd=row["skpd"], year=year),
                   words["alert_body"].format(skpd=row["skpd"], year=year, old=words.status(old),
                                              new=words.status(row["status"]), rate=fmt.pct(rate),
                                              projected=fmt.pct(row["projected_rate"]),
                                              band=fmt.band(row["projected_rate_low"], row["projected_rate_high"]),
                                              target=fmt.target(row["utilisation_target"]), version=version))


def run_due(db=None, *, today: dt.date | None = None, username: str | None = None) -> RunSummary:
    """Send every subscription that is due and every at-risk alert, then record what was
    sent (``last_sent_at``) and the statuses seen (``skpd_risk_state``). A failed message
    is listed in the summary and retried at the next run; the others still go out.

    Raises:
        ConfigError: SMTP settings missing while something is due.
        DatabaseBusy, SchemaTooNew: as ``data.store.connection.connect``.
    """
    from reports.pdf import write_pdf
    from reports.render import browser
    today = today or _now().date()
    path = db_path(db)
    summary = RunSummary()
    with connect(path, read_only=True) as con:
        summary.year = year = _year(con, today)
        if year is None:
            return summary
        subs = subscriptions(con)
        # a boolean Series, not a list: an empty list would select no columns of a table with no rows
        due = subs[pd.Series([is_due(f, s, today) for f, s in zip(subs["frequency"], subs["last_sent_at"])],
                             index=subs.index, dtype=bool)]
        reports = {skpd: (agency_report(con, year, skpd) if skpd else province_report(con, year))
                   for skpd in dict.fromkeys(due["skpd"]) if not skpd or _in_recap(con, year, skpd)}
        projections = project_skpd(con, year)
        previous = dict(con.execute("SELECT skpd, status FROM skpd_risk_state WHERE year = ?", [year]).fetchall())
        version = next(iter(reports.values())).version if reports else None
    current = dict(zip(projections["skpd"], projections["status"]))
    changed = risk_changes(previous, current)
    if due.empty and not changed:
        summary.statuses = _record_statuses(path, year, previous, current, set())
        return summary
    config = smtp_settings()
    sent_to: list[tuple[str, str]] = []
    with browser() as chrome, tempfile.TemporaryDirectory(prefix="kmdash-run-due-") as tmp:
        pdfs: dict[tuple[str, str], Path] = {}
        for sub in due.to_dict("records"):
            report = reports.get(sub["skpd"])
            if report is None:
                summary.failed.append(f"{sub['address']}: {sub['skpd']} is not in the {year} headcount recap")
                continue
            try:
                key = (sub["skpd"], sub["lang"])
                if key not in pdfs:
                    pdfs[key] = write_pdf(report, Path(tmp) / sub["lang"] / report_file_name(report), sub["lang"],
                                          instance=chrome)
                deliver([report_message(report, sub["address"], pdfs[key], config.smtp_from, sub["lang"])], config)
            except (OSError, smtplib.SMTPException) as exc:
                summary.failed.append(f"{sub['address']}: {exc}")
                continue
            sent_to.append((sub["address"], sub["skpd"]))
            summary.sent += 1
            _audit(path, username, f"{sub['frequency']} report {sub['skpd'] or 'province'} {year} e-mailed to "
                                   f"{sub['address']} (subscription)")
        _mark_sent(path, sent_to)
        version = version or _version(path)
        failed_alerts: set[str] = set()
        rows = {r["skpd"]: r for r in projections.to_dict("records")}
        for skpd in changed:
            for sub in subs[subs["alerts"] & subs["skpd"].isin([PROVINCE, skpd])].to_dict("records"):
                try:
                    deliver([_alert(rows[skpd], previous[skpd], year, version, config.smtp_from, sub["address"],
                                    sub["lang"])], config)
                except (OSError, smtplib.SMTPException) as exc:
                    summary.failed.append(f"alert {skpd} to {sub['address']}: {exc}")
                    failed_alerts.add(skpd)
                    continue
                summary.alerts += 1
                _audit(path, username, f"alert: {skpd} {previous[skpd]} -> {current[skpd]} ({year}) e-mailed to "
                                       f"{sub['address']}")
    summary.statuses = _record_statuses(path, year, previous, current, failed_alerts)
    return summary


def _in_recap(con, year: int, skpd: str) -> bool:
    return not project_skpd(con, year, scope=Scope(skpd)).empty


def _version(path) -> str:
    from metrics.overview import data_version
    with connect(path, read_only=True) as con:
        return data_version(con)


def _mark_sent(path, sent_to: list[tuple[str, str]]) -> None:
    if not sent_to:
        return
    with connect(path) as con:
        con.executemany("UPDATE report_subscription SET last_sent_at = ? WHERE address = ? AND skpd = ?",
                        [[_now(), address, skpd] for address, skpd in sent_to])


def _record_statuses(path, year: int, previous: dict, current: dict, keep_old: set[str]) -> int:
    """Store the statuses seen (but the old one of an agency whose alert failed); returns how many changed."""
    rows = [[year, skpd, status, _now()] for skpd, status in current.items()
            if previous.get(skpd) != status and skpd not in keep_old]
    if rows:
        with connect(path) as con:
            con.executemany("INSERT INTO skpd_risk_state VALUES (?, ?, ?, ?) ON CONFLICT (year, skpd) DO UPDATE "
                            "SET status = excluded.status, seen_at = excluded.seen_at", rows)
    return len(rows)
