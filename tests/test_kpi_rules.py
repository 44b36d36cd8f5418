"""Each KPI rule of DOMAIN.md pinned on its own, against tiny hand-made exports in
``tests/fixtures/kpi_rules/`` whose expected numbers are worked out by hand below.

The cast (NIPs are made up; the agency is the one ``daftar_pegawai.csv`` gives):

| who | NIP                | agency  | what the fixture files say they did                              |
|-----|--------------------|---------|------------------------------------------------------------------|
| A1  | 198503302010012001 | Dinkes  | views AP-0001 5 Jan (row written twice), downloads AP-0003 6 Jan, |
|     | (roster: spaced)   |         | views AP-0004 3 Mar; Peserta 10 Feb (form sent twice)            |
| A2  | 199001152015032002 | Dinkes  | views AP-0001 14 Feb, downloads AP-0002 4 Mar (02:00Z = 09:00 WIB)|
|     | (roster: 'apostr.) |         | Narasumber 10 Feb (typed "Disdik" in the form)                   |
| A3  | 198712102012121003 | Dinkes  | likes AP-0001 (Suka); views AP-0099, an asset no register lists  |
| A4  | 199205052019022004 | Dinkes  | comments (Komentar) only                                         |
| B1  | 198001012005011005 | Disdik  | views AP-0004 31 Jan 15:00 (row in the Jan AND the Feb file);    |
|     |                    |         | Fasilitator 15 Mar                                               |
| B2  | 197806172003122006 | Disdik  | views AP-0002 2025-12-31T23:30+07:00 (2025); Peserta 20 Nov 2025 |
| B3  | 199311232020121007 | Disdik  | downloads AP-0002 2025-12-31T17:30Z = 1 Jan 2026 00:30 WIB       |
| B4  | 198409092010011008 | Disdik  | likes (English "like"), in March and April                       |
| B5  | 199502282022031009 | Disdik  | comments (English "comment")                                     |
| C1  | 198806062022211010 | Dishub  | PPPK; nothing                                                    |
| S   | 199707072023012011 | -       | not in daftar_pegawai.csv (only in later/daftar_pegawai_baru.csv, |
|     |                    |         | as Disdik): views AP-0001 20 Jan; Peserta 15 Mar                 |

Headcount recap (30 Jun 2026, applies to 2025 and 2026): Dinkes 4, Disdik 10, Dishub 0; total 14.
Asset register: AP-0001 Dinkes Terbit 10 Feb 2026; AP-0002 Dinkes " terbit " 20 Dec 2025;
AP-0003 Disdik Draf; AP-0004 Disdik TERBIT 8 Jan 2026; AP-0005 Dishub "  Terbit" 1 Agu 2026
(uploaded by A1 of Dinkes). ``later/aset_pengetahuan_baru.csv`` lists AP-0003 again (now
Terbit, 1 Jun 2026) and AP-0099 (Dinkes, Draf).
The access logs also hold a guest row (``tamu``) and a 17-digit NIP: both rejected.

Hand-worked 2026 with the base folder:
  users: Dinkes {A1, A2} = 2, Disdik {B1, B3} = 2, Dishub 0; overall 4.
  use events: Dinkes A1 x3 + A2 x2 = 5, Disdik B1 + B3 = 2; overall 7.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data.ingest import ingest_file, ingest_paths, main as ingest_main
from data.store.connection import connect
from metrics.grain import period_at, skpd_reaching_target, utilisation_by
from metrics.kpi import (Scope, activity_summary, cop_maturity, monthly_cumulative, noise_events,
                         overall_kpis, skpd_kpis)
from metrics.overview import overview
from metrics.report import build_report

FIXTURES = Path(__file__).parent / "fixtures" / "kpi_rules"
LATER = FIXTURES / "later"
ROSTER = FIXTURES / "daftar_pegawai.csv"
ROSTER_KNOWING_S = LATER / "daftar_pegawai_baru.csv"
NEWER_REGISTER = LATER / "aset_pengetahuan_baru.csv"

DINKES, DISDIK, DISHUB = "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"
A1, A2, A3, A4 = "198503302010012001", "199001152015032002", "198712102012121003", "199205052019022004"
B1, B3, B4, B5 = "198001012005011005", "199311232020121007", "198409092010011008", "199502282022031009"
C1 = "198806062022211010"


# --- fixtures and helpers --------------------------------------------------------------------

@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, dict]:
    """The fixture folder imported once into a temporary database: (db, results by file name)."""
    db = tmp_path_factory.mktemp("kpi_rules") / "kpi_rules.duckdb"
    results = ingest_paths([FIXTURES], db=db)
    assert [(r.file, r.status) for r in results if r.status != "imported"] == []
    return db, {r.file: r for r in results}


@pytest.fixture
def base_db(imported) -> Path:
    """The imported folder, for tests that only read."""
    return imported[0]


@pytest.fixture
def fresh_db(imported, tmp_path) -> Path:
    """A private copy of the imported folder in ``tmp_path``, for tests that import more."""
    copy = tmp_path / "kpi_rules.duckdb"
    shutil.copy(imported[0], copy)
    return copy


def report(db: Path, year: int = 2026) -> dict:
    with connect(db, read_only=True) as con:
        return build_report(con, year, Scope.province())


def agency(rep: dict, name: str) -> dict:
    return next(row for row in rep["skpd"] if row["skpd"] == name)


def agency_frame_rows(db: Path, year: int = 2026) -> dict:
    with connect(db, read_only=True) as con:
        return {row["skpd"]: row for row in skpd_kpis(con, year).to_dict("records")}


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_sign_in_sheet(path: Path) -> Path:
    """A printed sign-in sheet for CoP Guru's 'Kelas Menulis 2' on Monday 30 March 2026:
    B1 (already a participant), B3 (new) and A1 (already a participant)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Daftar Hadir"
    sheet.append(["DAFTAR HADIR KEGIATAN COP GURU"])
    sheet.append(["Kegiatan : Kelas Menulis 2"])
    sheet.append(["Hari/Tanggal : Senin, 30 Maret 2026"])
    sheet.append([])
    sheet.append(["No", "Nama", "NIP", "Jabatan", "Unit Kerja", "Peran", "Tanda Tangan"])
    sheet.append([1, "Eka Putri", "19800101 200501 1 005", "Guru Ahli", "Dinas Pendidikan", "Peserta", None])
    sheet.append([2, "Gita Permata", "199311232020121007", "Guru Muda", "Dinas Pendidikan", "Peserta", None])
    sheet.append([3, "Ani Lestari", "198503302010012001", "Perawat", "Dinas Kesehatan", "Narasumber", None])
    for cells in ("A1:G1", "A2:G2", "A3:G3"):
        sheet.merge_cells(cells)
    book.save(path)
    return path


