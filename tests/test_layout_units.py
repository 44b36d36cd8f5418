"""``data.intake.layout`` helpers called directly (what mutation testing found no import test
pins down, issue 19): column letters, the note about cells right of the header, the message
of an unknown kind, the maturity instrument label; merged cells, header mapping, title lines and
the choice of sheet and kind on hand-made sheets. Expected values are worked out by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from data.errors import ImportRefused
from data.intake.kinds import KIND_BY_NAME
from data.intake.layout import (HEADER_SCAN_ROWS, Layout, _column_letters, _joined_label, _map_header, _maps_any, _score,
                                _title_values, _unknown_kind_message, cells_beyond_header, fill_merged, find_layout,
                                instrument_from_block, title_from_block)
from data.intake.readers import Sheet, Workbook


@pytest.mark.parametrize("col, letters", [(0, "A"), (4, "E"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"),
                                          (701, "ZZ"), (702, "AAA")])
def test_column_letters_as_a_spreadsheet_shows_them(col, letters):
    assert _column_letters(col) == letters


def _layout(rows: list[list[object]], columns: dict[str, int]) -> Layout:
    return Layout("roster", Sheet("", rows), [0], columns, [], [])


def test_cells_right_of_the_header_are_named_by_row_cell_and_value():
    rows = [["NIP", "Nama", "Perangkat Daerah"],                  # header: A-C
            ["1", "Sari", "Dinkes"],
            ["2", "Budi", "Disdik", "catatan"],                    # D3
            ["3", "Rina", "Dishub", "", "", "lagi"]]               # F4 (D4, E4 empty)
    note = cells_beyond_header(_layout(rows, {"nip": 0, "name": 1, "skpd": 2}))
    assert note == ["2 row(s) hold values right of the header's last column (C), not read: "
                    "row 3 (D3 'catatan'), row 4 (F4 'lagi')"]


def test_the_header_ends_at_its_last_named_or_mapped_column():
    # the header names A and C (B empty): a value in C is in the table, one in D is not
    rows = [["NIP", "", "Perangkat Daerah"], ["1", "x", "Dinkes", "lebih"]]
    assert cells_beyond_header(_layout(rows, {"nip": 0, "skpd": 2})) == [
        "1 row(s) hold values right of the header's last column (C), not read: row 2 (D2 'lebih')"]
    # a mapped column right of every header text widens the table
    rows = [["NIP"], ["1", "Dinkes"]]
    assert cells_beyond_header(_layout(rows, {"nip": 0, "skpd": 1})) == []
    # empty cells beyond the header are no note
    assert cells_beyond_header(_layout([["NIP", "Nama"], ["1", "Sari", "", " "]], {"nip": 0, "name": 1})) == []


def test_a_row_names_three_values_at_most_each_cut_at_forty_characters():
    long = "x" * 45
    rows = [["NIP", "Nama"], ["1", "Sari", "a", "", "b", long, "c"]]        # C2, E2, F2, G2
    assert cells_beyond_header(_layout(rows, {"nip": 0, "name": 1})) == [
        f"1 row(s) hold values right of the header's last column (B), not read: row 2 (C2 'a', E2 'b', F2 '{'x' * 40}')"]


def test_rows_above_the_header_are_not_data():
    rows = [["Daftar pegawai", None, None, "dicetak 2 Maret"], ["NIP", "Nama"], ["1", "Sari"]]
    layout = Layout("roster", Sheet("", rows), [1], {"nip": 0, "name": 1}, [], [])
    assert cells_beyond_header(layout) == []


@pytest.mark.parametrize("count, ellipsis", [(10, False), (11, True)])
def test_ten_rows_are_named_and_an_eleventh_is_an_ellipsis(count, ellipsis):
    rows = [["NIP"]] + [[str(i), "x"] for i in range(count)]
    note = cells_beyond_header(_layout(rows, {"nip": 0}))[0]
    assert note.endswith("row 11 (B11 'x'), ...") if ellipsis else note.endswith("row 11 (B11 'x')")


@pytest.mark.parametrize("header, columns, note", [
    (["Catatan"], {}, "(A), not read: row 2 (B2 'y')"),              # no column: the header's text gives the width
    ([None, " "], {"nip": 0}, "(A), not read: row 2 (B2 'y')"),      # no header text: the mapped columns do
    ([None], {}, "(A), not read: row 2 (A2 'x', B2 'y')"),             # neither: every value is beyond
])
def test_the_width_of_a_hand_made_layout_without_columns_or_header_text(header, columns, note):
    assert cells_beyond_header(_layout([header, ["x", "y"]], columns)) == [
        f"1 row(s) hold values right of the header's last column {note}"]


def test_more_than_ten_rows_are_cut_with_an_ellipsis():
    rows = [["NIP"]] + [[str(i), "x"] for i in range(12)]
    note = cells_beyond_header(_layout(rows, {"nip": 0}))[0]
    assert note.startswith("12 row(s) hold values right of the header's last column (A), not read: row 2 (B2 'x')")
    assert note.endswith("row 11 (B11 'x'), ...") and "row 12 " not in note


def test_the_unknown_kind_message_names_the_closest_kind_and_the_sheet():
    spec = KIND_BY_NAME["roster"]
    assert _unknown_kind_message(None, None) == (
        "no table of a known export kind found (no header row with known column names)")
    assert _unknown_kind_message(None, (0, spec, ["skpd"], ["nip", "nama"], "Pegawai")) == (
        f"closest kind is '{spec.label}' but column(s) ['skpd'] are missing on sheet 'Pegawai'; "
        "columns found: ['nip', 'nama']")
    assert _unknown_kind_message(None, (0, spec, ["skpd"], ["nip"], "")) == (
        f"closest kind is '{spec.label}' but column(s) ['skpd'] are missing; columns found: ['nip']")


@pytest.mark.parametrize("lines, instrument", [(["Instrumen: KM-MAT v2"], "KM-MAT v2"),
                                               (["Instrument: KM-MAT v3"], "KM-MAT v3"),
                                               (["Tahun: 2026"], None)])
def test_the_maturity_instrument_is_read_in_either_language(lines, instrument):
    assert instrument_from_block(lines) == instrument


def test_a_sub_header_row_needs_two_known_column_names():
    spec = KIND_BY_NAME["roster"]
    assert _maps_any(spec, ["NIP", "Nama", 3]) is True
    assert _maps_any(spec, ["NIP", "catatan", None]) is False
    assert _maps_any(spec, [198503302010012001, 2, "Nama"]) is False       # numbers are not header texts


def test_a_column_under_an_unmapped_header_text_is_inside_the_table():
    # "Keterangan" maps to no roster column, but it is a header: C3 is in the table, D3 is not
    rows = [["NIP", "Nama", "Keterangan"], ["1", "Sari", "cuti"], ["2", "Budi", "", "lagi"]]
    assert cells_beyond_header(_layout(rows, {"nip": 0, "name": 1})) == [
        "1 row(s) hold values right of the header's last column (C), not read: row 3 (D3 'lagi')"]


# -- merged cells, header mapping, title lines, choosing the sheet and kind (hand-made sheets) --


NIP1 = "198503302010012001"


def _book(*sheets: Sheet, notes: list[str] | None = None) -> Workbook:
    return Workbook("f.xlsx", "xlsx", list(sheets), notes=list(notes or []))


def _refusal(book: Workbook) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        find_layout(book)
    return caught.value


def test_a_merged_range_gives_every_cell_of_it_its_top_left_value():
    sheet = Sheet("S", [["TW I", "x", "y"], [None, "p"], (), ["z"]],
                  merged=[((0, 0), (2, 1)),     # A1:B3 <- "TW I"; row 3 is a sparse sheet's shared empty row
                          ((1, 2), (1, 3)),     # C2:D2: C2 is past the end of row 2, so empty
                          ((3, 0), (9, 1)),     # A4:B10, cut at the last row (4): B4 <- "z"
                          ((4, 0), (5, 0))])    # starts under the last row: nothing
    fill_merged(sheet)
    assert sheet.rows == [["TW I", "TW I", "y"], ["TW I", "TW I", None, None], ["TW I", "TW I"], ["z", "z"]]
    assert type(sheet.rows[2]) is list
    # a range under the last row does not stop the ranges listed after it
    sheet = Sheet("S", [["a", None]], merged=[((3, 0), (4, 0)), ((0, 0), (0, 1))])
    fill_merged(sheet)
    assert sheet.rows == [["a", "a"]]


def test_a_two_row_header_maps_the_sub_header_first_and_drops_repeated_and_numbered_cells():
    spec = KIND_BY_NAME["headcount"]
    top = ["No", "Perangkat Daerah", "Jumlah Pegawai", "Jumlah Pegawai", "Jumlah Pegawai", "Catatan"]
    sub = ["No", None, "PNS", "PPPK", "Total", None, "Lain"]          # one cell longer than the top row
    # "No" merged down is the running number (ignored); "Jumlah Pegawai" alone would be the total (priority 4),
    # but the sub-header cells PNS / PPPK / Total come first; "Catatan" and "Lain" map to nothing
    assert _map_header(spec, top, sub) == (
        {"skpd": 1, "headcount_pns": 2, "headcount_pppk": 3, "headcount": 4}, ["Catatan", "Lain"], 4)


def test_a_group_cell_and_its_sub_cell_together_name_a_column():
    spec = KIND_BY_NAME["roster"]
    # "Status Kepegawaian" (the status's best name) beats "Jenis Pegawai" (its third); "Status" alone is its fifth
    top = ["NIP", "Status", "Jenis Pegawai", "Keterangan"]
    sub = ["NIP", "Kepegawaian", "Jenis Pegawai", "Lain"]
    assert _map_header(spec, top, sub) == ({"nip": 0, "employment_status": 1}, ["Keterangan / Lain"], 2)
    # one row: "Status" (fifth name) loses to "Jenis Pegawai" (third); a sub row shorter than the top row
    assert _map_header(spec, top, ["NIP"]) == ({"nip": 0, "employment_status": 2}, ["Keterangan"], 2)
    # the same column twice: the first cell keeps it
    assert _map_header(spec, ["NIP", "Nama", "NIP"], None) == ({"nip": 0, "name": 1}, [], 2)


def test_title_lines_give_label_value_pairs_split_at_the_first_colon():
    assert _title_values(["Nama CoP : CoP Inovasi ", "Judul tanpa titik dua", "Tanggal:", "Waktu: 08:00 - 10:00"]) == {
        "nama cop": "CoP Inovasi", "waktu": "08:00 - 10:00"}


@pytest.mark.parametrize("cells, line", [
    (["Nama CoP", ":", "CoP X"], ["Nama CoP : CoP X"]),
    (["Tanggal", "2 Maret 2026"], ["Tanggal : 2 Maret 2026"]),
    (["Nama CoP:", "CoP X"], ["Nama CoP : CoP X"]),                  # the label's own colon
    (["Kegiatan", ": Rapat"], ["Kegiatan : Rapat"]),                   # the value's leading colon
    (["A", "B", "C", "D"], ["A : B C D"]),                             # four cells at most
    (["A", "B", "C", "D", "E"], []),
    (["Judul"], []),
    (["Nama CoP: CoP X", "lain"], []),                                 # the first cell already holds "label : value"
    (["Tanggal", ":"], []),                                            # no value
    (["Kegiatan", "Rapat", ":", "Besar"], ["Kegiatan : Rapat Besar"]),  # a lone colon anywhere is dropped
    (["Kode", ":", "X-1"], ["Kode : X-1"]),
    (["Kelas X", "Rapat"], ["Kelas X : Rapat"]),
])
def test_a_label_and_its_value_in_separate_cells_make_one_title_line(cells, line):
    assert _joined_label(cells) == line


@pytest.mark.parametrize("column, lines, value", [
    ("activity_date", ["Tanggal: 3 Maret 2026", "Hari/Tanggal: Senin, 2 Maret 2026"], "Senin, 2 Maret 2026"),  # first label listed
    ("cop", ["DAFTAR HADIR KEGIATAN COP INOVASI DIGITAL "], "COP INOVASI DIGITAL"),
    ("cop", ["Daftar hadir - CoP Layanan"], "CoP Layanan"),
    ("cop", ["DAFTAR HADIR RAPAT"], None),
    ("year", ["DAFTAR HADIR COP X TAHUN 2025"], "2025"),
    ("year", ["CoP MATURITY ASSESSMENT 2025"], "2025"),
    ("year", ["Penilaian Maturitas 2024 - 2025"], None),               # two years: which one is not said
    ("as_of", ["Rekap Pegawai Keadaan per 30 Juni 2026 "], "30 Juni 2026"),
    ("activity_title", ["DAFTAR HADIR KEGIATAN COP X", "TAHUN 2025", "Keadaan per 1 Mei 2026"], None),
])
def test_the_title_block_gives_a_columns_value(column, lines, value):
    assert title_from_block(KIND_BY_NAME["attendance"], column, lines) == value


def test_title_labels_read_already_are_used_as_given():
    assert title_from_block(KIND_BY_NAME["attendance"], "cop", [], {"nama cop": "CoP X"}) == "CoP X"


def test_a_column_the_title_never_gives_is_none():
    assert title_from_block(KIND_BY_NAME["attendance"], "nip", ["NIP : 198503302010012001"]) is None


def test_a_kind_is_complete_with_its_stand_in_columns_or_its_title():
    headcount, attendance = KIND_BY_NAME["headcount"], KIND_BY_NAME["attendance"]
    assert _score(headcount, {"skpd": 0, "headcount_pns": 1, "headcount_pppk": 2}, []) == (True, [])
    assert _score(headcount, {"skpd": 0, "headcount_pns": 1}, []) == (False, ["headcount"])
    assert _score(attendance, {"nip": 0}, ["Nama CoP : X", "Kegiatan : Rapat"]) == (False, ["activity_date"])
    assert _score(attendance, {"nip": 0, "activity_date": 1}, ["Nama CoP : X", "Kegiatan : Rapat"]) == (True, [])


ROSTER_ROWS = [["NIP", "Nama", "Perangkat Daerah"], [NIP1, "Ani", "Dinas Kesehatan"]]


@pytest.mark.parametrize("titles, found", [(HEADER_SCAN_ROWS - 1, True), (HEADER_SCAN_ROWS, False)])
def test_the_header_is_looked_for_in_the_first_forty_rows(titles, found):
    rows = [[f"judul {i}"] for i in range(titles)] + ROSTER_ROWS
    book = _book(Sheet("Data", rows))
    if found:
        assert find_layout(book).header_rows == [39]
    else:
        assert _refusal(book).reason_code == "unknown_kind"


@pytest.mark.parametrize("gap, found", [(0, True), (1, False)])
def test_the_header_is_looked_for_up_to_two_rows_under_the_first_row_of_known_names(gap, found):
    # row 1 holds two known names (NIP, Nama) but no whole kind; so does row 2 (which does not move the limit)
    rows = [["NIP", "Nama"], ["NIP", "Nama"]] + [[1, 2]] * gap + ROSTER_ROWS
    book = _book(Sheet("Data", rows))
    if found:
        assert find_layout(book).header_rows == [2]
    else:
        assert _refusal(book).reason_code == "unknown_kind"


@pytest.mark.parametrize("checkbox", [[], [True]])
def test_a_header_merged_down_two_rows_is_not_a_data_row(checkbox):
    # the second row repeats the names (merged down): data start under it, a TRUE cell (a ticked box) is no number
    rows = [["Perangkat Daerah", "PNS", "PPPK"], ["Perangkat Daerah", "PNS", "PPPK", *checkbox], ["Dinas Kesehatan", 248, 43]]
    layout = find_layout(_book(Sheet("Rekap", rows)))
    assert (layout.kind, layout.first_data_row) == ("headcount", 2)
    assert layout.columns == {"skpd": 0, "headcount_pns": 1, "headcount_pppk": 2}


def test_a_two_row_header_without_data_rows_is_still_two_rows():
    rows = [["Perangkat Daerah", "Jumlah Pegawai", "Jumlah Pegawai"], [None, "PNS", "PPPK"]]
    layout = find_layout(_book(Sheet("Rekap", rows)))
    assert (layout.header_rows, layout.columns) == ([0, 1], {"skpd": 0, "headcount_pns": 1, "headcount_pppk": 2})


def test_a_column_named_one_row_lower_than_the_others_makes_a_two_row_header():
    rows = [["NIP", "Nama", "Perangkat Daerah", None], [None, None, None, "Status"], [NIP1, "Ani", "Dinas Kesehatan", "PNS"]]
    layout = find_layout(_book(Sheet("Data", rows)))
    assert (layout.header_rows, layout.columns) == ([0, 1], {"nip": 0, "name": 1, "skpd": 2, "employment_status": 3})


def test_a_row_of_text_under_the_header_is_data():
    rows = [["NIP", "Nama", "Perangkat Daerah"], [NIP1, "Ani", "Dinas Kesehatan"], [NIP1, "Budi", "Dinas Kesehatan"]]
    assert find_layout(_book(Sheet("Data", rows))).header_rows == [0]


def test_a_group_cell_over_a_sub_cell_makes_a_two_row_header():
    rows = [["NIP", "Nama", "Perangkat Daerah", "Jenis"], [None, None, None, "Pegawai"], [NIP1, "Ani", "Dinas Kesehatan", "PNS"]]
    layout = find_layout(_book(Sheet("Data", rows)))
    assert (layout.header_rows, layout.columns) == ([0, 1], {"nip": 0, "name": 1, "skpd": 2, "employment_status": 3})


def test_the_title_block_holds_the_lines_above_the_header_once_each():
    rows = [["DAFTAR HADIR KEGIATAN COP INOVASI DIGITAL"], ["Tanggal", dt.date(2026, 3, 2)],
            ["Kegiatan", ":", "Berbagi Pengetahuan"], ["DAFTAR HADIR KEGIATAN COP INOVASI DIGITAL"], [None, "  "],
            ["NIP", "Nama", "Perangkat Daerah", "Peran"], [NIP1, "Ani", "Dinas Kesehatan", "Peserta"]]
    layout = find_layout(_book(Sheet("Daftar Hadir", rows)))
    assert (layout.kind, layout.header_rows) == ("attendance", [5])
    assert layout.columns == {"nip": 0, "name": 1, "skpd": 2, "role": 3}
    assert layout.title_lines == ["DAFTAR HADIR KEGIATAN COP INOVASI DIGITAL", "Tanggal", "Tanggal : 2026-03-02",
                                  "Kegiatan", ":", "Berbagi Pengetahuan", "Kegiatan : Berbagi Pengetahuan"]


def test_empty_text_cells_of_a_title_line_are_not_cells_of_it():
    rows = [["Kegiatan", "", ":", "Rapat", " ", "Besar"], ["Nama CoP : CoP A"], ["Tanggal : 2 Maret 2026"],
            ["NIP", "Nama", "Perangkat Daerah", "Peran"], [NIP1, "Ani", "Dinas Kesehatan", "Peserta"]]
    layout = find_layout(_book(Sheet("Daftar Hadir", rows)))
    assert layout.title_lines[:5] == ["Kegiatan", ":", "Rapat", "Besar", "Kegiatan : Rapat Besar"]


def test_merged_cells_of_the_chosen_sheet_are_filled_in():
    rows = [["Triwulan", "Perangkat Daerah", "Nama CoP", "Kegiatan", "Tanggal", "Didampingi"],
            ["TW I", "Dinas Kesehatan", "CoP A", "Rapat", "2026-01-15", "Ya"],
            [None, "Dinas Kesehatan", "CoP A", "Rapat", "2026-02-12", "Tidak"]]
    layout = find_layout(_book(Sheet("Rekap", rows, merged=[((1, 0), (2, 0))])))
    assert layout.kind == "activity" and layout.sheet.rows[2][0] == "TW I"


def test_hidden_sheets_are_never_read_and_the_choice_among_visible_ones_is_noted():
    bigger = [["NIP", "Nama", "Perangkat Daerah", "Status"], [NIP1, "Ani", "Dinas Kesehatan", "PNS"]]
    hidden = Sheet("Lama", bigger, hidden=True)
    layout = find_layout(_book(hidden, Sheet("Data", ROSTER_ROWS), notes=["from the reader"]))
    assert (layout.sheet.name, layout.columns) == ("Data", {"nip": 0, "name": 1, "skpd": 2})
    assert layout.notes == ["hidden sheet 'Lama' ignored", "from the reader"]
    layout = find_layout(_book(hidden, Sheet("Petunjuk", [["Isi sheet Data"]]), Sheet("Data", ROSTER_ROWS)))
    assert layout.notes == ["hidden sheet 'Lama' ignored", "sheet 'Data' chosen by its columns out of ['Petunjuk', 'Data']"]


def test_an_example_sheet_loses_to_the_data_sheet_and_is_no_second_table():
    example = Sheet("Contoh Pengisian", [["NIP", "Nama", "Perangkat Daerah", "Status"], [NIP1, "Ani", "Dinas Kesehatan", "PNS"]])
    assert find_layout(_book(example, Sheet("Data", ROSTER_ROWS))).sheet.name == "Data"


def test_the_header_texts_no_column_takes_are_kept_for_the_note():
    rows = [["No", "NIP", "Nama", "Perangkat Daerah", "Keterangan"], [1, NIP1, "Ani", "Dinas Kesehatan", ""]]
    assert find_layout(_book(Sheet("Data", rows))).unmapped == ["Keterangan"]


def test_on_equal_columns_the_longer_table_wins_and_on_a_full_tie_the_first_sheet():
    recap = Sheet("Rekap", [["Rekap"], ["per unit"], ["Perangkat Daerah", "PNS", "PPPK", "Jumlah"],
                            ["Dinas Kesehatan", 248, 43, 291], ["Dinas Pendidikan", 255, 43, 298]])      # 2 rows under row 3
    roster = Sheet("Data", [["NIP", "Nama", "Perangkat Daerah", "Status"]] + [[NIP1, "Ani", "Dinas Kesehatan", "PNS"]] * 3)
    assert find_layout(_book(recap, roster)).kind == "roster"          # 3 data rows against 2
    recap.rows = recap.rows[2:] + [["Dinas Perhubungan", 298, 62, 360]]   # now 3 against 3
    assert find_layout(_book(recap, roster)).kind == "headcount"
    assert find_layout(_book(roster, recap)).kind == "roster"


@pytest.mark.parametrize("recap_header, kind", [
    (["Perangkat Daerah", "PNS", "PPPK", "Total", "Keterangan"], "headcount"),   # 4 columns - 0.1 beats 3
    (["Perangkat Daerah", "PNS", "PPPK", "Keterangan"], "roster"),              # 3 columns - 0.1 loses to 3
])
def test_the_table_mapping_the_most_columns_less_a_tenth_per_unknown_header_wins(recap_header, kind):
    recap = Sheet("Rekap", [recap_header, ["Dinas Kesehatan", 248, 43, 291, ""][:len(recap_header)]])
    assert find_layout(_book(Sheet("Data", ROSTER_ROWS), recap)).kind == kind


def test_an_unknown_kind_names_the_first_kind_with_the_most_columns_found():
    log = Sheet("Log", [["Waktu Akses", "ID Aset", "Aktivitas", 2026], ["2026-03-01 08:00", "AP-1", "Lihat"]])
    assert _refusal(_book(log)).file == "f.xlsx"
    assert _refusal(_book(log)).message == (
        "closest kind is 'Log akses Portal KM' but column(s) ['nip'] are missing on sheet 'Log'; "
        "columns found: ['Waktu Akses', 'ID Aset', 'Aktivitas']")
    log.rows[0] = ["Waktu Akses", "ID Aset"]                       # two columns are enough to be named
    assert "closest kind is 'Log akses Portal KM' but column(s) ['nip', 'action'] are missing" in _refusal(_book(log)).message
    # agency and CoP: five kinds map both; the first of them (attendance) is named
    cop = Sheet("Data", [["Perangkat Daerah", "Nama CoP"], ["Dinas Kesehatan", "CoP A"]])
    assert _refusal(_book(cop)).message.startswith(
        "closest kind is 'Kehadiran kegiatan CoP' but column(s) ['nip', 'activity_title', 'activity_date'] are missing")
    one = Sheet("Data", [["NIP", "Catatan"], [NIP1, "x"]])          # one known name: no kind is close
    assert _refusal(_book(one)).message == "no table of a known export kind found (no header row with known column names)"


SIGN_IN_END = ("(a column, or a title line such as 'Nama CoP : ...' / 'Tanggal : ...'); it was not read as a roster, "
               "which would replace the employee list; nothing was imported")


def test_a_roster_with_sign_in_columns_is_refused_naming_them():
    rows = [["NIP", "Nama", "Perangkat Daerah", "Peran", "Tanda Tangan"], [NIP1, "Ani", "Dinas Kesehatan", "Peserta", "ttd"]]
    refused = _refusal(_book(Sheet("Data", rows)))
    assert (refused.file, refused.reason_code, refused.message) == ("f.xlsx", "incomplete_sign_in_sheet", (
        "this looks like a sign-in sheet (Kehadiran kegiatan CoP: columns ['Peran', 'Tanda Tangan']) but "
        f"['cop', 'activity_title', 'activity_date'] is missing {SIGN_IN_END}"))


def test_a_sign_in_column_under_a_group_cell_is_named_by_its_own_text():
    rows = [["Identitas", "Identitas", "Status", "Perangkat Daerah", "Keterangan"],
            ["NIP", "Nama", "Kepegawaian", "Perangkat Daerah", "Peran"], [NIP1, "Ani", "PNS", "Dinas Kesehatan", "Peserta"]]
    refused = _refusal(_book(Sheet("Data", rows)))
    assert "(Kehadiran kegiatan CoP: columns ['Peran'])" in refused.message


@pytest.mark.parametrize("title, sheet", [("DAFTAR HADIR RAPAT", "Data"), ("Rapat", "Absensi Maret"),
                                          ("Presensi pegawai", "Data")])
def test_a_roster_under_a_sign_in_title_or_sheet_name_is_refused(title, sheet):
    refused = _refusal(_book(Sheet(sheet, [[title]] + ROSTER_ROWS)))
    assert (refused.reason_code, refused.message) == ("incomplete_sign_in_sheet", (
        "this looks like a sign-in sheet (Kehadiran kegiatan CoP: a sign-in title or sheet name) but "
        f"['cop', 'activity_title', 'activity_date'] is missing {SIGN_IN_END}"))


def test_a_roster_with_a_date_column_is_a_roster():
    rows = [["NIP", "Nama", "Perangkat Daerah", "Tanggal"], [NIP1, "Ani", "Dinas Kesehatan", "2026-01-02"]]
    assert find_layout(_book(Sheet("Pegawai", rows))).kind == "roster"


def test_a_second_sheet_of_the_same_kind_is_refused_unless_it_is_empty():
    pns = Sheet("PNS", ROSTER_ROWS)
    pppk = Sheet("PPPK", ROSTER_ROWS + [[NIP1, "Budi", "Dinas Kesehatan"]])     # the longer: chosen
    refused = _refusal(_book(pns, pppk))
    assert (refused.file, refused.reason_code, refused.message) == ("f.xlsx", "several_tables", (
        "sheets 'PPPK', 'PNS' each hold a Daftar pegawai table and one file is read as one table: put all rows in "
        "one sheet: a roster is one snapshot, and a second file would replace the first; nothing was imported"))
    pns.rows = [["Pegawai PNS"], ROSTER_ROWS[0], [None, " "]]                # a header over empty rows is no table
    assert find_layout(_book(pns, pppk)).sheet.name == "PPPK"


def test_a_log_split_into_monthly_sheets_is_refused_with_the_advice_for_events():
    header = ["Waktu Akses", "NIP", "ID Aset", "Aktivitas"]
    jan = Sheet("Jan", [header, ["2026-01-05 08:00", NIP1, "AP-1", "Lihat"]])
    feb = Sheet("Feb", [header, ["2026-02-05 08:00", NIP1, "AP-1", "Lihat"]])
    assert _refusal(_book(jan, feb)).message == (
        "sheets 'Jan', 'Feb' each hold a Log akses Portal KM table and one file is read as one table: put all rows "
        "in one sheet, or save each sheet as its own file; nothing was imported")


SIGN_IN_TITLE = [["DAFTAR HADIR KEGIATAN COP INOVASI"], ["Kegiatan : Rapat"], ["Tanggal : 2 Maret 2026"]]


@pytest.mark.parametrize("header, columns, unmapped", [
    # the roster and the sign-in readings both map 3 columns: the title makes it a sign-in sheet
    (["NIP", "Nama", "Perangkat Daerah"], {"nip": 0, "name": 1, "skpd": 2}, []),
    # Status (a roster column) beside a signature (a sign-in column): 4 - 0.1 either way
    (["NIP", "Nama", "Perangkat Daerah", "Status", "Tanda Tangan"], {"nip": 0, "name": 1, "skpd": 2, "signature": 4},
     ["Status"]),
])
def test_a_complete_sign_in_sheet_tying_with_the_roster_reading_is_read_as_attendance(header, columns, unmapped):
    # it was refused as "a sign-in sheet but nothing is missing" (found by mutation testing, issue 19)
    rows = SIGN_IN_TITLE + [header, [NIP1, "Ani", "Dinas Kesehatan", "PNS", "ttd"][:len(header)]]
    layout = find_layout(_book(Sheet("Sheet1", rows)))
    assert (layout.kind, layout.header_rows, layout.columns, layout.unmapped) == ("attendance", [3], columns, unmapped)
    assert layout.title_lines == ["DAFTAR HADIR KEGIATAN COP INOVASI", "Kegiatan : Rapat", "Tanggal : 2 Maret 2026"]
