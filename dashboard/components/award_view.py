"""The award page's texts, cached reads and display tables. Presentation only: the
ranking, explanation and stability come from ``metrics.award*``; here they are labelled
and formatted (rates as percents, scores with decimal commas in Indonesian)."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.components import format as fmt
from dashboard.components.i18n import register, t
from dashboard.state import CACHE_ENTRIES, CACHE_TTL_S
from data.store import connect
from metrics.award import TIE_BREAK, AwardResult, rank_cops
from metrics.award_criteria import CRITERION_BY_NAME, AwardSettings, criterion_label
from metrics.award_stability import Stability, stability

register({
    "award_title": {"id": "Penghargaan KM: pemeringkatan CoP", "en": "KM Award: CoP ranking"},
    "award_settings": {"id": "Pengaturan penilaian", "en": "Evaluation settings"},
    "award_weights": {"id": "Bobot kriteria", "en": "Criterion weights"},
    "award_method": {"id": "Metode", "en": "Method"},
    "award_top_n": {"id": "Jumlah daftar pendek (N)", "en": "Shortlist size (N)"},
    "award_req_maturity": {"id": "Wajib ada penilaian maturitas tahun ini", "en": "Maturity assessment this year required"},
    "award_min_meetings": {"id": "Minimal pertemuan per triwulan", "en": "Minimum meetings per quarter"},
    "award_min_coverage": {"id": "Kelengkapan data minimal", "en": "Minimum data coverage"},
    "award_band": {"id": "Ketidakpastian bobot (±)", "en": "Weight uncertainty (±)"},
    "award_preset": {"id": "Preset", "en": "Preset"},
    "award_preset_name": {"id": "Nama preset baru", "en": "New preset name"},
    "award_save_preset": {"id": "Simpan preset", "en": "Save preset"},
    "award_saved": {"id": "Preset disimpan.", "en": "Preset saved."},
    "award_ranking": {"id": "Peringkat", "en": "Ranking"},
    "award_rank": {"id": "Peringkat", "en": "Rank"},
    "award_score": {"id": "Skor", "en": "Score"},
    "award_shortlisted": {"id": "Daftar pendek", "en": "Shortlisted"},
    "award_jurors": {"id": "Jumlah juri", "en": "Jurors"},
    "award_ineligible": {"id": "Tidak memenuhi syarat", "en": "Not eligible"},
    "award_reason": {"id": "Alasan", "en": "Reason"},
    "award_unavailable": {"id": "Kriteria tanpa data tahun ini (bobot tidak dipakai)",
                          "en": "Criteria without data this year (weight not used)"},
    "award_tie_decided": {"id": "Batas daftar pendek jatuh di skor yang sama; diputus oleh",
                          "en": "The shortlist cut falls inside a tie; decided by"},
    "award_tie_all_in": {"id": "Batas daftar pendek jatuh di skor yang sama dan semua penentu seri sama: semua CoP yang seri masuk",
                         "en": "The shortlist cut falls inside a tie that every tie-break leaves equal: all tied CoPs are in"},
    "award_tie_rule": {"id": "Aturan seri: skor sama = peringkat sama (1, 2, 2, 4); di batas daftar pendek diputus oleh",
                       "en": "Ties: equal scores share a rank (1, 2, 2, 4); at the shortlist cut they are decided by"},
    "award_explain": {"id": "Penjelasan per CoP", "en": "Explanation per CoP"},
    "award_compare": {"id": "Mengapa A di atas B?", "en": "Why is A above B?"},
    "award_criterion": {"id": "Kriteria", "en": "Criterion"},
    "award_raw": {"id": "Nilai", "en": "Value"},
    "award_normalised": {"id": "Ternormalisasi", "en": "Normalised"},
    "award_weight": {"id": "Bobot", "en": "Weight"},
    "award_contribution": {"id": "Kontribusi", "en": "Contribution"},
    "award_difference": {"id": "Selisih (A − B)", "en": "Difference (A − B)"},
    "award_stability": {"id": "Stabilitas peringkat", "en": "Ranking stability"},
    "award_p_top": {"id": "Peluang tetap di N besar", "en": "Probability of staying in the top N"},
    "award_rank_range": {"id": "Rentang peringkat", "en": "Rank range"},
    "award_spearman": {"id": "Kesesuaian SAW–TOPSIS (Spearman)", "en": "SAW–TOPSIS agreement (Spearman)"},
    "award_fragile": {"id": "⚠ Daftar pendek rapuh: urutan di sekitar batas berubah bila bobot sedikit digeser.",
                      "en": "⚠ Fragile shortlist: places around the cut change when the weights move slightly."},
    "award_robust": {"id": "✔ Daftar pendek stabil terhadap ketidakpastian bobot.",
                     "en": "✔ The shortlist is stable under the weight uncertainty."},
    "award_download": {"id": "Unduh daftar pendek (XLSX)", "en": "Download shortlist (XLSX)"},
    "award_freeze": {"id": "Bekukan peringkat akhir tahun ini", "en": "Freeze this year's final ranking"},
    "award_freeze_confirm": {"id": "Saya yakin: peringkat ini final", "en": "I am sure: this ranking is final"},
    "award_frozen": {"id": "Peringkat akhir tahun ini telah dibekukan", "en": "This year's final ranking is frozen"},
    "award_no_eligible": {"id": "Tidak ada CoP yang memenuhi syarat.", "en": "No CoP is eligible."},
})


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_award(path: str, version: str, year: int, settings: AwardSettings) -> tuple[AwardResult, Stability]:
    """``metrics.award.rank_cops`` and its ``stability`` for the year and settings."""
    with connect(path, read_only=True) as con:
        result = rank_cops(con, year, settings)
    return result, stability(result)


def _criterion_value(name: str, value: float, lang: str) -> str:
    unit = CRITERION_BY_NAME[name].unit
    if unit == "fraction":
        return fmt.pct(value, lang)
    return fmt.num(value, lang) if unit == "count" else fmt.dec(value, lang)


def ranking_table(result: AwardResult, lang: str) -> pd.DataFrame:
    """The ranking as shown: rank, CoP, agency, score, shortlisted mark, jurors, raw criteria."""
    r = result.ranking
    out = pd.DataFrame({t("award_rank", lang): r["rank"], "CoP": r["cop"], t("skpd", lang): r["skpd"],
                        t("award_score", lang): [fmt.dec(v, lang, 4) for v in r["score"]],
                        t("award_shortlisted", lang): ["✔" if s else "" for s in r["shortlisted"]],
                        t("award_jurors", lang): r["jurors"]})
    for name, weight in result.weights.items():
        if weight > 0:
            out[criterion_label(name, lang)] = [_criterion_value(name, v, lang) for v in r[name]]
    return out


def ineligible_table(result: AwardResult, lang: str) -> pd.DataFrame:
    """Ineligible CoPs with their reasons."""
    i = result.ineligible
    return pd.DataFrame({"CoP": i["cop"], t("skpd", lang): i["skpd"],
                         t("award_reason", lang): [reason_text(r, lang) for r in i["reason"]]})


_QUARTERS = {"Q1": "TW I", "Q2": "TW II", "Q3": "TW III", "Q4": "TW IV"}


def reason_text(reason: str, lang: str) -> str:
    """An ineligibility reason (metrics.award, English) in the page language, criteria by their labels."""
    parts = []
    for part in reason.split("; "):
        if part.startswith("no value for "):
            names = [criterion_label(n.strip(), lang) for n in part.removeprefix("no value for ").split(",")]
            part = ("tidak ada nilai untuk " if lang == "id" else "no value for ") + ", ".join(names)
        elif lang == "id" and part == "no maturity assessment this year":
            part = "belum ada penilaian maturitas tahun ini"
        elif lang == "id" and (m := re.match(r"fewer than (\d+) meeting\(s\) in (.*)$", part)):
            quarters = ", ".join(_QUARTERS.get(q.strip(), q.strip()) for q in m.group(2).split(","))
            part = f"kurang dari {m.group(1)} pertemuan pada {quarters}"
        parts.append(part)
    return "; ".join(parts)


def explain_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.award.explain`` as shown."""
    return pd.DataFrame({t("award_criterion", lang): [criterion_label(n, lang) for n in frame["criterion"]],
                         t("award_raw", lang): [_criterion_value(n, v, lang) for n, v in zip(frame["criterion"], frame["raw"])],
                         t("award_normalised", lang): [fmt.dec(v, lang, 3) for v in frame["normalised"]],
                         t("award_weight", lang): [fmt.pct(v, lang) for v in frame["weight"]],
                         t("award_contribution", lang): [fmt.dec(v, lang, 4) for v in frame["contribution"]]})


