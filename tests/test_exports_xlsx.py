"""Every XLSX the dashboard hands out opens with openpyxl, holds numbers as number cells
with an Excel number format (counts ``#,##0``, rates ``0.0%`` over fractions), and has
headers and sheet names in words, never code names (snake_case)."""
from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from dashboard.components.award_xlsx import shortlist_workbook
from dashboard.components.report_xlsx import overview_report
from dashboard.components.tables import display_xlsx, skpd_table
from data.ingest import ingest_paths
from data.store.connection import connect
from metrics.award import rank_cops
from metrics.award_stability import stability
from metrics.imports import source_freshness
from metrics.kpi import Scope
from metrics.overview import overview

CODE_NAME = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
AWARD_FIXTURES = Path(__file__).parent / "fixtures" / "award"


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _headers(book) -> list[str]:
    found = [str(c.value) for sheet in book for c in sheet[1] if c.value is not None]
    return found + list(book.sheetnames)


def _column(sheet, header: str) -> list:
    heads = [c.value for c in sheet[1]]
    return [row[heads.index(header)] for row in sheet.iter_rows(min_row=2)]


@pytest.fixture(scope="module")
def field_overview(field_db):
    with connect(field_db, read_only=True) as con:
        return overview(con, 2026, Scope(None)), source_freshness(con)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_leadership_report_holds_numbers_with_formats_and_words_for_headers(field_overview, lang):
    data, freshness = field_overview
    book = _book(overview_report(data, skpd_table(data.skpd, lang), freshness, user="sari", version="v1", lang=lang))
    assert not [h for h in _headers(book) if CODE_NAME.search(h)]
    headline = {r[0].value: r[1] for r in book.worksheets[1].iter_rows(min_row=2)}
    users = headline["Pengguna aset" if lang == "id" else "Asset users"]
    rate = headline["Tingkat pemanfaatan" if lang == "id" else "Utilisation rate"]
    assert (users.value, users.number_format) == (2753, "#,##0")
    assert rate.value == pytest.approx(2753 / 6953) and rate.number_format == "0.0%"
    agencies = book.worksheets[2]
    head = "Tingkat pemanfaatan" if lang == "id" else "Utilisation rate"
    culture = [r for r in agencies.iter_rows(min_row=2) if r[0].value == "Dinas Kebudayaan"][0]
    cell = culture[[c.value for c in agencies[1]].index(head)]
    assert cell.value == pytest.approx(189 / 375) and cell.number_format == "0.0%"     # 50,4% in Excel (id)
    assert all(c.data_type == "n" for c in _column(agencies, "Jumlah pegawai" if lang == "id" else "Headcount"))


def test_report_sheet_names_are_words_in_indonesian(field_overview):
    data, freshness = field_overview
    book = _book(overview_report(data, skpd_table(data.skpd, "id"), freshness, user="sari", version="v1", lang="id"))
    assert book.sheetnames == ["Sampul", "Indikator utama", "Perangkat daerah", "Tren bulanan"]
    months = _column(book["Tren bulanan"], "Bulan")
    assert months[0].is_date and months[0].number_format == "mmm yyyy"


@pytest.fixture(scope="module")
def award(tmp_path_factory):
    path = tmp_path_factory.mktemp("award_xlsx") / "award.duckdb"
    assert all(r.status == "imported" for r in ingest_paths([AWARD_FIXTURES], db=path))
    with connect(path, read_only=True) as con:
        result = rank_cops(con, 2026)
    return result, stability(result)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_award_workbook_is_in_the_pages_language_with_numbers(award, lang):
    result, stab = award
    book = _book(shortlist_workbook(result, stab, lang))
    assert not [h for h in _headers(book) if CODE_NAME.search(h)]
    ranking = book.worksheets[0]
    score = _column(ranking, "Skor" if lang == "id" else "Score")
    assert [c.value for c in score] == pytest.approx([0.8, 0.55])          # tests/test_award.py's cast
    assert score[0].number_format == "0.0000"
    utilisation = _column(ranking, "Pemanfaatan PD" if lang == "id" else "Agency utilisation")
    assert utilisation[0].value == 0.5 and utilisation[0].number_format == "0.0%"


def test_award_workbook_in_indonesian_has_no_english_reasons(award):
    result, stab = award
    book = _book(shortlist_workbook(result, stab, "id"))
    assert book.sheetnames == ["Peringkat", "Kontribusi", "Tidak memenuhi syarat", "Stabilitas", "Pengaturan"]
    reasons = [c.value for c in _column(book["Tidak memenuhi syarat"], "Alasan")]
    assert reasons and all("fewer" not in r and "no value" not in r and "maturity" not in r for r in reasons)
    assert any("kurang dari 1 pertemuan pada TW III, TW IV" in r for r in reasons)   # Guru: no meeting in Q3, Q4
    settings = {r[0].value: r[1] for r in book["Pengaturan"].iter_rows(min_row=2)}
    assert settings["Metode"].value == "saw"
    assert settings["Bobot dipakai: Pertemuan"].value == pytest.approx(0.1)
    assert settings["Bobot dipakai: Pertemuan"].number_format == "0.0%"


def test_a_page_table_download_turns_shown_numbers_back_into_numbers(field_overview):
    data, _ = field_overview
    book = _book(display_xlsx(skpd_table(data.skpd, "id"), "ringkasan_2026", "id"))
    sheet = book.worksheets[0]
    assert not [h for h in _headers(book) if CODE_NAME.search(h)]
    culture = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Dinas Kebudayaan"][0]
    heads = [c.value for c in sheet[1]]
    headcount, rate = culture[heads.index("Jumlah pegawai")], culture[heads.index("Tingkat pemanfaatan")]
    assert (headcount.value, headcount.number_format) == (375, "#,##0")
    assert rate.value == pytest.approx(0.504) and rate.number_format == "0.0%"        # shown as 50,4%
    assert culture[heads.index("Status")].value == "✔ Tercapai"
