"""``metrics.agencies``: an agency as a person names it (``?skpd=``, ``--skpd``) resolved to
its official name through the reference table (data/reference/perangkat_daerah.csv: Dinas
Perhubungan, abbreviation Dishub; Dinas Kesehatan, Dinkes), and the closest names for a
message when nothing matches."""
from __future__ import annotations

import pytest

from data.intake.agencies import AgencyTable
from metrics.agencies import agency_table, closest_skpd, official_skpd


@pytest.mark.parametrize("raw", ["Dishub", "dinas perhubungan", "DINAS PERHUBUNGAN PROVINSI DKI JAKARTA",
                                 "  Dinas  Perhubungan ", "Dinas Perhubungan"])
def test_an_agency_named_any_known_way_is_its_official_name(raw):
    assert official_skpd(raw) == "Dinas Perhubungan"


@pytest.mark.parametrize("raw", [None, "", "   ", "Dinas Perhubungn", "Kementerian Luar Negeri"])
def test_nothing_or_an_unknown_name_gives_none(raw):
    assert official_skpd(raw) is None


def test_the_table_is_read_once_and_is_the_reference_table():
    table = agency_table()
    assert isinstance(table, AgencyTable) and agency_table() is table
    assert table.match("Dinkes") == "Dinas Kesehatan"


def test_the_closest_names_are_three_unless_asked_best_first():
    # a typo of Dinas Kesehatan: it comes first; three names by default, as many as asked otherwise
    three = closest_skpd("Dinas Kesehatn")
    assert len(three) == 3 and three[0] == "Dinas Kesehatan" and len(set(three)) == 3
    assert closest_skpd("Dinas Kesehatn", 1) == ["Dinas Kesehatan"]
    assert closest_skpd("Dinas Kesehatn", limit=5)[:1] == ["Dinas Kesehatan"]
    assert len(closest_skpd("Dinas Kesehatn", limit=5)) == 5
