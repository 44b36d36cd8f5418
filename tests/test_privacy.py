"""Complementary suppression (``metrics.privacy``): hand-worked small tables where one
hidden ``<5`` could be worked out by subtraction, the cells hidden to prevent it, and a
brute-force reader that tries every value the hidden cells could hold, showing no hidden
count of 1-4 people is recoverable (and that it would be without the second cell)."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from metrics.privacy import (COMPLEMENT, SMALL, AtMost, Sum, hidden_asset_counts, hidden_cop_counts,
                             hidden_user_counts, suppress)

TIERS = ("core", "active", "occasional", "peripheral")


def recoverable(values, relations, marks, *, unpublished=(), cap=60) -> list:
    """The hidden keys (and unpublished ones) whose true value is 1-4 and is the only value
    consistent with everything shown: a reader who knows ``<5`` is 1-4, ``*`` is 5 or more and
    every relation tries all assignments."""
    free = [k for k in values if k in marks or k in unpublished]
    ranges = [range(1, 5) if marks.get(k) == SMALL else range(5, cap + 1) if marks.get(k) == COMPLEMENT
              else range(0, cap + 1) for k in free]
    possible = {k: set() for k in free}
    for combo in itertools.product(*ranges):
        v = {**values, **dict(zip(free, combo))}
        ok = all(sum(v[p] for p in r.parts) == v[r.total] if isinstance(r, Sum) else v[r.lesser] <= v[r.greater]
                 for r in relations)
        if ok:
            for k, x in zip(free, combo):
                possible[k].add(x)
    return sorted(str(k) for k in free if 0 < values[k] < 5 and len(possible[k]) == 1)


def _cop(members, core, active, occasional, peripheral):
    return {"members": members, "core": core, "active": active, "occasional": occasional,
            "peripheral": peripheral, "active_members": core + active}


COP_RELATIONS = [Sum(TIERS, "members"), Sum(("core", "active"), "active_members")]


@pytest.mark.parametrize("row,expected", [
    # 12 members = 2 core + 5 active + 5 occasional: core = 12 - 5 - 5 and = 7 - 5; active (5, the
    # smallest shown in its relations) is hidden too: core + active = 7 with active >= 5 leaves core 1 or 2
    (_cop(12, 2, 5, 5, 0), {"core": SMALL, "active": COMPLEMENT}),
    # 1 + 1 core and active beside 8 occasional: two <5 adding to 2 can only be 1 and 1 (and active
    # members 2 is <5 too); occasional (8) is hidden, so core + active is anything from 2 to 4
    (_cop(10, 1, 1, 8, 0), {"core": SMALL, "active": SMALL, "active_members": SMALL, "occasional": COMPLEMENT}),
    # 3 core and 4 active: 7 active members and two <5: 3+4 or 4+3, nothing more to hide
    (_cop(12, 3, 4, 5, 0), {"core": SMALL, "active": SMALL}),
    # nobody under 5: nothing hidden
    (_cop(20, 5, 5, 5, 5), {}),
])
def test_cop_tiers_hide_a_second_cell_where_members_would_give_the_first(row, expected):
    marks = suppress(row, COP_RELATIONS, people=row)
    assert marks == expected
    assert recoverable(row, COP_RELATIONS, marks) == []


def test_without_the_second_cell_the_tier_is_recovered_by_subtraction():
    row = _cop(12, 2, 5, 5, 0)
    assert recoverable(row, COP_RELATIONS, {"core": SMALL}) == ["core"]            # 12 - 5 - 5 - 0 = 2


def test_users_beside_one_use_event_and_a_known_cross_agency_total():
    # one agency's assets, used by its own staff (30), agency A (1 user, 1 event) and agency B (7 users).
    # Shown beside the table: 38 users of its assets, 8 of them from other agencies.
    users = pd.DataFrame({"user_skpd": ["Own", "A", "B"], "own": [True, False, False],
                          "asset_users": [30, 1, 7], "use_events": [100, 1, 9], "assets_used": [5, 1, 2]})
    marks = hidden_user_counts(users, 38, 8)
    # A's 1 user: hidden; its 1 event would give it (users <= events): hidden too (as <5, it is 1);
    # 8 - B's 7 would give it: B's users hidden (7, the smallest shown in that sum)
    assert marks.to_dict("index") == {0: {"asset_users": "", "use_events": "", "assets_used": ""},
                                      1: {"asset_users": SMALL, "use_events": SMALL, "assets_used": ""},
                                      2: {"asset_users": COMPLEMENT, "use_events": "", "assets_used": ""}}
    values = {(i, c): int(users.at[i, c]) for i in users.index for c in ("asset_users", "use_events", "assets_used")}
    values.update({"all": 38, "cross": 8})
    relations = [Sum(((0, "asset_users"), (1, "asset_users"), (2, "asset_users")), "all"),
                 Sum(((1, "asset_users"), (2, "asset_users")), "cross")]
    relations += [AtMost((i, "asset_users"), (i, "use_events")) for i in users.index]
    relations += [AtMost((i, "assets_used"), (i, "use_events")) for i in users.index]
    found = {k: m for k, m in ((k, marks.at[k[0], k[1]]) for k in values if isinstance(k, tuple)) if m}
    assert recoverable(values, relations, found) == []
    assert recoverable(values, relations, {(1, "asset_users"): SMALL}) == ["(1, 'asset_users')"]


@pytest.mark.parametrize("row,expected", [
    # 20 users, 17 from other agencies: the agency's own 3 (never shown) = 20 - 17; 17 hidden
    ({"asset_users": 20, "use_events": 50, "cross_skpd_users": 17}, {"cross_skpd_users": COMPLEMENT}),
    # 1 user and 1 use event: the event count gives the user count; it is hidden as <5
    ({"asset_users": 1, "use_events": 1, "cross_skpd_users": 0}, {"asset_users": SMALL, "use_events": SMALL}),
    # 3 users, 3 events, none from elsewhere: users are 1-3 whatever the reader does
    ({"asset_users": 3, "use_events": 3, "cross_skpd_users": 0}, {"asset_users": SMALL}),
])
def test_asset_rows_protect_users_and_the_own_agencys_share(row, expected):
    marks = hidden_asset_counts(pd.DataFrame([row])).iloc[0].to_dict()
    assert {k: v for k, v in marks.items() if v} == expected
    values = {**row, "own": row["asset_users"] - row["cross_skpd_users"]}
    relations = [AtMost("asset_users", "use_events"), Sum(("cross_skpd_users", "own"), "asset_users")]
    assert recoverable(values, relations, {k: v for k, v in marks.items() if v}, unpublished=("own",)) == []


def test_cop_table_marks_each_row_on_its_own():
    cops = pd.DataFrame([_cop(12, 2, 5, 5, 0), _cop(20, 5, 5, 5, 5)])
    marks = hidden_cop_counts(cops)
    assert list(marks.columns) == ["members", *TIERS, "active_members"]
    assert marks.loc[0, "core"] == SMALL and marks.loc[0, "active"] == COMPLEMENT
    assert (marks.loc[1] == "").all()


def test_every_agency_of_the_field_samples_leaves_no_lone_hidden_cell_in_a_known_sum(field_db):
    """An independent check on real data: in every relation whose total is known, never
    exactly one hidden cell; never hidden users beside a shown event count of 1 (2 leaves 1 or 2)."""
    from data.store.connection import connect
    from metrics.engagement import recap_skpd, skpd_page
    with connect(field_db, read_only=True) as con:
        pages = [skpd_page(con, 2026, a) for a in recap_skpd(con, 2026)]
    checked = 0
    for page in pages:
        cops = page.hidden["cops"]
        for i in cops.index:
            row = cops.loc[i]
            if not row["members"]:
                assert sum(bool(row[t]) for t in TIERS) != 1
            if not row["active_members"]:
                assert sum(bool(row[t]) for t in ("core", "active")) != 1
        users, marks = page.users_by_skpd, page.hidden["users_by_skpd"]
        assert sum(bool(m) for m in marks["asset_users"]) != 1                      # the sum is shown
        assert sum(bool(m) for m, own in zip(marks["asset_users"], users["own"]) if not own) != 1
        for i in users.index:
            if marks.at[i, "asset_users"] and not marks.at[i, "use_events"]:
                assert users.at[i, "use_events"] >= 2
        assets, amarks = page.top_assets, page.hidden["top_assets"]
        for i in assets.index:
            own = assets.at[i, "asset_users"] - assets.at[i, "cross_skpd_users"]
            if 0 < own < 5:
                assert amarks.at[i, "asset_users"] or amarks.at[i, "cross_skpd_users"]
        checked += len(cops) + len(users) + len(assets)
    assert len(pages) == 24 and checked > 300


def test_the_agency_page_and_its_download_show_the_hidden_cells(field_db, monkeypatch):
    """On the page, a complement shows ``*`` and a small count ``<5``, in the table and so in
    its CSV/XLSX (made from the same table); the chart leaves hidden agencies out."""
    from streamlit.testing.v1 import AppTest

    from data.store.connection import connect
    from metrics.engagement import recap_skpd, skpd_page
    from metrics.registry import label
    from tests.conftest import REPO, logged_in
    with connect(field_db, read_only=True) as con:
        pages = [skpd_page(con, 2026, a) for a in recap_skpd(con, 2026)]
    page = next(p for p in pages if (p.hidden["users_by_skpd"]["asset_users"] == COMPLEMENT).any())
    marks = page.hidden["users_by_skpd"]["asset_users"].tolist()
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=90))
    at.query_params.update({"skpd": page.skpd, "tahun": "2026"})
    at.run()
    at.switch_page("views/perangkat_daerah.py").run()
    assert not at.exception
    head = label("users_of_assets", "id")
    table = next(d.value for d in at.dataframe if head in d.value.columns and len(d.value) == len(marks))
    shown = table[head].tolist()
    assert [s for s, m in zip(shown, marks) if m == COMPLEMENT] == ["*"] * marks.count(COMPLEMENT)
    assert [s for s, m in zip(shown, marks) if m == SMALL] == ["<5"] * marks.count(SMALL)
    exact = [int(str(s).replace(".", "")) for s, m in zip(shown, marks) if not m]
    assert exact == [n for n, m in zip(page.users_by_skpd["asset_users"], marks) if not m]
    chart = next(c for c in at.get("plotly_chart") if head in c.proto.spec)
    hidden_names = [s for s, m in zip(page.users_by_skpd["user_skpd"], marks) if m]
    assert not any(f'"{name}"' in chart.proto.spec or f'"★ {name}"' in chart.proto.spec for name in hidden_names)


# -- what mutation testing found unchecked (issue 19) ------------------------------------------

def test_a_cell_pinned_only_by_totals_published_elsewhere_is_given_up_and_the_next_still_protected():
    # a (1 person) is the whole of t, published elsewhere: nothing here can hide it, so it stays "<5"
    # and the search goes on: c (1 person) beside d = 1 event means c is 1, so d is hidden too (as <5).
    # x <= y (7 and 9) has nothing to do with either: left shown.
    values = {"a": 1, "t": 1, "c": 1, "d": 1, "x": 7, "y": 9}
    relations = [Sum(("a",), "t"), AtMost("c", "d"), AtMost("x", "y")]
    assert suppress(values, relations, people=["a", "c"], fixed=["t"]) == {"a": SMALL, "c": SMALL, "d": SMALL}


def test_a_cell_pinned_by_a_total_published_elsewhere_leaves_unrelated_cells_shown():
    values = {"a": 1, "t": 1, "x": 7, "y": 9}
    assert suppress(values, [Sum(("a",), "t"), AtMost("x", "y")], people=["a"], fixed=["t"]) == {"a": SMALL}


@pytest.mark.parametrize("relations", [[Sum(("a", "own"), "t")], [Sum(("a", "own"), "t"), AtMost("own", "e")]],
                         ids=["sum", "sum and at most"])
def test_an_unpublished_quantity_can_be_zero_to_the_reader(relations):
    # a (1) + own (1, never shown) = t (2): the reader knows own >= 0 only (own <= e = 9 says no more),
    # so a is 1 or 2: nothing more to hide (were own known to be >= 1, a would be exactly 1 and t
    # would have to go too)
    values = {"a": 1, "own": 1, "t": 2, "e": 9}
    marks = suppress(values, relations, people=["a"], unpublished=["own"])
    assert marks == {"a": SMALL}
    assert recoverable(values, relations, marks, unpublished=("own",)) == []


def test_every_exposure_is_protected_however_many_passes_it_takes():
    # five people c1-c5 of 1 each beside d1-d5 = 1 event each, the events adding up to t = 5
    # published elsewhere: hiding every d still leaves each d 1 (five values of at least 1 make 5),
    # so c1..c5 and d1..d5 are all given up (15 passes: five d hidden, ten given up). Only after
    # them comes the unpublished own = h - g = 4 - 3 = 1: g (3) must still be hidden, on pass 16.
    cs, ds = [f"c{i}" for i in range(1, 6)], [f"d{i}" for i in range(1, 6)]
    values = {**dict.fromkeys(cs, 1), **dict.fromkeys(ds, 1), "t": 5, "own": 1, "g": 3, "h": 4}
    relations = [*(AtMost(c, d) for c, d in zip(cs, ds)), Sum(tuple(ds), "t"), Sum(("own", "g"), "h")]
    marks = suppress(values, relations, people=cs, fixed=["t"], unpublished=["own"])
    assert marks == {**dict.fromkeys(cs + ds, SMALL), "g": SMALL}


def test_a_small_count_is_at_most_four_to_the_reader():
    # core 4 + active 4 = 8 active members: two "<5" making 8 can only be 4 and 4, so active
    # members (8, the smallest shown in their relations) is hidden; then 20 members - 12 occasional
    # - 0 peripheral gives 8 again: occasional (12) is hidden too. Now core + active is 5-8.
    row = _cop(20, 4, 4, 12, 0)
    marks = suppress(row, COP_RELATIONS, people=row)
    assert marks == {"core": SMALL, "active": SMALL, "active_members": COMPLEMENT, "occasional": COMPLEMENT}
    assert recoverable(row, COP_RELATIONS, marks) == []


def test_the_marks_keep_the_tables_own_index():
    cops = pd.DataFrame([_cop(12, 2, 5, 5, 0), _cop(20, 5, 5, 5, 5)], index=["CoP Gizi", "CoP Jalan"])
    marks = hidden_cop_counts(cops)
    assert marks.index.tolist() == ["CoP Gizi", "CoP Jalan"] and marks.at["CoP Gizi", "core"] == SMALL


def _users(rows):
    return pd.DataFrame(rows, columns=["user_skpd", "own", "asset_users", "use_events", "assets_used"])


def test_the_users_of_the_agencys_assets_shown_beside_the_table_are_never_the_cell_hidden():
    # only the agency's own staff used its assets: 3 users, the 3 users of its assets shown above the
    # table. Hiding the 3 cannot help (the total is published): the 50 events in its relation go,
    # then the 4 assets used beside those events; the 3 is given up (nothing else to hide)
    marks = hidden_user_counts(_users([("Own", True, 3, 50, 4)]), users_of_assets=3, cross_skpd_users=0)
    assert marks.to_dict("index") == {0: {"asset_users": SMALL, "use_events": COMPLEMENT, "assets_used": SMALL}}


def test_the_cross_agency_users_shown_beside_the_table_are_never_the_cell_hidden():
    # agency A's 3 users are all the 3 cross-agency users shown above: pinned whatever is hidden here.
    # In A's relations, in order: the own staff's 30 users, then A's 50 events; then, next to them,
    # A's 4 assets used (4 < 100, the own staff's events), then the own staff's 100 events; then given up
    users = _users([("Own", True, 30, 100, 5), ("A", False, 3, 50, 4)])
    marks = hidden_user_counts(users, users_of_assets=33, cross_skpd_users=3)
    assert marks.to_dict("index") == {
        0: {"asset_users": COMPLEMENT, "use_events": COMPLEMENT, "assets_used": ""},
        1: {"asset_users": SMALL, "use_events": COMPLEMENT, "assets_used": SMALL}}


def test_a_count_at_most_another_raises_only_its_lower_bound():
    # u (1 person) <= e (1 event) gives u = 1: e is hidden (as <5). Then the reader knows n = 3 <= e,
    # so e is 3 or 4 and u 1-4: nothing pinned (e is not known to be at least u's 4)
    values = {"u": 1, "e": 1, "n": 3}
    relations = [AtMost("u", "e"), AtMost("n", "e")]
    marks = suppress(values, relations, people=["u"])
    assert marks == {"u": SMALL, "e": SMALL}
    assert recoverable(values, relations, marks) == []


def test_bounds_are_narrowed_until_nothing_changes():
    # v (10, never shown) + w (5) = x (15) gives v = 10, and only then a (1 person) + u (9) = v gives
    # a = 1: the relations are listed the other way round, so it takes a second pass. u (9) is
    # hidden; then a = 10 - u with u >= 5 is 1-4
    values = {"a": 1, "u": 9, "v": 10, "w": 5, "x": 15}
    relations = [Sum(("a", "u"), "v"), Sum(("v", "w"), "x")]
    marks = suppress(values, relations, people=["a"], unpublished=["v"])
    assert marks == {"a": SMALL, "u": COMPLEMENT}
    assert recoverable(values, relations, marks, unpublished=("v",)) == []
