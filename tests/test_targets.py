"""Targets as data (``metrics.targets``): precedence, logging, and their effect on the
overview, on the hand-made store of ``tests/fixtures/metrics_core/`` (2026 rates: Dinkes
3/4 = 0.75, Disdik 3/2 = 1.5, Bapenda 1/5 = 0.2, Dishub undefined; province 7/11)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest

from data.store import connect
from metrics.overview import data_version, overview
from metrics.targets import TargetError, change_log, effective_target, set_headcount, set_target

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)

DINKES, BAPENDA = "Dinas Kesehatan", "Badan Pendapatan Daerah"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    return world.build(tmp_path_factory.mktemp("targets") / "core.duckdb", aggregate=True)


@pytest.fixture
def core_db(template_db, tmp_path) -> Path:
    """A private copy of the hand-made store (tests here write targets)."""
    return Path(shutil.copy(template_db, tmp_path / "core.duckdb"))


def test_without_rows_the_target_is_half(core_db):
    with connect(core_db, read_only=True) as con:
        assert effective_target(con, 2026) == 0.5 and effective_target(con, 2026, DINKES) == 0.5


def test_the_most_specific_row_wins(core_db):
    with connect(core_db) as con:
        set_target(con, year=None, skpd=None, target=0.4, by="pusdatin")
        set_target(con, year=2026, skpd=None, target=0.6, by="pusdatin")
        set_target(con, year=None, skpd=DINKES, target=0.7, by="pusdatin")
        set_target(con, year=2026, skpd=DINKES, target=0.8, by="pusdatin")
        assert effective_target(con, 2026, DINKES) == 0.8      # (year, agency)
        assert effective_target(con, 2027, DINKES) == 0.7      # (every year, agency)
        assert effective_target(con, 2026, BAPENDA) == 0.6     # (year, every agency)
        assert effective_target(con, 2027, BAPENDA) == 0.4     # (every year, every agency)


def test_every_change_is_logged_with_old_and_new(core_db):
    with connect(core_db) as con:
        set_target(con, year=2026, skpd=DINKES, target=0.6, by="ani")
        set_target(con, year=2026, skpd=DINKES, target=0.65, by="budi", note="revisi")
        set_target(con, year=2026, skpd=DINKES, target=None, by="ani")
        log = change_log(con)
    assert list(zip(log["changed_by"], log["old_value"].fillna(-1), log["new_value"].fillna(-1))) == [
        ("ani", 0.65, -1), ("budi", 0.6, 0.65), ("ani", -1, 0.6)]                      # newest first


@pytest.mark.parametrize("bad", [0, -0.1, 1.2])
def test_a_target_outside_zero_to_one_is_refused(core_db, bad):
    with connect(core_db) as con, pytest.raises(TargetError):
        set_target(con, year=2026, skpd=None, target=bad, by="x")


def test_an_agency_target_decides_its_status_and_exactly_the_target_is_met(core_db):
    with connect(core_db) as con:
        set_target(con, year=2026, skpd=BAPENDA, target=0.2, by="pusdatin")          # Bapenda's rate is 1/5 = 0.2
        view = overview(con, 2026)
    row = view.skpd.set_index("skpd").loc[BAPENDA]
    assert row["utilisation_target"] == 0.2 and row["target_status"] == "met"
    assert view.skpd_reaching_target == 3                                             # Dinkes, Disdik, Bapenda


def test_a_year_target_moves_the_province_target(core_db):
    with connect(core_db) as con:
        set_target(con, year=2026, skpd=None, target=0.8, by="pusdatin")
        view = overview(con, 2026)
    assert view.target == 0.8
    assert view.skpd_reaching_target == 1                                             # only Disdik 1.5 >= 0.8


def test_a_headcount_edit_replaces_the_recap_row_and_is_logged(core_db):
    with connect(core_db) as con:
        before = data_version(con)
        set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 6, 30), headcount=2, by="pusdatin")
        view = overview(con, 2026)
        log = change_log(con)
        assert data_version(con) != before
    assert view.skpd.set_index("skpd").loc[BAPENDA, "utilisation_rate"] == pytest.approx(1 / 2)
    assert (log.loc[0, "item"], log.loc[0, "old_value"], log.loc[0, "new_value"]) == ("headcount", 5, 2)


def test_a_headcount_edit_needs_an_existing_recap(core_db):
    with connect(core_db) as con, pytest.raises(TargetError):
        set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 1, 1), headcount=3, by="x")
