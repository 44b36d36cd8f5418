"""Attendance: the online form (``rekap_kehadiran_cop.csv``) and printed sign-in sheets
(``daftar_hadir_<date>.xlsx``)."""

from __future__ import annotations

import datetime
import pathlib
import random

import openpyxl
from openpyxl.styles import Alignment

from data.demo.model import Activity, Agency, Attendance, DAYS_ID, Employee, JOB_TITLES, Programme
from data.demo.roster import printed_nip
from data.demo.sheets import indonesian_date, save_workbook, title_block, write_csv


def _draw_attendance(rng: random.Random, programme: Programme) -> list[Attendance]:
    """Attendees of every meeting: Jumlah Peserta people, ~10% of them from other agencies."""
    staff = programme.staff
    pools = {}
    for cop in programme.cops:
        members = staff[cop.agency.name]
        size = max(45, round(len(members) * rng.uniform(0.25, 0.6)))
        pools[cop.name] = rng.sample(members, min(size, len(members)))
    rows = []
    for activity in programme.activities:
        people = _pick_attendees(rng, activity, pools[activity.cop.name], programme.employees)
        roles = ["Narasumber", "Fasilitator"] + (["Narasumber"] if rng.random() < 0.15 else [])
        roles += ["Peserta"] * (len(people) - len(roles))
        start = datetime.datetime.combine(activity.held_on, datetime.time(8, 0))
        for person, role in zip(people, roles):
            submitted_at = start + datetime.timedelta(seconds=rng.randrange(4 * 3600))
            rows.append(Attendance(person, activity, role, submitted_at))
    return rows


def _pick_attendees(rng: random.Random, activity: Activity, pool: list[Employee],
                    everyone: list[Employee]) -> list[Employee]:
    guests = sum(rng.random() < 0.10 for _ in range(activity.participants))
    people = rng.sample(pool, min(activity.participants - guests, len(pool)))
    chosen = {person.nip for person in people}
    while len(people) < activity.participants:
        person = rng.choice(everyone)
        if person.agency != activity.cop.agency and person.nip not in chosen:
            people.append(person)
            chosen.add(person.nip)
    return people


def _messy_agency(rng: random.Random, agency: Agency) -> str:
    """The agency as people type it into a form: case, spaces, suffix, abbreviation, alias."""
    name, short = agency.name, agency.abbreviation
    forms = (name, " " + name, name.upper(), name.lower(), name + " Provinsi DKI Jakarta",
             short, short.lower(), rng.choice(agency.aliases) if agency.aliases else short.upper(),
             name.replace(" ", "  ", 1), name + " ")
    return rng.choices(forms, weights=(40, 8, 10, 10, 8, 10, 6, 5, 2, 1))[0]


def write_attendance(folder: pathlib.Path, programme: Programme, rng: random.Random,
                     stamp: datetime.datetime) -> list[pathlib.Path]:
    """The online-form CSV and two printed sign-in sheets (their meetings are not in the CSV)."""
    attendance = _draw_attendance(rng, programme)
    paper = _pick_paper_meetings(rng, programme.activities)
    online = sorted((a for a in attendance if a.activity not in paper),
                    key=lambda a: (a.submitted_at, a.employee.nip))
    rows = []
    for entry in online:
        activity = entry.activity
        employee = entry.employee
        row = [f"{entry.submitted_at:%d/%m/%Y %H:%M:%S}", employee.name,
               printed_nip(rng, employee.nip, 0.20, 0.01), _messy_agency(rng, employee.agency),
               activity.cop.name, activity.title, f"{activity.held_on:%d/%m/%Y}", entry.role]
        rows.extend([row, row] if rng.random() < 0.01 else [row])
    header = ["Timestamp", "Nama Lengkap", "NIP", "Perangkat Daerah", "Nama CoP", "Nama Kegiatan",
              "Tanggal Kegiatan", "Peran"]
    paths = [write_csv(folder / "rekap_kehadiran_cop.csv", header, rows)]
    for activity in paper:
        entries = [a for a in attendance if a.activity == activity]
        paths.append(_write_sign_in_sheet(folder, activity, entries, rng, stamp))
    return paths


def _pick_paper_meetings(rng: random.Random, activities: list[Activity]) -> list[Activity]:
    """Two meetings on different days of the last year, small enough for one printed page."""
    newest = activities[-1].held_on
    candidates = [a for a in activities
                  if 10 <= a.participants <= 30 and (newest - a.held_on).days <= 365]
    first = rng.choice(candidates)
    second = rng.choice([a for a in candidates if a.held_on != first.held_on])
    return sorted([first, second], key=lambda a: a.held_on)


def _write_sign_in_sheet(folder: pathlib.Path, activity: Activity, entries: list[Attendance],
                         rng: random.Random, stamp: datetime.datetime) -> pathlib.Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Daftar Hadir"
    day = activity.held_on
    title_block(sheet, [f"DAFTAR HADIR KEGIATAN {activity.cop.name.upper()}",
                         f"Kegiatan : {activity.title}",
                         f"Hari/Tanggal : {DAYS_ID[day.weekday()]}, {indonesian_date(day)}",
                         f"Tempat : Ruang Rapat {activity.cop.agency.abbreviation}"], last_column=7)
    header = ["No", "Nama", "NIP", "Jabatan", "Unit Kerja", "Peran", "Tanda Tangan"]
    for column, label in enumerate(header, start=1):
        sheet.cell(row=6, column=column, value=label).alignment = Alignment(horizontal="center")
    for number, entry in enumerate(entries, start=1):
        sheet.append([number, entry.employee.name, printed_nip(rng, entry.employee.nip, 0.30, 0.0),
                      rng.choice(JOB_TITLES), entry.employee.agency.name, entry.role])
    for number in range(len(entries) + 1, len(entries) + 4):
        sheet.append([number])
    return save_workbook(book, folder / f"daftar_hadir_{day.isoformat()}.xlsx", stamp)
