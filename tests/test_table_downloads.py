"""A page table's downloads (CSV and XLSX) carry the exact values under the rounded text the
page shows: a maturity score 3.498 shown as 3,50 stays 3.498 beside its level 3 (fresh-eyes
F3), changes are numbers (F8), a rate shown as 57,4% stays 167/291. Expected values are
worked out by hand from the field samples (penilaian_maturitas_2025/2026.xlsx, the recap)."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dashboard.components.charts_maturity import cop_table
from dashboard.components.tables import csv_bytes, display_xlsx, skpd_table
from data.store.connection import connect
from metrics.kpi import Scope
from metrics.maturity import maturity_overview
from metrics.overview import overview

# CoP -> (five dimension scores in the 2026 file, exact mean, computed level)
ORB = "CoP Pengelolaan Data Biro ORB"        # 4.07 + 3.06 + 3.78 + 3.27 + 3.31 = 17.49 -> 3.498, level 3
DISDIK = "CoP Inovasi Digital Disdik"        # 1.21 + 3.35 + 2.54 + 3.07 + 2.59 = 12.76 -> 2.552, level 3
DISHUB = "CoP Kolaborasi Dishub"             # 4.29 + 4.02 + 4.62 + 3.69 + 4.15 = 20.77 -> 4.154, level 4
BKD = "CoP Layanan Publik BKD"               # 2026: 12.90 -> 2.58 (level 3); 2025: 10.02 -> 2.004 (level 2)


@pytest.fixture(scope="module")
def maturity_2026(field_db):
    with connect(field_db, read_only=True) as con:
        return maturity_overview(con, 2026, Scope(None))


def _rows(sheet) -> dict[str, dict]:
    heads = [c.value for c in sheet[1]]
    return {r[heads.index("CoP")].value: {h: c for h, c in zip(heads, r)} for r in sheet.iter_rows(min_row=2)}


def test_maturity_xlsx_holds_the_exact_score_beside_its_level(maturity_2026):
    book = openpyxl.load_workbook(io.BytesIO(display_xlsx(cop_table(maturity_2026.scores, "id"), "maturitas_cop_2026", "id")))
    rows = _rows(book.worksheets[0])
    for cop, score, level in ((ORB, 3.498, "3 Standardisasi"), (DISDIK, 2.552, "3 Standardisasi"),
                              (DISHUB, 4.154, "4 Optimalisasi")):
        cell = rows[cop]["Skor maturitas"]
        assert cell.value == pytest.approx(score, abs=1e-9), cop          # not 3.5 / 2.55 / 4.15
        assert cell.number_format == "0.000"
        assert rows[cop]["Level maturitas"].value == level
    assert rows[BKD]["Skor tahun sebelumnya"].value == pytest.approx(2.004, abs=1e-9)      # shown 2,00


def test_maturity_changes_are_numbers_and_no_remark_says_nothing(maturity_2026):
    book = openpyxl.load_workbook(io.BytesIO(display_xlsx(cop_table(maturity_2026.scores, "id"), "maturitas_cop_2026", "id")))
    rows = _rows(book.worksheets[0])
    assert rows[BKD]["Perubahan level maturitas"].value == 1                # level 2 -> 3, a number, not '+1'
    assert rows[BKD]["Perubahan skor maturitas"].value == pytest.approx(0.576, abs=1e-9)   # 2.58 - 2.004, no arrow
    assert rows[ORB]["Perubahan level maturitas"].value == 0                # 3.414 (2025) -> 3.498: level 3 both years
    assert rows[ORB]["Perubahan skor maturitas"].value == pytest.approx(0.084, abs=1e-9)
    heads = [c.value for c in book.worksheets[0][1]]
    assert "Keterangan" not in heads          # every CoP of 2026 was compared with 2025: nothing to remark


def test_maturity_csv_holds_the_exact_score_and_plain_numbers(maturity_2026):
    text = csv_bytes(cop_table(maturity_2026.scores, "id"), "id").decode("utf-8-sig")
    rows = {r["CoP"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows[ORB]["Skor maturitas"] == "3,498"
    assert rows[DISHUB]["Skor maturitas"] == "4,154"
    assert rows[BKD]["Orang"] == "2,300"             # 2.3 in the file: the three decimals the XLSX shows, at least
    assert rows[BKD]["Perubahan level maturitas"] == "1"
    assert rows[BKD]["Perubahan skor maturitas"] == "0,576"
    assert "dibandingkan" not in text and "'" not in text


def test_agency_table_downloads_hold_the_exact_rates(field_db):
    with connect(field_db, read_only=True) as con:
        data = overview(con, 2026, Scope(None))
    table = skpd_table(data.skpd, "id")
    book = openpyxl.load_workbook(io.BytesIO(display_xlsx(table, "ringkasan_2026", "id")))
    sheet = book.worksheets[0]
    heads = [c.value for c in sheet[1]]
    dinkes = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Dinas Kesehatan"][0]
    rate = dinkes[heads.index("Tingkat pemanfaatan")]
    assert rate.value == pytest.approx(167 / 291, abs=1e-12) and rate.number_format == "0.0%"    # shown 57,4%
    assert dinkes[heads.index("Tingkat partisipasi")].value == pytest.approx(112 / 291, abs=1e-12)
    rows = {r["Perangkat daerah"]: r for r in csv.DictReader(io.StringIO(csv_bytes(table, "id").decode("utf-8-sig")))}
    assert rows["Dinas Kesehatan"]["Tingkat pemanfaatan"] == "57,388316%"       # 167/291 = 0.57388316...



def test_the_page_shows_a_maturity_score_with_the_three_decimals_its_level_rests_on(maturity_2026):
    shown = cop_table(maturity_2026.scores, "id").set_index("CoP")
    assert (shown.loc[ORB, "Skor maturitas"], shown.loc[ORB, "Level maturitas"]) == ("3,498", "3 Standardisasi")  # not 3,50
    assert shown.loc[DISHUB, "Skor maturitas"] == "4,154"
    assert shown.loc[BKD, "Skor tahun sebelumnya"] == "2,004"
