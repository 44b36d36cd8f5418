"""What every page shares: the chosen language and year (kept in the URL query), the one
way to the store (``reading``, ``writing``, ``db_path``: pages import nothing of
``data.store``), and cached reads from the metrics layer keyed by the database's data
version, so nobody sees numbers from before an import. Caches are bounded (``max_entries``,
``ttl``)."""
from __future__ import annotations

import streamlit as st

from dashboard.components.escape import md
from dashboard.components.i18n import DEFAULT_LANGUAGE, LANGUAGES, tr
from dashboard.session import COOKIE_NAME, read_cookie, remember_language, remembered_language
from data.ops.audit import audit_entries, audit_file
from data.errors import DatabaseBusy
from data.store.connection import connect, data_stamp, db_path, get_meta
from data.store.writer_queue import writer_active
from metrics.agencies import closest_skpd, official_skpd
from metrics.kpi import Scope
from metrics.imports import import_history, rejected_rows, source_freshness, unknown_agencies, zero_headcounts
from metrics.outlook import outlook
from metrics.overview import available_years, data_version, overview

CACHE_TTL_S = 600
CACHE_ENTRIES = 64


def reading(path=None):
    """A read-only connection to the served database (``path``, default ``db_path()``), as a
    context manager: ``with reading(path) as con: metrics.x(con, ...)``. It waits while an
    import holds the file (bounded by the ``lock_wait_s`` setting).

    Raises:
        DatabaseBusy: the file stayed held past the wait."""
    return connect(path or db_path(), read_only=True)


def writing(path=None):
    """A read-write connection to the served database, for the pages' small writes (targets,
    presets, subscriptions, undo), as a context manager; committed when the block ends.

    Raises:
        DatabaseBusy: the file stayed held past the wait."""
    return connect(path or db_path())


def lang() -> str:
    """The page language, ``id`` (default) or ``en``, chosen once and kept.

    A ``?lang=`` in the URL (a shared link, a reload) wins; otherwise the session's
    choice; otherwise, in a new tab, the language the logged-in person last chose
    (``choose_language``, found through the login cookie); otherwise Indonesian. The choice is
    written back to the session and the URL, so it survives a move to another page
    (``st.navigation`` drops the query) and a reload (the URL keeps it).
    """
    wanted = st.query_params.get("lang")
    kept = st.session_state.get("lang")
    if wanted in LANGUAGES:
        chosen = wanted
    else:
        chosen = kept or remembered_language(_login_id()) or DEFAULT_LANGUAGE
    st.session_state["lang"] = chosen
    login = st.session_state.get("session_id")
    if login and remembered_language(login) is None:      # a choice made on the login form
        remember_language(login, chosen)
    if wanted != chosen:
        st.query_params["lang"] = chosen
    return chosen


def choose_language(language: str) -> None:
    """The person picked ``language``: for this session, its URL and their login's other tabs."""
    st.session_state["lang"] = language
    st.query_params["lang"] = language
    login = st.session_state.get("session_id")
    if login:
        remember_language(login, language)


def _login_id() -> str | None:
    """This session's login id: set at login, else read from a valid login cookie (a new tab)."""
    if "session_id" in st.session_state:
        return st.session_state["session_id"]
    claim = read_cookie(st.context.cookies.get(COOKIE_NAME))
    return claim["s"] if claim else None


_LAST_COMMITTED: dict[str, str] = {}     # database path -> cache key of the last state read with no writer at work


