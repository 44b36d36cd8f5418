"""Parsing of single cell values as the field writes them.

Every parser takes the raw cell (``str`` from CSV; ``str``, ``float``, ``int``,
``bool``, ``datetime`` or ``None`` from a spreadsheet) and returns a clean Python
value, or raises ``RowProblem`` with a reason code. Nothing here guesses: a value
that could mean two things is refused.

Times are returned as naive ``datetime`` in WIB (UTC+7, ``Asia/Jakarta``): a time
with an offset is converted, a time without one is taken as WIB already.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from data.errors import RowProblem

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
EXCEL_EPOCH_1900 = dt.datetime(1899, 12, 30)
# Plausible Excel serial day numbers: 1954-10-03 .. 2119-01-11.
SERIAL_MIN, SERIAL_MAX = 20000, 80000
MAX_COUNT = 10_000_000  # no agency, meeting or recap holds more people; also keeps INTEGER columns safe

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
# a day name's weekday, 0 = Monday (``datetime.date.weekday``): Senin = Monday ... Minggu (Ahad) = Sunday
WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6,
            "ahad": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
            "sunday": 6}
DAY_NAMES = frozenset(WEEKDAYS)
WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_TEXT_DATE = re.compile(r"^(\d{1,2})[\s\-/.]+([a-z']+)\.?[\s\-/.,]+(\d{4})"
                        r"(?:[\s,]+(?:pukul\s+|jam\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")
# Indonesia's zone markers: "10:04 WIB" is WIB already; WITA (UTC+8) and WIT (UTC+9) are converted
_ZONE_SUFFIX = re.compile(r"\s+(wib|wita|wit)$", re.IGNORECASE)
_ZONE_HOURS_AHEAD_OF_WIB = {"wib": 0, "wita": 1, "wit": 2}
# "09.00 - 11.00", "09.00 s.d. 11.00": a meeting's time range; its start is the moment
_RANGE_END = re.compile(r"(\d{1,2}[.:]\d{2})\s*(?:-|\u2013|s\.?\s?d\.?|s/d|sampai)\s*\d{1,2}[.:]\d{2}$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def clean_text(value: object) -> str:
    """The value as text with runs of spaces (non-breaking too) made one space, trimmed.

    ``None`` gives ``""``; a float that is a whole number gives its integer text.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # nothing to collapse or trim (fast path: most cells)
    return _SPACES.sub(" ", text).strip()


def text_key(value: object) -> str:
    """A matching key: ``clean_text`` case-folded (``' CoP  Inovasi '`` -> ``'cop inovasi'``)."""
    return clean_text(value).casefold()


_NO_NIP = {"", "-", "--", "tamu", "guest", "anonim", "anonymous", "null", "none", "n/a", "na", "#n/a", "nan"}


def parse_nip(value: object) -> str:
    """An 18-digit NIP as text, spaces and apostrophes removed.

    Raises:
        RowProblem: ``missing_nip`` (empty or ``-``), ``numeric_nip`` (stored as a
            number: Excel has already dropped digits past the 15th), ``damaged_nip``
            (scientific notation such as ``1.98503E+17``), ``bad_nip`` (not 18 digits).
    """
    if value is None or (isinstance(value, str) and clean_text(value).casefold() in _NO_NIP):
        raise RowProblem("missing_nip", "no NIP (empty, '-', or a guest marker such as 'tamu')")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise RowProblem("numeric_nip", "NIP stored as a number: Excel keeps 15 digits, so it is damaged")
    text = _SPACES.sub("", str(value)).strip("'\u2019`\"")
    if _SCIENTIFIC.match(text):
        raise RowProblem("damaged_nip", "NIP in scientific notation: its digits are lost")
    if not (len(text) == 18 and text.isdigit() and text.isascii()):
        detail = f"{len(text)} characters" if len(text) != 18 else "characters other than 0-9"
        raise RowProblem("bad_nip", f"NIP must be 18 digits 0-9, got {detail}")
    return text


def _month_number(word: str) -> int:
    month = MONTHS.get(word.strip(".").casefold())
    if month is None:
        raise RowProblem("bad_date", f"unknown month name {word!r}")
    return month


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise RowProblem("bad_date", f"no such date {day:02d}-{month:02d}-{year}") from exc


def _make_time(hour: str | None, minute: str | None, second: str | None, micro: int = 0) -> dt.time:
    try:
        return dt.time(int(hour or 0), int(minute or 0), int(second or 0), micro)
    except ValueError as exc:
        raise RowProblem("bad_date", f"no such time {hour}:{minute}:{second or '00'}") from exc


