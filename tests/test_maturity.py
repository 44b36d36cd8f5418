"""Maturity KPIs (metrics.maturity) on the hand-made exports in
``tests/fixtures/activity_maturity/``; every expected number is worked out by hand here.

  CoP (agency)        2025 (v1)           2026                                   level 25 -> 26
  Sehat (Dinkes)      2,0 x5 = 2.00       1,0 1,0 2,6 3,8 4,1 = 12.5/5 = 2.50 v1  2 -> 3
  Guru (Disdik)       3,0 x5 = 3.00       2,0 x5 = 2.00 v1                        3 -> 2
  Jalan (Dishub)      1,0 x5 = 1.00       3,0 x5 = 3.00 v2 (another instrument)   1 -> 3
  Sunyi (Dishub)      -                   4,5 x5 = 4.50 v1                        - -> 5
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data.ingest import ingest_paths
from data.store.connection import connect
from metrics.kpi import Scope
from metrics.maturity import cop_scores, dimension_medians, dimension_summary, instrument_check, level_distribution

FIXTURES = Path(__file__).parent / "fixtures" / "activity_maturity"
V1 = "Penilaian Maturitas CoP v1"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The fixture folder imported into a fresh database."""
    path = tmp_path_factory.mktemp("maturity") / "maturity.duckdb"
    results = ingest_paths([FIXTURES], db=path)
    assert [r.file for r in results if r.status != "imported"] == []
    return path


@pytest.fixture
def scores_2026(db) -> pd.DataFrame:
    """``cop_scores`` of 2026 by CoP, computed for each test (so mutation testing maps it to every test reading it)."""
    with connect(db, read_only=True) as con:
        return cop_scores(con, 2026).set_index("cop")


def test_score_is_the_exact_mean_and_2_50_is_level_3(scores_2026):
    sehat = scores_2026.loc["CoP Sehat"]
    assert sehat["maturity_score"] == 2.5
    assert sehat["maturity_level"] == 3


def test_change_from_the_previous_year_under_the_same_instrument(scores_2026):
    sehat = scores_2026.loc["CoP Sehat"]
    assert sehat["comparison"] == "compared"
    assert sehat["score_change"] == 0.5            # 2.50 - 2.00
    assert sehat["level_change"] == 1              # 3 - 2
    # dimensions: 1-2, 1-2, 2.6-2, 3.8-2, 4.1-2
    changes = [sehat[f"{d}_change"] for d in ("strategi", "orang", "proses", "konten", "teknologi")]
    assert changes == pytest.approx([-1.0, -1.0, 0.6, 1.8, 2.1])


def test_a_fall_is_a_negative_change(scores_2026):
    guru = scores_2026.loc["CoP Guru"]
    assert (guru["score_change"], guru["level_change"]) == (-1.0, -1)   # 2.00 - 3.00, 2 - 3


def test_years_scored_with_different_instruments_are_not_compared(scores_2026):
    jalan = scores_2026.loc["CoP Jalan"]
    assert jalan["comparison"] == "instrument_differs"
    assert jalan["previous_score"] == 1.0          # still shown
    assert pd.isna(jalan["score_change"]) and pd.isna(jalan["level_change"]) and pd.isna(jalan["strategi_change"])


def test_a_cop_without_a_previous_score_has_no_change(scores_2026):
    sunyi = scores_2026.loc["CoP Sunyi"]
    assert sunyi["comparison"] == "no_previous"
    assert pd.isna(sunyi["previous_score"]) and pd.isna(sunyi["score_change"])


def test_instrument_check_counts_cops_that_cannot_be_compared(scores_2026):
    check = instrument_check(scores_2026.reset_index())
    assert check["same_instrument"] is False
    assert (check["compared"], check["not_comparable"]) == (2, 1)      # Sehat, Guru | Jalan
    assert check["instruments"] == [V1, "Penilaian Maturitas CoP v2"]
    assert check["previous_instruments"] == [V1]


def test_level_distribution_has_every_level_for_every_year(db):
    with connect(db, read_only=True) as con:
        levels = level_distribution(con)
    grid = levels.pivot(index="year", columns="maturity_level", values="cops")
    assert grid.loc[2025].tolist() == [1, 1, 1, 0, 0]   # Jalan 1, Sehat 2, Guru 3
    assert grid.loc[2026].tolist() == [0, 1, 2, 0, 1]   # Guru 2; Sehat, Jalan 3; Sunyi 5
    assert levels.loc[levels["year"] == 2026, "cops_share"].tolist() == pytest.approx([0, 0.25, 0.5, 0, 0.25])


def test_province_median_per_dimension(db):
    with connect(db, read_only=True) as con:
        medians = dimension_medians(con, 2026)
    assert medians["strategi"] == 2.5        # 1.0, 2.0, 3.0, 4.5 -> (2.0 + 3.0) / 2
    assert medians["teknologi"] == pytest.approx(3.55)  # 2.0, 3.0, 4.1, 4.5 -> (3.0 + 4.1) / 2
    assert medians["maturity_score"] == 2.75  # 2.0, 2.5, 3.0, 4.5 -> (2.5 + 3.0) / 2


def test_agency_scope_reads_only_that_agencys_scores(db):
    with connect(db, read_only=True) as con:
        scores = cop_scores(con, 2026, Scope("Dinas Perhubungan"))
        levels = level_distribution(con, Scope("Dinas Perhubungan"))
    assert scores["cop"].tolist() == ["CoP Jalan", "CoP Sunyi"]
    assert levels.loc[levels["year"] == 2025, "cops"].sum() == 1      # Jalan only


