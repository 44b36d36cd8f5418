"""Seeded generator of a demo Knowledge Management programme, written as messy field exports.

The files imitate the shapes in the field samples (title rows, merged headers, counts as text,
Indonesian dates, overlapping monthly logs, free-text agency names) so the importer can be run
end to end on a programme shaped like the real one: 51 agencies, about 75 CoPs, about 12,000
employees, July 2025 up to ``today``. The same seed always gives byte-identical files.

Run ``python -m data.demo FOLDER [--seed N] [--today YYYY-MM-DD]``.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import csv
import dataclasses
import datetime
import io
import logging
import math
import pathlib
import random
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

log = logging.getLogger(__name__)

DEFAULT_TODAY = datetime.date(2026, 11, 30)
PROGRAMME_START = datetime.date(2025, 7, 1)
FIRST_MEETING = datetime.date(2025, 7, 7)
RECAP_DATES = (datetime.date(2025, 12, 31), datetime.date(2026, 6, 30))
OLD_RECAP_DATE = datetime.date(2024, 12, 31)
ENGLISH_LOG_FROM = (2026, 4)
UTC_LOG_FROM = (2026, 9)
AGENCY_TABLE = pathlib.Path(__file__).parent / "reference" / "perangkat_daerah.csv"

THEMES = ("Layanan Publik", "Inovasi Digital", "Tata Kelola", "Kolaborasi", "Manajemen Risiko",
          "Pembelajaran", "Pengelolaan Data", "Pelayanan Prima")
ASSET_KINDS = ("Dokumen", "Video", "Infografis", "SOP", "Lesson Learned", "Best Practice")
SESSION_WORDS = ("Sesi", "Kelas", "Forum", "Diskusi")
MENTORS = tuple(f"Pendamping {letter}" for letter in "ABCDEF")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ROMAN = ("I", "II", "III", "IV")
ACTIONS_ID = ("Lihat", "Unduh", "Suka", "Komentar")
ACTIONS_EN = ("view", "download", "like", "comment")
ACTION_CUM_WEIGHTS = (70, 90, 96, 100)
HOUR_WEIGHTS = {0: 1.0, 1: 0.6, 7: 4, 8: 8, 9: 10, 10: 10, 11: 9, 12: 6, 13: 8, 14: 9, 15: 8,
                16: 6, 17: 4, 18: 3, 19: 4, 20: 5, 21: 4, 22: 2, 23: 1.4}
JOB_TITLES = ("Staf Pelaksana", "Kepala Subbagian", "Kepala Seksi", "Analis Kebijakan", "Perencana",
              "Pustakawan", "Arsiparis", "Auditor", "Penyuluh", "Pranata Komputer",
              "Analis SDM Aparatur", "Pengadministrasi Umum")
MALE = ("Agus", "Ahmad", "Andi", "Arif", "Bambang", "Bayu", "Budi", "Dedi", "Dimas", "Eko", "Fajar",
        "Hadi", "Hendra", "Irfan", "Joko", "Muhammad", "Rizky", "Rudi", "Teguh", "Wahyu", "Yudi",
        "Yusuf", "Gilang", "Iwan", "Dodi", "Reza", "Taufik", "Slamet")
FEMALE = ("Ayu", "Dewi", "Dian", "Fitri", "Indah", "Kartika", "Lestari", "Maya", "Mega", "Novi",
          "Nur", "Nurul", "Putri", "Ratna", "Retno", "Rina", "Siti", "Sri", "Wulan", "Yuni",
          "Anisa", "Rahma", "Sari", "Intan", "Desi", "Lina", "Yanti", "Endah")
FAMILY = ("Lubis", "Pratama", "Gunawan", "Setiawan", "Saputra", "Siregar", "Hakim", "Utami",
          "Nugroho", "Santoso", "Kurniawan", "Wijaya", "Hidayat", "Susanti", "Rahayu", "Permata",
          "Harahap", "Wibowo", "Simanjuntak", "Nasution", "Sitompul", "Hutapea", "Purba", "Sinaga",
          "Tanjung", "Syahputra", "Suryadi", "Prasetyo", "Hartono", "Kusuma", "Wahyuni",
          "Handayani", "Maulana", "Ramadhan", "Firmansyah", "Anggraini", "Safitri", "Puspita",
          "Fauzi", "Halim", "Sembiring", "Manurung", "Pohan", "Irawan", "Sulistyo", "Hasibuan")
PREFIXES = ("Dr.", "Ir.", "dr.", "drg.")
DEGREES = ("S.E.", "S.H.", "S.T.", "S.Kom", "S.Sos", "S.Pd", "S.Kep", "S.AP", "M.Si", "M.M.",
           "M.Kom", "M.AP", "S.T., M.T.", "S.E., M.M.", "S.H., M.H.")
STATUS_SPELLINGS = {"Terbit": (" terbit ", "TERBIT", "terbit", "Terbit "),
                    "Draf": ("DRAF", " draf", "draf ", "Draf  "),
                    "Ditolak": ("DITOLAK", "ditolak ", " Ditolak")}
BIG_DINAS = ("Dinas Pendidikan", "Dinas Kesehatan", "Dinas Perhubungan", "Dinas Bina Marga",
             "Dinas Sumber Daya Air")
FIELD_HEAVY = ("Dinas Penanggulangan Kebakaran dan Penyelamatan", "Satuan Polisi Pamong Praja",
               "Dinas Lingkungan Hidup", "Dinas Pertamanan dan Hutan Kota")
HEADCOUNT_RANGES = {"Kota Administrasi": (520, 680), "Kabupaten Administrasi": (140, 240),
                    "Biro": (40, 120), "Dinas": (100, 240), "Badan": (80, 200)}

# Used only when the product's agency table (AGENCY_TABLE) is absent.
BUILTIN_AGENCIES = """name,abbreviation,kind,aliases
Sekretariat Daerah,Setda,Sekretariat,Sekda
Sekretariat Dewan Perwakilan Rakyat Daerah,Setwan,Sekretariat,Sekretariat DPRD
Inspektorat,Inspektorat,Inspektorat,
Badan Perencanaan Pembangunan Daerah,Bappeda,Badan,
Badan Pengelolaan Keuangan Daerah,BPKD,Badan,Badan Pengelola Keuangan Daerah
Badan Pendapatan Daerah,Bapenda,Badan,
Badan Pengelolaan Aset Daerah,BPAD,Badan,
Badan Kepegawaian Daerah,BKD,Badan,
Badan Pengembangan Sumber Daya Manusia,BPSDM,Badan,
Badan Kesatuan Bangsa dan Politik,Kesbangpol,Badan,
Badan Penanggulangan Bencana Daerah,BPBD,Badan,
Badan Pembinaan Badan Usaha Milik Daerah,BP BUMD,Badan,
Badan Pelayanan Pengadaan Barang/Jasa,BPPBJ,Badan,
Dinas Pendidikan,Disdik,Dinas,
Dinas Kesehatan,Dinkes,Dinas,
Dinas Bina Marga,Bina Marga,Dinas,DBM
Dinas Sumber Daya Air,Dinas SDA,Dinas,DSDA
"Dinas Cipta Karya, Tata Ruang dan Pertanahan",DCKTRP,Dinas,
Dinas Perumahan Rakyat dan Kawasan Permukiman,DPRKP,Dinas,
Dinas Perhubungan,Dishub,Dinas,
Dinas Lingkungan Hidup,DLH,Dinas,
Dinas Pertamanan dan Hutan Kota,Distamhut,Dinas,
Dinas Penanggulangan Kebakaran dan Penyelamatan,Gulkarmat,Dinas,Dinas Gulkarmat
Dinas Sosial,Dinsos,Dinas,
"Dinas Tenaga Kerja, Transmigrasi dan Energi",Nakertransgi,Dinas,
"Dinas Pemberdayaan, Perlindungan Anak dan Pengendalian Penduduk",PPAPP,Dinas,
"Dinas Ketahanan Pangan, Kelautan dan Pertanian",KPKP,Dinas,
Dinas Kependudukan dan Pencatatan Sipil,Dukcapil,Dinas,Disdukcapil
"Dinas Komunikasi, Informatika dan Statistik",Kominfotik,Dinas,Diskominfotik
"Dinas Perindustrian, Perdagangan, Koperasi, Usaha Kecil dan Menengah",PPKUKM,Dinas,
Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu,DPMPTSP,Dinas,
Dinas Pemuda dan Olahraga,Dispora,Dinas,
Dinas Kebudayaan,Disbud,Dinas,
Dinas Pariwisata dan Ekonomi Kreatif,Parekraf,Dinas,Disparekraf
Dinas Perpustakaan dan Kearsipan,Dispusip,Dinas,
Satuan Polisi Pamong Praja,Satpol PP,Satuan,
Kota Administrasi Jakarta Pusat,Jakpus,Kota Administrasi,
Kota Administrasi Jakarta Utara,Jakut,Kota Administrasi,
Kota Administrasi Jakarta Barat,Jakbar,Kota Administrasi,
Kota Administrasi Jakarta Selatan,Jaksel,Kota Administrasi,
Kota Administrasi Jakarta Timur,Jaktim,Kota Administrasi,
Kabupaten Administrasi Kepulauan Seribu,Kep. Seribu,Kabupaten Administrasi,
Biro Hukum,Biro Hukum,Biro,
Biro Organisasi dan Reformasi Birokrasi,Biro ORB,Biro,
Biro Pemerintahan,Biro Pem,Biro,
Biro Perekonomian dan Keuangan,Biro Perekonomian,Biro,
Biro Kesejahteraan Rakyat,Biro Kesra,Biro,
Biro Umum dan Administrasi,Biro Umum,Biro,
Biro Pembangunan dan Lingkungan Hidup,Biro PLH,Biro,
Biro Administrasi Pimpinan,Biro Adpim,Biro,
Biro Kerja Sama Daerah,Biro KSD,Biro,
"""

# An access event: (time in WIB, printed NIP, asset id, action index, UTC suffix or "").
Event = tuple[datetime.datetime, str, str, int, str]


@dataclasses.dataclass(frozen=True)
class Agency:
    name: str
    abbreviation: str
    kind: str
    aliases: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Employee:
    nip: str
    name: str
    agency: Agency
    status: str


@dataclasses.dataclass(frozen=True)
class Cop:
    name: str
    agency: Agency
    theme: str
    started_on: datetime.date
    mentor: str
    liveliness: float


@dataclasses.dataclass(frozen=True)
class Activity:
    cop: Cop
    title: str
    held_on: datetime.date
    accompanied: bool
    mentor: str
    participants: int


@dataclasses.dataclass(frozen=True)
class Asset:
    asset_id: str
    title: str
    kind: str
    cop: Cop
    uploader_nip: str
    uploaded_on: datetime.date
    status: str
    published_on: datetime.date | None


@dataclasses.dataclass(frozen=True)
class Attendance:
    employee: Employee
    activity: Activity
    role: str
    submitted_at: datetime.datetime


@dataclasses.dataclass
class Programme:
    """Everything drawn for one demo: the truth the export files are written from."""

    agencies: list[Agency]
    employees: list[Employee]
    cops: list[Cop]
    activities: list[Activity]
    assets: list[Asset]

    @property
    def staff(self) -> dict[str, list[Employee]]:
        """Employees per agency name, in roster order."""
        staff: dict[str, list[Employee]] = collections.defaultdict(list)
        for employee in self.employees:
            staff[employee.agency.name].append(employee)
        return staff


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
    paths = [_write_roster(folder, programme, _rng(seed, "roster-print"))]
    paths += _write_recaps(folder, programme, _rng(seed, "recap"), stamp)
    paths.append(_write_activity_register(folder, programme.activities, stamp))
    paths += _write_attendance(folder, programme, _rng(seed, "attendance"), stamp)
    paths.append(_write_asset_register(folder, programme.assets, _rng(seed, "asset-print"), stamp))
    events = _draw_access_events(_rng(seed, "access"), programme, today)
    paths += _write_access_logs(folder, events, today)
    paths += _write_maturity(folder, programme.cops, _rng(seed, "maturity"), stamp)
    return sorted(paths)


def draw_programme(seed: int, today: datetime.date) -> Programme:
    """Draw agencies, roster, CoPs, meetings and assets; each part has its own seeded stream."""
    agencies = load_agencies()
    headcounts = _draw_headcounts(_rng(seed, "headcount"), agencies)
    employees = _draw_roster(_rng(seed, "roster"), agencies, headcounts)
    cops = _draw_cops(_rng(seed, "cops"), agencies, today)
    activities = _draw_activities(_rng(seed, "activities"), cops, headcounts, today)
    programme = Programme(agencies, employees, cops, activities, [])
    programme.assets = _draw_assets(_rng(seed, "assets"), programme, today)
    return programme


def load_agencies() -> list[Agency]:
    """The product's agency table (``data/reference/perangkat_daerah.csv``), else a built-in copy."""
    text = AGENCY_TABLE.read_text(encoding="utf-8-sig") if AGENCY_TABLE.exists() else BUILTIN_AGENCIES
    agencies = []
    for row in csv.DictReader(io.StringIO(text)):
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
        name = row["name"].strip()
        agencies.append(Agency(name, row["abbreviation"].strip() or name, row["kind"].strip(), aliases))
    return agencies


