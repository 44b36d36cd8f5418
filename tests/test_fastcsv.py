"""The bulk CSV path (data.intake.fastcsv) and the row-by-row Python path accept, reject and
convert exactly the same access-log rows: the Python builder is the reference."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.intake.fastcsv import parse_csv_fast
from data.intake.layout import find_layout
from data.intake.readers import read_workbook
from data.intake.records import parse_table
from data.intake.agencies import load_agency_table

AGENCIES = load_agency_table()
HEADER = "Waktu Akses,NIP,ID Aset,Aktivitas\n"

TIMES = st.sampled_from([
    "2026-03-01 07:27:49", "2026-03-01T07:27:49", "2026-03-01T07:27:49+07:00", "2026-03-01T00:27:49Z",
    "2026-03-01T07:27:49.250+07:00", "2026-02-30 10:00:00", "2026-03-01 25:00:00", "01/03/2026 07:27",
    "31/12/2025 23:59:59", "12/31/2025 10:00", "2026-03-01", "1 Maret 2026", "Senin, 2 Maret 2026",
    "2026-03-01T07:27:49-05:00", "2026-03-01  07:27:49", "", "kemarin", "45000", "2026-03-01T07:27:49+0700",
    "1 Maret 2026 07:27", "01/03/2026 07:27 WIB", "2026-03-01 07:27:49 WIB", "01/03/2026 07.27 - 09.00",
    "2026-03-01 07:27-05:00", "01/03/2026 07:27 WITA",
])
NIPS = st.sampled_from([
    "198703102010012001", "19870310 201001 2 001", "'198703102010012001", "19870310201001200", "",
    "-", "tamu", "1.98703E+17", "1987031020100120011", "19870310２01001200１", " 198703102010012001 ",
])
ASSETS = st.sampled_from(["AP-2026-00001", "ap-2026-00002", " AP-2026-00003 ", "", "AP  2026"])
ACTIONS = st.sampled_from(["Lihat", "Unduh", "Suka", "Komentar", "view", "DOWNLOAD", " like ", "comment",
                           "baca", "buka", "", "Lihat_", "viewed"])


def _both_paths(path: Path):
    book = read_workbook(path)
    layout = find_layout(book)
    slow = parse_table(layout, AGENCIES)
    fast = parse_csv_fast(path, layout, book.delimiter)
    return slow, fast


def _normalised(table):
    rows = {}
    if table.arrow is not None:
        for r in table.arrow.to_pylist():
            rows[r["source_row"]] = ("ok", r["event_time"], r["nip"], r["aset_id"], r["action"])
    for record, row in zip(table.records, table.row_numbers):
        rows[row] = ("ok", record["event_time"], record["nip"], record["aset_id"], record["action"])
    for rej in table.rejections:
        rows[rej.row_number] = ("rejected", rej.reason_code, rej.column, rej.value)
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TIMES, NIPS, ASSETS, ACTIONS), min_size=1, max_size=25))
def test_fast_and_python_paths_agree_on_every_row(tmp_path, rows):
    path = tmp_path / "log.csv"
    lines = [",".join(f'"{v}"' if "," in v else v for v in row) for row in rows]
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    slow, fast = _both_paths(path)
    assert fast is not None
    assert _normalised(fast) == _normalised(slow)
    assert fast.rows_read == slow.rows_read


def test_fast_path_converts_offsets_to_wib(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "2025-12-31T17:30:00Z,198703102010012001,AP-1,view\n"
                             "2026-01-01T00:30:00+07:00,198703102010012001,AP-1,view\n", encoding="utf-8")
    _, fast = _both_paths(path)
    # 17:30 UTC = 00:30 WIB next day; both rows are the same moment
    assert [r["event_time"] for r in fast.arrow.to_pylist()] == [dt.datetime(2026, 1, 1, 0, 30)] * 2


def test_fast_path_keeps_file_row_numbers_below_title_rows(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("LOG AKSES PORTAL KM\nPeriode: Maret 2026\n\n" + HEADER +
                    "2026-03-01 07:00:00,198703102010012001,AP-1,Lihat\n"
                    "2026-03-01 08:00:00,-,AP-1,Lihat\n", encoding="utf-8")
    slow, fast = _both_paths(path)
    # header on line 4: the data rows are lines 5 and 6, as a text editor shows them
    assert [r["source_row"] for r in fast.arrow.to_pylist()] == [5]
    assert [(r.row_number, r.reason_code) for r in fast.rejections] == [(6, "missing_nip")]
    assert _normalised(fast) == _normalised(slow)
