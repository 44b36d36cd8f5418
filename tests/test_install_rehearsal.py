"""docs/deployment.md followed literally, in a temporary root: the installation block, the
first account and import, a backup set, and the restore block on a second machine.

The guide's own ```bash blocks are run, line by line as written, with only what a temporary
root needs changed (``_translate``): every ``/opt/kmdash``, ``/etc/kmdash``, ``/var/lib/kmdash``
path moved under the root; the service user ``kmdash`` replaced by a throwaway system user
(created with useradd when the test runs as root; without root the commands run as the
current user); the clone replaced by a copy of this checkout; lines that change the machine
itself (apt-get, useradd, timedatectl, systemctl) left out, and only those. The blocks run
under umask 027 (a hardened root), so every mode the service user needs is set by the guide
itself. The release is
root's and read-only for the service user (without root: read-only by mode). Machine A
imports the field samples, is served by the unit's own command, backs up; machine B (other
paths, no key, no database) restores the set; both import one more month and must report
the same KPIs (``kmdash-report --format json``).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import FIELD_SAMPLES, REPO

GUIDE = REPO / "docs" / "deployment.md"
SKIPPED = ("apt-get ", "useradd ", "timedatectl ", "systemctl ")  # they change the machine itself
PASSWORD = "rehearsal-pass-2026\n"
# Debian's python3 (what the guide's apt-get installs); a pyenv python under /root is not the service user's
DEBIAN_PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def _block(first_line_containing: str) -> list[str]:
    # by its first line: the upgrade block repeats the installation's and the backup's lines
    (block,) = [b for b in _bash_blocks() if first_line_containing in b.strip().splitlines()[0]]
    return [ln for ln in block.splitlines() if ln.strip()]


class Machine:
    """One temporary root standing for a server: its paths and its service user."""

    def __init__(self, root: Path, user: str | None):
        self.root, self.user = root, user
        for folder in ("/etc", "/etc/systemd", "/etc/systemd/system", "/etc/logrotate.d", "/opt", "/var", "/var/lib"):
            self.path(folder).mkdir(exist_ok=True)  # there on any Debian machine, 0755
            self.path(folder).chmod(0o755)

    def path(self, absolute: str) -> Path:
        return self.root / absolute.lstrip("/")

    @property
    def env_prefix(self) -> list[str]:
        return ["runuser", "-u", self.user, "--"] if self.user else []

    def run_as_service(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        command = [*self.env_prefix, "env", f"KMDASH_CONFIG={self.path('/etc/kmdash/kmdash.toml')}", *args]
        return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=300, cwd="/")


def _translate(line: str, machine: Machine, extra: dict[str, str]) -> list[str]:
    """The guide's line as it runs in ``machine``'s temporary root (see the module docstring)."""
    if line.startswith(SKIPPED):
        return []
    for literal, replacement in extra.items():
        line = line.replace(literal, replacement)
    for prefix in ("/opt/kmdash", "/etc/kmdash", "/var/lib/kmdash", "/etc/systemd/system/", "/etc/logrotate.d/"):
        line = re.sub(rf"(?<![\w/.-]){re.escape(prefix)}", str(machine.path(prefix)), line)
    if machine.user:
        line = re.sub(r"-o kmdash -g kmdash", f"-o {machine.user} -g {machine.user}", line)
        line = re.sub(r"-g kmdash\b", f"-g {machine.user}", line)
        line = line.replace("runuser -u kmdash --", f"runuser -u {machine.user} --")
        line = line.replace("chown -R kmdash:kmdash", f"chown -R {machine.user}:{machine.user}")
    else:
        line = re.sub(r" -o \w+ -g \w+| -o \w+| -g \w+", "", line)
        line = line.replace("runuser -u kmdash -- ", "")
        if line.startswith("chown "):
            return []
    if "kmdash-users add" in line:
        line = f"printf '{PASSWORD.strip()}\\n' | {line} --password-stdin"
    if line.startswith("git clone "):
        destination = line.split()[-1]
        site = Path(destination) / ".venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
        return [f"mkdir -p {destination}",
                f"(cd {REPO} && git ls-files -z --cached --others --exclude-standard -- . ':!:.venv' | "
                f"xargs -0 tar --ignore-failed-read --no-recursion -cf -) | tar -xf - -C {destination}",
                # the venv reuses this test run's packages (the pinned ones): nothing large is downloaded
                f"{DEBIAN_PYTHON} -m venv {destination}/.venv",
                f"echo {sysconfig.get_paths()['purelib']} > {site}/_runner.pth"]
    if line.startswith("install ") and line.endswith(str(machine.path("/etc/kmdash/kmdash.toml"))):
        toml = line.split()[-1]
        return [line, f"sed -i 's#^state_dir = \"/var/lib/kmdash\"#state_dir = \"{machine.path('/var/lib/kmdash')}\"#' {toml}"]
    return [line]


def _run_block(machine: Machine, lines: list[str], extra: dict[str, str] | None = None) -> None:
    # as a root whose umask is hardened (027): the guide must set every mode it needs itself
    script = ["set -euo pipefail", "umask 027"] + [t for ln in lines for t in _translate(ln, machine, extra or {})]
    done = subprocess.run(["bash", "-c", "\n".join(script)], capture_output=True, text=True, timeout=600, cwd="/")
    assert done.returncode == 0, "\n".join(script) + "\n---\n" + done.stdout + done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_like_the_unit(machine: Machine) -> None:
    """The unit's ExecStart, as its user, in its WorkingDirectory, until /_stcore/health answers."""
    unit = (REPO / "deploy" / "kmdash.service").read_text()
    value = lambda key: next(ln.split("=", 1)[1] for ln in unit.splitlines() if ln.startswith(f"{key}="))  # noqa: E731
    command = [part.replace("/opt/kmdash", str(machine.path("/opt/kmdash"))) for part in value("ExecStart").split()]
    port = _free_port()
    proc = subprocess.Popen([*machine.env_prefix, "env", f"KMDASH_CONFIG={machine.path('/etc/kmdash/kmdash.toml')}",
                             f"KMDASH_PORT={port}", *command], cwd=value("WorkingDirectory").replace(
                                 "/opt/kmdash", str(machine.path("/opt/kmdash"))),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                return
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"the unit's command exited {proc.returncode}: {proc.stderr.read()}")
                assert time.monotonic() < deadline, "no answer on /_stcore/health within 90 s"
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _report(machine: Machine) -> dict:
    done = machine.run_as_service(str(machine.path("/opt/kmdash/current/.venv/bin/kmdash-report")), "--year", "2026",
                                  "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _ingest(machine: Machine, path: Path) -> None:
    done = machine.run_as_service(str(machine.path("/opt/kmdash/current/.venv/bin/kmdash-ingest")), str(path))
    assert done.returncode == 0, done.stdout + done.stderr


def _files(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*") if ".venv" not in p.parts}


@pytest.fixture
def service_user():
    """A throwaway system user when root (removed afterwards); None without root."""
    if os.geteuid() != 0:
        yield None
        return
    name = f"kmrh{os.getpid() % 100000}"
    subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                    "/usr/sbin/nologin", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False)


@pytest.fixture
def roots():
    """Two temporary roots every user can traverse (pytest's own tmp folder is root's 0700)."""
    made = [Path(tempfile.mkdtemp(prefix=f"kmdash-rehearsal-{n}-", dir="/tmp")) for n in ("a", "b")]
    for root in made:
        root.chmod(0o755)
    yield made
    for root in made:
        subprocess.run(["chmod", "-R", "u+w", str(root)], check=False)
        shutil.rmtree(root, ignore_errors=True)


def _another_month(folder: Path) -> Path:
    """December 2026: the field samples' November log moved a month on (the same people and assets)."""
    november = (FIELD_SAMPLES / "log_akses_portal_km_2026-11.csv").read_text(encoding="utf-8").splitlines()
    december = folder / "log_akses_portal_km_2026-12.csv"
    december.write_text("\n".join([november[0]] + [ln.replace("2026-11-", "2026-12-") for ln in november[1:200]]) + "\n")
    december.chmod(0o644)
    return december


def test_the_guide_installs_imports_backs_up_and_restores_onto_a_second_machine(field_samples, service_user, roots):
    machine_a, machine_b = Machine(roots[0], service_user), Machine(roots[1], service_user)
    install, first_use = _block("apt-get install -y git python3-venv"), _block("kmdash-users add")
    backup, restore = _block("/bin/kmdash-admin backup"), _block("-m 0700 /var/lib/kmdash/backups")

    _run_block(machine_a, install)
    release = machine_a.path("/opt/kmdash/current")
    if service_user is None:
        subprocess.run(["chmod", "-R", "a-w", str(release.resolve())], check=True)  # read-only, as root's would be
    before = _files(release.resolve())
    _run_block(machine_a, first_use, {"/srv/exports/2026-11/": str(field_samples)})
    _serve_like_the_unit(machine_a)
    state = machine_a.path("/var/lib/kmdash")
    assert {"kmdash.duckdb", "nip.key", "users.json"} <= {p.name for p in state.iterdir()}
    assert _files(release.resolve()) == before  # nothing written into the release
    assert not [p for p in state.rglob("*") if p.is_file() and p.stat().st_mode & 0o007]  # nothing for others

    _run_block(machine_a, backup)
    (written,) = machine_a.path("/var/lib/kmdash/backups").glob("kmdash-2*")
    assert not machine_b.path("/var/lib/kmdash").exists()
    _run_block(machine_b, install)
    assert not machine_b.path("/var/lib/kmdash/nip.key").exists()  # a fresh machine: no key, no database
    _run_block(machine_b, restore, {"/media/usb/kmdash-20261130T013000": str(written),
                                    "kmdash-20261130T013000": written.name})
    assert _report(machine_b) == _report(machine_a)

    december = _another_month(roots[0])
    before_december = _report(machine_a)
    _ingest(machine_a, december)
    _ingest(machine_b, december)
    after = _report(machine_a)
    assert after["monthly"] != before_december["monthly"]  # the month counted
    # the same KPIs; only when each machine ran its own import differs
    assert _without_import_times(_report(machine_b)) == _without_import_times(after)


def _without_import_times(report: dict) -> dict:
    """The report without the ``*_at`` times of imports (when a machine imported, not what)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not k.endswith("_at")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(report)
