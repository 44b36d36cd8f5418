"""What the data office reads about imports: unknown agency names with candidates,
source freshness, and undo."""
from __future__ import annotations

from data.ingest import ingest_paths
from data.store.connection import connect
from data.undo import UndoRefused, undo_import
from metrics.imports import source_freshness, unknown_agencies

import pytest

ROSTER = ("NIP;Nama Pegawai;Perangkat Daerah;Status Kepegawaian\n"
          "198703102010012001;Ani;Dinas Kesehatn;PNS\n"
          "198703102010012002;Budi;DINKES;PNS\n"
          "198703102010012003;Cici;Dinas Kesehatn;PPPK\n")


def test_unknown_agency_names_are_listed_with_candidates_never_merged(tmp_path):
    path = tmp_path / "daftar_pegawai.csv"
    path.write_text(ROSTER, encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = ingest_paths([path], db=db)
    # 'DINKES' is an alias of Dinas Kesehatan; the typo twice is rejected, never guessed
    assert (result.rows_loaded, result.rows_rejected) == (1, 2)
    # loaded (so that every bad row is listed), with a warning: a roster replaces the stored one
    assert result.notes[0] == ("WARNING: 2 of 3 rows rejected; this Daftar pegawai was loaded with only 1 row(s): "
                               "fix the file and import it again, or undo import #1 "
                               "(Data & impor page, or python -m data.undo 1)")
    with connect(db, read_only=True) as con:
        unknown = unknown_agencies(con)
        stored = con.execute("SELECT skpd FROM employee_current").fetchall()
    assert stored == [("Dinas Kesehatan",)]
    assert unknown[["name", "rows"]].values.tolist() == [["Dinas Kesehatn", 2]]
    assert unknown["closest"][0].startswith("Dinas Kesehatan")


def test_source_freshness_lists_every_kind_even_never_imported(tmp_path):
    path = tmp_path / "daftar_pegawai.csv"
    path.write_text(ROSTER, encoding="utf-8")
    db = tmp_path / "f.duckdb"
    ingest_paths([path], db=db)
    with connect(db, read_only=True) as con:
        fresh = source_freshness(con).set_index("kind")
    assert fresh.loc["roster", "imports"] == 1
    assert fresh.loc["access_log", "imports"] == 0 and fresh["newest_import"].isna()["access_log"]
    assert len(fresh) == 8                      # the eight export kinds


def test_undo_restores_the_roster_the_import_replaced(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("NIP;Nama Pegawai;Perangkat Daerah\n198703102010012001;Ani;Dinkes\n"
                     "198703102010012002;Budi;Dinkes\n", encoding="utf-8")
    second.write_text("NIP;Nama Pegawai;Perangkat Daerah\n198703102010012009;Dewi;Inspektorat\n", encoding="utf-8")
    db = tmp_path / "u.duckdb"
    ingest_paths([first, second], db=db, allow_shrink=True)   # 1 employee replacing 2: confirmed
    with connect(db) as con:
        with pytest.raises(UndoRefused, match="#2"):
            undo_import(con, 1, user="tester")          # import #2 replaced #1's rows: undo #2 first
        done = undo_import(con, 2, user="tester")
        current = sorted(r[0] for r in con.execute("SELECT name FROM employee_current").fetchall())
        status = con.execute("SELECT status, undone_by FROM import_log WHERE import_id = 2").fetchall()
    assert (done["rows_removed"], done["rows_restored"]) == (1, 2)
    assert current == ["Ani", "Budi"]
    assert status == [("undone", "tester")]


def test_imports_and_undos_are_audited(tmp_path):
    from data.ops.audit import audit_entries
    path = tmp_path / "a.csv"
    path.write_text("NIP;Nama Pegawai;Perangkat Daerah\n198703102010012001;Ani;Dinkes\n", encoding="utf-8")
    db = tmp_path / "audit.duckdb"
    from data.ingest import ingest_file
    ingest_file(path, db=db, imported_by="sari")
    with connect(db) as con:
        undo_import(con, 1, user="sari")
        rows = audit_entries(con)[["username", "action", "detail"]].values.tolist()
    assert [r[:2] for r in rows] == [["sari", "undo"], ["sari", "import"]]
    assert rows[1][2].startswith("import_id=1 file=a.csv kind=roster loaded=1")


def test_erasing_an_employee_keeps_the_aggregate_history(field_samples, tmp_path):
    from data.erase import ERASED, erase_employee
    from metrics.kpi import Scope, overall_kpis
    db = tmp_path / "erase.duckdb"
    ingest_paths([field_samples / "daftar_pegawai.csv", field_samples / "rekap_jumlah_pegawai_2026.xlsx",
                  field_samples / "aset_pengetahuan_portal_km.xlsx", field_samples / "log_akses_portal_km_2026-03.csv"],
                 db=db)
    nip = "198901032015011577"                      # drg. Dewi Lubis, the roster's first row
    with connect(db) as con:
        before = overall_kpis(con, 2026, Scope.province())
        done = erase_employee(con, "19890103 201501 1 577", user="pusdatin")
        after = overall_kpis(con, 2026, Scope.province())
        left = con.execute("SELECT count(*) FROM employee WHERE nip_plain = ?", [nip]).fetchall()[0][0]
        erased = con.execute("SELECT count(*) FROM employee WHERE name = ?", [ERASED]).fetchall()[0][0]
    assert done["roster_rows"] == 1 and erased == 1 and left == 0
    assert after == before                            # the KPIs do not move


def test_undoing_the_only_roster_warns_and_check_names_it(tmp_path):
    # found by a fresh-eyes user: undoing the roster silently zeroed every KPI
    from data.admin import integrity_problems
    roster, log = tmp_path / "r.csv", tmp_path / "l.csv"
    roster.write_text("NIP;Nama Pegawai;Perangkat Daerah\n198703102010012001;Ani;Dinkes\n", encoding="utf-8")
    log.write_text("Waktu Akses,NIP,ID Aset,Aktivitas\n2026-03-01 08:00:00,198703102010012001,AP-1,Lihat\n",
                   encoding="utf-8")
    db = tmp_path / "w.duckdb"
    ingest_paths([roster, log], db=db)
    with connect(db) as con:
        done = undo_import(con, 1, user="t")
        problems = integrity_problems(con)
    assert done["warning"].startswith("no current roster remains")
    assert any(p.startswith("no current roster") for p in problems)


def test_implausible_counts_are_rejected_rows_not_a_crash(tmp_path):
    # found by a fresh-eyes user: 3,000,000,000 overflowed the INTEGER column and crashed the import
    recap = tmp_path / "rekap.csv"
    recap.write_text("Perangkat Daerah;Jumlah Pegawai;Keadaan per\nDinas Pendidikan;3000000000;30/06/2026\n"
                     "Dinas Kesehatan;291;30/06/2026\nInspektorat;1e400;30/06/2026\n", encoding="utf-8")
    [result] = ingest_paths([recap], db=tmp_path / "c.duckdb")
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("imported", 1, 2)


@pytest.mark.parametrize(("written", "closest"), [
    ("Dinas Kelautan dan Perikanan", "Dinas Ketahanan Pangan, Kelautan dan Pertanian"),   # found by a fresh-eyes user
    ("Dinas Kelautan", "Dinas Ketahanan Pangan, Kelautan dan Pertanian"),
    ("Dinas Kesehatn", "Dinas Kesehatan"),
    ("Dinkes DKI", "Dinas Kesehatan"),
    ("Dinas Pariwisata", "Dinas Pariwisata dan Ekonomi Kreatif"),
])
def test_the_closest_agency_offered_for_an_unknown_name_is_the_one_a_person_would_pick(written, closest):
    from data.intake.agencies import load_agency_table
    assert load_agency_table().suggest(written)[0] == closest


def _imported(tmp_path, text: str, sql: str):
    """Import ``text`` as one CSV into a new store; the file's result and ``sql``'s rows."""
    path = tmp_path / "kiriman.csv"
    path.write_text(text, encoding="utf-8")
    [result] = ingest_paths([path], db=tmp_path / "k.duckdb")
    with connect(tmp_path / "k.duckdb", read_only=True) as con:
        return result, con.execute(sql).fetchall()


def test_a_recap_without_a_total_column_names_the_empty_pns_or_pppk_cell(tmp_path):
    result, rejected = _imported(tmp_path, "Keadaan per 30 Juni 2026;;\nPerangkat Daerah;PNS;PPPK\n"
                                 "Dinas Kesehatan;250;40\nDinas Pendidikan;180;\n",
                                 "SELECT row_number, column_name, reason_code, message FROM rejected_row")
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    assert rejected == [(4, "headcount_pppk", "missing_headcount",
                         "PPPK count is empty and there is no total column (the headcount is PNS + PPPK)")]


def test_a_maturity_sheet_with_an_english_title_takes_the_year_from_it(tmp_path):
    result, stored = _imported(tmp_path, "CoP MATURITY ASSESSMENT 2025\n\nAgency;CoP Name;Strategi;Orang;Proses;Konten;"
                               "Teknologi\nDinas Kesehatan;CoP Sehat;3,0;3,0;3,0;3,0;3,0\n",
                               "SELECT year, cop_key FROM maturity")
    assert (result.status, result.kind, result.rows_loaded) == ("imported", "maturity", 1)
    assert stored == [(2025, "cop sehat")]


def test_a_roster_with_a_date_column_is_still_a_roster(tmp_path):
    """The sign-in-sheet guard (data.intake.layout) looks for attendance-only columns; a date is not one."""
    result, stored = _imported(tmp_path, "NIP,Nama,Perangkat Daerah,Tanggal\n198503302010012001,Ani,Dinkes,30/06/2026\n",
                               "SELECT nip_plain, skpd FROM employee")
    assert (result.status, result.kind) == ("imported", "roster")
    assert stored == [("198503302010012001", "Dinas Kesehatan")]


@pytest.mark.parametrize("column", ["Kehadiran", "Jam Hadir", "Stempel waktu", "Paraf"])
def test_a_sign_in_list_without_cop_and_date_is_never_read_as_a_roster(tmp_path, column):
    """Found by fresh-eyes users: NIP, name and agency plus one attendance column replaced the roster."""
    result, stored = _imported(tmp_path, f"NIP,Nama,Unit Kerja,{column}\n198503302010012001,Ani,Dinkes,Hadir\n",
                               "SELECT count(*) FROM employee")
    assert (result.status, result.reason_code) == ("refused", "incomplete_sign_in_sheet")
    assert stored == [(0,)]


def test_a_roster_far_smaller_than_the_one_it_replaces_is_loaded_with_a_warning(tmp_path):
    db = tmp_path / "k.duckdb"
    whole = tmp_path / "pegawai.csv"
    whole.write_text("NIP,Nama,Perangkat Daerah\n" + "".join(f"19850330201001{i:04d},Pegawai {i},Dinkes\n"
                                                          for i in range(1, 8)), encoding="utf-8")
    part = tmp_path / "pegawai_sebagian.csv"
    part.write_text("NIP,Nama,Perangkat Daerah\n198503302010010001,Pegawai 1,Dinkes\n"
                    "198503302010010002,Pegawai 2,Dinkes\n", encoding="utf-8")
    ingest_paths([whole], db=db)
    [held] = ingest_paths([part], db=db)
    # 2 of 7 is under two thirds: held back first (issue 12), loaded once confirmed
    assert (held.status, held.reason_code, held.rows_loaded) == ("held_back", "shrink", 0)
    [result] = ingest_paths([part], db=db, allow_shrink=True)
    # 2 employees replace 7: more than 2 x 2, so the warning comes first
    assert (result.rows_loaded, result.rows_replaced) == (2, 7)
    assert result.notes[0] == ("WARNING: this roster holds 2 employee(s) and replaced the 7 stored; if it is not the "
                               "whole province's list, undo import #2 (Data & impor page, or python -m data.undo 2)")


# -- the history, the rejected rows and their summary, read from a store filled by hand -------

@pytest.fixture
def store(tmp_path):
    """An empty store (schema only) for rows written by hand."""
    db = tmp_path / "hand.duckdb"
    with connect(db):
        pass
    return db


def _log(con, import_id, kind="roster", status="loaded", at="2026-03-01 08:00:00"):
    con.execute("INSERT INTO import_log (import_id, file_name, content_sha256, kind, file_format, sheet, header_row, "
                "imported_at, imported_by, rows_read, rows_loaded, rows_duplicate, rows_rejected, rows_replaced, "
                "status, notes) VALUES (?, ?, 'sha', ?, 'csv', 'Sheet1', 2, ?, 'sari', 10, 7, 1, 2, 0, ?, 'catatan')",
                [import_id, f"file{import_id}.csv", kind, at, status])


def _reject(con, import_id, row_number, reason="bad_nip", value="123", message="NIP bukan 18 digit"):
    con.execute("INSERT INTO rejected_row (import_id, file_name, sheet, row_number, column_name, value, reason_code, "
                "message, row_date, raw_row) VALUES (?, ?, 'Sheet1', ?, 'NIP', ?, ?, ?, NULL, 'raw')",
                [import_id, f"file{import_id}.csv", row_number, value, reason, message])


HISTORY_COLUMNS = ["import_id", "imported_at", "imported_by", "file_name", "kind", "sheet", "header_row", "rows_read",
                   "rows_loaded", "rows_duplicate", "rows_rejected", "rows_replaced", "status", "notes"]
REJECTED_COLUMNS = ["import_id", "file_name", "sheet", "row_number", "column_name", "value", "reason_code", "message",
                    "raw_row"]


def test_the_import_history_is_newest_first_and_bounded(store):
    from metrics.imports import import_history
    with connect(store) as con:
        for i in (1, 2, 3):
            _log(con, i, status="undone" if i == 2 else "loaded")
        history = import_history(con)
        assert list(history.columns) == HISTORY_COLUMNS
        assert history["import_id"].tolist() == [3, 2, 1]                  # undone imports are history too
        assert history.iloc[0][["file_name", "sheet", "header_row", "rows_loaded", "status", "notes"]].tolist() == [
            "file3.csv", "Sheet1", 2, 7, "loaded", "catatan"]
        assert import_history(con, limit=2)["import_id"].tolist() == [3, 2]
        con.execute("DELETE FROM import_log")
        for i in range(1, 502):
            _log(con, i)
        history = import_history(con)                                       # 501 imports: the newest 500
    assert len(history) == 500 and (history["import_id"].iloc[0], history["import_id"].iloc[-1]) == (501, 2)


def test_rejected_rows_by_import_newest_first_then_by_row(store):
    from metrics.imports import rejected_rows
    with connect(store) as con:
        _log(con, 1)
        _log(con, 2)
        for import_id, row in ((1, 7), (2, 5), (1, 3), (2, 9)):
            _reject(con, import_id, row)
        every = rejected_rows(con)
        assert list(every.columns) == REJECTED_COLUMNS
        assert every[["import_id", "row_number"]].values.tolist() == [[2, 5], [2, 9], [1, 3], [1, 7]]
        assert rejected_rows(con, [1])[["import_id", "row_number"]].values.tolist() == [[1, 3], [1, 7]]
        assert rejected_rows(con, [2, 1], limit=3)["row_number"].tolist() == [5, 9, 3]
        assert rejected_rows(con, []).empty                                 # no import chosen: no rows
        con.execute("DELETE FROM rejected_row")
        con.execute("INSERT INTO rejected_row SELECT 1, 'f.csv', 'S', i::INTEGER, 'NIP', 'x', 'bad_nip', 'm', NULL, 'r' "
                    "FROM range(1, 20002) t(i)")
        bounded = rejected_rows(con)                                        # 20001 rows: the first 20000
    assert len(bounded) == 20000 and bounded["row_number"].iloc[-1] == 20000


def test_rejected_rows_leave_out_undone_imports(store):
    # found by a fresh-eyes user: an undone import's rejected rows were still listed and counted
    from metrics.imports import rejected_rows
    with connect(store) as con:
        _log(con, 1)
        _log(con, 2, status="undone")
        _log(con, 3)
        _log(con, 4, status="undone")
        for import_id, rows in ((1, (2, 3)), (2, (2, 3, 4)), (3, (5,)), (4, (6, 7))):
            for row in rows:
                _reject(con, import_id, row)
        # 2 + 3 + 1 + 2 = 8 stored; the undone #2 (3 rows) and #4 (2 rows) are left out: 8 - 5 = 3
        assert rejected_rows(con)[["import_id", "row_number"]].values.tolist() == [[3, 5], [1, 2], [1, 3]]
        assert rejected_rows(con, [2, 3])["import_id"].tolist() == [3]          # asked for by id: still only live
        assert rejected_rows(con, [4]).empty


def test_the_rejection_summary_counts_imports_that_still_count_most_first(store):
    from metrics.imports import rejection_summary
    with connect(store) as con:
        _log(con, 1, kind="roster")
        _log(con, 2, kind="roster", status="undone")
        _log(con, 3, kind="access_log")
        for row in (2, 3):
            _reject(con, 1, row, reason="unknown_skpd")
        _reject(con, 1, 4)
        for row in range(2, 7):
            _reject(con, 2, row)                                            # undone: not counted
        for row in (2, 3, 4):
            _reject(con, 3, row)
        summary = rejection_summary(con)
    # access_log bad_nip 3; roster unknown_skpd 2 (rows 2, 3); roster bad_nip 1 (row 4)
    assert list(summary.columns) == ["kind", "reason_code", "rows"]
    assert summary.values.tolist() == [["access_log", "bad_nip", 3], ["roster", "unknown_skpd", 2],
                                       ["roster", "bad_nip", 1]]


def test_source_freshness_is_the_newest_import_that_still_counts(store):
    import pandas as pd
    from data.intake.kinds import KIND_BY_NAME
    with connect(store) as con:
        _log(con, 1, kind="roster", at="2026-03-01 08:00:00")
        _log(con, 2, kind="roster", at="2026-04-02 09:30:00")
        _log(con, 3, kind="roster", status="undone", at="2026-05-01 10:00:00")   # newer, but undone
        fresh = source_freshness(con)
    assert list(fresh.columns) == ["kind", "label", "newest_import", "imports"]
    assert fresh["kind"].tolist() == list(KIND_BY_NAME)
    assert fresh["label"].tolist()[:2] == ["Daftar pegawai", "Rekap jumlah pegawai"]
    roster = fresh.set_index("kind").loc["roster"]
    assert roster["newest_import"] == pd.Timestamp("2026-04-02 09:30:00") and roster["imports"] == 2
    assert fresh.set_index("kind").loc["headcount", "imports"] == 0


ACTIVITY = ("Perangkat Daerah,Nama CoP,Nama Kegiatan,Tanggal Kegiatan,Didampingi\n"
            "Dinas Kesehatan,CoP Layanan Publik,Rapat,12/05/2026,Ya\n")


def _sign_in_sheet(cop: str, nips: list[str]) -> str:
    return (f"DAFTAR HADIR KEGIATAN {cop}\nKegiatan : Rapat\nTanggal : 12 Mei 2026\n\nNo,NIP,Nama\n"
            + "".join(f"{i},{nip},Peserta {i}\n" for i, nip in enumerate(nips, 1)))


def test_attendance_of_a_cop_no_register_names_is_loaded_with_a_note(tmp_path):
    """Found by fresh-eyes users (F10): a sign-in sheet of 'COP BELUM TERDAFTAR XYZ' imported without a word."""
    db = tmp_path / "k.duckdb"
    files = {"1_kegiatan.csv": ACTIVITY,
             "2_asing.csv": _sign_in_sheet("COP BELUM TERDAFTAR XYZ", ["198503302010012001", "199001012015032002"]),
             "3_terdaftar.csv": _sign_in_sheet("cop  layanan publik", ["198503302010012001"])}   # the register's, spelt otherwise
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    activity, unknown, known = ingest_paths([tmp_path / n for n in files], db=db)
    # both rows of the unknown CoP are loaded (attendance all the same); one CoP named once
    assert (unknown.status, unknown.rows_loaded) == ("imported", 2)
    assert "1 CoP(s) found in no register (activity, asset or maturity file), their attendance loaded all the same: " \
           "'COP BELUM TERDAFTAR XYZ'" in unknown.notes
    assert known.rows_loaded == 1 and not [n for n in known.notes if "no register" in n]
    with connect(db, read_only=True) as con:    # kept in the import log too
        assert "'COP BELUM TERDAFTAR XYZ'" in con.execute("SELECT notes FROM import_log WHERE import_id = 2").fetchone()[0]


def test_before_any_register_is_imported_no_cop_is_called_unknown(tmp_path):
    result, stored = _imported(tmp_path, _sign_in_sheet("COP BELUM TERDAFTAR XYZ", ["198503302010012001"]),
                               "SELECT cop_key FROM attendance")
    assert stored == [("cop belum terdaftar xyz",)]
    assert not [n for n in result.notes if "no register" in n]


def test_an_agency_with_a_headcount_of_0_is_listed_as_a_data_quality_problem(tmp_path):
    # the hand-made store's 30 June 2026 recap: Kesehatan 4, Pendidikan 2, Bapenda 5, Perhubungan 0;
    # a correction to 0 for Pendidikan adds it, and replaces its old row (2), which is not listed
    import datetime as dt
    import importlib.util
    from pathlib import Path

    from metrics.imports import zero_headcounts
    from metrics.targets import set_headcount
    spec = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
    world = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(world)
    db = world.build(tmp_path / "core.duckdb", aggregate=False)
    with connect(db, read_only=True) as con:
        assert [(d.date(), s) for d, s in zero_headcounts(con).itertuples(index=False)] == [
            (dt.date(2026, 6, 30), "Dinas Perhubungan")]
    with connect(db) as con:
        set_headcount(con, skpd="Dinas Pendidikan", as_of=dt.date(2026, 6, 30), headcount=0, by="uji")
        got = zero_headcounts(con)
    assert list(got.columns) == ["as_of", "skpd"]
    assert list(got["skpd"]) == ["Dinas Pendidikan", "Dinas Perhubungan"]
