"""``dashboard.access`` function by function, each called from a one-line Streamlit script
(``AppTest.from_function``: no database, no page), so the refusals, the audit rows and
the session changes are checked directly and quickly. The pages' own use of these
functions is tested in tests/test_access.py (role matrix, admin_pd's agency, logins).
Messages are the Indonesian ones (the default language); audit rows are read from the
audit file ``<db>.audit.jsonl`` beside the database setting."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import SESSION_KEY
from dashboard.users import User, add_user, load_users
from tests.conftest import logged_in

REFUSED_ROLE = "Peran Anda tidak membuka halaman ini."
OWN_AGENCY_ONLY = "Anda hanya dapat melihat data perangkat daerah Anda sendiri."
DINKES = "Dinas Kesehatan"


@pytest.fixture(autouse=True)
def settings(tmp_path, monkeypatch):
    """A database path (never opened here: only its audit file is written), a users file,
    a session key and an operator name of this test's own."""
    monkeypatch.setenv("KMDASH_DB", str(tmp_path / "km.duckdb"))
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("KMDASH_SESSION_KEY_FILE", str(tmp_path / "state" / "session.key"))
    monkeypatch.setenv("KMDASH_USER", "operator-cli")
    return tmp_path


def audit_rows(tmp_path) -> list[tuple[str, str, str]]:
    path = tmp_path / "km.duckdb.audit.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["username"], r["action"], r["detail"]) for r in rows]


def _scope_script():
    import streamlit as st
    from dashboard.access import scope_for
    st.text(f"scope={scope_for(st.query_params.get('ask'), 'id').skpd}")


def _run(script, role=None, own=None, **query):
    at = AppTest.from_function(script, default_timeout=30)
    if role is not None:
        logged_in(at, role, own)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_an_admin_pd_asking_for_another_agency_gets_their_own_refused_and_audited(settings):
    at = _run(_scope_script, "admin_pd", DINKES, ask="Inspektorat")
    assert _texts(at) == [f"scope={DINKES}"]
    assert [w.value for w in at.warning] == [OWN_AGENCY_ONLY]
    assert audit_rows(settings) == [("test_admin_pd", "refused", "skpd=Inspektorat")]


@pytest.mark.parametrize("ask", [DINKES, None])
def test_an_admin_pd_asking_for_their_own_agency_or_none_is_not_refused(settings, ask):
    at = _run(_scope_script, "admin_pd", DINKES, **({"ask": ask} if ask else {}))
    assert _texts(at) == [f"scope={DINKES}"] and not at.warning
    assert audit_rows(settings) == []


@pytest.mark.parametrize("role", ["pimpinan", "pusdatin", "penilai"])
def test_other_roles_get_the_agency_they_ask_for_or_the_province(settings, role):
    assert _texts(_run(_scope_script, role, ask="Inspektorat")) == ["scope=Inspektorat"]
    assert _texts(_run(_scope_script, role)) == ["scope=None"]
    assert audit_rows(settings) == []


def test_without_a_login_no_scope_is_given(settings):
    at = _run(_scope_script, ask="Inspektorat")
    assert _texts(at) == [] and not at.exception


def _personal_script():
    import streamlit as st
    from dashboard.access import sees_personal_data
    st.text(f"personal={sees_personal_data()}")


@pytest.mark.parametrize("role, sees", [("pusdatin", True), ("pimpinan", False), ("penilai", False),
                                        ("admin_pd", False), (None, False)])
def test_only_pusdatin_sees_personal_data(role, sees):
    assert _texts(_run(_personal_script, role, DINKES if role == "admin_pd" else None)) == [f"personal={sees}"]


def _acting_script():
    import streamlit as st
    from dashboard.access import acting_username
    st.text(f"acting={acting_username()}")


def test_the_acting_user_is_the_login_else_the_operator():
    assert _texts(_run(_acting_script, "penilai")) == ["acting=test_penilai"]
    assert _texts(_run(_acting_script)) == ["acting=operator-cli"]


def _locked_script():
    import streamlit as st
    from dashboard.access import locked_agency
    st.text(f"locked={locked_agency('id')}")


def test_an_admin_pds_agency_is_locked_into_the_url_and_shown(settings):
    at = _run(_locked_script, "admin_pd", DINKES, skpd="Inspektorat")
    assert _texts(at) == [f"locked={DINKES}"]
    assert at.query_params["skpd"] == DINKES
    assert [c.value for c in at.sidebar.caption] == [f"Perangkat daerah: {DINKES}"]
    assert audit_rows(settings) == [("test_admin_pd", "refused", "skpd=Inspektorat")]


