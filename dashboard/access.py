"""Who is logged in, which pages their role opens, and the scope every read takes.

No page shows data before login. Pages are offered by role (``PAGES``), and every page
also asks ``require_page`` itself, so a URL typed by hand is refused, not just hidden.
Data is scoped where it is read: pages pass ``scope_for(...)`` to the metrics layer,
which gives an ``admin_pd`` their own agency whatever the URL query asks (the attempt
is refused on screen and written to the audit log).

Login: the local users file (``dashboard.users``, argon2 hashes), or Streamlit's OIDC
(``st.login``) when ``.streamlit/secrets.toml`` has an ``[auth]`` section; OIDC users
are mapped to roles by ``[kmdash.users."email"] role = "...", skpd = "..."``.
"""
from __future__ import annotations

import json
import sys
import time

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard.components.i18n import tr
from dashboard.components.escape import md
from dashboard.session import COOKIE_NAME, issue_handoff, new_session_id, read_cookie, revoke
from dashboard.throttle import client_address, login_throttle, throttle_keys
from dashboard.users import User, ensure_demo_users, load_users, users_file, verify, warm_up
from dashboard.state import db_path, is_demo
from data.ops.audit import record_event
from data.config import operator_name, settings
from metrics.agencies import official_skpd
from metrics.kpi import Scope

PAGES = {
    "pimpinan": ("ringkasan", "perangkat_daerah", "kegiatan", "maturitas", "penghargaan", "definisi", "panduan"),
    "pusdatin": ("ringkasan", "perangkat_daerah", "kegiatan", "maturitas", "penghargaan", "data", "definisi", "panduan"),
    "penilai": ("ringkasan", "perangkat_daerah", "kegiatan", "maturitas", "penghargaan", "definisi", "panduan"),
    "admin_pd": ("perangkat_daerah", "kegiatan", "maturitas", "definisi", "panduan"),
}
SESSION_KEY = "auth_user"
warm_up()                                  # the dummy hash for unknown names, made before the first login
UNRECORDED_KEY = "login_not_recorded"     # the login could not be written to the audit file
OIDC_FRESH_S = 300          # an OIDC identity this young is a login just made, not a stale one



def current_user() -> User | None:
    """The logged-in user of this session, or None."""
    return st.session_state.get(SESSION_KEY)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False


def _oidc_user() -> User | None:
    email = st.user.get("email") if getattr(st.user, "is_logged_in", False) else None
    if not email:                                  # an identity without an e-mail has no role either
        return None
    mapping = st.secrets.get("kmdash", {}).get("users", {}).get(email)
    if mapping is None:
        return None
    return User(email, mapping.get("role"), mapping.get("skpd"), "", "oidc")


def _cookie_user() -> tuple[User, str] | None:
    """(user, session id) from a valid login cookie whose account still exists unchanged."""
    claim = read_cookie(st.context.cookies.get(COOKIE_NAME))
    if claim is None:
        return None
    if claim["c"] == "oidc":
        user = _oidc_user() if _oidc_configured() else None
        return (user, claim["s"]) if user is not None and user.username == claim["u"] else None
    user = load_users().get(claim["u"])
    return (user, claim["s"]) if user is not None and user.created_at == claim["c"] else None


def _still_valid(user: User) -> bool:
    """A local account is re-read on every run: removed or re-created, its login ends."""
    if not user.password_hash:                     # OIDC identities (and test sessions) have no local account
        return True
    now = load_users().get(user.username)
    return now is not None and now.created_at == user.created_at


