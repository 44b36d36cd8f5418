"""Seeded generator of a demo Knowledge Management programme, written as messy field exports.

The files imitate the shapes in the field samples (title rows, merged headers, counts as text,
Indonesian dates, overlapping monthly logs, free-text agency names) so the importer can be run
end to end on a programme shaped like the real one: 51 agencies, about 75 CoPs, about 12,000
employees, July 2025 up to ``today``. The same seed always gives byte-identical files.

Run ``python -m data.demo FOLDER [--seed N] [--today YYYY-MM-DD]``.

One module per export kind (``roster``, ``headcount``, ``activity``, ``attendance``,
``aset``, ``access_log``, ``maturity``) draws its part and writes its files; ``model`` holds
what they share and ``sheets`` how files are written; ``build`` imports them into the demo
database (``python -m data.demo.build``).
"""

from __future__ import annotations

import argparse
import datetime
import logging
import pathlib

from data.demo.access_log import draw_access_events, write_access_logs
from data.demo.activity import draw_activities, draw_cops, write_activity_register
from data.demo.aset import draw_assets, write_asset_register
from data.demo.attendance import write_attendance
from data.demo.headcount import write_recaps
from data.demo.maturity import write_maturity
from data.demo.model import DEFAULT_TODAY, Programme, load_agencies, stream
from data.demo.roster import draw_headcounts, draw_roster, write_roster

log = logging.getLogger(__name__)


def write_demo_exports(folder: pathlib.Path, *, seed: int = 2025,
                       today: datetime.date = DEFAULT_TODAY) -> list[pathlib.Path]:
    """Write a seeded demo programme as field-shaped export files into ``folder``.

    Files (27 files, about 12 MB, about 5 s for the default ``today``):
        - ``daftar_pegawai.csv``: roster, ``;``-separated UTF-8 with BOM, CRLF, ~12,000 rows;
          ~30% NIPs spaced (``19850330 201001 2 001``), ~1% with a leading apostrophe.
        - ``rekap_jumlah_pegawai_2025.xlsx`` / ``_2026.xlsx``: headcount recaps (31 Dec 2025,
          30 Jun 2026) with title rows, a two-row merged header, counts as text and a
          ``JUMLAH TOTAL`` row; the 2026 one has upper-case names, equals the roster per agency
          and holds a hidden first sheet ``Rekap 2024 (lama)``.
        - ``rekap_kegiatan_cop.xlsx``: ~650 meetings of ~75 CoPs, quarter label merged down its rows.
        - ``rekap_kehadiran_cop.csv``: online-form attendance, ~11,600 rows, messy agency names,
          ~1% double submissions; ``daftar_hadir_<date>.xlsx``: two printed sign-in sheets (their
          meetings are not in the CSV).
        - ``aset_pengetahuan_portal_km.xlsx``: ~420 assets, mixed-case statuses, ~20% text dates.
        - ``log_akses_portal_km_YYYY-MM.csv``: monthly access logs from 2025-07 to the month of
          ``today``, each repeating the previous month's last day; English shape with offsets
          from 2026-04, UTC times near midnight from 2026-09; ~150,000 rows with ~1% noise.
        - ``penilaian_maturitas_2025.xlsx`` / ``_2026.xlsx``: maturity scores per CoP.

    Args:
        folder: Target folder, created if missing; existing files of the same names are replaced.
        seed: Seed of every random draw; the same seed and ``today`` give byte-identical files.
        today: Export date; activities run up to it, access logs up to the day before.

    Returns:
        The paths written, sorted by name.

    Raises:
        ValueError: If ``today`` is before 1 September 2025 (too little programme to draw).
    """
    if today < datetime.date(2025, 9, 1):
        raise ValueError(f"today={today} is before 2025-09-01; the demo programme starts July 2025")
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    programme = draw_programme(seed, today)
    stamp = datetime.datetime.combine(today, datetime.time(7, 0))
    paths = [write_roster(folder, programme, stream(seed, "roster-print"))]
    paths += write_recaps(folder, programme, stream(seed, "recap"), stamp)
    paths.append(write_activity_register(folder, programme.activities, stamp))
    paths += write_attendance(folder, programme, stream(seed, "attendance"), stamp)
    paths.append(write_asset_register(folder, programme.assets, stream(seed, "asset-print"), stamp))
    events = draw_access_events(stream(seed, "access"), programme, today)
    paths += write_access_logs(folder, events, today)
    paths += write_maturity(folder, programme.cops, stream(seed, "maturity"), stamp)
    return sorted(paths)


def draw_programme(seed: int, today: datetime.date) -> Programme:
    """Draw agencies, roster, CoPs, meetings and assets; each part has its own seeded stream."""
    agencies = load_agencies()
    headcounts = draw_headcounts(stream(seed, "headcount"), agencies)
    employees = draw_roster(stream(seed, "roster"), agencies, headcounts)
    cops = draw_cops(stream(seed, "cops"), agencies, today)
    activities = draw_activities(stream(seed, "activities"), cops, headcounts, today)
    programme = Programme(agencies, employees, cops, activities, [])
    programme.assets = draw_assets(stream(seed, "assets"), programme, today)
    return programme



def main(argv: list[str] | None = None) -> None:
    """Command line: write the demo exports into a folder."""
    parser = argparse.ArgumentParser(description="Write seeded demo KM programme exports.")
    parser.add_argument("folder", type=pathlib.Path, help="folder to write the export files into")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=DEFAULT_TODAY,
                        help="export date, YYYY-MM-DD (default 2026-11-30)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    paths = write_demo_exports(args.folder, seed=args.seed, today=args.today)
    log.info("demo written folder=%s files=%d seed=%d today=%s", args.folder, len(paths),
             args.seed, args.today)
