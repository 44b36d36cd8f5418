"""Nothing from a URL, a file or a file name renders as Markdown or HTML (issue #15).

Every page, in both languages, is run with the hostile strings in every URL query key the
pages read, in a maturity file's title row and CoP name, in an uploaded file's name and in
the user name; then every Markdown-rendered string of every element (bodies of markdown,
captions, alerts, toasts; labels and help of metrics, widgets and expanders) is checked for
the payload's markup left unescaped."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import SESSION_KEY
from dashboard.components.escape import md
from dashboard.users import User
from tests.conftest import REPO
from tests.fixtures.hostile.strings import ALL_IN_ONE, COLOUR, HOSTILE, HTML, MATH, PHISH

APP = str(REPO / "dashboard" / "app.py")
HOSTILE_DIR = REPO / "tests" / "fixtures" / "hostile"
PAGES = ("ringkasan", "perangkat_daerah", "kegiatan", "maturitas", "penghargaan", "data", "definisi", "panduan")
QUERY_KEYS = ("tahun", "skpd", "cop", "jenis", "lang_extra", "page")
# markup of the payloads, as it reads when left unescaped (escaped characters are blanked first)
PAYLOAD_MARKUP = ("](http://attacker", "![t](", "![m](", ":red[", "$x^2$", "<img", "http://attacker")
NOT_MARKDOWN = {"text", "code", "dataframe", "arrow_data_frame", "plotly_chart", "json", "exception", "selectbox",
                "multiselect", "download_button"}


def unescaped_markup(text: str) -> list[str]:
    """The payload markup found in ``text`` once every backslash-escaped character is blanked."""
    inert = re.sub(r"\\.", "_", text)
    return [m for m in PAYLOAD_MARKUP if m in inert]


def test_md_escapes_each_hostile_string_and_keeps_its_characters():
    for hostile in HOSTILE:
        escaped = md(hostile)
        assert unescaped_markup(escaped) == []
        assert re.sub(r"\\(.)", r"\1", escaped) == hostile       # what the reader sees is the text itself
    assert md("a\n# b\n\n    c") == "a \\# b c"                     # no block can start inside a value
    assert md(COLOUR) == "\\:red\\[\\*\\*MERAH\\*\\*\\]"
    assert md(MATH) == "\\$x\\^2\\$"
    assert md(HTML).startswith("\\<img")


def test_the_checker_finds_each_payload_left_raw():
    assert unescaped_markup(PHISH) == ["](http://attacker", "![t](", "http://attacker"]
    assert unescaped_markup(COLOUR) == [":red["]
    assert unescaped_markup(MATH) == ["$x^2$"]
    assert unescaped_markup(HTML) == ["<img"]


def test_chart_text_from_files_is_escaped_for_plotly():
    """Plotly renders ``<a href>`` in chart text (a raw label became a link in chromium; the
    escaped one stayed text), so a CoP name from a file is escaped in the maturity charts."""
    import pandas as pd

    from dashboard.components.charts_maturity import change_chart, radar_chart
    from dashboard.components.escape import plain
    from metrics.maturity import COMPARED, DIMENSIONS
    hostile = '<a href="http://attacker/phish">Klik</a> ' + HTML
    assert plain(hostile) == '&lt;a href="http://attacker/phish"&gt;Klik&lt;/a&gt; &lt;img src=x onerror=alert(1)&gt;'
    scores = pd.DataFrame({"cop": [hostile], "comparison": [COMPARED], "score_change": [0.5]})
    assert list(change_chart(scores, "id").data[0].y) == [f"▲ {plain(hostile)}"]
    cop = pd.Series({"cop": hostile, **{d: 3.0 for d in DIMENSIONS}})
    assert radar_chart(cop, {d: 2.0 for d in DIMENSIONS}, "id").data[1].name == plain(hostile)


def _markdown_strings(proto, kind: str) -> list[str]:
    """The string fields Streamlit renders as Markdown: ``body``, ``label``, ``help`` (and a
    radio's options), searched through nested messages."""
    found = []
    for field, value in proto.ListFields():
        if field.type not in (field.TYPE_MESSAGE, field.TYPE_STRING):
            continue
        items = [value] if isinstance(value, str) or hasattr(value, "ListFields") else list(value)
        if field.type == field.TYPE_MESSAGE:
            for item in items:
                found += _markdown_strings(item, kind)
        elif field.type == field.TYPE_STRING and (field.name in ("body", "label", "help") or
                                                  (kind == "radio" and field.name == "options")):
            found += items
    return found


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def rendered_markdown(at: AppTest) -> list[str]:
    """Every Markdown-rendered string on the page (main area and sidebar)."""
    strings = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or getattr(node, "type", None) in NOT_MARKDOWN:
            continue
        strings += _markdown_strings(proto, node.type)
    return strings


@pytest.fixture(scope="module")
def hostile_db(field_db, tmp_path_factory) -> Path:
    """The field samples plus a maturity file whose title row and CoP name are hostile, imported
    under a hostile file name."""
    from data.ingest import ingest_file
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    shutil.copy(field_db, db)
    result = ingest_file(HOSTILE_DIR / "penilaian_maturitas_hostile.csv", db=db, display_name=f"{PHISH}.csv")
    assert result.status == "imported", result.reason
    return db


def _page(db: Path, monkeypatch, page: str, lang: str, role: str = "pusdatin", skpd: str | None = None) -> AppTest:
    monkeypatch.setenv("KMDASH_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[SESSION_KEY] = User(f"u {ALL_IN_ONE}", role, skpd, "", "")
    for key in QUERY_KEYS:
        at.query_params[key] = ALL_IN_ONE
    at.query_params["lang"] = lang
    at.run()
    if page != "ringkasan":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_hostile_text_as_markdown(hostile_db, monkeypatch, page, lang):
    at = _page(hostile_db, monkeypatch, page, lang)
    strings = rendered_markdown(at)
    leaks = [(s, unescaped_markup(s)) for s in strings if unescaped_markup(s)]
    assert leaks == []
    shown = " ".join(strings)
    assert md(f"u {ALL_IN_ONE}") in shown                 # the user name went through the sidebar, escaped
    if page not in ("definisi", "panduan", "data"):
        assert md(ALL_IN_ONE) in shown                    # the year from the URL is echoed in its warning, escaped
    if page == "maturitas":
        assert "v2 \\!\\[m\\]\\(http\\:" in shown         # the instrument from the title row, escaped
        assert "CoP \\[Masuk\\]\\(http\\:" in shown       # the CoP name in the level-mismatch warning, escaped


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_uploaded_files_name_and_cells_show_escaped_in_the_preview(hostile_db, tmp_path, monkeypatch, lang):
    db = tmp_path / "upload.duckdb"
    shutil.copy(hostile_db, db)
    at = _page(db, monkeypatch, "data", lang)
    content = (HOSTILE_DIR / "penilaian_maturitas_hostile.csv").read_bytes()
    at.file_uploader[0].set_value([(f"{PHISH}.csv", content, "text/csv"),
                                   (f"{COLOUR} {HTML}.xlsx", b"%PDF-1.4 " + MATH.encode(), "application/pdf")]).run()
    assert not at.exception
    at.button[0].click().run()                            # import: the results' notes name the files
    assert not at.exception
    strings = rendered_markdown(at)
    assert [(s, unescaped_markup(s)) for s in strings if unescaped_markup(s)] == []
    labels = " ".join(strings)
    assert md(f"{PHISH}.csv") in labels and md(f"{COLOUR} {HTML}.xlsx") in labels


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", ["perangkat_daerah", "kegiatan", "maturitas"])
def test_an_agency_admin_asking_for_a_hostile_agency_gets_no_markup(hostile_db, monkeypatch, page, lang):
    at = _page(hostile_db, monkeypatch, page, lang, role="admin_pd", skpd="Dinas Perhubungan")
    assert [s for s in rendered_markdown(at) if unescaped_markup(s)] == []
