"""The Kegiatan and Maturitas pages run with AppTest, asserting the numbers shown.

Expected values are independent counts over the raw field samples (openpyxl over
``rekap_kegiatan_cop.xlsx`` and ``penilaian_maturitas_*.xlsx``, quarters from the meeting
date, scores summed as ``Decimal``), formatted by hand the Indonesian way. "Today" is
pinned to 30 Nov 2026 (TW IV 2026 running) so the pages do not depend on the clock.
"""
from __future__ import annotations

import datetime as dt
import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import logged_in

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")
FIXTURES = REPO / "tests" / "fixtures" / "activity_maturity"


def _app(db, monkeypatch) -> AppTest:
    monkeypatch.setenv("KMDASH_DB", str(db))
    monkeypatch.setattr("metrics.activity.today_wib", lambda: dt.date(2026, 11, 30))
    return logged_in(AppTest.from_file(APP, default_timeout=60))


@pytest.fixture
def app(field_db, monkeypatch):
    return _app(field_db, monkeypatch)


def _open(at: AppTest, page: str) -> AppTest:
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    return at


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _bar_heights(spec: str, name: str) -> list:
    """The y values of the chart's trace ``name`` (plotly may ship them base64-encoded)."""
    y = next(trace["y"] for trace in json.loads(spec)["data"] if trace["name"] == name)
    return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist() if isinstance(y, dict) else y


def test_kegiatan_by_default_shows_2026_and_the_running_quarter(app):
    at = _open(app, "kegiatan")
    shown = _metrics(at)
    assert shown["Kegiatan"] == "204"
    assert shown["Kegiatan didampingi"] == "143"
    assert shown["Tingkat pendampingan"] == "70,1%"                        # 143 / 204 = 0.70098
    assert shown["CoP berkegiatan TW IV 2026"] == "26 / 37"  # 26 CoPs met in Oct-Nov
    missing = at.dataframe[0].value
    assert len(missing) == 11                                               # 37 - 26
    assert set(missing["Triwulan"]) == {"TW IV 2026 (berjalan)"}


@pytest.mark.parametrize("periode", ["tw2", "bulan-05"])
def test_kegiatan_for_a_quarter_or_month_shows_that_quarters_target(app, periode):
    # field-samples.expected.json activities.by_quarter.Q2: 55 meetings, 35 of the 37 known CoPs met
    # (a month is judged by its quarter: the target is one meeting per quarter)
    app.query_params["tahun"] = "2026"
    app.query_params["periode"] = periode
    at = _open(app, "kegiatan")
    shown = _metrics(at)
    assert shown["CoP berkegiatan TW II 2026"] == "35 / 37"
    assert "CoP berkegiatan TW IV 2026" not in shown
    missing = at.dataframe[0].value
    assert len(missing) == 2                                                # 37 - 35
    assert set(missing["Triwulan"]) == {"TW II 2026"}                       # closed: not "(berjalan)"
    assert any(s.value == "CoP tanpa kegiatan pada TW II 2026" for s in at.subheader)


def test_kegiatan_for_a_quarter_in_english(app):
    app.query_params["lang"] = "en"
    app.query_params["periode"] = "tw3"
    at = _open(app, "kegiatan")
    assert _metrics(at)["CoPs that met Q3 2026"] == "32 / 37"              # expected by_quarter.Q3.cops_active
    assert len(at.dataframe[0].value) == 5                                  # 37 - 32


def test_kegiatan_for_the_year_to_date_shows_the_running_quarter(app):
    app.query_params["periode"] = "sd"
    at = _open(app, "kegiatan")
    assert _metrics(at)["CoP berkegiatan TW IV 2026"] == "26 / 37"          # expected by_quarter.Q4.cops_active


def test_kegiatan_for_a_quarter_of_a_past_year(app):
    # 2025: TW III 24 of 37 CoPs met (see the past-year test below), TW I precedes the register
    app.query_params["tahun"] = "2025"
    app.query_params["periode"] = "tw3"
    at = _open(app, "kegiatan")
    assert _metrics(at)["CoP berkegiatan TW III 2025"] == "24 / 37"
    assert set(at.dataframe[0].value["Triwulan"]) == {"TW III 2025"}


