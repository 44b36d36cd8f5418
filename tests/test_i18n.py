"""The message catalogues: every text the code marks for translation has a translation in
both catalogues with the same placeholders, and the language chosen is kept."""
from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from dashboard.components.i18n import LANGUAGES, po_path, tr
from dashboard.i18n_catalogue import used_messages
from tests.conftest import REPO, logged_in

APP = str(REPO / "dashboard" / "app.py")

def _catalogue(lang: str):
    with po_path(lang).open("rb") as source:
        return read_po(source, locale=lang)

def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

def test_code_marks_a_few_hundred_texts():
    assert len([m for m in used_messages() if m.id]) > 200

@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_in_code_has_a_translation(lang):
    catalogue = _catalogue(lang)
    missing = []
    for message in used_messages():
        if not message.id:
            continue
        found = catalogue.get(message.id)
        strings = () if found is None else found.string if isinstance(found.string, tuple) else (found.string,)
        if not strings or not all(strings):
            missing.append(message.id)
    assert not missing, f"untranslated in {lang} (run python -m dashboard.i18n_catalogue): {missing}"

def test_translations_keep_the_placeholders():
    wrong = []
    for message in _catalogue("id"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and any(_fields(s) != _fields(ids[0]) for s in strings if s):
            wrong.append(message.id)
    assert not wrong

def test_indonesian_differs_from_english_where_words_differ():
    assert tr("Import history", "id") == "Riwayat impor"
    assert tr("Import history", "en") == "Import history"
    assert tr("Rejected rows", "id") == "Baris ditolak"

def test_every_choice_that_can_be_empty_has_a_placeholder_in_the_page_language():
    """A selectbox with nothing chosen (``index=None``) or a multiselect shows Streamlit's own
    English "Choose an option" unless it is given a ``placeholder`` (the undo list did)."""
    import ast
    bare = []
    for path in sorted((REPO / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("selectbox", "multiselect")):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            empty = node.func.attr == "multiselect" or (isinstance(keywords.get("index"), ast.Constant)
                                                        and keywords["index"].value is None)
            if empty and "placeholder" not in keywords:
                bare.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not bare, f"no placeholder=tr(...): {bare}"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        tr("Import history", "fr")

@pytest.fixture
def app(field_db, monkeypatch):
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    return logged_in(AppTest.from_file(APP, default_timeout=60))

def test_english_chosen_once_stays_on_the_next_page(app):
    at = app.run()
    assert at.title[0].value == "Dasbor Manajemen Pengetahuan"          # Indonesian by default
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Knowledge Management Dashboard"
    at.query_params.clear()                                               # st.navigation drops the query on a move
    at.switch_page("views/kegiatan.py").run()
    assert not at.exception
    assert at.title[0].value == "CoP meetings"
    assert at.query_params["lang"] == "en"                           # written back: a reload keeps it

def test_a_shared_link_opens_in_its_language(app):
    app.query_params["lang"] = "en"
    at = app.run()
    assert at.title[0].value == "Knowledge Management Dashboard"
    assert at.sidebar.radio[0].value == "en"


def _new_tab(field_db, monkeypatch, session_id: str | None, query: dict[str, str]) -> AppTest:
    """Another tab of the browser: a new session (nothing in its state but the logged-in user)
    that brings the login cookie of login ``session_id`` (None: no cookie)."""
    import streamlit as st

    from dashboard import session
    value = session.exchange_handoff(session.issue_handoff("test_pusdatin", "", session_id)) if session_id else None
    monkeypatch.setattr(type(st.context), "cookies", property(lambda self: {session.COOKIE_NAME: value} if value else {}))
    tab = logged_in(AppTest.from_file(APP, default_timeout=60))
    tab.query_params.update(query)
    return tab.run()


def test_a_new_tab_of_the_same_login_keeps_the_language_the_person_chose_unless_its_link_names_one(
        field_db, monkeypatch, tmp_path):
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    monkeypatch.setenv("KMDASH_SESSION_KEY_FILE", str(tmp_path / "session.key"))
    first = logged_in(AppTest.from_file(APP, default_timeout=60))
    first.session_state["session_id"] = "a" * 32                       # this tab's login (access._start)
    first.run().sidebar.radio[0].set_value("en").run()
    assert first.title[0].value == "Knowledge Management Dashboard"
    # a link pasted into a new tab without ?lang: the cookie names the login, whose person chose English
    assert _new_tab(field_db, monkeypatch, "a" * 32, {"skpd": "BKD"}).title[0].value == "Knowledge Management Dashboard"
    # a link naming its language still wins (and does not change the person's choice)
    assert _new_tab(field_db, monkeypatch, "a" * 32, {"lang": "id"}).title[0].value == "Dasbor Manajemen Pengetahuan"
    assert _new_tab(field_db, monkeypatch, "a" * 32, {}).title[0].value == "Knowledge Management Dashboard"
    # another login (another person, or no cookie) starts in Indonesian
    assert _new_tab(field_db, monkeypatch, "b" * 32, {}).title[0].value == "Dasbor Manajemen Pengetahuan"
    assert _new_tab(field_db, monkeypatch, None, {}).title[0].value == "Dasbor Manajemen Pengetahuan"
