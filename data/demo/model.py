"""What a demo programme is made of: the agencies, employees, CoPs, meetings and assets drawn, the
constants of the draw, and one seeded random stream per part."""

from __future__ import annotations

import collections
import csv
import dataclasses
import datetime
import io
import pathlib
import random


DEFAULT_TODAY = datetime.date(2026, 11, 30)
PROGRAMME_START = datetime.date(2025, 7, 1)
FIRST_MEETING = datetime.date(2025, 7, 7)
RECAP_DATES = (datetime.date(2025, 12, 31), datetime.date(2026, 6, 30))
OLD_RECAP_DATE = datetime.date(2024, 12, 31)
ENGLISH_LOG_FROM = (2026, 4)
UTC_LOG_FROM = (2026, 9)
AGENCY_TABLE = pathlib.Path(__file__).resolve().parents[1] / "reference" / "perangkat_daerah.csv"

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


def load_agencies() -> list[Agency]:
    """The product's agency table (``data/reference/perangkat_daerah.csv``), else a built-in copy."""
    text = AGENCY_TABLE.read_text(encoding="utf-8-sig") if AGENCY_TABLE.exists() else BUILTIN_AGENCIES
    agencies = []
    for row in csv.DictReader(io.StringIO(text)):
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
        name = row["name"].strip()
        agencies.append(Agency(name, row["abbreviation"].strip() or name, row["kind"].strip(), aliases))
    return agencies


def stream(seed: int, part: str) -> random.Random:
    """A random stream for one part of the demo (string seeds are hashed stably by ``random``)."""
    return random.Random(f"{seed}:{part}")
