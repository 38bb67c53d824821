"""/lite: what can cross where, as one small HTML page for a slow connection, an old phone or a text browser,
and printed on one A4 sheet for a convoy plan. No script, no external resource (a Content-Security-Policy says
so to the browser too); a form without JavaScript changes the date, the border and the kind of traffic.

Its numbers are the API's: plan_view and plan_cards, through the view's status board. Every text from the data
is escaped (html.escape); only http(s) URLs become links (crossings.view.tables.safe_link, in the board)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse

from crossings.core.borders import countries_of, country_name
from crossings.core.commitments import IN_FORCE, Commitment, commitment_text
from crossings.core.records import TRAFFIC_KINDS
from crossings.core.sources import STALE_AFTER_DAYS
from crossings.view.board import (
    KIND_LABELS,
    KIND_NAMES,
    MARKS_LEGEND,
    STATUS_COLOURS,
    STATUS_WORDS,
    Board,
    BoardRow,
    plan_board,
)
from crossings.view.boardhtml import ARABIC_FONT, name_html, tone
from crossings.view.boardhtml import FONT_FACES as BOARD_FONT_FACES
from crossings.view.filters import Filters, to_query
from crossings.view.i18n import LANGUAGE_NAMES, LANGUAGES, N_, NP_, Translator, translator
from crossings.view.plan import plan_view
from crossings.view.store import Content, interval_rows
from crossings.view.words import currency_words

__all__ = ["HEADERS", "MAX_ROWS", "lite_error", "lite_page"]

# Crossings the page lists at most: every crossing of the curated data, and a bound that keeps the page small
# on a store of thousands (the form narrows it to a border).
MAX_ROWS = 200
# Nothing but the page's own inline style may load or run, and its form may only ask this server.
HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; "
                                      "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
           "Vary": "Accept-Language"}

# The messages this page translates inside f-strings, where Babel's extractor cannot see a call (Python 3.11 reads an
# f-string as one token): marked here for the catalogues. tests/test_i18n.py finds any call the extractor missed.
FSTRING_MESSAGES = (
    N_("stale"), N_("No crossing matches these parameters."), N_("Crossing"), N_("Since"), N_("Last report"),
    N_("None in force on the as-of date."), N_("As of"), N_("Border"), N_("every border"), N_("Traffic"),
    N_("the whole crossing"), N_("Show"), N_("Border Crossing Status, as of {day}"), N_("Border Crossing Status"),
    N_("The full page"), N_("map, timeline, tables, downloads"), N_("Atom feed"), N_("What moves: {legend}"),
    NP_("stale: no report for more than {count} day.", "stale: no report for more than {count} days."),
    N_("Days count from the closing day up to the reopening day; unknown means no report, not open."),
    N_("Agreements and moratoria of a whole border in force"),
    N_("Border Crossing Status: open data (CC BY 4.0); every status cites its sources."),
)

STYLE = """
body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
  background: #fff;
  max-width: 75rem; margin: 0 auto; padding: 0.5em 0.75em; }