# --- asset users and utilisation ---------------------------------------------------------------

def test_a_user_with_many_use_events_counts_once(base_db):
    dinkes = agency(report(base_db), DINKES)
    # A1: 3 counted events (5 Jan view, 6 Jan download, 3 Mar view), A2: 2 -> 5 events, 2 users
    assert dinkes["use_events"] == 5
    assert dinkes["asset_users"] == 2


def test_overall_rate_is_distinct_users_over_total_headcount_not_mean_of_agency_rates(base_db):
    overall = report(base_db)["overall"]
    # users {A1, A2, B1, B3} = 4; headcount 4 + 10 + 0 = 14 -> 4/14 = 0.285714
    assert overall["asset_users"] == 4
    assert overall["headcount"] == 14
    assert overall["utilisation_rate"] == pytest.approx(4 / 14, abs=1e-6)
    # the mean of the agency rates would be (2/4 + 2/10) / 2 = 0.35
    assert overall["utilisation_rate"] != pytest.approx(0.35, abs=1e-3)


def test_agency_rate_is_its_users_over_its_headcount(base_db):
    disdik = agency(report(base_db), DISDIK)
    # Disdik users {B1, B3} = 2 of 10 -> 0.2
    assert (disdik["asset_users"], disdik["headcount"]) == (2, 10)
    assert disdik["utilisation_rate"] == pytest.approx(0.2, abs=1e-9)


def test_target_is_met_at_exactly_one_half(base_db):
    rep = report(base_db)
    dinkes = agency(rep, DINKES)
    # Dinkes: 2 users of 4 employees -> exactly 0.5, and 0.5 meets the 0.5 target: read the code's own flags
    assert dinkes["utilisation_rate"] == 0.5
    assert rep["target"] == 0.5
    with connect(base_db, read_only=True) as con:
        status = overview(con, 2026).skpd.set_index("skpd")["target_status"]
        met = utilisation_by(con, period_at("year", dt.date(2026, 1, 1)), "skpd").set_index("grain_value")["target_met"]
        reaching = skpd_reaching_target(con, period_at("year", dt.date(2026, 1, 1)))
    assert status[DINKES] == "met" and bool(met[DINKES]) is True
    # Disdik 2/10 = 0.2 is below; Dishub (headcount 0) is undefined and not counted -> Dinkes alone reaches it
    assert status[DISDIK] == "below" and bool(met[DISDIK]) is False
    assert reaching["skpd_reaching_target"] == 1


