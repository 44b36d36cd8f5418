"""The KM Award ranking (issue 6), pinned on hand-worked numbers.

Two kinds of fixture:
- small criteria frames built here (``_frame``), for the ranking arithmetic;
- ``tests/fixtures/award/``: tiny exports, for the criteria read from the store.

The store fixture's cast (2026; Dinkes headcount 4, Disdik 10):
| CoP (agency)      | maturity 2025 -> 2026 | meetings Q1-Q4 (accompanied) | own assets published, users | jury       |
|-------------------|-----------------------|------------------------------|-----------------------------|------------|
| CoP Sehat (Dinkes)| 2.0 -> 3.0 (+1.0)     | 1,1,1,1 (3 of 4 Ya)          | AP-1, AP-2; A1, A2, B1 -> 3  | 80, 90     |
| CoP Mutu (Dinkes) | 4.0 -> 3.5 (-0.5)     | 1,1,1,1 (0 Ya)               | none                        | 70, 80, 90 |
| CoP Guru (Disdik) | - -> 2.0              | 1,1,0,0 (2 Ya)               | AP-3 (AP-4 draft); B1 -> 1   | -          |
| CoP Arsip (Disdik)| none                  | 1,1,1,1 (4 Ya)               | none                        | -          |
Dinkes users {A1, A2} -> 2/4 = 0.5; participants {A1} -> 1/4 = 0.25.
Disdik users {B1} -> 1/10 = 0.1; participants {B1, B2} -> 2/10 = 0.2 (A1's like of AP-3 is not use).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from data.ingest import ingest_paths
from data.store.connection import connect
from data.store.engagement_counts import kept_current
from dashboard.components.award_xlsx import shortlist_workbook
from metrics.award import compare, explain, main, rank_cops, rank_table, to_json
from metrics.award_criteria import CRITERION_NAMES, AwardError, AwardSettings, Eligibility, criteria_frame, parse_weights
from metrics.award_stability import stability
from metrics.award_store import freeze, frozen, load_preset, save_preset
from metrics.targets import set_headcount

FIXTURES = Path(__file__).parent / "fixtures" / "award"
TWO = (("maturity_score", 1.0), ("meetings", 1.0))          # weights 0.5 / 0.5 after normalising


def _frame(rows: dict[str, dict]) -> pd.DataFrame:
    """A criteria frame: one row per CoP key; unspecified criteria NaN, a meeting in every quarter."""
    records = []
    for key, values in rows.items():
        base = {"cop_key": key, "cop": key.upper(), "skpd": "Dinas " + key, "headcount": 10, "assets_published": 0,
                "jurors": 0, **{f"meetings_q{q}": 1 for q in range(1, 5)}, **{n: math.nan for n in CRITERION_NAMES}}
        records.append(base | values)
    return pd.DataFrame(records)


def _abcde(d_utilisation: float = 0.6) -> pd.DataFrame:
    # maturity min 2 max 4, meetings min 2 max 6:
    # A (4, 6) -> 1, 1 -> score 1.00; B, D (3, 6) -> .5, 1 -> .75; C (2, 4) -> 0, .5 -> .25; E (2, 2) -> 0
    return _frame({"a": {"maturity_score": 4.0, "meetings": 6}, "b": {"maturity_score": 3.0, "meetings": 6,
                   "utilisation_rate": 0.4}, "c": {"maturity_score": 2.0, "meetings": 4},
                   "d": {"maturity_score": 3.0, "meetings": 6, "utilisation_rate": d_utilisation},
                   "e": {"maturity_score": 2.0, "meetings": 2}})


def _ranks(result) -> dict:
    return dict(zip(result.ranking["cop_key"], result.ranking["rank"]))


def test_weighted_sum_ranks_equal_scores_together_1_2_2_4():
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO, top_n=3))
    assert _ranks(result) == {"a": 1, "b": 2, "d": 2, "c": 4, "e": 5}
    assert dict(zip(result.ranking["cop_key"], result.ranking["score"])) == pytest.approx(
        {"a": 1.0, "b": 0.75, "d": 0.75, "c": 0.25, "e": 0.0})


def test_changing_a_weight_changes_the_scores_as_worked_out():
    # maturity 3, meetings 1 -> 0.75 / 0.25: B = .75*.5 + .25*1 = .625; C = .25*.5 = .125
    result = rank_table(_abcde(), 2026, AwardSettings(weights=(("maturity_score", 3), ("meetings", 1))))
    assert dict(zip(result.ranking["cop_key"], result.ranking["score"])) == pytest.approx(
        {"a": 1.0, "b": 0.625, "d": 0.625, "c": 0.125, "e": 0.0})


def test_cut_inside_a_tie_is_decided_by_utilisation_when_maturity_is_equal():
    # top 2: A, then B and D tie at .75 with maturity 3.0 each; D's utilisation .6 > B's .4 -> D in
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO, top_n=2))
    assert set(result.ranking.loc[result.ranking["shortlisted"], "cop_key"]) == {"a", "d"}
    assert result.cut == {"tie_at_cut": True, "decided_by": "utilisation_rate", "all_tied_in": False,
                          "shortlist_size": 2}
    assert list(result.ranking["cop_key"]) == ["a", "d", "b", "c", "e"]


def test_cut_inside_a_tie_is_decided_by_maturity_before_utilisation():
    # weight on meetings only: A 6 -> 1; B, D 4 -> .5 (tied); E 2 -> 0. Top 2: A, then the tie B/D at the cut.
    # B has the higher maturity (3.5 > 3.0), D the higher utilisation (.6 > .2): maturity comes first -> B in.
    frame = _frame({"a": {"maturity_score": 2.0, "meetings": 6},
                    "b": {"maturity_score": 3.5, "meetings": 4, "utilisation_rate": 0.2},
                    "d": {"maturity_score": 3.0, "meetings": 4, "utilisation_rate": 0.6},
                    "e": {"maturity_score": 2.0, "meetings": 2}})
    result = rank_table(frame, 2026, AwardSettings(weights=(("meetings", 1.0),), top_n=2))
    assert _ranks(result) == {"a": 1, "b": 2, "d": 2, "e": 4}
    assert set(result.ranking.loc[result.ranking["shortlisted"], "cop_key"]) == {"a", "b"}
    assert result.cut == {"tie_at_cut": True, "decided_by": "maturity_score", "all_tied_in": False,
                          "shortlist_size": 2}
    assert list(result.ranking["cop_key"]) == ["a", "b", "d", "e"]


def test_cut_inside_a_tie_no_tie_break_separates_takes_all_tied_in():
    result = rank_table(_abcde(d_utilisation=0.4), 2026, AwardSettings(weights=TWO, top_n=2))
    assert set(result.ranking.loc[result.ranking["shortlisted"], "cop_key"]) == {"a", "b", "d"}
    assert result.cut["all_tied_in"] and result.cut["shortlist_size"] == 3


def test_topsis_closeness_matches_hand_worked_values():
    # weighted (.5 x normalised): A (.5,.5) B,D (.25,.5) C (0,.25) E (0,0); PIS (.5,.5), NIS (0,0)
    # B: D+ = .25, D- = sqrt(.0625+.25) = .559017 -> .559017 / .809017 = .690983; C: .25 / .809017 = .309017
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO, method="topsis"))
    assert dict(zip(result.ranking["cop_key"], result.ranking["score"])) == pytest.approx(
        {"a": 1.0, "b": 0.690983, "d": 0.690983, "c": 0.309017, "e": 0.0}, abs=1e-6)
    assert _ranks(result) == {"a": 1, "b": 2, "d": 2, "c": 4, "e": 5}


def test_ineligible_cops_are_listed_with_their_reasons():
    frame = _abcde()
    frame.loc[frame["cop_key"] == "c", "maturity_score"] = math.nan
    frame.loc[frame["cop_key"] == "e", "meetings_q2"] = 0
    result = rank_table(frame, 2026, AwardSettings(weights=TWO))
    reasons = dict(zip(result.ineligible["cop_key"], result.ineligible["reason_code"]))
    assert reasons == {"c": "no_maturity,missing_data", "e": "quarter_without_meeting"}
    assert "Q2" in result.ineligible.set_index("cop_key").loc["e", "reason"]
    assert set(result.ranking["cop_key"]) == {"a", "b", "d"}


def test_quarters_before_the_programme_started_are_not_required():
    frame = _abcde()
    frame[["meetings_q1", "meetings_q2"]] = 0             # nobody met in Q1-Q2 (a programme starting in July)
    assert rank_table(frame, 2025, AwardSettings(weights=TWO)).ineligible.empty


def test_lower_coverage_lets_a_missing_value_count_as_the_worst():
    frame = _abcde()
    frame.loc[frame["cop_key"] == "a", "meetings"] = math.nan
    # coverage 1/2 allowed; A: maturity 1 * .5 + meetings 0 -> .5 (meetings min 2 max 6 over B, C, D, E)
    result = rank_table(frame, 2026, AwardSettings(weights=TWO, eligibility=Eligibility(min_coverage=0.5)))
    assert result.ranking.set_index("cop_key").loc["a", "score"] == pytest.approx(0.5)


def test_a_criterion_nobody_has_is_dropped_and_the_weights_renormalised():
    result = rank_table(_abcde(), 2026, AwardSettings(weights=(*TWO, ("jury_score", 2.0))))
    assert result.unavailable == ("jury_score",)
    assert result.weights["maturity_score"] == pytest.approx(0.5) and result.weights["jury_score"] == 0


@pytest.mark.parametrize("weights, code", [((("nope", 1),), "unknown_criterion"), ((("meetings", -1),), "negative_weight"),
                                           ((("meetings", 0),), "no_weight")])
def test_unusable_weights_are_refused_with_a_reason(weights, code):
    with pytest.raises(AwardError) as problem:
        rank_table(_abcde(), 2026, AwardSettings(weights=weights))
    assert problem.value.reason_code == code


def test_explanation_and_comparison_add_up():
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO))
    b = explain(result, "b").set_index("criterion")
    assert b.loc["maturity_score", ["raw", "normalised", "weight", "contribution"]].tolist() == [3.0, 0.5, 0.5, 0.25]
    diff = compare(result, "a", "c")              # A - C: maturity .5 - 0 = .5, meetings .5 - .25 = .25
    assert dict(zip(diff["criterion"], diff["difference"])) == pytest.approx({"maturity_score": 0.5, "meetings": 0.25})


_values = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


@st.composite
def _frames(draw):
    n = draw(st.integers(2, 7))
    rows = {f"k{i}": {c: (math.nan if (v := draw(_values)) is None else v) for c in CRITERION_NAMES} for i in range(n)}
    for values in rows.values():
        values["maturity_score"] = draw(st.floats(1, 5))
    weights = tuple((c, draw(st.floats(0, 3))) for c in CRITERION_NAMES[:4]) + (("maturity_score", 1.0),)
    return _frame(rows), AwardSettings(weights=weights, top_n=draw(st.integers(1, 4)),
                                       eligibility=Eligibility(min_coverage=0.0))


@hsettings(max_examples=25, deadline=None)
@given(_frames())
def test_contributions_sum_to_the_score(case):
    frame, settings = case
    result = rank_table(frame, 2026, settings)
    for cop_key, score in zip(result.ranking["cop_key"], result.ranking["score"]):
        assert explain(result, cop_key)["contribution"].sum() == pytest.approx(score, abs=1e-8)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames(), st.randoms(use_true_random=False), st.sampled_from(["saw", "topsis"]))
def test_permuting_rows_does_not_change_the_result(case, rnd, method):
    frame, settings = case
    settings = AwardSettings(weights=settings.weights, top_n=settings.top_n, eligibility=settings.eligibility, method=method)
    shuffled = frame.sample(frac=1, random_state=rnd.randint(0, 10**6)).reset_index(drop=True)
    assert to_json(rank_table(shuffled, 2026, settings)) == to_json(rank_table(frame, 2026, settings))


def test_band_zero_keeps_every_place_and_the_methods_agree():
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO, top_n=2, band=0.0, draws=20))
    stab = stability(result)
    # no uncertainty: A, B, D (rank <= 2) are in every draw, C and E in none
    assert dict(zip(stab.per_cop["cop_key"], stab.per_cop["p_top_n"])) == {"a": 1, "d": 1, "b": 1, "c": 0, "e": 0}
    assert stab.spearman == pytest.approx(1.0)      # SAW and TOPSIS order A > B = D > C > E alike


def test_a_near_tie_at_the_cut_is_flagged_fragile_and_reproducible():
    # A (4, 2) and B (2, 6) score .5 each: A is in the top 1 exactly when its weight draws higher, about half the time
    frame = _frame({"a": {"maturity_score": 4.0, "meetings": 2}, "b": {"maturity_score": 2.0, "meetings": 6},
                    "c": {"maturity_score": 2.0, "meetings": 2}})
    result = rank_table(frame, 2026, AwardSettings(weights=TWO, top_n=1, band=0.2, draws=400, seed=7))
    first, second = stability(result), stability(result)
    assert first.fragile and 0.4 < first.per_cop.set_index("cop_key").loc["a", "p_top_n"] < 0.6
    pd.testing.assert_frame_equal(first.per_cop, second.per_cop)


def test_parse_weights_sets_the_listed_criteria_over_the_defaults():
    weights = dict(parse_weights("jury_score=0, meetings=2"))
    assert weights["jury_score"] == 0 and weights["meetings"] == 2 and weights["maturity_score"] == 0.2


# --- the store ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def award_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("award") / "award.duckdb"
    assert all(r.status == "imported" for r in ingest_paths([FIXTURES], db=path))
    return path


def test_criteria_are_read_per_cop_as_worked_out(award_db):
    with connect(award_db, read_only=True) as con:
        frame = criteria_frame(con, 2026).set_index("cop_key")
    sehat, guru = frame.loc["cop sehat"], frame.loc["cop guru"]
    assert (sehat["maturity_score"], sehat["maturity_change"], sehat["utilisation_rate"]) == (3.0, 1.0, 0.5)
    assert (sehat["cop_asset_use"], sehat["participation_rate"], sehat["assets_published_per_100"]) == (3, 0.25, 50.0)
    assert (sehat["meetings"], sehat["accompanied_rate"], sehat["jury_score"], sehat["jurors"]) == (4, 0.75, 85.0, 2)
    assert frame.loc["cop mutu", "jury_score"] == 80.0 and frame.loc["cop mutu", "jurors"] == 3
    assert math.isnan(guru["maturity_change"]) and guru["assets_published_per_100"] == 10.0   # 1 / 10 * 100
    assert (guru["cop_asset_use"], guru["participation_rate"]) == (1, 0.2)


def test_default_ranking_of_the_fixture_as_worked_out(award_db):
    # only Sehat and Mutu are eligible; min-max over two CoPs gives 1 to the better, 0 to the other, 1 to both if equal:
    # Sehat: change .1 + util .15 + use .1 + part .1 + assets .1 + meetings .1 + accompanied .05 + jury .1 = .80
    # Mutu: maturity .2 + util .15 + part .1 + meetings .1 = .55
    with connect(award_db, read_only=True) as con:
        result = rank_cops(con, 2026)
    assert list(zip(result.ranking["cop"], result.ranking["score"])) == [("CoP Sehat", 0.8), ("CoP Mutu", 0.55)]
    assert dict(zip(result.ineligible["cop"], result.ineligible["reason_code"])) == {
        "CoP Arsip": "no_maturity,missing_data", "CoP Guru": "quarter_without_meeting,missing_data"}


@hsettings(max_examples=2, deadline=None)
@given(st.randoms(use_true_random=False))
def test_importing_files_and_rows_in_another_order_gives_the_same_ranking(award_db, tmp_path_factory, rnd):
    folder = tmp_path_factory.mktemp("shuffled")
    files = sorted(FIXTURES.glob("*.csv"))
    rnd.shuffle(files)
    for i, source in enumerate(files):
        header, *rows = source.read_text(encoding="utf-8-sig").splitlines()
        rnd.shuffle(rows)
        target = folder / f"{i:02d}_{source.name}"
        target.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        ingest_paths([target], db=folder / "db.duckdb")
    with connect(folder / "db.duckdb", read_only=True) as con:
        shuffled = to_json(rank_cops(con, 2026))
    with connect(award_db, read_only=True) as con:
        base = to_json(rank_cops(con, 2026))
    assert shuffled | {"data_version": None} == base | {"data_version": None}


def test_cli_json_has_the_documented_shape(award_db, capsys):
    assert main(["--year", "2026", "--db", str(award_db), "--weights", "maturity_score=0.7", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # maturity .7 over a total of 1.5: Mutu (.7 + .15 + .1 + .1) / 1.5 = .7, Sehat .8 / 1.5 = .533333
    assert [(r["rank"], r["cop"], round(r["score"], 6)) for r in out["ranking"]] == [(1, "CoP Mutu", 0.7),
                                                                                       (2, "CoP Sehat", 0.533333)]
    assert set(out) >= {"year", "method", "weights", "ranking", "ineligible"}
    assert sum(out["ranking"][0]["contributions"].values()) == pytest.approx(out["ranking"][0]["score"])
    assert {r["cop"] for r in out["ineligible"]} == {"CoP Arsip", "CoP Guru"}


def test_cli_help_lists_the_criteria(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert [name for name in CRITERION_NAMES if name not in shown] == []


def test_cli_refuses_an_unknown_criterion_with_exit_2(award_db, capsys):
    assert main(["--year", "2026", "--db", str(award_db), "--weights", "fame=1"]) == 2
    assert "unknown_criterion" in capsys.readouterr().err


def test_xlsx_holds_the_shortlist_and_the_settings_and_keeps_formulas_inert():
    frame = _abcde()
    frame.loc[frame["cop_key"] == "a", "cop"] = "=HYPERLINK(\"x\")"
    result = rank_table(frame, 2026, AwardSettings(weights=TWO, top_n=2), version="7-7-0")
    # the bytes the page's download button serves (dashboard.components.award_xlsx)
    book = openpyxl.load_workbook(io.BytesIO(shortlist_workbook(result, stability(result), "id")))
    assert book.sheetnames == ["Peringkat", "Kontribusi", "Tidak memenuhi syarat", "Stabilitas", "Pengaturan"]
    ranking = book["Peringkat"]
    cop = [c for c in ranking[1] if c.value == "CoP"][0].column_letter
    assert ranking[f"{cop}2"].value == "=HYPERLINK(\"x\")" and ranking[f"{cop}2"].data_type == "s"
    settings = {r[0]: r[1] for r in book["Pengaturan"].iter_rows(min_row=2, values_only=True)}
    assert (settings["Metode"], settings["Versi data"], settings["Bobot dipakai: Pertemuan"]) == ("saw", "7-7-0", 0.5)


def test_presets_are_saved_by_name_and_year(tmp_path):
    db = tmp_path / "p.duckdb"
    chosen = AwardSettings(weights=TWO, method="topsis", top_n=3)
    with connect(db) as con:
        save_preset(con, "juri 2026", 2026, chosen, user="tester")
        loaded = load_preset(con, "juri 2026", 2026)
        assert (loaded.weight_dict(), loaded.method, loaded.top_n) == (chosen.weight_dict(), "topsis", 3)
        with pytest.raises(AwardError):
            load_preset(con, "juri 2026", 2025)


def test_a_frozen_ranking_is_kept_after_later_imports(award_db, tmp_path):
    db = tmp_path / "frozen.duckdb"
    shutil.copy(award_db, db)
    with connect(db) as con:
        freeze(con, rank_cops(con, 2026), user="tester")
        with pytest.raises(AwardError):
            freeze(con, rank_cops(con, 2026))
    later = tmp_path / "nilai_juri_revisi.csv"          # Mutu's jurors now give 100: live ranking changes
    later.write_text("Tahun,Perangkat Daerah,Nama CoP,Juri,Skor\n2026,Dinas Kesehatan,CoP Mutu,Juri X,100\n", encoding="utf-8")
    ingest_paths([later], db=db)
    with connect(db, read_only=True) as con:
        kept, live = frozen(con, 2026), rank_cops(con, 2026)
    assert [r["cop"] for r in kept["result"]["ranking"]] == ["CoP Sehat", "CoP Mutu"]
    assert kept["result"]["ranking"][0]["score"] == 0.8 and kept["data_version"] != live.data_version


def test_award_page_updates_the_ranks_when_a_weight_changes(award_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO, logged_in
    monkeypatch.setenv("KMDASH_DB", str(award_db))
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60))
    at.query_params["tahun"] = "2026"
    at.run()
    at.switch_page("views/penghargaan.py").run()
    assert not at.exception
    assert list(at.dataframe[0].value["CoP"]) == ["CoP Sehat", "CoP Mutu"]          # .80 vs .55
    # the sliders show percents (100%, ±20%), never 0.20 with a decimal point beside fields showing 0,20
    assert {at.slider(key=k).proto.format for k in ("award_cov", "award_band")} == {"percent"}
    at.text_input(key="w_maturity_score__text_id").set_value("0,7").run()
    table = at.dataframe[0].value
    assert list(table["CoP"]) == ["CoP Mutu", "CoP Sehat"]                         # .70 vs .533333
    assert list(table["Skor"]) == ["0,7000", "0,5333"]
    assert at.get("download_button")


def _award_page(award_db, monkeypatch, query: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO, logged_in
    monkeypatch.setenv("KMDASH_DB", str(award_db))
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60))
    at.query_params.update({"tahun": "2026", **query})
    at.run()
    return at.switch_page("views/penghargaan.py").run()


def _query(at, key: str):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_typed_weights_and_shortlist_size_go_into_the_link_and_a_fresh_run_reads_them_back(award_db, monkeypatch):
    at = _award_page(award_db, monkeypatch, {})
    assert _query(at, "bobot") is None and _query(at, "n") is None          # the defaults: a short link
    at.text_input(key="w_maturity_score__text_id").set_value("0,45").run()
    at.text_input(key="award_top_n__text_id").set_value("5").run()
    # every weight with a decimal point, the others at their defaults (metrics.award_criteria.DEFAULT_WEIGHTS)
    bobot = _query(at, "bobot")
    assert bobot.startswith("maturity_score:0.45,maturity_change:0.1,utilisation_rate:0.15,") and _query(at, "n") == "5"
    fresh = _award_page(award_db, monkeypatch, {"bobot": bobot, "n": "5"})      # a reload, or the link in a new tab
    assert not fresh.exception and not fresh.warning
    assert fresh.text_input(key="w_maturity_score__text_id").value == "0,45"
    assert fresh.text_input(key="award_top_n__text_id").value == "5"
    assert _query(fresh, "bobot") == bobot and _query(fresh, "n") == "5"
    # CoP Sehat and CoP Mutu are eligible (the default ranking test); a shortlist of 5 takes both
    assert list(fresh.dataframe[0].value["Daftar pendek"]) == ["✔", "✔"]


@pytest.mark.parametrize("query, named", [
    ({"bobot": "maturity_score:abc"}, "abc"),
    ({"bobot": "maturity_score:0.45,nonsense:1"}, "nonsense"),
    ({"bobot": "maturity_score:1e5"}, "1e5"),
    ({"n": "0"}, "0"),
    ({"n": "lima"}, "lima"),
    ({"metode": "ahp"}, "ahp"),
    ({"wajib": "ya"}, "ya"),
    ({"rapat": "21"}, "21"),
    ({"cakupan": "1.5"}, "cakupan="),
    ({"pita": "-0.1"}, "pita="),
])
def test_an_unreadable_link_value_is_named_in_a_warning_and_the_default_used(award_db, monkeypatch, query, named):
    at = _award_page(award_db, monkeypatch, query)
    assert not at.exception
    [warning] = [w.value for w in at.warning]
    assert named in warning and "→" in warning
    # the defaults are used, and the link is written back without the bad value
    assert at.text_input(key="w_maturity_score__text_id").value == "0,20"
    assert at.text_input(key="award_top_n__text_id").value == "15"
    assert all(_query(at, key) is None for key in ("bobot", "n", "metode", "wajib", "rapat", "cakupan", "pita"))


def test_the_method_and_eligibility_rules_of_a_link_are_used_and_kept_in_it(award_db, monkeypatch):
    link = {"metode": "topsis", "wajib": "0", "rapat": "0", "cakupan": "0.5", "pita": "0.3"}
    at = _award_page(award_db, monkeypatch, link)
    assert not at.exception and not at.warning
    assert at.radio(key="award_method").value == "topsis" and at.checkbox(key="award_req").value is False
    assert at.slider(key="award_cov").value == 0.5 and at.slider(key="award_band").value == 0.3
    assert at.text_input(key="award_meet__text_id").value == "0"
    assert {key: _query(at, key) for key in link} == link
    # coverage by weight (defaults sum to 1): CoP Guru lacks maturity change and jury (0.10 + 0.10) -> at most 0.8,
    # CoP Arsip also the maturity score (0.20) -> at most 0.6: both out at the default 100%, both in at 50%
    # (no maturity and no meeting minimum required either)
    assert set(at.dataframe[0].value["CoP"]) == {"CoP Sehat", "CoP Mutu", "CoP Guru", "CoP Arsip"}


# --- what mutation testing found unchecked (issue 19, bench/MUTATION.md) ----------------------------

def test_the_json_names_every_field_and_lists_only_weighted_contributions():
    frame = pd.concat([_abcde(), _frame({"f": {"meetings": 6}})], ignore_index=True)     # F: no maturity score
    result = rank_table(frame, 2026, AwardSettings(weights=(*TWO, ("jury_score", 0.5)), top_n=2))
    got = to_json(result)
    assert set(got) == {"year", "method", "weights", "ranking", "ineligible", "unavailable", "cut", "data_version"}
    assert (got["year"], got["method"], got["unavailable"], got["data_version"]) == (2026, "saw", ["jury_score"], None)
    # jury_score (0.5) has no value anywhere: dropped, and the two others share the weight 0.5 / 0.5
    assert got["weights"]["maturity_score"] == pytest.approx(0.5) and got["weights"]["jury_score"] == 0
    assert got["ranking"][0] == {"rank": 1, "cop": "A", "skpd": "Dinas a", "score": pytest.approx(1.0),
                                 "contributions": pytest.approx({"maturity_score": 0.5, "meetings": 0.5}),
                                 "shortlisted": True}
    # D (3, 6) -> normalised .5, 1 -> contributions .25 and .5; in by utilisation at the cut; B out
    assert [(r["cop"], r["shortlisted"]) for r in got["ranking"]] == [("A", True), ("D", True), ("B", False),
                                                                      ("C", False), ("E", False)]
    assert got["ranking"][1]["contributions"] == pytest.approx({"maturity_score": 0.25, "meetings": 0.5})
    assert got["ineligible"] == [{"cop": "F", "skpd": "Dinas f",
                                  "reason": "no maturity assessment this year; no value for maturity_score"}]
    assert got["cut"] == {"tie_at_cut": True, "decided_by": "utilisation_rate", "all_tied_in": False, "shortlist_size": 2}


def test_an_unweighted_criterion_explains_as_zero():
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO))
    rows = explain(result, "b").set_index("criterion")
    assert rows.loc["utilisation_rate"].tolist() == [pytest.approx(0.4), 0.0, 0.0, 0.0]      # raw .4, not weighted
    assert rows.loc["maturity_score", "contribution"] == pytest.approx(0.25)


def test_a_comparison_lists_the_largest_difference_first_then_by_name():
    result = rank_table(_abcde(), 2026, AwardSettings(weights=TWO))
    # D (.5, 1) vs E (0, 0): contributions maturity .25 vs 0, meetings .5 vs 0 -> meetings first
    got = compare(result, "d", "e")
    assert list(got.columns) == ["criterion", "raw_a", "raw_b", "contribution_a", "contribution_b", "difference"]
    assert list(got["criterion"]) == ["meetings", "maturity_score"]
    assert list(got["difference"]) == pytest.approx([0.5, 0.25])
    # A (1, 1) vs E (0, 0): equal differences .5 and .5 -> by name
    assert list(compare(result, "a", "e")["criterion"]) == ["maturity_score", "meetings"]
    assert list(got.index) == [0, 1]


CRITERIA_COLUMNS = ["cop_key", "cop", "skpd", *CRITERION_NAMES, "headcount", "assets_published", "jurors",
                    "meetings_q1", "meetings_q2", "meetings_q3", "meetings_q4"]


def test_the_criteria_frame_has_the_documented_columns_in_cop_order(award_db):
    with connect(award_db, read_only=True) as con:
        assert kept_current(con)                          # as an import leaves it: the kept CoP users are read
        frame = criteria_frame(con, 2026)
        empty = criteria_frame(con, 2024)                 # no assessment, meeting, asset or jury score in 2024
    assert list(frame.columns) == CRITERIA_COLUMNS and list(frame.index) == [0, 1, 2, 3]
    assert list(zip(frame["cop_key"], frame["cop"], frame["skpd"])) == [
        ("cop arsip", "CoP Arsip", "Dinas Pendidikan"), ("cop guru", "CoP Guru", "Dinas Pendidikan"),
        ("cop mutu", "CoP Mutu", "Dinas Kesehatan"), ("cop sehat", "CoP Sehat", "Dinas Kesehatan")]
    assert all(frame[n].dtype == "float64" for n in CRITERION_NAMES)
    assert list(frame["headcount"]) == [10, 10, 4, 4] and list(frame["meetings_q3"]) == [1, 0, 1, 1]
    assert empty.empty and list(empty.columns) == CRITERIA_COLUMNS


def test_cop_asset_users_are_counted_from_the_events_when_the_kept_counts_are_stale(award_db, tmp_path):
    db = tmp_path / "stale.duckdb"
    shutil.copy(award_db, db)
    with connect(db) as con:
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'engagement_year_stamp'")
        con.execute("UPDATE engagement_cop_year SET users = users + 10")       # kept before a change: not to be read
        assert not kept_current(con)
        users = criteria_frame(con, 2026).set_index("cop_key")["cop_asset_use"]
    # Sehat's AP-1/AP-2 used by A1, A2, B1 -> 3; Guru's AP-3 by B1 -> 1 (the cast above)
    assert users.to_dict() == {"cop arsip": 0, "cop guru": 1, "cop mutu": 0, "cop sehat": 3}


def test_an_agency_without_employees_gives_its_cops_no_rates_and_one_employee_is_enough(award_db, tmp_path):
    db = tmp_path / "headcounts.duckdb"
    shutil.copy(award_db, db)
    with connect(db) as con:
        set_headcount(con, skpd="Dinas Kesehatan", as_of=dt.date(2026, 6, 30), headcount=0, by="test")
        set_headcount(con, skpd="Dinas Pendidikan", as_of=dt.date(2026, 6, 30), headcount=1, by="test")
        frame = criteria_frame(con, 2026).set_index("cop_key")
    sehat, guru = frame.loc["cop sehat"], frame.loc["cop guru"]
    assert sehat[["utilisation_rate", "participation_rate", "assets_published_per_100"]].isna().all()
    assert sehat["assets_published"] == 2 and sehat["headcount"] == 0
    # Disdik of 1: users {B1} -> 1 / 1; participants {B1, B2} -> 2 / 1; Guru's AP-3 -> 1 * 100 / 1
    assert (guru["utilisation_rate"], guru["participation_rate"], guru["assets_published_per_100"]) == (1.0, 2.0, 100.0)


def test_weights_only_on_criteria_nobody_has_are_refused_by_name():
    # the other seven criteria weigh 0: nothing is left to rank by (not a division by a total of 0)
    with pytest.raises(AwardError) as problem:
        rank_table(_abcde(), 2026, AwardSettings(weights=(("jury_score", 1.0), ("accompanied_rate", 2.0))))
    assert str(problem.value) == "no weighted criterion has any value this year: accompanied_rate, jury_score [no_weight]"


def test_a_cop_of_an_agency_outside_the_headcount_recap_is_listed_without_agency_criteria(award_db, tmp_path):
    db = tmp_path / "sosial.duckdb"
    shutil.copy(award_db, db)
    scores = tmp_path / "nilai_juri_sosial.csv"             # Dinas Sosial: no recap row, no employees
    scores.write_text("Tahun,Perangkat Daerah,Nama CoP,Juri,Skor\n2026,Dinas Sosial,CoP Peduli,Juri X,75\n",
                      encoding="utf-8")
    assert [r.status for r in ingest_paths([scores], db=db)] == ["imported"]
    with connect(db, read_only=True) as con:
        frame = criteria_frame(con, 2026).set_index("cop_key")
    assert list(frame.index) == ["cop arsip", "cop guru", "cop mutu", "cop peduli", "cop sehat"]
    peduli = frame.loc["cop peduli"]
    assert (peduli["skpd"], peduli["jury_score"], peduli["jurors"], peduli["meetings"]) == ("Dinas Sosial", 75.0, 1, 0)
    assert peduli[["headcount", "utilisation_rate", "participation_rate", "assets_published_per_100",
                   "accompanied_rate"]].isna().all()
