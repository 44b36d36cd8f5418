"""Every refused page and refused agency writes an audit row (issue #15): a link to a page
the role does not open, a page script reached directly, and an agency outside an
``admin_pd``'s own."""
from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data.ops.audit import audit_entries
from data.store.connection import connect
from tests.conftest import REPO, logged_in

APP = str(REPO / "dashboard" / "app.py")
ROLE_SKPD = {"admin_pd": "Dinas Kesehatan"}
# URL paths of pages each role does not open (the overview has no path: it is the root)
REFUSED_LINKS = {"pimpinan": ["data"], "penilai": ["data"], "admin_pd": ["penghargaan", "data"], "pusdatin": []}
URL_PATH = {"data": "data", "penghargaan": "penghargaan"}


@pytest.fixture
def db(field_db, tmp_path, monkeypatch):
    path = tmp_path / "refusals.duckdb"
    shutil.copy(field_db, path)
    monkeypatch.setenv("KMDASH_DB", str(path))
    return path


def _refused(db) -> list[tuple[str, str]]:
    with connect(db, read_only=True) as con:
        rows = audit_entries(con).query("action == 'refused'")
    return sorted(zip(rows["username"], rows["detail"]))


def _opening(monkeypatch, url_path: str) -> None:
    """The browser's address is ``/url_path`` (AppTest has no address bar)."""
    monkeypatch.setattr(type(st.context), "url", property(lambda self: f"http://localhost:8501/{url_path}"))


def test_each_link_to_a_page_the_role_does_not_open_writes_one_row(db, monkeypatch):
    for role, pages in REFUSED_LINKS.items():
        for page in pages + ["kegiatan"]:
            _opening(monkeypatch, URL_PATH.get(page, page))
            at = logged_in(AppTest.from_file(APP, default_timeout=60), role, ROLE_SKPD.get(role)).run()
            at.run()                                                   # a rerun of the same session adds nothing
            assert not at.exception
            refused = "Peran Anda tidak membuka halaman ini." in [w.value for w in at.warning]
            assert refused == (page != "kegiatan"), (role, page)       # every role opens Kegiatan
    # 4 refused links, 1 row each: pimpinan /data, penilai /data, admin_pd /penghargaan and /data
    assert _refused(db) == [("test_admin_pd", "page=data"), ("test_admin_pd", "page=penghargaan"),
                            ("test_penilai", "page=data"), ("test_pimpinan", "page=data")]


def test_a_page_script_reached_directly_writes_one_row(db):
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "views" / "data.py"), default_timeout=60),
                   "penilai").run()
    assert [e.value for e in at.error] == ["Peran Anda tidak membuka halaman ini."]
    assert _refused(db) == [("test_penilai", "page=data")]


def test_another_agency_asked_by_an_agency_admin_writes_one_row_per_run(db):
    at = logged_in(AppTest.from_file(APP, default_timeout=60), "admin_pd", "Dinas Kesehatan")
    at.query_params["skpd"] = "Inspektorat"
    at.run()
    assert _refused(db) == [("test_admin_pd", "skpd=Inspektorat")]