def _rng(seed: int, part: str) -> random.Random:
    """A random stream for one part of the demo (string seeds are hashed stably by ``random``)."""
    return random.Random(f"{seed}:{part}")


# ----------------------------------------------------------------------------- roster


def _headcount_range(agency: Agency) -> tuple[int, int]:
    if agency.name in BIG_DINAS:
        return 420, 620
    if agency.name in FIELD_HEAVY:
        return 260, 400
    return HEADCOUNT_RANGES.get(agency.kind, (90, 200))


def _draw_headcounts(rng: random.Random, agencies: list[Agency]) -> dict[str, tuple[int, int]]:
    """(PNS, PPPK) per agency name: about 12,000 in all, about 20% PPPK."""
    headcounts = {}
    for agency in agencies:
        total = rng.randint(*_headcount_range(agency))
        pppk = round(total * rng.uniform(0.12, 0.28))
        headcounts[agency.name] = (total - pppk, pppk)
    return headcounts


def _draw_roster(rng: random.Random, agencies: list[Agency],
                 headcounts: dict[str, tuple[int, int]]) -> list[Employee]:
    taken: set[str] = set()
    employees = []
    for agency in agencies:
        pns, pppk = headcounts[agency.name]
        statuses = ["PNS"] * pns + ["PPPK"] * pppk
        rng.shuffle(statuses)
        for status in statuses:
            nip = _draw_nip(rng, status, taken)
            employees.append(Employee(nip, _draw_name(rng, nip[14]), agency, status))
    return employees


