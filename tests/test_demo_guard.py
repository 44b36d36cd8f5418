"""The demo database never takes field data (the import refuses it, the data page offers no
upload) and says it is the demo on every page."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.ingest import ingest_file
from data.store.connection import connect, row_counts, set_meta
from tests.conftest import FIELD_SAMPLES, REPO, logged_in

BANNER = "Data demo: angka di sini dibuat oleh produk, bukan data lapangan."


@pytest.fixture
def demo_db(field_db_copy):
    with connect(field_db_copy) as con:
        set_meta(con, "is_demo", "true")
    return field_db_copy


def test_a_field_file_offered_to_the_demo_database_is_refused_and_changes_nothing(demo_db):
    with connect(demo_db, read_only=True) as con:
        before = row_counts(con)
    result = ingest_file(FIELD_SAMPLES / "daftar_pegawai.csv", db=demo_db)
    assert (result.status, result.reason_code) == ("refused", "demo_database")
    assert "--db data/kmdash.duckdb" in result.reason
    with connect(demo_db, read_only=True) as con:
        assert row_counts(con) == before


def test_the_same_file_goes_into_a_real_database(field_db_copy):
    assert ingest_file(FIELD_SAMPLES / "daftar_pegawai.csv", db=field_db_copy).reason_code != "demo_database"


@pytest.mark.parametrize("page", ["ringkasan", "perangkat_daerah", "kegiatan", "maturitas", "penghargaan", "data"])
def test_every_page_of_the_demo_shows_the_banner_once(demo_db, page):
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)).run()
    if page != "ringkasan":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception
    assert [i.value for i in at.info].count(BANNER) == 1
    if page == "data":
        assert not at.get("file_uploader")
        assert any("Ini basis data demo" in w.value for w in at.warning)


def test_a_real_database_shows_no_banner(field_db_copy):
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)).run()
    assert BANNER not in [i.value for i in at.info]
    at.switch_page("views/data.py").run()
    assert at.get("file_uploader")                                    # the upload is there on a real database
