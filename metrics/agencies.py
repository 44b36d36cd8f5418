"""An agency named by a person (a URL's ``?skpd=``, a command's ``--skpd``) resolved to its
official name through the product's agency table, the same matching the importer uses
(``data.intake.agencies.AgencyTable.match``: official name, abbreviation, aliases; case,
spaces and punctuation ignored; a trailing "Provinsi DKI Jakarta" dropped).
``'Dishub'``, ``'dinas perhubungan'``, ``'DINAS PERHUBUNGAN PROVINSI DKI JAKARTA'`` ->
``'Dinas Perhubungan'``."""
from __future__ import annotations

from functools import cache

from data.intake.agencies import AgencyTable, load_agency_table


@cache
def agency_table() -> AgencyTable:
    """The reference agency table (``data/reference/perangkat_daerah.csv``), read once.

    Raises:
        ValueError: a malformed table (see ``load_agency_table``)."""
    return load_agency_table()


def official_skpd(raw: str | None) -> str | None:
    """The official agency name ``raw`` spells, or None (``raw`` None or empty, or no match)."""
    if raw is None or not str(raw).strip():
        return None
    return agency_table().match(raw)


def closest_skpd(raw: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` official names closest to ``raw``, best first (for a message)."""
    return agency_table().suggest(raw, limit)


__all__ = ["agency_table", "official_skpd", "closest_skpd"]
