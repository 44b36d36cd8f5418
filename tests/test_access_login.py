"""The local login form of ``dashboard.access.require_login``, called from a one-line
Streamlit script (``AppTest.from_function``: no database is opened; whether the database is
the demo is the seam ``dashboard.access.is_demo``, set per test): refusals, the throttle's
messages and audit rows, the demo accounts, and the browser calls a login and a logout make
(``st.html`` scripts POSTing to the server's routes). tests/test_access.py and
tests/test_login_throttle.py run the same paths through the whole app on the field samples.
Messages are the English ones (``lang="en"``)."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import access
from dashboard.access import SESSION_KEY
from dashboard.users import add_user, load_users
from streamlit.proto.TextInput_pb2 import TextInput as TextInputProto
from tests.test_access_units import audit_rows, settings  # noqa: F401  (the autouse settings fixture)

WRONG = "Wrong username or password."
NOT_RECORDED = ("This login could not be written to the audit file (the database folder is read-only); "
                "it is in the server log only.")


@pytest.fixture(autouse=True)
def real_database(monkeypatch):
    """The database is not the demo unless a test says so."""
    monkeypatch.setattr(access, "is_demo", lambda: False)


def _login_script():
    import streamlit as st
    from dashboard.access import require_login
    user = require_login("en")
    st.text(f"{user.username}|{user.role}")


def _app() -> AppTest:
    return AppTest.from_function(_login_script, default_timeout=30)


def _submit(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def _html(at) -> list[str]:
    return [e.proto.body for e in at.get("html")]


def test_the_form_refuses_a_wrong_password_and_logs_in_with_the_right_one(settings):
    add_user("ani", "pimpinan", "rahasia-panjang")
    at = _app().run()
    assert [t.value for t in at.title] == ["Log in"] and _texts(at) == []
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert [b.label for b in at.button] == ["Log in"]
    assert [t.proto.type for t in at.text_input] == [TextInputProto.DEFAULT, TextInputProto.PASSWORD]
    assert at.button[0].proto.type == "primary" and at.button[0].proto.is_form_submitter
    assert {w.proto.form_id for w in [*at.text_input, *at.button]} == {"login"}
    _submit(at, "ani", "salah-sekali")
    assert [e.value for e in at.error] == [WRONG] and _texts(at) == []
    assert audit_rows(settings) == [("ani", "login_failed", "local")]
    _submit(at, "ani", "rahasia-panjang")
    assert _texts(at) == ["ani|pimpinan"] and not at.error and not at.warning
    assert audit_rows(settings)[1:] == [("ani", "login", "local")]
    assert at.session_state[SESSION_KEY].username == "ani" and at.session_state["handoff"]


def test_a_login_without_a_name_is_audited_as_a_dash(settings):
    add_user("ani", "pimpinan", "rahasia-panjang")
    at = _submit(_app().run(), "", "apa-saja")
    assert [e.value for e in at.error] == [WRONG]
    assert audit_rows(settings) == [("-", "login_failed", "local")]


def test_a_demo_account_opens_only_the_demo_database(settings, monkeypatch):
    add_user("demo_pimpinan", "pimpinan", "kata-sandi-demo")
    at = _submit(_app().run(), "demo_pimpinan", "kata-sandi-demo")
    assert [e.value for e in at.error] == [WRONG] and _texts(at) == []
    assert audit_rows(settings) == [("demo_pimpinan", "login_failed", "local")]
    monkeypatch.setattr(access, "is_demo", lambda: True)
    at = _submit(_app().run(), "demo_pimpinan", "kata-sandi-demo")
    assert _texts(at) == ["demo_pimpinan|pimpinan"]


def test_a_real_database_without_a_users_file_does_not_open(settings):
    at = _app().run()
    assert [e.value for e in at.error] == [
        "There is no users file. This database holds real data, so the dashboard does not open without users. "
        "Create the first one: `python -m dashboard.users add NAME --role pusdatin`."]
    assert not at.text_input and not at.info and not (settings / "users.json").exists()


def test_a_demo_database_without_a_users_file_gets_one_demo_account_per_role(settings, monkeypatch, capsys):
    monkeypatch.setattr(access, "is_demo", lambda: True)
    at = _app().run()
    assert [i.value for i in at.info] == [
        "Demo accounts were created; their passwords are printed in the dashboard's terminal."]
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    users = load_users()
    assert sorted(users) == ["demo_admin_pd", "demo_penilai", "demo_pimpinan", "demo_pusdatin"]
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Demo accounts for this demo database (username password):"
    assert sorted(line.split()[0] for line in printed[1:]) == sorted(users)
    assert all(line.startswith("  demo_") and len(line.split()) == 2 for line in printed[1:])
    at.run()                                                          # the file exists now: nothing more
    assert not at.info and capsys.readouterr().out == ""


def test_a_login_the_audit_file_cannot_hold_is_said_once(settings, monkeypatch):
    add_user("ani", "pimpinan", "rahasia-panjang")
    monkeypatch.setenv("KMDASH_DB", str(settings / "no-such-folder" / "km.duckdb"))
    at = _submit(_app().run(), "ani", "rahasia-panjang")
    assert _texts(at) == ["ani|pimpinan"] and [w.value for w in at.warning] == [NOT_RECORDED]
    at.run()
    assert _texts(at) == ["ani|pimpinan"] and not at.warning


def test_a_login_the_audit_file_holds_says_nothing_on_the_next_run(settings):
    add_user("ani", "pimpinan", "rahasia-panjang")
    at = _submit(_app().run(), "ani", "rahasia-panjang")
    at.run()
    assert _texts(at) == ["ani|pimpinan"] and not at.warning


def _from(monkeypatch, address: str | None) -> None:
    monkeypatch.setattr(type(st.context), "ip_address", property(lambda self: address))


def test_five_failures_lock_the_account_with_the_lockout_in_minutes(settings, monkeypatch):
    monkeypatch.setenv("KMDASH_LOGIN_LOCKOUT_S", "600")
    add_user("ani", "pimpinan", "rahasia-panjang")
    _from(monkeypatch, None)                                          # no address known: the account alone
    for _ in range(5):
        assert [e.value for e in _submit(_app().run(), "ani", "salah").error] == [WRONG]
    at = _submit(_app().run(), "ani", "rahasia-panjang")               # the right password, too late
    assert [e.value for e in at.error] == ["Too many failed logins. Try again in 10 minutes."]   # 600 s / 60
    assert _texts(at) == []
    assert audit_rows(settings)[4:] == [("ani", "login_failed", "local"),
                                        ("ani", "refused", "login locked for 600 s: account address=-"),
                                        ("ani", "refused", "login throttled: account address=-")]


@pytest.mark.parametrize("address", ["10.0.0.7", "2001:db8::7"])
def test_one_address_failing_for_five_names_is_locked_for_both_keys_named(settings, monkeypatch, address):
    monkeypatch.setenv("KMDASH_LOGIN_LOCKOUT_S", "90")
    add_user("ani", "pimpinan", "rahasia-panjang")
    _from(monkeypatch, address)
    for _ in range(5):
        _submit(_app().run(), "budi", "tebakan")                     # one name, one address: both trip
    at = _submit(_app().run(), "budi", "tebakan")
    assert [e.value for e in at.error] == ["Too many failed logins. Try again in 2 minutes."]   # round(90 / 60)
    assert audit_rows(settings)[5:] == [
        ("budi", "refused", f"login locked for 90 s: account and address address={address}"),
        ("budi", "refused", f"login throttled: account and address address={address}")]


def test_a_success_clears_the_accounts_failures_but_not_the_addresss(settings, monkeypatch):
    add_user("ani", "pimpinan", "rahasia-panjang")
    _from(monkeypatch, "10.0.0.7")
    for _ in range(4):
        _submit(_app().run(), "ani", "salah")
    assert _texts(_submit(_app().run(), "ani", "rahasia-panjang")) == ["ani|pimpinan"]
    _from(monkeypatch, "10.0.0.8")                                    # ani's count starts again from 0: 1 failure
    _submit(_app().run(), "ani", "salah")
    assert _texts(_submit(_app().run(), "ani", "rahasia-panjang")) == ["ani|pimpinan"]
    # 10.0.0.7 has 4 failures still: one more (another name) locks it
    _from(monkeypatch, "10.0.0.7")
    _submit(_app().run(), "citra", "salah")
    assert [r for r in audit_rows(settings) if r[1] == "refused"] == [
        ("citra", "refused", "login locked for 900 s: address address=10.0.0.7")]


# -- what the browser is asked to POST --------------------------------------------------------

def _cookie_script():
    from dashboard.access import hand_over_cookie
    hand_over_cookie()


def test_after_a_login_the_browser_exchanges_the_handoff_once(settings):
    at = AppTest.from_function(_cookie_script, default_timeout=30)
    at.session_state["handoff"] = "abc.def+= x"
    at.run()
    [script] = _html(at)
    assert at.get("html")[0].proto.unsafe_allow_javascript
    assert "fetch(\"/api/session\", {method: 'POST', credentials: 'same-origin', " in script
    assert "'Content-Type': 'application/x-www-form-urlencoded'}, body: \"handoff=abc.def%2B%3D%20x\"});" in script
    at.run()
    assert _html(at) == [] and "handoff" not in at.session_state and not at.exception


def test_the_routes_are_under_the_servers_base_path(settings):
    from streamlit import config
    at = AppTest.from_function(_cookie_script, default_timeout=30)
    at.session_state["handoff"] = "t"
    before = config.get_option("server.baseUrlPath")
    seen = []
    try:
        for base in ("/km/", "SIPX"):                     # slashes around it or none
            at.session_state["handoff"] = "t"
            config.set_option("server.baseUrlPath", base)
            seen += _html(at.run())
    finally:
        config.set_option("server.baseUrlPath", before)
    assert [s.split(", {")[0] for s in seen] == ['<script>fetch("/km/api/session"', '<script>fetch("/SIPX/api/session"']


def test_the_run_after_a_logout_clears_the_cookie_once(settings):
    add_user("ani", "pimpinan", "rahasia-panjang")
    at = _app()
    at.session_state["logged_out"] = True
    at.run()
    [script] = _html(at)
    assert script.startswith("<script>fetch(\"/api/logout\", {method: 'POST'") and 'body: ""});</script>' in script
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    at.run()
    assert _html(at) == []


def test_the_demo_passwords_reach_the_terminal_at_once(settings, monkeypatch):
    # the dashboard's output is a pipe under a service manager (block-buffered): the lines are
    # flushed when written, not when the buffer happens to fill
    class Terminal:
        def __init__(self):
            self.events = []

        def write(self, text):
            self.events.append("write")
            return len(text)

        def flush(self):
            self.events.append("flush")

    terminal = Terminal()
    monkeypatch.setattr(access, "is_demo", lambda: True)
    monkeypatch.setattr(access.sys, "stdout", terminal)
    _app().run()
    assert terminal.events[-2:] == ["write", "flush"]


def test_behind_a_proxy_the_address_is_the_last_one_the_configured_header_names(settings, monkeypatch):
    # nginx appends the address it saw to X-Forwarded-For: 10.9.8.7 is the client, 1.2.3.4 its own claim
    monkeypatch.setenv("KMDASH_CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
    monkeypatch.setenv("KMDASH_LOGIN_MAX_FAILURES", "1")
    add_user("ani", "pimpinan", "rahasia-panjang")
    _from(monkeypatch, "127.0.0.1")                                   # the proxy's socket
    monkeypatch.setattr(type(st.context), "headers",
                        property(lambda self: {"Host": "km", "X-Forwarded-For": "1.2.3.4, 10.9.8.7"}))
    _submit(_app().run(), "ani", "salah")
    assert audit_rows(settings)[1:] == [
        ("ani", "refused", "login locked for 900 s: account and address address=10.9.8.7")]


def test_a_locked_login_without_a_name_is_audited_as_a_dash(settings, monkeypatch):
    monkeypatch.setenv("KMDASH_LOGIN_MAX_FAILURES", "1")
    add_user("ani", "pimpinan", "rahasia-panjang")
    _from(monkeypatch, "10.0.0.9")
    _submit(_app().run(), "", "salah")
    _submit(_app().run(), "", "salah")
    assert audit_rows(settings) == [
        ("-", "login_failed", "local"),
        ("-", "refused", "login locked for 900 s: account and address address=10.0.0.9"),
        ("-", "refused", "login throttled: account and address address=10.0.0.9")]