h1 { font-size: 1.35em; margin: 0.2em 0; }
h2 { font-size: 1em; margin: 0.8em 0 0.2em; }
p { margin: 0.25em 0; }
a { color: #1f4e79; }
.answer { font-size: 1.05em; }
table { border-collapse: separate; border-spacing: 0 2px; }
th, td { text-align: start; padding-block: 1px; padding-inline: 0 0.5em; vertical-align: baseline; }
td { white-space: nowrap; }
td:last-child { white-space: normal; }
thead th { font-size: 0.8em; }
th.xb-border { padding-top: 0.45em; font-size: 0.85em; }
td.xb-name { font-weight: 600; border-inline-start: 5px solid; padding-inline-start: 0.35em; white-space: normal; }
.xb-word, .xb-k { border-radius: 4px; padding: 0 0.3em; white-space: nowrap; }
.xb-word { font-weight: 600; }
.xb-stale { font-size: 0.8em; border: 1px solid; border-radius: 4px; padding: 0 0.2em; }
td:nth-child(3), td:last-child, .small, form { font-size: 0.85em; }
td:nth-child(n+4) { text-align: center; padding-inline-end: 0.2em; }
td:last-child { text-align: start; }
form { margin: 0.6em 0; }
ul { padding-inline-start: 1.2em; margin: 0.2em 0; }
.lang a, .lang strong { margin-inline-end: 0.6em; }
@media screen and (max-width: 50rem) {
  table, tbody, tr, td, th { display: block; }
  thead { display: none; }
  tr.xb-row { border-inline-start: 5px solid; padding-block: 2px; padding-inline: 0.4em; margin-bottom: 3px; }
  td.xb-name { border: none; padding-inline-start: 0; }
  td { display: inline; padding-block: 0; padding-inline: 0 0.3em; white-space: normal; }
  td:nth-child(3) { display: inline-block; white-space: nowrap; }
  .xb-k { display: inline-block; }
  td:nth-child(4)::before, td:last-child::before { content: ""; display: block; }
}
@media print {
  @page { size: A4; margin: 8mm; }
  body { font-size: 8.5pt; line-height: 1.25; max-width: none; padding: 0; }
  h1 { font-size: 12pt; margin: 0; }
  h2 { font-size: 9.5pt; margin: 4pt 0 1pt; }
  p { margin: 1pt 0; }
  .answer { font-size: 9.5pt; }
  form, .nav { display: none; }
  a { color: inherit; text-decoration: none; }
  table { border-spacing: 0 1px; }
  th.xb-border { padding-top: 2pt; }
  tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""" + "".join(f".t-{status} {{ background: {tint}; }} tr.b-{status}, tr.b-{status} td.xb-name {{ "
              f"border-inline-start-color: {strong}; }}\n" for status, (strong, tint) in STATUS_COLOURS.items())
# The Arabic-script font (boardhtml.FONT_FACES) for right-to-left pages.
FONT_FACES = (f"\n{BOARD_FONT_FACES}body {{ font-family: '{ARABIC_FONT}', system-ui, -apple-system, 'Segoe UI', "
              "Roboto, sans-serif; }\n")


# Kinds' cells are the 4th to 8th of a row; on a narrow screen a row wraps and each mark is preceded by its
# kind's name, in the page's language, from the stylesheet (a name in each cell would make the page a fifth larger).
FIRST_KIND_COLUMN = 4


def _kind_labels(tr: Translator) -> str:
    return ("@media screen and (max-width: 50rem) {\n" + "".join(
        f'  td:nth-child({FIRST_KIND_COLUMN + n}) .xb-k::before {{ content: "{tr._(KIND_LABELS[kind])} "; }}\n'
        for n, kind in enumerate(TRAFFIC_KINDS)) + "}\n")


def _row(row: BoardRow, tr: Translator) -> str:
    stale = f' <span class="xb-stale">{escape(tr._("stale"))}</span>' if row.stale else ""
    kinds = "".join(f'<td><span class="xb-k t-{tone(k.status)}" title="{escape(k.kind)} {escape(k.status)}">'
                    f"{escape(k.mark)}</span></td>" for k in row.kinds)
    cited = ", ".join(f'<a href="{escape(r.url)}" title="{escape(r.label)}"><bdi>{escape(r.publisher or r.title)}'
                      "</bdi></a>" if r.url else f"<bdi>{escape(r.publisher or r.title)}</bdi>" for r in row.reports)
    report = ((escape(tr.date(row.last_report)) + (f": {cited}" if cited else "")) if row.last_report
              else escape(tr._("no dated report")))
    word = tr._(STATUS_WORDS.get(row.status, row.status))
    return (f'<tr class="xb-row b-{tone(row.status)}" data-crossing="{escape(row.crossing_id)}">'
            f"<td class=\"xb-name\">{name_html(row)}</td>"
            f'<td><span class="xb-word t-{tone(row.status)}">{escape(word)}</span>{stale}</td>'
            f"<td>{escape(row.since_text)}</td>{kinds}<td>{report}</td></tr>")


def _board(board: Board, tr: Translator) -> str:
    if not board.groups:
        return f"<p>{escape(tr._('No crossing matches these parameters.'))}</p>"
    status = (escape(tr._("Status")) if board.kind is None
              else escape(tr._("Status ({kind})", kind=tr._(KIND_NAMES[board.kind]))))
    kinds = board.groups[0].rows[0].kinds
    parts = [f'<table><thead><tr><th scope="col">{escape(tr._("Crossing"))}</th><th scope="col">{status}</th>'
             f'<th scope="col">{escape(tr._("Since"))}</th>'
             + "".join(f'<th scope="col" title="{escape(tr._(KIND_NAMES[k.kind]))}">{escape(k.label)}</th>'
                       for k in kinds)
             + f'<th scope="col">{escape(tr._("Last report"))}</th></tr></thead>']
    for group in board.groups:
        count = tr.n_("{count} crossing", "{count} crossings", len(group.rows))
        parts.append(f'<tbody><tr><th class="xb-border" colspan="{4 + len(kinds)}" scope="rowgroup">'
                     f"{escape(group.border)} · {escape(count)}</th></tr>"
                     + "".join(_row(row, tr) for row in group.rows) + "</tbody>")
    parts.append("</table>")
    if board.left_out:
        parts.append("<p>" + escape(tr.n_("And {count} more crossing: choose a border or crossings to see it.",
                                          "And {count} more crossings: choose a border or crossings to see them.",
                                          board.left_out)) + "</p>")
    return "".join(parts)


def _commitments(items: Sequence[Commitment], tr: Translator) -> str:
    if not items:
        return f"<p>{escape(tr._('None in force on the as-of date.'))}</p>"
    return "<ul>" + "".join(f"<li><strong><bdi>{escape(c.title)}</bdi></strong> ({escape(tr.border_scope(c.scope))}): "
                            f"{escape(commitment_text(c, tr))}</li>" for c in items) + "</ul>"


def _form(filters: Filters, as_of: date, countries: Sequence[str], tr: Translator) -> str:
    """Change the date, border and kind without JavaScript; the crossings asked for and the language stay chosen."""
    def options(values: Sequence[str], chosen: str | None, names: dict[str, str]) -> str:
        return "".join(f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(names.get(v, v))}'
                       "</option>" for v in values)

    country = filters.countries[0] if len(filters.countries) == 1 else None
    kept = "".join(f'<input type="hidden" name="crossing" value="{escape(c)}">' for c in filters.crossing_ids)
    if filters.known_by:
        kept += f'<input type="hidden" name="known_by" value="{filters.known_by}">'
    if tr.lang != "en":
        kept += f'<input type="hidden" name="lang" value="{escape(tr.lang)}">'
    return ('<form method="get" action="lite">'
            f'<label>{escape(tr._("As of"))} <input type="date" name="as_of" value="{as_of}"></label> '
            f'<label>{escape(tr._("Border"))} <select name="country"><option value="">'
            f'{escape(tr._("every border"))}</option>'
            f"{options(countries, country, {c: tr.country(country_name(c)) for c in countries})}</select></label> "
            f'<label>{escape(tr._("Traffic"))} <select name="traffic"><option value="">'
            f'{escape(tr._("the whole crossing"))}</option>'
            f"{options(TRAFFIC_KINDS, filters.traffic, {k: tr._(KIND_NAMES[k]) for k in TRAFFIC_KINDS})}</select>"
            f"</label> {kept}"
            f'<button type="submit">{escape(tr._("Show"))}</button></form>')


def _languages(tr: Translator, query: list[tuple[str, str]]) -> str:
    """Links to the same page in each language (the current one in bold), each named in itself."""
    links = []
    for lang in LANGUAGES:
        name = f'<bdi lang="{lang}">{escape(LANGUAGE_NAMES[lang])}</bdi>'
        if lang == tr.lang:
            links.append(f"<strong>{name}</strong>")
        else:
            href = "lite?" + urlencode([*query, ("lang", lang)])
            links.append(f'<a href="{escape(href)}" hreflang="{lang}" lang="{lang}">{name}</a>')
    return f'<p class="lang small">{"".join(links)}</p>'


def lite_language(request: Request) -> Translator:
    """The page's language: `lang` when given (the routes' handler has checked it), else the browser's
    Accept-Language, else English."""
    from crossings.view.i18n import negotiate, parse_lang

    asked = request.query_params.get("lang")
    return translator(parse_lang(asked) if asked else negotiate(request.headers.get("accept-language")))


def lite_page(request: Request, content: Content, filters: Filters) -> tuple[bytes, str, dict[str, str]]:
    """The /lite page for these filters (the routes' handler parses them and adds the ETag and cache headers), in
    the language lite_language finds."""
    tr = lite_language(request)
    plan = plan_view(content.tables, content.indexes, filters, date.today())
    board = plan_board(plan, content.tables, content.indexes, lambda ids: interval_rows(content, ids),
                       with_reports=True, limit=MAX_ROWS, tr=tr)
    crossings = content.tables["crossings"]
    query = urlencode(to_query(filters, list(crossings["crossing_id"])), doseq=True)
    suffix = f"?{query}" if query else ""
    page_suffix = suffix if tr.lang == "en" else (f"{suffix}&" if suffix else "?") + urlencode({"lang": tr.lang})
    feed = urlencode([(k, v) for k, v in request.query_params.multi_items() if k in ("crossing", "country", "lang")])
    feed = f"?{feed}" if feed else ""
    kind = (" · " + escape(tr._("for {kind}", kind=tr._(KIND_NAMES[plan.traffic])))) if plan.traffic else ""
    if filters.known_by:
        kind += " · " + escape(tr._("only what was reported by {day}", day=tr.date(filters.known_by)))
    answer = ""
    if board.answer:
        first, *rest = board.answer.sentences(tr)
        answer = (f'<p class="answer"><strong>{escape(first)}</strong>'
                  + "".join(f"<br>{escape(line)}" for line in rest) + "</p>")
    in_force = [c for c in plan.border_wide if c.state == IN_FORCE]
    others = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    as_of = f"<strong>{escape(tr.date(plan.as_of))}</strong>"
    body = f"""<!DOCTYPE html>
<html lang="{tr.lang}" dir="{tr.dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(tr._("Border Crossing Status, as of {day}", day=tr.date(plan.as_of)))}</title>
<style>{STYLE}{FONT_FACES if tr.rtl else ""}{_kind_labels(tr)}</style></head><body>
<h1>{escape(tr._("Border Crossing Status"))}</h1>
{_languages(tr, others)}
<p>{escape(tr._("As of"))} {as_of}{kind} · {escape(currency_words(plan.data_updated, plan.as_of, tr))}</p>
<p class="nav small"><a href="./{escape(page_suffix)}">{escape(tr._("The full page"))}</a>
({escape(tr._("map, timeline, tables, downloads"))}) ·
<a href="api/v1/status{escape(suffix)}">JSON</a> · <a href="feed.atom{escape(feed)}">{escape(tr._("Atom feed"))}</a></p>
{_form(filters, plan.as_of, countries_of(crossings), tr)}
{answer}{_board(board, tr)}
<p class="small">{escape(tr._("What moves: {legend}", legend=tr._(MARKS_LEGEND)))} ·
{escape(tr.n_("stale: no report for more than {count} day.", "stale: no report for more than {count} days.",
              STALE_AFTER_DAYS))}
{escape(tr._("Days count from the closing day up to the reopening day; unknown means no report, not open."))}</p>
<h2>{escape(tr._("Agreements and moratoria of a whole border in force"))}</h2>
{_commitments(in_force, tr)}
<p class="small">{escape(tr._("Border Crossing Status: open data (CC BY 4.0); every status cites its sources."))}</p>
</body></html>
"""
    return body.encode(), "text/html; charset=utf-8", HEADERS


def lite_error(status: int, message: str) -> HTMLResponse:
    """A bad parameter (400) or an unreadable store (503), as a page that says which and how to go on."""
    return HTMLResponse(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Border Crossing Status: {"bad request" if status == 400 else "not available"}</title></head><body>
<h1>Border Crossing Status</h1>
<p>{escape(message)}</p>
<p>/lite takes as_of (YYYY-MM-DD), crossing (repeatable), country (an ISO code, repeatable) and traffic
({escape(", ".join(TRAFFIC_KINDS))}), known_by (YYYY-MM-DD) and lang ({escape(", ".join(LANGUAGES))}).
<a href="lite">The page without parameters</a>.</p>
</body></html>
""", status_code=status, headers=HEADERS)
