"""Each dashboard page run with AppTest on the field samples, asserting the numbers
shown (expected values from ../shared/field-samples.expected.json, formatted by hand
the Indonesian way: 0.395944 -> '39,6%')."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import logged_in

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def app(field_db, monkeypatch):
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    return logged_in(AppTest.from_file(APP, default_timeout=60))


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_the_2026_headline_against_the_target(app):
    at = app.run()
    assert not at.exception
    shown = _metrics(at)
    # utilisation 2753 / 6953 = 0.395944; participation 3192 / 6953 = 0.459082
    assert shown["Tingkat pemanfaatan"] == "39,6%"
    assert shown["Tingkat partisipasi"] == "45,9%"
    # at or above 0.5: Dinkes, DSDA, Kominfotik, Disbud (0.504), BKD, Inspektorat, Biro ORB
    assert shown["PD mencapai target"] == "7 / 24"
    assert shown["Aset terbit"] == "164"


def test_overview_table_lists_every_agency_with_its_status(app):
    at = app.run()
    table = at.dataframe[0].value
    assert len(table) == 24
    disbud = table[table["Perangkat daerah"] == "Dinas Kebudayaan"].iloc[0]
    assert disbud["Tingkat pemanfaatan"] == "50,4%"        # 189 / 375
    assert disbud["Status"] == "✔ Tercapai"
    dishub = table[table["Perangkat daerah"] == "Dinas Perhubungan"].iloc[0]
    assert dishub["Tingkat pemanfaatan"] == "20,0%"        # 72 / 360
    assert dishub["Status"] == "✖ Belum"


def test_overview_for_another_year_uses_that_years_events(app):
    app.query_params["tahun"] = "2025"
    at = app.run()
    assert not at.exception
    # 2025 has access events from July; the only recap (30 June 2026) applies as the earliest after the year.
    assert at.sidebar.selectbox[0].value == 2025
    # independent count from the raw CSVs: 959 roster NIPs viewed/downloaded a listed asset in 2025; 959 / 6953
    assert _metrics(at)["Tingkat pemanfaatan"] == "13,8%"


def test_overview_in_english_uses_english_labels_and_formats(app):
    app.query_params["lang"] = "en"
    at = app.run()
    assert _metrics(at)["Utilisation rate"] == "39.6%"


def test_data_page_lists_imports_and_rejected_rows(app):
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    freshness, history = at.dataframe[0].value, at.dataframe[1].value
    assert len(history) == 25                            # 25 files in ../shared/field-samples
    assert dict(zip(freshness["Sumber"], freshness["Jumlah impor"]))["Log akses Portal KM"] == "17"  # 17 monthly logs
    assert dict(zip(freshness["Sumber"], freshness["Impor terbaru (WIB)"]))["Nilai juri KM Award"] == "belum pernah"
    assert at.subheader[2].value == "Baris ditolak (35)"  # 35 rejected access-log rows (incl. overlap repeats)


def test_upload_previews_then_imports_through_the_same_code(field_db, tmp_path, monkeypatch, field_samples):
    import shutil
    db = tmp_path / "upload.duckdb"
    shutil.copy(field_db, db)
    monkeypatch.setenv("KMDASH_DB", str(db))
    at = logged_in(AppTest.from_file(APP, default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    bad = b"%PDF-1.4 not a spreadsheet"
    jury = "Tahun;Perangkat Daerah;Nama CoP;Juri;Skor\n2026;Dinkes;CoP Layanan Publik Dinkes;Juri A;88,5\n".encode()
    at.file_uploader[0].set_value([("nilai_juri.csv", jury, "text/csv"), ("laporan.xlsx", bad, "application/pdf")]).run()
    assert not at.exception
    assert any("Nilai juri KM Award" in m.value for m in at.markdown)   # preview names the detected kind
    # the sample rows under the file's own column titles
    assert any(list(d.value.columns) == ["Tahun", "Perangkat Daerah", "Nama CoP", "Juri", "Skor"] for d in at.dataframe)
    assert at.error[0].value.startswith("Berkas ini akan ditolak")  # the PDF is flagged before import
    at.button[0].click().run()
    result = next(d.value for d in at.dataframe if "Berkas" in d.value.columns)
    rows = dict(zip(result["Berkas"], result["Status"]))
    assert rows == {"nilai_juri.csv": "✔ diimpor", "laporan.xlsx": "✖ ditolak"}
    refused = result.set_index("Berkas").loc["laporan.xlsx"]
    assert (refused["Jenis"], refused["Lembar"], refused["Baris judul kolom"]) == ("", "", "")   # blank, never "None"
    assert str(result.set_index("Berkas").loc["nilai_juri.csv", "Baris judul kolom"]) == "1"       # not 1.0


def test_a_mostly_rejected_roster_upload_shows_a_warning_with_the_undo(field_db, tmp_path, monkeypatch):
    import shutil
    db = tmp_path / "upload.duckdb"
    shutil.copy(field_db, db)
    monkeypatch.setenv("KMDASH_DB", str(db))
    at = logged_in(AppTest.from_file(APP, default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    roster = "NIP,Nama,Perangkat Daerah\n198503302010012001,Ani,Dinkes\n199001012015032002,Budi,Dinas Entah\n" \
             "19900101201503200,Citra,Dinkes\n"
    at.file_uploader[0].set_value([("pegawai.csv", roster.encode(), "text/csv")]).run()
    at.button[0].click().run()
    assert not at.exception
    # 1 usable row against 6,953 stored: held back until confirmed, nothing loaded yet
    held = [w.value.replace("\\", "") for w in at.warning if "pegawai" in w.value]   # Markdown escapes dropped
    # in Indonesian with the page's counts; a drop of 1 - 1/6953 = 0.99986, written 100%
    assert len(held) == 1 and ("berisi 1 baris yang dapat dipakai dan akan mengganti 6.953 yang tersimpan (turun "
                               "100%): ditahan, tidak ada yang diimpor") in held[0]
    assert next(d.value for d in at.dataframe if "Berkas" in d.value.columns)["Status"].tolist() == ["⚠ ditahan"]
    import_held = next(b for b in at.button if b.key == "import_held")
    assert import_held.disabled
    at.checkbox(key="confirm_shrink").check().run()
    next(b for b in at.button if b.key == "import_held").click().run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning if "pegawai" in w.value]
    # mostly rejected, and far smaller than the field roster (6,953) it replaced: both said
    assert len(warnings) == 2 and "PERINGATAN: 2 dari 3 baris ditolak" in warnings[0]
    assert "berisi 1 pegawai dan mengganti 6.953 yang tersimpan" in warnings[1]
    assert all("python -m data.undo" in w for w in warnings)


def test_definitions_page_is_generated_from_the_registry(app):
    from metrics.registry import KPIS
    at = app.run()
    at.switch_page("views/definisi.py").run()
    assert not at.exception
    assert not at.dataframe                          # a grid cuts long cells off (fresh eyes F16)
    table = at.table[0].value                        # a static table wraps them: every word is read
    assert list(table["Nama di ekspor dan baris perintah"]) == [k.name for k in KPIS]
    assert list(table["KPI"]) == [k.label_id for k in KPIS]                      # labels in Indonesian
    assert table["Uraian"].iloc[0].startswith("Pegawai perangkat daerah menurut rekap jumlah pegawai")
    assert [b.label for b in at.get("download_button")] == ["Unduh CSV", "Unduh XLSX"]


@pytest.fixture
def served(monkeypatch) -> list:
    """The media file managers of the AppTest runs that follow: a download button names a file
    (``url``) or a callable made on click (``deferred_file_id``) held by one of them, so a test
    can open the bytes the button actually serves."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test
    managers = []

    class Recording(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            managers.append((self, storage))

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return managers


def served_bytes(managers: list, button) -> bytes:
    """The bytes a download button serves, as the browser would fetch them after the newest run
    (a deferred button's callable is run, as a click would)."""
    manager, storage = managers[-1]
    url = button.proto.url or manager.execute_deferred(button.proto.deferred_file_id)
    assert url, "the download button serves no file"
    return storage.get_file(url.rsplit("/", 1)[-1]).content


def test_overview_report_is_one_workbook_with_a_cover_and_a_sheet_per_view(app, served):
    import io

    import openpyxl
    at = app.run()
    buttons = [b for b in at.get("download_button") if str(b.proto.label) == "Unduh laporan (XLSX)"]
    assert len(buttons) == 1
    book = openpyxl.load_workbook(io.BytesIO(served_bytes(served, buttons[0])))     # what the user downloads
    assert book.sheetnames == ["Sampul", "Indikator utama", "Perangkat daerah", "Tren bulanan", "PD berisiko"]
    headline = {r[0]: r[1] for r in book["Indikator utama"].iter_rows(min_row=2, values_only=True)}
    assert headline["Tingkat pemanfaatan"] == pytest.approx(2753 / 6953)     # a number, not text
    assert headline["Tingkat partisipasi"] == pytest.approx(3192 / 6953)
    assert 2753 / 6953 < headline["Proyeksi Desember"] < 0.5                 # the samples' year ends below target
    assert book["Perangkat daerah"].max_row == 25                            # header + 24 agencies
    risk = next(d.value for d in at.dataframe if "Proyeksi" in d.value.columns)
    assert [r[0] for r in book["PD berisiko"].iter_rows(min_row=2, values_only=True)] == list(risk["Perangkat daerah"])


def test_overview_report_prints_on_a4_one_page_wide_with_its_header_on_every_page(app, served):
    import io

    import openpyxl
    at = app.run()
    button = next(b for b in at.get("download_button") if "laporan" in str(b.proto.label).lower())
    book = openpyxl.load_workbook(io.BytesIO(served_bytes(served, button)))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9, sheet.title                          # A4
        # fitToWidth absent means 1 (its default in ECMA-376); fitToHeight 0: as tall as needed
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and int(setup.fitToWidth or 1) == 1
        assert int(setup.fitToHeight) == 0
        if sheet.title != "Sampul":
            assert sheet.print_title_rows == "$1:$1", sheet.title                # header row on every page
    orientation = {s.title: s.page_setup.orientation for s in book.worksheets}
    assert orientation["Perangkat daerah"] == "landscape"                        # 10 columns: wide
    assert orientation["Indikator utama"] == orientation["Sampul"] == "portrait"


def test_overview_compares_with_last_year_and_projects_december(app, monkeypatch):
    monkeypatch.setattr("metrics.activity.today_wib", lambda: dt.date(2026, 12, 6))
    at = app.run()
    participation = next(m for m in at.metric if m.label == "Tingkat partisipasi")
    # 2025: 1,724 roster NIPs attended (counted from the raw CSV); 3192/6953 - 1724/6953 = 0.2111 -> +21,1 points
    assert participation.delta == "+21,1 poin dibanding 2025"
    captions = " ".join(c.value for c in at.caption)
    # the November log stops on Friday 27 Nov (28-30 Nov are missing; other weekend days hold ~130 events):
    # on 6 December, January-October are the complete months and the day the data end is named
    assert ("Proyeksi akhir tahun dari 10 bulan lengkap (sampai Okt 2026; data sampai 27 November 2026):" in captions
            and "Metode: kurva jenuh" in captions)
    assert "belum cukup" not in captions          # 10 complete months: nothing says the data are not enough
    risk = next(d.value for d in at.dataframe if "Proyeksi" in d.value.columns)
    # an agency already at or above 50% is never listed as at risk
    assert not set(risk["Perangkat daerah"]) & {"Dinas Kesehatan", "Inspektorat", "Dinas Kebudayaan"}


def test_overview_agency_kind_filter_is_kept_in_the_url(app):
    app.query_params["jenis"] = "Badan"
    at = app.run()
    table = next(d.value for d in at.dataframe if "Perangkat daerah" in d.value.columns and "Status" in d.value.columns)
    # the sample's recap holds six Badan: BPSDM, BKD, Bappeda, BPKD, Bapenda, BPBD
    assert len(table) == 6 and all(n.startswith("Badan") for n in table["Perangkat daerah"])
    kind = next(s for s in at.sidebar.selectbox if s.label == "Jenis perangkat daerah")
    assert kind.value == "Badan"                                   # the URL's kind is the one chosen
    kind.set_value("Dinas").run()                                  # choosing another kind writes it to the URL
    assert at.query_params["jenis"] in (["Dinas"], "Dinas")
    table = next(d.value for d in at.dataframe if "Perangkat daerah" in d.value.columns and "Status" in d.value.columns)
    # the recap's rows 1-14 are the fourteen Dinas (Kesehatan ... Penanggulangan Kebakaran dan Penyelamatan)
    assert len(table) == 14 and all(n.startswith("Dinas") for n in table["Perangkat daerah"])
    next(s for s in at.sidebar.selectbox if s.label == "Jenis perangkat daerah").select_index(0).run()   # "all kinds"
    assert "jenis" not in at.query_params                          # all kinds: the parameter is removed
    table = next(d.value for d in at.dataframe if "Perangkat daerah" in d.value.columns and "Status" in d.value.columns)
    assert len(table) == 24


def _exports(db) -> list[tuple[str, str]]:
    """The ``export`` rows of the audit file beside ``db``: (username, file name)."""
    import json

    from data.ops.audit import audit_file
    rows = [json.loads(line) for line in audit_file(db).read_text().splitlines()] if audit_file(db).exists() else []
    return [(r["username"], r["detail"]) for r in rows if r["action"] == "export"]


def test_a_download_is_audited_when_its_file_is_made_not_on_the_click(field_db_copy, served):
    """Fresh-eyes F18: the audit row came from the click's callback, so a report the browser
    never received was audited as exported; and that callback reran the page, which dropped
    the file the browser was about to ask for. Now no download button reruns the page, and
    the row is written by the function that makes the file, once per file made."""
    at = logged_in(AppTest.from_file(APP, default_timeout=60)).run()
    buttons = {str(b.proto.label): b for b in at.get("download_button")}
    assert all(b.proto.ignore_rerun for b in buttons.values())            # a click never reruns the page
    report = buttons["Unduh laporan (XLSX)"]
    assert _exports(field_db_copy) == []                                    # a page view audits nothing
    served_bytes(served, report)                                            # the browser asks for the file
    assert _exports(field_db_copy) == [("test_pusdatin", "laporan_km_2026.xlsx")]
    served_bytes(served, report)                                            # asked again: made again, audited again
    assert len(_exports(field_db_copy)) == 2


def test_a_download_whose_file_fails_is_not_audited(field_db_copy):
    from dashboard.components.downloads import audited

    def broken() -> bytes:
        raise RuntimeError("chromium missing")
    with pytest.raises(RuntimeError):
        audited(broken, "laporan_km_2026.pdf", db=str(field_db_copy), username="pimpinan")()
    assert _exports(field_db_copy) == []
    assert audited(lambda: b"a;b\n", "x.csv", db=str(field_db_copy), username="pimpinan")() == b"a;b\n"
    assert _exports(field_db_copy) == [("pimpinan", "x.csv")]