# --- time -----------------------------------------------------------------------------------------

def test_event_at_2330_wib_on_31_december_belongs_to_that_year(base_db):
    rep = report(base_db, 2025)
    # 2025 holds only B2's view at 2025-12-31T23:30+07:00; B3's 17:30Z event is 2026 -> 1 user, 1 event
    assert rep["overall"]["asset_users"] == 1
    assert rep["overall"]["use_events"] == 1
    assert agency(rep, DISDIK)["asset_users"] == 1


def test_utc_event_after_1700_on_31_december_counts_for_the_next_year(base_db):
    rep = report(base_db, 2026)
    # 2025-12-31T17:30Z = 2026-01-01 00:30 WIB: B3 is a 2026 user of Disdik beside B1 -> 2
    assert agency(rep, DISDIK)["asset_users"] == 2
    # and January 2026 already has 3 users: A1 (5 Jan), B3 (1 Jan 00:30 WIB), B1 (31 Jan)
    assert rep["monthly"][0] == {"month": "2026-01", "cumulative_asset_users": 3,
                                 "cumulative_utilisation_rate": pytest.approx(3 / 14, abs=1e-6)}


# --- duplicates -----------------------------------------------------------------------------------

def test_identical_rows_in_one_file_count_once(imported, base_db):
    january = imported[1]["log_akses_2026-01.csv"]
    # 7 rows: A1's 5 Jan 09:00 view is written twice -> 6 loaded, 1 duplicate
    assert (january.rows_read, january.rows_loaded, january.rows_duplicate) == (7, 6, 1)
    # Dinkes use events stay 5 (A1 x3, A2 x2), not 6
    assert agency(report(base_db), DINKES)["use_events"] == 5


def test_identical_rows_in_overlapping_monthly_files_count_once(imported, base_db):
    february = imported[1]["log_akses_2026-02.csv"]
    # 5 rows: B1's 31 Jan row (already in January's file) is a duplicate; tamu and the
    # 17-digit NIP are rejected; A2's view and A3's orphan view are loaded
    assert (february.rows_read, february.rows_loaded, february.rows_duplicate, february.rows_rejected) == (5, 2, 1, 2)
    # Disdik use events: B1's 31 Jan view once + B3's 1 Jan download = 2
    assert agency(report(base_db), DISDIK)["use_events"] == 2


def test_same_moment_written_with_another_offset_is_a_duplicate(fresh_db, tmp_path):
    before = report(fresh_db)
    # B1's 2026-01-31 15:00 WIB view written as 08:00Z, with an English action word
    again = write_csv(tmp_path / "log_akses_ulang.csv",
                      "Waktu Akses,NIP,ID Aset,Aktivitas\n2026-01-31T08:00:00Z,198001012005011005,AP-0004,view\n")
    [result] = ingest_paths([again], db=fresh_db)
    # same time, NIP, asset and action as a stored event -> 0 loaded, 1 duplicate, nothing changes
    assert (result.rows_loaded, result.rows_duplicate) == (0, 1)
    assert report(fresh_db) == before


# --- likes and comments ---------------------------------------------------------------------------

def test_likes_and_comments_in_the_fixture_are_not_use(base_db):
    rep = report(base_db)
    # Dinkes: A3 only liked (Suka), A4 only commented (Komentar) -> users stay {A1, A2} = 2, not 4
    assert agency(rep, DINKES)["asset_users"] == 2
    # Disdik: B4 (like) and B5 (comment) left out -> {B1, B3} = 2, not 4
    assert agency(rep, DISDIK)["asset_users"] == 2


def test_adding_likes_and_comments_in_either_language_changes_nothing(fresh_db, tmp_path):
    before = report(fresh_db)
    engagement = write_csv(tmp_path / "log_akses_suka.csv", "\n".join([
        "Waktu Akses,NIP,ID Aset,Aktivitas",
        f"2026-05-01 08:00:00,{A3},AP-0001,Suka",
        f"2026-05-01 08:01:00,{A4},AP-0001,KOMENTAR",
        f"2026-05-02 08:00:00,{B4},AP-0004,like",
        f"2026-05-02 08:01:00,{B5},AP-0004,Comment",
        f"2026-05-03 08:00:00,{C1},AP-0005,komentar",
    ]) + "\n")
    [result] = ingest_paths([engagement], db=fresh_db)
    # the 5 rows are stored (they are engagement, not errors) ...
    assert (result.rows_loaded, result.rows_rejected) == (5, 0)
    # ... and no user, use event or month is added (May would appear in the monthly series)
    assert report(fresh_db) == before


