"""Keeps the gettext catalogues (``locale/<lang>/LC_MESSAGES/messages.po``) in step with the code.

``python -m dashboard.i18n_catalogue`` extracts every text marked in the code (``tr``,
``ntr``, ``N_``, ``_``; the files listed in ``babel.cfg``) plus the KPI registry's labels
and descriptions, merges them into both catalogues (new texts get an empty ``msgstr``;
texts no longer used are dropped), fills the English catalogue's empty ``msgstr`` with the
msgid and the Indonesian KPI labels from the registry, and lists what is left to
translate. Exit code 1 when something is untranslated.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from dashboard.components.i18n import DOMAIN, LANGUAGES, po_path
from metrics.registry import KPIS

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"tr": (1,), "ntr": (1, 2), "N_": None, "_": None}


def extract_python_ast(fileobj, keywords, comment_tags, options):
    """Babel extraction method (``babel.cfg``: ``[dashboard.i18n_catalogue:extract_python_ast: ...]``):
    like Babel's own ``python`` method, but from the syntax tree, so calls inside f-strings
    are found too (Babel's tokenizer only sees into f-strings on Python 3.12+).

    Yields (line, function name, message or (singular, plural), comments) for calls whose
    function name is a keyword and whose message arguments are string literals.
    """
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in keywords:
            continue
        spec = KEYWORDS.get(name) or (1,)
        args = [node.args[i - 1] if len(node.args) >= i else None for i in spec if isinstance(i, int)]
        if not args or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            continue
        values = tuple(a.value for a in args)
        yield node.lineno, name, values if len(values) > 1 else values[0], []


def used_messages() -> Catalog:
    """Every msgid the product shows: extracted from the code, and the registry's labels and descriptions."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    template = Catalog(domain=DOMAIN, project="kmdash")
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for kpi in KPIS:
        template.add(kpi.label_en, None, [("metrics/registry.py", 0)])
        template.add(kpi.description, None, [("metrics/registry.py", 0)])
    return template


def untranslated(catalog: Catalog) -> list[str]:
    """msgids with an empty msgstr (any plural form empty counts)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def update(lang: str, template: Catalog) -> Catalog:
    """Merge ``template`` into ``lang``'s catalogue and write it back; returns the catalogue."""
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as source:
            catalog = read_po(source, locale=lang, domain=DOMAIN)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=lang, domain=DOMAIN, project="kmdash")
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    indonesian = {k.label_en: k.label_id for k in KPIS}
    for message in catalog:
        if not message.id or message.string and all(message.string):
            continue
        if lang == "en":
            message.string = message.id
        elif isinstance(message.id, str) and message.id in indonesian:
            message.string = indonesian[message.id]
    with path.open("wb") as target:
        write_po(target, catalog, width=100, sort_output=True, ignore_obsolete=True, no_location=True)
    return catalog


def main() -> int:
    """Update both catalogues; print what is left to translate."""
    template = used_messages()
    left = 0
    for lang in LANGUAGES:
        for msgid in untranslated(update(lang, template)):
            print(f"{lang}: untranslated: {msgid!r}")
            left += 1
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
