"""Issue 12: any file the field really sends is imported or refused with a reason, never
crashes the importer, and one bad file does not stop the others.

Fixtures: ``fixtures/robustness/`` (see its ``make_fixtures.py``); expected values are
read off the fixtures' contents by hand.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from data import ingest
from data.ingest import ingest_file, ingest_paths, main, preview_file
from data.store import connect

HERE = Path(__file__).parent / "fixtures" / "robustness"
NIP1, NIP2, NIP3 = "198503302010012001", "199001012015032002", "198712122012121003"


def _roster(db: Path) -> list[tuple]:
    with connect(db, read_only=True) as con:
        return con.execute("SELECT nip_plain, name, skpd, employment_status FROM employee "
                           "WHERE replaced_by IS NULL ORDER BY source_row").fetchall()


def test_trailing_separator_on_every_row_is_ignored(tmp_path):
    result = ingest_file(HERE / "roster_trailing_separator.csv", db=tmp_path / "k.duckdb")
    assert (result.status, result.kind, result.rows_read, result.rows_loaded) == ("imported", "roster", 3, 3)
    assert not [n for n in result.notes if "right of the header" in n]
    assert _roster(tmp_path / "k.duckdb")[2] == (NIP3, "Rina Wati", "Dinas Perhubungan", "PPPK")


def test_row_longer_than_header_is_refused_with_a_reason_not_an_error(tmp_path):
    result = ingest_file(HERE / "row_longer_than_header.csv", db=tmp_path / "k.duckdb")
    assert (result.status, result.reason_code) == ("refused", "unknown_kind")
    assert "'skpd'" in result.reason


def test_values_right_of_the_header_are_reported_per_row_and_short_rows_padded(tmp_path):
    result = ingest_file(HERE / "roster_extra_and_short_rows.csv", db=tmp_path / "k.duckdb")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    note = next(n for n in result.notes if "right of the header" in n)
    assert note.startswith("1 row(s)") and "row 3 (E3 'catatan', F3 'lagi')" in note
    assert _roster(tmp_path / "k.duckdb") == [(NIP1, "Sari Dewi", "Dinas Kesehatan", "PNS"),
                                              (NIP2, "Budi Santoso", "Dinas Pendidikan", "PNS"),
                                              (NIP3, "Rina Wati", "Dinas Perhubungan", None)]


def test_access_log_with_a_trailing_comma_on_data_rows_loads(tmp_path):
    result = ingest_file(HERE / "access_log_trailing_comma.csv", db=tmp_path / "k.duckdb")
    assert (result.status, result.kind, result.rows_read, result.rows_loaded) == ("imported", "access_log", 3, 3)


@pytest.mark.parametrize("cell,row,column", [("AZ1048576", "1,048,576", "AZ"), ("XFD1048576", "1,048,576", "XFD"),
                                             ("XFD20000", "20,000", "XFD")])
def test_one_far_stray_cell_imports_the_table_and_names_the_cell(cell, row, column, tmp_path):
    result = ingest_file(HERE / f"far_cell_{cell}.xlsx", db=tmp_path / "k.duckdb")
    assert (result.status, result.rows_read, result.rows_loaded) == ("imported", 3, 3)
    assert f"holds 17 cell(s) spread up to row {row}, column {column}: read cell by cell" in " ".join(result.notes)
    assert f"({cell} 'x')" in " ".join(result.notes)
    assert len(_roster(tmp_path / "k.duckdb")) == 3


def test_a_file_that_aborts_the_reader_is_refused_in_a_line(tmp_path):
    result = ingest_file(HERE / "xls_reader_aborts.xls", db=tmp_path / "k.duckdb")
    assert (result.status, result.reason_code) == ("refused", "too_much_memory")
    assert "\n" not in result.reason
    assert preview_file(HERE / "xls_reader_aborts.xls").reason.endswith("[too_much_memory]")


def test_a_crashing_file_in_the_middle_of_a_folder_leaves_the_others_imported(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(HERE / "roster_trailing_separator.csv", folder / "a_roster.csv")
    shutil.copy(HERE / "xls_reader_aborts.xls", folder / "b_crash.xls")
    shutil.copy(HERE / "access_log_trailing_comma.csv", folder / "c_log.csv")
    assert main([str(folder), "--db", str(tmp_path / "k.duckdb")]) == 3
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert [line.split(":")[0] for line in lines] == ["a_roster.csv", "b_crash.xls", "c_log.csv"]
    assert "REFUSED" in lines[1] and "[too_much_memory]" in lines[1]
    with connect(tmp_path / "k.duckdb", read_only=True) as con:
        assert con.execute("SELECT count(*) FROM employee").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM access_event").fetchone()[0] == 3


def test_an_unexpected_error_becomes_a_refusal_and_the_folder_goes_on(tmp_path, monkeypatch):
    real = ingest.find_layout

    def failing(book):
        if book.file_name.startswith("b_"):
            raise KeyError("boom")
        return real(book)

    monkeypatch.setattr(ingest, "find_layout", failing)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(HERE / "roster_trailing_separator.csv", folder / "a.csv")
    shutil.copy(HERE / "roster_extra_and_short_rows.csv", folder / "b_.csv")
    shutil.copy(HERE / "access_log_trailing_comma.csv", folder / "c.csv")
    results = ingest_paths([folder], db=tmp_path / "k.duckdb")
    assert [(r.file, r.status, r.reason_code) for r in results] == [
        ("a.csv", "imported", None), ("b_.csv", "refused", "importer_fault"), ("c.csv", "imported", None)]
    assert "KeyError" in results[1].reason
    assert preview_file(folder / "b_.csv").reason.endswith("[importer_fault]")
