"""Logging in through the office's OIDC provider (``st.login``), driven under AppTest: the
``[auth]`` secrets section switches OIDC on (``AppTest.secrets``), ``AppTest.user`` is what
the run reads as ``st.user`` (``is_logged_in``, ``email``, ``iat``), and the login cookie a
later session brings is put into ``st.context.cookies``. ``[kmdash.users."email"]`` maps an
identity to a role. Messages are the English ones (``lang="en"``); audit rows are read from
the audit file beside the database setting, as in tests/test_access_units.py."""
from __future__ import annotations

import re
import types

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import access, session
from dashboard.access import SESSION_KEY
from tests.test_access_units import audit_rows, settings  # noqa: F401  (the autouse settings fixture)

SARI, BUDI, EKA = "sari@jakarta.go.id", "budi@jakarta.go.id", "eka@jakarta.go.id"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "rahasia-uji",
        "client_id": "kmdash", "client_secret": "rahasia-klien",
        "server_metadata_url": "https://sso.jakarta.go.id/.well-known/openid-configuration"}
ROLES = {SARI: {"role": "admin_pd", "skpd": "Dinas Kesehatan"}, BUDI: {"role": "pimpinan"}}
SECRETS = {"auth": AUTH, "kmdash": {"users": ROLES}}
NO_ROLE = "This account has no role yet. Ask Pusdatin."
OFFICE_LOGIN = "Log in with the office account"
NOT_RECORDED = ("This login could not be written to the audit file (the database folder is read-only); "
                "it is in the server log only.")
NOW = 1_800_000_000.0                       # a fixed clock (2027-01-15 08:00 UTC) for the identity's age


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """``dashboard.access`` reads the time through ``time.time``: fixed at ``NOW`` here."""
    monkeypatch.setattr(access, "time", types.SimpleNamespace(time=lambda: NOW))


def _login_script():
    import streamlit as st
    from dashboard.access import require_login
    user = require_login("en")
    st.text(f"{user.username}|{user.role}|{user.skpd}|{user.password_hash!r}|{user.created_at}")


def _app(user: dict | None = None, secrets: dict | None = None, script=_login_script) -> AppTest:
    at = AppTest.from_function(script, default_timeout=30)
    at.secrets.update(SECRETS if secrets is None else secrets)
    if user is not None:
        at.user = user
    return at


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def _buttons(at) -> list[str]:
    return [b.label for b in at.button]


# -- a login through OIDC --------------------------------------------------------------------

def test_a_fresh_identity_with_a_role_logs_in_with_its_role_and_agency_and_is_audited(settings):
    at = _app({"is_logged_in": True, "email": SARI, "iat": NOW - 10}).run()
    # the identity's email is the username; the role and agency are the secrets' mapping; an OIDC
    # user has no password hash and "oidc" where a local account has its creation time
    assert _texts(at) == [f"{SARI}|admin_pd|Dinas Kesehatan|''|oidc"]
    assert not at.error and not at.warning and not at.exception
    assert audit_rows(settings) == [(SARI, "login", "oidc")]
    # the handoff the browser exchanges for the lasting cookie names the user, "oidc" and the login's id
    assert re.fullmatch("[0-9a-f]{32}", at.session_state["session_id"])          # a new login id (logout revokes it)
    cookie = session.exchange_handoff(at.session_state["handoff"])
    assert session.read_cookie(cookie) == {"u": SARI, "c": "oidc", "s": at.session_state["session_id"]}
    at.run()                                                             # the next run of the session
    assert _texts(at) == [f"{SARI}|admin_pd|Dinas Kesehatan|''|oidc"]
    assert audit_rows(settings) == [(SARI, "login", "oidc")]           # one login, not one per run


def test_an_identity_mapped_without_an_agency_has_none():
    at = _app({"is_logged_in": True, "email": BUDI}).run()
    assert _texts(at) == [f"{BUDI}|pimpinan|None|''|oidc"]


@pytest.mark.parametrize("iat", [None, "1800000000", NOW - 299, NOW - 299.5, NOW])
def test_an_identity_issued_less_than_five_minutes_ago_or_without_a_number_is_fresh(iat):
    # no iat, or one that is not a number: the provider is trusted; 299 s and 299.5 s old: < 300 s
    user = {"is_logged_in": True, "email": BUDI, **({} if iat is None else {"iat": iat})}
    assert _texts(_app(user).run()) == [f"{BUDI}|pimpinan|None|''|oidc"]


