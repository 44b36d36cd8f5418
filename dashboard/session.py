"""A login that lasts across reloads and links: a signed, expiring, HttpOnly cookie.

Streamlit keeps a login in the browser tab's session, which a reload or a link ends. So
after a login the page hands the browser a one-time *handoff* token (valid 60 s, usable
once) that it posts to ``/api/session`` (``dashboard.server``); that route answers with
the cookie ``kmdash_session`` (HttpOnly, SameSite=Lax, Path=/, Max-Age = the
``session_hours`` setting, Secure behind https). Every new Streamlit session reads the
cookie from its connection (``st.context.cookies``) and ``user_from_cookie`` checks it:
the signature (itsdangerous, key in the ``session_key_file`` setting, mode 600), its age,
that logout has not revoked it, and that the account still exists unchanged (a removed or
re-created account ends the login). Streamlit-free, so it is tested without a server.
"""
from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from data.config import settings
from data.keyfile import read_or_create_key

COOKIE_NAME = "kmdash_session"
HANDOFF_MAX_AGE_S = 60
_used_handoffs: dict[str, float] = {}
_lock = threading.Lock()
LANGUAGES_KEPT = 10_000                  # logins whose language choice is kept (the oldest forgotten first)
_languages: OrderedDict[str, str] = OrderedDict()     # login session id -> the language its person chose


def session_seconds() -> int:
    """How long a login lasts, in seconds (the ``session_hours`` setting)."""
    return int(settings().session_hours * 3600)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(read_or_create_key(str(settings().session_key_file)), salt=salt)


def _revoked_file() -> Path:
    key = settings().session_key_file
    return key.with_name(key.name + ".revoked.json")


def _revoked() -> dict[str, float]:
    path = _revoked_file()
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def new_session_id() -> str:
    """A random id for one login (what ``revoke`` ends)."""
    return secrets.token_hex(16)


def issue_handoff(username: str, created_at: str, session_id: str) -> str:
    """A one-time token (60 s) naming the user just logged in and the login's id, for ``/api/session``."""
    return _serializer("handoff").dumps({"u": username, "c": created_at, "s": session_id, "n": secrets.token_hex(8)})


def exchange_handoff(token: str) -> str | None:
    """The cookie value for a valid, unused handoff token; None otherwise (expired, forged, reused)."""
    try:
        claim = _serializer("handoff").loads(token, max_age=HANDOFF_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    now = time.time()
    with _lock:
        for nonce, seen in list(_used_handoffs.items()):
            if now - seen > HANDOFF_MAX_AGE_S:
                del _used_handoffs[nonce]
        if claim["n"] in _used_handoffs:
            return None
        _used_handoffs[claim["n"]] = now
    if claim["s"] in _revoked():
        return None
    return _serializer("session").dumps({"u": claim["u"], "c": claim["c"], "s": claim["s"]})


def read_cookie(value: str | None) -> dict | None:
    """The claim of a cookie value (``u`` username, ``c`` account created_at, ``s`` session id)
    when its signature is good, it is younger than ``session_hours`` and not revoked; else None."""
    if not value:
        return None
    try:
        claim = _serializer("session").loads(value, max_age=session_seconds())
    except (BadSignature, SignatureExpired):
        return None
    return None if claim.get("s") in _revoked() else claim


def remember_language(session_id: str, language: str) -> None:
    """Keep the language the person of login ``session_id`` chose, for their other tabs (a new
    tab is a new Streamlit session: only the login cookie links it to this one). Kept in this
    server's memory, for the newest ``LANGUAGES_KEPT`` logins; a restart forgets it."""
    with _lock:
        _languages[session_id] = language
        _languages.move_to_end(session_id)
        while len(_languages) > LANGUAGES_KEPT:
            _languages.popitem(last=False)


def remembered_language(session_id: str | None) -> str | None:
    """The language last chosen in login ``session_id`` (``remember_language``), or None."""
    with _lock:
        return _languages.get(session_id) if session_id else None


def revoke(session_id: str) -> None:
    """End one login for good (logout): its id is kept until it would have expired anyway."""
    path = _revoked_file()
    now = time.time()
    with _lock:
        _languages.pop(session_id, None)
        kept = {sid: until for sid, until in _revoked().items() if until > now}
        kept[session_id] = now + session_seconds()
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(kept, handle)
        partial.replace(path)


__all__ = ["COOKIE_NAME", "session_seconds", "new_session_id", "issue_handoff", "exchange_handoff", "read_cookie", "revoke",
           "remember_language", "remembered_language"]
