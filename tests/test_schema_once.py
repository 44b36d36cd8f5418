"""The schema is created and upgraded once, never on every open: opening a current store for
a read or a small write runs no DDL, so many sessions opening it at once never conflict on
the catalog (issue 13: "Catalog write-write conflict on alter ... headcount_current")."""
from __future__ import annotations

import threading

import pytest

from data.store import connection


@pytest.fixture
def current_db(tmp_path):
    db = tmp_path / "km.duckdb"
    with connection.connect(db):                 # first start: created here
        pass
    return db


def _count_ensure_schema(monkeypatch) -> list:
    calls = []
    real = connection.ensure_schema
    monkeypatch.setattr(connection, "ensure_schema", lambda con, *a, **k: (calls.append(1), real(con, *a, **k)))
    return calls


def test_opening_a_current_store_runs_no_schema_sql(current_db, monkeypatch):
    calls = _count_ensure_schema(monkeypatch)
    for read_only in (True, False, True, False):
        with connection.connect(current_db, read_only=read_only) as con:
            assert connection.is_current(con)
    assert calls == []


def test_a_store_with_changed_schema_files_is_upgraded_by_the_first_open_only(current_db, monkeypatch):
    with connection.connect(current_db) as con:
        connection.set_meta(con, "schema_sha256", "from-an-older-release")
    calls = _count_ensure_schema(monkeypatch)
    for read_only in (False, True, False):
        with connection.connect(current_db, read_only=read_only) as con:
            assert connection.get_meta(con, "schema_sha256") == connection.schema_digest()
    assert calls == [1]


def test_twenty_threads_opening_read_write_at_once_get_no_error(current_db):
    with connection.connect(current_db) as con:
        con.execute("CREATE TABLE note (n INTEGER)")
    errors, start = [], threading.Barrier(20)

    def session(n: int) -> None:
        start.wait()
        try:
            with connection.connect(current_db, lock_wait_s=60) as con:
                con.execute("INSERT INTO note VALUES (?)", [n])
        except Exception as exc:  # any error is a failure of schema-once
            errors.append(repr(exc))

    threads = [threading.Thread(target=session, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with connection.connect(current_db, read_only=True) as con:
        assert sorted(r[0] for r in con.execute("SELECT n FROM note").fetchall()) == list(range(20))


def test_twenty_threads_opening_an_outdated_store_at_once_upgrade_it_once(current_db, monkeypatch):
    with connection.connect(current_db) as con:
        connection.set_meta(con, "schema_sha256", "from-an-older-release")
    calls = _count_ensure_schema(monkeypatch)
    errors, start = [], threading.Barrier(20)

    def session(read_only: bool) -> None:
        start.wait()
        try:
            with connection.connect(current_db, read_only=read_only, lock_wait_s=60) as con:
                con.execute("SELECT count(*) FROM headcount_current").fetchall()
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=session, args=(n % 2 == 0,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and calls == [1]
