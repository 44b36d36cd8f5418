"""CoPs and their meetings (``rekap_kegiatan_cop.xlsx``)."""

from __future__ import annotations

import collections
import datetime
import pathlib
import random

import openpyxl
from openpyxl.styles import Font

from data.demo.model import (Activity, Agency, Cop, FIRST_MEETING, MENTORS, PROGRAMME_START, ROMAN,
                             SESSION_WORDS, THEMES)
from data.demo.sheets import date_cell, save_workbook, title_block


def draw_cops(rng: random.Random, agencies: list[Agency], today: datetime.date) -> list[Cop]:
    """One or two CoPs per agency (about 75); a few second CoPs only start in 2026."""
    cops = []
    for agency in agencies:
        themes = rng.sample(THEMES, 2 if rng.random() < 0.47 else 1)
        for position, theme in enumerate(themes):
            started_on = PROGRAMME_START
            if position == 1 and rng.random() < 0.15:
                started_on = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randrange(110))
            cop = Cop(f"CoP {theme} {agency.abbreviation}", agency, theme, started_on,
                      rng.choice(MENTORS), rng.random())
            if started_on <= today:
                cops.append(cop)
    return cops


def _quarters(first: datetime.date, last: datetime.date):
    """Yield (start, end, label) of every quarter from the one holding ``first`` up to ``last``."""
    year, quarter = first.year, (first.month - 1) // 3
    while (start := datetime.date(year, 3 * quarter + 1, 1)) <= last:
        next_year, next_quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
        end = datetime.date(next_year, 3 * next_quarter + 1, 1) - datetime.timedelta(days=1)
        yield start, end, f"TW {ROMAN[quarter]} {year}"
        year, quarter = next_year, next_quarter


def _quarter_label(day: datetime.date) -> str:
    return f"TW {ROMAN[(day.month - 1) // 3]} {day.year}"


def draw_activities(rng: random.Random, cops: list[Cop], headcounts: dict[str, tuple[int, int]],
                    today: datetime.date) -> list[Activity]:
    """Meetings: 1-3 a quarter per CoP, sleepy CoPs skip quarters; sorted by date."""
    activities: list[Activity] = []
    for cop in cops:
        size = sum(headcounts[cop.agency.name])
        for start, end, _ in _quarters(cop.started_on, today):
            first, last = max(start, cop.started_on, FIRST_MEETING), min(end, today)
            if first > last or rng.random() < 0.05 + 0.3 * (1 - cop.liveliness):
                continue
            for held_on in _meeting_dates(rng, first, last, cop.liveliness):
                activities.append(_draw_activity(rng, cop, len(activities) + 1, held_on, size))
    return sorted(activities, key=lambda a: (a.held_on, a.cop.name, a.title))


def _meeting_dates(rng: random.Random, first: datetime.date, last: datetime.date,
                   liveliness: float) -> list[datetime.date]:
    count = rng.choices((1, 2, 3), weights=(1.5 - liveliness, 1.0, 0.3 + liveliness))[0]
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5]
    return sorted(rng.sample(weekdays, min(count, len(weekdays))))


def _draw_activity(rng: random.Random, cop: Cop, number: int, held_on: datetime.date,
                   agency_size: int) -> Activity:
    accompanied = rng.random() < 0.65
    mentor = (cop.mentor if rng.random() < 0.85 else rng.choice(MENTORS)) if accompanied else ""
    title = f"Berbagi Pengetahuan {rng.choice(SESSION_WORDS)} {number}"
    participants = rng.randint(8, 20) + agency_size // 50
    return Activity(cop, title, held_on, accompanied, mentor, participants)


def write_activity_register(folder: pathlib.Path, activities: list[Activity],
                            stamp: datetime.datetime) -> pathlib.Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rekap Kegiatan"
    title_block(sheet, ["REKAPITULASI KEGIATAN KOMUNITAS PEMBELAJAR (COP) PERANGKAT DAERAH",
                         "Pendampingan Knowledge Management BPSDM"], last_column=9)
    header = ["No", "Triwulan", "Perangkat Daerah", "Nama CoP", "Nama Kegiatan", "Tanggal Kegiatan",
              "Didampingi", "Pendamping", "Jumlah Peserta"]
    for column, label in enumerate(header, start=1):
        sheet.cell(row=4, column=column, value=label).font = Font(bold=True)
    quarter_rows: dict[str, list[int]] = collections.defaultdict(list)
    for number, activity in enumerate(activities, start=1):
        row, label = number + 4, _quarter_label(activity.held_on)
        quarter_rows[label].append(row)
        sheet.append([number, label if len(quarter_rows[label]) == 1 else None,
                      activity.cop.agency.name, activity.cop.name, activity.title, None,
                      "Ya" if activity.accompanied else "Tidak", activity.mentor or None,
                      activity.participants])
        date_cell(sheet, row, 6, activity.held_on)
    for rows in quarter_rows.values():
        if len(rows) > 1:
            sheet.merge_cells(start_row=rows[0], start_column=2, end_row=rows[-1], end_column=2)
    return save_workbook(book, folder / "rekap_kegiatan_cop.xlsx", stamp)
