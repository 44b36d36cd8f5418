"""python -m data.admin: backup, restore, check, freshness, and the systemd unit's start command."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from data import admin
from data.ops import monitoring
from data.store import connection
from data.admin import main as admin_main
from data.errors import BackupError, SchemaTooNew
from data.store.migrations import CURRENT_VERSION
from metrics.report import build_report
from tests.conftest import REPO

UNIT = REPO / "deploy" / "kmdash.service"
INSTALL_DIR = "/opt/kmdash/current"


def _report_json(db: Path, year: int = 2026) -> str:
    with connection.connect(db, read_only=True) as con:
        return json.dumps(build_report(con, year), sort_keys=True)


def _v1(path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_v1", REPO / "tests/fixtures/schema_v1/make_v1.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(path)


@pytest.fixture
def small_db(tmp_path) -> Path:
    """The hand-made version-1 fixture, upgraded: 5 imports, every row accounted for."""
    db = _v1(tmp_path / "small.duckdb")
    with connection.connect(db):
        pass
    return db


def _admin(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "data.admin", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_check_finds_no_problem_in_a_freshly_imported_database(field_db):
    assert admin.check(db=field_db) == []


def test_check_names_the_import_whose_row_was_deleted_behind_its_back(small_db, capsys):
    with connection.connect(small_db) as con:
        con.execute("DELETE FROM access_event WHERE action = 'like'")
    assert admin_main(["check", "--db", str(small_db)]) == 1
    assert capsys.readouterr().out == ("PROBLEM: import #4 (log_akses_2026.csv, access_log): rows_loaded says 4 "
                                       "but access_event holds 3 rows of it\n")


def test_check_finds_a_row_deleted_from_the_field_database(field_db, tmp_path):
    broken = admin.backup(tmp_path / "broken", db=field_db) / "kmdash.duckdb"
    with connection.connect(broken) as con:
        import_id, file_name = con.execute("SELECT import_id, file_name FROM import_log WHERE kind = 'roster'").fetchall()[0]
        con.execute("DELETE FROM employee WHERE rowid = (SELECT min(rowid) FROM employee)")
    problems = admin.check(db=broken)
    assert len(problems) == 1 and problems[0].startswith(f"import #{import_id} ({file_name}, roster): rows_loaded")


def test_check_finds_rows_of_an_import_the_log_does_not_hold(small_db):
    with connection.connect(small_db) as con:
        con.execute("INSERT INTO employee (nip, name, skpd, employment_status, import_id, source_row, replaced_by) "
                    "VALUES ('198001012006041001', 'Dedi', 'Inspektorat', 'PNS', 99, 2, NULL)")
    assert admin.check(db=small_db) == [
        "employee.import_id points at imports the import log does not hold: #99"]


def test_check_finds_a_nip_held_twice_in_the_current_roster(small_db):
    with connection.connect(small_db) as con:
        con.execute("UPDATE employee SET replaced_by = NULL WHERE import_id = 1")
        con.execute("UPDATE import_log SET rows_replaced = 0 WHERE import_id = 5")
    assert admin.check(db=small_db) == ["employee: 3 key(s) (nip) held by more than one current row"]


def test_check_reports_an_old_schema_without_upgrading_it(tmp_path):
    old = _v1(tmp_path / "old.duckdb")
    assert admin.check(db=old) == [f"schema version 1 is older than this release's {CURRENT_VERSION}: "
                                   "the next command or page view upgrades it (after a backup)"]
    assert not (tmp_path / "backups").exists()


def test_freshness_marks_sources_older_than_the_limit_as_stale(small_db):
    # imports: headcount 07-02, aset 07-03, access_log 07-04, roster 07-05, all 09:00 WIB;
    # newest data: access events 2026-04-01 (124 days before 08-03), headcount as of 2026-06-30 (34 days)
    ages = admin.freshness(30, max_data_age_days=62, db=small_db, now=dt.datetime(2026, 8, 3, 9, 0))
    assert [(a.kind, a.age_days, a.data_age_days, a.stale) for a in ages] == [
        ("access_log", 30, 124, True), ("aset", 31, None, True), ("headcount", 32, 34, False), ("roster", 29, None, False)]


def test_freshness_judges_the_yearly_headcount_recap_by_a_year(small_db):
    # the recap as of 2026-06-30, imported 2026-07-02: a year's recap (the field samples' one serves
    # all of 2026), so on 2027-06-30 it is 365 days old and fine, on 2027-07-02 367 days and stale
    fine = {a.kind: a for a in admin.freshness(35, max_data_age_days=62, db=small_db, now=dt.datetime(2027, 6, 30, 9, 0))}
    assert (fine["headcount"].data_age_days, fine["headcount"].data_limit_days, fine["headcount"].stale) == (365, 366, False)
    late = {a.kind: a for a in admin.freshness(35, max_data_age_days=62, db=small_db, now=dt.datetime(2027, 7, 2, 9, 0))}
    assert (late["headcount"].data_age_days, late["headcount"].age_days, late["headcount"].stale) == (367, 365, True)


def test_freshness_judges_the_period_the_data_covers_not_only_the_import_time(small_db):
    # re-importing an old log on 2026-07-04 does not make April's events fresh
    ages = {a.kind: a for a in admin.freshness(35, max_data_age_days=62, db=small_db, now=dt.datetime(2026, 7, 5, 9, 0))}
    assert (ages["access_log"].age_days, ages["access_log"].data_age_days, ages["access_log"].stale) == (1, 95, True)
    assert (ages["headcount"].data_age_days, ages["headcount"].stale) == (5, False)


def test_freshness_command_exits_non_zero_and_names_the_stale_sources(small_db, capsys):
    assert admin_main(["freshness", "--max-age-days", "35", "--db", str(small_db)]) == 1
    out = capsys.readouterr().out
    assert "STALE roster: newest import 2026-07-05 09:00 WIB" in out and out.count("STALE") == 3
    assert "ok headcount: newest import 2026-07-02 09:00 WIB" in out


def test_freshness_command_exits_zero_when_every_source_is_recent_enough(small_db):
    assert admin_main(["freshness", "--max-age-days", "100000", "--max-data-age-days", "100000",
                       "--db", str(small_db)]) == 0


def test_freshness_for_nagios_warns_past_the_limit_with_ages_as_performance_data(small_db, capsys):
    ages = admin.freshness(30, max_data_age_days=62, db=small_db, now=dt.datetime(2026, 8, 3, 9, 0))
    # access_log's data is 124 days old: past the 62-day limit, not past twice it (124), so WARNING
    assert monitoring.emit_freshness(ages, "nagios") == 1
    first = capsys.readouterr().out.splitlines()[0]
    status, perf = first.split(" | ")
    assert status == "KMDASH FRESHNESS WARNING - stale: access_log, aset"
    assert perf.split() == ["access_log_import_age_days=30;30;60;0", "access_log_data_age_days=124;62;124;0",
                            "aset_import_age_days=31;30;60;0", "headcount_import_age_days=32;366;732;0",
                            "headcount_data_age_days=34;366;732;0", "roster_import_age_days=29;30;60;0"]


def test_freshness_as_json_gives_each_source_and_the_nagios_exit_code(small_db, capsys):
    ages = admin.freshness(35, max_data_age_days=200, db=small_db, now=dt.datetime(2026, 8, 3, 9, 0))
    assert monitoring.emit_freshness(ages, "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["status"], report["exit_code"]) == ("ok", 0)
    assert [(s["kind"], s["import_age_days"], s["newest_data"]) for s in report["sources"]] == [
        ("access_log", 30, "2026-04-01"), ("aset", 31, None), ("headcount", 32, "2026-06-30"), ("roster", 29, None)]


def test_check_for_nagios_is_ok_with_perfdata_on_a_sound_database(small_db, capsys):
    assert admin_main(["check", "--db", str(small_db), "--format", "nagios"]) == 0
    assert capsys.readouterr().out == "KMDASH INTEGRITY OK - no problems found | problems=0;;0;0\n"


def test_check_for_nagios_is_critical_naming_the_problem(small_db, capsys):
    with connection.connect(small_db) as con:
        con.execute("DELETE FROM access_event WHERE action = 'like'")
    assert admin_main(["check", "--db", str(small_db), "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "critical" and report["problems"] == [
        "import #4 (log_akses_2026.csv, access_log): rows_loaded says 4 but access_event holds 3 rows of it"]


def test_monitoring_command_that_cannot_run_is_unknown_not_a_crash(tmp_path, capsys):
    assert admin_main(["check", "--db", str(tmp_path / "none.duckdb"), "--format", "nagios"]) == 3
    assert capsys.readouterr().out == f"KMDASH UNKNOWN - no database at {tmp_path / 'none.duckdb'}\n"


def test_serve_that_cannot_write_its_state_exits_2_with_one_line(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where the state directory should be")
    done = _admin("serve", env={"KMDASH_STATE_DIR": str(tmp_path / "not-a-folder" / "state"), "KMDASH_DB": "",
                                "KMDASH_LOG_FILE": str(tmp_path / "kmdash.log"), "KMDASH_CONFIG": ""})
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "not-a-folder" in done.stderr
    unit = UNIT.read_text()
    assert any(ln.startswith("RestartPreventExitStatus=") and "2" in ln.split("=", 1)[1].split() for ln in unit.splitlines())


def test_a_failing_upgrade_tried_again_makes_one_backup_per_schema_version(tmp_path, monkeypatch):
    old = _v1(tmp_path / "old.duckdb")
    monkeypatch.setenv("KMDASH_NIP_KEY_FILE", str(tmp_path / "file-not-folder" / "nip.key"))
    (tmp_path / "file-not-folder").write_text("")  # migration 3 cannot create the key: the upgrade fails
    for _ in range(3):
        with pytest.raises(OSError):
            with connection.connect(old):
                pass
    assert [p.name.split("-")[1] for p in (tmp_path / "backups").glob("*.duckdb")] == ["v1"]


def test_missing_database_is_reported_not_created(tmp_path, capsys):
    assert admin_main(["check", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unit_command() -> list[str]:
    """The unit's ExecStart with the install folder replaced by this checkout."""
    line = next(ln for ln in UNIT.read_text().splitlines() if ln.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart=").replace(INSTALL_DIR, str(REPO)))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The dashboard started with the unit's own command on an old (version 1) database."""
    tmp = tmp_path_factory.mktemp("served")
    db = _v1(tmp / "served.duckdb")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "KMDASH_CONFIG"}
    env.update(KMDASH_DB=str(db), KMDASH_PORT=str(port), KMDASH_LOG_FILE=str(tmp / "kmdash.log"))
    workdir = next(ln for ln in UNIT.read_text().splitlines() if ln.startswith("WorkingDirectory="))
    cwd = workdir.removeprefix("WorkingDirectory=").replace(INSTALL_DIR, str(REPO))
    proc = subprocess.Popen(_unit_command(), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                assert proc.poll() is None, f"the unit's command exited with {proc.returncode}"
                assert time.monotonic() < deadline, "no answer on /_stcore/health within 60 s"
                time.sleep(0.3)
        yield db, tmp
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_unit_command_serves_the_dashboard_on_its_health_endpoint(served):
    db, tmp = served
    assert "migration from_version=1 to_version=2" in (tmp / "kmdash.log").read_text()


def test_backup_while_the_dashboard_is_serving_and_rendering_gives_the_same_report(served):
    db, tmp = served
    with connection.connect(db, read_only=True) as render:  # a page render holds the file open meanwhile
        done = _admin("backup", str(tmp / "while-serving"), "--db", str(db))
        assert render.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == 5
    assert done.returncode == 0, done.stderr
    assert _report_json(tmp / "while-serving" / "kmdash.duckdb") == _report_json(db)


def test_unit_runs_from_the_install_folder_as_its_own_user():
    text = UNIT.read_text()
    assert f"WorkingDirectory={INSTALL_DIR}" in text and "User=kmdash" in text
    assert _unit_command()[0] == str(REPO / ".venv" / "bin" / "python")
    assert shutil.which(_unit_command()[0]) or Path(_unit_command()[0]).exists()
