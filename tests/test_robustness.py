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
from data.store.connection import connect

HERE = Path(__file__).parent / "fixtures" / "robustness"
FIELD_ODS = Path(__file__).parent / "fixtures" / "field_ods"
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


@pytest.mark.parametrize("cell", ["AZ1048576", "XFD1048576"])
def test_an_ods_with_one_far_stray_cell_imports_the_table(cell, tmp_path):
    """The xlsx fixture re-saved by LibreOffice (``soffice --convert-to ods``)."""
    result = ingest_file(HERE / f"far_cell_{cell}.ods", db=tmp_path / "k.duckdb")
    assert (result.status, result.rows_read, result.rows_loaded) == ("imported", 3, 3)
    assert "holds values far apart (last at row 1,048,576): read cell by cell" in " ".join(result.notes)
    assert f"({cell} 'x')" in " ".join(result.notes)
    assert _roster(tmp_path / "k.duckdb")[1] == (NIP2, "Budi Santoso", "Dinas Pendidikan", "PNS")


def test_the_cell_by_cell_ods_reader_agrees_with_calamine_on_the_field_samples():
    import python_calamine
    from data.intake import sparse_ods

    def trimmed(row):
        cells = [int(v) if isinstance(v, float) and v.is_integer() else (None if v == "" else v) for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        return cells

    for path in sorted(FIELD_ODS.glob("*.ods")):
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for sheet in sparse_ods.read_sparse(path):
            dense = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
            assert [trimmed(r) for r in sheet.rows] == [trimmed(r) for r in dense][:len(sheet.rows)], path.name
            assert all(not trimmed(r) for r in dense[len(sheet.rows):]), path.name


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
    assert preview_file(HERE / "xls_reader_aborts.xls").reason_code == "too_much_memory"


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
    assert preview_file(folder / "b_.csv").reason_code == "importer_fault"


_KEYS = ("skpd", "cop", "month", "quarter")


def _differences(got, want, where: str = "") -> list[str]:
    """Where ``got`` differs from ``want`` (floats to the JSON's six decimals; lists of rows
    matched by their skpd / cop / month / quarter)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where}: {got!r} is not an object"]
        return [d for k, v in want.items() for d in _differences(got.get(k), v, f"{where}.{k}")]
    if isinstance(want, list):
        key = next((k for k in _KEYS if want and isinstance(want[0], dict) and k in want[0]), None)
        if key is None or not isinstance(got, list):
            return [] if got == want else [f"{where}: {got!r} != {want!r}"]
        mine = {tuple(r.get(k) for k in _KEYS): r for r in got}
        if len(mine) != len(want):
            return [f"{where}: {len(mine)} rows, want {len(want)}"]
        return [d for w in want for d in _differences(mine.get(tuple(w.get(k) for k in _KEYS)), w, f"{where}[{w[key]}]")]
    if isinstance(want, float) and isinstance(got, (int, float)):
        return [] if abs(got - want) <= 5e-7 else [f"{where}: {got} != {want}"]
    return [] if got == want else [f"{where}: {got!r} != {want!r}"]


def test_field_samples_resaved_by_libreoffice_as_ods_give_the_expected_values(expected, tmp_path):
    from metrics.kpi import Scope
    from metrics.report import build_report
    files = sorted(FIELD_ODS.glob("*.ods"))
    assert len(files) == 25
    results = ingest_paths(files, db=tmp_path / "k.duckdb")
    assert [(r.file, r.status) for r in results if r.status != "imported"] == []
    with connect(tmp_path / "k.duckdb", read_only=True) as con:
        report = build_report(con, expected["year"], Scope.province())
    assert _differences(report, expected) == []


@pytest.mark.parametrize("name", ["roster_unicode_text.txt", "roster_xlsx_named.xls", "roster_workbook_part_renamed.xlsx"])
def test_a_roster_is_read_by_its_content_whatever_its_name_or_encoding(name, tmp_path):
    result = ingest_file(HERE / name, db=tmp_path / "k.duckdb")
    assert (result.status, result.kind, result.rows_loaded) == ("imported", "roster", 3)
    assert _roster(tmp_path / "k.duckdb")[0] == (NIP1, "Sari Dewi", "Dinas Kesehatan", "PNS")


@pytest.mark.parametrize("name,code,says", [
    ("roster_xor_encrypted.xls", "encrypted", "password-protected"),
    ("opendocument_text.ods", "not_a_spreadsheet", "OpenDocument text document"),
    ("word_document.xlsx", "not_a_spreadsheet", "Word document (docx)"),
    ("web_export_html.xls", "not_a_spreadsheet", "HTML page"),
    ("xls_reader_panics.xls", "broken_file", "PanicException"),
])
def test_a_refusal_names_what_the_file_really_is(name, code, says, tmp_path):
    result = ingest_file(HERE / name, db=tmp_path / "k.duckdb")
    assert (result.status, result.reason_code) == ("refused", code)
    assert says in result.reason and "\n" not in result.reason


def test_a_reader_panic_is_a_refusal_in_process_too():
    from data.intake.readers import read_workbook
    from data.errors import ImportRefused
    with pytest.raises(ImportRefused) as refused:
        read_workbook(HERE / "xls_reader_panics.xls")
    assert refused.value.reason_code == "broken_file"


def _rejections(db: Path) -> list[tuple]:
    with connect(db, read_only=True) as con:
        return con.execute("SELECT row_number, reason_code FROM rejected_row ORDER BY row_number").fetchall()


@pytest.mark.parametrize("name,kind", [("roster_cut_off.csv", "roster"), ("access_log_cut_off.csv", "access_log")])
def test_a_row_cut_off_at_the_end_of_a_csv_is_rejected_as_truncated(name, kind, tmp_path):
    result = ingest_file(HERE / name, db=tmp_path / "k.duckdb")
    assert (result.kind, result.rows_read, result.rows_loaded, result.rows_rejected) == (kind, 3, 2, 1)
    assert _rejections(tmp_path / "k.duckdb") == [(4, "truncated_row")]
    assert any(n.startswith("WARNING: the file ends in the middle of row 4") for n in result.notes)


OPEN_END = "WARNING: the last line has no line break while the lines before it have one: the file may be cut off"


def test_a_whole_last_row_without_a_final_line_break_loads(tmp_path):
    result = ingest_file(HERE / "roster_no_final_newline.csv", db=tmp_path / "k.duckdb")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    assert any(n.startswith(OPEN_END) for n in result.notes)        # whole or cut in its last cell: it cannot tell


@pytest.mark.parametrize("name,read,loaded,rejected", [
    # found by a fresh-eyes user: cut inside the last cell, so every cell is there and it imported without a word.
    # Roster: 3 rows, the last one's status "PPPK" cut to "PP" (a status is kept as written): 3 read, 3 loaded
    ("roster_cut_in_last_cell.csv", 3, 3, 0),
    # access log (DuckDB's fast path): 3 rows, the last one's action "Lihat" cut to "Lih" (unknown_action):
    # 3 read, 3 - 1 = 2 loaded, 1 rejected
    ("access_log_cut_in_last_cell.csv", 3, 2, 1),
])
def test_a_csv_cut_inside_its_last_cell_loads_with_a_note_that_it_may_be_cut_off(name, read, loaded, rejected, tmp_path):
    result = ingest_file(HERE / name, db=tmp_path / "k.duckdb")
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == ("imported", read, loaded, rejected)
    assert [n for n in result.notes if n.startswith(OPEN_END)] == [
        f"{OPEN_END} and its last row incomplete (compare that row with the source: some programs write no final line "
        f"break)"]


@pytest.mark.parametrize("name", ["roster_trailing_separator.csv", "access_log_trailing_comma.csv", "roster_cut_off.csv",
                                  "access_log_cut_off.csv"])
def test_no_open_end_note_for_a_final_line_break_or_a_row_already_rejected_as_cut(name, tmp_path):
    result = ingest_file(HERE / name, db=tmp_path / "k.duckdb")
    assert not any(n.startswith(OPEN_END) for n in result.notes)


def test_a_roster_shrinking_by_more_than_a_third_is_held_back_until_allowed(tmp_path, capsys):
    db = str(tmp_path / "k.duckdb")
    assert main([str(HERE / "roster_trailing_separator.csv"), "--db", db]) == 0
    capsys.readouterr()
    assert main([str(HERE / "roster_one_row.csv"), "--db", db]) == 5
    out = capsys.readouterr().out
    assert out.startswith("roster_one_row.csv: HELD BACK: ") and "holds 1 usable row(s) and would replace the 3 stored" in out
    assert len(_roster(Path(db))) == 3
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM import_log").fetchone()[0] == 1
    assert main([str(HERE / "roster_one_row.csv"), "--db", db, "--allow-shrink"]) == 0
    assert _roster(Path(db)) == [(NIP1, "Sari Dewi", "Dinas Kesehatan", "PNS")]


def test_headcount_zero_or_dash_keeps_the_agency_in_the_report_with_undefined_rates(tmp_path):
    from metrics.kpi import Scope
    from metrics.report import build_report
    result = ingest_file(HERE / "headcount_zero_and_dash.csv", db=tmp_path / "k.duckdb")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    with connect(tmp_path / "k.duckdb", read_only=True) as con:
        report = build_report(con, 2025, Scope.province())
    rows = {r["skpd"]: (r["headcount"], r["utilisation_rate"], r["participation_rate"]) for r in report["skpd"]}
    assert rows == {"Dinas Kesehatan": (291, 0.0, 0.0), "Dinas Pendidikan": (0, None, None), "Dinas Perhubungan": (0, None, None)}
    assert report["overall"]["headcount"] == 291


def _headcounts(db: Path) -> list[tuple]:
    with connect(db, read_only=True) as con:
        return con.execute("SELECT skpd, headcount, headcount_pns, headcount_pppk FROM headcount ORDER BY skpd").fetchall()


def test_a_total_formula_without_a_saved_result_is_pns_plus_pppk(tmp_path):
    result = ingest_file(HERE / "headcount_jumlah_formulas.xlsx", db=tmp_path / "k.duckdb")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    assert "2 total(s) held a formula without a saved result and were computed as PNS + PPPK: row 3, row 4" in result.notes
    assert _headcounts(tmp_path / "k.duckdb") == [("Dinas Kesehatan", 291, 248, 43), ("Dinas Pendidikan", 298, 255, 43)]


def test_simple_formulas_are_evaluated_and_others_rejected_naming_the_cell(tmp_path):
    result = ingest_file(HERE / "headcount_total_formulas.xlsx", db=tmp_path / "k.duckdb")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    assert ("2 formula cell(s) without a saved result computed from the sheet: D3 =SUM(B3:C3) -> 291, "
            "D4 =B4*2+C4 -> 198") in result.notes
    assert _headcounts(tmp_path / "k.duckdb") == [("Dinas Kesehatan", 291, None, None), ("Dinas Pendidikan", 198, None, None)]
    with connect(tmp_path / "k.duckdb", read_only=True) as con:
        rejected = con.execute("SELECT row_number, reason_code, message FROM rejected_row").fetchall()
    assert [(r, code) for r, code, _ in rejected] == [(5, "formula_without_value")] and "cell D5" in rejected[0][2]


def test_an_unexpected_error_while_loading_is_a_refusal_with_nothing_written(tmp_path, monkeypatch):
    import data.store.load
    real = data.store.load._upsert_cops

    def failing(con, kind, records):
        raise OverflowError("odd value")

    monkeypatch.setattr(data.store.load, "_upsert_cops", failing)
    result = ingest_file(HERE / "roster_trailing_separator.csv", db=tmp_path / "k.duckdb")
    assert (result.status, result.reason_code) == ("refused", "importer_fault") and "OverflowError" in result.reason
    monkeypatch.setattr(data.store.load, "_upsert_cops", real)
    assert _roster(tmp_path / "k.duckdb") == []
    with connect(tmp_path / "k.duckdb", read_only=True) as con:
        assert con.execute("SELECT count(*) FROM import_log").fetchone()[0] == 0


def test_the_import_page_previews_and_imports_past_a_file_that_kills_its_reader(field_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import logged_in
    db = tmp_path / "upload.duckdb"
    shutil.copy(field_db, db)
    monkeypatch.setenv("KMDASH_DB", str(db))
    at = logged_in(AppTest.from_file(str(Path(__file__).parents[1] / "dashboard" / "app.py"), default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    jury = "Tahun;Perangkat Daerah;Nama CoP;Juri;Skor\n2026;Dinkes;CoP Layanan Publik Dinkes;Juri A;88,5\n".encode()
    crash = (HERE / "xls_reader_aborts.xls").read_bytes()
    at.file_uploader[0].set_value([("rekap.xls", crash, "application/vnd.ms-excel"),
                                   ("nilai_juri.csv", jury, "text/csv")]).run()
    assert not at.exception
    at.button[0].click().run()
    assert not at.exception
    result = next(d.value for d in at.dataframe if "Berkas" in d.value.columns)
    assert dict(zip(result["Berkas"], result["Status"])) == {"rekap.xls": "✖ ditolak", "nilai_juri.csv": "✔ diimpor"}
    assert "1.536 MB" in result.set_index("Berkas").loc["rekap.xls", "Alasan"]   # the memory cap, in the page's language and numbers
