"""Output of ``data.admin check`` and ``freshness`` for monitoring systems.

``--format nagios``: one status line, then the details, with performance data after ``|``
(``label=value;warn;crit;min``), and the Nagios plugin exit codes: 0 OK, 1 WARNING,
2 CRITICAL, 3 UNKNOWN (the check itself could not run: database missing, locked, unreadable).
``--format json``: one object ``{"status", "exit_code", ...}`` with the same exit code.

``check``: any integrity problem is CRITICAL. ``freshness``: a stale source is WARNING, one
older than twice its limit is CRITICAL. Perfdata: ``problems`` (count), per kind
``<kind>_import_age_days`` and, for dated kinds, ``<kind>_data_age_days`` (whole days).
"""
from __future__ import annotations

import json
import sys

from data.ops.freshness import SourceAge

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATUS = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def emit_check(problems: list[str], fmt: str) -> int:
    """Print ``check``'s result in ``fmt`` (nagios or json); returns the exit code."""
    code = CRITICAL if problems else OK
    if fmt == "json":
        _write(json.dumps({"check": "integrity", "status": STATUS[code].lower(), "exit_code": code, "problems": problems}))
    else:
        summary = f"{len(problems)} problem(s): {problems[0]}" if problems else "no problems found"
        _write(f"KMDASH INTEGRITY {STATUS[code]} - {summary} | problems={len(problems)};;0;0\n"
               + "".join(f"{p}\n" for p in problems[1:]))
    return code


def _level(age: SourceAge) -> int:
    """WARNING past a limit, CRITICAL past twice a limit."""
    def over(value, limit, factor):
        return value is not None and limit is not None and value > limit * factor
    if over(age.age_days, age.limit_days, 2) or over(age.data_age_days, age.data_limit_days, 2):
        return CRITICAL
    return WARNING if age.stale else OK


def freshness_line(age: SourceAge) -> str:
    """One human line per source, as the text format prints it."""
    data = (f"; newest data {age.data_newest:%Y-%m-%d}, {age.data_age_days} days old (limit {age.data_limit_days})"
            if age.data_newest else "")
    return (f"{'STALE' if age.stale else 'ok'} {age.kind}: newest import {age.newest:%Y-%m-%d %H:%M} WIB, "
            f"{age.age_days} days old (limit {age.limit_days}){data}")


def emit_freshness(ages: list[SourceAge], fmt: str) -> int:
    """Print ``freshness``'s result in ``fmt`` (nagios or json); returns the exit code."""
    code = max([_level(a) for a in ages], default=WARNING)  # nothing imported yet is worth a look
    if fmt == "json":
        sources = [{"kind": a.kind, "newest_import": a.newest.isoformat(), "import_age_days": a.age_days,
                    "import_limit_days": a.limit_days, "newest_data": a.data_newest.isoformat() if a.data_newest else None,
                    "data_age_days": a.data_age_days, "data_limit_days": a.data_limit_days, "stale": a.stale,
                    "status": STATUS[_level(a)].lower()} for a in ages]
        _write(json.dumps({"check": "freshness", "status": STATUS[code].lower(), "exit_code": code, "sources": sources}))
        return code
    stale = [a.kind for a in ages if a.stale]
    summary = f"stale: {', '.join(stale)}" if stale else (f"{len(ages)} source(s) fresh" if ages else "no imports yet")
    perf = []
    for a in ages:
        perf.append(f"{a.kind}_import_age_days={a.age_days};{a.limit_days};{2 * a.limit_days};0")
        if a.data_age_days is not None:
            perf.append(f"{a.kind}_data_age_days={a.data_age_days};{a.data_limit_days};{2 * a.data_limit_days};0")
    _write(f"KMDASH FRESHNESS {STATUS[code]} - {summary} | {' '.join(perf)}\n"
           + "".join(f"{freshness_line(a)}\n" for a in ages))
    return code


def emit_unknown(message: str, fmt: str) -> int:
    """The check could not run: UNKNOWN (3) with the reason."""
    if fmt == "json":
        _write(json.dumps({"status": "unknown", "exit_code": UNKNOWN, "error": message}))
    else:
        _write(f"KMDASH UNKNOWN - {message}")
    return UNKNOWN
