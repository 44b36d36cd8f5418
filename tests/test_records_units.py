"""``data.intake.records`` on hand-made layouts and cells (issue 19: what the import tests of
whole files do not pin down): which rows are data, blank or TOTAL rows, each kind's record
and rejections at their boundaries, the file-level context from the title, and the notes.
Expected values are worked out by hand from the cells written here."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pyarrow as pa
import pytest

from data.errors import ImportRefused, RowProblem
from data.intake.agencies import load_agency_table
from data.intake.layout import Layout
from data.intake.readers import Sheet
from data.intake.records import (DATE_COLUMNS, ParsedTable, Rejection, _a1, _cell, _headcount, _headcount_sums,
                                 _is_total_marker, _listed, _quarter_labels, _row_date, access_record, activity_record,
                                 aset_record, attendance_record, headcount_record, is_total_label, jury_record,
                                 label_columns, maturity_record, parse_table, raw_text, roster_record, serials_to_1900)
from data.store.pseudonym import pseudonym

AGENCIES = load_agency_table()
NIP1, NIP2, NIP3 = "198503302010012001", "199001012015032002", "198712122012121003"
DINKES, DISDIK = "Dinas Kesehatan", "Dinas Pendidikan"
KEY = "k"                                   # a NIP key given in the context: NIPs are hashed with it
d, t = dt.date, dt.datetime


def _layout(kind: str, rows: list, columns: dict[str, int], *, header_rows=(0,), title=(), unmapped=(),
            name: str = "Data") -> Layout:
    return Layout(kind, Sheet(name, rows), list(header_rows), columns, list(unmapped), list(title))


def _problem(builder, cells: dict, ctx: dict) -> tuple:
    with pytest.raises(RowProblem) as caught:
        builder(cells, {"agencies": AGENCIES, **ctx})
    p = caught.value
    return p.reason_code, p.column, p.value, p.message


# -- the table's accounting ------------------------------------------------------------------

def test_rows_read_counts_bulk_rows_records_and_rejections():
    layout = _layout("roster", [["NIP"]], {"nip": 0})
    rejected = Rejection("Data", 3, "nip", "x", "bad_nip", "m")
    assert ParsedTable(layout, records=[{}, {}], rejections=[rejected]).rows_read == 3
    assert ParsedTable(layout, records=[{}], rejections=[rejected], arrow=pa.table({"a": [1, 2, 3, 4]})).rows_read == 6


@pytest.mark.parametrize("index, value", [(None, None), (0, "a"), (1, None), (2, 0), (3, None), (4, None)])
def test_a_cell_past_the_row_or_of_blanks_only_is_empty(index, value):
    assert _cell(["a", " \u00a0", 0], index) == value


@pytest.mark.parametrize("column", DATE_COLUMNS)
def test_a_1904_workbook_moves_the_plain_numbers_of_date_columns_to_the_1900_system(column):
    rows = [[40000, 7], ["Tanggal", "Peserta"], [45000, 12], [45000.5, 12], [True, 12], [d(2026, 1, 1), 12], [], ["45000"]]
    layout = _layout("attendance", rows, {column: 0, "attendee_count": 1}, header_rows=(1,))
    layout.sheet.date1904 = True
    # 45000 + 1462 = 46462; the title row above the header, a TRUE, a date, a text and the count column stay
    assert serials_to_1900(layout) == 2
    assert rows == [[40000, 7], ["Tanggal", "Peserta"], [46462, 12], [46462.5, 12], [True, 12], [d(2026, 1, 1), 12], [],
                    ["45000"]]
    layout.sheet.date1904 = False
    assert serials_to_1900(layout) == 0 and rows[2] == [46462, 12]


@pytest.mark.parametrize("columns, labels", [
    ({"nip": 0, "name": 1, "skpd": 2}, [2, 1]),              # agency, then name
    ({"cop": 3, "skpd": 1, "score": 0}, [1, 3]),             # agency, then CoP
    ({"event_time": 2, "nip": 0, "action": 1}, [2]),         # none of them: the first column mapped
])
def test_a_total_row_is_looked_for_under_the_agency_name_or_cop(columns, labels):
    assert label_columns(_layout("roster", [[]], columns)) == labels


@pytest.mark.parametrize("text, total", [
    ("Jumlah", True), ("TOTAL", True), ("Grand Total", True), ("jumlah total", True), ("Total Keseluruhan", True),
    ("Jumlah Keseluruhan", True), ("Subtotal", True), ("Sub Total", True), (" total: ", True), ("Total pegawai", True),
    ("Totalitas", False), ("Jumlahnya", False), ("Subtotals", False), ("Nilai total", False), (None, False), (5, False),
])
def test_a_total_label_starts_with_a_total_word(text, total):
    assert is_total_label(text) is total


@pytest.mark.parametrize("row, marker", [
    ([5, " ", "Jumlah", "x"], True),          # the first text of the first three cells
    (["Total", None], True),
    ([None, "Catatan", "Total"], False),      # only the first text counts
    ([None, None, None, "Total"], False),     # the fourth cell is not looked at
])
def test_a_total_marker_sits_in_one_of_the_first_three_cells(row, marker):
    assert _is_total_marker(row, None) is marker


@pytest.mark.parametrize("value, text", [
    # found by a fresh-eyes user: Python's float form (1.98001072005011e+17) showed on the page; Excel's formula bar
    # shows the 15 digits it kept, then zeros: 1.98001072005011 x 10^17 = 198001072005011 followed by 3 zeros
    (1.98001072005011e+17, "198001072005011000"), (1.983100520130324e+17, "198310052013032000"),
    (198310052013032349.0, "198310052013032000"), (1e15, "1000000000000000"), (-1e15, "-1000000000000000"),
    (1e300, "1E+300"), (float("inf"), "inf"),
    (999999999999999.0, "999999999999999"), (12.0, "12"), (10 ** 18, "1000000000000000000"), (" a  b ", "a b"), (None, ""),
])
def test_a_rejected_cell_shows_a_long_number_as_excel_kept_it(value, text):
    assert raw_text(value) == text


ROSTER_HEADER = ["No", "NIP", "Nama", "Perangkat Daerah"]
ROSTER_COLUMNS = {"nip": 1, "name": 2, "skpd": 3}


def test_blank_and_total_rows_are_skipped_and_counted_in_the_notes():
    rows = [ROSTER_HEADER,
            [1, NIP1, "Ani", DINKES],                  # row 2
            [],                                         # row 3: blank
            [None, None, " ", None],                    # row 4: blank
            ["Jumlah", None, None, "3 orang"],          # row 5: TOTAL under "No"
            [None, None, "Total pegawai", None],        # row 6: TOTAL in the name column
            [2, NIP2, "Totalia", DINKES],               # row 7: a name, not a total
            [3, NIP3, None, DINKES],                    # row 8: no name
            [],                                         # row 9: blank
            [None, None, None, "JUMLAH"]]               # row 10: TOTAL in the agency column (the 4th cell)
    layout = _layout("roster", rows, ROSTER_COLUMNS)
    table = parse_table(layout, AGENCIES)
    assert table.layout is layout
    assert table.records == [
        {"nip": pseudonym(NIP1), "nip_plain": NIP1, "name": "Ani", "skpd": DINKES, "employment_status": None},
        {"nip": pseudonym(NIP2), "nip_plain": NIP2, "name": "Totalia", "skpd": DINKES, "employment_status": None}]
    assert table.row_numbers == [2, 7]
    assert table.rejections == [Rejection("Data", 8, "name", "", "missing_name", "name is empty", None,
                                          f"{NIP3} |  | {DINKES}")]
    assert table.notes == ["3 empty row(s) skipped", "3 TOTAL/JUMLAH row(s) skipped"]
    assert table.rows_read == 3
    only = parse_table(_layout("roster", rows, ROSTER_COLUMNS), AGENCIES, indices=[6, 7])    # rows 7 and 8
    assert (only.row_numbers, [r.row_number for r in only.rejections], only.notes) == ([7], [8], [])


def test_a_row_holding_only_its_quarter_merged_down_is_blank():
    rows = [["Triwulan", "Perangkat Daerah", "Nama CoP", "Kegiatan", "Tanggal", "Didampingi"],
            ["TW I", DINKES, "CoP A", "Rapat", "2026-01-15", "Ya"], ["TW I", None, None, None, None, None]]
    columns = {"quarter_label": 0, "skpd": 1, "cop": 2, "activity_title": 3, "activity_date": 4, "accompanied": 5}
    table = parse_table(_layout("activity", rows, columns), AGENCIES)
    assert (len(table.records), table.notes) == (1, ["1 empty row(s) skipped"])


def test_a_rejection_keeps_the_raw_value_a_float_as_excel_kept_it():
    rows = [ROSTER_HEADER, [1, 1.98503302010012e17, "Ani", DINKES], [2, " 1985 ", "Budi", DINKES], [3, None, "Citra", DINKES]]
    rejected = parse_table(_layout("roster", rows, ROSTER_COLUMNS), AGENCIES).rejections
    assert [(r.row_number, r.column, r.value, r.reason_code) for r in rejected] == [
        (2, "nip", "198503302010012000", "numeric_nip"), (3, "nip", "1985", "bad_nip"), (4, "nip", "", "missing_nip")]
    assert rejected[0].raw_row == f"198503302010012000 | Ani | {DINKES}"


def test_a_formula_without_a_saved_result_in_a_used_cell_rejects_the_row():
    rows = [ROSTER_HEADER, [1, NIP1, "Ani", DINKES], [2, NIP2, None, DINKES, None]]
    layout = _layout("roster", rows, ROSTER_COLUMNS)
    layout.sheet.formula_gaps = {(2, 2): "=B3", (1, 4): "=A1"}     # C3 (name) and E2 (not read)
    table = parse_table(layout, AGENCIES)
    assert table.row_numbers == [2]
    assert [(r.row_number, r.column, r.value, r.reason_code, r.message) for r in table.rejections] == [
        (3, "name", "=?", "formula_without_value",
         "cell C3 holds a formula with no saved result: open the file in Excel and save it again")]


@pytest.mark.parametrize("row, col, cell", [(1, 0, "A1"), (4, 2, "C4"), (10, 25, "Z10"), (10, 26, "AA10"),
                                            (7, 701, "ZZ7"), (7, 702, "AAA7")])
def test_a_cell_is_named_as_a_spreadsheet_names_it(row, col, cell):
    assert _a1(row, col) == cell


def test_the_notes_name_unreadable_uploaders_and_unused_columns():
    rows = [["ID Aset", "Judul", "Nama CoP", "Perangkat Daerah", "Status", "NIP Pengunggah", "Keterangan"],
            ["AP-1", "A", "CoP A", DINKES, "Terbit", 1.98503302010012e17, ""],
            ["AP-2", "B", "CoP A", DINKES, "Terbit", "1985", ""],
            ["AP-3", "C", "CoP A", DINKES, "Terbit", NIP1, ""]]
    columns = {"aset_id": 0, "title": 1, "cop": 2, "skpd": 3, "status": 4, "uploader_nip": 5}
    table = parse_table(_layout("aset", rows, columns, unmapped=["Keterangan"]), AGENCIES)
    assert [r["uploader_nip"] for r in table.records] == [None, None, pseudonym(NIP1)]
    assert table.notes == ["2 asset(s) loaded without an uploader: the uploader NIP was unreadable: "
                           "row 2 (numeric_nip), row 3 (bad_nip)", "columns not used: ['Keterangan']"]


def test_a_list_in_a_note_names_ten_at_most():
    assert _listed([str(i) for i in range(10)]) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9"
    assert _listed([str(i) for i in range(11)]) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ..."


# -- the context a title gives -----------------------------------------------------------------

SIGN_IN_TITLE = ["DAFTAR HADIR KEGIATAN COP INOVASI", "Kegiatan : Rapat", "Tanggal : 2 Maret 2026"]


@pytest.mark.parametrize("columns, context", [
    ({"nip": 0, "name": 1}, {"cop": "COP INOVASI", "activity_title": "Rapat", "activity_date": "2 Maret 2026"}),
    ({"nip": 0, "activity_date": 1}, {"cop": "COP INOVASI", "activity_title": "Rapat"}),     # the date column counts
    ({"nip": 0, "cop": 1, "activity_title": 2}, {"activity_date": "2 Maret 2026"}),
])
def test_a_sign_in_sheets_title_gives_what_its_columns_lack(columns, context):
    layout = _layout("attendance", [["NIP", "x", "y"]], columns, title=SIGN_IN_TITLE)
    assert parse_table(layout, AGENCIES).context == context


def test_a_sign_in_sheet_without_a_date_has_none_in_its_context():
    layout = _layout("attendance", [["NIP"]], {"nip": 0}, title=SIGN_IN_TITLE[:2])
    assert parse_table(layout, AGENCIES).context == {"cop": "COP INOVASI", "activity_title": "Rapat", "activity_date": None}


@pytest.mark.parametrize("kind, columns, title, note", [
    # Found by fresh-eyes users (F10): 31 March 2026 is a Tuesday (30 March, a Monday, + 1)
    ("attendance", {"nip": 0}, ["DAFTAR HADIR KEGIATAN COP X", "Kegiatan : Rapat", "Hari/Tanggal : Senin, 31 Maret 2026"],
     "the title's date 'Senin, 31 Maret 2026' names the wrong day: it is a Tuesday (the date is used)"),
    ("attendance", {"nip": 0}, ["DAFTAR HADIR KEGIATAN COP X", "Kegiatan : Rapat", "Hari/Tanggal : Selasa, 31 Maret 2026"],
     None),
    # 30 June 2026: 31 March (Tue) + 30 = 30 April (Thu), + 31 = 31 May (Sun), + 30 = 30 June (Tue)
    ("headcount", {"skpd": 0, "headcount": 1}, ["REKAP PEGAWAI", "Keadaan per Senin, 30 Juni 2026"],
     "the title's date 'Senin, 30 Juni 2026' names the wrong day: it is a Tuesday (the date is used)"),
    ("headcount", {"skpd": 0, "headcount": 1}, ["REKAP PEGAWAI", "Keadaan per Selasa, 30 Juni 2026"], None),
])
def test_a_titles_date_whose_day_name_contradicts_it_is_noted(kind, columns, title, note):
    layout = _layout(kind, [["NIP", "Jumlah"]], columns, title=title)
    notes = [n for n in parse_table(layout, AGENCIES).notes if "wrong day" in n]
    assert notes == ([note] if note else [])


def test_row_dates_whose_day_name_contradicts_them_are_noted_and_loaded():
    rows = [["NIP", "CoP", "Kegiatan", "Tanggal"],
            [NIP1, "CoP A", "Rapat", "Senin, 30 Maret 2026"],       # row 2: a Monday, right
            [NIP2, "CoP A", "Rapat", "Senin, 31 Maret 2026"],       # row 3: a Tuesday
            [NIP3, "CoP A", "Rapat", "Rabu 1 April 2026"],          # row 4: a Wednesday, right
            ["x", "CoP A", "Rapat", "Kamis, 1 April 2026"],         # row 5: rejected for its NIP, so not noted
            [NIP1, "CoP A", "Rapat", "Jumat, 3 April 2026"],        # row 6: Wed 1 + 2 = a Friday, right
            [NIP2, "CoP A", "Rapat", "Sabtu, 3 April 2026"]]        # row 7: a Friday
    table = parse_table(_layout("attendance", rows, {"nip": 0, "cop": 1, "activity_title": 2, "activity_date": 3}),
                        AGENCIES)
    assert [r["activity_date"] for r in table.records] == [d(2026, 3, 30), d(2026, 3, 31), d(2026, 4, 1),
                                                           d(2026, 4, 3), d(2026, 4, 3)]
    assert table.notes == ["2 date(s) whose day name contradicts the date (the date is used): "
                           "row 3 (Senin, 31 Maret 2026), row 7 (Sabtu, 3 April 2026)"]


def test_a_recaps_title_date_is_read_as_a_date_and_an_unreadable_one_refuses_the_file():
    layout = _layout("headcount", [["Perangkat Daerah", "Jumlah"]], {"skpd": 0, "headcount": 1},
                     title=["REKAP PEGAWAI", "Keadaan per 30 Juni 2026"], name="Rekap")
    assert parse_table(layout, AGENCIES).context == {"as_of": d(2026, 6, 30)}
    layout.title_lines = ["Keadaan per 31 Juni 2026"]
    for sheet, file in (("Rekap", "Rekap"), ("", "file")):
        layout.sheet.name = sheet
        with pytest.raises(ImportRefused) as caught:
            parse_table(layout, AGENCIES)
        assert (caught.value.file, caught.value.reason_code, caught.value.message) == (
            file, "bad_title_date", "recap date in title unreadable: no such date 31-06-2026")
    layout.columns["as_of"] = 2                                     # an as-of column: the title is not read
    assert parse_table(layout, AGENCIES).context == {}


def test_a_maturity_title_gives_the_year_and_the_instrument():
    title = ["PENILAIAN MATURITAS COP TAHUN 2025", "Instrumen: KM v2"]
    columns = {"skpd": 0, "cop": 1}
    assert parse_table(_layout("maturity", [["x"]], columns, title=title), AGENCIES).context == {
        "year": "2025", "instrument": "KM v2"}
    assert parse_table(_layout("jury", [["x"]], columns, title=title), AGENCIES).context == {"year": "2025"}
    assert parse_table(_layout("maturity", [["x"]], {**columns, "year": 2}, title=title), AGENCIES).context == {
        "instrument": "KM v2"}


# -- each kind's record -------------------------------------------------------------------------

def test_a_roster_record():
    cells = {"nip": NIP1, "name": " Ani  Lestari ", "skpd": "DINAS KESEHATAN", "employment_status": " pppk "}
    assert roster_record(cells, {"agencies": AGENCIES, "nip_key": KEY}) == {
        "nip": pseudonym(NIP1, KEY), "nip_plain": NIP1, "name": "Ani Lestari", "skpd": DINKES, "employment_status": "PPPK"}
    assert roster_record({**cells, "employment_status": None}, {"agencies": AGENCIES})["employment_status"] is None


def test_a_roster_row_is_rejected_naming_its_column_and_value():
    cells = {"nip": NIP1, "name": "Ani", "skpd": DINKES}
    assert _problem(roster_record, {**cells, "nip": "1985"}, {})[:3] == ("bad_nip", "nip", "1985")
    assert _problem(roster_record, {**cells, "name": None}, {}) == ("missing_name", "name", None, "name is empty")
    assert _problem(roster_record, {**cells, "skpd": None}, {}) == ("missing_skpd", "skpd", None, "agency name is empty")
    hint = ", ".join(AGENCIES.suggest("Dinas Entah"))
    assert _problem(roster_record, {**cells, "skpd": "Dinas Entah"}, {}) == (
        "unknown_skpd", "skpd", "Dinas Entah", f"agency 'Dinas Entah' is not in the agency table; closest: {hint}")


@pytest.mark.parametrize("value, count", [("-", 0), ("\u2013", 0), (" \u2212 ", 0), ("12", 12), (7.0, 7), ("1.204", 1204)])
def test_a_headcount_cell_is_a_count_or_a_lone_dash_for_zero(value, count):
    assert _headcount(value) == count


def test_a_headcount_record_takes_the_total_else_pns_plus_pppk():
    ctx = {"agencies": AGENCIES, "as_of": d(2026, 6, 30)}
    cells = {"skpd": DINKES, "headcount": "291", "headcount_pns": 248.0, "headcount_pppk": "-"}
    assert headcount_record(cells, ctx) == {"skpd": DINKES, "as_of": d(2026, 6, 30), "headcount": 291,
                                            "headcount_pns": 248, "headcount_pppk": 0}
    # no total: 248 + 43 = 291; an as-of cell wins over the title's date
    cells = {"skpd": DINKES, "headcount_pns": "248", "headcount_pppk": "43", "as_of": "31/12/2025"}
    assert headcount_record(cells, ctx) == {"skpd": DINKES, "as_of": d(2025, 12, 31), "headcount": 291,
                                            "headcount_pns": 248, "headcount_pppk": 43}
    assert headcount_record({"skpd": DINKES, "headcount": 0}, ctx)["headcount"] == 0


def test_a_headcount_row_without_a_count_or_a_date_is_rejected():
    ctx = {"as_of": d(2026, 6, 30)}
    tail = "count is empty and there is no total column (the headcount is PNS + PPPK)"
    assert _problem(headcount_record, {"skpd": DINKES, "headcount_pns": "248"}, ctx) == (
        "missing_headcount", "headcount_pppk", None, f"PPPK {tail}")
    assert _problem(headcount_record, {"skpd": DINKES, "headcount_pppk": "43"}, ctx) == (
        "missing_headcount", "headcount_pns", None, f"PNS {tail}")
    assert _problem(headcount_record, {"skpd": DINKES}, ctx) == (
        "missing_headcount", "headcount", None, "headcount is empty")
    assert _problem(headcount_record, {"skpd": DINKES, "headcount": "291", "headcount_pns": "abc"}, ctx)[:3] == (
        "bad_number", "headcount_pns", "abc")
    assert _problem(headcount_record, {"skpd": DINKES, "headcount": "x"}, ctx)[:3] == ("bad_number", "headcount", "x")
    assert _problem(headcount_record, {"skpd": DINKES, "headcount": "1", "headcount_pppk": "y", "headcount_pns": "2"},
                    ctx)[:3] == ("bad_number", "headcount_pppk", "y")
    assert _problem(headcount_record, {"skpd": DINKES, "headcount": "1", "as_of": "kemarin"}, ctx)[:3] == (
        "bad_date", "as_of", "kemarin")
    assert _problem(headcount_record, {"skpd": DINKES, "headcount": "291"}, {}) == (
        "missing_date", "as_of", None, "the recap gives no date (title 'Keadaan per ...' or an as-of column)")
    assert _problem(headcount_record, {"skpd": "Dinas Entah", "headcount": "291"}, ctx)[:2] == ("unknown_skpd", "skpd")


def test_an_attendance_record_takes_what_its_cells_lack_from_the_title():
    ctx = {"agencies": AGENCIES, "nip_key": KEY, "cop": "CoP Judul", "activity_title": "Rapat Judul",
           "activity_date": "2 Maret 2026"}
    assert attendance_record({"nip": NIP1}, ctx) == {
        "nip": pseudonym(NIP1, KEY), "cop": "CoP Judul", "activity_title": "Rapat Judul", "activity_date": d(2026, 3, 2),
        "role": "Peserta", "skpd_text": None, "skpd": None, "submitted_at": None}
    cells = {"nip": NIP2, "cop": " CoP  A ", "activity_title": "Kelas 9", "activity_date": "2026-03-05", "role": "speaker",
             "skpd": " Dinas  Kesehatan ", "submitted_at": "2026-03-05 08:15"}
    assert attendance_record(cells, ctx) == {
        "nip": pseudonym(NIP2, KEY), "cop": "CoP A", "activity_title": "Kelas 9", "activity_date": d(2026, 3, 5),
        "role": "Narasumber", "skpd_text": "Dinas Kesehatan", "skpd": DINKES, "submitted_at": t(2026, 3, 5, 8, 15)}
    record = attendance_record({**cells, "skpd": "Dinas Entah"}, ctx)         # an unknown agency is kept as written
    assert (record["skpd_text"], record["skpd"]) == ("Dinas Entah", None)


def test_an_attendance_row_without_a_cop_title_or_date_is_rejected():
    assert _problem(attendance_record, {"nip": NIP1, "activity_title": "R", "activity_date": "2026-03-05"}, {}) == (
        "missing_cop", "cop", None, "cop is empty")
    assert _problem(attendance_record, {"nip": NIP1, "cop": "C", "activity_date": "2026-03-05"}, {}) == (
        "missing_activity_title", "activity_title", None, "activity_title is empty")
    assert _problem(attendance_record, {"nip": NIP1, "cop": "C", "activity_title": "R"}, {})[:3] == (
        "missing_date", "activity_date", None)
    assert _problem(attendance_record, {"nip": None, "cop": "C", "activity_title": "R", "activity_date": "2026-03-05"},
                    {})[:2] == ("missing_nip", "nip")
    assert _problem(attendance_record, {"nip": NIP1, "cop": "C", "activity_title": "R", "activity_date": "2026-03-05",
                                        "submitted_at": "besok"}, {})[:3] == ("bad_date", "submitted_at", "besok")


def test_an_aset_record_and_an_unreadable_uploader():
    cells = {"aset_id": " ap-2026-00001 ", "title": "Panduan", "aset_kind": None, "cop": "CoP A", "skpd": DINKES,
             "uploader_nip": NIP1, "uploaded_on": "2026-01-30", "status": "Published", "published_on": "2026-02-06"}
    ctx = {"agencies": AGENCIES, "nip_key": KEY, "row_number": 5}
    assert aset_record(cells, ctx) == {
        "aset_id": "AP-2026-00001", "title": "Panduan", "aset_kind": None, "cop": "CoP A", "skpd": DINKES,
        "uploader_nip": pseudonym(NIP1, KEY), "uploaded_on": d(2026, 1, 30), "status": "terbit",
        "published_on": d(2026, 2, 6)}
    cells = {**cells, "aset_kind": "Video", "uploader_nip": 1.98503302010012e17, "uploaded_on": None, "published_on": None}
    record = aset_record(cells, ctx)
    assert (record["aset_kind"], record["uploader_nip"], record["uploaded_on"], record["published_on"]) == (
        "Video", None, None, None)
    assert ctx["unreadable_uploaders"] == [(5, "numeric_nip")]
    assert aset_record({**cells, "uploader_nip": None}, ctx)["uploader_nip"] is None
    assert ctx["unreadable_uploaders"] == [(5, "numeric_nip")]


def test_an_aset_row_is_rejected_naming_its_column():
    cells = {"aset_id": "AP-1", "title": "T", "cop": "C", "skpd": DINKES, "status": "Terbit"}
    assert _problem(aset_record, {**cells, "status": "Arsip"}, {}) == (
        "unknown_status", "status", "Arsip", "unknown status 'Arsip'")
    assert _problem(aset_record, {**cells, "aset_id": None}, {})[:2] == ("missing_aset_id", "aset_id")
    assert _problem(aset_record, {**cells, "skpd": "Dinas Entah"}, {})[:2] == ("unknown_skpd", "skpd")
    assert _problem(aset_record, {**cells, "uploaded_on": "kemarin"}, {})[:3] == ("bad_date", "uploaded_on", "kemarin")
    assert _problem(aset_record, {**cells, "published_on": "besok"}, {})[:3] == ("bad_date", "published_on", "besok")


def test_an_access_record():
    cells = {"event_time": "2026-03-01 08:00", "nip": NIP1, "aset_id": " ap-1 ", "action": "Unduh"}
    assert access_record(cells, {"nip_key": KEY}) == {"event_time": t(2026, 3, 1, 8, 0), "nip": pseudonym(NIP1, KEY),
                                                      "aset_id": "AP-1", "action": "download"}
    assert _problem(access_record, {**cells, "action": "Bagikan"}, {}) == (
        "unknown_action", "action", "Bagikan", "unknown action 'Bagikan'")
    assert _problem(access_record, {**cells, "event_time": None}, {})[:3] == ("missing_date", "event_time", None)
    assert _problem(access_record, {**cells, "nip": "-"}, {})[:3] == ("missing_nip", "nip", "-")


def test_an_activity_record():
    cells = {"quarter_label": " TW  I ", "skpd": DINKES, "cop": "CoP A", "activity_title": "Rapat",
             "activity_date": "2026-01-15", "accompanied": "Ya", "mentor": None, "attendee_count": "12"}
    assert activity_record(cells, {"agencies": AGENCIES}) == {
        "quarter_label": "TW I", "skpd": DINKES, "cop": "CoP A", "activity_title": "Rapat", "activity_date": d(2026, 1, 15),
        "accompanied": True, "mentor": None, "attendee_count": 12}
    cells = {**cells, "quarter_label": None, "accompanied": None, "mentor": "Pak Budi", "attendee_count": None}
    record = activity_record(cells, {"agencies": AGENCIES})
    assert (record["quarter_label"], record["accompanied"], record["mentor"], record["attendee_count"]) == (
        None, None, "Pak Budi", None)
    assert _problem(activity_record, {**cells, "accompanied": "mungkin"}, {})[:3] == ("bad_yes_no", "accompanied", "mungkin")
    assert _problem(activity_record, {**cells, "attendee_count": "-3"}, {})[:3] == ("bad_number", "attendee_count", "-3")
    assert _problem(activity_record, {**cells, "activity_date": "x"}, {})[:3] == ("bad_date", "activity_date", "x")
    assert _problem(activity_record, {**cells, "cop": None}, {})[:2] == ("missing_cop", "cop")
    assert _problem(activity_record, {**cells, "activity_title": None}, {})[:2] == ("missing_activity_title", "activity_title")
    assert _problem(activity_record, {**cells, "skpd": None}, {})[:2] == ("missing_skpd", "skpd")


MATURITY = {"skpd": DINKES, "cop": "CoP A", "strategi": "1", "orang": 5.0, "proses": "3.5", "konten": "1.12345678",
            "teknologi": "4"}


def test_a_maturity_record_keeps_exact_scores_from_1_to_5():
    ctx = {"agencies": AGENCIES, "year": "2025", "instrument": "KM v2"}
    assert maturity_record({**MATURITY, "mean_file": "2.9", "level_file": 3.0}, ctx) == {
        "skpd": DINKES, "cop": "CoP A", "strategi": D(1), "orang": D(5), "proses": D("3.5"), "konten": D("1.12345678"),
        "teknologi": D(4), "year": 2025, "mean_file": D("2.9"), "level_file": 3, "instrument": "KM v2"}
    record = maturity_record({**MATURITY, "year": "2026"}, {"agencies": AGENCIES, "year": "2025"})
    assert (record["year"], record["mean_file"], record["level_file"], record["instrument"]) == (2026, None, None, None)


@pytest.mark.parametrize("dim, value, problem", [
    ("konten", "1.123456789", ("too_precise", "konten", "1.123456789", "konten score 1.123456789 has more than 8 decimals")),
    ("strategi", "0.99", ("score_out_of_range", "strategi", "0.99", "strategi score 0.99 is outside 1-5")),
    ("teknologi", "5.01", ("score_out_of_range", "teknologi", "5.01", "teknologi score 5.01 is outside 1-5")),
    ("orang", None, ("missing_number", "orang", None, "number is empty")),
    ("proses", "tinggi", ("bad_number", "proses", "tinggi", "not a number: 'tinggi'")),
])
def test_a_maturity_score_too_precise_or_outside_1_to_5_is_rejected(dim, value, problem):
    assert _problem(maturity_record, {**MATURITY, dim: value}, {"year": "2025"}) == problem


def test_a_maturity_row_needs_a_year_and_readable_file_values():
    assert _problem(maturity_record, MATURITY, {}) == (
        "missing_year", "year", None, "no year (title 'TAHUN 2025' or a Tahun column)")
    assert _problem(maturity_record, {**MATURITY, "year": "1999"}, {})[:3] == ("bad_year", "year", "1999")
    assert _problem(maturity_record, {**MATURITY, "mean_file": "x"}, {"year": "2025"})[:3] == ("bad_number", "mean_file", "x")
    assert _problem(maturity_record, {**MATURITY, "level_file": "2.5"}, {"year": "2025"})[:3] == (
        "bad_number", "level_file", "2.5")
    assert _problem(maturity_record, {**MATURITY, "skpd": "Dinas Entah"}, {"year": "2025"})[:2] == ("unknown_skpd", "skpd")
    assert _problem(maturity_record, {**MATURITY, "cop": None}, {"year": "2025"})[:2] == ("missing_cop", "cop")


JURY = {"skpd": DINKES, "cop": "CoP A", "juror": "Juri 1", "score": "87.5"}


@pytest.mark.parametrize("score", ["0", "100", "12.3456"])
def test_a_jury_score_from_0_to_100_with_four_decimals_at_most(score):
    assert jury_record({**JURY, "score": score}, {"agencies": AGENCIES, "year": "2025"}) == {
        "year": 2025, "skpd": DINKES, "cop": "CoP A", "juror": "Juri 1", "score": D(score)}


def test_a_jury_rows_year_cell_wins_over_the_title():
    assert jury_record({**JURY, "year": 2026.0}, {"agencies": AGENCIES, "year": "2025"})["year"] == 2026


@pytest.mark.parametrize("cells, ctx, problem", [
    ({"score": "100.01"}, {"year": "2025"}, ("score_out_of_range", "score", "100.01", "jury score 100.01 is outside 0-100")),
    ({"score": "-0.5"}, {"year": "2025"}, ("score_out_of_range", "score", "-0.5", "jury score -0.5 is outside 0-100")),
    ({"score": "12.34567"}, {"year": "2025"}, ("too_precise", "score", "12.34567", "jury score 12.34567 has more than 4 decimals")),
    ({"score": None}, {"year": "2025"}, ("missing_number", "score", None, "number is empty")),
    ({}, {}, ("bad_year", "year", None, "not a year: None")),
    ({"juror": None}, {"year": "2025"}, ("missing_juror", "juror", None, "juror is empty")),
    ({"cop": None}, {"year": "2025"}, ("missing_cop", "cop", None, "cop is empty")),
])
def test_a_jury_row_is_rejected_at_its_boundaries(cells, ctx, problem):
    assert _problem(jury_record, {**JURY, **cells}, ctx) == problem


def test_a_jury_rows_unknown_agency_is_rejected():
    assert _problem(jury_record, {**JURY, "skpd": "Dinas Entah"}, {"year": "2025"})[:2] == ("unknown_skpd", "skpd")


@pytest.mark.parametrize("cells, ctx, date", [
    ({"event_time": "2026-03-01 08:00", "activity_date": "2026-03-05"}, {}, d(2026, 3, 1)),
    ({"event_time": None, "activity_date": "2026-03-05"}, {"activity_date": "2026-03-02"}, d(2026, 3, 5)),
    ({"activity_date": None}, {"activity_date": "2 Maret 2026"}, d(2026, 3, 2)),
    ({"event_time": "kemarin"}, {}, None),
    ({}, {}, None),
])
def test_a_rejected_rows_own_date_is_kept_when_readable(cells, ctx, date):
    assert _row_date(cells, ctx) == date


def test_a_rejected_attendance_row_carries_the_title_date():
    rows = [["NIP", "Nama"], ["1985", "Ani"]]
    layout = _layout("attendance", rows, {"nip": 0, "name": 1}, title=SIGN_IN_TITLE)
    (rejected,) = parse_table(layout, AGENCIES).rejections
    assert (rejected.row_number, rejected.reason_code, rejected.row_date, rejected.raw_row) == (2, "bad_nip", d(2026, 3, 2),
                                                                                                "1985 | Ani")


# -- consistency notes --------------------------------------------------------------------------

def test_a_recap_row_whose_total_is_not_pns_plus_pppk_is_noted():
    records = [{"skpd": DINKES, "headcount": 291, "headcount_pns": 248, "headcount_pppk": 43},     # 248 + 43 = 291
               {"skpd": DISDIK, "headcount": 999, "headcount_pns": 110, "headcount_pppk": 10},    # 110 + 10 = 120
               {"skpd": DISDIK, "headcount": 5, "headcount_pns": None, "headcount_pppk": 4},
               {"skpd": DISDIK, "headcount": 5, "headcount_pns": 4, "headcount_pppk": None}]
    assert _headcount_sums(records, [2, 3, 4, 5]) == [
        "1 row(s) whose total differs from PNS + PPPK (the total is used): row 3 (Dinas Pendidikan: 999 vs 110 + 10)"]
    assert _headcount_sums(records[:1], [2]) == []


def test_a_recap_note_is_added_by_the_table():
    rows = [["Perangkat Daerah", "PNS", "PPPK", "Jumlah"], [DINKES, 248, 43, 300]]
    layout = _layout("headcount", rows, {"skpd": 0, "headcount_pns": 1, "headcount_pppk": 2, "headcount": 3},
                     title=["Keadaan per 30 Juni 2026"])
    assert parse_table(layout, AGENCIES).notes == [
        "1 row(s) whose total differs from PNS + PPPK (the total is used): row 2 (Dinas Kesehatan: 300 vs 248 + 43)"]


def test_a_quarter_label_contradicting_the_date_is_noted():
    meetings = [("TW I 2026", d(2026, 3, 31)), ("TW I 2026", d(2026, 4, 1)), ("Triwulan IV", d(2026, 12, 1)),
                ("Q3-2026", d(2026, 7, 1)), ("Q3-2026", d(2025, 7, 1)), ("kuartal ii 2025", d(2025, 5, 5)),
                ("Quarter 4", d(2026, 10, 1)), (None, d(2026, 1, 1)), ("TW III 2026", d(2026, 9, 30)), ("TW 1", d(2026, 1, 1)),
                ("tw2", d(2026, 1, 1)), ("Periode 1", d(2026, 8, 1))]
    records = [{"quarter_label": label, "activity_date": date} for label, date in meetings]
    # rows 2-13; row 3: April is TW II; row 6: 2025 is not 2026; row 12: January is TW I
    assert _quarter_labels(records, list(range(2, 14))) == [
        "3 meeting(s) whose quarter label contradicts the date (the date is used): row 3 (TW I 2026, 01-04-2026), "
        "row 6 (Q3-2026, 01-07-2025), row 12 (tw2, 01-01-2026)"]
    assert _quarter_labels(records[:1], [2]) == []


def test_a_long_number_at_the_edges_of_excels_forms():
    from data.intake.records import raw_text
    # 15 significant digits kept from 16 digits on, even with a fraction Excel would not show
    assert raw_text(1000000000000000.5) == "1000000000000000"
    # from 21 digits on Excel's own short form (the formula bar shows 1E+21)
    assert raw_text(1e21) == "1E+21"
