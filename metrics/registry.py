"""Every KPI declared once: name, labels (Indonesian and English), what it counts and
excludes, unit, and how it is computed. Pages, exports and ``metrics.report`` read
their labels and descriptions from here; the definitions page is generated from it.

Rates are ratios of distinct counts re-computed at every grain (province, agency),
never averages of agency rates and never sums of monthly distinct counts.
"""
from __future__ import annotations

from dataclasses import dataclass

TARGET_UTILISATION = 0.5


@dataclass(frozen=True)
class Kpi:
    """One KPI definition. ``unit`` is ``count``, ``fraction`` (0-1) or ``score``."""

    name: str
    label_id: str
    label_en: str
    unit: str
    description: str
    numerator: str | None = None
    denominator: str | None = None


KPIS: tuple[Kpi, ...] = (
    Kpi("headcount", "Jumlah pegawai", "Headcount", "count",
        "Employees of the agency from the headcount recap (rekap jumlah pegawai): the newest recap dated on or "
        "before the period's end, else the earliest after it. The province's headcount is the sum over agencies."),
    Kpi("asset_users", "Pengguna aset", "Asset users", "count",
        "Distinct NIPs with at least one use event (view or download; likes and comments excluded) in the period, "
        "whose NIP is in the current roster and whose asset id is in the asset register (any status). "
        "Counted to the agency the roster gives."),
    Kpi("utilisation_rate", "Tingkat pemanfaatan", "Utilisation rate", "fraction",
        "Share of employees who used knowledge assets. Target 50%, met at exactly 0.5. Undefined (n/a) when "
        "headcount is zero or missing; a value above 1 is shown as it is and flagged.",
        numerator="asset_users", denominator="headcount"),
    Kpi("participants", "Peserta kegiatan", "Participants", "count",
        "Distinct roster NIPs with at least one attendance (any role: Peserta, Narasumber, Fasilitator) at a CoP "
        "activity dated in the period, from the online form and the printed sign-in sheets together."),
    Kpi("participation_rate", "Tingkat partisipasi", "Participation rate", "fraction",
        "Share of employees who took part in a CoP activity. Undefined (n/a) when headcount is zero or missing.",
        numerator="participants", denominator="headcount"),
    Kpi("assets_published", "Aset terbit", "Assets published", "count",
        "Asset-register rows with status Terbit (any case or spacing) whose publish date falls in the period, "
        "counted to the agency on the row."),
    Kpi("use_events", "Peristiwa pemanfaatan", "Use events", "count",
        "Counted view/download events (same rules as asset users); identical rows (time, NIP, asset, action) "
        "count once. An agency's use events are those of its employees."),
    Kpi("maturity_score", "Skor maturitas", "Maturity score", "score",
        "Mean of the five dimension scores (Strategi, Orang, Proses, Konten, Teknologi) as written in the "
        "file, in exact decimal arithmetic. The file's own Rata-rata is informational only."),
    Kpi("maturity_level", "Level maturitas", "Maturity level", "level",
        "1 below 1.5, 2 below 2.5, 3 below 3.5, 4 below 4.5, else 5 (APQC: Initiate, Develop, Standardize, "
        "Optimize, Innovate), from the exact mean."),
    Kpi("activities", "Kegiatan", "Activities", "count",
        "CoP meetings in the activity register (rekap kegiatan) dated in the period."),
    Kpi("activities_accompanied", "Kegiatan didampingi", "Accompanied activities", "count",
        "Meetings marked Didampingi = Ya (accompanied by a programme mentor)."),
    Kpi("accompanied_rate", "Tingkat pendampingan", "Accompanied rate", "fraction",
        "Accompanied meetings over all meetings; undefined when there were no meetings.",
        numerator="activities_accompanied", denominator="activities"),
    Kpi("cops_active", "CoP aktif", "Active CoPs", "count",
        "CoPs with at least one meeting in the quarter."),
    Kpi("cumulative_asset_users", "Pengguna aset kumulatif", "Cumulative asset users", "count",
        "Distinct asset users from 1 January to the end of each month (same rules as asset users)."),
    Kpi("skpd_reaching_target", "PD mencapai target", "Agencies reaching target", "count",
        "Agencies whose utilisation rate is at or above the target (0.5); agencies with an undefined rate "
        "are not counted and are listed as a data-quality problem."),
)

KPI_BY_NAME = {k.name: k for k in KPIS}
MATURITY_LEVEL_NAMES = {1: "Initiate", 2: "Develop", 3: "Standardize", 4: "Optimize", 5: "Innovate"}


def label(name: str, lang: str = "id") -> str:
    """The KPI's label in ``id`` (Indonesian) or ``en``."""
    kpi = KPI_BY_NAME[name]
    return kpi.label_id if lang == "id" else kpi.label_en
