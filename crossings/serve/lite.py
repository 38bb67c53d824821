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
from crossings.core.commitments import IN_FORCE, Commitment
from crossings.core.records import TRAFFIC_KINDS, UNKNOWN
from crossings.core.sources import STALE_AFTER_DAYS
from crossings.view.board import KIND_LABELS, MARKS, MARKS_LEGEND, STATUS_COLOURS, Board, BoardRow, plan_board
from crossings.view.filters import Filters, to_query
from crossings.view.plan import plan_view
from crossings.view.store import Content, interval_rows
from crossings.view.words import counted, currency_text

__all__ = ["HEADERS", "MAX_ROWS", "lite_error", "lite_page"]

# Crossings the page lists at most: every crossing of the curated data, and a bound that keeps the page small
# on a store of thousands (the form narrows it to a border).
MAX_ROWS = 200
# Nothing but the page's own inline style may load or run, and its form may only ask this server.
HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                      "base-uri 'none'; frame-ancestors 'none'"}

# Kinds' cells are the 4th to 8th of a row; on a narrow screen a row wraps and each mark is preceded by its
# kind's name (from the stylesheet: a name per cell would double the page's size).
FIRST_KIND_COLUMN = 4
STYLE = """
body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff;
  max-width: 75rem; margin: 0 auto; padding: 0.5em 0.75em; }
h1 { font-size: 1.35em; margin: 0.2em 0; }
h2 { font-size: 1em; margin: 0.8em 0 0.2em; }
p { margin: 0.25em 0; }
a { color: #1f4e79; }
.answer { font-size: 1.05em; }
table { border-collapse: separate; border-spacing: 0 2px; }
th, td { text-align: left; padding: 1px 0.5em 1px 0; vertical-align: baseline; }
td { white-space: nowrap; }
td:last-child { white-space: normal; }
thead th { font-size: 0.8em; }
th.xb-border { padding-top: 0.45em; font-size: 0.85em; }
td.xb-name { font-weight: 600; border-left: 5px solid; padding-left: 0.35em; white-space: normal; }
.xb-word, .xb-k { border-radius: 4px; padding: 0 0.3em; white-space: nowrap; }
.xb-word { font-weight: 600; }
.xb-stale { font-size: 0.8em; border: 1px solid; border-radius: 4px; padding: 0 0.2em; }
td:nth-child(3), td:last-child, .small, form { font-size: 0.85em; }
td:nth-child(n+4) { text-align: center; padding-right: 0.2em; }
td:last-child { text-align: left; }
form { margin: 0.6em 0; }
ul { padding-left: 1.2em; margin: 0.2em 0; }
@media screen and (max-width: 50rem) {
  table, tbody, tr, td, th { display: block; }
  thead { display: none; }
  tr.xb-row { border-left: 5px solid; padding: 2px 0 2px 0.4em; margin-bottom: 3px; }
  td.xb-name { border: none; padding-left: 0; }
  td { display: inline; padding: 0 0.3em 0 0; white-space: normal; }
  td:nth-child(3) { display: inline-block; white-space: nowrap; }
  td:nth-child(4)::before, td:last-child::before { content: ""; display: block; }
""" + "".join(f'  td:nth-child({FIRST_KIND_COLUMN + n}) .xb-k::before {{ content: "{label} "; }}\n'
              for n, label in enumerate(KIND_LABELS.values())) + """}
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
""" + "".join(f".t-{status} {{ background: {tint}; }} tr.b-{status}, tr.b-{status} td.xb-name {{ border-left-color: "
              f"{strong}; }}\n" for status, (strong, tint) in STATUS_COLOURS.items())


def _tone(status: str) -> str:
    """A status as a class suffix: one of the known statuses, never text from the store."""
    return status if status in MARKS else UNKNOWN


def _row(row: BoardRow) -> str:
    stale = ' <span class="xb-stale">stale</span>' if row.stale else ""
    kinds = "".join(f'<td><span class="xb-k t-{_tone(k.status)}" title="{escape(k.kind)} {escape(k.status)}">'
                    f"{escape(k.mark)}</span></td>" for k in row.kinds)
    cited = ", ".join(f'<a href="{escape(r.url)}" title="{escape(r.label)}">{escape(r.publisher or r.title)}</a>'
                      if r.url else escape(r.publisher or r.title) for r in row.reports)
    report = (f"{row.last_report}" + (f": {cited}" if cited else "")) if row.last_report else "no dated report"
    return (f'<tr class="xb-row b-{_tone(row.status)}" data-crossing="{escape(row.crossing_id)}">'
            f'<td class="xb-name">{escape(row.name)}</td>'
            f'<td><span class="xb-word t-{_tone(row.status)}">{escape(row.status)}</span>{stale}</td>'
            f"<td>{escape(row.since_text)}</td>{kinds}<td>{report}</td></tr>")