def _post(path: str, body: str = "") -> None:
    """Have the browser POST to one of ``dashboard.server``'s routes (cookie set or cleared there)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    url = f"/{base}{path}" if base else path
    st.html(f"<script>fetch({json.dumps(url)}, {{method: 'POST', credentials: 'same-origin', headers: "
            f"{{'Content-Type': 'application/x-www-form-urlencoded'}}, body: {json.dumps(body)}}});</script>",
            unsafe_allow_javascript=True)


def _start(user: User) -> None:
    """Log ``user`` in for this session and have the browser fetch the lasting cookie."""
    st.session_state[SESSION_KEY] = user
    st.session_state["session_id"] = new_session_id()
    st.session_state["handoff"] = issue_handoff(user.username, user.created_at, st.session_state["session_id"])


def hand_over_cookie() -> None:
    """Once after a login: the browser exchanges the handoff for the login cookie."""
    token = st.session_state.pop("handoff", None)
    if token:
        from urllib.parse import quote
        _post("/api/session", f"handoff={quote(token)}")


def _login_form(lang: str) -> None:
    st.title(tr("Log in", lang))
    with st.form("login"):
        name = st.text_input(tr("Username", lang))
        password = st.text_input(tr("Password", lang), type="password")
        submitted = st.form_submit_button(tr("Log in", lang), type="primary")
    if submitted:
        throttle, address = login_throttle(), _client_address()
        keys = throttle_keys(name, address)
        locked = throttle.locked(keys)
        if locked:                                        # refused before any password is checked
            record_event(db_path(), name or "-", "refused", f"login throttled: {_which(locked)} address={address or '-'}")
            st.error(tr("Too many failed logins. Try again in {minutes} minutes.", lang).format(
                minutes=round(throttle.lockout_s / 60)))
            return
        user = verify(name, password)
        if user is not None and user.username.startswith("demo_") and not is_demo():
            user = None                                   # demo accounts never open real data
        recorded = record_event(db_path(), name or "-", "login" if user else "login_failed", "local")
        if user is None:
            newly = throttle.failed(keys)
            if newly:
                record_event(db_path(), name or "-", "refused",
                             f"login locked for {throttle.lockout_s:g} s: {_which(newly)} address={address or '-'}")
            st.error(tr("Wrong username or password.", lang))
        else:
            throttle.succeeded(keys[:1])                  # the account's count; the address's stays
            st.session_state[UNRECORDED_KEY] = not recorded
            _start(user)
            st.rerun()


def _client_address() -> str | None:
    """The browser's address as the throttle counts it (``dashboard.throttle.client_address``)."""
    return client_address(st.context.ip_address, dict(st.context.headers or {}), settings().client_address_header)


def _which(keys: list[str]) -> str:
    return " and ".join(key.split(":", 1)[0] for key in keys)


def _oidc_fresh() -> bool:
    """The OIDC identity was issued moments ago (its ``iat``; a provider that gives none is trusted)."""
    issued = st.user.get("iat")
    return not isinstance(issued, (int, float)) or time.time() - issued < OIDC_FRESH_S


def require_login(lang: str) -> User:
    """The logged-in user: this session's, else a valid login cookie's (``dashboard.session``);
    otherwise shows the login and stops the script run. A login made on the form or through
    OIDC gets a cookie lasting the ``session_hours`` setting; an OIDC identity older than
    that cookie asks for the office login again."""
    user = current_user()
    if user is not None and _still_valid(user):
        if st.session_state.pop(UNRECORDED_KEY, False):
            st.warning(tr("This login could not be written to the audit file (the database folder is read-only); it is in the server log only.", lang))
        return user
    if user is not None:
        st.session_state.pop(SESSION_KEY, None)
    found = _cookie_user()
    if found is not None:
        st.session_state[SESSION_KEY], st.session_state["session_id"] = found
        return found[0]
    if st.session_state.pop("logged_out", False):
        _post("/api/logout")
    if _oidc_configured():
        user = _oidc_user()
        if user is not None and _oidc_fresh():
            _start(user)
            if not record_event(db_path(), user.username, "login", "oidc"):
                st.warning(tr("This login could not be written to the audit file (the database folder is read-only); it is in the server log only.", lang))
            return user
        if user is None and getattr(st.user, "is_logged_in", False):   # a stale identity with a role: only the button
            st.error(tr("This account has no role yet. Ask Pusdatin.", lang))
        st.button(tr("Log in with the office account", lang), on_click=st.login)
        st.stop()
    if not users_file().exists():
        if not is_demo():
            st.error(tr("There is no users file. This database holds real data, so the dashboard does not open without users. Create the first one: `python -m dashboard.users add NAME --role pusdatin`.", lang))
            st.stop()
        created = ensure_demo_users()
        if created:
            sys.stdout.write("Demo accounts for this demo database (username password):\n" +
                             "".join(f"  {name} {password}\n" for name, password in created.items()))
            sys.stdout.flush()
            st.info(tr("Demo accounts were created; their passwords are printed in the dashboard's terminal.", lang))
    _login_form(lang)
    st.stop()