def test_kegiatan_for_a_quarter_before_the_register_counts_nothing(app):
    app.query_params["tahun"] = "2025"
    app.query_params["periode"] = "tw1"                 # TW I 2025 ended before the first meeting (25 Jul 2025)
    at = _open(app, "kegiatan")
    assert _metrics(at) == {"CoP berkegiatan TW I 2025": "–"}                # no "0 meetings" tiles: no data at all
    assert at.info[0].value.startswith("Belum ada data untuk TW1 2025:")
    assert "TW I 2025 tidak dihitung" in at.info[1].value
    assert not at.success                               # not "every CoP has met"


def test_kegiatan_for_a_past_year_lists_cops_without_a_meeting_per_quarter(app):
    app.query_params["tahun"] = "2025"
    at = _open(app, "kegiatan")
    shown = _metrics(at)
    assert shown["Kegiatan"] == "89"                   # 2025: 89 meetings, 56 accompanied
    assert shown["Tingkat pendampingan"] == "62,9%"    # 56 / 89 = 0.6292
    # TW I-II 2025 precede the register (first meeting 25 Jul 2025); TW III 24 of 37 CoPs, TW IV 33 of 37
    assert shown["Target triwulan tercapai"] == "77,0%"   # 57 / 74
    missing = at.dataframe[0].value
    assert missing["Triwulan"].value_counts().to_dict() == {"TW III 2025": 13, "TW IV 2025": 4}


def test_kegiatan_for_one_agency_shows_only_its_meetings(app):
    app.query_params["skpd"] = "Dinas Perhubungan"
    at = _open(app, "kegiatan")
    shown = _metrics(at)
    assert shown["Kegiatan"] == "9"                    # Dishub 2026: 9 meetings, 5 accompanied
    assert shown["Tingkat pendampingan"] == "55,6%"    # 5 / 9
    assert shown["CoP berkegiatan TW IV 2026"] == "1 / 2"
    assert at.dataframe[1].value["Perangkat daerah"].tolist() == ["Dinas Perhubungan"]


def test_kegiatan_link_by_abbreviation_opens_that_agency(app):
    app.query_params["skpd"] = "Dishub"                # Dinas Perhubungan's abbreviation in the agency table
    at = _open(app, "kegiatan")
    assert not at.warning
    assert _metrics(at)["Kegiatan"] == "9"             # Dishub 2026: 9 meetings (as above)
    assert at.query_params["skpd"] == "Dinas Perhubungan"


def test_kegiatan_link_to_an_unknown_agency_says_so(app):
    app.query_params["skpd"] = "Atlantis"
    at = _open(app, "kegiatan")
    assert at.warning[0].value.startswith("Atlantis: tidak ada perangkat daerah")
    assert at.warning[0].value.endswith("→ Semua perangkat daerah")
    assert _metrics(at)["Kegiatan"] == "204"           # the whole province, as said


def test_agency_chosen_in_the_sidebar_is_kept_in_the_url(app):
    at = _open(app, "kegiatan")
    at.sidebar.selectbox[1].select("Dinas Kesehatan").run()
    assert at.query_params["skpd"] == "Dinas Kesehatan"
    assert _metrics(at)["Kegiatan"] == "5"             # Dinkes 2026: 5 meetings


def test_kegiatan_tables_are_downloadable(app):
    at = _open(app, "kegiatan")
    csv_buttons = [b for b in at.get("download_button") if b.label == "Unduh CSV"]
    assert len(csv_buttons) == len(at.dataframe) == 3          # CoPs without a meeting, agencies, mentors


def test_maturitas_by_default_compares_2026_with_2025(app):
    at = _open(app, "maturitas")
    shown = _metrics(at)
    assert shown["CoP dinilai"] == "37"
    assert shown["Skor maturitas (rata-rata CoP)"] == "3,08"     # sum of 37 exact means / 37 = 3.08227
    assert shown["Median provinsi"] == "2,93"                    # 19th of 37 sorted means = 2.932
    assert shown["CoP dibandingkan dengan 2025"] == "37"         # same instrument v1 both years
    assert len(at.warning) == 0
    # levels 1-5 in 2026: 0, 5, 23, 8, 1
    assert _bar_heights(at.get("plotly_chart")[0].proto.spec, "2026") == [0, 5, 23, 8, 1]


def test_maturitas_for_another_year_has_nothing_to_compare(app):
    app.query_params["tahun"] = "2025"
    at = _open(app, "maturitas")
    shown = _metrics(at)
    assert shown["Skor maturitas (rata-rata CoP)"] == "2,79"     # 2.79027
    assert shown["CoP dibandingkan dengan 2024"] == "0"
    assert set(at.dataframe[0].value["Keterangan"]) == {"belum dinilai tahun sebelumnya"}


