"""Every page reads in one language: in Indonesian mode no English word from ``ENGLISH``
appears, in English mode no Indonesian word from ``INDONESIAN``. Each page runs on the
field samples after an upload with rejected rows and a refused file (AppTest draws every
expander's content, opened or not); charts' titles, axes, legends and labels count too.

Text that is data, not the product's words (agency, CoP and file names, the rows and
cells of a file as read, user names), is left out by its column or its place; the
Indonesian domain words the English pages keep on purpose (Perangkat Daerah in agency
names, Terbit, Didampingi, rekap kegiatan, Peserta, Rata-rata, triwulan in the KPI definitions)
are not in the list, nor instrument names from the maturity files ("Penilaian Maturitas CoP v1");
"log", "per" and "audit" are Indonesian too."""
from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, logged_in

APP = str(REPO / "dashboard" / "app.py")
PAGES = ("ringkasan", "perangkat_daerah", "kegiatan", "maturitas", "penghargaan", "data", "definisi", "panduan")

ENGLISH = {"the", "and", "of", "with", "without", "rows", "row", "file", "files", "imported", "rejected", "skipped",
           "empty", "missing", "unknown", "agency", "agencies", "users", "rate", "score", "meeting", "meetings",
           "quarter", "month", "year", "download", "upload", "preset", "draws", "seed", "weight", "weights", "value",
           "reason", "sheet", "header", "loaded", "replaced", "duplicate", "never", "source", "details", "n/a", "vs",
           "initiate", "develop", "standardize", "optimize", "innovate", "not", "is", "are", "none", "yes", "read",
           "kind", "import", "imports", "history", "employees", "headcount", "assets", "published", "participation",
           "utilisation", "maturity", "activities", "accompanied", "ranking", "criterion", "settings", "shortlist",
           "projection", "band", "below", "above", "met", "undo", "change", "save", "choose", "all",
           "by", "from", "in", "to", "for", "at"}
INDONESIAN = {"dan", "yang", "dengan", "tidak", "belum", "sudah", "untuk", "dari", "ini", "pada", "baris", "berkas",
              "ditolak", "unduh", "bobot", "setelan", "dibanding", "t/a", "peringkat", "sumber", "lembar", "kosong",
              "terhadap", "atau", "tanpa", "halaman", "pengguna", "pemanfaatan", "tingkat", "impor", "diimpor",
              "bulan", "proyeksi", "rentang", "berisiko", "tercapai", "kriteria", "nilai", "alasan", "simpan", "pilih",
              "semua", "jenis", "riwayat", "rincian", "oleh", "dibuat", "partisipasi", "skor",
              "pendampingan", "penghargaan"}

AGENCIES = set(pd.read_csv(REPO / "data" / "reference" / "perangkat_daerah.csv")["name"])


def _is_data(text: str) -> bool:
    """An agency or CoP name as a chart category (with its status mark), not the product's words."""
    return text.lstrip("✔✖?★▲▼■ ").startswith("CoP ") or any(a in text for a in AGENCIES)


# Columns whose cells are data (names, files, the file's own cells), not the product's words.
DATA_COLUMNS = {"Perangkat daerah", "Agency", "CoP", "Berkas", "File", "Nilai", "Value", "Baris seperti dibaca",
                "Row as read", "Lembar", "Sheet", "Nama seperti ditulis", "Name as written", "Nama resmi terdekat",
                "Closest official names", "Pengguna", "User", "Oleh", "By", "Judul", "Title", "Aset", "Asset",
                "Pendamping", "Mentor", "Judul di berkas", "Header in the file", "Kolom", "Column", "Catatan", "Note",
                "Nama di ekspor dan baris perintah", "Name in exports and the command line", "Pengunggah",
                "Uploader", "Perangkat daerah pengguna", "Users' agency", "Kode alasan", "Reason code"}


def _upload(at) -> None:
    """An access log with one good row, a malformed NIP and an unknown action, and a PDF."""
    log = ("Waktu Akses,NIP,ID Aset,Aktivitas\n2026-03-01 08:00,198503302010012001,AP-1,Lihat\n"
           "2026-03-01 09:00,19850330201001200,AP-1,Lihat\n2026-03-01 10:00,198503302010012001,AP-1,Klik\n").encode()
    at.file_uploader[0].set_value([("log_akses_tambahan.csv", log, "text/csv"),
                                   ("laporan.xlsx", b"%PDF-1.4 not a spreadsheet", "application/pdf")]).run()
    at.button[0].click().run()


