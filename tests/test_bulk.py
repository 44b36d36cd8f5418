"""The column-wise path (data.intake.bulk) and the row-by-row builders (data.intake.records) accept,
reject, skip and convert exactly the same rows of rosters and access logs, whatever the
cells hold: the row builders are the reference."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.intake.agencies import load_agency_table
from data.intake.bulk import parse_bulk
from data.ingest import ingest_file
from data.intake.layout import Layout
from data.store.load import _dedupe_in_file
from data.intake.readers import Sheet
from data.intake.records import parse_table
from data.store.connection import connect

AGENCIES = load_agency_table()
NIP = "198703102010012001"

ODD_NIPS = st.sampled_from([
    NIP, "199001012015031002", "19870310 201001 2 001", "'198703102010012001", "19870310201001200", "", "  ",
    None, "-", "tamu", "1.98703E+17", 198703102010012001.0, 1987031020100, "19870310２01001200１",
    " 198703102010012001", "198703102010012001\u00a0", True,
])
NAMES = st.sampled_from(["Ani", "Budi  Santoso", " Citra ", "", None, "Jumlah", "TOTAL", "  total pegawai", "Sari",
                         "\u00a0Grand Total", "Tono", "Rina ", 12.0, "Dewi\tLestari", "ſub total", "Ĵumlah", "Siti"])
ODD_SKPDS = st.sampled_from(["Dinas Kesehatan", "DINAS KESEHATAN", "Dinkes", " Inspektorat ", "Dinas Entah", "", None,
                         "Badan Kepegawaian Daerah Provinsi DKI Jakarta", "JUMLAH", 5.0])
# Half the cells plain, so that many rows take the column-wise path.
NIPS = st.one_of(st.sampled_from([NIP, "199001012015031002", "197512312000121003"]), ODD_NIPS)
SKPDS = st.one_of(st.sampled_from(["Dinas Kesehatan", "Inspektorat"]), ODD_SKPDS)
STATUSES = st.sampled_from(["PNS", "pppk", " Pns ", "", None, "Honorer", 1.0])
TIMES = st.sampled_from([
    dt.datetime(2026, 3, 1, 7, 27, 49), dt.datetime(2026, 3, 1, 7, 27, 49, 500000), dt.date(2026, 3, 2),
    "2026-03-01 07:27:49", "2026-03-01T07:27:49+07:00", "01/03/2026 07:27", "Senin, 2 Maret 2026", "kemarin",
    45000.5, 12.0, "", None, "Total", dt.datetime(2026, 3, 1, 0, 27, 49, tzinfo=dt.timezone.utc),
])
ASSETS = st.sampled_from(["AP-2026-00001", "ap-2026-00002", " AP-2026-00003 ", "", None, "AP  2026", 17.0])
ACTIONS = st.sampled_from(["Lihat", "Unduh", "Suka", "Komentar", "view", "DOWNLOAD", " like ", "", None, "buka",
                           "Lihat_", 1.0])
NUMBERS = st.one_of(st.integers(1, 500).map(float), st.just(""), st.just("Jumlah"), st.just(None), st.just("No"))


def _layout(kind: str, rows: list[list], header: list[str], columns: dict[str, int], gaps=frozenset()) -> Layout:
    sheet = Sheet("Data", [header] + rows)
    sheet.formula_gaps = set(gaps)
    return Layout(kind, sheet, [0], columns, [], [])


def _normalised(table) -> dict:
    found = {}
    if table.arrow is not None:
        for r in table.arrow.to_pylist():
            row = r.pop("source_row")
            found[row] = ("ok", tuple(sorted(r.items())))
    for record, row in zip(table.records, table.row_numbers):
        found[row] = ("ok", tuple(sorted(record.items())))
    for rej in table.rejections:
        found[rej.row_number] = ("rejected", rej.reason_code, rej.column, rej.value, rej.raw_row, rej.message)
    return found


def _agree(layout: Layout):
    slow = parse_table(layout, AGENCIES)
    fast = parse_bulk(layout, AGENCIES)
    assert _normalised(fast) == _normalised(slow)
    assert fast.rows_read == slow.rows_read
    assert sorted(fast.notes) == sorted(slow.notes)
    return slow, fast


def _placed(rows: list[tuple], header: list[str], fields: list[str | None], order: list[int]):
    """The rows with their columns in ``order`` (a permutation), and where each field landed."""
    placed = [[row[i] for i in order] for row in rows]
    return placed, [header[i] for i in order], {fields[i]: pos for pos, i in enumerate(order) if fields[i]}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NUMBERS, NIPS, NAMES, SKPDS, STATUSES), min_size=1, max_size=30),
       st.permutations(range(5)), st.sets(st.tuples(st.integers(1, 8), st.integers(0, 4)), max_size=3),
       st.booleans())
def test_roster_paths_agree(rows, order, gaps, short_rows):
    cells, header, columns = _placed(rows, ["No", "NIP", "Nama", "Perangkat Daerah", "Status"],
                                     [None, "nip", "name", "skpd", "employment_status"], order)
    if short_rows:   # a CSV row that ends early: the missing cells are empty
        cells = [r[:3] if i % 3 == 0 else r for i, r in enumerate(cells)]
    layout = _layout("roster", cells, header, columns, gaps)
    slow, fast = _agree(layout)
    # what data.store.load keeps: the same rows, duplicates and duplicate_key rejections on both paths
    if fast.arrow is None:
        assert _dedupe_in_file("roster", fast)[1:] == _dedupe_in_file("roster", slow)[1:]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TIMES, NIPS, ASSETS, ACTIONS, NUMBERS), min_size=1, max_size=30),
       st.permutations(range(5)), st.sets(st.tuples(st.integers(1, 8), st.integers(0, 4)), max_size=3))
def test_access_log_paths_agree(rows, order, gaps):
    cells, header, columns = _placed(rows, ["Waktu", "NIP", "ID Aset", "Aktivitas", "No"],
                                     ["event_time", "nip", "aset_id", "action", None], order)
    _agree(_layout("access_log", cells, header, columns, gaps))


def test_plain_rows_go_to_arrow_and_odd_rows_to_the_builder():
    layout = _layout("roster", [
        [1.0, NIP, "Ani", "Dinkes", "pns"],
        [2.0, "199001012015031002", "Budi", "Dinas Entah", "PNS"],     # unknown agency: row builder
        ["", "", "Jumlah Pegawai", "", ""],                             # total line: skipped
        ["JUMLAH", "", "", "", ""],                # nothing in the mapped columns: an empty row
        [3.0, 199001012015031003.0, "Citra", "Inspektorat", "PPPK"],   # numeric NIP: row builder
        ["", "", "", "", ""],                                           # blank: skipped
    ], ["No", "NIP", "Nama", "Perangkat Daerah", "Status"], {"nip": 1, "name": 2, "skpd": 3, "employment_status": 4})
    slow, fast = _agree(layout)
    assert fast.arrow.column("source_row").to_pylist() == [2]
    assert fast.arrow.column("skpd").to_pylist() == ["Dinas Kesehatan"]
    assert fast.arrow.column("employment_status").to_pylist() == ["PNS"]
    assert [(r.row_number, r.reason_code) for r in fast.rejections] == [(3, "unknown_skpd"), (6, "numeric_nip")]
    assert sorted(fast.notes) == ["1 TOTAL/JUMLAH row(s) skipped", "2 empty row(s) skipped"]


def test_roster_naming_a_nip_twice_is_judged_row_by_row(tmp_path: Path):
    """Same NIP twice: an identical row is a duplicate, a different one a duplicate_key rejection."""
    path = tmp_path / "pegawai.csv"
    path.write_text("NIP,Nama,Perangkat Daerah,Status\n"
                    f"{NIP},Ani,Dinkes,PNS\n"
                    f"{NIP},Ani,Dinkes,PNS\n"
                    f"{NIP},Ani Lain,Dinkes,PNS\n"
                    "199001012015031002,Budi,Inspektorat,PPPK\n", encoding="utf-8")
    result = ingest_file(path, db=tmp_path / "km.duckdb")
    assert (result.rows_read, result.rows_loaded, result.rows_duplicate, result.rows_rejected) == (4, 2, 1, 1)
    with connect(tmp_path / "km.duckdb") as con:
        # the rejected row's values with the NIP itself (not its pseudonym): a person sees what conflicts
        assert con.execute("SELECT row_number, column_name, value, reason_code, raw_row FROM rejected_row").fetchall() == [
            (4, "nip", NIP, "duplicate_key", f"{NIP} | Ani Lain | Dinas Kesehatan | PNS")]
        assert con.execute("SELECT nip_plain, name, skpd FROM employee ORDER BY nip_plain").fetchall() == [
            (NIP, "Ani", "Dinas Kesehatan"), ("199001012015031002", "Budi", "Inspektorat")]


@pytest.mark.parametrize("kind", ["roster", "access_log"])
def test_an_empty_table_gives_an_empty_result(kind):
    columns = ({"nip": 0, "name": 1, "skpd": 2} if kind == "roster" else
               {"event_time": 0, "nip": 1, "aset_id": 2, "action": 3})
    slow, fast = _agree(_layout(kind, [], ["a", "b", "c", "d"], columns))
    assert fast.rows_read == 0