@pytest.mark.parametrize("iat", [NOW - 300, NOW - 300.5, 1_700_000_000, NOW - 86_400.0])
def test_an_identity_five_minutes_old_or_more_asks_for_the_office_login_again(settings, iat):
    # exactly 300 s is no longer fresh; the role is known, so no "no role" message
    at = _app({"is_logged_in": True, "email": BUDI, "iat": iat}).run()
    assert _texts(at) == [] and not at.exception
    assert _buttons(at) == [OFFICE_LOGIN] and not at.error
    assert SESSION_KEY not in at.session_state and audit_rows(settings) == []


def test_an_identity_without_a_role_is_told_so_and_offered_the_office_login(settings):
    at = _app({"is_logged_in": True, "email": EKA}).run()
    assert _texts(at) == [] and [e.value for e in at.error] == [NO_ROLE]
    assert _buttons(at) == [OFFICE_LOGIN]
    assert SESSION_KEY not in at.session_state and audit_rows(settings) == []


@pytest.mark.parametrize("secrets", [{"auth": AUTH}, {"auth": AUTH, "kmdash": {"other": 1}}],
                         ids=["no kmdash section", "no users in it"])
def test_without_any_role_mapping_every_identity_has_no_role(secrets):
    at = _app({"is_logged_in": True, "email": BUDI}, secrets).run()
    assert not at.exception and _texts(at) == [] and [e.value for e in at.error] == [NO_ROLE]


@pytest.mark.parametrize("email", [None, ""])
def test_an_identity_without_an_email_has_no_role_even_if_an_empty_name_is_mapped(email):
    secrets = {"auth": AUTH, "kmdash": {"users": {**ROLES, "": {"role": "pusdatin"}}}}
    at = _app({"is_logged_in": True, **({} if email is None else {"email": email})}, secrets).run()
    assert not at.exception and _texts(at) == [] and [e.value for e in at.error] == [NO_ROLE]


def test_the_office_login_button_starts_the_providers_login(monkeypatch):
    started = []
    monkeypatch.setattr(st, "login", lambda *args: started.append(args))
    at = _app({"is_logged_in": False}).run()
    at.button[0].click().run()
    assert started == [()]


@pytest.mark.parametrize("user", [{"is_logged_in": False, "email": BUDI}, {"email": BUDI}],
                         ids=["logged out", "no is_logged_in claim"])
def test_nobody_logged_in_at_the_provider_gets_only_the_office_login(settings, user):
    at = _app(user).run()
    assert _texts(at) == [] and not at.error and not at.exception
    assert _buttons(at) == [OFFICE_LOGIN] and not at.text_input        # no local login form
    assert audit_rows(settings) == []


def test_a_login_the_audit_file_cannot_hold_is_said_on_screen(tmp_path, monkeypatch):
    monkeypatch.setenv("KMDASH_DB", str(tmp_path / "no-such-folder" / "km.duckdb"))   # the audit file cannot be made
    at = _app({"is_logged_in": True, "email": BUDI}).run()
    assert _texts(at) == [f"{BUDI}|pimpinan|None|''|oidc"]
    assert [w.value for w in at.warning] == [NOT_RECORDED]


def test_without_an_auth_section_the_local_login_form_is_shown(settings):
    (settings / "users.json").write_text("{}", encoding="utf-8")
    at = _app({"is_logged_in": True, "email": BUDI}, {"kmdash": {"users": ROLES}}).run()
    assert _texts(at) == [] and OFFICE_LOGIN not in _buttons(at)
    assert [t.label for t in at.text_input] == ["Username", "Password"]


# -- the login cookie a later session brings ---------------------------------------------------

@pytest.fixture
def cookie(monkeypatch):
    """Put a login cookie (or none) into ``st.context.cookies``: call with (username, created_at)."""
    def bring(username: str, created_at: str, session_id: str = "c" * 32) -> None:
        value = session.exchange_handoff(session.issue_handoff(username, created_at, session_id))
        monkeypatch.setattr(type(st.context), "cookies", property(lambda self: {session.COOKIE_NAME: value}))
    return bring