def _chart_texts(spec: dict) -> list[str]:
    """Titles, axis titles, trace names, annotations and category labels of a plotly figure."""
    found = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            if key in ("x", "y", "theta", "text") and all(isinstance(v, str) for v in node):
                found.extend(v for v in node if not _is_data(v))
            else:
                for v in node:
                    walk(v, key)
        elif isinstance(node, str) and key in ("text", "name") and not _is_data(node):
            found.append(node)
    walk({k: v for k, v in spec.items() if k != "layout"} | {"layout": {
        k: v for k, v in spec.get("layout", {}).items() if k != "template"}})
    return found


def _texts(at) -> list[str]:
    """Every piece of text a person reads on the page (see module docstring for what is left out)."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success",
                 "exception"):
        out += [str(e.value) for e in at.get(kind) if not str(e.value).startswith("<style>")]
    for m in at.metric:
        out += [m.label, str(m.value), str(m.proto.delta or ""), str(m.proto.help or "")]
    for kind in ("button", "download_button", "checkbox", "radio", "selectbox", "multiselect", "text_input",
                 "slider", "number_input", "expander", "tab", "file_uploader"):
        for e in at.get(kind):
            out.append(str(getattr(e.proto, "label", "")))
            out += [str(o) for o in getattr(e.proto, "options", []) if not _is_data(str(o))]
    for frame in at.dataframe:
        value = frame.value
        out += [str(c) for c in value.columns]
        for col in value.columns:
            if str(col) not in DATA_COLUMNS:
                out += [str(v) for v in value[col] if isinstance(v, str)]
    for chart in at.get("plotly_chart"):
        out += _chart_texts(json.loads(chart.proto.spec))
    return out


def _words(texts: list[str]) -> set[str]:
    words = set()
    for text in texts:
        text = re.sub(r"`[^`]*`", " ", text.replace("\\", ""))       # code and commands; Markdown escapes
        text = re.sub(r"https?://\S+|\S+\.(csv|xlsx|duckdb|py|json)\b", " ", text)
        for token in re.findall(r"[A-Za-z_/][A-Za-z_/'’-]*", text):       # a reason code stays one token
            if "_" not in token:
                words.add(token.lower().strip("'’-"))
    return words


@pytest.fixture(scope="module")
def uploaded_db(field_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("words") / "words.duckdb"
    shutil.copy(field_db, db)
    return db


def _page(db, monkeypatch, lang: str, page: str):
    monkeypatch.setenv("KMDASH_DB", str(db))
    at = logged_in(AppTest.from_file(APP, default_timeout=90))
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(f"views/{page}.py").run()
    if page == "data":
        _upload(at)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_a_page_in_indonesian_has_no_english_words(uploaded_db, monkeypatch, page):
    at = _page(uploaded_db, monkeypatch, "id", page)
    found = _words(_texts(at)) & ENGLISH
    assert not found, f"{page}: English words in Indonesian mode: {sorted(found)}"


@pytest.mark.parametrize("page", PAGES)
def test_a_page_in_english_has_no_indonesian_words(uploaded_db, monkeypatch, page):
    at = _page(uploaded_db, monkeypatch, "en", page)
    found = _words(_texts(at)) & INDONESIAN
    assert not found, f"{page}: Indonesian words in English mode: {sorted(found)}"


def test_the_upload_shows_its_rejected_rows_and_refusal(uploaded_db, monkeypatch):
    at = _page(uploaded_db, monkeypatch, "id", "data")
    texts = _texts(at)
    assert any("NIP harus 18 digit 0-9, berisi 17 karakter" in t for t in texts)       # the malformed NIP
    assert any("aksi tidak dikenal" in t for t in texts)                                # 'Klik' is no action
    assert any(t.startswith("✖ ditolak") for t in texts)                                 # the PDF refused


@pytest.fixture(scope="module")
def award_db(tmp_path_factory):
    from data.ingest import ingest_paths
    db = tmp_path_factory.mktemp("words_award") / "award.duckdb"
    assert all(r.status == "imported" for r in ingest_paths([REPO / "tests" / "fixtures" / "award"], db=db))
    return db


@pytest.mark.parametrize("lang, words", [("id", ENGLISH), ("en", INDONESIAN)])
def test_the_award_page_with_a_ranking_reads_in_one_language(award_db, monkeypatch, lang, words):
    monkeypatch.setenv("KMDASH_DB", str(award_db))
    at = logged_in(AppTest.from_file(APP, default_timeout=90))
    at.query_params.update({"lang": lang, "tahun": "2026"})
    at.run()
    at.switch_page("views/penghargaan.py").run()
    assert not at.exception and len(at.dataframe[0].value) == 2          # Sehat and Mutu ranked, two ineligible
    found = _words(_texts(at)) & words
    assert not found, f"award page ({lang}): {sorted(found)}"
