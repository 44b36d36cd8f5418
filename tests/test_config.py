"""Settings in one place (data.config), the logging set-up, and the upload limit that the
app, Streamlit's config and the nginx example must agree on."""
from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import pytest

from data import config
from data.store import connection
from data.config import SETTINGS, Settings, load_settings
from data.errors import ConfigError
from data.logging_setup import configure_logging
from tests.conftest import REPO


def test_defaults_apply_without_environment_or_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.db_path == REPO / "data" / "kmdash.duckdb"
    assert (settings.lock_wait_s, settings.duckdb_threads, settings.max_upload_mb, settings.port) == (15.0, 2, 50, 8501)
    assert settings.backup_dir is None and settings.log_file is None


def test_every_written_file_lives_under_the_state_directory_when_one_is_set(tmp_path):
    settings = load_settings({"KMDASH_STATE_DIR": "/var/lib/kmdash"})
    state = Path("/var/lib/kmdash")
    assert (settings.db_path, settings.users_file, settings.nip_key_file, settings.log_file) == (
        state / "kmdash.duckdb", state / "users.json", state / "nip.key", state / "log" / "kmdash.log")
    assert connection.backup_dir_for(settings.db_path) == state / "backups"


def test_without_a_state_directory_the_checkout_data_folder_holds_the_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert (settings.state_dir, settings.users_file, settings.nip_key_file) == (
        REPO / "data", REPO / "data" / "users.json", REPO / "data" / "nip.key")


def test_a_path_set_explicitly_wins_over_the_state_directory(tmp_path):
    settings = load_settings({"KMDASH_STATE_DIR": str(tmp_path), "KMDASH_NIP_KEY_FILE": "/etc/kmdash/nip.key"})
    assert settings.nip_key_file == Path("/etc/kmdash/nip.key") and settings.db_path == tmp_path / "kmdash.duckdb"


def test_environment_variable_overrides_the_toml_file(tmp_path):
    toml = tmp_path / "kmdash.toml"
    toml.write_text("port = 9000\nlock_wait_s = 3\n")
    settings = load_settings({"KMDASH_CONFIG": str(toml), "KMDASH_PORT": "9100"})
    assert (settings.port, settings.lock_wait_s) == (9100, 3.0)


def test_relative_path_in_toml_file_is_taken_from_the_file_folder(tmp_path):
    toml = tmp_path / "etc" / "kmdash.toml"
    toml.parent.mkdir()
    toml.write_text('db_path = "db/km.duckdb"\n')
    assert load_settings({}, toml).db_path == tmp_path / "etc" / "db" / "km.duckdb"


def test_kmdash_toml_in_working_folder_is_read_when_no_file_is_named(tmp_path, monkeypatch):
    (tmp_path / "kmdash.toml").write_text("max_upload_mb = 10\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings({}).max_upload_mb == 10


def test_misspelt_toml_key_is_refused_by_name(tmp_path):
    toml = tmp_path / "kmdash.toml"
    toml.write_text("lock_wait = 3\n")
    with pytest.raises(ConfigError, match="unknown setting lock_wait .did you mean lock_wait_s"):
        load_settings({}, toml)


def test_key_of_a_newer_release_is_ignored_with_a_warning_so_a_rollback_starts(tmp_path, caplog):
    toml = tmp_path / "kmdash.toml"
    toml.write_text("port = 9000\nreport_mail_server = 'smtp.jakarta.go.id'\n")
    with caplog.at_level(logging.WARNING, logger="data.config"):
        assert load_settings({}, toml).port == 9000
    assert "unknown_setting=report_mail_server ignored=true" in caplog.text


def test_value_of_wrong_type_names_the_variable():
    with pytest.raises(ConfigError, match="KMDASH_LOCK_WAIT_S"):
        load_settings({"KMDASH_LOCK_WAIT_S": "lima belas"})


def test_named_config_file_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_settings({"KMDASH_CONFIG": str(tmp_path / "missing.toml")})


def test_store_takes_database_path_and_threads_from_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("KMDASH_DB", str(tmp_path / "env.duckdb"))
    monkeypatch.setenv("KMDASH_DUCKDB_THREADS", "1")
    assert connection.db_path() == tmp_path / "env.duckdb"
    with connection.connect() as con:
        assert con.execute("SELECT current_setting('threads')").fetchall()[0][0] == 1


def test_settings_dataclass_declares_every_setting_once():
    assert list(Settings.__dataclass_fields__) == [s.field for s in SETTINGS]
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)


def test_deployment_guide_lists_every_setting_with_its_default():
    guide = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    for row in config.describe():
        line = next((ln for ln in guide.splitlines() if ln.startswith(f"| `{row['env']}`")), None)
        assert line is not None, f"{row['env']} missing from docs/deployment.md"
        assert f"`{row['toml_key']}`" in line
        if isinstance(row["default"], (int, float, str)):
            assert f"`{row['default']:g}`" in line if isinstance(row["default"], float) else f"`{row['default']}`" in line


def _default(field: str):
    return next(s.default for s in SETTINGS if s.field == field)


def test_upload_limit_agrees_in_app_streamlit_config_and_nginx():
    app_mb = _default("max_upload_mb")
    streamlit_mb = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    nginx = (REPO / "deploy" / "nginx-kmdash.conf").read_text()
    nginx_mb = int(re.search(r"^\s*client_max_body_size\s+(\d+)m;", nginx, re.M).group(1))
    assert streamlit_mb == app_mb == 50
    assert nginx_mb == app_mb + 1


@pytest.fixture
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_log_lines_are_key_value_on_stderr_and_in_the_log_file(tmp_path, capsys, restore_root_logger):
    log_file = tmp_path / "logs" / "kmdash.log"
    configure_logging(load_settings({"KMDASH_LOG_FILE": str(log_file)}))
    logging.getLogger("data.store.load").info("import kind=%s import_id=%s", "roster", 7)
    line = log_file.read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0700 level=INFO logger=data.store.load import kind=roster import_id=7", line)
    assert line in capsys.readouterr().err


def test_configuring_logging_twice_writes_each_line_once(capsys, restore_root_logger):
    configure_logging(load_settings({}))
    configure_logging(load_settings({}))
    logging.getLogger("data.admin").warning("backup reason=test")
    assert capsys.readouterr().err.count("backup reason=test") == 1


def test_unknown_log_level_is_refused():
    with pytest.raises(ConfigError, match="log_level"):
        configure_logging(load_settings({"KMDASH_LOG_LEVEL": "LOUD"}))


def test_example_toml_file_in_deploy_is_valid(tmp_path):
    example = REPO / "deploy" / "kmdash.toml.example"
    settings = load_settings({}, example)
    assert settings.db_path == Path("/var/lib/kmdash/kmdash.duckdb")
    assert settings.max_upload_mb == _default("max_upload_mb")
