"""Backup sets (data.ops.backup_set via data.admin): what a set holds, restoring it on another
machine, and refusing a damaged or incomplete one before anything is touched."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from data import admin
from data.ops import backup_set
from data.store import connection, pseudonym
from data.errors import BackupError, SchemaTooNew
from data.ingest import ingest_paths
from data.store.migrations import CURRENT_VERSION
from metrics.report import build_report
from tests.conftest import REPO
from tests.test_admin import _v1

FIXTURES = REPO / "tests" / "fixtures"


def _report(db: Path, year: int = 2026) -> str:
    with connection.connect(db, read_only=True) as con:
        return json.dumps(build_report(con, year), sort_keys=True)


@pytest.fixture
def machine_a(tmp_path, monkeypatch) -> Path:
    """A state directory with a database of the hand-made fixture, its key and a users file."""
    state = tmp_path / "machine-a"
    monkeypatch.setenv("KMDASH_STATE_DIR", str(state))
    for name in ("KMDASH_DB", "KMDASH_NIP_KEY_FILE", "KMDASH_USERS", "KMDASH_BACKUP_DIR", "KMDASH_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    state.mkdir()
    _v1(state / "kmdash.duckdb")
    with connection.connect(state / "kmdash.duckdb"):  # upgraded: NIPs pseudonymised with a new key in state/nip.key
        pass
    (state / "users.json").write_text('{"users": []}\n')
    return state


def _on_machine(monkeypatch, state: Path) -> None:
    monkeypatch.setenv("KMDASH_STATE_DIR", str(state))


def test_a_set_holds_database_key_users_and_a_manifest_with_their_checksums(machine_a, tmp_path):
    written = admin.backup(tmp_path / "set1")
    assert sorted(p.name for p in written.iterdir()) == ["kmdash.duckdb", "manifest.json", "nip.key", "users.json"]
    manifest = json.loads((written / "manifest.json").read_text())
    for name in ("kmdash.duckdb", "nip.key", "users.json"):
        content = (written / name).read_bytes()
        assert manifest["files"][name] == {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    assert manifest["schema_version"] == CURRENT_VERSION and manifest["release"]
    assert (written / "nip.key").read_bytes() == (machine_a / "nip.key").read_bytes()
    assert manifest["rows"]["employee"] == 6 and manifest["rows"]["access_event"] == 4


def test_a_set_is_readable_by_its_owner_only(machine_a, tmp_path):
    written = admin.backup(tmp_path / "set1")
    assert stat.S_IMODE(written.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in written.iterdir()} == {0o600}


def test_a_pre_upgrade_backup_is_readable_by_its_owner_only(tmp_path):
    _v1(tmp_path / "old.duckdb")
    with connection.connect(tmp_path / "old.duckdb"):
        pass
    (written,) = (tmp_path / "backups").glob("old-v1-*.duckdb")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    checksum = (tmp_path / "backups" / f"{written.name}.sha256").read_text().split()[0]
    assert checksum == hashlib.sha256(written.read_bytes()).hexdigest()


def test_backup_without_target_goes_to_the_backup_folder_named_after_the_database(machine_a):
    written = admin.backup()
    assert written.parent == machine_a / "backups" and written.name.startswith("kmdash-2")


def test_backup_into_an_existing_folder_puts_a_timestamped_set_in_it(machine_a, tmp_path):
    (tmp_path / "daily").mkdir()
    written = admin.backup(tmp_path / "daily")
    assert written.parent == tmp_path / "daily" and (written / "manifest.json").is_file()


def test_backup_refuses_a_target_that_is_an_existing_file(machine_a, tmp_path, capsys):
    (tmp_path / "b.duckdb").write_bytes(b"keep me")
    assert admin.main(["backup", str(tmp_path / "b.duckdb")]) == 2
    assert "exists already" in capsys.readouterr().err
    assert (tmp_path / "b.duckdb").read_bytes() == b"keep me"


def test_backup_refuses_a_key_file_that_does_not_belong_to_the_database(machine_a, tmp_path, capsys):
    (machine_a / "nip.key").write_text("0" * 64 + "\n")
    assert admin.main(["backup", str(tmp_path / "set1")]) == 2
    assert "does not belong" in capsys.readouterr().err
    assert not list(tmp_path.glob("set1*"))


def test_backup_waits_for_a_running_import_to_finish(machine_a, tmp_path):
    writer = duckdb.connect(str(machine_a / "kmdash.duckdb"))  # holds the write lock, as an import does
    backup = subprocess.Popen([sys.executable, "-m", "data.admin", "backup", str(tmp_path / "b")], cwd=REPO,
                              env={**os.environ, "KMDASH_LOCK_WAIT_S": "60"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert backup.poll() is None
    writer.close()
    assert backup.wait(timeout=60) == 0
    assert (tmp_path / "b" / "manifest.json").is_file()


def test_backup_keeps_the_schema_version_of_an_old_database(tmp_path, monkeypatch):
    _on_machine(monkeypatch, tmp_path / "state")
    written = admin.backup(tmp_path / "set", db=_v1(tmp_path / "old.duckdb"))
    con = duckdb.connect(str(written / "kmdash.duckdb"), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [("1",)]
    con.close()


def test_keep_days_deletes_older_sets_of_this_database_only(machine_a, tmp_path):
    folder = tmp_path / "daily"
    folder.mkdir()
    old = admin.backup(folder / "kmdash-20260101T013000")
    other = folder / "notes-20260101"
    other.mkdir()
    month_ago = time.time() - 31 * 86400
    for path in (old, other):
        os.utime(path, (month_ago, month_ago))
    newest = admin.backup(folder, keep_days=30)
    assert sorted(p.name for p in folder.iterdir()) == sorted([newest.name, "notes-20260101"])


def test_restore_on_a_fresh_machine_brings_back_key_and_users_so_imports_still_join(machine_a, tmp_path, monkeypatch):
    written = admin.backup(tmp_path / "set1")
    before = _report(machine_a / "kmdash.duckdb")
    machine_b = tmp_path / "machine-b"  # other paths, no key, no database
    _on_machine(monkeypatch, machine_b)
    assert admin.main(["restore", str(written)]) == 0
    assert (machine_b / "nip.key").read_bytes() == (machine_a / "nip.key").read_bytes()
    assert (machine_b / "users.json").read_text() == '{"users": []}\n'
    assert _report(machine_b / "kmdash.duckdb") == before
    results = ingest_paths([FIXTURES / "kpi_rules" / "daftar_pegawai.csv"], db=machine_b / "kmdash.duckdb")
    assert [r.status for r in results] == ["imported"]  # the restored key fits: not refused


def test_the_audit_file_travels_with_the_set(machine_a, tmp_path, monkeypatch):
    from data.ops.audit import record_event
    assert record_event(machine_a / "kmdash.duckdb", "sari", "login", "from 10.0.0.7")
    written = admin.backup(tmp_path / "set1")
    _on_machine(monkeypatch, tmp_path / "machine-b")
    admin.restore(written)
    lines = (tmp_path / "machine-b" / "kmdash.duckdb.audit.jsonl").read_text().splitlines()
    assert [(json.loads(ln)["username"], json.loads(ln)["action"]) for ln in lines] == [("sari", "login")]


def test_restore_over_a_database_saves_the_state_it_replaces_as_a_set(machine_a, tmp_path, monkeypatch):
    written = admin.backup(tmp_path / "set1")
    machine_b = tmp_path / "machine-b"
    _on_machine(monkeypatch, machine_b)
    with connection.connect(machine_b / "kmdash.duckdb") as con:  # nothing imported yet
        assert con.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == 0
    empty = _report(machine_b / "kmdash.duckdb")
    saved = admin.restore(written)
    assert saved.parent == machine_b / "backups" and _report(saved / "kmdash.duckdb") == empty
    assert _report(machine_b / "kmdash.duckdb") == _report(machine_a / "kmdash.duckdb")


def test_restore_refuses_a_database_file_that_is_not_a_kmdash_database(tmp_path, monkeypatch):
    _on_machine(monkeypatch, tmp_path / "state")
    duckdb.connect(str(tmp_path / "other.duckdb")).close()
    with pytest.raises(BackupError, match="not a KM dashboard database"):
        admin.restore(tmp_path / "other.duckdb")
    assert not (tmp_path / "state" / "kmdash.duckdb").exists()


def test_restore_refuses_a_set_from_a_newer_release(machine_a, tmp_path, monkeypatch):
    written = admin.backup(tmp_path / "set1")
    manifest = json.loads((written / "manifest.json").read_text())
    manifest["schema_version"] = CURRENT_VERSION + 1
    del manifest["manifest_sha256"]  # resealed, as a newer release would write it
    manifest["manifest_sha256"] = hashlib.sha256(json.dumps(manifest, sort_keys=True, separators=(",", ":"))
                                                 .encode()).hexdigest()
    (written / "manifest.json").write_text(json.dumps(manifest))
    _on_machine(monkeypatch, tmp_path / "machine-b")
    with pytest.raises(SchemaTooNew):
        admin.restore(written)


def test_restore_of_a_single_database_file_needs_the_key_it_was_written_with(machine_a, tmp_path, monkeypatch):
    (pre_upgrade,) = (machine_a / "backups").glob("kmdash-v1-*.duckdb")  # v1: no pseudonyms yet, so no key needed
    upgraded = admin.backup(tmp_path / "set1") / "kmdash.duckdb"
    _on_machine(monkeypatch, tmp_path / "machine-b")
    with pytest.raises(BackupError, match="restore a backup set"):
        admin.restore(upgraded)
    assert not (tmp_path / "machine-b" / "kmdash.duckdb").exists()
    assert admin.restore(pre_upgrade) is None
    assert _report(tmp_path / "machine-b" / "kmdash.duckdb") == _report(machine_a / "kmdash.duckdb")


def test_any_single_bit_flipped_in_the_manifest_is_found(machine_a, tmp_path):
    written = admin.backup(tmp_path / "set1")
    good = (written / "manifest.json").read_bytes()
    for position in range(0, len(good), 7):
        flipped = bytearray(good)
        flipped[position] ^= 0x01
        (written / "manifest.json").write_bytes(bytes(flipped))
        with pytest.raises(BackupError):
            backup_set.verify_set(written)


def test_verify_accepts_a_complete_set_and_changes_nothing(machine_a, tmp_path, capsys):
    written = admin.backup(tmp_path / "set1")
    assert admin.main(["verify", str(written)]) == 0
    assert capsys.readouterr().out.startswith(f"ok: {written} is complete")


# --- damaged backups: every one refused with one line and exit 2, before anything changes ---

def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "bit_flipped":
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(flipped))
    elif how == "zeroed_header":
        path.write_bytes(b"\0" * 4096 + data[4096:])
    elif how == "zeroed_tail":  # the last written blocks lost (zero-filled), from before the last non-zero byte
        cut = max(0, len(data.rstrip(b"\0")) - 4096)
        path.write_bytes(data[:cut] + b"\0" * (len(data) - cut))
    elif how == "garbage":
        path.write_bytes(bytes((i * 7919) % 251 for i in range(len(data))))


DAMAGES = ["truncated", "bit_flipped", "zeroed_header", "zeroed_tail", "garbage"]


def _state_files(state: Path) -> dict[str, bytes]:
    """Every file of the state directory but the log (which records the refusal)."""
    return {str(p.relative_to(state)): p.read_bytes() for p in sorted(state.rglob("*"))
            if p.is_file() and p.parent.name != "log"}


class Done:
    """What a command run in this process gave: its exit code and output."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _restore_cli(target: Path, state: Path, monkeypatch, capsys) -> Done:
    """``data.admin restore TARGET`` on the machine whose state directory is ``state`` (in this
    process: an uncaught exception would fail the test; the subprocess path is tested below)."""
    _on_machine(monkeypatch, state)
    capsys.readouterr()
    code = admin.main(["restore", str(target)])
    out, err = capsys.readouterr()
    return Done(code, out, "\n".join(ln for ln in err.splitlines() if " level=" not in ln))


