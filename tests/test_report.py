"""The KPI report (``metrics.report``): its sections and its command line, on the hand-made
store of ``tests/fixtures/metrics_core/`` (cast in tests/test_grain.py). Hand-worked 2026:

| agency                  | headcount | counted users (uses)                         | published |
|-------------------------|-----------|----------------------------------------------|-----------|
| Badan Pendapatan Daerah | 5         | B1 1 Apr (1)                                 | AP-2      |
| Dinas Kesehatan         | 4         | K1 10 Jan + 3 Feb, K2 20 Jan, K3 5 Mar (4)   | AP-1      |
| Dinas Pendidikan        | 2         | D1 1 Feb, D2 2 Feb, D3 3 Mar (3): rate 1.5   | -         |
| Dinas Perhubungan       | 0         | - (rates undefined)                          | -         |

Province: 7 users of 11 (0.636364 rounded to 6 decimals), 8 uses, no attendance. Meetings added
here: CoP Sehat (Dinkes) 10 Feb accompanied and 5 May not, CoP Pajak (Bapenda) 1 Mar accompanied:
3 meetings, 2 accompanied (0.666667); Dinkes 2, 1 (0.5).
Maturity scores added here: CoP Sehat (Dinkes) 2026: 3.5 + 3 + 3.25 + 3.75 + 4 = 17.5, mean 3.5,
level 4 (17.5 is not under 17.5); CoP Pajak (Bapenda) 2023: 2 x 5 = 10, mean 2, level 2 - the only
thing dated in 2023. The only thing of 2022: K1 attends a meeting on 1 Mar 2022 (not registered);
of 2021: CoP Pajak's meeting of 1 Mar 2021 (nobody signed in). Cumulative users by month: Jan {K1, K2} 2, Feb + D1, D2 = 4, Mar + K3, D3 = 6,
Apr + B1 = 7. Left out: the stranger's view (11 Jan), K4's view of the unlisted AP-9 (12 Jan);
rejected at import: a guest row and a short NIP (written in two overlapping files: once).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from data.errors import ConfigError, DatabaseBusy, SchemaTooNew
from data.store.connection import connect
from metrics import report as report_module
from metrics.agencies import official_skpd
from metrics.kpi import Scope
from metrics.report import _num, _records, build_report, main, period_sections
from metrics.targets import set_target

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)

BAPENDA, DINKES, DISDIK, DISHUB = "Badan Pendapatan Daerah", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = world.build(tmp_path_factory.mktemp("report") / "report.duckdb", aggregate=False)
    with connect(path) as con:
        con.execute("INSERT INTO maturity VALUES ('cop sehat', 'Dinas Kesehatan', 2026, 3.5, 3, 3.25, 3.75, 4, NULL, NULL, "
                    "NULL, 5, 0, NULL), ('cop pajak', 'Badan Pendapatan Daerah', 2023, 2, 2, 2, 2, 2, NULL, NULL, NULL, 5, 1, NULL)")
        con.execute("INSERT INTO activity VALUES ('cop sehat', 'Dinas Kesehatan', 'Rapat 1', 'rapat 1', DATE '2026-02-10', "
                    "NULL, true, NULL, NULL, 5, 0, NULL), ('cop sehat', 'Dinas Kesehatan', 'Rapat 2', 'rapat 2', "
                    "DATE '2026-05-05', NULL, false, NULL, NULL, 5, 1, NULL), ('cop pajak', 'Badan Pendapatan Daerah', "
                    "'Rapat 3', 'rapat 3', DATE '2026-03-01', NULL, true, NULL, NULL, 5, 2, NULL), ('cop pajak', "
                    "'Badan Pendapatan Daerah', 'Rapat 0', 'rapat 0', DATE '2021-03-01', NULL, true, NULL, NULL, 5, 3, NULL)")
        con.execute("INSERT INTO attendance VALUES ('198001012005011001', 'cop sehat', 'Rapat', 'rapat', DATE '2022-03-01', "
                    "'Peserta', NULL, NULL, NULL, 3, 0)")
    return path


def _report(store: Path, year: int = 2026, scope: Scope = Scope()) -> dict:
    with connect(store, read_only=True) as con:
        return build_report(con, year, scope)


def test_a_number_is_made_json_safe():
    assert _num(None) is None and _num(float("nan")) is None and _num(np.float64("nan")) is None
    assert _num(2 / 3) == 0.666667 and _num(np.float64(1 / 3)) == 0.333333      # 6 decimals
    assert _num(np.int64(7)) == 7 and type(_num(np.int64(7))) is int and _num(5) == 5
    assert type(_num(np.float64(0.5))) is float and _num(0.0000004) == 0.0


def test_a_tables_rows_are_made_json_safe_with_dates_in_iso_form():
    frame = pd.DataFrame({"day": [dt.date(2026, 3, 31)], "at": [pd.Timestamp("2026-01-02 03:04")], "rate": [2 / 3],
                          "n": np.array([7], dtype="int64"), "gone": [float("nan")]})
    assert _records(frame) == [{"day": "2026-03-31", "at": "2026-01-02T03:04:00", "rate": 0.666667, "n": 7, "gone": None}]


def test_the_report_of_the_year(store):
    rep = _report(store)
    assert (rep["year"], rep["target"], rep["recap_date"]) == (2026, 0.5, "2026-06-30")
    assert rep["overall"] == {"headcount": 11, "asset_users": 7, "utilisation_rate": 0.636364, "participants": 0,
                              "participation_rate": 0.0, "assets_published": 2, "use_events": 8}
    assert rep["skpd"] == [
        {"skpd": BAPENDA, "headcount": 5, "asset_users": 1, "utilisation_rate": 0.2, "participants": 0,
         "participation_rate": 0.0, "assets_published": 1, "use_events": 1},
        {"skpd": DINKES, "headcount": 4, "asset_users": 3, "utilisation_rate": 0.75, "participants": 0,
         "participation_rate": 0.0, "assets_published": 1, "use_events": 4},
        {"skpd": DISDIK, "headcount": 2, "asset_users": 3, "utilisation_rate": 1.5, "participants": 0,
         "participation_rate": 0.0, "assets_published": 0, "use_events": 3},
        {"skpd": DISHUB, "headcount": 0, "asset_users": 0, "utilisation_rate": None, "participants": 0,
         "participation_rate": None, "assets_published": 0, "use_events": 0}]
    assert rep["cops"] == [{"cop": "CoP Sehat", "skpd": DINKES, "maturity_score": 3.5, "maturity_level": 4}]
    assert rep["activities"] == {"activities": 3, "activities_accompanied": 2, "accompanied_rate": 0.666667, "by_quarter": {
        "Q1": {"activities": 2, "cops_active": 2}, "Q2": {"activities": 1, "cops_active": 1},
        "Q3": {"activities": 0, "cops_active": 0}, "Q4": {"activities": 0, "cops_active": 0}}}
    # cumulative users 2, 4, 6, 7 of 11
    assert rep["monthly"] == [{"month": "2026-01", "cumulative_asset_users": 2, "cumulative_utilisation_rate": 0.181818},
                              {"month": "2026-02", "cumulative_asset_users": 4, "cumulative_utilisation_rate": 0.363636},
                              {"month": "2026-03", "cumulative_asset_users": 6, "cumulative_utilisation_rate": 0.545455},
                              {"month": "2026-04", "cumulative_asset_users": 7, "cumulative_utilisation_rate": 0.636364}]
    assert rep["noise_events"] == {"guest": 1, "short": 1, "stranger": 1, "orphan": 1}
    assert "notes" not in rep
    # a maturity score alone (2023), one attendee alone (2022), a meeting alone (2021) is data
    assert [(y, _report(store, y).get("notes")) for y in (2023, 2022, 2021)] == [(2023, None), (2022, None), (2021, None)]


def test_an_agencys_report_has_its_own_figures_and_no_left_out_events(store):
    rep = _report(store, scope=Scope(DINKES))
    assert [a["skpd"] for a in rep["skpd"]] == [DINKES] and rep["overall"]["asset_users"] == 3
    assert rep["overall"]["utilisation_rate"] == 0.75 and rep["monthly"][-1]["month"] == "2026-03"   # K3 in March
    assert "noise_events" not in rep
    assert rep["cops"] == [{"cop": "CoP Sehat", "skpd": DINKES, "maturity_score": 3.5, "maturity_level": 4}]
    assert (rep["activities"]["activities"], rep["activities"]["accompanied_rate"]) == (2, 0.5)
    assert _report(store, scope=Scope(BAPENDA))["cops"] == []           # CoP Sehat is Dinkes'


def test_a_year_without_data_says_its_zeros_mean_no_data(store):
    rep = _report(store, 2024)          # the 30 Jun 2026 recap applies (the earliest after), nothing else
    assert rep["overall"]["headcount"] == 11 and rep["overall"]["use_events"] == 0
    assert rep["notes"] == ["no counted use events, attendance, meetings or maturity scores dated in 2024: "
                            "the zeros above mean no data, not no use"]


def test_the_period_sections_of_a_quarter(store):
    with connect(store, read_only=True) as con:
        sections = period_sections(con, 2026, Scope(), grain="skpd", period="quarter", as_of=dt.date(2026, 3, 31))
    assert sections["period"] == {"kind": "quarter", "label": "2026-TW1", "start": "2026-01-01", "end": "2026-03-31",
                                  "grain": "skpd"}
    # TW1: B1's use is April; Dinkes 3 of 4; Disdik 3 of 2 (above one); Dishub undefined
    got = {r["grain_value"]: r for r in sections["by_grain"]}
    assert got[BAPENDA] == {"grain_value": BAPENDA, "headcount": 5, "asset_users": 0, "use_events": 0,
                            "utilisation_rate": 0.0, "rate_above_one": False, "utilisation_target": 0.5, "target_met": False}
    assert got[DISDIK]["utilisation_rate"] == 1.5 and got[DISDIK]["rate_above_one"] is True
    assert got[DISHUB]["utilisation_rate"] is None and got[DISHUB]["target_met"] is None
    assert sections["skpd_reaching_target"] == {"skpd_reaching_target": 2, "skpd_in_recap": 4,
                                                "skpd_reaching_target_share": 0.5, "skpd_undefined": [DISHUB],
                                                "skpd_above_one": [DISDIK]}
    # three months complete at 31 March: users 6 at the end of March (K1 K2 D1 D2 K3 D3)
    projection = sections["projection"]
    assert projection["as_of"] == "2026-03-31"
    assert (projection["overall"]["months_used"], projection["overall"]["users_now"]) == (3, 6)
    assert projection["overall"]["headcount"] == 11 and projection["overall"]["utilisation_target"] == 0.5
    assert [(r["skpd"], r["months_used"], r["users_now"]) for r in projection["skpd"]] == [
        (BAPENDA, 3, 0), (DINKES, 3, 3), (DISDIK, 3, 3), (DISHUB, 3, 0)]
    assert set(sections["coverage"]) == {"sources", "left_out_uses", "kpi_sources"}


def test_the_period_sections_default_to_the_year_the_agency_grain_and_all_its_months(store):
    with connect(store, read_only=True) as con:
        by_agency = period_sections(con, 2026, Scope(DINKES))
        sections = period_sections(con, 2026, Scope(DINKES), grain="province")
    assert by_agency["period"]["grain"] == "skpd" and [r["grain_value"] for r in by_agency["by_grain"]] == [DINKES]
    assert (sections["period"]["label"], sections["period"]["end"], sections["period"]["grain"]) == ("2026", "2026-12-31", "province")
    # the province grain within Dinkes' scope: its 4 employees, K1 K2 K3
    assert [(r["headcount"], r["asset_users"]) for r in sections["by_grain"]] == [(4, 3)]
    assert sections["skpd_reaching_target"]["skpd_in_recap"] == 1
    # no as_of: every month the log covers to its last day; it stops on 1 April (B1), so January-March,
    # and the day the data end is given as text: Dinkes' users stay 3
    assert sections["projection"]["as_of"] is None
    assert (sections["projection"]["overall"]["months_used"], sections["projection"]["overall"]["users_now"]) == (3, 3)
    assert sections["projection"]["overall"]["data_to"] == "2026-04-01"
    assert [(r["skpd"], r["months_used"]) for r in sections["projection"]["skpd"]] == [(DINKES, 3)]


# --- the command line ----------------------------------------------------------------------

def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_the_json_report_with_the_period_sections(store, capsys):
    code, out, err = _run(capsys, "--year", "2026", "--db", str(store), "--json", "--skpd", "dinkes", "--grain", "province",
                          "--period", "month", "--as-of", "2026-02-15")
    printed = json.loads(out)
    assert (code, err) == (0, "")
    assert [a["skpd"] for a in printed["skpd"]] == [DINKES]
    # February 2026 in Dinkes: K1's 3 Feb view only; one month complete (January)
    assert printed["period"] == {"kind": "month", "label": "2026-02", "start": "2026-02-01", "end": "2026-02-28",
                                 "grain": "province"}
    assert [(r["asset_users"], r["use_events"]) for r in printed["by_grain"]] == [(1, 1)]
    assert printed["projection"]["as_of"] == "2026-02-15" and printed["projection"]["overall"]["months_used"] == 1
    assert printed["projection"]["overall"]["data_to"] == "2026-02-15"     # February runs: the data end on the as-of day


def test_the_command_prints_the_agency_table_as_csv_with_the_overall_row_first(store, capsys):
    code, out, _ = _run(capsys, "--year", "2026", "--db", str(store), "--format", "csv")
    assert code == 0 and "\r" not in out
    assert out.splitlines() == [
        "skpd,headcount,asset_users,utilisation_rate,participants,participation_rate,assets_published,use_events",
        "overall,11,7,0.636364,0,0.0,2,8",
        f"{BAPENDA},5,1,0.2,0,0.0,1,1",
        f"{DINKES},4,3,0.75,0,0.0,1,4",
        f"{DISDIK},2,3,1.5,0,0.0,0,3",
        f"{DISHUB},0,0,,0,,0,0"]


def test_the_command_writes_its_notes_on_stderr(store, capsys):
    code, out, err = _run(capsys, "--year", "2024", "--db", str(store))
    assert code == 0 and json.loads(out)["year"] == 2024
    assert err == ("note: no counted use events, attendance, meetings or maturity scores dated in 2024: "
                   "the zeros above mean no data, not no use\n")


def test_an_as_of_outside_the_year_is_refused(store, capsys):
    assert _run(capsys, "--year", "2026", "--db", str(store), "--as-of", "2025-12-31") == (
        2, "", "--as-of 2025-12-31 is not in --year 2026\n")


@pytest.mark.parametrize("problem, code, said", [
    (DatabaseBusy("the database is busy"), 4, "the database is busy\n"),
    (SchemaTooNew("k.duckdb", 99, 12), 2, "cannot use the database: database k.duckdb has schema version 99, but this "
     "release knows versions up to 12: run the newer release, or restore a backup made by this one\n"),
    (ConfigError("KMDASH_DB is empty"), 2, "cannot use the database: KMDASH_DB is empty\n"),
])
def test_a_store_that_cannot_be_used_is_said_in_one_line(store, capsys, monkeypatch, problem, code, said):
    def refuse(*args, **kwargs):
        raise problem
    monkeypatch.setattr(report_module, "build_report", refuse)
    assert _run(capsys, "--year", "2026", "--db", str(store)) == (code, "", said)


def test_a_database_error_while_reading_names_the_file_and_the_first_line(store, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise duckdb.CatalogException("Table with name aset does not exist!\nDid you mean ...")
    monkeypatch.setattr(report_module, "build_report", broken)
    assert _run(capsys, "--year", "2026", "--db", str(store)) == (
        2, "", f"cannot read {store} as a KM dashboard database: Table with name aset does not exist!\n")


def test_an_unknown_agency_is_refused_with_the_closest_names(store, capsys):
    assert report_module.resolve_skpd(None, None) is None
    code, out, err = _run(capsys, "--year", "2026", "--db", str(store), "--skpd", "Dinas Kesehatann Gigi")
    assert (code, out) == (2, "")
    said, names = err.rstrip("\n").split("; closest official names: ")
    assert said == "unknown agency 'Dinas Kesehatann Gigi'"
    assert names.split(", ")[0] == DINKES and all(official_skpd(n) == n for n in names.split(", "))


def test_the_report_states_the_scopes_target_for_the_year_and_no_recap_date_without_a_recap(store, tmp_path):
    copy = tmp_path / "targets.duckdb"
    copy.write_bytes(store.read_bytes())
    with connect(copy) as con:
        set_target(con, year=2026, skpd=None, target=0.6, by="test")
        set_target(con, year=2026, skpd=DINKES, target=0.8, by="test")
    assert (_report(copy)["target"], _report(copy, 2025)["target"], _report(copy, scope=Scope(DINKES))["target"]) == (
        0.6, 0.5, 0.8)
    with connect(copy) as con:
        con.execute("DELETE FROM headcount")
    assert _report(copy)["recap_date"] is None


def test_the_reports_agency_projections_are_seen_from_its_day(store):
    # on 28 Feb two months have ended (the log reaching April covers three): every agency uses 2
    with connect(store, read_only=True) as con:
        sections = period_sections(con, 2026, Scope(), as_of=dt.date(2026, 2, 28))
    assert sections["projection"]["as_of"] == "2026-02-28"
    assert sections["projection"]["overall"]["months_used"] == 2
    assert {row["months_used"] for row in sections["projection"]["skpd"]} == {2}
