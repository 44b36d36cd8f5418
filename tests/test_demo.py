"""Tests for the seeded demo export generator (data/demo/)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import os
import pathlib
import re
import subprocess
import sys

import openpyxl
import pytest

from data.demo import draw_programme, write_demo_exports

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[1]
SEED = 7
TODAY = datetime.date(2026, 11, 30)
LOG_MONTHS = ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01",
              "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08",
              "2026-09", "2026-10", "2026-11"]
FIXED_FILES = {"daftar_pegawai.csv", "rekap_jumlah_pegawai_2025.xlsx",
               "rekap_jumlah_pegawai_2026.xlsx", "rekap_kegiatan_cop.xlsx",
               "rekap_kehadiran_cop.csv", "aset_pengetahuan_portal_km.xlsx",
               "penilaian_maturitas_2025.xlsx", "penilaian_maturitas_2026.xlsx"}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[pathlib.Path, list[pathlib.Path]]:
    """One demo written with SEED and TODAY, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("demo")
    return folder, write_demo_exports(folder, seed=SEED, today=TODAY)


@pytest.fixture(scope="module")
def roster_nips(demo_run) -> list[str]:
    """The roster's NIPs with spaces and leading apostrophes removed, in file order."""
    folder, _ = demo_run
    with (folder / "daftar_pegawai.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["NIP", "Nama Pegawai", "Perangkat Daerah", "Status Kepegawaian"]
    return [row[0].replace(" ", "").lstrip("'") for row in rows[1:]]


def _digests(folder: pathlib.Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files_across_processes(demo_run, tmp_path):
    folder, _ = demo_run
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "data.demo", str(tmp_path), "--seed", str(SEED),
                    "--today", TODAY.isoformat()], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True)
    assert _digests(tmp_path) == _digests(folder)


def test_another_seed_draws_another_roster():
    first = draw_programme(SEED, TODAY).employees
    second = draw_programme(SEED + 1, TODAY).employees
    assert [e.nip for e in first] != [e.nip for e in second]


def test_expected_file_set_is_written(demo_run):
    folder, paths = demo_run
    logs = {f"log_akses_portal_km_{month}.csv" for month in LOG_MONTHS}
    sign_in = {p.name for p in folder.glob("daftar_hadir_*.xlsx")}
    assert len(sign_in) == 2
    assert all(re.fullmatch(r"daftar_hadir_\d{4}-\d{2}-\d{2}\.xlsx", name) for name in sign_in)
    assert {p.name for p in folder.iterdir()} == FIXED_FILES | logs | sign_in
    assert paths == sorted(folder.iterdir())


def test_roster_is_bom_semicolon_crlf_with_unique_18_digit_nips(demo_run, roster_nips):
    folder, _ = demo_run
    raw = (folder / "daftar_pegawai.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfNIP;Nama Pegawai;")
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert all(re.fullmatch(r"\d{18}", nip) for nip in roster_nips)
    assert len(set(roster_nips)) == len(roster_nips)
    assert 10_000 <= len(roster_nips) <= 14_000


def test_recap_2026_total_equals_roster_size(demo_run, roster_nips):
    folder, _ = demo_run
    book = openpyxl.load_workbook(folder / "rekap_jumlah_pegawai_2026.xlsx")
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    assert [sheet.title for sheet in visible] == ["Rekap"]
    assert book["Rekap 2024 (lama)"].sheet_state == "hidden"
    rows = list(visible[0].iter_rows(min_row=6, values_only=True))
    total_row = next(row for row in rows if row[1] == "JUMLAH TOTAL")
    assert isinstance(total_row[4], str)
    assert int(total_row[4].replace(".", "")) == len(roster_nips)


def test_each_log_file_starts_with_the_rows_the_previous_file_ends_with(demo_run):
    folder, _ = demo_run
    files = [folder / f"log_akses_portal_km_{month}.csv" for month in LOG_MONTHS]
    for earlier, later in zip(files, files[1:]):
        earlier_lines = earlier.read_text(encoding="utf-8").splitlines()
        later_lines = later.read_text(encoding="utf-8").splitlines()
        if earlier_lines[0] != later_lines[0]:
            continue  # the header changes shape at 2026-04, so the repeated rows are re-written
        shared = set(earlier_lines[1:]) & set(later_lines[1:])
        assert shared, later.name
        assert later_lines[1:len(shared) + 1] == earlier_lines[-len(shared):]
