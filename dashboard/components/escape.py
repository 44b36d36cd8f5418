"""Text from outside the product shown literally, never as Markdown or HTML.

Streamlit renders the body of ``st.markdown`` / ``st.write`` (of a string) / ``st.caption`` /
``st.warning`` / ``st.info`` / ``st.error`` / ``st.success`` / ``st.toast``, the labels of
expanders, tabs, metrics and widgets, and ``help`` tooltips as Markdown: links and images
(the browser fetches an image at once), ``:red[...]`` colour directives, ``$...$`` math and,
with ``unsafe_allow_html``, HTML. Text that comes from a URL query, a file's cells, title
rows or sheet names, a file name or a user name goes through ``md`` before it is put into
such a string; the page's own words around it stay Markdown. Tables (``st.dataframe``),
``st.text`` and ``st.code`` never render Markdown and need nothing. Chart text is
Plotly's own HTML subset: ``plain`` escapes it.
"""
from __future__ import annotations

import html
import string

_ESCAPES = str.maketrans({c: "\\" + c for c in string.punctuation})


def md(value: object) -> str:
    """``value`` as Markdown that shows exactly its characters.

    Every ASCII punctuation character gets a backslash (CommonMark shows ``\\x`` as ``x`` for
    any of them), which disarms links ``[t](u)``, images ``![t](u)``, autolinks
    (``http\\://``, ``www\\.``), directives ``:red[..]``, math ``$..$``, HTML ``<..>``,
    emphasis and headings. Line breaks and runs of white space become one space, so a
    value cannot start a block of its own (a heading, a list, a code block).

    Args:
        value: any object; ``None`` gives ``"None"`` like ``str``.

    Returns:
        The escaped text.
    """
    return " ".join(str(value).split()).translate(_ESCAPES)


def plain(value: object) -> str:
    """``value`` as Plotly chart text (a trace name, a category label) that shows exactly its
    characters: Plotly renders a small HTML subset there, ``<a href>`` included, and turns
    ``&lt;`` / ``&gt;`` / ``&amp;`` back into ``<`` ``>`` ``&`` (checked in chromium: a raw
    ``<a href=..>`` label became a link, the escaped one plain text). For names that come
    from files (CoP names); category values used by a click-through stay raw elsewhere."""
    return html.escape(str(value), quote=False)


__all__ = ["md", "plain"]
