"""The roster (``daftar_pegawai.csv``): employees with NIPs as the field prints them."""

from __future__ import annotations

import datetime
import pathlib
import random

from data.demo.model import (Agency, BIG_DINAS, DEGREES, Employee, FAMILY, FEMALE, FIELD_HEAVY,
                             HEADCOUNT_RANGES, MALE, PREFIXES, Programme)
from data.demo.sheets import write_csv


def _headcount_range(agency: Agency) -> tuple[int, int]:
    if agency.name in BIG_DINAS:
        return 420, 620
    if agency.name in FIELD_HEAVY:
        return 260, 400
    return HEADCOUNT_RANGES.get(agency.kind, (90, 200))


def draw_headcounts(rng: random.Random, agencies: list[Agency]) -> dict[str, tuple[int, int]]:
    """(PNS, PPPK) per agency name: about 12,000 in all, about 20% PPPK."""
    headcounts = {}
    for agency in agencies:
        total = rng.randint(*_headcount_range(agency))
        pppk = round(total * rng.uniform(0.12, 0.28))
        headcounts[agency.name] = (total - pppk, pppk)
    return headcounts


def draw_roster(rng: random.Random, agencies: list[Agency],
                headcounts: dict[str, tuple[int, int]]) -> list[Employee]:
    taken: set[str] = set()
    employees = []
    for agency in agencies:
        pns, pppk = headcounts[agency.name]
        statuses = ["PNS"] * pns + ["PPPK"] * pppk
        rng.shuffle(statuses)
        for status in statuses:
            nip = draw_nip(rng, status, taken)
            employees.append(Employee(nip, _draw_name(rng, nip[14]), agency, status))
    return employees


def draw_nip(rng: random.Random, status: str, taken: set[str]) -> str:
    """An unused 18-digit NIP: birth date, appointment (PPPK: year + ``21``), sex, sequence."""
    while True:
        birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=rng.randrange(35 * 365))
        if status == "PNS":
            year = min(max(birth.year + rng.randint(21, 34), 1986), 2025)
            appointment = f"{year}{rng.randint(1, 12):02d}"
        else:
            appointment = f"{rng.randint(2021, 2025)}21"
        nip = f"{birth:%Y%m%d}{appointment}{rng.choice('12')}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def _draw_name(rng: random.Random, sex: str) -> str:
    name = f"{rng.choice(MALE if sex == '1' else FEMALE)} {rng.choice(FAMILY)}"
    if rng.random() < 0.12:
        name = f"{rng.choice(PREFIXES)} {name}"
    if rng.random() < 0.55:
        name = f"{name}, {rng.choice(DEGREES)}"
    return name


def _spaced(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def printed_nip(rng: random.Random, nip: str, spaced_share: float, apostrophe_share: float) -> str:
    draw = rng.random()
    if draw < apostrophe_share:
        return "'" + nip
    return _spaced(nip) if draw < apostrophe_share + spaced_share else nip


def write_roster(folder: pathlib.Path, programme: Programme, rng: random.Random) -> pathlib.Path:
    rows = [[printed_nip(rng, e.nip, 0.30, 0.01), e.name, e.agency.name, e.status]
            for e in programme.employees]
    header = ["NIP", "Nama Pegawai", "Perangkat Daerah", "Status Kepegawaian"]
    return write_csv(folder / "daftar_pegawai.csv", header, rows, delimiter=";", bom=True)