def test_maturitas_for_one_agency_shows_its_cops_against_the_province_median(app):
    app.query_params["skpd"] = "Dinas Perhubungan"
    at = _open(app, "maturitas")
    shown = _metrics(at)
    assert shown["CoP dinilai"] == "2"
    assert shown["Skor maturitas (rata-rata CoP)"] == "3,38"     # (2.606 + 4.154) / 2
    assert shown["Median provinsi"] == "2,93"                    # still the province's
    table = at.dataframe[0].value.set_index("CoP")
    assert table.loc["CoP Kolaborasi Dishub", "Skor maturitas"] == "4,154"      # 4.154: three decimals, as the level rests on them
    assert table.loc["CoP Kolaborasi Dishub", "Level maturitas"] == "4 Optimalisasi"


def test_maturitas_warns_where_the_instrument_differs(tmp_path, monkeypatch):
    from data.ingest import ingest_paths
    db = tmp_path / "fixture.duckdb"
    ingest_paths([FIXTURES], db=db)
    app = _app(db, monkeypatch)
    app.query_params["tahun"] = "2026"
    at = _open(app, "maturitas")
    assert "1 CoP" in at.warning[0].value                        # CoP Jalan: v1 in 2025, v2 in 2026
    table = at.dataframe[0].value.set_index("CoP")
    assert table.loc["CoP Jalan", "Perubahan skor maturitas"] == "t/a"          # tidak ada
    assert table.loc["CoP Sehat", "Perubahan skor maturitas"] == "▲ +0,50"    # 2.50 - 2.00


def test_maturitas_in_english(app):
    app.query_params["lang"] = "en"
    at = _open(app, "maturitas")
    assert _metrics(at)["Maturity score (mean over CoPs)"] == "3.08"


def test_maturitas_reports_a_file_level_that_disagrees_with_the_computed_level(tmp_path, monkeypatch):
    from data.ingest import ingest_file
    scores = tmp_path / "penilaian_maturitas_2026.csv"
    # CoP Sehat: 5 x 3,0 = 15 -> mean 3.0, level 3, but the file says 2; CoP Pajak: 5 x 4,0 -> level 4, as written
    scores.write_text("Tahun;Perangkat Daerah;Nama CoP;Strategi;Orang;Proses;Konten;Teknologi;Rata-rata;Level\n"
                      "2026;Dinas Kesehatan;CoP Sehat;3,0;3,0;3,0;3,0;3,0;3,00;2\n"
                      "2026;Badan Pendapatan Daerah;CoP Pajak;4,0;4,0;4,0;4,0;4,0;4,00;4\n", encoding="utf-8")
    db = tmp_path / "levels.duckdb"
    assert ingest_file(scores, db=db).rows_loaded == 2
    app = _app(db, monkeypatch)
    app.query_params["tahun"] = "2026"
    at = _open(app, "maturitas")
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    assert warnings[0].startswith("Kolom Level di berkas berbeda dari level yang dihitung dari kelima skor untuk 1 CoP")
    assert warnings[0].endswith("CoP Sehat (2 → 3)")


def test_a_link_to_another_agencys_cop_says_so_and_shows_an_own_cop(field_db, monkeypatch):
    # fresh-eyes F10: /maturitas?cop=<a Dinkes CoP> for Dishub's agency admin silently showed a Dishub CoP
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    at = logged_in(AppTest.from_file(APP, default_timeout=60), "admin_pd", "Dinas Perhubungan")
    at.query_params["cop"] = "CoP Layanan Publik Dinkes"
    at.run()
    at.switch_page("views/maturitas.py").run()
    assert not at.exception
    chosen = next(s for s in at.selectbox if s.label == "Pilih CoP")
    assert set(chosen.options) == {"CoP Tata Kelola Dishub", "CoP Kolaborasi Dishub"}   # Dishub's two rows of the 2026 file
    notices = [w.value for w in at.warning]
    assert f"CoP Layanan Publik Dinkes: tidak termasuk CoP yang dinilai di halaman ini → {chosen.value}" in notices, notices


def test_a_link_to_a_cop_of_this_view_opens_it_without_a_notice(app):
    app.query_params["cop"] = "CoP Kolaborasi Dishub"
    at = _open(app, "maturitas")
    assert next(s for s in at.selectbox if s.label == "Pilih CoP").value == "CoP Kolaborasi Dishub"
    assert not [w.value for w in at.warning if "tidak termasuk" in w.value]
