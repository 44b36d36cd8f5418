"""Versioned schema: every older schema fixture (tests/fixtures/schema_v*/make_v*.py) is
upgraded to the current version with its data intact, after a backup, in one transaction;
a newer database is refused."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import pytest

from data.store import connection, migrations
from data.admin import integrity_problems
from data.store.pseudonym import pseudonym
from data.errors import SchemaTooNew
from data.store.migrations import CURRENT_VERSION, MIGRATIONS, Migration
from metrics.report import build_report
from tests.conftest import REPO

SYNCED = {"meta", "skpd", "skpd_alias"}  # gain rows on every open: settings, and the agency reference file
FIXTURES = sorted((REPO / "tests" / "fixtures").glob("schema_v*/make_v*.py"))


def _maker(script: Path):
    spec = importlib.util.spec_from_file_location(script.stem, script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _version_of(script: Path) -> int:
    return int(script.stem.removeprefix("make_v"))


def _rows(path: Path) -> dict[str, list]:
    """Every row of every base table, sorted, for comparing a database before and after."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {n: sorted(con.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    finally:
        con.close()


def _pseudonymised(tables: dict[str, list]) -> dict[str, list]:
    """Rows as migration 3 leaves them: the NIP columns of data.store.pseudonym.PSEUDONYM_COLUMNS
    hold keyed hashes (employee keeps the NIP itself in nip_plain, a new last column)."""
    positions = {"employee": 0, "access_event": 1, "attendance": 0, "aset": 5}
    out = {}
    for table, rows in tables.items():
        col = positions.get(table)
        out[table] = rows if col is None else [
            tuple(pseudonym(v) if i == col and isinstance(v, str) and len(v) == 18 else v for i, v in enumerate(r))
            for r in rows]
    return out


@pytest.fixture
def v1_db(tmp_path) -> Path:
    """A database as schema version 1 left it (tests/fixtures/schema_v1/make_v1.py)."""
    return _maker(REPO / "tests/fixtures/schema_v1/make_v1.py").build(tmp_path / "v1.duckdb")


def test_there_is_a_fixture_for_every_older_schema_version():
    assert sorted(_version_of(s) for s in FIXTURES) == list(range(migrations.BASE_VERSION, CURRENT_VERSION))


def test_migrations_are_numbered_one_after_another():
    assert [m.version for m in MIGRATIONS] == list(range(migrations.BASE_VERSION + 1, CURRENT_VERSION + 1))


@pytest.mark.parametrize("script", FIXTURES, ids=lambda s: s.parent.name)
def test_older_fixture_upgrades_to_current_version_with_every_row_kept(script, tmp_path):
    db = _maker(script).build(tmp_path / "old.duckdb")
    before = _rows(db)
    with connection.connect(db) as con:
        assert migrations.schema_version(con) == CURRENT_VERSION
        assert integrity_problems(con) == []
    after = _rows(db)
    before = _pseudonymised(before)
    for table, rows in before.items():
        if table == "meta":  # schema_version moves on; checked above
            continue
        width = len(rows[0]) if rows else 0
        kept = [r[:width] for r in after[table]]
        assert all(r in kept for r in rows), table
        if table not in SYNCED:
            assert len(kept) == len(rows), table


def test_v1_to_v2_adds_undone_at_and_undone_by_empty_for_every_import(v1_db):
    with connection.connect(v1_db) as con:
        columns = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                                   "WHERE table_name = 'import_log'").fetchall())
        undone = con.execute("SELECT count(*), count(undone_at), count(undone_by) FROM import_log").fetchall()[0]
    assert (columns["undone_at"], columns["undone_by"]) == ("TIMESTAMP", "VARCHAR")
    assert undone == (5, 0, 0)


def test_upgraded_v1_fixture_gives_the_hand_worked_kpis(v1_db):
    with connection.connect(v1_db, read_only=True) as con:
        report = build_report(con, 2026)
    # Inspektorat: A and B used assets, headcount 4; Bappeda: C only liked, headcount 2.
    assert report["overall"]["asset_users"] == 2 and report["overall"]["headcount"] == 6
    assert report["overall"]["utilisation_rate"] == 0.333333
    assert {r["skpd"]: r["utilisation_rate"] for r in report["skpd"]} == {
        "Inspektorat": 0.5, "Badan Perencanaan Pembangunan Daerah": 0.0}
    assert report["overall"]["use_events"] == 3


