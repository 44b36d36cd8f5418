"""CSV line ends the field's tools really write: Windows ``\\r\\n``, old Mac ``\\r``, and a
stray separator appended to every line (``sed 's/$/;/'`` on a Windows file gives ``\\r;\\n``).
Each variant must read exactly the rows of the plain file, never a row twice, never refused.

Expected values are read off the three-row logs below by hand.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from data.ingest import ingest_file
from data.intake.readers import read_workbook
from data.store.connection import connect

NIP1, NIP2, NIP3 = "198503302010012001", "199001012015032002", "198712122012121003"
LOG = [["Waktu Akses", "NIP", "ID Aset", "Aktivitas"],
       ["2026-03-01 07:27:49", NIP1, "AP-2025-00089", "Komentar"],
       ["2026-03-01 07:31:40", NIP2, "AP-2025-00080", "Lihat"],
       ["2026-03-02 10:00:00", NIP3, "AP-2025-00080", "Unduh"]]
EVENTS = [("2026-03-01 07:27:49", "AP-2025-00089", "comment"),
          ("2026-03-01 07:31:40", "AP-2025-00080", "view"),
          ("2026-03-02 10:00:00", "AP-2025-00080", "download")]


def _write(tmp_path: Path, sep: str, ending: str) -> Path:
    path = tmp_path / "log.csv"
    path.write_bytes("".join(sep.join(r) + ending for r in LOG).encode())
    return path


def _events(db: Path) -> list[tuple]:
    with connect(db, read_only=True) as con:
        return con.execute("SELECT strftime(event_time, '%Y-%m-%d %H:%M:%S'), aset_id, action FROM access_event "
                           "ORDER BY event_time").fetchall()


@pytest.mark.parametrize("sep, ending", [
    (",", "\r;\n"),    # sed 's/$/;/' on a Windows file: the ';' lands after the '\r'
    (",", "\r,\n"),
    (",", ";\r\n"),
    (",", ",\r\n"),
    (",", ";\n"),      # comma file, every line ending in ';'
    (",", ";\r"),      # old Mac line ends with a trailing ';'
    (",", "\r"),
    (";", "\r;\n"),
    (";", ",\r\n"),    # semicolon file, every line ending in ','
    (";", ";\n"),      # semicolon file, a trailing ';' is an empty last cell
])
def test_stray_separators_at_line_ends_read_each_row_once(sep, ending, tmp_path):
    db = tmp_path / "k.duckdb"
    result = ingest_file(_write(tmp_path, sep, ending), db=db)
    assert (result.status, result.kind, result.rows_read, result.rows_loaded, result.rows_rejected) == \
        ("imported", "access_log", 3, 3, 0)
    assert _events(db) == EVENTS


def test_sed_on_a_windows_file_without_a_final_line_break_reads_the_last_row_too(tmp_path):
    """``sed 's/$/;/'`` gives ``\\r;\\n`` on each line and ``;`` on the last, unterminated one."""
    path = tmp_path / "log.csv"
    path.write_bytes(("".join(",".join(r) + "\r;\n" for r in LOG[:-1]) + ",".join(LOG[-1]) + ";").encode())
    db = tmp_path / "k.duckdb"
    result = ingest_file(path, db=db)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == ("imported", 3, 3, 0)
    assert _events(db) == EVENTS


def test_windows_lines_with_a_semicolon_after_the_line_break_give_the_plain_cells(tmp_path):
    book = read_workbook(_write(tmp_path, ",", "\r;\n"))
    assert book.delimiter == "," and book.sheets[0].rows == LOG
    assert any("stray ';'" in note for note in book.notes)


def test_a_semicolon_file_keeps_its_cells_and_a_last_cell_ending_in_a_comma_only_on_some_rows(tmp_path):
    """Not every row ends in ',': nothing is cut (the ',' is part of a value)."""
    path = tmp_path / "roster.csv"
    path.write_bytes("NIP;Nama Pegawai;Perangkat Daerah;Catatan\n"
                     f"{NIP1};Sari Dewi;Dinas Kesehatan;cuti,\n"
                     f"{NIP2};Budi Santoso;Dinas Pendidikan;aktif\n".encode())
    book = read_workbook(path)
    assert book.delimiter == ";" and not book.rewritten
    assert [r[-1] for r in book.sheets[0].rows] == ["Catatan", "cuti,", "aktif"]
