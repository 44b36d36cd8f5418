"""The local users file and its command line: who may log in, with which role.

``python -m dashboard.users add NAME --role ROLE [--skpd AGENCY] [--password-stdin]``
``python -m dashboard.users remove NAME`` · ``python -m dashboard.users list``

The file (``$KMDASH_USERS``, default ``data/users.json``, kept out of git) holds, per user,
the role, the agency for ``admin_pd`` and an argon2id password hash (argon2-cffi); never a
password. Roles (README, "Roles"): ``pimpinan`` all aggregates; ``pusdatin`` everything,
imports, rejected rows, personal data; ``penilai`` aggregates and the award; ``admin_pd``
only their own agency's pages and data.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import getpass
import json
import logging
import os
import secrets
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from data.intake.agencies import load_agency_table
from data.config import settings
from data.errors import KmdashError

log = logging.getLogger(__name__)

ROLES = ("pimpinan", "pusdatin", "penilai", "admin_pd")
DEMO_SKPD = "Dinas Kesehatan"
# argon2id at OWASP's "m=19 MiB, t=2, p=1" (Password Storage Cheat Sheet; about 0.07 s of one
# core): argon2-cffi's default (RFC 9106 low-memory, m=64 MiB, t=3, p=4) took 0.25-0.4 s and
# 64 MiB per login, so ten people pressing "Masuk" at once on 2 cores queued for seconds and
# held 640 MB. Older hashes keep their own parameters (verify reads them from the hash).
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_CHECKS = threading.BoundedSemaphore(2)    # password checks at once: bounds their memory (and CPU) to two


class UsersError(KmdashError):
    """A users-file operation that cannot be done (unknown role, agency or user, bad file)."""


@dataclass(frozen=True)
class User:
    """One account. ``skpd`` is the official agency name for ``admin_pd``, else None."""

    username: str
    role: str
    skpd: str | None
    password_hash: str
    created_at: str


def users_file() -> Path:
    """The users file setting (``$KMDASH_USERS``, default ``data/users.json``; data.config)."""
    return settings().users_file


def load_users(path: Path | None = None) -> dict[str, User]:
    """username -> User; an absent file gives ``{}``.

    Raises:
        UsersError: the file is not a users file.
    """
    path = path or users_file()
    if not path.exists():
        return {}
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["users"]
        return {r["username"]: User(**r) for r in rows}
    except (ValueError, KeyError, TypeError) as exc:
        raise UsersError(f"{path} is not a users file ({exc})") from exc


def save_users(users: dict[str, User], path: Path | None = None) -> None:
    """Write the file atomically, readable by its owner only."""
    path = path or users_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)   # 0600 from the start, never 0644
    os.fchmod(fd, 0o600)                                                  # a partial left by an older release
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"users": [asdict(u) for u in sorted(users.values(), key=lambda u: u.username)]},
                                indent=1, ensure_ascii=False))
    partial.replace(path)


def add_user(username: str, role: str, password: str, *, skpd: str | None = None, path: Path | None = None) -> User:
    """Add or replace one account (the password is hashed with argon2id).

    Raises:
        UsersError: unknown role; ``admin_pd`` without a known agency; empty password.
    """
    if role not in ROLES:
        raise UsersError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if len(password) < 8:
        raise UsersError("password must have at least 8 characters")
    official = None
    if role == "admin_pd":
        official = load_agency_table().match(skpd or "")
        if official is None:
            raise UsersError(f"admin_pd needs --skpd with a known agency, got {skpd!r}")
    users = load_users(path)
    user = User(username, role, official, _hasher.hash(password), dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    users[username] = user
    save_users(users, path)
    log.info("user added username=%s role=%s skpd=%s", username, role, official)
    return user


def remove_user(username: str, path: Path | None = None) -> None:
    """Remove one account.

    Raises:
        UsersError: no such user.
    """
    users = load_users(path)
    if users.pop(username, None) is None:
        raise UsersError(f"no user {username!r}")
    save_users(users, path)
    log.info("user removed username=%s", username)


@functools.cache
def _dummy_hash() -> str:
    """An argon2id hash of a random password, made once per process with the same
    parameters as real ones: an unknown name is checked against it, so it costs the same
    time as a known name with a wrong password (timing does not tell which names exist)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def warm_up() -> None:
    """Make the dummy hash in a background thread now, so the first unknown name does not
    take twice as long as a known one."""
    threading.Thread(target=_dummy_hash, name="argon2-warm-up", daemon=True).start()


def verify(username: str, password: str, path: Path | None = None) -> User | None:
    """The user when the password is right, else None (same answer, and the same argon2
    work, for an unknown name)."""
    user = load_users(path).get(username)
    try:
        with _CHECKS:
            right = _hasher.verify(user.password_hash if user is not None else _dummy_hash(), password)
        if right and user is not None:
            return user
    except (VerificationError, InvalidHashError):
        return None
    return None


def ensure_demo_users(path: Path | None = None) -> dict[str, str] | None:
    """Create one demo account per role when there is no users file yet.

    Returns:
        username -> password of the accounts created (to be printed once), or None when a
        users file already exists.
    """
    path = path or users_file()
    if path.exists():
        return None
    created = {}
    for role in ROLES:
        password = secrets.token_urlsafe(9)
        add_user(f"demo_{role}", role, password, skpd=DEMO_SKPD if role == "admin_pd" else None, path=path)
        created[f"demo_{role}"] = password
    return created


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise UsersError("the two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    """The command line; 0 done, 2 usage or refused."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.users", description="Manage dashboard accounts.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add or replace a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--skpd", help="agency (official name or alias) for admin_pd")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("remove", help="remove a user").add_argument("username")
    sub.add_parser("list", help="list users (never passwords)")
    sub.add_parser("demo", help="create demo accounts when no users file exists, and print them")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except UsersError as problem:
        sys.stderr.write(f"{problem}\n")
        return 2


def _run(args) -> int:
    if args.command == "add":
        user = add_user(args.username, args.role, _read_password(args.password_stdin), skpd=args.skpd)
        sys.stdout.write(f"user {user.username} ({user.role}{', ' + user.skpd if user.skpd else ''}) saved to {users_file()}\n")
    elif args.command == "remove":
        remove_user(args.username)
        sys.stdout.write(f"user {args.username} removed\n")
    elif args.command == "list":
        for user in load_users().values():
            sys.stdout.write(f"{user.username}\t{user.role}\t{user.skpd or '-'}\t{user.created_at}\n")
    else:
        created = ensure_demo_users()
        if created:
            sys.stdout.write("Demo accounts (shown once; stored hashed in " + str(users_file()) + "):\n")
            for name, password in created.items():
                sys.stdout.write(f"  {name:<18} {password}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