# --- NIPs the roster does not know, assets the register does not list -------------------------------

def test_nip_not_in_roster_is_stored_but_not_counted(base_db):
    rep = report(base_db)
    # S's 20 Jan view is stored (noise: 1 stranger) but Disdik users stay {B1, B3} = 2
    assert rep["noise_events"]["stranger"] == 1
    assert agency(rep, DISDIK)["asset_users"] == 2
    # S also signed the 15 Mar online form: Disdik participants stay {B1} = 1
    assert agency(rep, DISDIK)["participants"] == 1


def test_nip_counts_once_a_roster_that_knows_it_is_imported(fresh_db):
    ingest_paths([ROSTER_KNOWING_S], db=fresh_db)
    rep = report(fresh_db)
    # S is now Disdik: users {B1, B3, S} = 3 of 10 -> 0.3; events B1 + B3 + S = 3
    assert agency(rep, DISDIK)["asset_users"] == 3
    assert agency(rep, DISDIK)["utilisation_rate"] == pytest.approx(0.3, abs=1e-9)
    assert agency(rep, DISDIK)["use_events"] == 3
    # overall 5 users of 14; no stranger left
    assert rep["overall"]["asset_users"] == 5
    assert rep["noise_events"]["stranger"] == 0


# With later/daftar_pegawai_baru.csv as the roster (S is Disdik), by hand, 2026:
#   Dinkes: users {A1, A2} = 2, events 5, participants {A1, A2} = 2
#   Disdik: users {B1, B3, S} = 3, events 3, participants {B1, S} = 2
#   Dishub: nothing; overall users 5, events 8, participants 4, headcount 14
ROSTER_ORDER_EXPECTED = {
    DINKES: {"asset_users": 2, "use_events": 5, "participants": 2},
    DISDIK: {"asset_users": 3, "use_events": 3, "participants": 2},
    DISHUB: {"asset_users": 0, "use_events": 0, "participants": 0},
    "overall": {"asset_users": 5, "use_events": 8, "participants": 4, "headcount": 14},
}


def _order_summary(rep: dict) -> dict:
    keys = ("asset_users", "use_events", "participants")
    summary = {row["skpd"]: {k: row[k] for k in keys} for row in rep["skpd"]}
    summary["overall"] = {k: rep["overall"][k] for k in (*keys, "headcount")}
    return summary


def _files_but_the_roster() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_file() and p != ROSTER)


def test_roster_imported_last_gives_the_hand_worked_numbers(tmp_path):
    db = tmp_path / "roster_last.duckdb"
    ingest_paths(_files_but_the_roster(), db=db)
    ingest_paths([ROSTER_KNOWING_S], db=db)
    assert _order_summary(report(db)) == ROSTER_ORDER_EXPECTED


def test_roster_imported_first_gives_the_same_numbers(tmp_path):
    db = tmp_path / "roster_first.duckdb"
    ingest_paths([ROSTER_KNOWING_S], db=db)
    ingest_paths(_files_but_the_roster(), db=db)
    assert _order_summary(report(db)) == ROSTER_ORDER_EXPECTED


def test_asset_not_in_register_is_not_counted(base_db):
    rep = report(base_db)
    # A3's view of AP-0099 is stored (noise: 1 orphan); Dinkes users stay {A1, A2} = 2
    assert rep["noise_events"]["orphan"] == 1
    assert agency(rep, DINKES)["asset_users"] == 2


def test_asset_counts_once_a_register_listing_it_arrives(fresh_db):
    ingest_paths([NEWER_REGISTER], db=fresh_db)
    rep = report(fresh_db)
    # AP-0099 is now listed (Draf: any status counts): Dinkes users {A1, A2, A3} = 3 of 4 -> 0.75
    assert agency(rep, DINKES)["asset_users"] == 3
    assert agency(rep, DINKES)["utilisation_rate"] == 0.75
    # events 5 + A3's view = 6; no orphan left
    assert agency(rep, DINKES)["use_events"] == 6
    assert rep["noise_events"]["orphan"] == 0


