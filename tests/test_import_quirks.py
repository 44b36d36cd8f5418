"""One test per quirk of the field's exports: each file of ``fixtures/import_quirks/``
(made by its ``make_fixtures.py``) is imported into a fresh database, and the row
accounting plus the values that prove the quirk was handled are compared with values
worked out by hand from the fixture's content (see the generator's comments).
"""
from __future__ import annotations

import re

import datetime as dt
import shutil
from dataclasses import dataclass, field
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from data.store.pseudonym import pseudonym

from data.ingest import ingest_file
from data.store.connection import connect

QUIRKS = Path(__file__).parent / "fixtures" / "import_quirks"
NIP1, NIP2, NIP3 = "198503302010012001", "199001012015032002", "198712122012121003"
NIPS_IN_FIXTURES = (NIP1, NIP2, NIP3)
DINKES, DISDIK, DISHUB = "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"
d, t = dt.date, dt.datetime


@dataclass
class Case:
    """A fixture file and what importing it must give.

    ``counts`` is (read, loaded, duplicate, rejected). ``query`` runs on the store after
    the import and must return ``rows``. ``rejections`` are (row number, column,
    reason code, text the message must hold). ``notes`` must each be in a note,
    ``absent`` in none.
    """

    file: str
    kind: str
    counts: tuple[int, int, int, int]
    query: str
    rows: list[tuple]
    rejections: list[tuple[int, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    header_row: int = 1
    sheet: str = ""
    file_format: str | None = None


HEADCOUNT_SQL = "SELECT skpd, as_of, headcount, headcount_pns, headcount_pppk FROM headcount ORDER BY skpd"
RECAP_2025 = [(DINKES, d(2025, 12, 31), 291, 248, 43), (DISDIK, d(2025, 12, 31), 298, 255, 43),
              (DISHUB, d(2025, 12, 31), 360, 298, 62)]
ROSTER_SQL = "SELECT nip_plain, name, skpd, employment_status FROM employee ORDER BY source_row"
ASET_DATES_SQL = "SELECT aset_id, uploaded_on, published_on FROM aset ORDER BY aset_id"
ASET_DATES = [("AP-2025-00011", d(2025, 7, 20), d(2025, 8, 4)), ("AP-2026-00012", d(2026, 1, 30), d(2026, 2, 6))]
MATURITY_SQL = ("SELECT cop_key, year, strategi, orang, proses, konten, teknologi, mean_file, level_file, instrument "
                "FROM maturity ORDER BY cop_key")
ACCESS_SQL = "SELECT event_time, nip, aset_id, action FROM access_event ORDER BY event_time, nip"

CASES = [
    Case("title_rows_above_header.xlsx", "maturity", (2, 2, 0, 0), MATURITY_SQL, [
        ("cop inovasi digital disdik", 2025, D(2), D(2), D(3), D(3), D("2.5"), D("2.5"), 3, "Penilaian Maturitas CoP v2"),
        ("cop layanan publik dinkes", 2025, D(3), D(4), D("3.5"), D("2.5"), D(4), D("3.4"), 3, "Penilaian Maturitas CoP v2")],
        header_row=4, sheet="Maturitas 2025"),
    Case("two_row_merged_header.xlsx", "headcount", (3, 3, 0, 0), HEADCOUNT_SQL, RECAP_2025,
         notes=["1 TOTAL/JUMLAH row(s) skipped"], header_row=5, sheet="Rekap"),
    pytest.param(Case("two_row_merged_header_without_total.xlsx", "headcount", (3, 3, 0, 0), HEADCOUNT_SQL, RECAP_2025,
                      notes=["1 TOTAL/JUMLAH row(s) skipped"], header_row=5, sheet="Rekap"),
                 id="two_row_merged_header_without_total.xlsx"),
    Case("values_merged_down_column.xlsx", "activity", (5, 5, 0, 0),
         "SELECT source_row, quarter_label, activity_date, accompanied, attendee_count FROM activity ORDER BY source_row", [
             (4, "TW I 2026", d(2026, 1, 15), True, 12), (5, "TW I 2026", d(2026, 2, 12), False, 9),
             (6, "TW I 2026", d(2026, 3, 20), True, 15), (7, "TW II 2026", d(2026, 4, 9), False, 7),
             (8, "TW II 2026", d(2026, 6, 30), True, 11)],
         header_row=3, sheet="Rekap Kegiatan"),
    Case("running_number_column.xlsx", "roster", (3, 3, 0, 0), ROSTER_SQL, [
        (NIP1, "Ani Lestari", DINKES, "PNS"), (NIP2, "Budi Santoso", DINKES, "PPPK"), (NIP3, "Citra Dewi", DISDIK, "PNS")],
        absent=["columns not used"], sheet="Pegawai"),
    Case("total_and_jumlah_rows.csv", "headcount", (3, 3, 0, 0), HEADCOUNT_SQL, [
        (DINKES, d(2026, 6, 30), 291, 248, 43), (DISDIK, d(2026, 6, 30), 298, 255, 43), (DISHUB, d(2026, 6, 30), 360, 298, 62)],
        notes=["3 TOTAL/JUMLAH row(s) skipped"], header_row=2),
    Case("empty_formatted_rows_and_columns.xlsx", "roster", (3, 3, 0, 0),
         "SELECT source_row, nip FROM employee ORDER BY source_row", [(2, NIP1), (3, NIP2), (6, NIP3)],
         notes=["empty row(s) skipped"], absent=["columns not used"], sheet="Pegawai"),
    Case("dimension_far_larger_than_data.xlsx", "roster", (3, 3, 0, 0), "SELECT nip FROM employee ORDER BY source_row",
         [(NIP1,), (NIP2,), (NIP3,)], sheet="Pegawai"),
    Case("hidden_sheet_ignored.xlsx", "headcount", (2, 2, 0, 0), HEADCOUNT_SQL, [
        (DINKES, d(2026, 6, 30), 291, 248, 43), (DISDIK, d(2026, 6, 30), 298, 255, 43)],
        notes=["hidden sheet 'Rekap 2024 (lama)' ignored"], absent=["chosen by"], header_row=5, sheet="Rekap"),
    Case("several_visible_sheets.xlsx", "aset", (3, 3, 0, 0), "SELECT aset_id, status, published_on FROM aset ORDER BY aset_id", [
        ("AP-2026-00001", "terbit", d(2026, 2, 6)), ("AP-2026-00002", "draf", None), ("AP-2026-00003", "terbit", d(2026, 4, 8))],
        notes=["sheet 'Data Aset' chosen by its columns out of ['Petunjuk', 'Ringkasan', 'Data Aset']"], sheet="Data Aset"),
    Case("english_headers.csv", "access_log", (4, 4, 0, 0), ACCESS_SQL, [
        (t(2026, 3, 2, 9, 15), NIP1, "AP-2026-00001", "view"), (t(2026, 3, 2, 10, 0), NIP1, "AP-2026-00001", "download"),
        (t(2026, 3, 3, 8, 0), NIP2, "AP-2026-00002", "like"), (t(2026, 3, 3, 8, 5), NIP2, "AP-2026-00002", "comment")]),
    Case("nbsp_and_odd_case_headers.csv", "roster", (2, 2, 0, 0), ROSTER_SQL, [
        (NIP1, "Ani Lestari", DINKES, "PNS"), (NIP2, "Budi Santoso", DINKES, "PPPK")], absent=["columns not used"]),
    Case("nip_variants.xlsx", "roster", (6, 3, 0, 3), "SELECT source_row, nip FROM employee ORDER BY source_row", [
        (2, "198503302010012001"), (3, "198604122011022002"), (7, "198907072014052004")],
        rejections=[(4, "nip", "numeric_nip", "stored as a number"), (5, "nip", "damaged_nip", "scientific notation"),
                    (6, "nip", "bad_nip", "got 17 characters")], sheet="Pegawai"),
    Case("excel_dates_1900.xlsx", "aset", (2, 2, 0, 0), ASET_DATES_SQL, ASET_DATES, sheet="Aset Pengetahuan"),
    Case("aset_uploader_nip_unreadable.xlsx", "aset", (2, 2, 0, 0), "SELECT aset_id, uploader_nip FROM aset ORDER BY aset_id",
         [("AP-2026-00001", NIP1), ("AP-2026-00002", None)], sheet="Aset Pengetahuan",
         notes=["1 asset(s) loaded without an uploader: the uploader NIP was unreadable: row 3 (numeric_nip)"]),
    Case("excel_dates_1904.xlsx", "aset", (2, 2, 0, 0), ASET_DATES_SQL, ASET_DATES, sheet="Aset Pengetahuan"),
    Case("excel_serials_1904.xlsx", "access_log", (2, 2, 0, 0), "SELECT event_time, nip FROM access_event ORDER BY event_time",
         [(t(2026, 1, 9, 12, 0), NIP1), (t(2026, 2, 2), NIP2)], sheet="Log"),
    # 46037, 46065, 46121 days after 1899-12-30 (Excel's day 0)
    Case("serial_number_dates.csv", "activity", (3, 3, 0, 0), "SELECT source_row, activity_date FROM activity ORDER BY source_row",
         [(2, d(2026, 1, 15)), (3, d(2026, 2, 12)), (4, d(2026, 4, 9))]),
    # 02:00Z and 09:00+07:00 are one moment: the second is a duplicate; 23:30+00:00 is 06:30 WIB the next day
    Case("iso_times_with_and_without_offset.csv", "access_log", (5, 4, 1, 0), ACCESS_SQL, [
        (t(2026, 3, 1, 6, 30), NIP2, "AP-2026-00002", "download"), (t(2026, 3, 1, 8, 0), NIP1, "AP-2026-00001", "view"),
        (t(2026, 3, 1, 9, 0), NIP2, "AP-2026-00002", "view"), (t(2026, 3, 1, 9, 30), NIP1, "AP-2026-00001", "download")]),
    # 03/04/2026 and 03-04-2026 are 3 April; Budi's second submission (row 4) is a duplicate
    Case("day_first_dates.csv", "attendance", (4, 3, 1, 0),
         "SELECT nip, activity_date, role, submitted_at, skpd FROM attendance ORDER BY nip", [
             (NIP1, d(2026, 4, 3), "Peserta", t(2026, 4, 3, 8, 15), DINKES),
             (NIP3, d(2026, 1, 12), "Fasilitator", t(2026, 1, 12, 10, 0), DISDIK),
             (NIP2, d(2026, 4, 3), "Narasumber", t(2026, 4, 3, 9, 0), DINKES)]),
    Case("indonesian_month_and_day_names.csv", "aset", (6, 6, 0, 0),
         "SELECT aset_id, uploaded_on, status, published_on FROM aset ORDER BY aset_id", [
             ("AP-2025-00101", d(2025, 7, 11), "terbit", d(2025, 7, 14)),
             ("AP-2025-00102", d(2025, 8, 5), "terbit", d(2025, 8, 12)),
             ("AP-2025-00103", d(2025, 10, 1), "terbit", d(2025, 10, 3)),
             ("AP-2025-00104", d(2025, 12, 24), "terbit", d(2025, 12, 29)),
             ("AP-2025-00106", d(2025, 11, 9), "draf", None),
             ("AP-2026-00105", d(2026, 2, 2), "terbit", d(2026, 2, 9))]),
    Case("signin_sheet_title_block.xlsx", "attendance", (2, 2, 0, 0),
         "SELECT nip, cop_key, activity_title, activity_date, role, skpd FROM attendance ORDER BY nip", [
             (NIP1, "cop inovasi digital dispora", "Berbagi Pengetahuan Kelas 9", d(2025, 7, 11), "Narasumber", "Dinas Pemuda dan Olahraga"),
             (NIP2, "cop inovasi digital dispora", "Berbagi Pengetahuan Kelas 9", d(2025, 7, 11), "Peserta", "Dinas Pemuda dan Olahraga")],
         header_row=6, sheet="Daftar Hadir"),
    Case("decimal_commas.csv", "maturity", (2, 2, 0, 0), MATURITY_SQL, [
        ("cop inovasi digital disdik", 2026, D("1.5"), D("2.25"), D(3), D("3.5"), D("2.75"), D("2.6"), 3, None),
        ("cop layanan publik dinkes", 2026, D("2.73"), D("3.92"), D("3.62"), D("3.34"), D("3.11"), D("3.34"), 3, None)],
        notes=["CSV separated by ';'"]),
    Case("thousands_dots.csv", "headcount", (2, 2, 0, 0), HEADCOUNT_SQL, [
        (DINKES, d(2026, 6, 30), 1560, 1250, 310), (DISDIK, d(2026, 6, 30), 13684, 12480, 1204)],
        notes=["CSV separated by ';'"], header_row=2),
    Case("example_sheet_with_a_filled_row.xlsx", "aset", (2, 2, 0, 0), "SELECT aset_id, status FROM aset ORDER BY aset_id",
         [("AP-2026-00001", "terbit"), ("AP-2026-00002", "draf")], sheet="Data Aset"),
    Case("recap_sheet_before_the_roster.xlsx", "roster", (3, 3, 0, 0), ROSTER_SQL, [
        (NIP1, "Ani Lestari", DINKES, "PNS"), (NIP2, "Budi Santoso", DINKES, "PNS"), (NIP3, "Citra Dewi", DINKES, "PPPK")],
        notes=["sheet 'Data' chosen by its columns out of ['Rekap', 'Data']"], sheet="Data"),
    Case("sign_in_title_label_cells.xlsx", "attendance", (2, 2, 0, 0),
         "SELECT nip, cop_key, activity_title, activity_date, role FROM attendance ORDER BY source_row", [
             (NIP1, "cop inovasi digital dispora", "Berbagi Pengetahuan Kelas 10", d(2026, 3, 2), "Narasumber"),
             (NIP2, "cop inovasi digital dispora", "Berbagi Pengetahuan Kelas 10", d(2026, 3, 2), "Peserta")],
         header_row=6, sheet="Daftar Hadir"),
    Case("headcount_total_differs.csv", "headcount", (2, 2, 0, 0), HEADCOUNT_SQL, [
        (DINKES, d(2026, 6, 30), 290, 250, 40), (DISDIK, d(2026, 6, 30), 999, 110, 10)],
        notes=["1 row(s) whose total differs from PNS + PPPK (the total is used): row 3 (Dinas Pendidikan: 999 vs 110 + 10)"],
        header_row=2),
    Case("quarter_label_contradicts_date.csv", "activity", (2, 2, 0, 0),
         "SELECT source_row, quarter(activity_date) FROM activity ORDER BY source_row", [(2, 2), (3, 3)],
         notes=["1 meeting(s) whose quarter label contradicts the date (the date is used): row 3 (TW II 2026, 10-08-2026)"]),
    Case("status_words_mixed.csv", "aset", (7, 6, 0, 1), "SELECT aset_id, status FROM aset ORDER BY aset_id", [
        ("AP-2026-00201", "terbit"), ("AP-2026-00202", "terbit"), ("AP-2026-00203", "draf"),
        ("AP-2026-00204", "ditolak"), ("AP-2026-00205", "ditolak"), ("AP-2026-00206", "draf")],
        rejections=[(8, "status", "unknown_status", "'Arsip'")]),
    Case("action_words_mixed.csv", "access_log", (9, 8, 0, 1), "SELECT event_time, action FROM access_event ORDER BY event_time", [
        (t(2026, 3, 1, 8), "view"), (t(2026, 3, 1, 9), "download"), (t(2026, 3, 1, 10), "view"),
        (t(2026, 3, 1, 11), "download"), (t(2026, 3, 1, 12), "like"), (t(2026, 3, 2, 8), "like"),
        (t(2026, 3, 2, 9), "comment"), (t(2026, 3, 2, 10), "comment")],
        rejections=[(10, "action", "unknown_action", "'Bagikan'")]),
    Case("xlsx_named_as.csv", "roster", (2, 2, 0, 0), ROSTER_SQL, [
        (NIP1, "Ani Lestari", DINKES, "PNS"), (NIP2, "Budi Santoso", DINKES, "PPPK")], sheet="Pegawai", file_format="xlsx"),
    Case("legacy_xls.xls", "roster", (2, 2, 0, 0), ROSTER_SQL, [
        (NIP1, "Ani Lestari", DINKES, "PNS"), (NIP2, "Budi Santoso", DISDIK, "PPPK")], sheet="Pegawai", file_format="xls"),
    Case("csv_utf8_with_bom.csv", "roster", (2, 2, 0, 0), "SELECT nip, name FROM employee ORDER BY source_row", [
        (NIP1, "Siti Nur\u2019aini"), (NIP2, "Budi Santoso")], notes=["CSV separated by ';'"], file_format="csv"),
    Case("csv_utf8_without_bom.csv", "roster", (2, 2, 0, 0), "SELECT nip, name FROM employee ORDER BY source_row", [
        (NIP1, "Jos\u00e9 Pratama"), (NIP2, "Budi Santoso")], absent=["separated by"], file_format="csv"),
    Case("csv_windows1252_semicolon.csv", "roster", (2, 2, 0, 0), "SELECT nip, name FROM employee ORDER BY source_row", [
        (NIP1, "Andr\u00e9 Siregar"), (NIP2, "Nur\u2019aini Putri")], notes=["CSV separated by ';'"], file_format="csv"),
    # E4 = C4+D4 without a saved result: the total of its own PNS and PPPK cells (issue 12), 255 + 43
    Case("formula_without_saved_result.xlsx", "headcount", (3, 3, 0, 0), "SELECT skpd, headcount FROM headcount ORDER BY skpd",
         [(DINKES, 291), (DISDIK, 298), (DISHUB, 360)],
         notes=["1 total(s) held a formula without a saved result and were computed as PNS + PPPK: row 4"],
         header_row=2, sheet="Rekap"),
    Case("agency_name_variants.csv", "roster", (6, 5, 0, 1), "SELECT source_row, skpd FROM employee ORDER BY source_row",
         [(r, DUKCAPIL) for r in range(2, 7)],
         rejections=[(7, "skpd", "unknown_skpd", f"closest: {DUKCAPIL}")]),
    Case("jury_year_in_title.xlsx", "jury", (2, 2, 0, 0), "SELECT year, cop_key, skpd, juror, score FROM jury_score ORDER BY cop_key", [
        (2025, "cop inovasi digital disdik", DISDIK, "Juri 1", D(90)), (2025, "cop layanan publik dinkes", DINKES, "Juri 1", D("87.5"))],
        header_row=3, sheet="Nilai Juri"),
]

REFUSED_CASES = [
    ("missing_required_column.csv", "unknown_kind",
     ["'Log akses Portal KM'", "['nip'] are missing", "columns found: ['Waktu Akses', 'ID Aset', 'Aktivitas']"]),
    ("encrypted_workbook.xlsx", "encrypted", ["password-protected"]),
    ("sign_in_sheet_without_date.xlsx", "incomplete_sign_in_sheet",
     ["looks like a sign-in sheet", "columns ['Peran', 'Tanda Tangan']", "['activity_date'] is missing",
      "not read as a roster"]),
    ("two_sheets_same_kind.xlsx", "several_tables",
     ["sheets 'PNS', 'PPPK' each hold a Daftar pegawai table", "put all rows in one sheet", "nothing was imported"]),
]


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    """A database with the schema and agency table and nothing imported (copied per test)."""
    path = tmp_path_factory.mktemp("quirks") / "empty.duckdb"
    with connect(path):
        pass
    return path


@pytest.fixture
def fresh_db(empty_db, tmp_path) -> Path:
    path = tmp_path / "fresh.duckdb"
    shutil.copy(empty_db, path)
    return path


def _readable(rows: list[tuple]) -> list[tuple]:
    """Stored NIPs are keyed hashes (data.store.pseudonym); show the NIP they stand for, so the
    expected rows stay the NIPs written in the fixture files."""
    known = {pseudonym(n): n for n in re.findall(r"\b\d{18}\b", Path(__file__).read_text(encoding="utf-8"))}
    known.update({pseudonym(v): v for v in NIPS_IN_FIXTURES})
    return [tuple(known.get(v, v) if isinstance(v, str) else v for v in row) for row in rows]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.file)
def test_quirk_is_read_as_worked_out_by_hand(case: Case, fresh_db: Path):
    result = ingest_file(QUIRKS / case.file, db=fresh_db)

    assert result.status == "imported", result.reason
    assert (result.kind, result.sheet, result.header_row) == (case.kind, case.sheet, case.header_row)
    assert (result.rows_read, result.rows_loaded, result.rows_duplicate, result.rows_rejected) == case.counts
    with duckdb.connect(str(fresh_db), read_only=True) as con:
        rows = _readable(con.execute(case.query).fetchall())
        if case.query.endswith("ORDER BY nip"):   # hashes sort differently from the NIPs they stand for
            rows.sort(key=lambda r: r[0])
        assert rows == case.rows
        rejected = con.execute("SELECT row_number, column_name, reason_code, message FROM rejected_row "
                               "ORDER BY row_number").fetchall()
        logged = con.execute("SELECT file_format, notes FROM import_log").fetchall()
    assert [(r, c, code) for r, c, code, _ in rejected] == [(r, c, code) for r, c, code, _ in case.rejections]
    for (_, _, _, message), (_, _, _, expected) in zip(rejected, case.rejections):
        assert expected in message
    notes = " | ".join(result.notes)
    assert all(n in notes for n in case.notes), notes
    assert not any(a in notes for a in case.absent), notes
    assert logged[0][1] == "; ".join(result.notes)
    if case.file_format:
        assert logged[0][0] == case.file_format


def test_a_rejected_number_nip_shows_as_the_number_excel_kept_not_as_18_made_up_digits(fresh_db: Path):
    ingest_file(QUIRKS / "nip_variants.xlsx", db=fresh_db)
    with connect(fresh_db, read_only=True) as con:
        raw = con.execute("SELECT value, raw_row FROM rejected_row WHERE row_number = 4").fetchall()
    # the cell held 198705052012031003; Excel kept 1.98705052012031E+17 (15 digits), which its formula bar
    # shows as 198705052012031 followed by 3 zeros
    assert raw == [("198705052012031000", "198705052012031000 | Citra Dewi | Dinas Kesehatan | PNS")]


@pytest.mark.parametrize(("file", "code", "texts"), REFUSED_CASES, ids=[c[0] for c in REFUSED_CASES])
def test_quirk_file_is_refused_with_a_reason_naming_what_is_wrong(file, code, texts, fresh_db: Path):
    result = ingest_file(QUIRKS / file, db=fresh_db)

    assert (result.status, result.reason_code) == ("refused", code)
    assert all(text in result.reason for text in texts), result.reason
    with duckdb.connect(str(fresh_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM import_log").fetchall() == [(0,)]


def test_every_kind_has_a_quirk_fixture():
    kinds = {c.kind if isinstance(c, Case) else c.values[0].kind for c in CASES}
    assert kinds == {"roster", "headcount", "attendance", "aset", "access_log", "activity", "maturity", "jury"}


def test_every_fixture_file_has_a_case_and_is_small():
    named = {c.file if isinstance(c, Case) else c.values[0].file for c in CASES} | {c[0] for c in REFUSED_CASES}
    on_disk = {p.name for p in QUIRKS.iterdir() if p.suffix != ".py" and p.is_file()}
    assert on_disk == named
    assert all((QUIRKS / name).stat().st_size < 50 * 1024 for name in on_disk)