@pytest.fixture
def machine_b(machine_a, tmp_path, monkeypatch) -> Path:
    """A second machine holding a database, key and users file of its own (to be left alone)."""
    state = tmp_path / "machine-b"
    _on_machine(monkeypatch, state)
    state.mkdir()
    with connection.connect(state / "kmdash.duckdb"):
        pass
    ingest_paths([FIXTURES / "kpi_rules" / "daftar_pegawai.csv"], db=state / "kmdash.duckdb")
    (state / "users.json").write_text('{"users": ["b"]}\n')
    _on_machine(monkeypatch, machine_a)
    return state


def _assert_refused_and_untouched(done, state: Path, before: dict) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert _state_files(state) == before
    assert not [p for p in state.rglob("*") if "restoring" in p.name or "partial" in p.name]


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("member", ["kmdash.duckdb", "nip.key", "manifest.json"])
def test_restore_refuses_a_damaged_set_before_touching_anything(machine_b, tmp_path, how, member, monkeypatch, capsys):
    written = admin.backup(tmp_path / "set1")
    _damage(written / member, how)
    before = _state_files(machine_b)
    done = _restore_cli(written, machine_b, monkeypatch, capsys)
    _assert_refused_and_untouched(done, machine_b, before)
    assert str(written) in done.stderr