def _day_name_split(text: str) -> tuple[str | None, str]:
    """(the day name a date text starts with, or None; the text after it)."""
    head, sep, tail = text.partition(",")
    if sep and head.strip().casefold() in DAY_NAMES:
        return head.strip(), tail.strip()
    first, _, rest = text.partition(" ")
    return (first, rest.strip()) if first.casefold() in DAY_NAMES else (None, text)


def _strip_day_name(text: str) -> str:
    return _day_name_split(text)[1]


def wrong_day_name(value: object) -> str | None:
    """The weekday (``'Tuesday'``) a date text's day name contradicts, or None.

    ``'Senin, 31 Maret 2026'`` gives ``'Tuesday'`` (31 March 2026 is a Tuesday); a date
    with the right day name, with none, an unreadable one or a date cell gives None. The date
    is what counts (``parse_date`` drops the day name); this is for a note.
    """
    if not isinstance(value, str):
        return None
    day, _ = _day_name_split(clean_text(value))
    if day is None:
        return None
    try:   # the day named is the written date's, before a WITA/WIT time is moved to WIB
        weekday = parse_date(_ZONE_SUFFIX.sub("", clean_text(value))).weekday()
    except RowProblem:
        return None
    return None if WEEKDAYS[day.casefold()] == weekday else WEEKDAY_WORDS[weekday]


def _from_serial(number: float) -> dt.datetime:
    if not SERIAL_MIN <= number <= SERIAL_MAX:
        raise RowProblem("bad_date", f"number {number!r} is not a plausible Excel date")
    return EXCEL_EPOCH_1900 + dt.timedelta(days=number)