@pytest.mark.parametrize("role", ["pimpinan", None])
def test_no_agency_is_locked_for_other_roles_or_without_a_login(role):
    at = _run(_locked_script, role, skpd="Inspektorat")
    assert _texts(at) == ["locked=None"]
    assert at.query_params["skpd"] == "Inspektorat" and not at.sidebar.caption


def _page_script(page):
    import streamlit as st
    from dashboard.access import require_page
    user = require_page(page, "id")
    st.text(f"opened by {user.username}")


def test_a_page_the_role_does_not_open_is_refused_audited_and_stops(settings):
    at = AppTest.from_function(_page_script, args=("data",), default_timeout=30)
    logged_in(at, "pimpinan").run()
    assert [e.value for e in at.error] == [REFUSED_ROLE] and _texts(at) == []
    assert audit_rows(settings) == [("test_pimpinan", "refused", "page=data")]


def test_a_page_the_role_opens_gives_the_user(settings):
    at = AppTest.from_function(_page_script, args=("data",), default_timeout=30)
    logged_in(at, "pusdatin").run()
    assert _texts(at) == ["opened by test_pusdatin"] and not at.error
    assert audit_rows(settings) == []


def _unoffered_script(requested):
    from dashboard.access import refuse_unoffered_page
    refuse_unoffered_page(requested, {"ringkasan": "ringkasan", "data": "data", "definisi": None}, "id")


def _default_page_script(requested):
    from dashboard.access import refuse_unoffered_page
    # as dashboard/app.py passes them: Ringkasan is the default page, served at "/" (no path)
    refuse_unoffered_page(requested, {"ringkasan": None, "perangkat_daerah": "perangkat-daerah", "data": "data"}, "id")


def test_a_link_to_the_default_page_by_its_name_is_refused_for_a_role_without_it(settings):
    at = AppTest.from_function(_default_page_script, args=("ringkasan",), default_timeout=30)
    logged_in(at, "admin_pd", DINKES).run()               # /ringkasan opened silently the agency page
    assert [w.value for w in at.warning] == [REFUSED_ROLE]
    assert audit_rows(settings) == [("test_admin_pd", "refused", "page=ringkasan")]


def test_a_link_to_a_page_not_offered_is_explained_and_audited_once_per_session(settings):
    at = AppTest.from_function(_unoffered_script, args=("ringkasan",), default_timeout=30)
    logged_in(at, "admin_pd", DINKES).run()
    assert [w.value for w in at.warning] == [REFUSED_ROLE]
    at.run()                                                           # the same session again
    assert [w.value for w in at.warning] == [REFUSED_ROLE]
    assert audit_rows(settings) == [("test_admin_pd", "refused", "page=ringkasan")]


@pytest.mark.parametrize("role, requested", [("pusdatin", "data"), ("admin_pd", "nowhere"), (None, "data"),
                                             ("admin_pd", "")])
def test_a_link_the_role_may_follow_or_to_no_known_page_is_not_refused(settings, role, requested):
    at = AppTest.from_function(_unoffered_script, args=(requested,), default_timeout=30)
    if role:
        logged_in(at, role, DINKES if role == "admin_pd" else None)
    at.run()
    assert not at.warning and not at.exception and audit_rows(settings) == []


def _login_script():
    import streamlit as st
    from dashboard.access import require_login
    st.text(f"user={require_login('id').username}")


def test_a_login_ends_when_its_account_is_removed_or_created_again(settings):
    add_user("sari", "pimpinan", "kata-sandi-sari")
    sari = load_users()["sari"]
    at = AppTest.from_function(_login_script, default_timeout=30)
    at.session_state[SESSION_KEY] = sari
    at.run()
    assert _texts(at) == ["user=sari"]                                   # the account as it is
    at.session_state[SESSION_KEY] = User("sari", "pimpinan", None, sari.password_hash, "2020-01-01T00:00:00+00:00")
    at.run()
    assert _texts(at) == [] and at.text_input                           # created again since: the login form
    assert SESSION_KEY not in at.session_state
    at.session_state[SESSION_KEY] = User("budi", "pimpinan", None, sari.password_hash, sari.created_at)
    at.run()
    assert _texts(at) == [] and at.text_input                           # no such account


def _logout_script():
    import streamlit as st
    from dashboard.access import logout
    if st.button("keluar"):
        logout()
    st.text(f"logged_out={st.session_state.get('logged_out', False)}")


def test_logout_is_audited_and_ends_the_session_and_its_cookie(settings):
    from dashboard import session
    at = AppTest.from_function(_logout_script, default_timeout=30)
    logged_in(at, "penilai")
    at.session_state["session_id"] = "d" * 32
    at.run()
    cookie = session.exchange_handoff(session.issue_handoff("test_penilai", "", "d" * 32))
    assert session.read_cookie(cookie) is not None
    at.button[0].click().run()
    assert _texts(at) == ["logged_out=True"]
    assert SESSION_KEY not in at.session_state and "session_id" not in at.session_state
    assert session.read_cookie(cookie) is None                        # the cookie of that login no longer works
    assert audit_rows(settings) == [("test_penilai", "logout", "")]


