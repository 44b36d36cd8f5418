"""Small-count suppression that subtraction cannot undo (complementary suppression).

A count of 1 to 4 people below the agency (a CoP's participation tier, the users of one
asset, the users from one other agency) is hidden: shown as ``<5``. Hiding that one cell
is not enough where the table, or a total published beside it, lets a reader work it out:
CoP tiers add up to the CoP's members; the users by agency add up to the agency's users of
assets; users cannot exceed use events (1 event beside ``<5`` users means 1 user). So a
second cell is hidden (``complement``) until no hidden count can be worked out.

The reader is modelled as knowing every shown value, that ``<5`` is 1-4, that a
complement is 5 or more (it is hidden only for another cell's sake), and every relation
(``Sum``: parts add up to a total; ``AtMost``: one count never exceeds another). Bounds are
propagated through the relations until they stop changing; a hidden count of 1-4 whose
bounds meet is exposed, and the smallest shown non-zero count in one of its relations is
hidden next. ``tests/test_privacy.py`` checks the result against a brute-force reader
that tries every value the hidden cells could hold.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

SMALL_COUNT_MIN = 5          # people counts below this (and above 0) are never shown
SMALL, COMPLEMENT = "small", "complement"
_UNBOUNDED = 10**12


@dataclass(frozen=True)
class Sum:
    """``parts`` add up exactly to ``total`` (keys of cells or of values published elsewhere)."""

    parts: tuple[Hashable, ...]
    total: Hashable

    def keys(self) -> tuple[Hashable, ...]:
        return (*self.parts, self.total)


@dataclass(frozen=True)
class AtMost:
    """``lesser`` never exceeds ``greater`` (users of an asset <= its use events)."""

    lesser: Hashable
    greater: Hashable

    def keys(self) -> tuple[Hashable, ...]:
        return (self.lesser, self.greater)


def is_small(n: int | None) -> bool:
    """A count of people that must not be shown: 1 to ``SMALL_COUNT_MIN`` - 1."""
    return n is not None and 0 < n < SMALL_COUNT_MIN


def suppress(values: Mapping[Hashable, int], relations: Iterable[Sum | AtMost], *, people: Iterable[Hashable],
             fixed: Iterable[Hashable] = (), unpublished: Iterable[Hashable] = ()) -> dict[Hashable, str]:
    """Which cells to hide so that no count of 1-4 people can be worked out.

    Args:
        values: every key's true value (ints >= 0): the table's cells, totals published
            elsewhere and quantities never published.
        relations: what a reader knows ties the values together.
        people: cells counting people; those of 1-4 are hidden (``SMALL``).
        fixed: values published elsewhere (never hidden here, always known to the reader).
        unpublished: quantities nobody sees (the own-agency users of an asset = its users
            minus the users from other agencies); protected like a hidden cell when 1-4.

    Returns:
        cell key -> ``SMALL`` (shown as ``<5``: a value 1-4) or ``COMPLEMENT`` (hidden for
        another cell's sake); cells not in it are shown.
    """
    relations, fixed, unpublished = list(relations), set(fixed), set(unpublished)
    hidden = {k: SMALL for k in people if is_small(values[k])}
    stuck: set[Hashable] = set()
    while True:         # each pass hides one more cell or gives one up for good: at most 2 x len(values) passes
        exposed = [k for k in _exposed(values, relations, hidden, unpublished) if k not in stuck]
        if not exposed:
            return hidden
        chosen = _complement(exposed[0], values, relations, hidden, fixed, unpublished)
        if chosen is None:
            stuck.add(exposed[0])        # only cells published elsewhere pin it: nothing here can help
            continue
        hidden[chosen] = SMALL if is_small(values[chosen]) else COMPLEMENT


def _bounds(values, relations, hidden, unpublished) -> dict[Hashable, list[int]]:
    """Each key's [low, high] as the reader can narrow it, propagated to a fixed point."""
    bounds = {}
    for k, v in values.items():
        if k in unpublished:
            bounds[k] = [0, _UNBOUNDED]
        elif k in hidden:
            bounds[k] = [1, SMALL_COUNT_MIN - 1] if hidden[k] == SMALL else [SMALL_COUNT_MIN, _UNBOUNDED]
        else:
            bounds[k] = [v, v]
    for _ in range(100):
        changed = False
        for rel in relations:
            for key, low, high in _implied(rel, bounds):
                lo, hi = bounds[key]
                new = [max(lo, low), min(hi, high)]
                if new != [lo, hi]:
                    bounds[key], changed = new, True
        if not changed:
            break
    return bounds


def _implied(rel, bounds):
    if isinstance(rel, AtMost):
        yield rel.lesser, 0, bounds[rel.greater][1]
        yield rel.greater, bounds[rel.lesser][0], _UNBOUNDED
        return
    lows = sum(bounds[p][0] for p in rel.parts)
    highs = sum(bounds[p][1] for p in rel.parts)
    t_lo, t_hi = bounds[rel.total]
    yield rel.total, lows, highs
    for p in rel.parts:
        p_lo, p_hi = bounds[p]
        yield p, t_lo - (highs - p_hi), t_hi - (lows - p_lo)


def _exposed(values, relations, hidden, unpublished) -> list[Hashable]:
    bounds = _bounds(values, relations, hidden, unpublished)
    return [k for k in [*hidden, *unpublished] if is_small(values[k]) and bounds[k][0] == bounds[k][1]]


def _complement(key, values, relations, hidden, fixed, unpublished) -> Hashable | None:
    """The smallest shown non-zero cell in a relation of ``key`` (or, failing that, in a
    relation of a hidden cell next to it), in relation order on ties."""
    near = [r for r in relations if key in r.keys()]
    for group in (near, [r for r in relations if set(r.keys()) & {k for n in near for k in n.keys()} - {key}]):
        candidates = [k for r in group for k in r.keys()
                      if k not in hidden and k not in fixed and k not in unpublished and values[k] > 0]
        if candidates:
            return min(candidates, key=lambda k: values[k])
    return None


TIERS = ("core", "active", "occasional", "peripheral")
COP_COUNTS = ("members", *TIERS, "active_members")


def _as_frame(hidden: dict, index, columns) -> pd.DataFrame:
    return pd.DataFrame({c: [hidden.get((i, c), "") for i in index] for c in columns}, index=index)


def hidden_cop_counts(cops: pd.DataFrame) -> pd.DataFrame:
    """Which people counts of ``metrics.engagement.cop_tiers`` rows to hide: per CoP, the
    four tiers add up to ``members`` and core + active is ``active_members``.

    Returns:
        same index as ``cops``; columns ``COP_COUNTS``; values ``""`` (shown), ``SMALL``
        or ``COMPLEMENT``. Empty input gives an empty frame.
    """
    hidden: dict = {}
    for i, row in cops.iterrows():
        values = {c: int(row[c]) for c in COP_COUNTS}
        found = suppress(values, [Sum(TIERS, "members"), Sum(("core", "active"), "active_members")], people=COP_COUNTS)
        hidden.update({(i, c): mark for c, mark in found.items()})
    return _as_frame(hidden, cops.index, COP_COUNTS)


def hidden_asset_counts(assets: pd.DataFrame) -> pd.DataFrame:
    """Which counts of ``metrics.engagement.top_assets`` rows to hide: per asset, users
    never exceed use events, and users minus users from other agencies is the agency's own
    users of it (never shown, protected all the same).

    Returns:
        same index; columns ``asset_users``, ``use_events``, ``cross_skpd_users``; marks as
        ``hidden_cop_counts``.
    """
    columns, hidden = ("asset_users", "use_events", "cross_skpd_users"), {}
    for i, row in assets.iterrows():
        values = {c: int(row[c]) for c in columns}
        values["own_users"] = values["asset_users"] - values["cross_skpd_users"]
        found = suppress(values, [AtMost("asset_users", "use_events"), Sum(("cross_skpd_users", "own_users"), "asset_users")],
                         people=("asset_users", "cross_skpd_users"), unpublished=("own_users",))
        hidden.update({(i, c): mark for c, mark in found.items()})
    return _as_frame(hidden, assets.index, columns)


def hidden_user_counts(users: pd.DataFrame, users_of_assets: int, cross_skpd_users: int) -> pd.DataFrame:
    """Which counts of ``metrics.engagement.asset_use_by_skpd`` (one agency's assets) to
    hide: the users of all rows add up to the agency's ``users_of_assets`` and those of the
    other agencies' rows to its ``cross_skpd_users`` (both shown on the agency page); in a
    row, users never exceed use events, and assets used never exceed use events.

    Returns:
        same index; columns ``asset_users``, ``use_events``, ``assets_used``; marks as
        ``hidden_cop_counts``.
    """
    columns = ("asset_users", "use_events", "assets_used")
    values: dict = {(i, c): int(row[c]) for i, row in users.iterrows() for c in columns}
    values.update({"users_of_assets": int(users_of_assets), "cross_skpd_users": int(cross_skpd_users)})
    relations: list = [Sum(tuple((i, "asset_users") for i in users.index), "users_of_assets"),
                       Sum(tuple((i, "asset_users") for i, own in users["own"].items() if not own), "cross_skpd_users")]
    for i in users.index:
        relations += [AtMost((i, "asset_users"), (i, "use_events")), AtMost((i, "assets_used"), (i, "use_events"))]
    found = suppress(values, relations, people=[(i, "asset_users") for i in users.index],
                     fixed=("users_of_assets", "cross_skpd_users"))
    return _as_frame(found, users.index, columns)


__all__ = ["SMALL_COUNT_MIN", "SMALL", "COMPLEMENT", "Sum", "AtMost", "is_small", "suppress", "hidden_cop_counts",
           "hidden_asset_counts", "hidden_user_counts"]