STALE = NOW - 3600                         # an identity too old to log in by itself: only the cookie can


def test_an_oidc_cookie_of_the_identity_still_logged_in_resumes_the_login(settings, cookie):
    cookie(BUDI, "oidc")
    at = _app({"is_logged_in": True, "email": BUDI, "iat": STALE}).run()
    assert _texts(at) == [f"{BUDI}|pimpinan|None|''|oidc"]
    assert at.session_state["session_id"] == "c" * 32 and "handoff" not in at.session_state
    assert audit_rows(settings) == []                                  # resumed, not a new login


@pytest.mark.parametrize("user, secrets", [
    ({"is_logged_in": True, "email": SARI, "iat": STALE}, SECRETS),    # another identity at the provider
    ({"is_logged_in": False, "email": BUDI}, SECRETS),                 # logged out at the provider
    ({"is_logged_in": True, "email": BUDI, "iat": STALE}, {"kmdash": {"users": ROLES}}),   # OIDC switched off
], ids=["another identity", "logged out", "no auth section"])
def test_an_oidc_cookie_without_the_same_identity_logged_in_is_not_enough(settings, cookie, user, secrets):
    (settings / "users.json").write_text("{}", encoding="utf-8")
    cookie(BUDI, "oidc")
    at = _app(user, secrets).run()
    assert _texts(at) == [] and SESSION_KEY not in at.session_state


def test_a_local_accounts_cookie_resumes_its_login_until_the_account_changes(settings, cookie):
    from dashboard.users import add_user, load_users
    add_user("ani", "penilai", "kata-sandi-ani")
    ani = load_users()["ani"]
    cookie("ani", ani.created_at)
    at = _app(secrets={"kmdash": {}}).run()
    assert _texts(at) == [f"ani|penilai|None|{ani.password_hash!r}|{ani.created_at}"]
    assert at.session_state["session_id"] == "c" * 32
    cookie("ani", "2020-01-01T00:00:00+00:00")                         # an account of that name made earlier
    assert _texts(_app(secrets={"kmdash": {}}).run()) == []
    cookie("budi", ani.created_at)                                     # no such account
    assert _texts(_app(secrets={"kmdash": {}}).run()) == []


# -- logout ------------------------------------------------------------------------------------

def _logout_script():
    import streamlit as st
    from dashboard.access import logout
    if st.button("keluar"):
        logout()


def test_logging_out_an_oidc_login_logs_out_at_the_provider_too(settings):
    at = _app({"is_logged_in": True, "email": BUDI}, script=_logout_script)
    at.session_state[SESSION_KEY] = access.User(BUDI, "pimpinan", None, "", "oidc")
    at.run().button[0].click().run()
    assert at.user == {"is_logged_in": False}                          # st.logout() cleared the identity
    assert SESSION_KEY not in at.session_state
    assert audit_rows(settings) == [(BUDI, "logout", "")]


@pytest.mark.parametrize("user, secrets", [
    ({"email": BUDI}, SECRETS),                                        # OIDC on, nobody logged in there
    ({"is_logged_in": False, "email": BUDI}, SECRETS),
    ({"is_logged_in": True, "email": BUDI}, {"kmdash": {"users": ROLES}}),   # OIDC off: a local login
], ids=["no claim", "logged out", "no auth section"])
def test_logging_out_leaves_the_provider_alone_without_an_oidc_login_there(user, secrets):
    at = _app(dict(user), secrets, script=_logout_script)
    at.session_state[SESSION_KEY] = access.User("test_pimpinan", "pimpinan", None, "", "")
    at.run().button[0].click().run()
    assert at.user == user and not at.exception                        # st.logout() was not called
    assert SESSION_KEY not in at.session_state


def test_the_install_holds_what_streamlits_office_login_needs():
    # requirements.txt once lacked Authlib: the office-login button then raised
    # StreamlitMissingAuthlibError in every real deployment with OIDC configured
    from streamlit.auth_util import is_authlib_installed
    assert is_authlib_installed()                                   # Authlib >= 1.3.2, as Streamlit checks it
    from authlib.integrations import starlette_client               # the client st.login's routes use (needs httpx)
    assert hasattr(starlette_client, "OAuth")
