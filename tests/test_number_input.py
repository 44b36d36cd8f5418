"""Numbers typed the way the page's language writes them: ``0,3`` in Indonesian is 0.3,
never 3; text that could be misread is refused with a message, and the value used is shown."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components.number_input import NumberTextError, parse_number, whole_number
from data.ingest import ingest_paths
from tests.conftest import REPO, logged_in

AWARD_FIXTURES = Path(__file__).parent / "fixtures" / "award"


@pytest.mark.parametrize("text, lang, value", [
    ("0,3", "id", 0.3), ("1.234,5", "id", 1234.5), ("  0,3 ", "id", 0.3), ("12", "id", 12.0),
    ("0.3", "en", 0.3), ("1,234.5", "en", 1234.5),
])
def test_a_number_is_read_in_the_pages_notation(text, lang, value):
    assert parse_number(text, lang) == value


@pytest.mark.parametrize("text, lang", [("0.3", "id"), ("0,3", "en"), ("", "id"), ("abc", "id"), ("1,2,3", "id")])
def test_text_that_could_be_misread_is_refused(text, lang):
    with pytest.raises(NumberTextError):
        parse_number(text, lang)


def test_bounds_and_whole_numbers_are_checked_with_a_message_in_the_language():
    with pytest.raises(NumberTextError, match="di luar"):
        parse_number("101", "id", min_value=0, max_value=100)
    assert whole_number("1.234", "id") == 1234
    with pytest.raises(NumberTextError, match="bukan bilangan bulat"):
        whole_number("2,5", "id")


@pytest.fixture(scope="module")
def award_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("award_input") / "award.duckdb"
    assert all(r.status == "imported" for r in ingest_paths([AWARD_FIXTURES], db=path))
    return path


def _award_page(award_db, monkeypatch, lang: str, weight_text: str):
    monkeypatch.setenv("KMDASH_DB", str(award_db))
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60))
    at.query_params["tahun"] = "2026"
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("views/penghargaan.py").run()
    at.text_input(key=f"w_maturity_score__text_{lang}").set_value(weight_text).run()
    assert not at.exception
    return at


def test_0_3_typed_in_indonesian_ranks_exactly_as_0_3(award_db, monkeypatch):
    # tests/test_award.py's cast: maturity weight 0.3, the others default (sum 1.1).
    # Sehat: .8 / 1.1 = 0.727273; Mutu: (.3 + .15 + .1 + .1) / 1.1 = 0.590909. Read as 3 it would be
    # Mutu (3.35 / 3.8 = 0.88) above Sehat (0.8 / 3.8 = 0.21).
    indonesian = _award_page(award_db, monkeypatch, "id", "0,3")
    english = _award_page(award_db, monkeypatch, "en", "0.3")
    id_table, en_table = indonesian.dataframe[0].value, english.dataframe[0].value
    assert list(id_table["CoP"]) == list(en_table["CoP"]) == ["CoP Sehat", "CoP Mutu"]
    assert list(id_table["Skor"]) == ["0,7273", "0,5909"]
    assert list(en_table["Score"]) == ["0.7273", "0.5909"]
    assert "→ 0,30" in [c.value for c in indonesian.sidebar.caption]       # the value used, echoed


def test_0_3_typed_in_english_mode_as_0_comma_3_is_refused_not_read_as_3(award_db, monkeypatch):
    english = _award_page(award_db, monkeypatch, "en", "0,3")
    assert english.sidebar.error, "a refused number is said so"
    assert list(english.dataframe[0].value["Score"]) == ["0.8000", "0.5500"]     # the default 0.2 stays in use
