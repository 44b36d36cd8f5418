"""Drill-down in the same tab: a click on an agency's bar or table row opens its page,
a click on a CoP row opens its maturity page, keeping the year, period and language."""
from __future__ import annotations

import streamlit as st

KEPT_QUERY = ("tahun", "periode", "lang")


def open_page(page: str, **query: str) -> None:
    """Switch to ``page`` (a script path under dashboard/) with ``query`` plus the kept URL query."""
    kept = {key: st.query_params[key] for key in KEPT_QUERY if key in st.query_params}
    st.switch_page(page, query_params={**kept, **query})


def chosen_row(event) -> int | None:
    """The position of the row selected in a ``st.dataframe(on_select=...)`` event, or None."""
    rows = event.selection.rows if event is not None else []
    return rows[0] if rows else None


def chosen_point(event) -> str | None:
    """The ``customdata`` of the first point clicked in a ``st.plotly_chart(on_select=...)`` event, or None."""
    points = event.selection.points if event is not None else []
    for point in points:
        data = point.get("customdata")
        if data is not None:
            return data[0] if isinstance(data, (list, tuple)) else data
    return None
