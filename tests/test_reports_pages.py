"""The PDF and PPTX buttons on Ringkasan and Perangkat daerah (AppTest on the field
samples): nothing is rendered until a button is clicked, and the file served holds the
page's figures (formatted by hand the Indonesian way)."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pptx import Presentation

from tests.test_dashboard_pages import app, served, served_bytes  # noqa: F401  (fixtures)

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("chromium")),
                                reason="needs poppler-utils and chromium (scripts/test installs both)")


def _buttons(at) -> dict:
    return {str(b.proto.label): b for b in at.get("download_button")}


def test_overview_pdf_is_made_on_click_and_holds_the_overall_utilisation(app, served, tmp_path):  # noqa: F811
    at = app.run()
    assert not at.exception
    button = _buttons(at)["Laporan satu halaman (PDF)"]
    assert not button.proto.url and button.proto.deferred_file_id      # not rendered on page view
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(served_bytes(served, button))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "39,6%" in text and "Dinas Perpustakaan dan Kearsipan" in text


def test_agency_slides_are_made_on_click_for_the_chosen_agency(app, served):  # noqa: F811
    at = app.run()
    at.query_params["skpd"] = "Dinas Kesehatan"
    at.switch_page("views/perangkat_daerah.py").run()
    assert [t.value for t in at.title] == ["Perangkat daerah"]
    assert not at.exception
    button = _buttons(at)["Bahan paparan (PPTX)"]
    deck = Presentation(io.BytesIO(served_bytes(served, button)))
    text = " ".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert "Dinas Kesehatan" in text and "57,4%" in text                 # 167 / 291 = 0.5739


def test_pusdatin_adds_and_removes_a_subscription_on_data_page(field_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from data.ops.audit import audit_file
    from data.store.connection import connect
    from reports.delivery import subscriptions
    from tests.conftest import REPO, logged_in
    db = tmp_path / "field.duckdb"
    shutil.copy(field_db, db)
    monkeypatch.setenv("KMDASH_DB", str(db))
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    address = next(t for t in at.text_input if t.label == "Alamat e-mail")
    address.input("Kepala.Dinkes@jakarta.go.id")
    next(s for s in at.selectbox if s.label == "Laporan").select("Dinas Kesehatan")
    next(s for s in at.selectbox if s.label == "Frekuensi").select("weekly")
    next(b for b in at.button if b.label == "Simpan langganan").click().run()
    assert not at.exception
    with connect(db, read_only=True) as con:
        rows = subscriptions(con)[["address", "skpd", "frequency", "lang", "alerts"]].values.tolist()
    assert rows == [["kepala.dinkes@jakarta.go.id", "Dinas Kesehatan", "weekly", "id", True]]
    next(b for b in at.button if b.label == "Hapus langganan").click().run()
    with connect(db, read_only=True) as con:
        assert subscriptions(con).empty
    audit = audit_file(db).read_text(encoding="utf-8")
    assert audit.count('"subscribe"') == 2 and "unsubscribe kepala.dinkes@jakarta.go.id from Dinas Kesehatan" in audit
