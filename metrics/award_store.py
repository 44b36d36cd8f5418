"""KM Award settings kept in the database: weight presets saved by name and year, and a
year's frozen final ranking (stored with its settings and data version; later imports
do not change it, and a frozen year cannot be frozen again).

Tables: ``award_preset``, ``award_frozen`` (``data/store/schema_award.sql``). Writing needs a
read-write connection; reading works on a database created before these tables existed
(no presets, nothing frozen).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from data.config import operator_name
from data.store.connection import has_table
from metrics.award import AwardResult, to_json
from metrics.award_criteria import AwardError, AwardSettings

log = logging.getLogger(__name__)
WIB = ZoneInfo("Asia/Jakarta")


def _now() -> dt.datetime:
    return dt.datetime.now(WIB).replace(tzinfo=None, microsecond=0)


def _user(user: str | None) -> str:
    return user or operator_name()


def save_preset(con: duckdb.DuckDBPyConnection, name: str, year: int, settings: AwardSettings,
                user: str | None = None) -> None:
    """Save (or overwrite) the preset ``name`` for ``year``.

    Raises:
        AwardError: an empty name (``bad_setting``).
    """
    if not name.strip():
        raise AwardError("bad_setting", "a preset needs a name")
    con.execute("INSERT INTO award_preset VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, year) DO UPDATE SET "
                "settings_json = excluded.settings_json, saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                [name.strip(), year, json.dumps(settings.to_dict()), _now(), _user(user)])
    log.info("award preset saved name=%s year=%s", name.strip(), year)


def presets(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The presets of ``year`` by name: ``name``, ``saved_at`` (WIB), ``saved_by``."""
    if not has_table(con, "award_preset"):
        return pd.DataFrame(columns=["name", "saved_at", "saved_by"])
    return con.execute("SELECT name, saved_at, saved_by FROM award_preset WHERE year = ? ORDER BY name", [year]).df()


def load_preset(con: duckdb.DuckDBPyConnection, name: str, year: int) -> AwardSettings:
    """The settings saved as ``name`` for ``year``.

    Raises:
        AwardError: no such preset (``unknown_preset``).
    """
    rows = con.execute("SELECT settings_json FROM award_preset WHERE name = ? AND year = ?", [name, year]).fetchall() \
        if has_table(con, "award_preset") else []
    if not rows:
        raise AwardError("unknown_preset", f"no preset {name!r} for {year}")
    return AwardSettings.from_dict(json.loads(rows[0][0]))


def freeze(con: duckdb.DuckDBPyConnection, result: AwardResult, user: str | None = None) -> None:
    """Store ``result`` as the final ranking of its year.

    Raises:
        AwardError: the year is already frozen (``already_frozen``) or the result has no
            data version (``bad_setting``: it was not read from this database).
    """
    if result.data_version is None:
        raise AwardError("bad_setting", "only a ranking read from the database can be frozen")
    if frozen(con, result.year) is not None:
        raise AwardError("already_frozen", f"the {result.year} ranking is already frozen")
    payload = to_json(result) | {"cop_keys": list(result.ranking["cop_key"])}
    con.execute("INSERT INTO award_frozen VALUES (?, ?, ?, ?, ?, ?)",
                [result.year, json.dumps(result.settings.to_dict()), json.dumps(payload, ensure_ascii=False),
                 result.data_version, _now(), _user(user)])
    log.info("award ranking frozen year=%s data_version=%s", result.year, result.data_version)


def frozen(con: duckdb.DuckDBPyConnection, year: int) -> dict | None:
    """The frozen ranking of ``year`` or None: {"settings": AwardSettings, "result": the
    stored JSON (``metrics.award.to_json`` shape), "data_version", "frozen_at", "frozen_by"}."""
    if not has_table(con, "award_frozen"):
        return None
    rows = con.execute("SELECT settings_json, result_json, data_version, frozen_at, frozen_by FROM award_frozen "
                       "WHERE year = ?", [year]).fetchall()
    if not rows:
        return None
    settings, result, version, at, by = rows[0]
    return {"settings": AwardSettings.from_dict(json.loads(settings)), "result": json.loads(result),
            "data_version": version, "frozen_at": at, "frozen_by": by}