@pytest.mark.parametrize("member", ["kmdash.duckdb", "nip.key", "manifest.json"])
def test_restore_refuses_a_set_missing_a_file(machine_b, tmp_path, member, monkeypatch, capsys):
    written = admin.backup(tmp_path / "set1")
    (written / member).unlink()
    before = _state_files(machine_b)
    done = _restore_cli(written, machine_b, monkeypatch, capsys)
    _assert_refused_and_untouched(done, machine_b, before)
    assert member in done.stderr


@pytest.mark.parametrize("how", DAMAGES)
def test_restore_refuses_a_damaged_pre_upgrade_backup_file(machine_b, machine_a, how, monkeypatch, capsys):
    (pre_upgrade,) = (machine_a / "backups").glob("kmdash-v1-*.duckdb")
    _damage(pre_upgrade, how)
    before = _state_files(machine_b)
    _assert_refused_and_untouched(_restore_cli(pre_upgrade, machine_b, monkeypatch, capsys), machine_b, before)


@pytest.mark.parametrize("how", ["truncated", "bit_flipped", "zeroed_header", "garbage"])
def test_restore_refuses_a_damaged_database_file_without_checksum(machine_b, machine_a, how, monkeypatch, capsys):
    # an older release's backup has no .sha256: DuckDB's block checksums find the damage while staging
    (pre_upgrade,) = (machine_a / "backups").glob("kmdash-v1-*.duckdb")
    pre_upgrade.with_name(pre_upgrade.name + ".sha256").unlink()
    _damage(pre_upgrade, how)
    before = _state_files(machine_b)
    _assert_refused_and_untouched(_restore_cli(pre_upgrade, machine_b, monkeypatch, capsys), machine_b, before)


@pytest.mark.parametrize("how", ["truncated", "zeroed_header"])
def test_commands_on_a_damaged_database_give_one_line_and_exit_2(machine_a, tmp_path, how):
    _damage(machine_a / "kmdash.duckdb", how)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KMDASH_")}, "KMDASH_STATE_DIR": str(machine_a)}
    for args in (["check"], ["backup", str(tmp_path / "set1")]):
        done = subprocess.run([sys.executable, "-m", "data.admin", *args], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 2 and "Traceback" not in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)
    assert not list(tmp_path.glob("set1*"))


def test_restore_of_a_damaged_set_from_the_command_line_is_one_line_and_exit_2(machine_b, tmp_path):
    written = admin.backup(tmp_path / "set1")
    _damage(written / "kmdash.duckdb", "bit_flipped")
    before = _state_files(machine_b)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KMDASH_")}, "KMDASH_STATE_DIR": str(machine_b)}
    done = subprocess.run([sys.executable, "-m", "data.admin", "restore", str(written)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    _assert_refused_and_untouched(done, machine_b, before)
    assert done.stderr.strip() == f"{written / 'kmdash.duckdb'}: checksum differs from the manifest (damaged or altered)"
