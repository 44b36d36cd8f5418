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
    # Activity and maturity (issue 4): metrics/activity.py, metrics/maturity.py
    Kpi("cops_meeting_target", "CoP memenuhi target triwulan", "CoPs meeting the quarterly target", "count",
        "Known CoPs (named in an activity register, asset register or maturity file) with at least one meeting "
        "dated in the quarter: the programme's target is one meeting per CoP per quarter (triwulan). Quarters "
        "before the activity register's first meeting or not yet started are not counted."),
    Kpi("cops_meeting_target_rate", "Persentase CoP memenuhi target", "Share of CoPs meeting the target", "fraction",
        "CoPs meeting the quarterly target over the CoPs expected to meet (the known CoPs of the scope). Over a "
        "year: CoP-quarters with a meeting over CoP-quarters counted.",
        numerator="cops_meeting_target", denominator="cops"),
    Kpi("cops_without_meeting", "CoP tanpa kegiatan", "CoPs without a meeting", "count",
        "Known CoPs with no meeting dated in the quarter (the running quarter for the current year, every "
        "counted quarter for a past year)."),
    Kpi("mentor_accompanied_rate", "Tingkat pendampingan per pendamping", "Accompanied rate by mentor", "fraction",
        "Meetings accompanied by the mentor (Pendamping) over all meetings of the scope in the period; over the "
        "mentors these add up to the accompanied rate.",
        numerator="activities_accompanied", denominator="activities"),
    Kpi("dimension_score", "Skor dimensi", "Dimension score", "score",
        "A CoP's score on one of the five dimensions (Strategi, Orang, Proses, Konten, Teknologi), 1-5, as written "
        "in the maturity file. At agency or province grain: the mean over assessed CoPs; the province median is "
        "the benchmark each CoP is compared with."),
    Kpi("maturity_score_change", "Perubahan skor maturitas", "Maturity score change", "score",
        "Maturity score minus the previous year's, in exact decimal arithmetic. Only computed when both years "
        "were scored with the same instrument (name and version from the file's title block); otherwise "
        "undefined (n/a) and the page says the instruments differ."),
    Kpi("maturity_level_change", "Perubahan level maturitas", "Maturity level change", "level",
        "Maturity level minus the previous year's, under the same instrument check as the score change."),
    # Engagement (issue 4): metrics/engagement.py. A use follows the asset_users rules.
    Kpi("users_of_assets", "Pengguna aset PD", "Users of the agency's assets", "count",
        "Distinct users (employees of any agency, same rules as asset users) of the assets the register lists "
        "for the agency, in the period. Compare with asset_users: use BY the agency's employees."),
    Kpi("use_events_of_assets", "Pemanfaatan aset PD", "Use events of the agency's assets", "count",
        "Counted view/download events of the agency's assets by employees of any agency (identical rows once)."),
    Kpi("cross_skpd_users", "Pengguna lintas PD", "Cross-agency users", "count",
        "Distinct users of the agency's assets who are employees of another agency. Province: distinct users of "
        "at least one asset of an agency other than their own."),
    Kpi("cross_skpd_share", "Porsi pengguna lintas PD", "Cross-agency share", "fraction",
        "Cross-agency users over users of the agency's assets; undefined when nobody used them.",
        numerator="cross_skpd_users", denominator="users_of_assets"),
    Kpi("assets_available", "Aset terbit tersedia", "Published assets available", "count",
        "Assets with status Terbit whose publish date is on or before the period's end (the portal's stock, "
        "not only those published in the period), counted to the agency on the row."),
    Kpi("assets_reused", "Aset dimanfaatkan ulang", "Assets reused", "count",
        "Available published assets used (view/download, counted rules) in the period by at least one person "
        "other than their uploader."),
    Kpi("reuse_rate", "Tingkat pemanfaatan ulang", "Reuse rate", "fraction",
        "Assets reused over published assets available; undefined when the agency has none.",
        numerator="assets_reused", denominator="assets_available"),
    Kpi("contributors", "Kontributor", "Contributors", "count",
        "Distinct roster NIPs who uploaded an asset (any status) with an upload date in the period, counted to "
        "the uploader's own agency (the roster's), not the asset's."),
    Kpi("contributors_per_100", "Kontributor per 100 pegawai", "Contributors per 100 employees", "per 100",
        "Contributors x 100 / headcount, re-computed at each grain; undefined when headcount is zero or missing.",
        numerator="contributors", denominator="headcount"),
    Kpi("cop_members", "Anggota CoP", "CoP members", "count",
        "Distinct roster NIPs (any agency) attending at least one of the CoP's meetings dated in the period; a "
        "CoP's meetings are the distinct title and date in the activity register or the attendance."),
    Kpi("cop_active_members", "Anggota aktif CoP", "Active CoP members", "count",
        "Members in the core or active tier (see participation tiers)."),
    Kpi("participation_tier", "Tingkat keterlibatan", "Participation tier", "count",
        "Members per tier, after Wenger-Trayner, with M the CoP's meetings in the year and m those attended: "
        "core = m >= 3 and m >= 75% of M, or Narasumber/Fasilitator at >= 2 meetings; active = m >= 3; "
        "occasional = m = 2; peripheral = m = 1. The floor of 3 stops a CoP that met once or twice calling "
        "everyone core; 3 meetings is about one a quarter, the programme's rhythm. Below the agency, counts "
        "under 5 people are shown as <5."),
    # --- issue 4 core: target share, projection, coverage (metrics.grain / projection / coverage) ---
    Kpi("skpd_reaching_target_share", "Porsi PD mencapai target", "Share of agencies reaching target", "fraction",
        "Agencies at or above their own target (metrics.targets: the most specific of (year, agency), (every year, "
        "agency), (year, every agency), (every year, every agency), else 0.5) over all agencies in the period's "
        "headcount recap. Agencies with an undefined rate count as not reaching and are listed.",
        numerator="skpd_reaching_target", denominator="skpd_in_recap"),
    Kpi("projected_utilisation_rate", "Proyeksi pemanfaatan akhir tahun", "Projected year-end utilisation", "fraction",
        "Expected December utilisation from the cumulative-users curve so far. Method: each month a share p of the "
        "employees not yet reached becomes a user; p is fitted by least squares on the complete months so far and "
        "carried to December. The band (low-high) repeats that with the lowest and the highest monthly share seen. "
        "Fewer than 3 complete months: not enough data. Status: met, on track (low end reaches the target), at "
        "risk (only the central value or high end does), off track (even the high end misses).",
        numerator="projected_users", denominator="headcount"),
    Kpi("uses_left_out", "Pemanfaatan tidak dihitung", "Uses left out", "count",
        "View/download rows of the period not counted, by cause: missing NIP and bad NIP (rejected at import), "
        "unknown NIP (not in the current roster) and unknown asset (not in the register; these count as soon as a "
        "roster or register knows them). Shown beside every KPI with the newest import and the data dates of each "
        "source it rests on."),
)

KPI_BY_NAME = {k.name: k for k in KPIS}
MATURITY_LEVEL_NAMES = {1: "Initiate", 2: "Develop", 3: "Standardize", 4: "Optimize", 5: "Innovate"}


def label(name: str, lang: str = "id") -> str:
    """The KPI's label in ``id`` (Indonesian) or ``en``."""
    kpi = KPI_BY_NAME[name]
    return kpi.label_id if lang == "id" else kpi.label_en
