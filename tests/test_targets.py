"""Targets as data (``metrics.targets``): precedence, logging, and their effect on the
overview, on the hand-made store of ``tests/fixtures/metrics_core/`` (2026 rates: Dinkes
3/4 = 0.75, Disdik 3/2 = 1.5, Bapenda 1/5 = 0.2, Dishub undefined; province 7/11)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.store.connection import connect
from data.intake.values import WIB
from metrics.overview import data_version, overview
from metrics.targets import (TargetError, change_log, editable_choices, effective_target, recap_headcount, set_headcount, set_target,
                             target_rows)

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
    assert list(log["note"]) == ["", "revisi", ""]


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
    assert (log.loc[0, "item"], log.loc[0, "old_value"], log.loc[0, "new_value"], log.loc[0, "note"]) == ("headcount", 5, 2, "")


def test_a_headcount_edit_needs_an_existing_recap(core_db):
    with connect(core_db) as con, pytest.raises(TargetError):
        set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 1, 1), headcount=3, by="x")


# --- what mutation testing of metrics.targets looks at (issue 19) ------------------------------

def test_a_target_of_exactly_one_is_accepted_and_a_headcount_of_zero_too(core_db):
    with connect(core_db) as con:
        set_target(con, year=2026, skpd=DINKES, target=1, by="pusdatin")
        set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 6, 30), headcount=0, by="pusdatin")
        assert effective_target(con, 2026, DINKES) == 1.0
        assert con.execute("SELECT headcount FROM headcount_current WHERE skpd = ?", [BAPENDA]).fetchall() == [(0,)]
        with pytest.raises(TargetError, match=r"cannot be negative \(-1\)"):
            set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 6, 30), headcount=-1, by="pusdatin")
        with pytest.raises(TargetError, match="above 0 and at most 1, not 1.01"):
            set_target(con, year=2026, skpd=None, target=1.01, by="pusdatin")


def test_an_unknown_agency_is_refused_by_name_and_nothing_changes(core_db):
    with connect(core_db) as con:
        with pytest.raises(TargetError, match="unknown agency 'Dinas Rahasia': use its official name"):
            set_target(con, year=2026, skpd="Dinas Rahasia", target=0.6, by="x")
        with pytest.raises(TargetError, match="unknown agency 'Dinas Rahasia'"):
            set_headcount(con, skpd="Dinas Rahasia", as_of=dt.date(2026, 6, 30), headcount=3, by="x")
        with pytest.raises(TargetError, match="no headcount recap dated 2026-01-01: import the recap first"):
            set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 1, 1), headcount=3, by="x")
        assert con.execute("SELECT count(*) FROM utilisation_target").fetchall() == [(0,)]
        assert change_log(con).empty


def test_a_change_whose_log_cannot_be_written_changes_nothing(core_db):
    with connect(core_db) as con:
        set_target(con, year=2026, skpd=DINKES, target=0.6, by="ani")
        con.execute("ALTER TABLE target_change RENAME TO target_change_gone")
        with pytest.raises(duckdb.Error):
            set_target(con, year=2026, skpd=DINKES, target=0.9, by="budi")
        with pytest.raises(duckdb.Error):
            set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 6, 30), headcount=2, by="budi")
        assert effective_target(con, 2026, DINKES) == 0.6
        assert con.execute("SELECT headcount FROM headcount_current WHERE skpd = ?", [BAPENDA]).fetchall() == [(5,)]
        assert con.execute("SELECT count(*) FROM import_log WHERE file_format = 'manual'").fetchall() == [(0,)]
        con.execute("ALTER TABLE target_change_gone RENAME TO target_change")             # the connection still works
        set_target(con, year=2026, skpd=DINKES, target=0.7, by="budi")
        assert effective_target(con, 2026, DINKES) == 0.7


def test_the_rows_and_the_log_as_set(core_db):
    before = dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)
    with connect(core_db) as con:
        set_target(con, year=2026, skpd=DINKES, target=0.8, by="ani")
        set_target(con, year=None, skpd=None, target=0.4, by="budi", note="awal")
        set_target(con, year=2026, skpd=None, target=0.6, by="budi")
        new_id = set_headcount(con, skpd=DINKES, as_of=dt.date(2026, 6, 30), headcount=6, by="cici", note="koreksi")
        rows = target_rows(con)
        log = change_log(con)
        newest_two = change_log(con, limit=2)
        imports = con.execute("SELECT import_id, file_name, kind, file_format, imported_by, rows_replaced, status, notes "
                              "FROM import_log WHERE file_format = 'manual'").fetchall()
    after = dt.datetime.now(WIB).replace(tzinfo=None)
    # general rows first: (every year, every agency), then 2026's (every agency before Dinkes)
    assert [tuple(None if pd.isna(v) else v for v in row) for row in rows[["year", "skpd", "target", "set_by"]].itertuples(index=False)] == [
        (None, None, 0.4, "budi"), (2026, None, 0.6, "budi"), (2026, DINKES, 0.8, "ani")]
    assert all(before <= t.to_pydatetime() <= after and t.microsecond == 0 for t in rows["set_at"])
    assert list(log["item"]) == ["headcount", "target", "target", "target"]
    assert log.loc[0, ["changed_by", "skpd", "old_value", "new_value", "note"]].tolist() == ["cici", DINKES, 4.0, 6.0, "koreksi"]
    assert log.loc[0, "as_of"].date() == dt.date(2026, 6, 30) and pd.isna(log.loc[0, "year"])
    assert (log.loc[2, "changed_by"], log.loc[2, "note"], log.loc[2, "new_value"]) == ("budi", "awal", 0.4)
    assert pd.isna(log.loc[2, "year"]) and pd.isna(log.loc[2, "skpd"]) and pd.isna(log.loc[2, "old_value"])
    assert list(newest_two["item"]) == ["headcount", "target"]
    assert new_id == 6                                       # the fixture's imports are 1-5
    assert imports == [(6, "(edited in dashboard)", "headcount", "manual", "cici", 1, "loaded", "koreksi")]


def test_an_old_store_without_the_tables_reads_as_default_only(core_db):
    with connect(core_db) as con:
        con.execute("DROP TABLE utilisation_target")
        con.execute("DROP TABLE target_change")
        assert list(target_rows(con).columns) == ["year", "skpd", "target", "set_at", "set_by"] and target_rows(con).empty
        assert effective_target(con, 2026, DINKES) == 0.5
        assert list(change_log(con).columns) == ["changed_at", "changed_by", "item", "year", "as_of", "skpd",
                                                 "old_value", "new_value", "note"]


def test_the_editor_offers_agencies_by_name_and_recaps_newest_first(core_db):
    with connect(core_db) as con:
        con.execute("INSERT INTO headcount VALUES ('Dinas Kesehatan', DATE '2025-12-31', 4, NULL, NULL, 1, 0, NULL)")
        choices = editable_choices(con)
        names = [r[0] for r in con.execute("SELECT name FROM skpd").fetchall()]
    assert choices["recap_dates"] == [dt.date(2026, 6, 30), dt.date(2025, 12, 31)]
    assert choices["skpd"] == sorted(names) and DINKES in choices["skpd"] and len(names) > 1


def test_the_log_shows_the_newest_500_changes(core_db):
    with connect(core_db) as con:
        con.execute("INSERT INTO target_change SELECT TIMESTAMP '2026-01-01 00:00' + INTERVAL (i) MINUTE, 'x', 'target', "
                    "2026, NULL, NULL, NULL, i, '' FROM range(1, 502) t(i)")                # new values 1..501
        log = change_log(con)
    assert len(log) == 500 and log["new_value"].iloc[0] == 501 and log["new_value"].iloc[-1] == 2


def test_a_headcount_for_an_agency_missing_from_the_recap_is_added(core_db):
    with connect(core_db) as con:
        extra = con.execute("SELECT min(name) FROM skpd WHERE name NOT IN (SELECT skpd FROM headcount)").fetchall()[0][0]
        set_headcount(con, skpd=extra, as_of=dt.date(2026, 6, 30), headcount=7, by="pusdatin")
        added = con.execute("SELECT headcount FROM headcount_current WHERE skpd = ?", [extra]).fetchall()
        replaced = con.execute("SELECT rows_replaced FROM import_log WHERE file_format = 'manual'").fetchall()
        log = change_log(con)
    assert added == [(7,)] and replaced == [(0,)]
    assert pd.isna(log.loc[0, "old_value"]) and log.loc[0, "new_value"] == 7


def test_every_change_is_written_to_the_server_log(core_db, caplog):
    with connect(core_db) as con, caplog.at_level("INFO", logger="metrics.targets"):
        set_target(con, year=2026, skpd=DINKES, target=0.6, by="ani")
        set_headcount(con, skpd=BAPENDA, as_of=dt.date(2026, 6, 30), headcount=2, by="budi")
    assert [r.getMessage() for r in caplog.records if r.name == "metrics.targets"] == [
        "change item=target year=2026 as_of=None skpd=Dinas Kesehatan old=None new=0.6 by=ani",
        "change item=headcount year=None as_of=2026-06-30 skpd=Badan Pendapatan Daerah old=5 new=2 by=budi"]


def test_the_editor_reads_an_agencys_headcount_in_the_chosen_recap(core_db):
    # the world's 30 Jun 2026 recap: Bapenda 5, Dinkes 4 (tests/fixtures/metrics_core)
    june = dt.date(2026, 6, 30)
    with connect(core_db) as con:
        assert (recap_headcount(con, june, BAPENDA), recap_headcount(con, june, DINKES)) == (5, 4)
        assert type(recap_headcount(con, june, BAPENDA)) is int
        assert recap_headcount(con, dt.date(2026, 1, 1), BAPENDA) is None            # no recap of that date
        extra = con.execute("SELECT min(name) FROM skpd WHERE name NOT IN (SELECT skpd FROM headcount)").fetchall()[0][0]
        assert recap_headcount(con, june, extra) is None                               # not in that recap
        set_headcount(con, skpd=BAPENDA, as_of=june, headcount=2, by="pusdatin")
        assert recap_headcount(con, june, BAPENDA) == 2                               # the saved value at once (F12)
