"""Data coverage (``metrics.coverage``) on the hand-made store of ``tests/fixtures/metrics_core/``."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from data.store import connect
from metrics.coverage import coverage

_SPEC = importlib.util.spec_from_file_location("metrics_core_world", Path(__file__).parent / "fixtures" / "metrics_core" / "world.py")
world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(world)


@pytest.fixture(scope="module", params=["aggregate", "raw"])
def cov(request, tmp_path_factory) -> dict:
    db = world.build(tmp_path_factory.mktemp("cov") / "core.duckdb", aggregate=request.param == "aggregate")
    with connect(db, read_only=True) as con:
        return coverage(con, 2026)


def test_left_out_uses_by_cause(cov):
    # counted: Dinkes K1 x2, K2, K3 = 4; Disdik 3; Bapenda 1 -> 8. Stranger 11 Jan: unknown NIP; K4 on AP-9: unknown
    # asset. Rejected rows of 2026: one guest (missing NIP) and one 5-digit NIP written in two files (counts once).
    assert cov["left_out_uses"] == {"missing_nip": 1, "bad_nip": 1, "unknown_nip": 1, "unknown_asset": 1, "counted": 8}


def test_sources_give_newest_import_and_data_dates(cov):
    by_kind = {s["kind"]: s for s in cov["sources"]}
    assert by_kind["access_log"]["newest_file"] == "log_2026-03.csv" and by_kind["access_log"]["imports"] == 2
    # the 2025-12-31 row is outside 2026; first 2026 row 10 Jan, last 1 Apr
    assert (by_kind["access_log"]["data_from"], by_kind["access_log"]["data_to"]) == ("2026-01-10", "2026-04-01")
    assert by_kind["headcount"]["data_from"] == "2026-06-30"


def test_every_rate_names_its_sources(cov):
    assert cov["kpi_sources"]["utilisation_rate"] == ["access_log", "roster", "aset", "headcount"]
