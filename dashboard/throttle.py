"""Login throttling: after ``login_max_failures`` failed logins within ``login_window_s``
for one account name or from one client address, logins for that name or address are
refused for ``login_lockout_s`` (defaults 5, 15 minutes, 15 minutes; ``data.config``).

The state is a small JSON file of its own (``login_throttle.json`` beside the users file,
0600), shared by every session and process: each change is read-modify-write under an
exclusive ``flock``. It holds, per key (``account:<name>`` or ``address:<ip>``), the times
(Unix seconds) of recent failures and the time a lockout ends; expired entries are dropped
on every write, so the file stays small. It holds no passwords and no NIPs.

A file that cannot be written (read-only folder) does not block logins: the failure is
logged and the login goes on unthrottled.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from data.config import settings

log = logging.getLogger(__name__)
FILE_NAME = "login_throttle.json"


@dataclass(frozen=True)
class Throttle:
    """Where the state lives and the limits: failures within ``window_s`` seconds that lock
    a key, and for how many seconds."""

    path: Path
    max_failures: int = 5
    window_s: float = 900.0
    lockout_s: float = 900.0

    def locked(self, keys: Iterable[str], now: float | None = None) -> list[str]:
        """The keys among ``keys`` that are locked out at ``now`` (Unix seconds), in order."""
        now = time.time() if now is None else now
        state = self._update(lambda s: None, now)
        return [k for k in keys if state.get(k, {}).get("locked_until", 0) > now]

    def failed(self, keys: Iterable[str], now: float | None = None) -> list[str]:
        """Count one failed login against each key; returns the keys this failure locked."""
        now = time.time() if now is None else now
        keys = list(keys)
        newly: list[str] = []

        def count(state: dict) -> None:
            for key in keys:
                entry = state.setdefault(key, {"failures": [], "locked_until": 0})
                entry["failures"] = [t for t in entry["failures"] if t > now - self.window_s] + [now]
                if len(entry["failures"]) >= self.max_failures and entry["locked_until"] <= now:
                    entry["locked_until"], entry["failures"] = now + self.lockout_s, []
                    newly.append(key)
        self._update(count, now)
        return newly

    def succeeded(self, keys: Iterable[str], now: float | None = None) -> None:
        """A successful login clears the failures counted against ``keys``."""
        keys = set(keys)
        self._update(lambda state: [state.pop(k, None) for k in keys], time.time() if now is None else now)

    def _update(self, change, now: float) -> dict:
        """Apply ``change`` to the state under the file's lock and write it back (expired
        entries dropped); returns the state. An unwritable file gives an empty state."""
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            log.warning("login throttle unavailable file=%s error=%s", self.path, exc)
            return {}
        with os.fdopen(fd, "r+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            text = handle.read()
            try:
                state = json.loads(text) if text.strip() else {}
            except ValueError:
                log.warning("login throttle file unreadable, started afresh file=%s", self.path)
                state = {}
            change(state)
            state = self._pruned(state, now)
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(state))
        return state

    def _pruned(self, state: Mapping[str, dict], now: float) -> dict:
        kept = {}
        for key, entry in state.items():
            failures = [t for t in entry.get("failures", []) if t > now - self.window_s]
            locked_until = entry.get("locked_until", 0)
            if failures or locked_until > now:
                kept[key] = {"failures": failures, "locked_until": locked_until if locked_until > now else 0}
        return kept


def login_throttle() -> Throttle:
    """The throttle in force: the file beside the users file, limits from the settings."""
    config = settings()
    return Throttle(config.users_file.with_name(FILE_NAME), config.login_max_failures,
                    config.login_window_s, config.login_lockout_s)


def throttle_keys(username: str, address: str | None) -> list[str]:
    """The keys one login attempt counts against: the account name (case and spaces
    ignored) and, when known, the client address."""
    keys = [f"account:{' '.join(username.split()).casefold()}"]
    return keys + [f"address:{address}"] if address else keys


def client_address(ip_address: str | None, headers: Mapping[str, str], header: str | None) -> str | None:
    """The client's address: the last value of ``header`` (``X-Forwarded-For`` or
    ``X-Real-IP`` as set by nginx, which appends the address it saw; earlier values are
    the client's own claims) when the ``client_address_header`` setting names one, else
    the socket's address. Only configure the header behind a proxy that sets it, or a
    client can choose its own address."""
    if header:
        value = next((v for k, v in headers.items() if k.lower() == header.lower()), "")
        parts = [p.strip() for p in value.split(",") if p.strip()]
        return parts[-1] if parts else ip_address
    return ip_address


__all__ = ["Throttle", "login_throttle", "throttle_keys", "client_address", "FILE_NAME"]