def test_agency_grain_is_the_mean_over_its_cops_with_the_level_of_that_mean(scores_2026):
    skpd = dimension_summary(scores_2026.reset_index(), ["skpd"]).set_index("skpd")
    dishub = skpd.loc["Dinas Perhubungan"]
    assert dishub["cops"] == 2
    assert dishub["maturity_score"] == pytest.approx(3.75)   # (3.00 + 4.50) / 2
    assert dishub["maturity_level"] == 4


def test_field_samples_scores_and_levels_match_the_expected_file(field_db, expected):
    with connect(field_db, read_only=True) as con:
        scores = cop_scores(con, 2026)
    got = {r.cop: (round(r.maturity_score, 3), r.maturity_level) for r in scores.itertuples()}
    assert got == {c["cop"]: (c["maturity_score"], c["maturity_level"]) for c in expected["cops"]}
    assert (scores["comparison"] == "compared").sum() == 37   # 37 CoPs in both years, instrument v1


# --- what mutation testing found unchecked (issue 19, bench/mutation/metrics_maturity.md) --------

def test_an_agencys_overview_holds_its_own_scores_against_the_province_median(db):
    from metrics.maturity import maturity_overview
    with connect(db, read_only=True) as con:
        data = maturity_overview(con, 2026, Scope("Dinas Perhubungan"))
    assert data.year == 2026
    assert data.scores["cop"].tolist() == ["CoP Jalan", "CoP Sunyi"]
    grid = data.levels.pivot(index="year", columns="maturity_level", values="cops")
    assert grid.loc[2025].tolist() == [1, 0, 0, 0, 0] and grid.loc[2026].tolist() == [0, 0, 1, 0, 1]   # Jalan 1 | 3, Sunyi 5
    assert (data.medians["strategi"], data.medians["maturity_score"]) == (2.5, 2.75)   # the province's, as above
    # Dishub: (3.00 + 4.50) / 2 = 3.75, level 4; one agency row and one overall row alike
    assert data.skpd[["skpd", "cops", "maturity_score", "maturity_level"]].values.tolist() == [["Dinas Perhubungan", 2, 3.75, 4]]
    assert "skpd" not in data.overall.columns
    assert data.overall[["cops", "maturity_score", "maturity_level"]].values.tolist() == [[2, 3.75, 4]]
    # Jalan: v2 in 2026 against v1 in 2025 (not comparable); Sunyi: v1, never assessed before
    assert data.check == {"instruments": [V1, "Penilaian Maturitas CoP v2"], "previous_instruments": [V1],
                          "compared": 0, "not_comparable": 1, "same_instrument": False}


def test_a_year_without_assessments_gives_empty_tables_with_their_columns(db):
    from metrics.maturity import DIMENSIONS, maturity_overview
    with connect(db, read_only=True) as con:
        data = maturity_overview(con, 2024)
    assert data.scores.empty and data.skpd.empty and data.overall.empty
    assert list(data.skpd.columns) == ["skpd", "cops", *DIMENSIONS, "maturity_score", "maturity_level"]
    assert list(data.overall.columns) == ["cops", *DIMENSIONS, "maturity_score", "maturity_level"]
    assert set(data.medians.values()) == {None}
    assert data.check == {"instruments": [], "previous_instruments": [], "compared": 0, "not_comparable": 0,
                          "same_instrument": True}


def test_an_agencys_level_is_the_level_of_its_mean_score_at_each_threshold():
    from metrics.maturity import DIMENSIONS
    # one row per CoP; each dimension equal to the score. Means per agency and their levels (DOMAIN.md):
    # A 1.5 -> 2 (from 1.5); B (2.4 + 2.6) / 2 = 2.5 -> 3; C 2.0 -> 2; D 4.5 -> 5 (from 4.5);
    # E (2.499999 + 2.5 + 2.5) / 3 = 2.49999967 -> 2.500000 at six decimals, the scores' precision -> 3
    rows = [("A", 1.5), ("B", 2.4), ("B", 2.6), ("C", 2.0), ("D", 4.5), ("E", 2.499999), ("E", 2.5), ("E", 2.5)]
    scores = pd.DataFrame([{"cop": f"CoP {i}", "skpd": skpd, **dict.fromkeys(DIMENSIONS, s), "maturity_score": s}
                           for i, (skpd, s) in enumerate(rows)])
    skpd = dimension_summary(scores, ["skpd"])
    assert list(skpd.columns) == ["skpd", "cops", *DIMENSIONS, "maturity_score", "maturity_level"]
    assert skpd["skpd"].tolist() == ["A", "B", "C", "D", "E"] and skpd["cops"].tolist() == [1, 2, 1, 1, 3]
    assert skpd["maturity_level"].tolist() == [2, 3, 2, 5, 3]
    overall = dimension_summary(scores, [])
    # the province: (1.5 + 2.4 + 2.6 + 2.0 + 4.5 + 2.499999 + 2.5 + 2.5) / 8 = 20.499999 / 8 = 2.5624999 -> 3
    assert list(overall.columns) == ["cops", *DIMENSIONS, "maturity_score", "maturity_level"]
    assert overall[["cops", "maturity_level"]].values.tolist() == [[8, 3]]
    assert overall["maturity_score"].iloc[0] == pytest.approx(20.499999 / 8)
