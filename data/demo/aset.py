"""The asset register (``aset_pengetahuan_portal_km.xlsx``): mixed-case statuses, dates as text."""

from __future__ import annotations

import datetime
import pathlib
import random

import openpyxl

from data.demo.model import (ASSET_KINDS, Asset, FIRST_MEETING, PROGRAMME_START, Programme, STATUS_SPELLINGS,
                             THEMES)
from data.demo.sheets import date_cell, indonesian_date, save_workbook


def draw_assets(rng: random.Random, programme: Programme, today: datetime.date) -> list[Asset]:
    """About 6 assets per CoP, uploaded by its agency's staff, more of them later on."""
    staff = programme.staff
    assets: list[Asset] = []
    for cop in programme.cops:
        count = rng.randint(3, 9) if cop.started_on == PROGRAMME_START else rng.randint(2, 5)
        first = max(cop.started_on, FIRST_MEETING)
        for _ in range(count):
            later_days = int((today - first).days * rng.random() ** 0.8)
            uploaded_on = first + datetime.timedelta(days=later_days)
            status, published_on = _draw_asset_status(rng, uploaded_on, today)
            kind = rng.choice(ASSET_KINDS)
            theme = cop.theme if rng.random() < 0.5 else rng.choice(THEMES)
            number = len(assets) + 1
            assets.append(Asset(f"AP-{uploaded_on.year}-{number:05d}", f"{kind} {theme} no. {number}",
                                kind, cop, rng.choice(staff[cop.agency.name]).nip, uploaded_on,
                                status, published_on))
    return assets


def _draw_asset_status(rng: random.Random, uploaded_on: datetime.date,
                       today: datetime.date) -> tuple[str, datetime.date | None]:
    if (today - uploaded_on).days < 10 and rng.random() < 0.6:
        return "Draf", None
    draw = rng.random()
    if draw < 0.10:
        return "Ditolak", None
    if draw < 0.30:
        return "Draf", None
    published_on = uploaded_on + datetime.timedelta(days=rng.randint(0, 14))
    return ("Terbit", published_on) if published_on <= today else ("Draf", None)


def write_asset_register(folder: pathlib.Path, assets: list[Asset], rng: random.Random,
                         stamp: datetime.datetime) -> pathlib.Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Aset Pengetahuan"
    sheet.append(["ID Aset", "Judul", "Jenis Aset", "Nama CoP", "Perangkat Daerah", "NIP Pengunggah",
                  "Tanggal Unggah", "Status", "Tanggal Terbit"])
    for row, asset in enumerate(assets, start=2):
        status = rng.choice(STATUS_SPELLINGS[asset.status]) if rng.random() < 0.10 else asset.status
        sheet.append([asset.asset_id, asset.title, asset.kind, asset.cop.name, asset.cop.agency.name,
                      asset.uploader_nip, None, status])
        for column, day in ((7, asset.uploaded_on), (9, asset.published_on)):
            if day is not None and rng.random() < 0.20:
                sheet.cell(row=row, column=column, value=indonesian_date(day))
            elif day is not None:
                date_cell(sheet, row, column, day)
    return save_workbook(book, folder / "aset_pengetahuan_portal_km.xlsx", stamp)
