"""Who may see what: login before any data, pages by role, scope enforced where data is
read (an admin_pd asking for another agency through the URL gets their own), and the
audit log of logins and refusals."""
from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import PAGES
from dashboard.users import add_user, ensure_demo_users, load_users, verify
from data.ops.audit import audit_entries
from data.store.connection import connect, set_meta
from tests.conftest import REPO, logged_in

APP = str(REPO / "dashboard" / "app.py")
VIEWS = {"ringkasan": "views/ringkasan.py", "perangkat_daerah": "views/perangkat_daerah.py",
         "kegiatan": "views/kegiatan.py", "maturitas": "views/maturitas.py", "penghargaan": "views/penghargaan.py",
         "data": "views/data.py", "definisi": "views/definisi.py", "panduan": "views/panduan.py"}
ROLE_SKPD = {"admin_pd": "Dinas Kesehatan"}


@pytest.fixture
def db(field_db, tmp_path, monkeypatch):
    path = tmp_path / "access.duckdb"
    shutil.copy(field_db, path)
    monkeypatch.setenv("KMDASH_DB", str(path))
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    return path


def test_no_data_before_login_and_wrong_password_refused(db, tmp_path):
    add_user("ani", "pimpinan", "rahasia-panjang")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.metric and not at.dataframe                      # nothing but the login form
    at.text_input[0].input("ani")
    at.text_input[1].input("salah-sekali")
    at.button[0].click().run()
    assert at.error[0].value == "Nama pengguna atau kata sandi salah."
    assert not at.metric
    at.text_input[1].input("rahasia-panjang")
    at.button[0].click().run()
    assert {m.label for m in at.metric} >= {"Tingkat pemanfaatan"}
    with connect(db, read_only=True) as con:
        actions = audit_entries(con)[["username", "action"]].values.tolist()
    assert actions[:2] == [["ani", "login"], ["ani", "login_failed"]]   # newest first


