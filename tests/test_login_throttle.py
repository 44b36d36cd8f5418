"""Login throttling and equal work for unknown names (issue #15): after 5 failed logins in
15 minutes for one account name or from one address, logins for it are refused for 15
minutes, with one message whichever tripped it, and audited; an unknown name costs the
same argon2 verification as a known one."""
from __future__ import annotations

import multiprocessing
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import users
from dashboard.throttle import Throttle, client_address, login_throttle, throttle_keys
from data.ops.audit import audit_entries
from data.store.connection import connect
from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")
THROTTLED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."
WRONG = "Nama pengguna atau kata sandi salah."
T0 = 1_800_000_000.0          # a fixed Unix time for the hand-worked sequences


def test_the_fifth_failure_in_the_window_locks_for_the_lockout(tmp_path):
    throttle = Throttle(tmp_path / "t.json", max_failures=5, window_s=900, lockout_s=900)
    keys = ["account:ani"]
    for i in range(4):
        assert throttle.failed(keys, now=T0 + i) == []
    assert throttle.locked(keys, now=T0 + 4) == []
    assert throttle.failed(keys, now=T0 + 4) == ["account:ani"]          # the 5th, at T0 + 4
    assert throttle.locked(keys, now=T0 + 4 + 899) == ["account:ani"]
    assert throttle.locked(keys, now=T0 + 4 + 900) == []                  # 15 minutes later: open again


def test_failures_older_than_the_window_do_not_count(tmp_path):
    inside = Throttle(tmp_path / "a.json", max_failures=5, window_s=900, lockout_s=900)
    outside = Throttle(tmp_path / "b.json", max_failures=5, window_s=900, lockout_s=900)
    for throttle in (inside, outside):
        for _ in range(4):
            throttle.failed(["account:ani"], now=T0)                     # 4 at T0
    assert inside.failed(["account:ani"], now=T0 + 899) == ["account:ani"]   # 14 min 59 s later: the 5th
    assert outside.failed(["account:ani"], now=T0 + 900) == []           # 15 min later the 4 have left: the 1st


def test_a_success_clears_the_accounts_count(tmp_path):
    throttle = Throttle(tmp_path / "t.json")
    for i in range(4):
        throttle.failed(["account:ani"], now=T0 + i)
    throttle.succeeded(["account:ani"], now=T0 + 5)
    assert throttle.failed(["account:ani"], now=T0 + 6) == []             # counting starts again


