"""The login cookie's token rules (dashboard/session.py): signed, one-time handoff,
expiry after the session_hours setting, revocation at logout, key file mode 600."""
from __future__ import annotations

import stat
import time

import pytest
from itsdangerous import timed

from dashboard import session


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "state" / "session.key"
    monkeypatch.setenv("KMDASH_SESSION_KEY_FILE", str(path))
    monkeypatch.setenv("KMDASH_SESSION_HOURS", "9")
    return path


def _cookie(sid: str = "a" * 32) -> str:
    return session.exchange_handoff(session.issue_handoff("sari", "2026-01-05T08:00:00+00:00", sid))


def test_a_handoff_gives_a_cookie_naming_the_user_and_the_login(key_file):
    claim = session.read_cookie(_cookie("b" * 32))
    assert claim == {"u": "sari", "c": "2026-01-05T08:00:00+00:00", "s": "b" * 32}


def test_the_key_file_is_created_readable_by_its_owner_only(key_file):
    _cookie()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_handoff_works_once():
    token = session.issue_handoff("sari", "x", "c" * 32)
    assert session.exchange_handoff(token) is not None
    assert session.exchange_handoff(token) is None


def test_a_handoff_older_than_a_minute_is_refused(monkeypatch):
    token = session.issue_handoff("sari", "x", "d" * 32)
    later = time.time() + 61
    monkeypatch.setattr(timed.time, "time", lambda: later)
    assert session.exchange_handoff(token) is None


def test_a_cookie_lasts_nine_hours_by_default_and_not_a_second_more(monkeypatch):
    value, start = _cookie(), time.time()
    monkeypatch.setattr(timed.time, "time", lambda: start + 9 * 3600 - 5)
    assert session.read_cookie(value) is not None
    monkeypatch.setattr(timed.time, "time", lambda: start + 9 * 3600 + 2)
    assert session.read_cookie(value) is None


def test_the_lifetime_follows_the_setting(monkeypatch):
    monkeypatch.setenv("KMDASH_SESSION_HOURS", "1")
    value, start = _cookie(), time.time()
    monkeypatch.setattr(timed.time, "time", lambda: start + 3600 + 2)
    assert session.read_cookie(value) is None
    assert session.session_seconds() == 3600


@pytest.mark.parametrize("tamper", [lambda v: v[:-2] + ("AA" if not v.endswith("AA") else "BB"),
                                    lambda v: "x" + v, lambda v: "", lambda v: None])
def test_a_forged_or_missing_cookie_is_refused(tamper):
    assert session.read_cookie(tamper(_cookie())) is None


def test_a_cookie_signed_with_another_key_is_refused(tmp_path, monkeypatch):
    value = _cookie()
    monkeypatch.setenv("KMDASH_SESSION_KEY_FILE", str(tmp_path / "other.key"))
    assert session.read_cookie(value) is None


def test_logout_revokes_that_login_and_no_other(key_file):
    mine, theirs = _cookie("e" * 32), _cookie("f" * 32)
    session.revoke("e" * 32)
    assert session.read_cookie(mine) is None
    assert session.read_cookie(theirs) is not None
    assert stat.S_IMODE(key_file.with_name("session.key.revoked.json").stat().st_mode) == 0o600


def test_a_revoked_login_cannot_be_reissued_from_its_handoff():
    token = session.issue_handoff("sari", "x", "9" * 32)
    session.revoke("9" * 32)
    assert session.exchange_handoff(token) is None


def test_removing_the_account_ends_its_login_at_the_next_click(field_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.access import SESSION_KEY
    from dashboard.users import add_user, remove_user
    from tests.conftest import REPO
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)
    at.session_state[SESSION_KEY] = add_user("ani", "pimpinan", "rahasia-panjang")
    at.run()
    assert at.metric and not at.text_input
    remove_user("ani")
    at.run()
    assert not at.metric and [w.label for w in at.text_input] == ["Nama pengguna", "Kata sandi"]


def test_a_logins_language_is_kept_per_login_bounded_and_forgotten_at_logout(monkeypatch):
    monkeypatch.setattr(session, "LANGUAGES_KEPT", 2)
    _cookie("l3" * 16)                                     # the login (and the key file beside the revocations)
    for sid, language in (("l1" * 16, "en"), ("l2" * 16, "id"), ("l3" * 16, "en")):
        session.remember_language(sid, language)
    # three logins, room for two: the oldest (l1) is forgotten, the others keep their own choice
    assert [session.remembered_language(s * 16) for s in ("l1", "l2", "l3")] == [None, "id", "en"]
    session.revoke("l3" * 16)
    assert session.remembered_language("l3" * 16) is None and session.remembered_language(None) is None
