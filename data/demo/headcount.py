"""Headcount recaps (``rekap_jumlah_pegawai_YYYY.xlsx``): title rows, merged headers, counts as
text."""

from __future__ import annotations

import datetime
import pathlib
import random

import openpyxl

from data.demo.model import OLD_RECAP_DATE, Programme, RECAP_DATES
from data.demo.sheets import indonesian_date, save_workbook, text_count, title_block


def _shrink(rng: random.Random, counts: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Earlier counts: a few percent fewer PNS and rather fewer PPPK (PPPK hiring grows)."""
    return {name: (pns - round(pns * rng.uniform(0.01, 0.04)),
                   pppk - round(pppk * rng.uniform(0.03, 0.12)))
            for name, (pns, pppk) in counts.items()}


def write_recaps(folder: pathlib.Path, programme: Programme, rng: random.Random,
                 stamp: datetime.datetime) -> list[pathlib.Path]:
    current = {}
    for agency, staff in programme.staff.items():
        pppk = sum(employee.status == "PPPK" for employee in staff)
        current[agency] = (len(staff) - pppk, pppk)
    earlier = _shrink(rng, current)
    oldest = _shrink(rng, earlier)
    book_2025 = openpyxl.Workbook()
    _fill_recap(book_2025.active, "Rekap", RECAP_DATES[0], earlier, upper=False)
    book_2026 = openpyxl.Workbook()
    old_sheet = book_2026.active
    _fill_recap(old_sheet, "Rekap 2024 (lama)", OLD_RECAP_DATE, oldest, upper=False)
    old_sheet.sheet_state = "hidden"
    _fill_recap(book_2026.create_sheet(), "Rekap", RECAP_DATES[1], current, upper=True)
    book_2026.active = 1
    return [save_workbook(book_2025, folder / "rekap_jumlah_pegawai_2025.xlsx", stamp),
            save_workbook(book_2026, folder / "rekap_jumlah_pegawai_2026.xlsx", stamp)]


def _fill_recap(sheet, title: str, as_of: datetime.date, counts: dict[str, tuple[int, int]], *,
                upper: bool) -> None:
    sheet.title = title
    title_block(sheet, ["REKAPITULASI JUMLAH PEGAWAI PEMERINTAH PROVINSI DKI JAKARTA",
                         f"Keadaan per {indonesian_date(as_of)}"], last_column=6)
    for column, label in ((1, "No"), (2, "Perangkat Daerah"), (3, "Jumlah Pegawai"), (5, "Total")):
        sheet.cell(row=4, column=column, value=label)
    sheet.cell(row=5, column=3, value="PNS")
    sheet.cell(row=5, column=4, value="PPPK")
    for cells in ("A4:A5", "B4:B5", "C4:D4", "E4:E5"):
        sheet.merge_cells(cells)
    for number, (name, (pns, pppk)) in enumerate(counts.items(), start=1):
        sheet.append([number, name.upper() if upper else name,
                      text_count(pns), text_count(pppk), text_count(pns + pppk)])
    pns_total = sum(p for p, _ in counts.values())
    pppk_total = sum(p for _, p in counts.values())
    sheet.append([None, "JUMLAH TOTAL", text_count(pns_total), text_count(pppk_total),
                  text_count(pns_total + pppk_total)])
