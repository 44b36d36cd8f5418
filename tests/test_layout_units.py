"""``data.intake.layout`` helpers called directly (what mutation testing found no import test
pins down, issue 19): column letters, the note about cells right of the header, the message
of an unknown kind, the maturity instrument label. Expected values are worked out by hand."""
from __future__ import annotations

import pytest

from data.intake.layout import (Layout, _column_letters, _maps_any, _unknown_kind_message, cells_beyond_header,
                                instrument_from_block)
from data.intake.kinds import KIND_BY_NAME
from data.intake.readers import Sheet


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