def current_version() -> tuple[str, str]:
    """(database path, cache key): the key (``data.store.connection.data_stamp``) changes with every write
    to the file (import, undo, target change) and is read without opening the database.
    A file that does not exist yet is created (and its schema with it) first.

    While an import (any read-write holder, ``data.store.writer_queue.writer_active``) is at work,
    readers get the key of the last committed state this server read, so the shared caches
    answer without waiting for the file, and the page says so; a server that has read
    nothing yet waits for the import (bounded by ``lock_wait_s``) and says that instead."""
    path = db_path()
    if not path.exists():
        with connect(path, read_only=True):
            pass
    stamp = data_stamp(path)
    if not writer_active(path):
        _LAST_COMMITTED[str(path)] = stamp
        return str(path), stamp
    language = lang()
    last = _LAST_COMMITTED.get(str(path))
    if last is None:
        st.info(tr("An import is running: waiting for it to finish…", language), icon=":material/hourglass_top:")
        return str(path), stamp
    st.info(tr("An import is running: these figures are from before it; they are brought up to date when it ends.",
               language), icon=":material/history:")
    return str(path), last


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_data_version(path: str, version: str) -> str:
    """``metrics.overview.data_version`` (import and target-change counts), as shown in reports."""
    with connect(path, read_only=True) as con:
        return data_version(con)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_years(path: str, version: str) -> list[int]:
    """Years with data, newest first (``metrics.overview.available_years``)."""
    with connect(path, read_only=True) as con:
        return available_years(con)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_overview(path: str, version: str, year: int, skpd: str | None, period=None):
    """``metrics.overview.overview`` for the year (or ``period``, a ``metrics.grain.Period``) and scope."""
    with connect(path, read_only=True) as con:
        return overview(con, year, Scope(skpd), period=period)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_imports(path: str, version: str):
    """(import history, rejected rows, source freshness, unknown agency names, zero headcounts)
    from ``metrics.imports``."""
    with connect(path, read_only=True) as con:
        return (import_history(con), rejected_rows(con), source_freshness(con), unknown_agencies(con),
                zero_headcounts(con))


def cached_audit(path: str, version: str):
    """The newest audit rows (``data.ops.audit.audit_entries``), read again when the database or
    its audit file changes."""
    audit = audit_file(path)
    stamp = audit.stat().st_mtime_ns if audit.exists() else 0
    return _cached_audit(path, version, stamp)


@st.cache_data(ttl=60, max_entries=8, show_spinner=False)
def _cached_audit(path: str, version: str, audit_stamp: int):
    with connect(path, read_only=True) as con:
        return audit_entries(con)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_freshness(path: str, version: str):
    """Newest import per source (``metrics.imports.source_freshness``): no personal data."""
    with connect(path, read_only=True) as con:
        return source_freshness(con)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_outlook(path: str, version: str, year: int, skpd: str | None, as_of=None, period=None):
    """``metrics.outlook.outlook`` for the year (or ``period``) and scope, months complete at ``as_of``."""
    with connect(path, read_only=True) as con:
        return outlook(con, year, Scope(skpd), as_of, period=period)


@st.cache_data(ttl=CACHE_TTL_S, max_entries=CACHE_ENTRIES, show_spinner=False)
def cached_is_demo(path: str, version: str) -> bool:
    """The database is the product's demo (meta ``is_demo``)."""
    with connect(path, read_only=True) as con:
        return get_meta(con, "is_demo") == "true"


def is_demo() -> bool:
    """The served database is the demo (False while it is too busy to tell)."""
    try:
        return cached_is_demo(*current_version())
    except DatabaseBusy:
        return False


def demo_banner(language: str) -> bool:
    """On the demo database, the banner every page shows (and True); else nothing (False)."""
    demo = is_demo()
    if demo:
        st.info(tr("Demo data: the numbers here are generated by the product, not field data.", language),
                icon=":material/science:")
    return demo


def year_selector(path: str, version: str, label: str) -> int | None:
    """A year select box in the sidebar, kept in the URL query ``tahun``; None when no data."""
    years = cached_years(path, version)
    if not years:
        return None
    wanted = st.query_params.get("tahun")
    index = years.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in years else 0
    if wanted and years[index] != (int(wanted) if wanted.isdigit() else None):
        st.warning(f"{md(wanted)}: {tr('no data for this year', lang())}"
                   f" → {years[index]}")
    year = st.sidebar.selectbox(label, years, index=index)
    st.query_params["tahun"] = str(year)
    return year


def wanted_agency(language: str, fallback: str) -> str | None:
    """The agency the URL query ``skpd`` names, as its official name: resolved through the
    product's agency table as the importer matches names (``metrics.agencies.official_skpd``:
    abbreviation, aliases, case, the "Provinsi DKI Jakarta" suffix). None when the query has
    no ``skpd``, or when it names no agency: then a warning names the value, the closest
    official names and what is shown instead (``fallback``), and never switches silently."""
    raw = st.query_params.get("skpd")
    if not raw:
        return None
    official = official_skpd(raw)
    if official is None:
        st.warning(tr("{name}: no agency has this name, abbreviation or alias (closest: {closest}) → {shown}", language)
                   .format(name=md(raw), closest=md(", ".join(closest_skpd(raw))), shown=md(fallback)))
    return official


__all__ = ["DatabaseBusy", "db_path", "reading", "writing", "lang", "choose_language", "current_version", "cached_overview", "cached_imports", "year_selector", "wanted_agency"]
