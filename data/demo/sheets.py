"""Writing the files: CSV with the field's separators and line ends, xlsx with title blocks and
dates as the field types them."""

from __future__ import annotations

import csv
import datetime
import logging
import io
import pathlib
import zipfile

import openpyxl
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from data.demo.model import MONTHS_ID

log = logging.getLogger(__name__)


def write_csv(path: pathlib.Path, header: list[str], rows: list[list], *,
              delimiter: str = ",", bom: bool = False) -> pathlib.Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    log.info("wrote file=%s rows=%d", path.name, len(rows))
    return path


def save_workbook(workbook: openpyxl.Workbook, path: pathlib.Path,
                  stamp: datetime.datetime) -> pathlib.Path:
    """Save with fixed document and zip-entry times so equal content gives equal bytes."""
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    log.info("wrote file=%s sheets=%d", path.name, len(workbook.worksheets))
    return path


def title_block(sheet, lines: list[str], last_column: int) -> None:
    """Bold title lines, each merged across columns A..last_column."""
    for row, text in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)


def _as_excel_date(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def date_cell(sheet, row: int, column: int, day: datetime.date) -> None:
    sheet.cell(row=row, column=column, value=_as_excel_date(day)).number_format = "DD/MM/YYYY"


def indonesian_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def text_count(count: int) -> str:
    """A count as the field types it: text with ``.`` thousands separators."""
    return f"{count:,}".replace(",", ".")
