"""CSV downloads are safe to open and say what the page says: text that a spreadsheet would
run as a formula gets a leading apostrophe; text that only starts like one but cannot run
(a lone dash for a missing value, a plain signed number) is written as it is."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.components.export import frame_to_csv


def _cells(frame: pd.DataFrame) -> list[str]:
    text = frame_to_csv(frame).decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(text))][1:]


@pytest.mark.parametrize("typed, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
    ("-", "-"),                      # the rejected-rows CSV's missing NIP showed as '-
    ("--", "--"),
    ("-12", "-12"),
    ("+0,5", "+0,5"),
    ("-3.5%", "-3.5%"),
    ("Dinas Sosial", "Dinas Sosial"),
])
def test_only_text_that_could_run_is_made_inert(typed, written):
    assert _cells(pd.DataFrame({"value": [typed]})) == [written]
