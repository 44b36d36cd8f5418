"""Small-count suppression for breakdowns below the agency (a CoP's participation tiers,
the users of one asset, the users from one other agency): a count of 1 to 4 people is
shown as ``<5`` so nobody can be singled out. Zero is shown (it singles out nobody).
The metrics layer hands over exact counts; only the page suppresses."""
from __future__ import annotations

from dashboard.components import format as fmt

SMALL_COUNT_MIN = 5   # people counts below this (and above 0) are shown as "<5"


def is_small(n: int | None) -> bool:
    """True for a count of people that must not be shown (1 to ``SMALL_COUNT_MIN`` - 1)."""
    return n is not None and 0 < n < SMALL_COUNT_MIN


def small_count(n: int | None, lang: str = "id") -> str:
    """A people count for display: ``'<5'`` for 1-4, else formatted (``1234`` -> ``'1.234'``);
    missing -> ``'n/a'``."""
    if is_small(n):
        return f"<{SMALL_COUNT_MIN}"
    return fmt.num(n, lang)
