"""The files of deploy/ as the tools that read them judge them: nginx -t on the site (Debian
12's nginx 1.22), logrotate -d on the rotation snippet, the cron lines, the systemd units."""
from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

DEPLOY = REPO / "deploy"


def _throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", "/CN=km.jakarta.go.id", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.mark.skipif(not shutil.which("nginx") or not shutil.which("openssl"),
                    reason="Debian's nginx and openssl are not installed (scripts/test installs them as root)")
def test_nginx_site_passes_nginx_t_with_a_throwaway_certificate(tmp_path):
    cert, key = _throwaway_certificate(tmp_path)
    site = (DEPLOY / "nginx-kmdash.conf").read_text()
    site = (site.replace("/etc/ssl/kmdash/fullchain.pem", str(cert)).replace("/etc/ssl/kmdash/privkey.pem", str(key))
            .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "kmdash-site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    include {tmp_path}/kmdash-site.conf;\n}}\n")
    done = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                           "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr


def test_nginx_site_writes_http2_as_nginx_1_22_understands_it():
    site = (DEPLOY / "nginx-kmdash.conf").read_text()
    assert not re.search(r"^\s*http2\s+on\s*;", site, re.M)  # nginx >= 1.25 only
    assert re.search(r"^\s*listen 443 ssl http2;", site, re.M)


