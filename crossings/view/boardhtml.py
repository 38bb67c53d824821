"""What the page's status board and /lite write alike as HTML: the Arabic-script font's faces, a status as a
class suffix and a crossing's name cell. Plain strings: no Streamlit, no web framework. Every text from the data
is escaped here (html.escape)."""

from __future__ import annotations

from html import escape

from crossings.core.records import UNKNOWN
from crossings.view.board import MARKS, BoardRow

__all__ = ["ARABIC_FONT", "FONT_FACES", "name_html", "tone"]

# The Arabic-script font, from the app's own static files (static/fonts, SIL Open Font License), for the
# right-to-left languages only. Relative URLs: right under any baseUrlPath, and allowed by /lite's
# Content-Security-Policy (font-src 'self').
ARABIC_FONT = "Noto Naskh Arabic"
FONT_FACES = "".join(
    f"@font-face {{ font-family: '{ARABIC_FONT}'; font-weight: {weight}; font-display: swap; "
    f"src: url('app/static/fonts/NotoNaskhArabic-{style}.ttf') format('truetype'); }}\n"
    for weight, style in ((400, "Regular"), (700, "Bold")))


def tone(status: str) -> str:
    """A status as a CSS class suffix: one of the known statuses, never text from the store."""
    return status if status in MARKS else UNKNOWN


def name_html(row: BoardRow) -> str:
    """The crossing's name in the board's language when a source gives it, the name in Latin letters beside it as
    a tooltip; else the name in Latin letters. Isolated (bdi), so that it keeps its direction in either."""
    if row.local_name:
        return f'<bdi title="{escape(row.name)}">{escape(row.local_name)}</bdi>'
    return f"<bdi>{escape(row.name)}</bdi>"
