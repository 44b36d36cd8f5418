"""Maturity scores per CoP (``penilaian_maturitas_YYYY.xlsx``)."""

from __future__ import annotations

import datetime
import pathlib
import random
from decimal import ROUND_HALF_UP, Decimal

import openpyxl

from data.demo.model import Cop
from data.demo.sheets import save_workbook, title_block


def _score(value: float) -> Decimal:
    clipped = min(max(value, 1.0), 5.0)
    return Decimal(repr(clipped)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def maturity_level(mean: Decimal) -> int:
    """The maturity level of an exact mean score: 1 below 1.5, ... 4 below 4.5, else 5."""
    for level, bound in enumerate(("1.5", "2.5", "3.5", "4.5"), start=1):
        if mean < Decimal(bound):
            return level
    return 5


def _draw_maturity(rng: random.Random, cops: list[Cop]) -> dict[int, list[tuple[Cop, list[Decimal]]]]:
    """Five dimension scores per CoP and year; 2026 mostly a bit higher; new CoPs only 2026."""
    scores: dict[int, list[tuple[Cop, list[Decimal]]]] = {2025: [], 2026: []}
    for cop in cops:
        base = rng.uniform(1.5, 3.9)
        first = [base + rng.gauss(0, 0.55) for _ in range(5)]
        growth = rng.gauss(0.3, 0.3)
        if cop.started_on.year == 2025:
            scores[2025].append((cop, [_score(value) for value in first]))
            first = [value + growth + rng.gauss(0, 0.3) for value in first]
        scores[2026].append((cop, [_score(value) for value in first]))
    return scores


def write_maturity(folder: pathlib.Path, cops: list[Cop], rng: random.Random,
                   stamp: datetime.datetime) -> list[pathlib.Path]:
    paths = []
    for year, rows in _draw_maturity(rng, cops).items():
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = f"Maturitas {year}"
        title_block(sheet, [f"HASIL PENILAIAN TINGKAT MATURITAS COP TAHUN {year}",
                             "Instrumen: Penilaian Maturitas CoP v1"], last_column=9)
        header = ["No", "Perangkat Daerah", "Nama CoP", "Strategi", "Orang", "Proses", "Konten",
                  "Teknologi", "Rata-rata", "Level"]
        for column, label in enumerate(header, start=1):
            sheet.cell(row=4, column=column, value=label)
        for number, (cop, scores) in enumerate(rows, start=1):
            mean = sum(scores) / 5
            written = [_comma(s) if year == 2025 else float(s) for s in scores]
            sheet.append([number, cop.agency.name, cop.name, *written,
                          _comma(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
                          maturity_level(mean)])
        paths.append(save_workbook(book, folder / f"penilaian_maturitas_{year}.xlsx", stamp))
    return paths


def _comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")