@pytest.mark.skipif(not shutil.which("logrotate"), reason="Debian's logrotate is not installed")
def test_logrotate_snippet_is_accepted_by_logrotate(tmp_path):
    me = f"{pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name}"  # no kmdash user here
    snippet = ((DEPLOY / "kmdash.logrotate").read_text().replace("/var/lib/kmdash/log/", f"{tmp_path}/")
               .replace("kmdash kmdash", me))
    (tmp_path / "kmdash.log").write_text("ts=2026-11-30T09:12:03+0700 level=INFO logger=data.store.load import\n")
    (tmp_path / "kmdash").write_text(snippet)
    done = subprocess.run(["logrotate", "-d", "-s", str(tmp_path / "status"), str(tmp_path / "kmdash")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower(), done.stderr


def test_logrotate_snippet_rotates_the_state_directory_log_as_the_service_user():
    text = (DEPLOY / "kmdash.logrotate").read_text()
    assert "/var/lib/kmdash/log/*.log {" in text and "su kmdash kmdash" in text
    assert re.search(r"^\s*weekly\s*$", text, re.M)  # one directive per line: "weekly rotate 104 ..." is invalid


def _cron_jobs() -> list[list[str]]:
    lines = [ln for cron in sorted(DEPLOY.glob("*.cron"))
             for ln in cron.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    return [ln.split(None, 6) for ln in lines if "=" not in ln.split()[0]]


def test_cron_jobs_run_as_the_service_user_and_print_only_on_failure():
    jobs = _cron_jobs()
    assert len(jobs) == 3
    for fields in jobs:
        assert fields[5] == "kmdash"
        command = fields[6]
        assert re.fullmatch(r'out=\$\((.+) 2>&1\) \|\| echo "\$out"', command), command
        assert "%" not in command  # cron would cut the line there
        assert subprocess.run(["sh", "-n", "-c", command]).returncode == 0


def test_cron_job_prints_nothing_when_its_command_succeeds_and_its_output_when_it_fails():
    for inner, expected in (("echo 'log line' >&2; true", ""), ("echo 'STALE roster' ; false", "STALE roster\n")):
        command = f'out=$({inner} 2>&1) || echo "$out"'
        assert subprocess.run(["sh", "-c", command], capture_output=True, text=True).stdout == expected


def _unit(name: str) -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";")):
            key, value = line.split("=", 1)
            entries.setdefault(key.strip(), []).append(value.strip())
    return entries


@pytest.mark.parametrize("unit", ["kmdash.service", "kmdash-backup.service", "kmdash-reports.service"])
def test_units_write_only_into_the_state_directory(unit):
    entries = _unit(unit)
    assert entries["ReadWritePaths"] == ["/var/lib/kmdash"]
    assert entries["ProtectSystem"] == ["strict"] and entries["UMask"] == ["0027"]
    assert entries["Environment"][0] == "KMDASH_CONFIG=/etc/kmdash/kmdash.toml"


def test_service_does_not_restart_on_a_start_that_cannot_succeed():
    entries = _unit("kmdash.service")
    assert "2" in entries["RestartPreventExitStatus"][0].split()
    assert entries["Restart"] == ["on-failure"] and entries["StartLimitBurst"] == ["5"]


def test_example_settings_put_every_written_file_under_the_state_directory():
    text = (DEPLOY / "kmdash.toml.example").read_text()
    assert re.search(r'^state_dir = "/var/lib/kmdash"$', text, re.M)
    for key in ("db_path", "users_file", "nip_key_file", "session_key_file", "log_file", "backup_dir"):
        assert not re.search(rf"^{key}\s*=", text, re.M), f"{key} set on its own: KMDASH_STATE_DIR would not move it"


@pytest.mark.skipif(not shutil.which("visudo"), reason="sudo is not installed")
def test_monitoring_sudoers_rule_is_accepted_by_visudo():
    done = subprocess.run(["visudo", "-c", "-f", str(DEPLOY / "kmdash-monitoring.sudoers")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_changelog_names_this_release_and_its_schema_version_first():
    from data.store.migrations import CURRENT_VERSION
    from data.version import RELEASE
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    first = text.split("\n## ")[1]
    assert first.startswith(f"{RELEASE} (tag `v{RELEASE}`)")
    assert f"**{CURRENT_VERSION}**" in first.split("\n\n")[1], "the top entry must name the schema version it ships"


def test_package_version_is_the_release():
    import tomllib
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "data.version.RELEASE"}
    assert "dependencies" in project["project"]["dynamic"]
    scripts = project["project"]["scripts"]
    assert scripts["kmdash-admin"] == "data.cli:admin" and scripts["kmdash-ingest"] == "data.cli:ingest"


# docs/deployment.md's ```bash blocks are pasted into a root shell as they are: each failure found
# by following them on a fresh Debian 12 machine (systemd in a container, issue #20) is kept here.

def _guide_blocks(*docs: str) -> list[list[str]]:
    text = "".join((REPO / doc).read_text(encoding="utf-8") for doc in docs or ("docs/deployment.md",))
    return [[ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
            for block in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_guide_blocks_name_release_files_by_absolute_path_unless_they_cd_into_the_release():
    # "cp deploy/kmdash-reports.service ..." failed in a new root shell (cwd /root): cannot stat
    for block in _guide_blocks("docs/deployment.md", "CHANGELOG.md"):
        inside_release = False
        for line in block:
            inside_release = inside_release or bool(re.match(r"cd /opt/kmdash/", line))
            relative = re.findall(r"(?:^|\s)((?:deploy|scripts|docs)/\S+)", line)
            assert inside_release or not relative, f"{line!r}: {relative} only exists inside the release folder"


def test_guide_blocks_hold_commands_not_synopses():
    # "kmdash-admin check [--db DB] [--format ...]" in a bash block: not on root's PATH, brackets
    for block in _guide_blocks():
        for line in block:
            assert " [--" not in line and "|text" not in line, f"{line!r} is a synopsis, not a command"
            assert not re.match(r"kmdash-\w+ ", line), f"{line!r}: kmdash-* is in /opt/kmdash/current/.venv/bin"


def test_every_unit_the_guide_starts_is_shipped_or_comes_from_a_package_the_guide_installs():
    # "systemctl restart nagios-nrpe-server" with only sudo installed: Unit not found
    blocks = _guide_blocks()
    packages = {pkg for block in blocks for line in block if line.startswith("apt-get ")
                for part in line.split("&&") if "install" in part for pkg in part.split()[3:]
                if not pkg.startswith("-")}
    shipped = {path.stem for path in DEPLOY.glob("*.service")} | {path.name for path in DEPLOY.glob("*.timer")}
    for block in blocks:
        for line in block:
            for command in line.split("&&"):
                words = command.split()
                if words[:1] == ["systemctl"] and words[1] in ("enable", "start", "restart", "reload"):
                    for unit in (w for w in words[2:] if not w.startswith("-")):
                        assert unit in shipped or unit in packages, f"{line!r}: {unit} is neither in deploy/ nor installed"


def test_guide_writes_nrpe_commands_only_after_installing_nrpe():
    # "echo ... > /etc/nagios/nrpe.d/kmdash.cfg": No such file or directory without the package
    (block,) = [b for b in _guide_blocks() if any("/etc/nagios/nrpe.d/" in ln for ln in b)]
    first_write = next(i for i, ln in enumerate(block) if "/etc/nagios/nrpe.d/" in ln)
    assert any(ln.startswith("apt-get install") and "nagios-nrpe-server" in ln for ln in block[:first_write])
    # check_nrpe right after "systemctl restart" (Type=simple) met "Connection refused" on port 5666
    restart = next(i for i, ln in enumerate(block) if "systemctl restart nagios-nrpe-server" in ln)
    assert "sleep" in block[restart] and all("check_nrpe" not in ln for ln in block[:restart])


def test_nrpe_commands_of_the_guide_are_exactly_what_the_sudoers_rule_allows():
    # sudo -n refuses any other argument list: the NRPE check would then fail as UNKNOWN
    rule = [ln for ln in (DEPLOY / "kmdash-monitoring.sudoers").read_text().splitlines() if ln and not ln.startswith("#")]
    (line,) = rule
    user, allowed = re.fullmatch(r"(\S+) ALL=\(kmdash\) NOPASSWD: (.+)", line).groups()
    allowed = {cmd.strip() for cmd in allowed.split(",")}
    nrpe = [ln for block in _guide_blocks() for ln in block if "command[kmdash_" in ln]
    run = {re.search(r"sudo -n -u kmdash (.+?)' >", ln).group(1) for ln in nrpe}
    assert len(nrpe) == 2 and run == allowed
    assert user == "nagios"  # the user Debian's nagios-nrpe-server runs NRPE as


def test_only_the_timer_alternative_cron_file_makes_backups():
    # the freshness mail is installed beside the backup timer: it must not add a second nightly backup
    freshness = (DEPLOY / "kmdash-freshness.cron").read_text()
    assert "kmdash-admin freshness" in freshness and "backup" not in freshness.replace("backup timer", "")
    guide = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    for cron in DEPLOY.glob("*.cron"):
        assert f"/opt/kmdash/current/deploy/{cron.name} /etc/cron.d/" in guide, f"the guide never installs {cron.name}"


def test_changelog_upgrade_from_2026_11_asks_the_old_release_for_every_path_it_wrote():
    # the fixed "/opt/kmdash/releases/2026.11/data/nip.key" failed where 2026.11 set nip_key_file
    (block,) = [b for b in _guide_blocks("CHANGELOG.md") if any("releases/2026.11" in ln for ln in b)
                and any("git clone" in ln for ln in b)]
    loop = next(ln for ln in block if ln.startswith("for f in "))
    pairs = dict(p.split(":") for p in loop.split(";")[0].split()[3:])
    assert pairs == {"db_path": "kmdash.duckdb", "nip_key_file": "nip.key", "users_file": "users.json"}
    assert block.index("cd /opt/kmdash/releases/2026.11") < block.index(loop)
    assert "cp -a /etc/kmdash/kmdash.toml /etc/kmdash/kmdash.toml.2026.11" in block  # the rollback needs it


def test_the_guide_installs_and_upgrades_to_this_release():
    # the install block cloned v2026.12.0 after the release became 2026.12.1
    from data.version import RELEASE
    blocks = _guide_blocks()
    (install,) = [b for b in blocks if any(ln.startswith("useradd ") for ln in b)]
    assert f"git clone --branch v{RELEASE} <repository> /opt/kmdash/releases/{RELEASE}" in install
    assert f"ln -sfn /opt/kmdash/releases/{RELEASE} /opt/kmdash/current" in install
    (upgrade,) = [b for b in blocks if b[0].startswith("new=")]
    assert upgrade[0] == f"new={RELEASE}"
