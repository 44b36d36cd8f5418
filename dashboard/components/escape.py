"""Text from outside the product shown literally, never as Markdown or HTML.

Streamlit renders the body of ``st.markdown`` / ``st.write`` (of a string) / ``st.caption`` /
``st.warning`` / ``st.info`` / ``st.error`` / ``st.success`` / ``st.toast``, the labels of
expanders, tabs, metrics and widgets, and ``help`` tooltips as Markdown: links and images
(the browser fetches an image at once), ``:red[...]`` colour directives, ``$...$`` math and,
with ``unsafe_allow_html``, HTML. Text that comes from a URL query, a file's cells, title
rows or sheet names, a file name or a user name goes through ``md`` before it is put into
such a string; the page's own words around it stay Markdown. Tables (``st.dataframe``),
``st.text`` and ``st.code`` never render Markdown and need nothing.
"""
from __future__ import annotations

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


__all__ = ["md"]