def _locked_en_script():
    import streamlit as st
    from dashboard.access import locked_agency
    st.text(f"locked={locked_agency('en')}")


def test_the_locked_agency_is_labelled_in_the_users_language():
    at = _run(_locked_en_script, "admin_pd", DINKES)
    assert [c.value for c in at.sidebar.caption] == [f"Agency: {DINKES}"]
    at = _run(_locked_en_script, "admin_pd", DINKES, skpd="Inspektorat")
    assert [w.value for w in at.warning] == ["You can only see your own agency's data."]


def test_logout_without_a_login_or_without_a_session_id_ends_quietly(settings):
    at = AppTest.from_function(_logout_script, default_timeout=30).run()
    at.button[0].click().run()                                          # nobody logged in
    assert not at.exception and _texts(at) == ["logged_out=True"]
    at = AppTest.from_function(_logout_script, default_timeout=30)
    logged_in(at, "pimpinan").run()                                    # a login without a session id
    at.button[0].click().run()
    assert not at.exception and SESSION_KEY not in at.session_state
    assert audit_rows(settings) == [("test_pimpinan", "logout", "")]


# -- found unchecked by mutation testing (issue 19) ---------------------------------------------

@pytest.mark.parametrize("ask", ["Dinkes", "dinas kesehatan"])
def test_an_admin_pd_naming_their_own_agency_another_way_keeps_it_unrefused(settings, ask):
    at = _run(_locked_script, "admin_pd", DINKES, skpd=ask)
    assert _texts(at) == [f"locked={DINKES}"] and at.query_params["skpd"] == DINKES
    assert not at.warning and audit_rows(settings) == []


def test_an_admin_pd_naming_an_unknown_agency_is_refused_as_written(settings):
    at = _run(_locked_script, "admin_pd", DINKES, skpd="Dinas Planet")
    assert _texts(at) == [f"locked={DINKES}"] and [w.value for w in at.warning] == [OWN_AGENCY_ONLY]
    assert audit_rows(settings) == [("test_admin_pd", "refused", "skpd=Dinas Planet")]


def test_a_role_the_dashboard_does_not_know_opens_no_page(settings):
    # an OIDC mapping can name any role ([kmdash.users."..."] role = "tamu"): it opens nothing
    at = AppTest.from_function(_page_script, args=("definisi",), default_timeout=30)
    logged_in(at, "tamu").run()
    assert [e.value for e in at.error] == [REFUSED_ROLE] and _texts(at) == [] and not at.exception
    at = AppTest.from_function(_unoffered_script, args=("definisi",), default_timeout=30)
    logged_in(at, "tamu").run()
    assert [w.value for w in at.warning] == [REFUSED_ROLE] and not at.exception
    assert audit_rows(settings) == [("test_tamu", "refused", "page=definisi")] * 2


def test_the_pages_refused_in_a_session_are_remembered_in_it(settings):
    at = AppTest.from_function(_unoffered_script, args=("data",), default_timeout=30)
    logged_in(at, "admin_pd", DINKES).run()
    assert at.session_state["_refused_pages"] == {"data"}


def test_an_admin_pd_with_an_empty_agency_in_the_url_is_not_refused(settings):
    at = _run(_locked_script, "admin_pd", DINKES, skpd="")
    assert _texts(at) == [f"locked={DINKES}"] and not at.warning and audit_rows(settings) == []


def _page_en_script(page):
    import streamlit as st
    from dashboard.access import require_page
    st.text(f"opened by {require_page(page, 'en').username}")


def test_a_page_speaks_its_language_when_refusing_or_asking_for_a_login(settings):
    at = AppTest.from_function(_page_en_script, args=("data",), default_timeout=30)
    logged_in(at, "pimpinan").run()
    assert [e.value for e in at.error] == ["Your role does not open this page."]
    (settings / "users.json").write_text("{}", encoding="utf-8")
    at = AppTest.from_function(_page_en_script, args=("data",), default_timeout=30).run()    # nobody logged in
    assert [t.value for t in at.title] == ["Log in"] and not at.exception and _texts(at) == []


def _unoffered_en_script(requested):
    from dashboard.access import refuse_unoffered_page
    refuse_unoffered_page(requested, {"ringkasan": "ringkasan", "data": "data"}, "en")


def test_a_link_not_offered_is_explained_in_the_users_language(settings):
    at = AppTest.from_function(_unoffered_en_script, args=("data",), default_timeout=30)
    logged_in(at, "pimpinan").run()
    assert [w.value for w in at.warning] == ["Your role does not open this page."]
