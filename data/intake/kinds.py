"""The seven export kinds: their columns, the names the field gives them, and how a
row of each becomes a record.

A header cell is matched to a canonical column by its normalised text (case,
spaces, non-breaking spaces and punctuation ignored) against the synonyms below,
in Indonesian and English. A file's kind is decided by which kind's columns its
header holds (see ``data.intake.layout``), never by the file name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from data.intake.values import text_key


@dataclass(frozen=True)
class Column:
    """A canonical column: its name, the header texts that mean it, and whether a
    file of the kind must have it (``title_ok``: may come from the title block instead)."""

    name: str
    synonyms: tuple[str, ...]
    required: bool = False
    title_ok: bool = False
    instead: tuple[str, ...] = ()  # columns that together stand in for this one when it is absent


@dataclass(frozen=True)
class KindSpec:
    """One export kind: ``kind`` (stored in the import log), a label, its columns."""

    kind: str
    label: str
    columns: tuple[Column, ...]

    def required(self) -> list[Column]:
        """The columns a file of this kind must hold (in its header or title block)."""
        return [c for c in self.columns if c.required]


_NIP = ("nip", "nip baru", "nomor induk pegawai", "no induk pegawai", "nip pegawai", "nip nrk", "nip/nrk", "user nip", "employee nip", "employee id")
_SKPD = ("perangkat daerah", "nama perangkat daerah", "skpd", "nama skpd", "opd", "unit kerja", "instansi", "pd", "agency", "skpd/ukpd", "ukpd")
_COP = ("nama cop", "cop", "komunitas", "nama komunitas", "komunitas pembelajar", "community", "cop name", "community of practice")
_ACTIVITY_TITLE = ("nama kegiatan", "kegiatan", "judul kegiatan", "topik", "activity", "activity title", "event", "acara")
_ACTIVITY_DATE = ("tanggal kegiatan", "tanggal", "hari/tanggal", "hari tanggal", "tgl kegiatan", "tgl", "activity date", "date", "waktu kegiatan")

ROSTER = KindSpec("roster", "Daftar pegawai", (
    Column("nip", _NIP, required=True),
    Column("name", ("nama pegawai", "nama", "nama lengkap", "name", "full name", "employee name"), required=True),
    Column("skpd", _SKPD, required=True),
    Column("employment_status", ("status kepegawaian", "status pegawai", "jenis pegawai", "status asn", "status", "employment status", "jenis asn")),
))

HEADCOUNT = KindSpec("headcount", "Rekap jumlah pegawai", (
    Column("skpd", _SKPD, required=True),
    Column("headcount", ("total", "jumlah total", "total pegawai", "jumlah pegawai total", "jumlah pegawai", "jumlah",
                         "headcount", "employees", "total employees"), required=True,
           instead=("headcount_pns", "headcount_pppk")),
    Column("headcount_pns", ("pns", "jumlah pns", "jumlah pegawai pns")),
    Column("headcount_pppk", ("pppk", "jumlah pppk", "jumlah pegawai pppk")),
    Column("as_of", ("keadaan per", "per tanggal", "tanggal data", "as of", "posisi"), title_ok=True),
))

ATTENDANCE = KindSpec("attendance", "Kehadiran kegiatan CoP", (
    Column("nip", _NIP, required=True),
    Column("name", ("nama lengkap", "nama", "nama peserta", "name", "full name")),
    Column("skpd", _SKPD),
    Column("cop", _COP, required=True, title_ok=True),
    Column("activity_title", _ACTIVITY_TITLE, required=True, title_ok=True),
    Column("activity_date", _ACTIVITY_DATE, required=True, title_ok=True),
    Column("role", ("peran", "role", "sebagai", "peran dalam kegiatan", "kehadiran sebagai")),
    Column("submitted_at", ("timestamp", "waktu pengisian", "cap waktu", "stempel waktu", "submitted at", "waktu submit")),
    Column("position", ("jabatan", "position")),
    Column("signature", ("tanda tangan", "ttd", "paraf", "signature")),
    Column("presence", ("hadir", "kehadiran", "jam hadir", "waktu hadir", "waktu kehadiran", "status kehadiran",
                        "keterangan hadir", "presensi", "absensi")),
))

ASET = KindSpec("aset", "Register aset pengetahuan", (
    Column("aset_id", ("id aset", "kode aset", "id", "asset id", "aset id", "no aset", "id aset pengetahuan"), required=True),
    Column("title", ("judul", "judul aset", "nama aset", "title", "asset title"), required=True),
    Column("aset_kind", ("jenis aset", "jenis", "tipe", "kategori", "asset type", "type", "kind")),
    Column("cop", _COP, required=True),
    Column("skpd", _SKPD, required=True),
    Column("uploader_nip", ("nip pengunggah", "pengunggah", "uploader nip", "uploaded by", "nip uploader")),
    Column("uploaded_on", ("tanggal unggah", "tgl unggah", "upload date", "uploaded on", "tanggal upload")),
    Column("status", ("status", "status aset", "status publikasi"), required=True),
    Column("published_on", ("tanggal terbit", "tgl terbit", "publish date", "published on", "tanggal publikasi")),
))

ACCESS_LOG = KindSpec("access_log", "Log akses Portal KM", (
    Column("event_time", ("waktu akses", "waktu", "timestamp", "time", "datetime", "access time", "tanggal akses", "event time"), required=True),
    Column("nip", _NIP, required=True),
    Column("aset_id", ("id aset", "kode aset", "asset id", "aset id", "asset", "id aset pengetahuan"), required=True),
    Column("action", ("aktivitas", "aksi", "action", "activity", "jenis akses", "event"), required=True),
))

ACTIVITY = KindSpec("activity", "Rekap kegiatan CoP", (
    Column("quarter_label", ("triwulan", "tw", "quarter", "periode")),
    Column("skpd", _SKPD, required=True),
    Column("cop", _COP, required=True),
    Column("activity_title", _ACTIVITY_TITLE, required=True),
    Column("activity_date", _ACTIVITY_DATE, required=True),
    Column("accompanied", ("didampingi", "pendampingan", "accompanied", "mentored", "didampingi?"), required=True),
    Column("mentor", ("pendamping", "nama pendamping", "mentor")),
    Column("attendee_count", ("jumlah peserta", "peserta", "jumlah hadir", "attendees", "jumlah kehadiran")),
))

DIMENSIONS = ("strategi", "orang", "proses", "konten", "teknologi")

MATURITY = KindSpec("maturity", "Penilaian maturitas CoP", (
    Column("skpd", _SKPD, required=True),
    Column("cop", _COP, required=True),
    Column("strategi", ("strategi", "strategy"), required=True),
    Column("orang", ("orang", "people", "sdm"), required=True),
    Column("proses", ("proses", "process"), required=True),
    Column("konten", ("konten", "content"), required=True),
    Column("teknologi", ("teknologi", "technology"), required=True),
    Column("mean_file", ("rata-rata", "rata rata", "ratarata", "nilai rata-rata", "skor", "mean", "average")),
    Column("level_file", ("level", "tingkat", "level maturitas", "tingkat maturitas")),
    Column("year", ("tahun", "year", "tahun penilaian"), title_ok=True),
))

JURY = KindSpec("jury", "Nilai juri KM Award", (
    Column("year", ("tahun", "year", "tahun penilaian"), required=True, title_ok=True),
    Column("skpd", _SKPD, required=True),
    Column("cop", _COP, required=True),
    Column("juror", ("juri", "nama juri", "penilai", "juror", "jury", "evaluator"), required=True),
    Column("score", ("skor", "nilai", "skor 0-100", "nilai 0-100", "score", "skor juri", "nilai juri"), required=True),
))

KINDS: tuple[KindSpec, ...] = (ROSTER, HEADCOUNT, ATTENDANCE, ASET, ACCESS_LOG, ACTIVITY, MATURITY, JURY)
KIND_BY_NAME = {k.kind: k for k in KINDS}
IGNORED_HEADERS = {"no", "no.", "nomor", "no urut", "#", "nomor urut"}

_HEADER_PUNCT = re.compile(r"[.:()\[\]*?_]+")


@lru_cache(maxsize=65536)
def _header_key_cached(text: str) -> str:
    return re.sub(r"\s+", " ", _HEADER_PUNCT.sub(" ", text_key(text).replace("-", " "))).strip()


def header_key(text: object) -> str:
    """The normalised text a header cell is matched on (``'Nomor  Induk\u00a0Pegawai:'`` -> ``'nomor induk pegawai'``)."""
    return _header_key_cached(text if isinstance(text, str) else str(text if text is not None else ""))


def synonym_index(spec: KindSpec) -> dict[str, tuple[str, int]]:
    """header key -> (canonical column, priority: 0 is the best synonym) for one kind."""
    index: dict[str, tuple[str, int]] = {}
    for column in spec.columns:
        for priority, synonym in enumerate(column.synonyms):
            index.setdefault(header_key(synonym), (column.name, priority))
    return index


SYNONYMS = {spec.kind: synonym_index(spec) for spec in KINDS}