def logout() -> None:
    """End the session's login."""
    user = current_user()
    if user is not None:
        record_event(db_path(), user.username, "logout")
    st.session_state.pop(SESSION_KEY, None)
    session_id = st.session_state.pop("session_id", None)
    if session_id:
        revoke(session_id)
    st.session_state["logged_out"] = True
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def require_page(page: str, lang: str) -> User:
    """The user when their role opens ``page``; otherwise an error and the script stops."""
    user = require_login(lang)
    if page not in PAGES.get(user.role, ()):
        record_event(db_path(), user.username, "refused", f"page={page}")
        st.error(tr("Your role does not open this page.", lang))
        st.stop()
    return user


def refuse_unoffered_page(requested: str, url_paths: dict[str, str | None], lang: str) -> None:
    """A link to a page the user's role does not open (``requested`` is the URL's last path
    part; ``url_paths`` page key -> its URL path, None for the default page, which a link
    names by its key, ``/ringkasan``): Streamlit shows the role's first page instead; this
    says why and writes one ``refused`` audit row per session and page."""
    user = current_user()
    wanted = next((key for key, path in url_paths.items() if requested and (path or key) == requested), None)
    if user is None or wanted is None or wanted in PAGES.get(user.role, ()):
        return
    audited = st.session_state.setdefault("_refused_pages", set())
    if wanted not in audited:
        record_event(db_path(), user.username, "refused", f"page={wanted}")
        audited.add(wanted)
    st.warning(tr("Your role does not open this page.", lang))


def acting_username() -> str:
    """Who is recorded for what this session does: the logged-in user, else the operator."""
    user = current_user()
    return user.username if user is not None else operator_name()


def locked_agency(lang: str) -> str | None:
    """An ``admin_pd``'s own agency, kept in the URL query ``skpd`` and shown in the sidebar
    (asking for another is refused and audited, see ``scope_for``); None for other roles."""
    user = current_user()
    if user is None or user.role != "admin_pd":
        return None
    asked = st.query_params.get("skpd")
    own = scope_for((official_skpd(asked) or asked) if asked else None, lang).skpd   # "Dishub": their own Dinas Perhubungan
    st.query_params["skpd"] = own
    st.sidebar.caption(f"{tr('Agency', lang)}: {md(own)}")
    return own


def scope_for(requested_skpd: str | None, lang: str) -> Scope:
    """The scope a read may use: an ``admin_pd`` gets their own agency whatever was asked
    (a request for another is refused on screen and audited); others get what they asked."""
    user = current_user()
    if user is None:
        st.stop()
    if user.role != "admin_pd":
        return Scope(requested_skpd)
    if requested_skpd not in (None, user.skpd):
        record_event(db_path(), user.username, "refused", f"skpd={requested_skpd}")
        st.warning(tr("You can only see your own agency's data.", lang))
    return Scope(user.skpd)


def sees_personal_data() -> bool:
    """Only ``pusdatin`` sees NIPs and names: the data page shows a rejected row's cells
    (``value``, ``raw_row``) only when this is True, whichever roles the page is opened to."""
    user = current_user()
    return user is not None and user.role == "pusdatin"


__all__ = ["PAGES", "current_user", "hand_over_cookie", "acting_username", "locked_agency", "refuse_unoffered_page", "require_login", "require_page", "scope_for", "sees_personal_data", "logout",
           "load_users"]