def test_real_database_never_opens_without_a_users_file(db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.error[0].value.startswith("Belum ada berkas pengguna")
    assert not at.metric and not at.text_input


def test_demo_database_creates_one_account_per_role(db, tmp_path):
    with connect(db) as con:
        set_meta(con, "is_demo", "true")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.info[0].value.startswith("Akun demo dibuat")
    users = load_users()
    assert {u.role for u in users.values()} == {"pimpinan", "pusdatin", "penilai", "admin_pd"}
    assert users["demo_admin_pd"].skpd == "Dinas Kesehatan"
    assert ensure_demo_users() is None                               # never twice


def _log_in(name: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def test_a_demo_account_cannot_log_in_to_a_real_database(db):
    add_user("demo_pimpinan", "pimpinan", "kata-sandi-demo")          # right password, real (not demo) database
    at = _log_in("demo_pimpinan", "kata-sandi-demo")
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert not at.metric
    with connect(db) as con:
        assert audit_entries(con)[["username", "action"]].values.tolist()[0] == ["demo_pimpinan", "login_failed"]
        set_meta(con, "is_demo", "true")                               # the same account on a demo database
    at = _log_in("demo_pimpinan", "kata-sandi-demo")
    assert not at.error and {m.label for m in at.metric} >= {"Tingkat pemanfaatan"}


def test_passwords_are_stored_hashed(db, tmp_path):
    add_user("budi", "pusdatin", "kata-sandi-budi")
    stored = (tmp_path / "users.json").read_text(encoding="utf-8")
    assert "kata-sandi-budi" not in stored and "$argon2id$" in stored
    assert verify("budi", "kata-sandi-budi").role == "pusdatin"
    assert verify("budi", "salah") is None and verify("tidak-ada", "x") is None


@pytest.mark.parametrize("role", list(PAGES))
@pytest.mark.parametrize("page", list(VIEWS))
def test_role_matrix(db, role, page):
    at = logged_in(AppTest.from_file(APP, default_timeout=60), role, ROLE_SKPD.get(role)).run()
    if page in PAGES[role]:
        at.switch_page(VIEWS[page]).run()
        assert not at.exception, (role, page)
        assert "Peran Anda tidak membuka halaman ini." not in [e.value for e in at.error]
        return
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(VIEWS[page])                              # not offered to this role at all
    # and the page itself refuses when its script is reached another way (defence in depth)
    direct = logged_in(AppTest.from_file(str(REPO / "dashboard" / VIEWS[page]), default_timeout=60),
                       role, ROLE_SKPD.get(role)).run()
    assert [e.value for e in direct.error] == ["Peran Anda tidak membuka halaman ini."]
    assert not direct.metric and not direct.dataframe


def test_admin_pd_asking_for_another_agency_gets_their_own(db):
    at = logged_in(AppTest.from_file(APP, default_timeout=60), "admin_pd", "Dinas Kesehatan")
    at.query_params["skpd"] = "Inspektorat"
    at.run()                                               # admin_pd lands on their agency page
    assert at.warning[0].value == "Anda hanya dapat melihat data perangkat daerah Anda sendiri."
    shown = " ".join(str(m.value) for m in at.metric)
    assert shown.startswith("57,4%")                       # Dinas Kesehatan: 167 / 291 users
    assert "62,9%" not in shown                            # not Inspektorat's 215 / 342
    with connect(db, read_only=True) as con:
        refused = audit_entries(con).query("action == 'refused'")["detail"].tolist()
    assert "skpd=Inspektorat" in refused


@pytest.mark.parametrize("spelling", ["Dinkes", "dinas kesehatan", "Dinas Kesehatan Provinsi DKI Jakarta"])
def test_admin_pd_naming_their_own_agency_another_way_is_not_refused(db, spelling):
    at = logged_in(AppTest.from_file(APP, default_timeout=60), "admin_pd", "Dinas Kesehatan")
    at.query_params["skpd"] = spelling                     # Dinkes: Dinas Kesehatan's abbreviation
    at.run()
    assert not at.warning
    assert " ".join(str(m.value) for m in at.metric).startswith("57,4%")     # 167 / 291
    with connect(db, read_only=True) as con:
        assert audit_entries(con).query("action == 'refused'").empty


def test_admin_pd_naming_another_agency_by_abbreviation_is_refused(db):
    at = logged_in(AppTest.from_file(APP, default_timeout=60), "admin_pd", "Dinas Kesehatan")
    at.query_params["skpd"] = "Dishub"
    at.run()
    assert at.warning[0].value == "Anda hanya dapat melihat data perangkat daerah Anda sendiri."
    assert " ".join(str(m.value) for m in at.metric).startswith("57,4%")
    with connect(db, read_only=True) as con:
        refused = audit_entries(con).query("action == 'refused'")["detail"].tolist()
    assert "skpd=Dinas Perhubungan" in refused


def _shown_text(at) -> str:
    return " ".join(d.value.astype(str).to_csv(index=False) for d in at.dataframe)


def test_a_rejected_rows_cells_with_nips_stay_with_pusdatin_whoever_opens_the_page(db, monkeypatch, tmp_path):
    import re

    from dashboard import access
    from data.ingest import ingest_file
    log = tmp_path / "log_akses_tambahan.csv"     # one good row, one with an unknown action: rejected with its NIP
    log.write_text("Waktu Akses,NIP,ID Aset,Aktivitas\n2026-03-01 08:00,198503302010012001,AP-1,Lihat\n"
                   "2026-03-01 09:00,198503302010012001,AP-1,Klik\n", encoding="utf-8")
    assert ingest_file(log, db=db).rows_rejected == 1
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "views" / "data.py"), default_timeout=60), "pusdatin").run()
    rejected = next(d.value for d in at.dataframe if "Kode alasan" in d.value.columns)
    assert {"Nilai", "Baris seperti dibaca"} <= set(rejected.columns)
    assert re.search(r"\b\d{18}\b", _shown_text(at))                 # the data office sees the NIPs
    # the data page opened to another role (as a later change of PAGES might): no NIP reaches it
    monkeypatch.setitem(access.PAGES, "pimpinan", (*access.PAGES["pimpinan"], "data"))
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "views" / "data.py"), default_timeout=60), "pimpinan").run()
    rejected = next(d.value for d in at.dataframe if "Kode alasan" in d.value.columns)
    assert not {"Nilai", "Baris seperti dibaca"} & set(rejected.columns) and len(rejected) > 0
    assert not re.search(r"\b\d{18}\b", _shown_text(at))


def test_only_pusdatin_sees_rejected_rows_with_nips(db):
    for role in ("pimpinan", "penilai", "admin_pd"):
        at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "views" / "data.py"), default_timeout=60),
                       role, ROLE_SKPD.get(role)).run()
        assert not at.dataframe, role
    at = logged_in(AppTest.from_file(APP, default_timeout=60), "pusdatin").run()
    at.switch_page("views/data.py").run()
    assert any("Baris" in d.value.columns and "Nilai" in d.value.columns for d in at.dataframe)   # rejected rows