def _to_wib(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(WIB).replace(tzinfo=None)


def _parse_offset(text: str) -> dt.timezone:
    if text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _parse_text_moment(text: str) -> dt.datetime:
    zone = _ZONE_SUFFIX.search(text)
    if zone:
        ahead = _ZONE_HOURS_AHEAD_OF_WIB[zone.group(1).lower()]
        return _parse_text_moment(text[:zone.start()]) - dt.timedelta(hours=ahead)
    iso = _ISO.match(text)              # first: "10:00-05:00" there is a time and its offset, not a range
    if not iso:
        text = _RANGE_END.sub(r"\1", text)
    if iso:
        y, mo, d, h, mi, s, frac, off = iso.groups()
        day = _make_date(int(y), int(mo), int(d))
        moment = dt.datetime.combine(day, _make_time(h, mi, s, int((frac or "0").ljust(6, "0"))))
        return _to_wib(moment.replace(tzinfo=_parse_offset(off))) if off else moment
    dmy = _DMY.match(text)
    if dmy:
        d, mo, y, h, mi, s = dmy.groups()
        day = _make_date(int(y), int(mo), int(d))
        return dt.datetime.combine(day, _make_time(h, mi, s))
    named = _TEXT_DATE.match(_strip_day_name(text).casefold())
    if named:
        d, month_word, y, h, mi, s = named.groups()
        return dt.datetime.combine(_make_date(int(y), _month_number(month_word), int(d)), _make_time(h, mi, s))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return _from_serial(float(text.replace(",", ".")))
    raise RowProblem("bad_date", f"unreadable date {text!r}")


def parse_datetime_wib(value: object) -> dt.datetime:
    """A moment as naive WIB ``datetime``.

    Accepts spreadsheet dates, Excel serial numbers, ISO text with or without an
    offset (``+07:00``, ``Z``), day-first ``dd/mm/yyyy [HH:MM[:SS]]`` and
    ``dd-mm-yyyy``, and Indonesian text dates (``Jumat, 11 Juli 2025``). Month-first
    text is never assumed: ``07/11/2025`` is 7 November.

    Raises:
        RowProblem: ``missing_date`` or ``bad_date``.
    """
    if isinstance(value, dt.datetime):
        return _to_wib(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = clean_text(value)
    if not text or text == "-":
        raise RowProblem("missing_date", "date is empty")
    return _parse_text_moment(text)


def parse_date(value: object) -> dt.date:
    """A calendar date (WIB); see ``parse_datetime_wib`` for the shapes accepted."""
    return parse_datetime_wib(value).date()


def parse_decimal(value: object) -> Decimal:
    """An exact decimal: ``'3,09'``, ``'3.09'``, ``'1.234,5'`` or a number cell.

    A number cell is taken to Excel's 15 significant digits (``2.7300000000000004`` ->
    ``Decimal('2.73')``).

    Raises:
        RowProblem: ``missing_number`` or ``bad_number``.
    """
    if isinstance(value, bool):
        raise RowProblem("bad_number", f"not a number: {value!r}")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RowProblem("bad_number", f"not a number: {value!r}")
        return Decimal(format(value, ".15g"))  # Excel keeps 15 significant digits
    if isinstance(value, int):
        return Decimal(value)
    text = _SPACES.sub("", clean_text(value))
    if not text or text == "-":
        raise RowProblem("missing_number", "number is empty")
    if "," in text and "." in text:
        thousands, decimal = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise RowProblem("bad_number", f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise RowProblem("bad_number", f"not a number: {value!r}")
    return number


def parse_count(value: object) -> int:
    """A whole non-negative count: ``'1.204'`` (``.`` thousands), ``1204``, ``'1 204'``.

    Raises:
        RowProblem: ``missing_number``, ``bad_number`` (not a whole number, negative).
    """
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", _SPACES.sub("", value.strip())):
        return int(re.sub(r"[.,\s\u00a0]", "", value))
    number = parse_decimal(value)
    if number < 0:
        raise RowProblem("bad_number", f"a count cannot be negative: {clean_text(value)}")
    if number != number.to_integral_value():
        raise RowProblem("bad_number", f"not a whole count: {clean_text(value)}")
    if number > MAX_COUNT:
        raise RowProblem("bad_number", f"count {value!r} is implausibly large (over {MAX_COUNT:,})")
    return int(number)


def parse_year(value: object) -> int:
    """A calendar year between 2000 and 2100.

    Raises:
        RowProblem: ``bad_year``.
    """
    try:
        year = parse_count(value)
    except RowProblem as problem:
        raise RowProblem("bad_year", f"not a year: {value!r}") from problem
    if not 2000 <= year <= 2100:
        raise RowProblem("bad_year", f"year {year} is outside 2000-2100")
    return year


def _lookup(table: dict[str, str], value: object, reason: str, what: str) -> str:
    """The table's value for the case-folded text, or ``RowProblem(reason)``."""
    key = text_key(value).replace("_", " ")
    if key in table:
        return table[key]
    raise RowProblem(reason, f"unknown {what} {clean_text(value)!r}")


ACTIONS = {"lihat": "view", "view": "view", "viewed": "view", "baca": "view", "dilihat": "view",
           "unduh": "download", "download": "download", "downloaded": "download", "diunduh": "download",
           "suka": "like", "like": "like", "liked": "like",
           "komentar": "comment", "comment": "comment", "commented": "comment", "komen": "comment"}
STATUSES = {"terbit": "terbit", "published": "terbit", "publish": "terbit", "diterbitkan": "terbit",
            "draf": "draf", "draft": "draf", "konsep": "draf",
            "ditolak": "ditolak", "tolak": "ditolak", "rejected": "ditolak"}
YES_NO = {"ya": True, "y": True, "yes": True, "true": True, "1": True, "v": True, "didampingi": True,
          "tidak": False, "t": False, "no": False, "n": False, "false": False, "0": False,
          "tidak didampingi": False, "-": False}
ROLES = {"peserta": "Peserta", "participant": "Peserta", "attendee": "Peserta",
         "narasumber": "Narasumber", "speaker": "Narasumber", "pemateri": "Narasumber",
         "fasilitator": "Fasilitator", "facilitator": "Fasilitator", "moderator": "Fasilitator"}


def parse_action(value: object) -> str:
    """``view`` / ``download`` / ``like`` / ``comment`` from either language, any case.

    Raises:
        RowProblem: ``unknown_action``.
    """
    return _lookup(ACTIONS, value, "unknown_action", "action")


def parse_status(value: object) -> str:
    """``terbit`` / ``draf`` / ``ditolak`` from either language, any case and spacing.

    Raises:
        RowProblem: ``unknown_status``.
    """
    return _lookup(STATUSES, value, "unknown_status", "status")


def parse_yes_no(value: object) -> bool | None:
    """``Ya``/``Tidak`` (or yes/no, 1/0) as a bool; an empty cell gives ``None``.

    Raises:
        RowProblem: ``bad_yes_no``.
    """
    if isinstance(value, bool):
        return value
    if clean_text(value) == "":
        return None
    key = text_key(value)
    if key not in YES_NO:
        raise RowProblem("bad_yes_no", f"expected Ya or Tidak, got {clean_text(value)!r}")
    return YES_NO[key]


def parse_role(value: object) -> str:
    """An attendance role: Peserta / Narasumber / Fasilitator, else the text as written.

    Any role counts as participation; an empty role is taken as ``Peserta``.
    """
    text = clean_text(value)
    return ROLES.get(text.casefold(), text or "Peserta")
