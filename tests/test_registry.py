"""``metrics.registry``: every KPI declared once; its label in Indonesian (the default) or
English."""
from __future__ import annotations

import pytest

from metrics.registry import KPI_BY_NAME, KPIS, label


@pytest.mark.parametrize("name, label_id, label_en", [
    ("utilisation_rate", "Tingkat pemanfaatan", "Utilisation rate"),
    ("headcount", "Jumlah pegawai", "Headcount"),
    ("cross_skpd_users", "Pengguna lintas PD", "Cross-agency users"),
])
def test_a_kpis_label_is_indonesian_by_default_and_english_when_asked(name, label_id, label_en):
    assert label(name) == label_id
    assert label(name, "id") == label_id
    assert label(name, "en") == label_en
    assert label(name, lang="en") == label_en


def test_an_unknown_kpi_has_no_label():
    with pytest.raises(KeyError):
        label("no_such_kpi")


def test_every_kpi_is_declared_once_with_both_labels_and_a_known_unit():
    assert len(KPI_BY_NAME) == len(KPIS)
    assert {k.unit for k in KPIS} <= {"count", "fraction", "score", "level", "per 100"}
    assert all(k.label_id and k.label_en and k.description for k in KPIS)
