"""One place for the product's settings: defaults, then an optional TOML file, then
environment variables (``KMDASH_*``), the later winning.

The TOML file is ``$KMDASH_CONFIG`` when set (it must exist), else ``./kmdash.toml`` when
present. Its keys are the field names below (``db_path = "/var/lib/kmdash/kmdash.duckdb"``);
a relative path in it is taken from the file's folder. Every setting, its default, unit and
meaning is listed in ``SETTINGS`` (the README table is checked against it by a test).

``settings()`` reads the environment on every call (cheap) and caches the parsed TOML by
its path and modification time, so a changed variable or file takes effect at the next call.

Every file the product writes lives under one state directory, ``state_dir``
(``$KMDASH_STATE_DIR``; a service sets ``/var/lib/kmdash``; unset: the checkout's ``data/``,
as ``scripts/run`` and the tests use). The paths left unset are taken from it:
``kmdash.duckdb``, ``demo.duckdb``, ``users.json``, ``nip.key``, ``session.key`` (backups go to ``backups/``
beside the database) and, when
``state_dir`` is set, ``log/kmdash.log`` (unset: the log goes to stderr only).

A TOML key this release does not know is ignored with a warning (a newer release's key must
not stop an older one after a rollback), unless it looks like a misspelt known key
(``db_pth``): that is refused.
"""
from __future__ import annotations

import dataclasses
import difflib
import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from data.errors import ConfigError

DATA_DIR = Path(__file__).parent
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    """How one setting is declared: its field, variable, type, default, unit and meaning."""

    field: str
    env: str
    kind: type
    default: object
    unit: str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("state_dir", "KMDASH_STATE_DIR", Path, None, "path",
            "the folder every written file lives under by default (a service: `/var/lib/kmdash`); "
            "unset: the checkout's `data/`"),
    Setting("db_path", "KMDASH_DB", Path, None, "path", "the database file; unset: `<state_dir>/kmdash.duckdb`"),
    Setting("demo_db_path", "KMDASH_DEMO_DB", Path, None, "path",
            "the demo database `scripts/run` builds and serves when `KMDASH_DB` is unset; unset: `<state_dir>/demo.duckdb`"),
    Setting("lock_wait_s", "KMDASH_LOCK_WAIT_S", float, 15.0, "seconds",
            "how long to retry a database locked by another process before giving up"),
    Setting("duckdb_threads", "KMDASH_DUCKDB_THREADS", int, 2, "threads", "DuckDB worker threads per connection"),
    Setting("duckdb_memory_limit", "KMDASH_DUCKDB_MEMORY_LIMIT", str, "2GB", "bytes (DuckDB size text)",
            "DuckDB memory limit per connection"),
    Setting("max_upload_mb", "KMDASH_MAX_UPLOAD_MB", int, 50, "MB",
            "largest file the dashboard accepts (Streamlit `server.maxUploadSize`; nginx `client_max_body_size`)"),
    Setting("backup_dir", "KMDASH_BACKUP_DIR", Path, None, "path",
            "where backups go (`data.admin backup` without a target, pre-upgrade and pre-restore copies); "
            "unset: `backups/` beside the database file (`<state_dir>/backups`)"),
    Setting("log_file", "KMDASH_LOG_FILE", Path, None, "path",
            "also write the key=value log lines to this file; unset: `<state_dir>/log/kmdash.log` when "
            "`state_dir` is set, else stderr only"),
    Setting("log_level", "KMDASH_LOG_LEVEL", str, "INFO", "DEBUG / INFO / WARNING / ERROR", "the least severe log line written"),
    Setting("freshness_max_age_days", "KMDASH_FRESHNESS_MAX_AGE_DAYS", int, 35, "days",
            "`data.admin freshness`: a source whose newest import is older is stale"),
    Setting("freshness_max_data_age_days", "KMDASH_FRESHNESS_MAX_DATA_AGE_DAYS", int, 62, "days",
            "`data.admin freshness`: a dated source (access log, attendance, activities, headcount) whose newest "
            "event or as-of date is older is stale (a month's export arrives during the next month)"),
    Setting("address", "KMDASH_ADDRESS", str, "127.0.0.1", "IP address",
            "`data.admin serve` listens here (behind nginx: 127.0.0.1)"),
    Setting("port", "KMDASH_PORT", int, 8501, "TCP port", "dashboard port (`data.admin serve`, `scripts/run`)"),
    Setting("user", "KMDASH_USER", str, None, "name", "name recorded in the import log (unset: the OS user)"),
    Setting("users_file", "KMDASH_USERS", Path, None, "path",
            "the dashboard's accounts (argon2 hashes; `python -m dashboard.users`); unset: `<state_dir>/users.json`"),
    Setting("nip_key_file", "KMDASH_NIP_KEY_FILE", Path, None, "path",
            "the key of the NIP pseudonyms, part of every backup set (`data/store/pseudonym.py`); unset: `<state_dir>/nip.key`"),
    Setting("session_hours", "KMDASH_SESSION_HOURS", float, 9.0, "hours",
            "how long a dashboard login lasts across reloads and links (`dashboard/session.py`)"),
    Setting("session_key_file", "KMDASH_SESSION_KEY_FILE", Path, None, "path",
            "the key signing the login cookie, created on first use (mode 600); replacing it ends every login; "
            "unset: `<state_dir>/session.key`"),
    Setting("smtp_host", "KMDASH_SMTP_HOST", str, None, "host name",
            "mail server the reports are sent through (`python -m reports send`, `run-due`); unset: nothing is sent"),
    Setting("smtp_port", "KMDASH_SMTP_PORT", int, 587, "TCP port", "the mail server's port (587 submission, 25 relay)"),
    Setting("smtp_user", "KMDASH_SMTP_USER", str, None, "name", "login at the mail server (unset: no login)"),
    Setting("smtp_password", "KMDASH_SMTP_PASSWORD", str, None, "secret",
            "password of `smtp_user`; keep it in the environment or a TOML file only its service reads"),
    Setting("smtp_from", "KMDASH_SMTP_FROM", str, None, "e-mail address", "sender of the reports and alerts"),
    Setting("smtp_starttls", "KMDASH_SMTP_STARTTLS", bool, True, "true / false",
            "upgrade the connection with STARTTLS before logging in (false only for a local relay)"),
    Setting("login_max_failures", "KMDASH_LOGIN_MAX_FAILURES", int, 5, "attempts",
            "failed logins for one account name or from one address that lock it out (`dashboard/throttle.py`)"),
    Setting("login_window_s", "KMDASH_LOGIN_WINDOW_S", float, 900.0, "seconds",
            "the failures counted are those of this last stretch of time"),
    Setting("login_lockout_s", "KMDASH_LOGIN_LOCKOUT_S", float, 900.0, "seconds", "how long a lockout lasts"),
    Setting("client_address_header", "KMDASH_CLIENT_ADDRESS_HEADER", str, None, "HTTP header name",
            "behind nginx: `X-Real-IP` (the client address for login throttling); unset: the socket's address"),
)


