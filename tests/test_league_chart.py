"""The overview's league chart names every agency above its bar with its rate (set in one
layout update: one ``add_annotation`` per agency cost 1.5 s of CPU per run for 51 agencies)."""
from __future__ import annotations

from dashboard.components.charts import league_chart
from data.store.connection import connect
from metrics.kpi import Scope
from metrics.overview import overview


def test_every_agency_is_named_above_its_bar_with_its_rate_and_the_target_line_is_labelled(field_db):
    with connect(field_db, read_only=True) as con:
        data = overview(con, 2026, Scope())
    fig = league_chart(data.skpd, data.target, "id")
    texts = [a.text for a in fig.layout.annotations]
    assert len(texts) == 25 and "Target 50%" in texts                    # 24 agencies and the target line
    names = {a.text.split(" · ")[0][2:]: a.text.split(" · ")[1] for a in fig.layout.annotations if " · " in a.text}
    # field-samples.expected.json: Dinas Kesehatan 167/291 = 0.573883, Dinas Perhubungan 72/360 = 0.2
    assert names["Dinas Kesehatan"] == "57,4%" and names["Dinas Perhubungan"] == "20,0%"
    bar = fig.data[0]
    assert all(a.y in bar.y and a.xref == "paper" for a in fig.layout.annotations if " · " in a.text)
    assert list(bar.y) == [a.text.split(" · ")[0] for a in fig.layout.annotations if " · " in a.text]


def test_the_title_is_left_to_the_page_and_the_percent_axis_is_also_at_the_top(field_db):
    # fresh eyes F13 on a 390 px phone: plotly cut its one-line title at the right, and the only
    # percent axis sat below 24 bars (36 px each), out of sight where the chart begins
    with connect(field_db, read_only=True) as con:
        data = overview(con, 2026, Scope())
    fig = league_chart(data.skpd, data.target, "id")
    assert fig.layout.title.text is None
    bars, dots = fig.data
    assert bars.xaxis in (None, "x") and dots.xaxis == "x2"
    top = fig.layout.xaxis2
    assert (top.side, top.overlaying, top.matches, top.tickformat) == ("top", "x", "x", ".0%")
    assert fig.layout.xaxis.tickformat == ".0%"                         # the bottom axis is kept