def test_left_out_events_are_counted_by_cause(base_db):
    with connect(base_db, read_only=True) as con:
        # 2026: tamu (guest), 17-digit NIP (short), S (stranger), AP-0099 (orphan): one each
        assert noise_events(con, 2026) == {"guest": 1, "short": 1, "stranger": 1, "orphan": 1}


# --- zero headcount -------------------------------------------------------------------------------

def test_zero_headcount_gives_null_rates_in_the_report(base_db):
    rep = report(base_db)
    dishub = agency(rep, DISHUB)
    # Dishub: headcount 0 -> both rates undefined: None, not 0 and not NaN
    assert dishub["headcount"] == 0
    assert dishub["utilisation_rate"] is None
    assert dishub["participation_rate"] is None
    as_json = json.loads(json.dumps(rep, allow_nan=False))  # allow_nan=False: a NaN anywhere raises
    assert agency(as_json, DISHUB)["utilisation_rate"] is None  # JSON null
    # the agency stays in the report (it is in the recap), and the overall rate is still defined: 4/14
    assert rep["overall"]["utilisation_rate"] == pytest.approx(4 / 14, abs=1e-6)


def test_zero_headcount_gives_a_missing_rate_in_the_agency_table(base_db):
    dishub = agency_frame_rows(base_db)[DISHUB]
    # headcount 0 -> utilisation_rate and participation_rate undefined: pandas' missing value in a frame
    # (metrics/kpi.py: None in dicts and JSON, NaN in frames; the pages show "n/a"), never 0
    assert pd.isna(dishub["utilisation_rate"])
    assert pd.isna(dishub["participation_rate"])


# --- participants -----------------------------------------------------------------------------------

def test_participants_are_distinct_roster_nips_of_any_role_in_the_year(base_db):
    rep = report(base_db)
    # Dinkes {A1 Peserta (form sent twice), A2 Narasumber (typed "Disdik" but the roster says Dinkes)} = 2 of 4
    assert agency(rep, DINKES)["participants"] == 2
    assert agency(rep, DINKES)["participation_rate"] == 0.5
    # Disdik {B1 Fasilitator} = 1 (S is not in the roster, B2 attended in 2025) -> 1/10
    assert agency(rep, DISDIK)["participants"] == 1
    assert agency(rep, DISDIK)["participation_rate"] == pytest.approx(0.1, abs=1e-9)
    assert rep["overall"]["participants"] == 3
    # 2025: only B2 (20 Nov 2025)
    assert report(base_db, 2025)["overall"]["participants"] == 1


def test_printed_sign_in_sheet_is_merged_with_the_online_form(fresh_db, tmp_path):
    sheet = write_sign_in_sheet(tmp_path / "daftar_hadir_2026-03-30.xlsx")
    [result] = ingest_paths([sheet], db=fresh_db)
    # 3 rows, all loaded as attendance with CoP, activity and date from the title block
    assert (result.kind, result.rows_read, result.rows_loaded) == ("attendance", 3, 3)
    rep = report(fresh_db)
    # Disdik: {B1 (form and sheet), B3 (sheet only)} = 2 of 10 -> 0.2
    assert agency(rep, DISDIK)["participants"] == 2
    assert agency(rep, DISDIK)["participation_rate"] == pytest.approx(0.2, abs=1e-9)
    # Dinkes unchanged: A1 was already a participant -> {A1, A2} = 2
    assert agency(rep, DINKES)["participants"] == 2
    # overall {A1, A2, B1, B3} = 4
    assert rep["overall"]["participants"] == 4


# --- assets published ---------------------------------------------------------------------------------

def test_assets_published_count_terbit_by_publish_date_to_the_agency_on_the_row(base_db):
    rep = report(base_db)
    # 2026: Dinkes AP-0001 (Terbit 10 Feb) = 1; AP-0002 " terbit " is 2025
    assert agency(rep, DINKES)["assets_published"] == 1
    # Disdik AP-0004 ("TERBIT", 8 Januari 2026) = 1; AP-0003 is Draf
    assert agency(rep, DISDIK)["assets_published"] == 1
    # Dishub AP-0005 ("  Terbit", 1 Agu 2026) = 1, though its uploader A1 is Dinkes
    assert agency(rep, DISHUB)["assets_published"] == 1
    assert rep["overall"]["assets_published"] == 3


def test_assets_published_in_the_previous_year(base_db):
    rep = report(base_db, 2025)
    # 2025: only AP-0002 (" terbit ", 20 Dec 2025, Dinkes)
    assert agency(rep, DINKES)["assets_published"] == 1
    assert rep["overall"]["assets_published"] == 1


