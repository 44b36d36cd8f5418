"""The cell parsers of data/values.py, one case per shape the field writes.

Expected values are read off the input by hand (DOMAIN.md: NIP rules, WIB = UTC+7,
day-first dates, Indonesian month names and their old spellings, `.` thousands).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from data.errors import RowProblem
from data.values import (parse_action, parse_count, parse_date, parse_datetime_wib, parse_decimal,
                         parse_nip, parse_status)

NIP = "198503302010012001"


# --- NIP ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "198503302010012001",
    "19850330 201001 2 001",            # printed spaced
    "'198503302010012001",              # stray leading apostrophe (text-forced cell)
    "'19850330 201001 2 001",           # both
    " 198503302010012001 ",             # padding
    "19850330\u00a0201001\u00a02\u00a0001",  # non-breaking spaces
])
def test_nip_text_is_cleaned_to_18_digits(raw):
    assert parse_nip(raw) == NIP


def test_pppk_nip_whose_digits_13_14_are_not_a_month_is_accepted():
    # 19880606 202221 1 010: "21" is not a month, yet 18 digits is all a NIP needs
    assert parse_nip("19880606 202221 1 010") == "198806062022211010"


@pytest.mark.parametrize(("raw", "reason"), [
    (1.98503302010012e17, "numeric_nip"),    # numeric cell: digits past the 15th already lost
    (198503302010012001, "numeric_nip"),     # an int cell is a number cell too
    ("1.98503E+17", "damaged_nip"),          # scientific notation as text
    ("1,98503E+17", "damaged_nip"),          # same, decimal comma
    ("19850330201001200", "bad_nip"),        # 17 digits
    ("1985033020100120011", "bad_nip"),      # 19 digits
    ("19850330-201001-2-001", "bad_nip"),    # dashes are not spaces
    ("", "missing_nip"),
    ("-", "missing_nip"),
    ("   ", "missing_nip"),
    (None, "missing_nip"),
    ("tamu", "missing_nip"),                 # guest marker
])
def test_nip_that_can_never_count_is_refused_with_its_reason(raw, reason):
    with pytest.raises(RowProblem) as problem:
        parse_nip(raw)
    assert problem.value.reason_code == reason


# --- dates and times -------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "wib"), [
    (dt.datetime(2026, 3, 30, 8, 15), dt.datetime(2026, 3, 30, 8, 15)),  # spreadsheet datetime: already WIB
    (dt.date(2026, 3, 30), dt.datetime(2026, 3, 30)),
    (45000, dt.datetime(2023, 3, 15)),              # Excel serial: 44927 = 1 Jan 2023, + 73 days
    (45000.5, dt.datetime(2023, 3, 15, 12, 0)),     # half a day = noon
    ("2025-12-31T23:30:00+07:00", dt.datetime(2025, 12, 31, 23, 30)),  # already WIB
    ("2025-12-31T17:30:00Z", dt.datetime(2026, 1, 1, 0, 30)),         # UTC + 7 h crosses the year
    ("2025-12-31T17:30:00+00:00", dt.datetime(2026, 1, 1, 0, 30)),
    ("2026-03-04T02:00:00-05:00", dt.datetime(2026, 3, 4, 14, 0)),    # 07:00 UTC = 14:00 WIB
    ("2026-01-05 09:00:00", dt.datetime(2026, 1, 5, 9, 0)),           # no offset: WIB
    (dt.datetime(2025, 12, 31, 17, 30, tzinfo=dt.timezone.utc), dt.datetime(2026, 1, 1, 0, 30)),
    ("11/07/2025", dt.datetime(2025, 7, 11)),       # day first: 11 July, not 7 November
    ("07/11/2025", dt.datetime(2025, 11, 7)),       # ... and 7 November the other way round
    ("11-07-2025", dt.datetime(2025, 7, 11)),
    ("11/08/2025 08:43:12", dt.datetime(2025, 8, 11, 8, 43, 12)),  # online form timestamp
    ("Jumat, 11 Juli 2025", dt.datetime(2025, 7, 11)),
    ("Senin, 30 Maret 2026", dt.datetime(2026, 3, 30)),
    ("11 JULI 2025", dt.datetime(2025, 7, 11)),
    ("1 Agu 2026", dt.datetime(2026, 8, 1)),
    ("5 Okt 2026", dt.datetime(2026, 10, 5)),
    ("3 Des 2026", dt.datetime(2026, 12, 3)),
    ("2 Pebruari 2026", dt.datetime(2026, 2, 2)),   # old spelling of Februari
    ("9 Nopember 2025", dt.datetime(2025, 11, 9)),  # old spelling of November
    ("1 Mei 2026", dt.datetime(2026, 5, 1)),
    ("5 Januari 2026 10:15", dt.datetime(2026, 1, 5, 10, 15)),           # month name with a time
    ("Senin, 2 Maret 2026 09:00", dt.datetime(2026, 3, 2, 9, 0)),
    ("Senin 2 Maret 2026", dt.datetime(2026, 3, 2)),              # a day name without its comma (2 March 2026 is a Monday)
    ("Jumat 11 Juli 2025 08:30", dt.datetime(2025, 7, 11, 8, 30)),
    ("12 Agt 2026 14:00:30", dt.datetime(2026, 8, 12, 14, 0, 30)),
    ("2 Maret 2026 09.00", dt.datetime(2026, 3, 2, 9, 0)),                # a dot between hour and minute
    ("2 Maret 2026 pukul 10.06", dt.datetime(2026, 3, 2, 10, 6)),
    ("5 Jan 2026 10:15", dt.datetime(2026, 1, 5, 10, 15)),
    ("01/03/2026 10:04 WIB", dt.datetime(2026, 3, 1, 10, 4)),             # a WIB marker changes nothing
    ("2026-03-01 10:00:00 wib", dt.datetime(2026, 3, 1, 10, 0)),
    ("Senin, 2 Maret 2026, 09.00 - 11.00 WIB", dt.datetime(2026, 3, 2, 9, 0)),   # a meeting's range: its start
    ("2 Maret 2026 pukul 09.00-11.00 WIB", dt.datetime(2026, 3, 2, 9, 0)),
    ("02/03/2026 09:00 s.d. 11:30", dt.datetime(2026, 3, 2, 9, 0)),
    ("5 Januari 2026 10:15 WITA", dt.datetime(2026, 1, 5, 9, 15)),      # UTC+8: an hour ahead of WIB
    ("01/01/2026 00:30 WIT", dt.datetime(2025, 12, 31, 22, 30)),       # UTC+9: two hours ahead
])
def test_moment_is_read_as_wib(raw, wib):
    assert parse_datetime_wib(raw) == wib


def test_date_of_a_utc_evening_is_the_next_wib_day():
    # 31 Dec 17:30 UTC = 1 Jan 00:30 WIB
    assert parse_date("2025-12-31T17:30:00Z") == dt.date(2026, 1, 1)


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "missing_date"),
    ("-", "missing_date"),
    (None, "missing_date"),
    ("31/02/2026", "bad_date"),     # no 31 February
    ("5 Januari 2026 25:00", "bad_date"),
    ("5 Januari 2026 10:15 CET", "bad_date"),    # a zone that is not Indonesia's is not guessed at
    ("13/13/2026", "bad_date"),
    ("2026-13-01", "bad_date"),
    ("11 Julai 2025", "bad_date"),  # unknown month name
    ("besok", "bad_date"),
    (12, "bad_date"),               # a small number is no plausible Excel date
])
def test_unreadable_date_is_refused_with_its_reason(raw, reason):
    with pytest.raises(RowProblem) as problem:
        parse_datetime_wib(raw)
    assert problem.value.reason_code == reason


# --- numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "count"), [
    ("1.204", 1204),        # '.' is the thousands separator in a count
    ("1.204.567", 1204567),
    ("1204", 1204),
    (1204, 1204),
    (1204.0, 1204),         # a number cell
    ("1 204", 1204),
    ("1,234", 1234),        # ',' as the thousands separator too (English-locale exports)
    ("1,204,567", 1204567),
    (" 291 ", 291),
    ("0", 0),
])
def test_count_reads_dot_thousands(raw, count):
    assert parse_count(raw) == count


@pytest.mark.parametrize(("raw", "reason", "message"), [
    ("12,5", "bad_number", "not a whole count: 12,5"),
    ("-3", "bad_number", "a count cannot be negative: -3"),
    (-5.0, "bad_number", "a count cannot be negative: -5"),   # a number cell, shown as the person typed it
    ("", "missing_number", None),
    ("-", "missing_number", None),
    ("banyak", "bad_number", None),
])
def test_count_that_is_not_a_whole_non_negative_number_is_refused(raw, reason, message):
    with pytest.raises(RowProblem) as problem:
        parse_count(raw)
    assert problem.value.reason_code == reason
    assert message is None or problem.value.message == message


@pytest.mark.parametrize(("raw", "number"), [
    ("3,09", Decimal("3.09")),        # decimal comma stored as text
    ("3.09", Decimal("3.09")),
    ("3,50", Decimal("3.50")),
    ("1.234,5", Decimal("1234.5")),   # Indonesian thousands and decimals
    ("1,234.5", Decimal("1234.5")),   # English
    (2.73, Decimal("2.73")),          # a number cell by its shortest repr, not 2.7299999...
    (4, Decimal("4")),
])
def test_decimal_is_exact(raw, number):
    parsed = parse_decimal(raw)
    assert isinstance(parsed, Decimal)
    assert parsed == number


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "abc"])
def test_decimal_that_is_not_a_finite_number_is_refused(raw):
    with pytest.raises(RowProblem) as problem:
        parse_decimal(raw)
    assert problem.value.reason_code == "bad_number"


# --- status and action words ------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "status"), [
    ("Terbit", "terbit"), ("TERBIT", "terbit"), (" terbit ", "terbit"), ("Terbit\u00a0", "terbit"),
    ("Published", "terbit"), ("published", "terbit"),
    ("Draf", "draf"), ("DRAFT", "draf"), ("draft", "draf"),
    ("Ditolak", "ditolak"), ("Rejected", "ditolak"), ("  DITOLAK", "ditolak"),
])
def test_status_in_either_language_and_any_case(raw, status):
    assert parse_status(raw) == status


@pytest.mark.parametrize(("raw", "action"), [
    ("Lihat", "view"), ("LIHAT", "view"), (" lihat ", "view"), ("view", "view"), ("View", "view"),
    ("Unduh", "download"), ("unduh", "download"), ("download", "download"), ("DOWNLOAD", "download"),
    ("Suka", "like"), ("SUKA", "like"), ("like", "like"), ("Like", "like"),
    ("Komentar", "comment"), ("komentar", "comment"), ("comment", "comment"), ("COMMENT", "comment"),
])
def test_action_in_either_language_and_any_case(raw, action):
    assert parse_action(raw) == action


@pytest.mark.parametrize(("parser", "raw", "reason"), [
    (parse_status, "Arsip", "unknown_status"),
    (parse_status, "", "unknown_status"),
    (parse_action, "share", "unknown_action"),
    (parse_action, "", "unknown_action"),
])
def test_unknown_word_is_refused(parser, raw, reason):
    with pytest.raises(RowProblem) as problem:
        parser(raw)
    assert problem.value.reason_code == reason
