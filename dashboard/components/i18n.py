"""Every word a person reads, in Indonesian (default) and English, from gettext catalogues.

Source strings (msgids) are English, the gettext convention; the catalogues are
``locale/<lang>/LC_MESSAGES/messages.po`` (``id`` and ``en``), edited by a translator
without touching code. They are read from the ``.po`` text with Babel when first used
and compiled in memory (no binary ``.mo`` in git and no build step at setup: a clean
checkout runs as it is, and an edited ``.po`` takes effect at the next start).

In code:
- ``tr("Import history", lang)``: the text in ``lang`` (``id`` or ``en``);
- ``ntr("{n} row", "{n} rows", n, lang)``: plural forms by the catalogue's rule;
- ``N_("...")``: marks a text for extraction where it is translated later (tables of labels);
- ``_("...")``: ``tr`` in the current session's language (``dashboard.state.lang``).

A msgid missing from a catalogue shows in English; ``tests/test_i18n.py`` fails on any
msgid in code without a translation in both catalogues. After adding texts run
``python -m dashboard.i18n_catalogue`` (extracts with ``babel.cfg``, merges, lists what is
left to translate), then fill the empty ``msgstr`` in ``locale/id/.../messages.po``.

``register``/``t`` (keyed texts with both languages inline) are the older interface, kept
so code written against it still runs; new code uses ``tr``.
"""
from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
DOMAIN = "messages"


def po_path(lang: str) -> Path:
    """The catalogue file of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``lang`` (read once per process).

    Raises:
        ValueError: ``lang`` is not one of ``LANGUAGES``.
        FileNotFoundError: the catalogue file is missing.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    with po_path(lang).open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def tr(msgid: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """``msgid`` (English source text) in ``lang``; the msgid itself when untranslated."""
    return translations(lang).gettext(msgid)


def ntr(singular: str, plural: str, n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The singular or plural text for the count ``n`` in ``lang`` (not formatted: call ``.format``)."""
    return translations(lang).ngettext(singular, plural, n)


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction without translating it now."""
    return msgid


def _(msgid: str) -> str:
    """``msgid`` in the current session's language."""
    from dashboard.state import lang
    return tr(msgid, lang())


# --- the older keyed interface ---------------------------------------------------------
TEXTS: dict[str, dict[str, str]] = {}


def register(texts: dict[str, dict[str, str]]) -> None:
    """Add keyed texts ``{key: {"id": ..., "en": ...}}`` (older interface; use ``tr``).

    Raises:
        ValueError: a key already registered with other words.
    """
    for key, words in texts.items():
        if TEXTS.setdefault(key, words) != words:
            raise ValueError(f"text key {key!r} registered twice with different words")


def t(key: str, lang: str) -> str:
    """The keyed text ``key`` in ``lang``: the catalogue's translation of its English words
    when the catalogue has one, else the words registered inline (older interface)."""
    english = TEXTS[key]["en"]
    found = tr(english, lang)
    return TEXTS[key][lang] if found == english and lang != "en" else found
