"""A decimal typed the way the page's language writes it: ``0,3`` in Indonesian, ``0.3`` in
English, never misread.

Streamlit's ``st.number_input`` is a browser number field: it ignores the page locale, so
``0,3`` typed in Indonesian mode was read as ``3``. ``decimal_input`` is a text field parsed
with Babel in the page's locale (strict: ``0.3`` in Indonesian mode is refused as ambiguous,
not read as 3), checked against its bounds, and followed by the value the page will use.
"""
from __future__ import annotations

from decimal import Decimal

import streamlit as st
from babel.numbers import NumberFormatError, parse_decimal

from dashboard.components import format as fmt
from dashboard.components.i18n import tr


class NumberTextError(ValueError):
    """Typed text that is not a number in the page's locale, or is out of bounds."""


def parse_number(text: str, lang: str, *, min_value: float | None = None, max_value: float | None = None) -> float:
    """The number ``text`` stands for in ``lang``'s notation (``'0,3'`` in ``id`` -> 0.3,
    ``'1.234,5'`` -> 1234.5; ``'0.3'`` in ``en`` -> 0.3).

    Raises:
        NumberTextError: empty, not a number in that notation (``'0.3'`` in ``id`` is
            refused, never read as 3), or outside ``min_value``..``max_value``; the message is
            in ``lang``.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    example = fmt.dec(0.3, lang, 1)
    try:
        if not cleaned:
            raise NumberFormatError("empty")
        value = parse_decimal(cleaned, locale=fmt.LOCALES[lang], strict=True)
    except NumberFormatError as problem:
        raise NumberTextError(tr("“{text}” is not a number as written here (for example {example})", lang)
                              .format(text=text, example=example)) from problem
    if (min_value is not None and value < Decimal(str(min_value))) or \
            (max_value is not None and value > Decimal(str(max_value))):
        raise NumberTextError(tr("{value} is outside {low}–{high}", lang).format(
            value=fmt.dec(float(value), lang), low=fmt.dec(min_value, lang), high=fmt.dec(max_value, lang)))
    return float(value)


def whole_number(text: str, lang: str, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """``parse_number`` for a count (``'1.234'`` in ``id`` -> 1234).

    Raises:
        NumberTextError: as ``parse_number``, or the number has a fraction.
    """
    value = parse_number(text, lang, min_value=min_value, max_value=max_value)
    if value != int(value):
        raise NumberTextError(tr("“{text}” is not a whole number", lang).format(text=text))
    return int(value)


def text_refused(key: str) -> bool:
    """The text last typed into ``decimal_input(key=key)`` could not be used (its error is
    shown under the field); the value returned then is the previous one, not what was typed."""
    return bool(st.session_state.get(f"{key}__refused", False))


def decimal_input(label: str, value: float, *, lang: str, key: str, min_value: float | None = None,
                  max_value: float | None = None, digits: int = 2, container=st) -> float:
    """A text field for a decimal in ``lang``'s notation; returns the value used (an int
    when ``digits`` is 0: a count such as ``1.234``).

    ``st.session_state[key]`` holds the value (a float: set it to change the field, e.g. from
    a preset); the text widget itself is keyed per language, so switching language re-shows
    the value in the new notation. Text that cannot be read shows an error under the field
    and the previous value stays in use (``text_refused(key)`` is then True: a form that
    saves must not save that value); a value read from text written differently from its
    canonical form (``0,3``) is echoed (``→ 0,30``).
    """
    current = st.session_state.get(key, value)
    widget = f"{key}__text_{lang}"
    canonical = fmt.num(current, lang) if not digits else fmt.dec(current, lang, digits)
    if widget not in st.session_state or st.session_state.get(f"{key}__shown") != current:
        st.session_state[widget] = canonical                   # first show, or changed elsewhere (a preset)
    text = container.text_input(label, key=widget)
    try:
        if digits:
            used = parse_number(text, lang, min_value=min_value, max_value=max_value)
        else:
            used = whole_number(text, lang, min_value=min_value, max_value=max_value)
    except NumberTextError as problem:
        container.error(f"{problem} → {canonical}", icon=":material/error:")
        used = current
        st.session_state[f"{key}__refused"] = True
    else:
        st.session_state[f"{key}__refused"] = False
        shown = fmt.num(used, lang) if not digits else fmt.dec(used, lang, digits)
        if text.strip() != shown:
            container.caption(f"→ {shown}")
    st.session_state[key] = used
    st.session_state[f"{key}__shown"] = used
    return used
