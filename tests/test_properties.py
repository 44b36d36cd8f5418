"""Properties of the utilisation KPIs on random small stores (hypothesis): the province
rate is distinct users over total headcount whatever the grouping, every grain's users are
re-counted (never summed), and the order of the input rows changes nothing. The expected
values are computed here in plain Python from the generated rows, independently of SQL."""
from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from data.store.aggregates import rebuild
from data.store.connection import connect
from metrics.grain import PROVINCE, period_at, utilisation_by

AGENCIES = {"Dinas Kesehatan": "Dinas", "Dinas Pendidikan": "Dinas", "Badan Pendapatan Daerah": "Badan"}
YEAR = period_at("year", dt.date(2026, 1, 1))
NIPS = [f"19800101200501{i:04d}" for i in range(12)]           # 0-9 in the roster, 10-11 strangers
ASETS = ["AP-1", "AP-2", "AP-3"]                               # AP-3 is not in the register

events = st.lists(st.tuples(st.integers(0, 11), st.sampled_from(ASETS), st.sampled_from(["view", "download", "like"]),
                            st.integers(0, 364 + 31)), min_size=1, max_size=40)
worlds = st.fixed_dictionaries({
    "headcount": st.fixed_dictionaries({a: st.integers(0, 8) for a in AGENCIES}),
    "agency_of": st.lists(st.sampled_from(sorted(AGENCIES)), min_size=10, max_size=10),
    "events": events.filter(bool), "seed": st.integers(0, 10 ** 6)})


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("prop") / "empty.duckdb"
    with connect(path):
        pass
    return path


def _fill(path: Path, w: dict, order: list[int]) -> None:
    day0 = dt.datetime(2026, 1, 1)
    with connect(path) as con:
        con.executemany("INSERT INTO headcount (skpd, as_of, headcount, headcount_pns, headcount_pppk, import_id, "
                        "source_row, replaced_by) VALUES (?, DATE '2026-06-30', ?, NULL, NULL, 1, 0, NULL)",
                        list(w["headcount"].items()))
        con.executemany("INSERT INTO employee (nip, name, skpd, employment_status, import_id, source_row, replaced_by) "
                        "VALUES (?, 'x', ?, 'PNS', 2, 0, NULL)", list(zip(NIPS, w["agency_of"])))
        con.executemany("INSERT INTO aset (aset_id, title, aset_kind, cop_key, skpd, uploader_nip, uploaded_on, status, "
                        "published_on, import_id, source_row, replaced_by) VALUES (?, 't', NULL, 'cop', 'Dinas Kesehatan', NULL, NULL, 'terbit', NULL, 3, 0, NULL)",
                        [("AP-1",), ("AP-2",)])
        rows = [(day0 + dt.timedelta(days=d - 31, hours=i % 24), NIPS[n], a, act) for i, (n, a, act, d) in enumerate(w["events"])]
        con.executemany("INSERT INTO access_event (event_time, nip, aset_id, action, import_id) VALUES (?, ?, ?, ?, 4)", [rows[i] for i in order])
        rebuild(con)


def _expected(w: dict) -> tuple[dict, dict]:
    """Users per agency and per kind, by hand: roster NIP, registered asset, view/download, in 2026."""
    users = {}
    for n, a, act, d in w["events"]:
        if n < 10 and a != "AP-3" and act != "like" and 31 <= d < 31 + 365:
            users.setdefault(w["agency_of"][n], set()).add(n)
    kinds = {}
    for agency, nips in users.items():
        kinds.setdefault(AGENCIES[agency], set()).update(nips)
    return users, kinds


def _frames(path: Path) -> dict:
    with connect(path, read_only=True) as con:
        return {g: utilisation_by(con, YEAR, g) for g in ("province", "kind", "skpd")}


@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(worlds)
def test_rates_are_distinct_users_over_headcount_at_every_grain_and_row_order_changes_nothing(empty_db, tmp_path, w):
    order = list(range(len(w["events"])))
    random.Random(w["seed"]).shuffle(order)
    frames = []
    for name, rows in (("a", list(range(len(order)))), ("b", order)):
        path = Path(shutil.copy(empty_db, tmp_path / f"{name}.duckdb"))
        _fill(path, w, rows)
        frames.append(_frames(path))
    users, kinds = _expected(w)
    total = sum(w["headcount"].values())
    province = frames[0]["province"].set_index("grain_value").loc[PROVINCE]
    all_users = set().union(*users.values()) if users else set()
    assert province["asset_users"] == len(all_users)
    assert (province["utilisation_rate"] == pytest.approx(len(all_users) / total)) if total else province["utilisation_rate"] != province["utilisation_rate"]
    for grain, expected in (("skpd", users), ("kind", kinds)):
        got = frames[0][grain].set_index("grain_value")["asset_users"].to_dict()
        assert {k: v for k, v in got.items() if v} == {k: len(v) for k, v in expected.items()}
        assert frames[0][grain]["headcount"].sum() == total
    for grain in frames[0]:
        assert frames[0][grain].equals(frames[1][grain])
