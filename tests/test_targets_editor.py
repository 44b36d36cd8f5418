"""Pusdatin's targets and headcount editor on *Data & impor*, driven as a person uses it
(``AppTest.from_function`` on ``render_targets_editor`` over a copy of the field database):
nothing it shows by default, and nothing typed that the field refused, may be saved.

Expected headcounts are read from the field sample recap itself with openpyxl (row "Badan
Kepegawaian Daerah", column Total of ``rekap_jumlah_pegawai_2026.xlsx``, 30 June 2026)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import logged_in

RECAP = Path(__file__).resolve().parents[2] / "shared" / "field-samples" / "rekap_jumlah_pegawai_2026.xlsx"
BKD, DINSOS = "Badan Kepegawaian Daerah", "Dinas Sosial"
JUNE_30 = dt.date(2026, 6, 30)
SAVED = "Tersimpan dan dicatat."


def _recap_total(agency: str) -> int:
    """The recap's Total for ``agency``, read straight from the sample workbook."""
    sheet = openpyxl.load_workbook(RECAP, data_only=True).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] == agency]
    assert len(rows) == 1, rows
    return int(rows[0][4])


def _editor(path: str):
    from dashboard.components.targets_editor import render_targets_editor
    render_targets_editor(path, "id")


@pytest.fixture
def editor(field_db_copy):
    at = AppTest.from_function(_editor, args=(str(field_db_copy),), default_timeout=60)
    logged_in(at, "pusdatin")
    return at.run()


def _stored(db: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _headcount_field(at):
    return [t for t in at.text_input if t.label == "Jumlah pegawai"][0]


def _button(at, label: str):
    return [b for b in at.button if b.label == label][0]


def _messages(at) -> list[str]:
    return [m.value for m in (*at.success, *at.error, *at.warning, *at.info)]


def test_the_headcount_field_starts_at_the_agencys_value_in_the_recap(editor, field_db_copy):
    assert editor.selectbox(key="hc_skpd").value == BKD            # the first agency, as the tester saw
    assert _headcount_field(editor).value == "362" == str(_recap_total(BKD))
    editor.selectbox(key="hc_skpd").set_value(DINSOS).run()
    assert _headcount_field(editor).value == str(_recap_total(DINSOS)) == "132"


def test_saving_the_form_as_shown_changes_nothing(editor, field_db_copy):
    before = _stored(field_db_copy, "SELECT count(*) FROM headcount")
    _button(editor, "Simpan jumlah pegawai").click().run()
    assert "Tidak berubah: tidak ada yang disimpan." in _messages(editor) and SAVED not in _messages(editor)
    assert _stored(field_db_copy, "SELECT count(*) FROM headcount") == before
    assert _stored(field_db_copy, "SELECT headcount FROM headcount_current WHERE skpd = ? AND as_of = ?",
                   [BKD, JUNE_30]) == [(362,)]


def test_a_zero_is_saved_only_when_confirmed(editor, field_db_copy):
    _headcount_field(editor).set_value("0")
    _button(editor, "Simpan jumlah pegawai").click().run()
    assert SAVED not in _messages(editor)
    assert _stored(field_db_copy, "SELECT headcount FROM headcount_current WHERE skpd = ? AND as_of = ?",
                   [BKD, JUNE_30]) == [(362,)]
    editor.checkbox(key="hc_zero").check()
    _button(editor, "Simpan jumlah pegawai").click().run()
    assert SAVED in _messages(editor)
    assert _stored(field_db_copy, "SELECT headcount FROM headcount_current WHERE skpd = ? AND as_of = ?",
                   [BKD, JUNE_30]) == [(0,)]


def test_a_corrected_headcount_is_saved_with_its_old_value_logged(editor, field_db_copy):
    _headcount_field(editor).set_value("1.234")                    # Indonesian thousands separator
    _button(editor, "Simpan jumlah pegawai").click().run()
    assert SAVED in _messages(editor)
    assert _stored(field_db_copy, "SELECT headcount FROM headcount_current WHERE skpd = ? AND as_of = ?",
                   [BKD, JUNE_30]) == [(1234,)]
    assert _stored(field_db_copy, "SELECT old_value, new_value FROM target_change WHERE item = 'headcount'") == \
        [(362.0, 1234.0)]


@pytest.mark.parametrize("typed", ["0.3", "0,3", "abc"])
def test_a_refused_target_is_not_saved(editor, field_db_copy, typed):
    agency = [s for s in editor.selectbox if s.label == "Perangkat daerah" and s.key != "hc_skpd"][0]
    agency.set_value(DINSOS)
    [t for t in editor.text_input if t.label == "Target (%)"][0].set_value(typed)
    _button(editor, "Simpan target").click().run()
    assert SAVED not in _messages(editor)
    assert any(m.startswith("Tidak disimpan") for m in _messages(editor))
    assert _stored(field_db_copy, "SELECT count(*) FROM utilisation_target") == [(0,)]
    assert _stored(field_db_copy, "SELECT count(*) FROM target_change") == [(0,)]


def test_a_readable_target_is_saved(editor, field_db_copy):
    agency = [s for s in editor.selectbox if s.label == "Perangkat daerah" and s.key != "hc_skpd"][0]
    agency.set_value(DINSOS)
    [t for t in editor.text_input if t.label == "Target (%)"][0].set_value("60")
    _button(editor, "Simpan target").click().run()
    assert SAVED in _messages(editor)
    assert _stored(field_db_copy, "SELECT year, skpd, target FROM utilisation_target") == [(None, DINSOS, 0.6)]


def _recap_now(at) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Di rekap ini sekarang")]


def test_the_recap_line_shows_the_headcount_just_saved(editor, field_db_copy):
    # BKD's recap holds 362 (the sample's Total); saving 291 must show 291 at once, not 362
    assert _recap_now(editor) == ["Di rekap ini sekarang: 362"]
    _headcount_field(editor).set_value("291")
    _button(editor, "Simpan jumlah pegawai").click().run()
    assert SAVED in _messages(editor)
    assert _recap_now(editor) == ["Di rekap ini sekarang: 291"]
    # the tester's case: 0 (confirmed), then back to a number; each line follows its save
    _headcount_field(editor).set_value("0")
    editor.checkbox(key="hc_zero").check()
    _button(editor, "Simpan jumlah pegawai").click().run()
    assert _recap_now(editor) == ["Di rekap ini sekarang: 0"]
    _headcount_field(editor).set_value("1.291")                    # 1,291: Indonesian thousands dot
    _button(editor, "Simpan jumlah pegawai").click().run()
    assert _recap_now(editor) == ["Di rekap ini sekarang: 1.291"]


def test_a_headcount_of_0_is_listed_on_the_data_page_as_a_data_quality_problem(field_db_copy):
    # the field recap (30 June 2026) has no zero; Dinas Kesehatan set to 0 is then listed with its recap date
    from tests.test_dashboard_pages import APP
    from metrics.targets import set_headcount
    at = logged_in(AppTest.from_file(APP, default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    assert "PD dengan jumlah pegawai 0" not in [s.value for s in at.subheader]
    with duckdb.connect(str(field_db_copy)) as con:
        set_headcount(con, skpd="Dinas Kesehatan", as_of=JUNE_30, headcount=0, by="uji")
    at = logged_in(AppTest.from_file(APP, default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    assert "PD dengan jumlah pegawai 0" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "Rekap per tanggal" in d.value.columns)
    assert table.values.tolist() == [["30 Juni 2026", "Dinas Kesehatan"]]
