"""The slides (python -m reports pptx): opened back with python-pptx; the figures are the
PDF's, checked against the shipped expected values formatted by hand."""
from __future__ import annotations

import shutil

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from reports.__main__ import main

pytestmark = pytest.mark.skipif(not shutil.which("chromium"), reason="needs chromium (scripts/test installs it)")


def _pct_id(rate: float) -> str:
    return f"{rate * 100:.1f}%".replace(".", ",")


@pytest.fixture(scope="module")
def deck(field_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("pptx") / "paparan.pptx"
    assert main(["pptx", "--year", "2026", "--db", str(field_db), "--out", str(out)]) == 0
    return Presentation(str(out))


def _texts(deck) -> list[str]:
    found = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                found.append(shape.text_frame.text)
            if shape.has_table:
                found += [cell.text for row in shape.table.rows for cell in row.cells]
    return found


def _table_rows(deck, header: str) -> list[list[str]]:
    rows = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table and shape.table.cell(0, 1).text == header:
                rows += [[c.text for c in row.cells] for row in list(shape.table.rows)[1:]]
    return rows


def test_deck_holds_the_headline_figures(deck, expected):
    text = "\n".join(_texts(deck))
    assert "39,6%" in text
    assert _pct_id(expected["overall"]["participation_rate"]) in text     # 45,9%
    assert f"{expected['overall']['participants']:,}".replace(",", ".") in text   # 3.192


def test_league_is_a_native_table_with_every_agency_and_its_utilisation(deck, expected):
    rows = _table_rows(deck, "Perangkat daerah")
    league = {r[1]: r[2] for r in rows if len(r) == 6}
    assert {a["skpd"]: _pct_id(a["utilisation_rate"]) for a in expected["skpd"]} == league
    assert [int(r[0]) for r in rows if len(r) == 6] == list(range(1, len(expected["skpd"]) + 1))


def test_trend_chart_is_a_picture_and_every_slide_has_a_title(deck):
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    assert all(slide.shapes[0].text_frame.text for slide in deck.slides)


def test_agency_deck_holds_its_cops(field_db, expected, tmp_path):
    out = tmp_path / "dinkes.pptx"
    assert main(["pptx", "--year", "2026", "--db", str(field_db), "--skpd", "Dinas Kesehatan", "--out", str(out)]) == 0
    text = "\n".join(_texts(Presentation(str(out))))
    own = next(a for a in expected["skpd"] if a["skpd"] == "Dinas Kesehatan")
    assert _pct_id(own["utilisation_rate"]) in text
    assert all(c["cop"] in text for c in expected["cops"] if c["skpd"] == "Dinas Kesehatan")