def test_newer_asset_register_replaces_assets_by_id(fresh_db):
    [result] = ingest_paths([NEWER_REGISTER], db=fresh_db)
    # AP-0003 is replaced (1 row); AP-0099 is new
    assert (result.rows_loaded, result.rows_replaced) == (2, 1)
    rep = report(fresh_db)
    # Disdik: AP-0004 + AP-0003 (now Terbit, 1 Jun 2026) = 2
    assert agency(rep, DISDIK)["assets_published"] == 2
    # assets the newer file does not list stay: Dinkes AP-0001 = 1, Dishub AP-0005 = 1; overall 4
    assert agency(rep, DINKES)["assets_published"] == 1
    assert agency(rep, DISHUB)["assets_published"] == 1
    assert rep["overall"]["assets_published"] == 4


# --- maturity -------------------------------------------------------------------------------------------

def _maturity(db: Path, year: int = 2026) -> dict:
    with connect(db, read_only=True) as con:
        return {row["cop"]: row for row in cop_maturity(con, year).to_dict("records")}


def test_maturity_score_is_the_exact_mean_so_12_5_gives_2_5_and_level_3(base_db):
    sehat = _maturity(base_db)["CoP Sehat"]
    # 1,0 + 1,0 + 2,6 + 3,8 + 4,1 = 12,5 exactly (in binary floats the sum is 12.4999...) -> 2.5, level 3
    assert sehat["maturity_score"] == 2.5
    assert sehat["maturity_level"] == 3


@pytest.mark.parametrize(("cop", "score", "level"), [
    ("CoP Arsip", 1.49, 1),      # 5 x 1,49 -> 1.49 < 1.5
    ("CoP Guru", 1.5, 2),        # 1 + 2 + 1,5 x 3 = 7,5 -> 1.5
    ("CoP Riset", 2.49, 2),      # 5 x 2,49 -> 2.49 < 2.5
    ("CoP Sehat", 2.5, 3),       # 12,5 / 5
    ("CoP Data", 3.498, 3),      # 3,49 + 4 x 3,5 = 17,49 -> 3.498 (file prints 3,50)
    ("CoP Jalan", 3.5, 4),       # 3 + 4 + 3,5 x 3 = 17,5 -> 3.5
    ("CoP Kurikulum", 4.49, 4),  # 5 x 4,49 -> 4.49 < 4.5
    ("CoP Mutu", 4.5, 5),        # 5 x 4,5 -> 4.5
])
def test_maturity_level_boundaries(base_db, cop, score, level):
    row = _maturity(base_db)[cop]
    assert row["maturity_score"] == pytest.approx(score, abs=1e-9)
    assert row["maturity_level"] == level


def test_maturity_is_read_for_its_own_year(base_db):
    by_cop = _maturity(base_db, 2025)
    # 2025 holds one row: CoP Sehat 5 x 2,0 -> 2.0, level 2
    assert list(by_cop) == ["CoP Sehat"]
    assert (by_cop["CoP Sehat"]["maturity_score"], by_cop["CoP Sehat"]["maturity_level"]) == (2.0, 2)


def test_file_level_disagreeing_with_computed_level_is_flagged(base_db):
    by_cop = _maturity(base_db)
    # CoP Guru: file says Level 1, the mean 1.5 gives level 2 -> flagged; CoP Sehat's 3 agrees
    assert bool(by_cop["CoP Guru"]["level_mismatch"]) is True
    assert bool(by_cop["CoP Sehat"]["level_mismatch"]) is False


def test_maturity_scores_with_five_decimals_are_not_rounded_before_the_level(tmp_path):
    db = tmp_path / "presisi.duckdb"
    scores = write_csv(tmp_path / "penilaian_presisi.csv",
                       "Tahun;Perangkat Daerah;Nama CoP;Strategi;Orang;Proses;Konten;Teknologi\n"
                       "2026;Dinas Kesehatan;CoP Presisi;1,49999;1,49999;1,49999;1,49999;1,49999\n")
    ingest_paths([scores], db=db)
    row = _maturity(db)["CoP Presisi"]
    # 5 x 1,49999 = 7,49995 -> mean 1.49999 exactly, below 1.5 -> level 1
    assert row["maturity_score"] == pytest.approx(1.49999, abs=1e-9)
    assert row["maturity_level"] == 1


# --- activities --------------------------------------------------------------------------------------------

