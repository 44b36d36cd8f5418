"""The slides (PPTX, python-pptx) for a paparan: a slide per section of ``reports.sections``,
the same figures as the PDF. Everything is editable: titles, tiles and notes are text boxes,
tables are native PowerPoint tables; the trend chart is the same Plotly figure as the PDF's,
drawn by chromium and placed as a PNG (16:9, 13.33 x 7.5 in).

A table longer than one slide's readable rows (``ROWS_PER_COLUMN`` per column, two columns
side by side) is spread evenly over as many slides as it needs, titled "(1/2)", "(2/2)";
no row is dropped (51 agencies: two slides of 26 and 25 rows).
"""
from __future__ import annotations

import io
import math
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from reports.content import AgencyReport, ProvinceReport
from reports.pdf import charts_html, report_figures
from reports.render import html_to_png
from reports.sections import Sections, Table, agency_sections, province_sections

ROWS_PER_COLUMN = 18
ROW_HEIGHT = Inches(0.3)
BLUE, DARK, GREY, RISK = RGBColor(0x00, 0x72, 0xB2), RGBColor(0x0B, 0x3D, 0x62), RGBColor(0x44, 0x44, 0x44), \
    RGBColor(0xFD, 0xEB, 0xD9)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
TITLE_ONE_LINE_CHARS = 60     # about what one line of the 24 pt title holds across the slide


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool, RGBColor | None]]) -> None:
    """A text box of ``lines`` (text, size pt, bold, colour)."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for n, (text, size, bold, colour) in enumerate(lines):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text, run.font.size, run.font.bold = text, Pt(size), bold
        if colour is not None:
            run.font.color.rgb = colour


def _slide(deck, title: str, sections: Sections):
    slide = deck.slides.add_slide(deck.slide_layouts[6])      # blank
    _text(slide, MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.6), [(title, 24, True, DARK)])
    foot = f"{sections.title} · {sections.stamp}" + (f" · {sections.demo}" if sections.demo else "")
    _text(slide, MARGIN, HEIGHT - Inches(0.4), WIDTH - 2 * MARGIN, Inches(0.3), [(foot, 9, False, GREY)])
    return slide


def _table(slide, table: Table, rows: list[int], left, top, width, size: int) -> None:
    """A native table of ``table``'s ``rows`` (indices) with its header row."""
    height = ROW_HEIGHT * (len(rows) + 1)
    shape = slide.shapes.add_table(len(rows) + 1, len(table.columns), left, top, width, height).table
    weights = _weights(table)
    for n, weight in enumerate(weights):
        shape.columns[n].width = Emu(int(width * weight / sum(weights)))
    for r, index in enumerate([None, *rows]):
        cells = table.columns if index is None else table.rows[index]
        for c, value in enumerate(cells):
            cell = shape.cell(r, c)
            cell.margin_top = cell.margin_bottom = Emu(0)
            cell.margin_left = cell.margin_right = Inches(0.05)
            para = cell.text_frame.paragraphs[0]
            para.text = str(value)
            para.font.size = Pt(size)
            para.font.bold = index is None
            if c in table.numeric:
                para.alignment = PP_ALIGN.RIGHT
            if index is not None and table.row_class and table.row_class[index] == "risk":
                cell.fill.solid()
                cell.fill.fore_color.rgb = RISK
        shape.rows[r].height = ROW_HEIGHT


def _weights(table: Table) -> list[float]:
    """Column widths in proportion to their longest text; numbers get room never to wrap, the
    text columns (names) are capped at 34 characters (longer names wrap)."""
    lengths = [max([len(str(row[c])) for row in table.rows] + [len(str(table.columns[c])), 2])
               for c in range(len(table.columns))]
    return [n + 4.0 if c in table.numeric or n <= 12 else min(34, n) + 1.0 for c, n in enumerate(lengths)]


