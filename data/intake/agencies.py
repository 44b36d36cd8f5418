"""The province's agency table (Perangkat Daerah / SKPD) and matching names to it.

The table ships as ``data/reference/perangkat_daerah.csv`` (columns ``name``,
``abbreviation``, ``kind``, ``aliases`` separated by ``;``). A name from a file is
matched to an official name through its normalised key; a name that matches nothing
is never merged: ``AgencyTable.suggest`` offers the closest names for a person.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from data.intake.values import text_key

REFERENCE_CSV = Path(__file__).resolve().parents[1] / "reference" / "perangkat_daerah.csv"

_SUFFIXES = re.compile(
    r"\s*(?:(?:pemerintah\s+)?(?:pemprov|prov\.?|provinsi)\s+)?(?:dki\s+jakarta|daerah\s+khusus\s+(?:ibukota\s+)?jakarta)$"
)
_PUNCT = re.compile(r"[.,;:()'\"/\\_-]+")


def agency_key(name: object) -> str:
    """The key names are matched on: case-folded, punctuation and spaces collapsed,
    ``&`` read as ``dan``, a trailing "Provinsi DKI Jakarta" dropped.

    ``'  DINAS BINA MARGA Provinsi DKI Jakarta '`` -> ``'dinas bina marga'``.
    """
    key = text_key(name).replace("&", " dan ")
    key = _PUNCT.sub(" ", key)
    key = re.sub(r"\s+", " ", key).strip()
    return _SUFFIXES.sub("", key).strip()


@dataclass(frozen=True)
class Agency:
    """One agency of the reference table."""

    name: str
    abbreviation: str
    kind: str
    aliases: tuple[str, ...]


class AgencyTable:
    """The agencies and every key that reaches each of them.

    Args:
        agencies: the table's rows. Two rows claiming the same key is a table error.

    Raises:
        ValueError: an alias or abbreviation that points at two agencies.
    """

    def __init__(self, agencies: list[Agency]):
        self.agencies = {a.name: a for a in agencies}
        self._by_key: dict[str, str] = {}
        self._seen: dict[str, str | None] = {}  # raw spelling -> match, memoised (files repeat names)
        for agency in agencies:
            for spelling in (agency.name, agency.abbreviation, *agency.aliases):
                self._claim(agency_key(spelling), agency.name)

    def _claim(self, key: str, name: str) -> None:
        if not key:
            return
        owner = self._by_key.setdefault(key, name)
        if owner != name:
            raise ValueError(f"agency table: {key!r} names both {owner!r} and {name!r}")

    def match(self, raw: object) -> str | None:
        """The official name for ``raw``, or ``None`` when nothing matches exactly."""
        if isinstance(raw, str):
            if raw not in self._seen:
                if len(self._seen) > 100_000:
                    self._seen.clear()
                self._seen[raw] = self._by_key.get(agency_key(raw))
            return self._seen[raw]
        return self._by_key.get(agency_key(raw))

    def suggest(self, raw: object, limit: int = 3) -> list[str]:
        """Up to ``limit`` official names closest to ``raw`` (rapidfuzz), best first."""
        found = process.extract(agency_key(raw), list(self._by_key), scorer=fuzz.token_set_ratio, limit=limit * 3)
        names: list[str] = []
        for key, _score, _ in found:
            name = self._by_key[key]
            if name not in names:
                names.append(name)
        return names[:limit]

    def keys(self) -> list[tuple[str, str]]:
        """Every (key, official name) pair, sorted by key."""
        return sorted(self._by_key.items())


def load_agency_table(path: Path = REFERENCE_CSV) -> AgencyTable:
    """Read the agency CSV (``name,abbreviation,kind,aliases``) into an ``AgencyTable``.

    Raises:
        ValueError: a row without a name, or an alias shared by two agencies.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    agencies = []
    for line, row in enumerate(rows, start=2):
        name = (row.get("name") or "").strip()
        if not name:
            raise ValueError(f"{path.name} row {line}: agency without a name")
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
        agencies.append(Agency(name, (row.get("abbreviation") or "").strip(), (row.get("kind") or "").strip(), aliases))
    return AgencyTable(agencies)
