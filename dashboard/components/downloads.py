"""Every download button of the dashboard: the file is made when the button is clicked
(Streamlit's deferred ``data``), the click does not rerun the page, and the export is
audited by the function that makes the file, once it is made.

Why no rerun (fresh-eyes F18): each run gives every deferred button a new file id and drops
the previous run's ids once it ends, so a rerun on a click (an ``on_click`` callback) could
drop the id of a button the browser asks for a moment later, and the file never came. The
callback also wrote the audit row on the click, before (and whether or not) a file was made.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import streamlit as st

from dashboard.access import acting_username
from dashboard.state import db_path
from data.ops.audit import record_event

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audited(make: Callable[[], Any], file_name: str, *, db: str, username: str) -> Callable[[], Any]:
    """``make`` wrapped so that one ``export`` audit row (``username``, ``file_name``) is written
    to the audit file beside ``db`` each time it returns a file; none when it raises.

    The wrapper runs outside the page's script run (Streamlit calls it from a worker thread),
    so the user and the database are bound here, not read from the session then.
    """
    def produce() -> Any:
        data = make()
        record_event(db, username, "export", file_name)
        return data
    return produce


def download_button(label: str, make: Callable[[], Any], file_name: str, mime: str, *, slot: Any = st,
                    key: str | None = None, type: Literal["primary", "secondary"] = "secondary") -> None:
    """A button in ``slot`` (``st`` or a column) that downloads ``make()`` as ``file_name``,
    made and audited on the click (``audited``), without rerunning the page."""
    data = audited(make, file_name, db=str(db_path()), username=acting_username())
    slot.download_button(label, data, file_name=file_name, mime=mime, key=key, type=type, on_click="ignore")