def _table_slides(deck, title: str, table: Table, notes: list[str], sections: Sections) -> None:
    pages = max(1, math.ceil(len(table.rows) / (2 * ROWS_PER_COLUMN)))
    per_slide = max(1, math.ceil(len(table.rows) / pages))
    for page in range(pages):
        chunk = list(range(page * per_slide, min(len(table.rows), (page + 1) * per_slide)))
        slide = _slide(deck, title + (f" ({page + 1}/{pages})" if pages > 1 else ""), sections)
        top = Inches(0.95)
        if not chunk:
            _text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.5), [(n, 14, False, None) for n in notes])
            continue
        halves = [chunk] if len(chunk) <= 12 else [chunk[:math.ceil(len(chunk) / 2)], chunk[math.ceil(len(chunk) / 2):]]
        gap = Inches(0.3)
        width = (WIDTH - 2 * MARGIN - gap * (len(halves) - 1)) / len(halves)
        size = 14 if len(halves) == 1 else 11
        for n, rows in enumerate(halves):
            _table(slide, table, rows, MARGIN + n * (width + gap), top, int(width), size)
        if notes and page == pages - 1:
            _text(slide, MARGIN, HEIGHT - Inches(1.0), WIDTH - 2 * MARGIN, Inches(0.55),
                  [(n, 10, False, GREY) for n in notes])


def _tiles_slide(deck, sections: Sections) -> None:
    slide = _slide(deck, sections.title, sections)
    down = Inches(0.45) if len(sections.title) > TITLE_ONE_LINE_CHARS else 0      # a long agency name takes two lines
    _text(slide, MARGIN, Inches(0.85) + down, WIDTH - 2 * MARGIN, Inches(0.4), [(sections.subtitle, 12, False, GREY)])
    if sections.demo:
        _text(slide, MARGIN, Inches(1.2) + down, WIDTH - 2 * MARGIN, Inches(0.4),
              [(sections.demo, 12, True, RGBColor(0xB0, 0x60, 0x00))])
    gap = Inches(0.2)
    width = int((WIDTH - 2 * MARGIN - gap * (len(sections.tiles) - 1)) / len(sections.tiles))
    for n, tile in enumerate(sections.tiles):
        left = MARGIN + n * (width + gap)
        box = slide.shapes.add_shape(1, left, Inches(1.8) + down, width, Inches(2.6))    # 1: rectangle
        box.fill.background()
        box.line.color.rgb = BLUE
        _text(slide, left + Inches(0.1), Inches(1.9) + down, width - Inches(0.2), Inches(2.4),
              [(tile.name, 14, False, GREY), (tile.value, 36, True, DARK)] + [(note, 12, False, None) for note in tile.notes if note])
    _text(slide, MARGIN, Inches(4.8) + down, WIDTH - 2 * MARGIN, Inches(1.5),
          [(sections.projection, 16, True, None), (sections.stamp, 11, False, GREY)])


def _chart_slide(deck, sections: Sections, png: bytes | None) -> None:
    slide = _slide(deck, sections.trend_title, sections)
    if png:
        slide.shapes.add_picture(io.BytesIO(png), MARGIN, Inches(0.95), height=Inches(5.2))
    _text(slide, MARGIN, Inches(6.2), WIDTH - 2 * MARGIN, Inches(0.8),
          [(sections.projection, 14, True, None), (sections.method, 10, False, GREY)])


def build_pptx(report: ProvinceReport | AgencyReport, lang: str = "id", *, instance=None) -> Presentation:
    """The deck: headline tiles, the trend chart, then one slide (or more) per table section.

    Raises:
        reports.render.RenderError: chromium missing or the chart failed to draw.
    """
    sections = agency_sections(report, lang) if isinstance(report, AgencyReport) else province_sections(report, lang)
    figures = report_figures(report, lang, width=1150, height=560, font_size=18)
    png = html_to_png(charts_html(figures), ["#chart-trend"], instance=instance)["#chart-trend"] if figures else None
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _tiles_slide(deck, sections)
    _chart_slide(deck, sections, png)
    for title, table in sections.tables.items():
        notes = sections.notes.get(title, []) + ([sections.legend] if sections.legend and table.rows and
                                                 title == next(iter(sections.tables)) else [])
        _table_slides(deck, title, table, notes, sections)
    return deck


def write_pptx(report: ProvinceReport | AgencyReport, out: Path, lang: str = "id", *, instance=None) -> Path:
    """Write the deck to ``out`` and return it (see ``build_pptx``)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_pptx(report, lang, instance=instance).save(str(out))
    return out