def test_upgrade_writes_a_backup_of_the_old_database_first(v1_db):
    before = _rows(v1_db)
    with connection.connect(v1_db):
        pass
    backups = list((v1_db.parent / "backups").glob("v1-v1-*.duckdb"))
    assert len(backups) == 1
    assert _rows(backups[0]) == before


def test_current_database_is_not_backed_up_again_on_the_next_open(v1_db):
    for _ in range(2):
        with connection.connect(v1_db):
            pass
    assert len(list((v1_db.parent / "backups").glob("*.duckdb"))) == 1


def test_read_only_open_as_the_dashboard_does_upgrades_an_older_database(v1_db):
    with connection.connect(v1_db, read_only=True) as con:
        assert connection.get_meta(con, "schema_version") == str(CURRENT_VERSION)


def test_fresh_database_is_created_at_the_current_version(tmp_path):
    with connection.connect(tmp_path / "new.duckdb") as con:
        assert migrations.schema_version(con) == CURRENT_VERSION
    assert not (tmp_path / "backups").exists()


def test_failing_migration_leaves_version_and_schema_as_they_were(v1_db):
    def add_then_fail(con):
        con.execute("ALTER TABLE import_log ADD COLUMN undone_at TIMESTAMP")
        raise RuntimeError("disk full")

    con = duckdb.connect(str(v1_db))
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            migrations.apply_migrations(con, 1, migrations=[Migration(2, "breaks half-way", add_then_fail)])
        columns = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'import_log'").fetchall()]
        assert migrations.schema_version(con) == 1
        assert "undone_at" not in columns
    finally:
        con.close()


@pytest.mark.parametrize("read_only", [True, False], ids=["read_only", "read_write"])
def test_database_newer_than_the_code_is_refused_and_left_alone(tmp_path, read_only):
    db = tmp_path / "future.duckdb"
    with connection.connect(db) as con:
        connection.set_meta(con, "schema_version", str(CURRENT_VERSION + 1))
    before = _rows(db)
    with pytest.raises(SchemaTooNew, match=f"schema version {CURRENT_VERSION + 1}.*up to {CURRENT_VERSION}"):
        with connection.connect(db, read_only=read_only):
            pass
    assert _rows(db) == before


def test_changed_schema_files_are_applied_by_a_read_only_open(tmp_path):
    db = tmp_path / "km.duckdb"
    with connection.connect(db) as con:
        connection.set_meta(con, "schema_sha256", "from-an-older-release")
    with connection.connect(db, read_only=True) as con:
        assert connection.get_meta(con, "schema_sha256") == connection.schema_digest()


def test_v2_to_v3_keeps_nips_only_in_the_roster(tmp_path):
    db = _maker(REPO / "tests/fixtures/schema_v2/make_v2.py").build(tmp_path / "v2.duckdb")
    with connection.connect(db) as con:
        roster = con.execute("SELECT nip, nip_plain, name FROM employee_current ORDER BY name").fetchall()
        events = {r[0] for r in con.execute("SELECT nip FROM access_event").fetchall()}
        uploaders = {r[0] for r in con.execute("SELECT uploader_nip FROM aset").fetchall()}
    nip_a = "198503302010012001"
    assert roster[0] == (pseudonym(nip_a), nip_a, "Ani")
    assert all(len(v) == 32 and not v.isdigit() for v in events | uploaders)   # no NIP outside the roster
    assert pseudonym(nip_a) in events


def test_upgraded_v2_fixture_gives_the_same_hand_worked_kpis(tmp_path):
    db = _maker(REPO / "tests/fixtures/schema_v2/make_v2.py").build(tmp_path / "v2.duckdb")
    from metrics.kpi import Scope, overall_kpis
    with connection.connect(db, read_only=True) as con:
        overall = overall_kpis(con, 2026, Scope.province())
    # A and B used assets in 2026 (C only liked one): 2 users of 4 + 2 employees
    assert (overall["asset_users"], overall["headcount"]) == (2, 6)