def _board(board: Board) -> str:
    if not board.groups:
        return "<p>No crossing matches these parameters.</p>"
    status = "Status" if board.kind is None else f"Status ({escape(board.kind)})"
    kinds = board.groups[0].rows[0].kinds
    parts = [f'<table><thead><tr><th scope="col">Crossing</th><th scope="col">{status}</th><th scope="col">Since</th>'
             + "".join(f'<th scope="col" title="{escape(k.kind)}">{escape(k.label)}</th>' for k in kinds)
             + '<th scope="col">Last report</th></tr></thead>']
    for group in board.groups:
        parts.append(f'<tbody><tr><th class="xb-border" colspan="{4 + len(kinds)}" scope="rowgroup">'
                     f'{escape(group.border)} · {counted(len(group.rows), "crossing")}</th></tr>'
                     + "".join(_row(row) for row in group.rows) + "</tbody>")
    parts.append("</table>")
    if board.left_out:
        parts.append(f"<p>And {counted(board.left_out, 'more crossing')}: choose a border or crossings to see "
                     "them.</p>")
    return "".join(parts)


def _commitments(items: Sequence[Commitment]) -> str:
    if not items:
        return "<p>None in force on the as-of date.</p>"
    return "<ul>" + "".join(f"<li><strong>{escape(c.title)}</strong> ({escape(c.scope)}): {escape(c.text)}</li>"
                            for c in items) + "</ul>"


def _form(filters: Filters, as_of: date, countries: Sequence[str]) -> str:
    """Change the date, border and kind without JavaScript; the crossings asked for stay chosen."""
    def options(values: Sequence[str], chosen: str | None, names: dict[str, str]) -> str:
        return "".join(f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(names.get(v, v))}'
                       "</option>" for v in values)

    country = filters.countries[0] if len(filters.countries) == 1 else None
    kept = "".join(f'<input type="hidden" name="crossing" value="{escape(c)}">' for c in filters.crossing_ids)
    if filters.known_by:
        kept += f'<input type="hidden" name="known_by" value="{filters.known_by}">'
    return ('<form method="get" action="lite">'
            f'<label>As of <input type="date" name="as_of" value="{as_of}"></label> '
            f'<label>Border <select name="country"><option value="">every border</option>'
            f"{options(countries, country, {c: country_name(c) for c in countries})}</select></label> "
            f'<label>Traffic <select name="traffic"><option value="">the whole crossing</option>'
            f"{options(TRAFFIC_KINDS, filters.traffic, {})}</select></label> {kept}"
            '<button type="submit">Show</button></form>')


def lite_page(request: Request, content: Content, filters: Filters) -> tuple[bytes, str, dict[str, str]]:
    """The /lite page for these filters (the routes' handler parses them and adds the ETag and cache headers)."""
    plan = plan_view(content.tables, content.indexes, filters, date.today())
    board = plan_board(plan, content.tables, content.indexes, lambda ids: interval_rows(content, ids),
                       with_reports=True, limit=MAX_ROWS)
    crossings = content.tables["crossings"]
    query = urlencode(to_query(filters, list(crossings["crossing_id"])), doseq=True)
    suffix = f"?{query}" if query else ""
    feed = urlencode([(k, v) for k, v in request.query_params.multi_items() if k in ("crossing", "country")])
    feed = f"?{feed}" if feed else ""
    kind = f" · for <strong>{escape(plan.traffic)}</strong>" if plan.traffic else ""
    if filters.known_by:
        kind += f" · only what was reported by <strong>{filters.known_by}</strong>"
    answer = ""
    if board.answer:
        first, *rest = board.answer.sentences
        answer = (f'<p class="answer"><strong>{escape(first)}</strong>'
                  + "".join(f"<br>{escape(line)}" for line in rest) + "</p>")
    in_force = [c for c in plan.border_wide if c.state == IN_FORCE]
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Border Crossing Status, as of {plan.as_of}</title><style>{STYLE}</style></head><body>
<h1>Border Crossing Status</h1>
<p>As of <strong>{plan.as_of}</strong>{kind} · {escape(currency_text(plan.data_updated, plan.as_of))}</p>
<p class="nav small"><a href="./{escape(suffix)}">The full page</a> (map, timeline, tables, downloads) ·
<a href="api/v1/status{escape(suffix)}">JSON</a> · <a href="feed.atom{escape(feed)}">Atom feed</a></p>
{_form(filters, plan.as_of, countries_of(crossings))}
{answer}{_board(board)}
<p class="small">What moves: {escape(MARKS_LEGEND)} · stale: no report for more than {STALE_AFTER_DAYS} days.
Days count from the closing day up to the reopening day; unknown means no report, not open.</p>
<h2>Agreements and moratoria of a whole border in force</h2>
{_commitments(in_force)}
<p class="small">Border Crossing Status: open data (CC BY 4.0); every status cites its sources.</p>
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
({escape(", ".join(TRAFFIC_KINDS))}) and known_by (YYYY-MM-DD). <a href="lite">The page without parameters</a>.</p>
</body></html>
""", status_code=status, headers=HEADERS)
