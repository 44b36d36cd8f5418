"""Command-line arguments a person mistypes: one usage line and exit 2, never a traceback; an
agency named in another case or spacing is the official one (found by a fresh tester)."""
from __future__ import annotations

import json

import pytest

from metrics.award import main as award_main
from metrics.report import main as report_main
from reports.__main__ import main as reports_main


@pytest.mark.parametrize("year", ["99999999999999999999", "10000", "1899", "3000", "dua ribu", "2026.5"])
@pytest.mark.parametrize("main", [report_main, award_main], ids=["metrics.report", "metrics.award"])
def test_a_year_outside_the_calendar_is_a_usage_error(main, year, field_db, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--year", year, "--db", str(field_db)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--year" in err


def test_reports_refuses_a_year_outside_the_calendar(field_db, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        reports_main(["pdf", "--year", "99999999999999999999", "--db", str(field_db), "--out", str(tmp_path / "x.pdf")])
    assert stop.value.code == 2
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("spelling", ["dinas kesehatan", "DINAS  KESEHATAN", " Dinas Kesehatan. "])
def test_report_skpd_ignores_case_spaces_and_punctuation(spelling, field_db, expected, capsys):
    assert report_main(["--year", "2026", "--db", str(field_db), "--skpd", spelling]) == 0
    report = json.loads(capsys.readouterr().out)
    own = next(a for a in expected["skpd"] if a["skpd"] == "Dinas Kesehatan")
    assert [a["skpd"] for a in report["skpd"]] == ["Dinas Kesehatan"]
    assert report["skpd"][0]["utilisation_rate"] == pytest.approx(own["utilisation_rate"], abs=1e-6)


@pytest.mark.parametrize("spelling", ["Dishub", "dinas perhubungan", "DINAS PERHUBUNGAN PROVINSI DKI JAKARTA"])
def test_report_skpd_reaches_an_agency_by_abbreviation_and_suffix(spelling, field_db, capsys):
    # agency table: Dinas Perhubungan, abbreviation Dishub; expected: 72 of 360 employees use assets
    assert report_main(["--year", "2026", "--db", str(field_db), "--skpd", spelling]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(a["skpd"], a["headcount"], a["asset_users"]) for a in report["skpd"]] == [("Dinas Perhubungan", 360, 72)]
    assert report["skpd"][0]["utilisation_rate"] == pytest.approx(0.2, abs=1e-6)


def test_report_names_the_closest_agencies_for_an_unknown_one(field_db, capsys):
    assert report_main(["--year", "2026", "--db", str(field_db), "--skpd", "Dinas Kesehatann Gigi"]) == 2
    assert "closest official names: Dinas Kesehatan" in capsys.readouterr().err
