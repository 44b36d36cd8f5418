"""Shared fixtures: the field samples (from ../shared, beside the checkout) imported
once per session into a temporary database."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from data.ingest import ingest_paths

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIELD_SAMPLES = SHARED / "field-samples"
EXPECTED = SHARED / "field-samples.expected.json"


@pytest.fixture(scope="session")
def field_samples() -> Path:
    """The folder of field-shaped exports; skipped with a reason where ../shared is absent."""
    if not FIELD_SAMPLES.is_dir():
        pytest.skip(f"field samples not found at {FIELD_SAMPLES} (../shared is not beside this checkout)")
    return FIELD_SAMPLES


@pytest.fixture(scope="session")
def expected(field_samples) -> dict:
    """The right KPI values for the field samples, as shipped in ../shared."""
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def field_db(field_samples, tmp_path_factory) -> Path:
    """A database holding every field sample, imported once for the session."""
    path = tmp_path_factory.mktemp("field") / "field.duckdb"
    results = ingest_paths([field_samples], db=path)
    assert all(r.status == "imported" for r in results), [(r.file, r.reason) for r in results if r.status != "imported"]
    return path


def logged_in(app, role: str = "pusdatin", skpd: str | None = None):
    """An AppTest with a logged-in session of ``role`` (the login form itself is tested in
    tests/test_access.py); returns the same AppTest for chaining."""
    from dashboard.access import SESSION_KEY
    from dashboard.users import User
    app.session_state[SESSION_KEY] = User(f"test_{role}", role, skpd, "", "")
    return app


@pytest.fixture
def field_db_copy(field_db, tmp_path, monkeypatch) -> Path:
    """A private copy of ``field_db`` that ``$KMDASH_DB`` points at, with an empty users file
    (``$KMDASH_USERS``) beside it: for tests that write (logins, imports, audit rows)."""
    import shutil
    path = tmp_path / "copy.duckdb"
    shutil.copy(field_db, path)
    monkeypatch.setenv("KMDASH_DB", str(path))
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    return path