def compare_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.award.compare`` as shown."""
    return pd.DataFrame({t("award_criterion", lang): [criterion_label(n, lang) for n in frame["criterion"]],
                         "A": [_criterion_value(n, v, lang) for n, v in zip(frame["criterion"], frame["raw_a"])],
                         "B": [_criterion_value(n, v, lang) for n, v in zip(frame["criterion"], frame["raw_b"])],
                         t("award_difference", lang): [fmt.dec(v, lang, 4) for v in frame["difference"]]})


def stability_table(stab: Stability, lang: str) -> pd.DataFrame:
    """Per CoP: rank, probability of staying in the top N, rank range."""
    s = stab.per_cop
    return pd.DataFrame({t("award_rank", lang): s["rank"], "CoP": s["cop"], t("skpd", lang): s["skpd"],
                         t("award_p_top", lang): [fmt.pct(v, lang) for v in s["p_top_n"]],
                         t("award_rank_range", lang): [f"{a}–{b}" for a, b in zip(s["rank_min"], s["rank_max"])],
                         t("award_shortlisted", lang): ["✔" if x else "" for x in s["shortlisted"]]})


def cut_note(result: AwardResult, lang: str) -> str:
    """The tie rule, and what happened at the cut this time."""
    rule = f"{t('award_tie_rule', lang)} {', '.join(criterion_label(n, lang) for n in TIE_BREAK)}."
    if result.cut["all_tied_in"]:
        return f"{rule} {t('award_tie_all_in', lang)} ({result.cut['shortlist_size']})."
    if result.cut["tie_at_cut"]:
        return f"{rule} {t('award_tie_decided', lang)}: {criterion_label(result.cut['decided_by'], lang)}."
    return rule
