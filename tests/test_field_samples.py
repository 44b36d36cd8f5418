"""The field samples, imported as the field sends them, give exactly the values in
../shared/field-samples.expected.json (worked out independently of this code)."""
from __future__ import annotations

import json

import pytest

from data.ingest import ingest_paths, main as ingest_main
from data.store.connection import connect
from metrics.kpi import Scope
from metrics.report import build_report, main as report_main

OVERALL_KEYS = ("headcount", "asset_users", "utilisation_rate", "participants", "participation_rate",
                "assets_published", "use_events")


@pytest.fixture(scope="module")
def report(field_db) -> dict:
    with connect(field_db, read_only=True) as con:
        return build_report(con, 2026, Scope.province())


def _close(got, want):
    return got == pytest.approx(want, abs=5e-7) if isinstance(want, float) else got == want


def test_overall_matches_expected(report, expected):
    for key in OVERALL_KEYS:
        assert _close(report["overall"][key], expected["overall"][key]), key


def test_every_agency_matches_expected(report, expected):
    got = {row["skpd"]: row for row in report["skpd"]}
    assert set(got) == {row["skpd"] for row in expected["skpd"]}
    for row in expected["skpd"]:
        for key, value in row.items():
            assert _close(got[row["skpd"]][key], value), (row["skpd"], key)


def test_every_cop_maturity_matches_expected(report, expected):
    got = {(row["cop"], row["skpd"]): row for row in report["cops"]}
    assert len(got) == len(expected["cops"])
    for row in expected["cops"]:
        mine = got[(row["cop"], row["skpd"])]
        assert _close(mine["maturity_score"], row["maturity_score"]), row["cop"]
        assert mine["maturity_level"] == row["maturity_level"], row["cop"]


def test_activities_match_expected(report, expected):
    assert report["activities"]["activities"] == expected["activities"]["activities"]
    assert report["activities"]["activities_accompanied"] == expected["activities"]["activities_accompanied"]
    assert _close(report["activities"]["accompanied_rate"], expected["activities"]["accompanied_rate"])
    assert report["activities"]["by_quarter"] == expected["activities"]["by_quarter"]


def test_monthly_cumulative_users_match_expected(report, expected):
    assert [m["month"] for m in report["monthly"]] == [m["month"] for m in expected["monthly"]]
    for mine, want in zip(report["monthly"], expected["monthly"]):
        assert mine["cumulative_asset_users"] == want["cumulative_asset_users"], want["month"]
        assert _close(mine["cumulative_utilisation_rate"], want["cumulative_utilisation_rate"]), want["month"]


def test_left_out_events_by_cause_match_expected(report, expected):
    assert report["noise_events"] == expected["noise_events"]