@dataclass(frozen=True)
class Settings:
    """The settings in force (see ``SETTINGS`` for units and meaning); every path is filled
    in from ``state_dir`` when unset, except ``backup_dir`` (None: ``backups/`` beside the
    database) and ``log_file`` (None: stderr only)."""

    state_dir: Path
    db_path: Path
    demo_db_path: Path
    lock_wait_s: float
    duckdb_threads: int
    duckdb_memory_limit: str
    max_upload_mb: int
    backup_dir: Path | None
    log_file: Path | None
    log_level: str
    freshness_max_age_days: int
    freshness_max_data_age_days: int
    address: str
    port: int
    user: str | None
    users_file: Path
    nip_key_file: Path
    session_hours: float
    session_key_file: Path
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_from: str | None
    smtp_starttls: bool
    login_max_failures: int
    login_window_s: float
    login_lockout_s: float
    client_address_header: str | None


_TOML_CACHE: dict[tuple[str, int], dict] = {}


def config_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The TOML file in force: ``$KMDASH_CONFIG``, else ``./kmdash.toml`` if present, else None.

    Raises:
        ConfigError: ``$KMDASH_CONFIG`` names a file that does not exist.
    """
    environ = os.environ if environ is None else environ
    named = environ.get("KMDASH_CONFIG")
    if named:
        if not Path(named).is_file():
            raise ConfigError(f"KMDASH_CONFIG={named}: no such file")
        return Path(named)
    local = Path("kmdash.toml")
    return local if local.is_file() else None


def _read_toml(path: Path) -> dict:
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _TOML_CACHE:
        try:
            _TOML_CACHE[key] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return _TOML_CACHE[key]


_FLAGS = {"true": True, "yes": True, "1": True, "on": True, "false": False, "no": False, "0": False, "off": False}


def _flag(value: object) -> bool:
    """A TOML boolean, or the text true/false, yes/no, 1/0, on/off (any case).

    Raises:
        ValueError: anything else.
    """
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in _FLAGS:
        return _FLAGS[str(value).strip().lower()]
    raise ValueError(value)


def _convert(setting: Setting, value: object, origin: str, base: Path | None) -> object:
    """``value`` as the setting's type; relative TOML paths are taken from ``base``.

    Raises:
        ConfigError: the value cannot be read as the setting's type.
    """
    if value is None or value == "":
        return setting.default
    try:
        if setting.kind is Path:
            path = Path(str(value)).expanduser()
            return base / path if base is not None and not path.is_absolute() else path
        if setting.kind is bool:
            return _flag(value)
        if setting.kind is int and isinstance(value, float) or isinstance(value, bool):
            raise ValueError(value)
        converted = setting.kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: {value!r} is not a valid {setting.kind.__name__} ({setting.unit})") from exc
    if setting.kind in (int, float) and converted < 0:
        raise ConfigError(f"{origin}: {value!r} must not be negative ({setting.unit})")
    return converted


def load_settings(environ: Mapping[str, str] | None = None, toml_path: Path | None = None) -> Settings:
    """The settings from defaults, the TOML file (``toml_path``, else ``config_file``) and ``environ``.

    Raises:
        ConfigError: an unknown key in the TOML file, invalid TOML, or a value of the wrong type.
    """
    environ = os.environ if environ is None else environ
    toml_path = toml_path or config_file(environ)
    table = _read_toml(toml_path) if toml_path else {}
    _check_keys(toml_path, table)
    values = {}
    for s in SETTINGS:
        value = _convert(s, table.get(s.field), f"{toml_path}: {s.field}", toml_path.parent if toml_path else None)
        if environ.get(s.env):
            value = _convert(s, environ[s.env], s.env, None)
        values[s.field] = value
    return Settings(**_state_defaults(values))


def _check_keys(toml_path: Path | None, table: dict) -> None:
    """Refuse a misspelt key; warn about (and ignore) one this release does not know.

    Raises:
        ConfigError: a key close to a known one (``db_pth``, ``lock_wait``).
    """
    known = sorted(s.field for s in SETTINGS)
    for key in sorted(set(table) - set(known)):
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        prefix = [k for k in known if k.startswith(key) or key.startswith(k)]
        if close or prefix:
            near = (close or prefix)[0]
            raise ConfigError(f"{toml_path}: unknown setting {key} (did you mean {near}?); known: {', '.join(known)}")
        log.warning("config file=%s unknown_setting=%s ignored=true (a newer release's setting?)", toml_path, key)


def _state_defaults(values: dict) -> dict:
    """Fill the unset paths from ``state_dir`` (itself defaulting to the checkout's ``data/``)."""
    explicit_state = values["state_dir"] is not None
    state = values["state_dir"] = values["state_dir"] or DATA_DIR
    for field, name in (("db_path", "kmdash.duckdb"), ("demo_db_path", "demo.duckdb"), ("users_file", "users.json"),
                        ("nip_key_file", "nip.key"), ("session_key_file", "session.key")):
        values[field] = values[field] or state / name
    if values["log_file"] is None and explicit_state:
        values["log_file"] = state / "log" / "kmdash.log"
    return values


def settings() -> Settings:
    """The settings in force now (``load_settings`` on ``os.environ``)."""
    return load_settings()


def operator_name() -> str:
    """Who is recorded for work done outside a dashboard login (imports, undos, erasures
    from the command line): the ``user`` setting (``$KMDASH_USER``), else the OS user."""
    import getpass
    return settings().user or getpass.getuser()


def describe() -> list[dict]:
    """One dict per setting (``env``, ``toml_key``, ``default``, ``unit``, ``meaning``), for docs."""
    return [{"env": s.env, "toml_key": s.field, "default": s.default, "unit": s.unit, "meaning": s.meaning}
            for s in SETTINGS]


__all__ = ["Settings", "SETTINGS", "settings", "operator_name", "load_settings", "config_file", "describe", "ConfigError"]
assert [f.name for f in dataclasses.fields(Settings)] == [s.field for s in SETTINGS]