def test_activities_and_accompanied_rate(base_db):
    with connect(base_db, read_only=True) as con:
        summary = activity_summary(con, 2026)
    # 2026 meetings: 10 Feb, 15 Mar, 30 Mar, 14 Apr, 1 Agu, 31 Dec = 6
    assert summary["activities"] == 6
    # Didampingi Ya: 10 Feb, 30 Mar, 14 Apr ("ya"), 1 Agu = 4 -> 4/6
    assert summary["activities_accompanied"] == 4
    assert summary["accompanied_rate"] == pytest.approx(4 / 6, abs=1e-9)


def test_cops_active_per_quarter(base_db):
    with connect(base_db, read_only=True) as con:
        by_quarter = activity_summary(con, 2026)["by_quarter"]
    assert by_quarter == {
        "Q1": {"activities": 3, "cops_active": 2},  # Sehat 10 Feb, Guru 15 & 30 Mar -> {Sehat, Guru}
        "Q2": {"activities": 1, "cops_active": 1},  # Guru 14 Apr
        "Q3": {"activities": 1, "cops_active": 1},  # Jalan 1 Agu
        "Q4": {"activities": 1, "cops_active": 1},  # Sehat 31 Dec
    }


def test_activities_of_another_year_are_not_counted(base_db):
    with connect(base_db, read_only=True) as con:
        summary = activity_summary(con, 2025)
    # 2025: Kelas Menulis 0 on 20 Nov 2025, accompanied -> 1, 1, 1.0, Q4 only
    assert (summary["activities"], summary["activities_accompanied"], summary["accompanied_rate"]) == (1, 1, 1.0)
    assert summary["by_quarter"]["Q4"] == {"activities": 1, "cops_active": 1}
    assert summary["by_quarter"]["Q1"] == {"activities": 0, "cops_active": 0}



def test_activities_of_a_quarter_and_a_month(base_db):
    with connect(base_db, read_only=True) as con:
        tw1 = activity_summary(con, 2026, period=period_at("quarter", dt.date(2026, 2, 1)))
        march = activity_summary(con, 2026, period=period_at("month", dt.date(2026, 3, 1)))
    # TW I 2026: 10 Feb (Ya), 15 Mar (Tidak), 30 Mar (Ya) -> 3 meetings, 2 accompanied, CoPs {Sehat, Guru}
    assert (tw1["activities"], tw1["activities_accompanied"], tw1["accompanied_rate"]) == (3, 2, pytest.approx(2 / 3))
    assert tw1["by_quarter"]["Q1"] == {"activities": 3, "cops_active": 2}
    assert tw1["by_quarter"]["Q2"] == {"activities": 0, "cops_active": 0}
    # March: 15 Mar (Tidak), 30 Mar (Ya), both CoP Guru
    assert (march["activities"], march["activities_accompanied"]) == (2, 1)
    assert march["by_quarter"]["Q1"] == {"activities": 2, "cops_active": 1}

# --- monthly cumulative ---------------------------------------------------------------------------------------

def test_monthly_cumulative_users_are_distinct_since_january(base_db):
    with connect(base_db, read_only=True) as con:
        monthly = monthly_cumulative(con, 2026)
    # Jan {A1, B3, B1} = 3; Feb + A2 = 4; Mar: A1 and A2 again, no one new = 4.
    # A sum of monthly distinct counts would give 3, 3 + 1, 3 + 1 + 2 = 6 in March.
    # A like in April is not use, so the series ends in March.
    assert list(monthly["month"]) == ["2026-01", "2026-02", "2026-03"]
    assert list(monthly["cumulative_asset_users"]) == [3, 4, 4]
    assert list(monthly["cumulative_utilisation_rate"]) == pytest.approx([3 / 14, 4 / 14, 4 / 14], abs=1e-9)


# --- importing again -----------------------------------------------------------------------------------------

def test_importing_the_same_files_twice_changes_nothing(fresh_db):
    before = report(fresh_db)
    again = ingest_paths([FIXTURES], db=fresh_db)
    # 10 files, each with the same content as an earlier import
    assert [r.status for r in again] == ["already_imported"] * 10
    assert sum(r.rows_loaded for r in again) == 0
    assert report(fresh_db) == before