def test_report_command_prints_the_expected_json(field_db, expected, capsys):
    assert report_main(["--year", "2026", "--db", str(field_db)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["overall"]["asset_users"] == expected["overall"]["asset_users"]
    assert printed["target"] == expected["target"]


def test_each_file_kind_is_recognised_by_content(field_db):
    with connect(field_db, read_only=True) as con:
        kinds = dict(con.execute("SELECT file_name, kind FROM import_log").fetchall())
    assert kinds["daftar_hadir_2026-03-30.xlsx"] == "attendance"
    assert kinds["rekap_kehadiran_cop.csv"] == "attendance"
    assert kinds["rekap_jumlah_pegawai_2026.xlsx"] == "headcount"
    assert kinds["penilaian_maturitas_2025.xlsx"] == "maturity"
    assert kinds["aset_pengetahuan_portal_km.xlsx"] == "aset"
    assert kinds["rekap_kegiatan_cop.xlsx"] == "activity"
    assert kinds["daftar_pegawai.csv"] == "roster"
    assert {k for f, k in kinds.items() if f.startswith("log_akses")} == {"access_log"}


def test_sign_in_sheet_takes_cop_and_date_from_its_title_block(field_db):
    with connect(field_db, read_only=True) as con:
        rows = con.execute("SELECT DISTINCT a.cop_key, a.activity_date, a.activity_title FROM attendance a "
                           "JOIN import_log l USING (import_id) WHERE l.file_name = 'daftar_hadir_2026-03-30.xlsx'").fetchall()
    assert [(r[0], r[1].isoformat(), r[2]) for r in rows] == [
        ("cop inovasi digital dispora", "2026-03-30", "Berbagi Pengetahuan Kelas 147")]


def test_every_file_accounts_for_each_row(field_db):
    with connect(field_db, read_only=True) as con:
        bad = con.execute("SELECT file_name FROM import_log "
                          "WHERE rows_read <> rows_loaded + rows_duplicate + rows_rejected").fetchall()
    assert bad == []


def test_importing_the_samples_again_changes_nothing(field_samples, tmp_path):
    db = tmp_path / "twice.duckdb"
    ingest_paths([field_samples], db=db)
    with connect(db, read_only=True) as con:
        before = build_report(con, 2026)
    again = ingest_paths([field_samples], db=db)
    assert {r.status for r in again} == {"already_imported"}
    with connect(db, read_only=True) as con:
        assert build_report(con, 2026) == before
        assert con.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == len(again)


def test_ingest_command_exits_zero_and_reports_json(field_samples, tmp_path, capsys):
    code = ingest_main([str(field_samples / "rekap_kehadiran_cop.csv"), "--db", str(tmp_path / "x.duckdb"), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    # 6475 data rows; 52 exact double submissions plus 136 repeat submissions of the same
    # NIP for the same activity (counted once by the attendance key).
    assert (result[0]["kind"], result[0]["rows_read"]) == ("attendance", 6475)
    assert result[0]["rows_read"] == result[0]["rows_loaded"] + result[0]["rows_duplicate"] + result[0]["rows_rejected"]


def test_header_only_roster_is_refused_and_keeps_the_roster(field_samples, tmp_path):
    # found by a fresh-eyes user: a header-only roster replaced all 6953 employees with nothing
    db = tmp_path / "r.duckdb"
    ingest_paths([field_samples / "daftar_pegawai.csv"], db=db)
    empty = tmp_path / "daftar_pegawai_kosong.csv"
    empty.write_text("NIP;Nama Pegawai;Perangkat Daerah;Status Kepegawaian\n", encoding="utf-8")
    assert ingest_main([str(empty), "--db", str(db)]) == 3
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM employee_current").fetchall()[0][0] == 6953
        assert con.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == 1


def test_recap_without_any_date_is_refused_whole(tmp_path, capsys):
    # found by a fresh-eyes user: every row was rejected for the same file-level reason
    recap = tmp_path / "rekap.csv"
    recap.write_text("Perangkat Daerah,Jumlah Pegawai\nDinas Kesehatan,291\nInspektorat,342\n", encoding="utf-8")
    assert ingest_main([str(recap), "--db", str(tmp_path / "x.duckdb")]) == 3
    out = capsys.readouterr().out
    assert "REFUSED" in out and "missing_date" in out


def test_report_on_a_file_that_is_not_a_database_exits_2_without_traceback(tmp_path, capsys):
    fake = tmp_path / "not.duckdb"
    fake.write_text("hello", encoding="utf-8")
    assert report_main(["--year", "2026", "--db", str(fake)]) == 2
    assert "is not a DuckDB database" in capsys.readouterr().err


def test_ingest_into_a_file_that_is_not_a_database_exits_2_without_traceback(field_samples, tmp_path, capsys):
    fake = tmp_path / "bukan.duckdb"
    fake.write_text("hello", encoding="utf-8")
    assert ingest_main([str(field_samples / "daftar_pegawai.csv"), "--db", str(fake)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cannot use the database:") and "Traceback" not in err
    assert fake.read_text(encoding="utf-8") == "hello"