def _draw_nip(rng: random.Random, status: str, taken: set[str]) -> str:
    """An unused 18-digit NIP: birth date, appointment (PPPK: year + ``21``), sex, sequence."""
    while True:
        birth = datetime.date(1966, 1, 1) + datetime.timedelta(days=rng.randrange(35 * 365))
        if status == "PNS":
            year = min(max(birth.year + rng.randint(21, 34), 1986), 2025)
            appointment = f"{year}{rng.randint(1, 12):02d}"
        else:
            appointment = f"{rng.randint(2021, 2025)}21"
        nip = f"{birth:%Y%m%d}{appointment}{rng.choice('12')}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def _draw_name(rng: random.Random, sex: str) -> str:
    name = f"{rng.choice(MALE if sex == '1' else FEMALE)} {rng.choice(FAMILY)}"
    if rng.random() < 0.12:
        name = f"{rng.choice(PREFIXES)} {name}"
    if rng.random() < 0.55:
        name = f"{name}, {rng.choice(DEGREES)}"
    return name


def _spaced(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def _printed_nip(rng: random.Random, nip: str, spaced_share: float, apostrophe_share: float) -> str:
    draw = rng.random()
    if draw < apostrophe_share:
        return "'" + nip
    return _spaced(nip) if draw < apostrophe_share + spaced_share else nip


def _write_roster(folder: pathlib.Path, programme: Programme, rng: random.Random) -> pathlib.Path:
    rows = [[_printed_nip(rng, e.nip, 0.30, 0.01), e.name, e.agency.name, e.status]
            for e in programme.employees]
    header = ["NIP", "Nama Pegawai", "Perangkat Daerah", "Status Kepegawaian"]
    return _write_csv(folder / "daftar_pegawai.csv", header, rows, delimiter=";", bom=True)


def _write_csv(path: pathlib.Path, header: list[str], rows: list[list], *,
               delimiter: str = ",", bom: bool = False) -> pathlib.Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    log.info("wrote file=%s rows=%d", path.name, len(rows))
    return path


# ----------------------------------------------------------------------------- xlsx helpers


def _save_workbook(workbook: openpyxl.Workbook, path: pathlib.Path,
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


def _title_block(sheet, lines: list[str], last_column: int) -> None:
    """Bold title lines, each merged across columns A..last_column."""
    for row, text in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)


def _as_excel_date(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def _date_cell(sheet, row: int, column: int, day: datetime.date) -> None:
    sheet.cell(row=row, column=column, value=_as_excel_date(day)).number_format = "DD/MM/YYYY"


def _indonesian_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def _text_count(count: int) -> str:
    """A count as the field types it: text with ``.`` thousands separators."""
    return f"{count:,}".replace(",", ".")


# ----------------------------------------------------------------------------- headcount recaps


def _shrink(rng: random.Random, counts: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Earlier counts: a few percent fewer PNS and rather fewer PPPK (PPPK hiring grows)."""
    return {name: (pns - round(pns * rng.uniform(0.01, 0.04)),
                   pppk - round(pppk * rng.uniform(0.03, 0.12)))
            for name, (pns, pppk) in counts.items()}


def _write_recaps(folder: pathlib.Path, programme: Programme, rng: random.Random,
                  stamp: datetime.datetime) -> list[pathlib.Path]:
    current = {}
    for agency, staff in programme.staff.items():
        pppk = sum(employee.status == "PPPK" for employee in staff)
        current[agency] = (len(staff) - pppk, pppk)
    earlier = _shrink(rng, current)
    oldest = _shrink(rng, earlier)
    book_2025 = openpyxl.Workbook()
    _fill_recap(book_2025.active, "Rekap", RECAP_DATES[0], earlier, upper=False)
    book_2026 = openpyxl.Workbook()
    old_sheet = book_2026.active
    _fill_recap(old_sheet, "Rekap 2024 (lama)", OLD_RECAP_DATE, oldest, upper=False)
    old_sheet.sheet_state = "hidden"
    _fill_recap(book_2026.create_sheet(), "Rekap", RECAP_DATES[1], current, upper=True)
    book_2026.active = 1
    return [_save_workbook(book_2025, folder / "rekap_jumlah_pegawai_2025.xlsx", stamp),
            _save_workbook(book_2026, folder / "rekap_jumlah_pegawai_2026.xlsx", stamp)]


def _fill_recap(sheet, title: str, as_of: datetime.date, counts: dict[str, tuple[int, int]], *,
                upper: bool) -> None:
    sheet.title = title
    _title_block(sheet, ["REKAPITULASI JUMLAH PEGAWAI PEMERINTAH PROVINSI DKI JAKARTA",
                         f"Keadaan per {_indonesian_date(as_of)}"], last_column=6)
    for column, label in ((1, "No"), (2, "Perangkat Daerah"), (3, "Jumlah Pegawai"), (5, "Total")):
        sheet.cell(row=4, column=column, value=label)
    sheet.cell(row=5, column=3, value="PNS")
    sheet.cell(row=5, column=4, value="PPPK")
    for cells in ("A4:A5", "B4:B5", "C4:D4", "E4:E5"):
        sheet.merge_cells(cells)
    for number, (name, (pns, pppk)) in enumerate(counts.items(), start=1):
        sheet.append([number, name.upper() if upper else name,
                      _text_count(pns), _text_count(pppk), _text_count(pns + pppk)])
    pns_total = sum(p for p, _ in counts.values())
    pppk_total = sum(p for _, p in counts.values())
    sheet.append([None, "JUMLAH TOTAL", _text_count(pns_total), _text_count(pppk_total),
                  _text_count(pns_total + pppk_total)])


# ----------------------------------------------------------------------------- CoPs and meetings


def _draw_cops(rng: random.Random, agencies: list[Agency], today: datetime.date) -> list[Cop]:
    """One or two CoPs per agency (about 75); a few second CoPs only start in 2026."""
    cops = []
    for agency in agencies:
        themes = rng.sample(THEMES, 2 if rng.random() < 0.47 else 1)
        for position, theme in enumerate(themes):
            started_on = PROGRAMME_START
            if position == 1 and rng.random() < 0.15:
                started_on = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randrange(110))
            cop = Cop(f"CoP {theme} {agency.abbreviation}", agency, theme, started_on,
                      rng.choice(MENTORS), rng.random())
            if started_on <= today:
                cops.append(cop)
    return cops


def _quarters(first: datetime.date, last: datetime.date):
    """Yield (start, end, label) of every quarter from the one holding ``first`` up to ``last``."""
    year, quarter = first.year, (first.month - 1) // 3
    while (start := datetime.date(year, 3 * quarter + 1, 1)) <= last:
        next_year, next_quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
        end = datetime.date(next_year, 3 * next_quarter + 1, 1) - datetime.timedelta(days=1)
        yield start, end, f"TW {ROMAN[quarter]} {year}"
        year, quarter = next_year, next_quarter


def _quarter_label(day: datetime.date) -> str:
    return f"TW {ROMAN[(day.month - 1) // 3]} {day.year}"


def _draw_activities(rng: random.Random, cops: list[Cop], headcounts: dict[str, tuple[int, int]],
                     today: datetime.date) -> list[Activity]:
    """Meetings: 1-3 a quarter per CoP, sleepy CoPs skip quarters; sorted by date."""
    activities: list[Activity] = []
    for cop in cops:
        size = sum(headcounts[cop.agency.name])
        for start, end, _ in _quarters(cop.started_on, today):
            first, last = max(start, cop.started_on, FIRST_MEETING), min(end, today)
            if first > last or rng.random() < 0.05 + 0.3 * (1 - cop.liveliness):
                continue
            for held_on in _meeting_dates(rng, first, last, cop.liveliness):
                activities.append(_draw_activity(rng, cop, len(activities) + 1, held_on, size))
    return sorted(activities, key=lambda a: (a.held_on, a.cop.name, a.title))


def _meeting_dates(rng: random.Random, first: datetime.date, last: datetime.date,
                   liveliness: float) -> list[datetime.date]:
    count = rng.choices((1, 2, 3), weights=(1.5 - liveliness, 1.0, 0.3 + liveliness))[0]
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5]
    return sorted(rng.sample(weekdays, min(count, len(weekdays))))


def _draw_activity(rng: random.Random, cop: Cop, number: int, held_on: datetime.date,
                   agency_size: int) -> Activity:
    accompanied = rng.random() < 0.65
    mentor = (cop.mentor if rng.random() < 0.85 else rng.choice(MENTORS)) if accompanied else ""
    title = f"Berbagi Pengetahuan {rng.choice(SESSION_WORDS)} {number}"
    participants = rng.randint(8, 20) + agency_size // 50
    return Activity(cop, title, held_on, accompanied, mentor, participants)


def _write_activity_register(folder: pathlib.Path, activities: list[Activity],
                             stamp: datetime.datetime) -> pathlib.Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rekap Kegiatan"
    _title_block(sheet, ["REKAPITULASI KEGIATAN KOMUNITAS PEMBELAJAR (COP) PERANGKAT DAERAH",
                         "Pendampingan Knowledge Management BPSDM"], last_column=9)
    header = ["No", "Triwulan", "Perangkat Daerah", "Nama CoP", "Nama Kegiatan", "Tanggal Kegiatan",
              "Didampingi", "Pendamping", "Jumlah Peserta"]
    for column, label in enumerate(header, start=1):
        sheet.cell(row=4, column=column, value=label).font = Font(bold=True)
    quarter_rows: dict[str, list[int]] = collections.defaultdict(list)
    for number, activity in enumerate(activities, start=1):
        row, label = number + 4, _quarter_label(activity.held_on)
        quarter_rows[label].append(row)
        sheet.append([number, label if len(quarter_rows[label]) == 1 else None,
                      activity.cop.agency.name, activity.cop.name, activity.title, None,
                      "Ya" if activity.accompanied else "Tidak", activity.mentor or None,
                      activity.participants])
        _date_cell(sheet, row, 6, activity.held_on)
    for rows in quarter_rows.values():
        if len(rows) > 1:
            sheet.merge_cells(start_row=rows[0], start_column=2, end_row=rows[-1], end_column=2)
    return _save_workbook(book, folder / "rekap_kegiatan_cop.xlsx", stamp)


# ----------------------------------------------------------------------------- attendance


def _draw_attendance(rng: random.Random, programme: Programme) -> list[Attendance]:
    """Attendees of every meeting: Jumlah Peserta people, ~10% of them from other agencies."""
    staff = programme.staff
    pools = {}
    for cop in programme.cops:
        members = staff[cop.agency.name]
        size = max(45, round(len(members) * rng.uniform(0.25, 0.6)))
        pools[cop.name] = rng.sample(members, min(size, len(members)))
    rows = []
    for activity in programme.activities:
        people = _pick_attendees(rng, activity, pools[activity.cop.name], programme.employees)
        roles = ["Narasumber", "Fasilitator"] + (["Narasumber"] if rng.random() < 0.15 else [])
        roles += ["Peserta"] * (len(people) - len(roles))
        start = datetime.datetime.combine(activity.held_on, datetime.time(8, 0))
        for person, role in zip(people, roles):
            submitted_at = start + datetime.timedelta(seconds=rng.randrange(4 * 3600))
            rows.append(Attendance(person, activity, role, submitted_at))
    return rows


def _pick_attendees(rng: random.Random, activity: Activity, pool: list[Employee],
                    everyone: list[Employee]) -> list[Employee]:
    guests = sum(rng.random() < 0.10 for _ in range(activity.participants))
    people = rng.sample(pool, min(activity.participants - guests, len(pool)))
    chosen = {person.nip for person in people}
    while len(people) < activity.participants:
        person = rng.choice(everyone)
        if person.agency != activity.cop.agency and person.nip not in chosen:
            people.append(person)
            chosen.add(person.nip)
    return people


def _messy_agency(rng: random.Random, agency: Agency) -> str:
    """The agency as people type it into a form: case, spaces, suffix, abbreviation, alias."""
    name, short = agency.name, agency.abbreviation
    forms = (name, " " + name, name.upper(), name.lower(), name + " Provinsi DKI Jakarta",
             short, short.lower(), rng.choice(agency.aliases) if agency.aliases else short.upper(),
             name.replace(" ", "  ", 1), name + " ")
    return rng.choices(forms, weights=(40, 8, 10, 10, 8, 10, 6, 5, 2, 1))[0]


def _write_attendance(folder: pathlib.Path, programme: Programme, rng: random.Random,
                      stamp: datetime.datetime) -> list[pathlib.Path]:
    """The online-form CSV and two printed sign-in sheets (their meetings are not in the CSV)."""
    attendance = _draw_attendance(rng, programme)
    paper = _pick_paper_meetings(rng, programme.activities)
    online = sorted((a for a in attendance if a.activity not in paper),
                    key=lambda a: (a.submitted_at, a.employee.nip))
    rows = []
    for entry in online:
        activity = entry.activity
        employee = entry.employee
        row = [f"{entry.submitted_at:%d/%m/%Y %H:%M:%S}", employee.name,
               _printed_nip(rng, employee.nip, 0.20, 0.01), _messy_agency(rng, employee.agency),
               activity.cop.name, activity.title, f"{activity.held_on:%d/%m/%Y}", entry.role]
        rows.extend([row, row] if rng.random() < 0.01 else [row])
    header = ["Timestamp", "Nama Lengkap", "NIP", "Perangkat Daerah", "Nama CoP", "Nama Kegiatan",
              "Tanggal Kegiatan", "Peran"]
    paths = [_write_csv(folder / "rekap_kehadiran_cop.csv", header, rows)]
    for activity in paper:
        entries = [a for a in attendance if a.activity == activity]
        paths.append(_write_sign_in_sheet(folder, activity, entries, rng, stamp))
    return paths


def _pick_paper_meetings(rng: random.Random, activities: list[Activity]) -> list[Activity]:
    """Two meetings on different days of the last year, small enough for one printed page."""
    newest = activities[-1].held_on
    candidates = [a for a in activities
                  if 10 <= a.participants <= 30 and (newest - a.held_on).days <= 365]
    first = rng.choice(candidates)
    second = rng.choice([a for a in candidates if a.held_on != first.held_on])
    return sorted([first, second], key=lambda a: a.held_on)


def _write_sign_in_sheet(folder: pathlib.Path, activity: Activity, entries: list[Attendance],
                         rng: random.Random, stamp: datetime.datetime) -> pathlib.Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Daftar Hadir"
    day = activity.held_on
    _title_block(sheet, [f"DAFTAR HADIR KEGIATAN {activity.cop.name.upper()}",
                         f"Kegiatan : {activity.title}",
                         f"Hari/Tanggal : {DAYS_ID[day.weekday()]}, {_indonesian_date(day)}",
                         f"Tempat : Ruang Rapat {activity.cop.agency.abbreviation}"], last_column=7)
    header = ["No", "Nama", "NIP", "Jabatan", "Unit Kerja", "Peran", "Tanda Tangan"]
    for column, label in enumerate(header, start=1):
        sheet.cell(row=6, column=column, value=label).alignment = Alignment(horizontal="center")
    for number, entry in enumerate(entries, start=1):
        sheet.append([number, entry.employee.name, _printed_nip(rng, entry.employee.nip, 0.30, 0.0),
                      rng.choice(JOB_TITLES), entry.employee.agency.name, entry.role])
    for number in range(len(entries) + 1, len(entries) + 4):
        sheet.append([number])
    return _save_workbook(book, folder / f"daftar_hadir_{day.isoformat()}.xlsx", stamp)


# ----------------------------------------------------------------------------- assets


def _draw_assets(rng: random.Random, programme: Programme, today: datetime.date) -> list[Asset]:
    """About 6 assets per CoP, uploaded by its agency's staff, more of them later on."""
    staff = programme.staff
    assets: list[Asset] = []
    for cop in programme.cops:
        count = rng.randint(3, 9) if cop.started_on == PROGRAMME_START else rng.randint(2, 5)
        first = max(cop.started_on, FIRST_MEETING)
        for _ in range(count):
            later_days = int((today - first).days * rng.random() ** 0.8)
            uploaded_on = first + datetime.timedelta(days=later_days)
            status, published_on = _draw_asset_status(rng, uploaded_on, today)
            kind = rng.choice(ASSET_KINDS)
            theme = cop.theme if rng.random() < 0.5 else rng.choice(THEMES)
            number = len(assets) + 1
            assets.append(Asset(f"AP-{uploaded_on.year}-{number:05d}", f"{kind} {theme} no. {number}",
                                kind, cop, rng.choice(staff[cop.agency.name]).nip, uploaded_on,
                                status, published_on))
    return assets


def _draw_asset_status(rng: random.Random, uploaded_on: datetime.date,
                       today: datetime.date) -> tuple[str, datetime.date | None]:
    if (today - uploaded_on).days < 10 and rng.random() < 0.6:
        return "Draf", None
    draw = rng.random()
    if draw < 0.10:
        return "Ditolak", None
    if draw < 0.30:
        return "Draf", None
    published_on = uploaded_on + datetime.timedelta(days=rng.randint(0, 14))
    return ("Terbit", published_on) if published_on <= today else ("Draf", None)


def _write_asset_register(folder: pathlib.Path, assets: list[Asset], rng: random.Random,
                          stamp: datetime.datetime) -> pathlib.Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Aset Pengetahuan"
    sheet.append(["ID Aset", "Judul", "Jenis Aset", "Nama CoP", "Perangkat Daerah", "NIP Pengunggah",
                  "Tanggal Unggah", "Status", "Tanggal Terbit"])
    for row, asset in enumerate(assets, start=2):
        status = rng.choice(STATUS_SPELLINGS[asset.status]) if rng.random() < 0.10 else asset.status
        sheet.append([asset.asset_id, asset.title, asset.kind, asset.cop.name, asset.cop.agency.name,
                      asset.uploader_nip, None, status])
        for column, day in ((7, asset.uploaded_on), (9, asset.published_on)):
            if day is not None and rng.random() < 0.20:
                sheet.cell(row=row, column=column, value=_indonesian_date(day))
            elif day is not None:
                _date_cell(sheet, row, column, day)
    return _save_workbook(book, folder / "aset_pengetahuan_portal_km.xlsx", stamp)


# ----------------------------------------------------------------------------- access logs


class _PublishedAssets:
    """Published asset ids by publish date, overall and per agency, for picking what was readable."""

    def __init__(self, assets: list[Asset]):
        published = sorted((a for a in assets if a.published_on),
                           key=lambda a: (a.published_on, a.asset_id))
        self.first_day = published[0].published_on
        self.days = [a.published_on for a in published]
        self.ids = [a.asset_id for a in published]
        self.by_agency: dict[str, tuple[list, list]] = collections.defaultdict(lambda: ([], []))
        for asset in published:
            days, ids = self.by_agency[asset.cop.agency.name]
            days.append(asset.published_on)
            ids.append(asset.asset_id)

    def pick(self, rng: random.Random, agency: str, day: datetime.date) -> str:
        """An asset published before ``day``: about half the time one of the reader's agency."""
        if rng.random() < 0.5 and agency in self.by_agency:
            days, ids = self.by_agency[agency]
            readable = bisect.bisect_left(days, day)
            if readable:
                return ids[rng.randrange(readable)]
        return self.ids[rng.randrange(bisect.bisect_left(self.days, day))]


def _adoption_share(rng: random.Random) -> float:
    """The share of an agency's staff who become portal users: some lag, some lead."""
    band = rng.random()
    if band < 0.2:
        return rng.uniform(0.08, 0.20)
    return rng.uniform(0.50, 0.75) if band > 0.78 else rng.uniform(0.30, 0.55)


def _draw_access_events(rng: random.Random, programme: Programme, today: datetime.date) -> list[Event]:
    """Access events up to the day before ``today``, plus ~1% rows that can never count."""
    published = _PublishedAssets(programme.assets)
    start = datetime.datetime.combine(published.first_day + datetime.timedelta(days=1), datetime.time())
    end = datetime.datetime.combine(today, datetime.time())
    hours, hour_weights = list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values())
    events: list[Event] = []
    for agency, staff in programme.staff.items():
        for employee in rng.sample(staff, round(len(staff) * _adoption_share(rng))):
            for at in _user_times(rng, start, end, hours, hour_weights):
                asset_id = published.pick(rng, agency, at.date())
                action = rng.choices(range(4), cum_weights=ACTION_CUM_WEIGHTS)[0]
                near_midnight = at.hour < 2 and (at.year, at.month) >= UTC_LOG_FROM
                utc = rng.choice(("Z", "+00:00")) if near_midnight else ""
                events.append((at, employee.nip, asset_id, action, utc))
    return events + _noise_events(rng, events, programme)


def _user_times(rng: random.Random, start: datetime.datetime, end: datetime.datetime,
                hours: list[int], hour_weights: list[float]) -> list[datetime.datetime]:
    """One user's event times: adopted on a growing curve, then a personal rate a month."""
    span_s = (end - start).total_seconds()
    adopted = start + datetime.timedelta(seconds=span_s * rng.random() ** (1 / 1.5))
    months = (end - adopted).total_seconds() / (30.4 * 86400)
    count = 1 + round(math.exp(rng.gauss(1.0, 0.9)) * months * rng.uniform(0.7, 1.3))
    first_day = adopted.date()
    days_left = max((end.date() - first_day).days, 1)
    times = []
    for index in range(count):
        day = first_day + datetime.timedelta(days=rng.randrange(days_left) if index else 0)
        seconds = rng.choices(hours, weights=hour_weights)[0] * 3600 + rng.randrange(3600)
        midnight = datetime.datetime.combine(day, datetime.time())
        times.append(midnight + datetime.timedelta(seconds=seconds))
    return times


def _noise_events(rng: random.Random, events: list[Event], programme: Programme) -> list[Event]:
    """Rows a real log carries: no NIP, 17-digit NIP, NIP not in the roster, unknown asset."""
    known = {employee.nip for employee in programme.employees}
    next_number = len(programme.assets) + 1
    noise = []
    for cause, share in (("guest", 0.003), ("short", 0.003), ("stranger", 0.002), ("orphan", 0.002)):
        for _ in range(round(len(events) * share)):
            at, nip, asset_id, action, utc = rng.choice(events)
            if cause == "guest":
                nip = rng.choice(("", "-"))
            elif cause == "short":
                cut = rng.randrange(18)
                nip = nip[:cut] + nip[cut + 1:]
            elif cause == "stranger":
                nip = _draw_nip(rng, "PNS", known)
            else:
                asset_id = f"AP-{at.year}-{rng.randint(next_number, next_number + 400):05d}"
            noise.append((at, nip, asset_id, action, utc))
    return noise


def _months(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _write_access_logs(folder: pathlib.Path, events: list[Event],
                       today: datetime.date) -> list[pathlib.Path]:
    """One CSV per month; each file starts with the previous month's last day again."""
    events = sorted(events)
    by_month: dict[tuple[int, int], list[Event]] = collections.defaultdict(list)
    for event in events:
        by_month[(event[0].year, event[0].month)].append(event)
    paths = []
    months = _months(PROGRAMME_START, today)
    for position, month in enumerate(months):
        rows = by_month[month]
        if position:
            previous = by_month[months[position - 1]]
            last_day = datetime.date(*month, 1) - datetime.timedelta(days=1)
            rows = [e for e in previous if e[0].date() == last_day] + rows
        paths.append(_write_log_file(folder / f"log_akses_portal_km_{month[0]}-{month[1]:02d}.csv",
                                     rows, english=month >= ENGLISH_LOG_FROM))
    return paths


def _write_log_file(path: pathlib.Path, events: list[Event], *, english: bool) -> pathlib.Path:
    if not english:
        rows = [[at.isoformat(sep=" "), nip, asset_id, ACTIONS_ID[action]]
                for at, nip, asset_id, action, _ in events]
        return _write_csv(path, ["Waktu Akses", "NIP", "ID Aset", "Aktivitas"], rows)
    utc_shift = datetime.timedelta(hours=7)
    rows = [[(at - utc_shift).isoformat() + utc if utc else at.isoformat() + "+07:00",
             nip, asset_id, ACTIONS_EN[action]] for at, nip, asset_id, action, utc in events]
    return _write_csv(path, ["timestamp", "user_nip", "asset_id", "action"], rows)


# ----------------------------------------------------------------------------- maturity


def _score(value: float) -> Decimal:
    clipped = min(max(value, 1.0), 5.0)
    return Decimal(repr(clipped)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def maturity_level(mean: Decimal) -> int:
    """The maturity level of an exact mean score: 1 below 1.5, ... 4 below 4.5, else 5."""
    for level, bound in enumerate(("1.5", "2.5", "3.5", "4.5"), start=1):
        if mean < Decimal(bound):
            return level
    return 5


def _draw_maturity(rng: random.Random, cops: list[Cop]) -> dict[int, list[tuple[Cop, list[Decimal]]]]:
    """Five dimension scores per CoP and year; 2026 mostly a bit higher; new CoPs only 2026."""
    scores: dict[int, list[tuple[Cop, list[Decimal]]]] = {2025: [], 2026: []}
    for cop in cops:
        base = rng.uniform(1.5, 3.9)
        first = [base + rng.gauss(0, 0.55) for _ in range(5)]
        growth = rng.gauss(0.3, 0.3)
        if cop.started_on.year == 2025:
            scores[2025].append((cop, [_score(value) for value in first]))
            first = [value + growth + rng.gauss(0, 0.3) for value in first]
        scores[2026].append((cop, [_score(value) for value in first]))
    return scores


def _write_maturity(folder: pathlib.Path, cops: list[Cop], rng: random.Random,
                    stamp: datetime.datetime) -> list[pathlib.Path]:
    paths = []
    for year, rows in _draw_maturity(rng, cops).items():
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = f"Maturitas {year}"
        _title_block(sheet, [f"HASIL PENILAIAN TINGKAT MATURITAS COP TAHUN {year}",
                             "Instrumen: Penilaian Maturitas CoP v1"], last_column=9)
        header = ["No", "Perangkat Daerah", "Nama CoP", "Strategi", "Orang", "Proses", "Konten",
                  "Teknologi", "Rata-rata", "Level"]
        for column, label in enumerate(header, start=1):
            sheet.cell(row=4, column=column, value=label)
        for number, (cop, scores) in enumerate(rows, start=1):
            mean = sum(scores) / 5
            written = [_comma(s) if year == 2025 else float(s) for s in scores]
            sheet.append([number, cop.agency.name, cop.name, *written,
                          _comma(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
                          maturity_level(mean)])
        paths.append(_save_workbook(book, folder / f"penilaian_maturitas_{year}.xlsx", stamp))
    return paths


def _comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


# ----------------------------------------------------------------------------- command line


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


if __name__ == "__main__":
    main()