def test_a_file_imported_before_is_recognised_by_its_content_without_being_parsed(tmp_path, monkeypatch):
    import data.ingest
    db = tmp_path / "km.duckdb"
    roster = write_csv(tmp_path / "pegawai.csv", "NIP,Nama,Perangkat Daerah\n198503302010012001,Ani,Dinkes\n")
    assert ingest_file(roster, db=db).status == "imported"

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")
    monkeypatch.setattr(data.ingest, "_parse", no_parsing)
    again = ingest_file(roster, db=db, display_name="salinan.csv")
    assert (again.status, again.import_id, again.kind, again.file) == ("already_imported", 1, "roster", "salinan.csv")


def test_an_older_roster_imported_again_says_how_to_make_it_current(tmp_path):
    """Roster A, then roster B (replaces A), then A again: nothing changes (same content as
    import #1), and the note says #1 is no longer current and which import to undo."""
    db = tmp_path / "km.duckdb"
    a = write_csv(tmp_path / "pegawai_a.csv", "NIP,Nama,Perangkat Daerah\n198503302010012001,Ani,Dinkes\n"
                                                "199001012015032002,Budi,Dinkes\n")
    b = write_csv(tmp_path / "pegawai_b.csv", "NIP,Nama,Perangkat Daerah\n198503302010012001,Ani,Dinkes\n")
    assert [ingest_file(f, db=db, allow_shrink=True).status for f in (a, b)] == ["imported", "imported"]
    again = ingest_file(a, db=db)
    assert (again.status, again.import_id, again.rows_loaded) == ("already_imported", 1, 0)
    assert "import #1 is no longer current: import #2 replaced its rows" in again.notes[-1]
    assert "python -m data.undo 2" in again.notes[-1]
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM employee WHERE replaced_by IS NULL").fetchall()[0][0] == 1


def test_an_older_roster_behind_two_newer_ones_names_both_undos_newest_first(tmp_path):
    """A, B, C, then A again: B replaced A and C replaced B, so C must be undone before B
    (found by a fresh-eyes user: the note named only B, whose undo is refused)."""
    db = tmp_path / "km.duckdb"
    rosters = [write_csv(tmp_path / f"pegawai_{k}.csv", f"NIP,Nama,Perangkat Daerah\n{nip},{k},Dinkes\n")
               for k, nip in (("a", "198503302010012001"), ("b", "199001012015032002"), ("c", "198712122012121003"))]
    assert [ingest_file(f, db=db).status for f in rosters] == ["imported"] * 3
    note = ingest_file(rosters[0], db=db).notes[-1]
    assert note == ("WARNING: import #1 is no longer current: import #2 replaced its rows; to make this file "
                    "current again, undo import #3, then #2 (newest first; Data & impor page, or python -m data.undo 3)")


# --- the command line -----------------------------------------------------------------------------------------

def test_cli_returns_3_for_a_garbage_file_and_imports_the_others(tmp_path, capsys):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    (folder / "rusak.xlsx").write_bytes(random.Random(20260330).randbytes(4096))
    shutil.copy(ROSTER, folder / "daftar_pegawai.csv")
    shutil.copy(FIXTURES / "rekap_jumlah_pegawai.csv", folder / "rekap_jumlah_pegawai.csv")
    db = tmp_path / "cli.duckdb"
    code = ingest_main([str(folder), "--db", str(db), "--json"])
    statuses = {r["file"]: r["status"] for r in json.loads(capsys.readouterr().out)}
    assert code == 3
    assert statuses == {"daftar_pegawai.csv": "imported", "rekap_jumlah_pegawai.csv": "imported",
                        "rusak.xlsx": "refused"}
    with connect(db, read_only=True) as con:
        # the recap was loaded: 4 + 10 + 0 = 14
        assert overall_kpis(con, 2026)["headcount"] == 14


def test_cli_returns_2_for_a_missing_path(tmp_path, capsys):
    code = ingest_main([str(tmp_path / "tidak_ada"), "--db", str(tmp_path / "cli.duckdb")])
    assert code == 2
    assert "tidak_ada" in capsys.readouterr().err
    assert not (tmp_path / "cli.duckdb").exists()



def test_the_agency_tables_counts_are_whole_numbers(base_db):
    with connect(base_db, read_only=True) as con:
        frame = skpd_kpis(con, 2026).set_index("skpd")
    # use events: Dinkes A1 x3 + A2 x2 = 5, Disdik B1 + B3 = 2, Dishub 0 (module docstring)
    assert frame["use_events"].dtype == "int64"
    assert frame["use_events"].to_dict() == {DINKES: 5, DISDIK: 2, DISHUB: 0}
    assert all(frame[c].dtype.kind == "i" for c in ("headcount", "asset_users", "participants", "assets_published"))
