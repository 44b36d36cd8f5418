"""The cell parsers of data/intake/values.py, one case per shape the field writes.

Expected values are read off the input by hand (DOMAIN.md: NIP rules, WIB = UTC+7,
day-first dates, Indonesian month names and their old spellings, `.` thousands).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from data.errors import RowProblem
from data.intake.values import (parse_action, parse_count, parse_date, parse_datetime_wib, parse_decimal,
                         parse_nip, parse_status, wrong_day_name)

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


# --- what mutation testing found unchecked (issue 19, bench/MUTATION.md) ----------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("CoP  Inovasi", "CoP Inovasi"),        # a double space inside
    (" Dinas Kesehatan", "Dinas Kesehatan"),  # leading
    ("Dinas Kesehatan ", "Dinas Kesehatan"),  # trailing
    ("Dinas\u00a0Kesehatan", "Dinas Kesehatan"),  # non-breaking space
    ("  CoP \u202f Inovasi\t", "CoP Inovasi"),
    ("Inspektorat", "Inspektorat"),
    (3.0, "3"), (None, ""),
])
def test_clean_text_collapses_and_trims_spaces(raw, clean):
    from data.intake.values import clean_text
    assert clean_text(raw) == clean


@pytest.mark.parametrize(("parser", "raw", "reason", "message"), [
    (parse_nip, "tamu", "missing_nip", "no NIP (empty, '-', or a guest marker such as 'tamu')"),
    (parse_nip, 198503302010012001, "numeric_nip", "NIP stored as a number: Excel keeps 15 digits, so it is damaged"),
    (parse_nip, "1.98503E+17", "damaged_nip", "NIP in scientific notation: its digits are lost"),
    (parse_nip, "12345", "bad_nip", "NIP must be 18 digits 0-9, got 5 characters"),
    (parse_nip, "19850330201001200A", "bad_nip", "NIP must be 18 digits 0-9, got characters other than 0-9"),
    (parse_nip, "X198503302010012001", "bad_nip", "NIP must be 18 digits 0-9, got 19 characters"),
    (parse_datetime_wib, "", "missing_date", "date is empty"),
    (parse_datetime_wib, "11 Julai 2025", "bad_date", "unknown month name 'julai'"),
    (parse_datetime_wib, "31/02/2026", "bad_date", "no such date 31-02-2026"),
    (parse_datetime_wib, "5 Januari 2026 25:00", "bad_date", "no such time 25:00:00"),
    (parse_datetime_wib, "5 Januari 2026 10:61:30", "bad_date", "no such time 10:61:30"),
    (parse_datetime_wib, 12, "bad_date", "number 12.0 is not a plausible Excel date"),
    (parse_datetime_wib, "besok", "bad_date", "unreadable date 'besok'"),
    (parse_datetime_wib, True, "bad_date", "unreadable date 'True'"),      # a tick box is no date
    (parse_decimal, True, "bad_number", "not a number: True"),
    (parse_decimal, float("nan"), "bad_number", "not a number: nan"),
    (parse_decimal, float("inf"), "bad_number", "not a number: inf"),
    (parse_decimal, float("-inf"), "bad_number", "not a number: -inf"),
    (parse_decimal, "", "missing_number", "number is empty"),
    (parse_decimal, "abc", "bad_number", "not a number: 'abc'"),
    (parse_decimal, "Infinity", "bad_number", "not a number: 'Infinity'"),
    (parse_decimal, "1,234.567,8", "bad_number", "not a number: '1,234.567,8'"),   # separators that contradict
    (parse_decimal, "1.234,567.8", "bad_number", "not a number: '1.234,567.8'"),
    (parse_count, "10000001", "bad_number", "count '10000001' is implausibly large (over 10,000,000)"),
    (parse_action, "klik", "unknown_action", "unknown action 'klik'"),
    (parse_status, "Arsip", "unknown_status", "unknown status 'Arsip'"),
])
def test_each_refusal_says_what_was_wrong(parser, raw, reason, message):
    with pytest.raises(RowProblem) as problem:
        parser(raw)
    assert (problem.value.reason_code, problem.value.message) == (reason, message)


@pytest.mark.parametrize(("raw", "wib"), [
    ("5 Januari 2026, 10:15", dt.datetime(2026, 1, 5, 10, 15)),              # a comma before the time
    ("2026-01-05 09:00:07.25", dt.datetime(2026, 1, 5, 9, 0, 7, 250000)),     # fractional seconds
    ("2026-01-05T09:00:07.123456", dt.datetime(2026, 1, 5, 9, 0, 7, 123456)),
    ("2026-03-04T10:00:00+05:30", dt.datetime(2026, 3, 4, 11, 30)),          # 04:30 UTC = 11:30 WIB
    ("2026-03-04T10:00:00+0530", dt.datetime(2026, 3, 4, 11, 30)),
    ("45000", dt.datetime(2023, 3, 15)),                                      # a serial stored as text
    ("45000,5", dt.datetime(2023, 3, 15, 12)),
    ("45000.25", dt.datetime(2023, 3, 15, 6)),
    (20000, dt.datetime(1954, 10, 3)),                                        # the plausible range's ends
    (80000, dt.datetime(2119, 1, 11)),                                        # 1899-12-30 + 80000 days
])
def test_more_moments_are_read_as_wib(raw, wib):
    assert parse_datetime_wib(raw) == wib


@pytest.mark.parametrize("raw", [19999, 80001, "19999"])
def test_a_serial_outside_the_plausible_range_is_refused(raw):
    with pytest.raises(RowProblem) as problem:
        parse_datetime_wib(raw)
    assert problem.value.reason_code == "bad_date"


@pytest.mark.parametrize(("raw", "number"), [
    ("1.234.567", Decimal("1234567")),        # dots only, more than one: thousands
    ("1.234.567,89", Decimal("1234567.89")),
    ("1,234,567.5", Decimal("1234567.5")),
    (2.7300000000000004, Decimal("2.73")),    # a number cell to Excel's 15 significant digits
    (0.1 + 0.2, Decimal("0.3")),
])
def test_more_decimals_are_exact(raw, number):
    assert parse_decimal(raw) == number


def test_a_count_of_exactly_the_maximum_is_accepted():
    assert parse_count("10000000") == 10_000_000 and parse_count("10.000.000") == 10_000_000


def test_a_count_with_a_space_typed_after_its_separator_is_read():
    assert parse_count("1. 204") == 1204 and parse_count("1 .204") == 1204


@pytest.mark.parametrize(("raw", "year"), [("2026", 2026), (2026, 2026), (2026.0, 2026), ("2000", 2000), ("2100", 2100)])
def test_year_is_read(raw, year):
    from data.intake.values import parse_year
    assert parse_year(raw) == year


@pytest.mark.parametrize(("raw", "message"), [
    ("1999", "year 1999 is outside 2000-2100"), ("2101", "year 2101 is outside 2000-2100"),
    ("dua ribu", "not a year: 'dua ribu'"), ("2026,5", "not a year: '2026,5'"),
])
def test_a_year_outside_2000_2100_or_not_a_year_is_refused(raw, message):
    from data.intake.values import parse_year
    with pytest.raises(RowProblem) as problem:
        parse_year(raw)
    assert (problem.value.reason_code, problem.value.message) == ("bad_year", message)


@pytest.mark.parametrize(("raw", "answer"), [
    ("Ya", True), ("YA", True), (" y ", True), ("Didampingi", True), ("1", True), (True, True), (1, True),
    ("Tidak", False), ("tidak didampingi", False), ("-", False), ("0", False), (False, False), ("TIDAK", False),
    ("", None), (None, None), ("  ", None),
])
def test_yes_no_in_either_language(raw, answer):
    from data.intake.values import parse_yes_no
    assert parse_yes_no(raw) is answer


def test_a_yes_no_that_is_neither_is_refused():
    from data.intake.values import parse_yes_no
    with pytest.raises(RowProblem) as problem:
        parse_yes_no("Mungkin")
    assert (problem.value.reason_code, problem.value.message) == ("bad_yes_no", "expected Ya or Tidak, got 'Mungkin'")


@pytest.mark.parametrize(("raw", "role"), [
    ("peserta", "Peserta"), ("Narasumber", "Narasumber"), ("SPEAKER", "Narasumber"), ("moderator", "Fasilitator"),
    (" Fasilitator ", "Fasilitator"), ("", "Peserta"), (None, "Peserta"), ("Panitia", "Panitia"),
])
def test_attendance_role_is_named_or_kept_as_written(raw, role):
    from data.intake.values import parse_role
    assert parse_role(raw) == role


# --- a day name that contradicts its date (a note, never a rejection) ---------------------------

@pytest.mark.parametrize("raw, weekday", [
    # 30 March 2026 is a Monday (above), so 31 March a Tuesday, 5 April (+6 days) a Sunday
    ("Senin, 31 Maret 2026", "Tuesday"),
    ("Monday, 31 Maret 2026", "Tuesday"),
    ("Sabtu, 5 April 2026", "Sunday"),
    ("Kamis, 11 Juli 2025 08:30", "Friday"),              # 11 July 2025 is a Friday (above)
    # 00:30 WITA is 23:30 WIB of 30 March: the day named is the written date's (31 March, a Tuesday)
    ("Senin, 31 Maret 2026 00:30 WITA", "Tuesday"),
    ("Selasa, 31 Maret 2026", None),
    ("Senin 30 Maret 2026", None),
    ("Minggu, 5 April 2026", None),
    ("Ahad 5 April 2026", None),
    ("Jum'at, 11 Juli 2025", None),
    ("31 Maret 2026", None),                              # no day name
    ("Senin, 31 Juni 2026", None),                        # no such date: the date's own rejection says so
    (dt.date(2026, 3, 31), None),                         # a date cell names no day
    (None, None),
])
def test_a_day_name_that_contradicts_its_date_gives_the_dates_real_weekday(raw, weekday):
    assert wrong_day_name(raw) == weekday
