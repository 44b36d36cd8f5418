"""The installed commands (pyproject.toml ``[project.scripts]``): ``kmdash-admin``,
``kmdash-ingest``, ``kmdash-undo``, ``kmdash-erase``, ``kmdash-report``, ``kmdash-award``,
``kmdash-users``, ``kmdash-build-demo``, ``kmdash-reports``. Each runs the module's own
``main`` (the same as ``python -m <module>``), from any working directory; the modules set
their own file modes (``data.command``: umask 077). Run by root while the state directory
belongs to another user (the service's), a command is refused (exit 2): what root created
there (a users file, a database's WAL) would be unreadable by the service.
"""
from __future__ import annotations

import importlib
import os
import sys

def refuse_root_in_foreign_state() -> str | None:
    """Why root must not run a command here: the state directory belongs to another user
    (the service's), and a file root creates in it (a users file, a database's WAL) would
    be unreadable by the service. None when fine (not root, or root's own state directory).
    """
    if os.geteuid() != 0:
        return None
    from data.config import settings
    from data.errors import ConfigError
    try:
        state = settings().state_dir
    except ConfigError:
        return None  # the command itself reports the setting
    if state.is_dir() and state.stat().st_uid != 0:
        return (f"run this as the owner of {state}, not as root, e.g. "
                f"runuser -u {_owner(state)} -- env KMDASH_CONFIG=/etc/kmdash/kmdash.toml {os.path.basename(sys.argv[0])} ...")
    return None


def _owner(path) -> str:
    import pwd
    try:
        return pwd.getpwuid(path.stat().st_uid).pw_name
    except KeyError:
        return str(path.stat().st_uid)


def _run(module: str) -> int:
    refusal = refuse_root_in_foreign_state()
    if refusal:
        sys.stderr.write(refusal + "\n")
        return 2
    return importlib.import_module(module).main(sys.argv[1:])


def admin() -> int:
    return _run("data.admin")


def ingest() -> int:
    return _run("data.ingest")


def undo() -> int:
    return _run("data.undo")


def erase() -> int:
    return _run("data.erase")


def report() -> int:
    return _run("metrics.report")


def award() -> int:
    return _run("metrics.award")


def users() -> int:
    return _run("dashboard.users")


def build_demo() -> int:
    return _run("data.demo.build")


def reports() -> int:
    return _run("reports.__main__")
