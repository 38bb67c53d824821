"""Text from the data shown as inert text: never markup (which URLs become links: crossings.view.tables)."""

from __future__ import annotations

import html
import re

__all__ = ["hover_text", "markdown_text"]

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str | None) -> str:
    """Escape every ASCII punctuation mark so Markdown (and Streamlit's :directives:) read it as text.

    CommonMark lets any ASCII punctuation be backslash-escaped, so this turns links, emphasis,
    HTML tags, code spans, LaTeX dollars and emoji shortcodes alike into the characters they are.
    Newlines become spaces: a note is one paragraph on a card.
    """
    if not isinstance(text, str) or not text:
        return ""
    return _ASCII_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def hover_text(text: str | None, limit: int = 300) -> str:
    """For Plotly hover labels, which read a few HTML tags: escape everything, cut long text."""
    if not isinstance(text, str) or not text:
        return ""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return html.escape(text, quote=True)
