"""Issue 12, property: any CSV or workbook - random row lengths, separators, encodings,
BOMs, far stray cells, cut-off endings - is imported or refused with a one-line reason,
never raises, and a refused (or held-back) file leaves the database as it was.

Derandomized (the same examples every run) and bounded, so the suite stays quick.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.ingest import ingest_file
from data.store.load import TABLES
from data.store.connection import connect

HEADERS = [["NIP", "Nama Pegawai", "Perangkat Daerah", "Status"],
           ["Waktu Akses", "NIP", "ID Aset", "Aktivitas"],
           ["Perangkat Daerah", "PNS", "PPPK", "Jumlah"],
           ["Kolom", "Lain"]]
CELLS = st.one_of(
    st.sampled_from(["198503302010012001", "1985 0330 2010 01 2 001", "'199001012015032002", "Dinas Kesehatan",
                     "Dinkes", "PNS", "Lihat", "download", "AP-2026-00001", "2026-01-05 08:00:00", "0", "-", "1.204",
                     "", " ", '"', "a;b", "x,y", "TOTAL", "=SUM(A1:A2)", "Keadaan per 31 Desember 2025"]),
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")), max_size=12),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3))
# per header, values that fit its columns, so that many examples import rather than refuse
FITTING = {0: [["198503302010012001", "199001012015032002", "1987 1212 2012 12 1 003", "19850330", ""],
               ["Sari", "Budi", ""], ["Dinas Kesehatan", "Dinkes", "Dinas Entah"], ["PNS", "PPPK", ""]],
           1: [["2026-01-05 08:00:00", "05/01/2026 08:00", "2026-13-40"], ["198503302010012001", "tamu"],
               ["AP-2026-00001", ""], ["Lihat", "Unduh", "view", "terbang"]],
           2: [["Dinas Kesehatan", "Dinas Pendidikan", "TOTAL"], ["248", "0", "-", "1.204"], ["43", ""], ["291", "x"]]}


def _rows(header: list[str]):
    """Rows of random length: fitting values (where the header has them) or any cell,
    cut short or followed by extra cells."""
    columns = FITTING.get(HEADERS.index(header))
    fitting = (st.tuples(*[st.sampled_from(v) for v in columns]).map(list) if columns else st.lists(CELLS, max_size=4))
    row = st.tuples(fitting, st.lists(CELLS, max_size=3), st.integers(0, 6), st.booleans()).map(
        lambda t: (t[0] + t[1]) if t[3] else t[0][: t[2]])
    return st.lists(st.one_of(row, st.lists(CELLS, max_size=7)), max_size=8)



SETTINGS = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _state(db: Path) -> tuple:
    """Row counts of the import log, the rejected rows and every table an import writes,
    with how many rows of a snapshot table are replaced."""
    if not db.exists():
        return ()
    queries = ["SELECT count(*) FROM import_log", "SELECT count(*) FROM rejected_row"]
    for table, _, snapshot_key, _ in TABLES.values():
        replaced = "count(replaced_by)" if snapshot_key is not None else "0"
        queries.append(f"SELECT count(*), {replaced} FROM {table}")
    with connect(db, read_only=True) as con:
        return tuple(con.execute(q).fetchone() for q in queries)


def _check(path: Path, db: Path) -> None:
    before = _state(db)
    result = ingest_file(path, db=db)
    assert result.status in ("imported", "already_imported", "refused", "held_back"), result
    if result.status in ("refused", "held_back"):
        assert result.reason and result.reason_code and "\n" not in result.reason
        assert _state(db) == before, result
    else:
        assert result.rows_read == result.rows_loaded + result.rows_duplicate + result.rows_rejected


def _csv_bytes(rows: list[list[str]], sep: str, encoding: str, newline: str, cut: int) -> bytes:
    text = newline.join(sep.join(f'"{c}"' if (sep in c or '"' in c or "\n" in c) and c != '"' else c for c in row)
                        for row in rows) + newline
    data = text.encode(encoding, errors="replace")
    return data[: max(1, len(data) - cut)] if cut else data


@pytest.mark.parametrize("header", HEADERS, ids=lambda h: h[0])
@SETTINGS
@given(data=st.data(), sep=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]), newline=st.sampled_from(["\n", "\r\n"]),
       cut=st.sampled_from([0, 0, 1, 7, 40]))
def test_any_csv_is_imported_or_refused_with_a_reason(header, data, sep, encoding, newline, cut):
    rows = data.draw(_rows(header))
    with tempfile.TemporaryDirectory() as folder:
        path, db = Path(folder) / "export.csv", Path(folder) / "k.duckdb"
        path.write_bytes(_csv_bytes([header, *rows], sep, encoding, newline, cut))
        _check(path, db)
        path.write_bytes(_csv_bytes([header[:2], *rows[:2]], sep, encoding, newline, 0))
        _check(path, db)                          # a second file into the same database


def _xlsx_bytes(rows: list[list[str]], stray: str | None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row if not c.startswith("=")])
    if stray:
        sheet[stray] = "x"
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


@pytest.mark.parametrize("header", HEADERS[:3], ids=lambda h: h[0])
@settings(SETTINGS, max_examples=5)
@given(data=st.data(), stray=st.sampled_from([None, None, "Z300", "AZ1048576", "XFD20000"]),
       cut=st.sampled_from([0, 0, 0, 100, 2000]), name=st.sampled_from(["export.xlsx", "export.xls", "export.csv"]))
def test_any_workbook_is_imported_or_refused_with_a_reason(header, data, stray, cut, name):
    rows = data.draw(_rows(header))
    data = _xlsx_bytes([header, *rows], stray)
    with tempfile.TemporaryDirectory() as folder:
        path, db = Path(folder) / name, Path(folder) / "k.duckdb"
        path.write_bytes(data[: len(data) - cut] if cut else data)
        _check(path, db)
