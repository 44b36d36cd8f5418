"""Small-count display for breakdowns below the agency (a CoP's participation tiers, the
users of one asset, the users from one other agency): a count of 1 to 4 people is shown
as ``<5`` so nobody can be singled out. Zero is shown (it singles out nobody). Which
further cells to hide so that a ``<5`` cannot be worked out by subtraction is decided in
the metrics layer (``metrics.privacy``, ``SkpdPage.hidden``)."""
from __future__ import annotations

from dashboard.components import format as fmt
from metrics.privacy import SMALL_COUNT_MIN, is_small

__all__ = ["SMALL_COUNT_MIN", "is_small", "small_count"]


def small_count(n: int | None, lang: str = "id") -> str:
    """A people count for display: ``'<5'`` for 1-4, else formatted (``1234`` -> ``'1.234'``);
    missing -> ``'n/a'``."""
    if is_small(n):
        return f"<{SMALL_COUNT_MIN}"
    return fmt.num(n, lang)
