"""The installed kmdash-* commands (data.cli): each runs its module's main, and none runs as
root in a state directory that belongs to the service user."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib

import pytest

from data import cli
from tests.conftest import REPO


def test_every_console_script_names_a_wrapper_whose_module_has_a_main():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    for name, target in scripts.items():
        module, function = target.split(":")
        assert module == "data.cli" and callable(getattr(cli, function)), name
    for module in ("data.admin", "data.ingest", "data.undo", "data.erase", "metrics.report", "metrics.award",
                   "dashboard.users", "data.demo.build", "reports.__main__"):
        assert callable(importlib.import_module(module).main), module


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
def test_root_is_refused_in_a_state_directory_of_another_user(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    os.chown(state, 65534, 65534)  # nobody: standing for the service user
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KMDASH_")}, "KMDASH_STATE_DIR": str(state)}
    done = subprocess.run([sys.executable, "-c", "import sys; from data.cli import users; sys.exit(users())",
                           "add", "sari", "--role", "pusdatin", "--password-stdin"], input="rahasia\n", cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "not as root" in done.stderr and "runuser -u nobody" in done.stderr
    assert list(state.iterdir()) == []  # no users file root would own


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
def test_root_may_run_commands_in_its_own_state_directory(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KMDASH_")}, "KMDASH_STATE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", "import sys; from data.cli import admin; sys.exit(admin())", "check"],
                          cwd="/", env={**env, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"no database at {tmp_path / 'kmdash.duckdb'}" in done.stderr