def test_the_limits_come_from_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("KMDASH_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("KMDASH_LOGIN_LOCKOUT_S", "60")
    throttle = login_throttle()
    assert (throttle.path, throttle.max_failures, throttle.lockout_s) == (tmp_path / "login_throttle.json", 2, 60.0)
    assert throttle.failed(["account:x"], now=T0) == [] and throttle.failed(["account:x"], now=T0) == ["account:x"]


def _fail_many(path: str, key: str, times: int) -> None:
    throttle = Throttle(__import__("pathlib").Path(path), max_failures=10_000)
    for _ in range(times):
        throttle.failed([key], now=T0)


def test_processes_share_the_count_without_losing_one(tmp_path):
    path = tmp_path / "t.json"
    procs = [multiprocessing.get_context("fork").Process(target=_fail_many, args=(str(path), "address:10.0.0.9", 25))
             for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    import json
    assert len(json.loads(path.read_text())["address:10.0.0.9"]["failures"]) == 100     # 4 x 25


def test_the_state_file_is_owner_only_and_holds_no_password(tmp_path):
    throttle = Throttle(tmp_path / "t.json")
    throttle.failed(throttle_keys("Ani ", "10.0.0.9"), now=T0)
    assert (tmp_path / "t.json").stat().st_mode & 0o777 == 0o600
    assert set(__import__("json").loads((tmp_path / "t.json").read_text())) == {"account:ani", "address:10.0.0.9"}


def test_the_address_is_the_socket_unless_a_proxy_header_is_configured():
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.5", "X-Real-IP": "203.0.113.5"}
    assert client_address("127.0.0.1", headers, None) == "127.0.0.1"           # a client's own header is ignored
    assert client_address("127.0.0.1", headers, "X-Real-IP") == "203.0.113.5"
    assert client_address("127.0.0.1", headers, "x-forwarded-for") == "203.0.113.5"   # the value nginx appended
    assert client_address("127.0.0.1", {}, "X-Real-IP") == "127.0.0.1"


def test_an_unknown_name_costs_one_argon2_verification_like_a_known_one(tmp_path, monkeypatch):
    path = tmp_path / "users.json"
    users.add_user("ani", "pimpinan", "rahasia-panjang", path=path)
    calls = []
    real = users._hasher

    class Spy:
        def hash(self, password):
            return real.hash(password)

        def verify(self, stored, password):
            calls.append(stored)
            return real.verify(stored, password)
    monkeypatch.setattr(users, "_hasher", Spy())
    assert users.verify("ani", "salah-sekali", path=path) is None
    assert users.verify("tidak-ada", "salah-sekali", path=path) is None
    assert len(calls) == 2 and all(h.startswith("$argon2id$") for h in calls)
    assert calls[1] == users._dummy_hash() != calls[0]
    assert users.verify("ani", "rahasia-panjang", path=path).username == "ani"


# --- through the login page ---------------------------------------------------------------

@pytest.fixture
def db(field_db, tmp_path, monkeypatch):
    path = tmp_path / "throttle.duckdb"
    shutil.copy(field_db, path)
    monkeypatch.setenv("KMDASH_DB", str(path))
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    users.add_user("ani", "pimpinan", "rahasia-panjang")
    return path


def _from(monkeypatch, address: str) -> None:
    monkeypatch.setattr(type(st.context), "ip_address", property(lambda self: address))


def _log_in(name: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception
    return at


def _audit(db) -> list[tuple[str, str, str]]:
    with connect(db, read_only=True) as con:
        rows = audit_entries(con)
    rows = rows[rows["action"].isin(["login", "login_failed", "refused"])]
    return [tuple(r) for r in rows[["username", "action", "detail"]].values.tolist()][::-1]   # oldest first


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(db, monkeypatch):
    for i in range(5):
        _from(monkeypatch, f"10.0.0.{i + 1}")                           # five addresses: the account trips
        assert [e.value for e in _log_in("ani", "salah-sekali").error] == [WRONG]
    _from(monkeypatch, "10.0.0.99")
    at = _log_in("ani", "rahasia-panjang")
    assert [e.value for e in at.error] == [THROTTLED] and not at.metric
    audit = _audit(db)
    assert [a[1] for a in audit] == ["login_failed"] * 5 + ["refused", "refused"]
    assert audit[5] == ("ani", "refused", "login locked for 900 s: account address=10.0.0.5")
    assert audit[6] == ("ani", "refused", "login throttled: account address=10.0.0.99")


def test_five_failures_from_one_address_lock_that_address_with_the_same_message(db, monkeypatch):
    _from(monkeypatch, "10.0.0.7")
    for name in ("budi", "citra", "dewi", "eko", "fajar"):                # unknown names, one address
        assert [e.value for e in _log_in(name, "tebakan-saja").error] == [WRONG]
    assert [e.value for e in _log_in("ani", "rahasia-panjang").error] == [THROTTLED]
    _from(monkeypatch, "10.0.0.8")                                        # another address: the account is fine
    at = _log_in("ani", "rahasia-panjang")
    assert not at.error and {m.label for m in at.metric} >= {"Tingkat pemanfaatan"}
    refused = [a for a in _audit(db) if a[1] == "refused"]
    assert refused == [("fajar", "refused", "login locked for 900 s: address address=10.0.0.7"),
                       ("ani", "refused", "login throttled: address address=10.0.0.7")]
