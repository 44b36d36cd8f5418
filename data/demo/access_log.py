"""Monthly portal access logs (``log_akses_portal_km_YYYY-MM.csv``): overlapping days, two shapes,
UTC times, noise."""

from __future__ import annotations

import bisect
import collections
import datetime
import math
import pathlib
import random

from data.demo.model import (ACTIONS_EN, ACTIONS_ID, ACTION_CUM_WEIGHTS, Asset, ENGLISH_LOG_FROM, Event,
                             HOUR_WEIGHTS, PROGRAMME_START, Programme, UTC_LOG_FROM)
from data.demo.roster import draw_nip
from data.demo.sheets import write_csv


class _PublishedAssets:
    """Published asset ids by publish date, overall and per agency, for picking what was readable."""

    def __init__(self, assets: list[Asset]):
        published = sorted((a for a in assets if a.published_on),
                           key=lambda a: (a.published_on, a.asset_id))
        self.first_day = published[0].published_on
        self.days = [a.published_on for a in published]
        self.ids = [a.asset_id for a in published]
        self.by_agency: dict[str, tuple[list, list]] = collections.defaultdict(lambda: ([], []))
        for asset in published:
            days, ids = self.by_agency[asset.cop.agency.name]
            days.append(asset.published_on)
            ids.append(asset.asset_id)

    def pick(self, rng: random.Random, agency: str, day: datetime.date) -> str:
        """An asset published before ``day``: about half the time one of the reader's agency."""
        if rng.random() < 0.5 and agency in self.by_agency:
            days, ids = self.by_agency[agency]
            readable = bisect.bisect_left(days, day)
            if readable:
                return ids[rng.randrange(readable)]
        return self.ids[rng.randrange(bisect.bisect_left(self.days, day))]


def _adoption_share(rng: random.Random) -> float:
    """The share of an agency's staff who become portal users: some lag, some lead."""
    band = rng.random()
    if band < 0.2:
        return rng.uniform(0.08, 0.20)
    return rng.uniform(0.50, 0.75) if band > 0.78 else rng.uniform(0.30, 0.55)


def draw_access_events(rng: random.Random, programme: Programme, today: datetime.date) -> list[Event]:
    """Access events up to the day before ``today``, plus ~1% rows that can never count."""
    published = _PublishedAssets(programme.assets)
    start = datetime.datetime.combine(published.first_day + datetime.timedelta(days=1), datetime.time())
    end = datetime.datetime.combine(today, datetime.time())
    hours, hour_weights = list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values())
    events: list[Event] = []
    for agency, staff in programme.staff.items():
        for employee in rng.sample(staff, round(len(staff) * _adoption_share(rng))):
            for at in _user_times(rng, start, end, hours, hour_weights):
                asset_id = published.pick(rng, agency, at.date())
                action = rng.choices(range(4), cum_weights=ACTION_CUM_WEIGHTS)[0]
                near_midnight = at.hour < 2 and (at.year, at.month) >= UTC_LOG_FROM
                utc = rng.choice(("Z", "+00:00")) if near_midnight else ""
                events.append((at, employee.nip, asset_id, action, utc))
    return events + _noise_events(rng, events, programme)


def _user_times(rng: random.Random, start: datetime.datetime, end: datetime.datetime,
                hours: list[int], hour_weights: list[float]) -> list[datetime.datetime]:
    """One user's event times: adopted on a growing curve, then a personal rate a month."""
    span_s = (end - start).total_seconds()
    adopted = start + datetime.timedelta(seconds=span_s * rng.random() ** (1 / 1.5))
    months = (end - adopted).total_seconds() / (30.4 * 86400)
    count = 1 + round(math.exp(rng.gauss(1.0, 0.9)) * months * rng.uniform(0.7, 1.3))
    first_day = adopted.date()
    days_left = max((end.date() - first_day).days, 1)
    times = []
    for index in range(count):
        day = first_day + datetime.timedelta(days=rng.randrange(days_left) if index else 0)
        seconds = rng.choices(hours, weights=hour_weights)[0] * 3600 + rng.randrange(3600)
        midnight = datetime.datetime.combine(day, datetime.time())
        times.append(midnight + datetime.timedelta(seconds=seconds))
    return times


def _noise_events(rng: random.Random, events: list[Event], programme: Programme) -> list[Event]:
    """Rows a real log carries: no NIP, 17-digit NIP, NIP not in the roster, unknown asset."""
    known = {employee.nip for employee in programme.employees}
    next_number = len(programme.assets) + 1
    noise = []
    for cause, share in (("guest", 0.003), ("short", 0.003), ("stranger", 0.002), ("orphan", 0.002)):
        for _ in range(round(len(events) * share)):
            at, nip, asset_id, action, utc = rng.choice(events)
            if cause == "guest":
                nip = rng.choice(("", "-"))
            elif cause == "short":
                cut = rng.randrange(18)
                nip = nip[:cut] + nip[cut + 1:]
            elif cause == "stranger":
                nip = draw_nip(rng, "PNS", known)
            else:
                asset_id = f"AP-{at.year}-{rng.randint(next_number, next_number + 400):05d}"
            noise.append((at, nip, asset_id, action, utc))
    return noise


def _months(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def write_access_logs(folder: pathlib.Path, events: list[Event],
                      today: datetime.date) -> list[pathlib.Path]:
    """One CSV per month; each file starts with the previous month's last day again."""
    events = sorted(events)
    by_month: dict[tuple[int, int], list[Event]] = collections.defaultdict(list)
    for event in events:
        by_month[(event[0].year, event[0].month)].append(event)
    paths = []
    months = _months(PROGRAMME_START, today)
    for position, month in enumerate(months):
        rows = by_month[month]
        if position:
            previous = by_month[months[position - 1]]
            last_day = datetime.date(*month, 1) - datetime.timedelta(days=1)
            rows = [e for e in previous if e[0].date() == last_day] + rows
        paths.append(_write_log_file(folder / f"log_akses_portal_km_{month[0]}-{month[1]:02d}.csv",
                                     rows, english=month >= ENGLISH_LOG_FROM))
    return paths


def _write_log_file(path: pathlib.Path, events: list[Event], *, english: bool) -> pathlib.Path:
    if not english:
        rows = [[at.isoformat(sep=" "), nip, asset_id, ACTIONS_ID[action]]
                for at, nip, asset_id, action, _ in events]
        return write_csv(path, ["Waktu Akses", "NIP", "ID Aset", "Aktivitas"], rows)
    utc_shift = datetime.timedelta(hours=7)
    rows = [[(at - utc_shift).isoformat() + utc if utc else at.isoformat() + "+07:00",
             nip, asset_id, ACTIONS_EN[action]] for at, nip, asset_id, action, utc in events]
    return write_csv(path, ["timestamp", "user_nip", "asset_id", "action"], rows)
