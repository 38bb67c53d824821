"""The HTTP routes served beside the page (app.py): a JSON API, the summary CSV by URL and an Atom
feed. Thin handlers: they parse the parameters as the page's URL does and call the view layer the page
and the CLI call, on the store as the view layer reads it (crossings.view.store). No Streamlit, no Plotly."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crossings.core.borders import chosen_crossings, countries_of
from crossings.core.commitments import IN_FORCE, Commitment, contradicted
from crossings.core.csvout import summary_csv
from crossings.core.records import TRAFFIC_KINDS
from crossings.serve import answers
from crossings.serve.answers import Answer, answer_key, json_bytes
from crossings.serve.feed import MAX_ENTRIES, atom_xml, change_entries, tag_authority
from crossings.serve.lite import lite_error, lite_page
from crossings.serve.paging import INTERVALS_PAGE_ROWS, PAGE_PARAMETERS, BadPage, next_link, page_of, page_request
from crossings.view.filters import Filters, parse_strictly
from crossings.view.i18n import LANGUAGES, N_, BadLanguage, negotiate, parse_lang, translator
from crossings.view.plan import interval_rows_table, plan_cards, plan_view
from crossings.view.store import (
    Content,
    StoreChanged,
    StoreUnreadable,
    content_for,
    interval_rows,
    kept_content,
    kept_content_for,
    read_store,
)
from crossings.view.tables import export_file_name

__all__ = ["ROUTES"]

# Clients may keep an answer this long; the ETag lets them ask cheaply whether it changed.
CACHE_SECONDS = 300
PUBLIC = {"Access-Control-Allow-Origin": "*"}

# route -> the parameters it takes (names and meanings as in the page's URL)
PARAMETERS = {
    "/api/v1/status": ("as_of", "crossing", "country", "traffic", "known_by"),
    "/api/v1/summary.csv": ("from", "to", "as_of", "crossing", "country", "traffic", "known_by"),
    "/api/v1/intervals.json": ("from", "to", "as_of", "crossing", "country", "status", "known_by",
                               *PAGE_PARAMETERS),
    "/feed.atom": ("crossing", "country", "known_by", "lang"),
    "/lite": ("as_of", "crossing", "country", "traffic", "known_by", "lang"),
}


class BadRequest(Exception):
    pass


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=PUBLIC)


def _filters(request: Request, content: Content) -> Filters:
    """The request's parameters as the page reads its URL; a bad one is a BadRequest naming it."""
    allowed = PARAMETERS[request.url.path]
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0]!r}; {request.url.path} takes {', '.join(allowed)}")
    params = {name: request.query_params.getlist(name) for name in request.query_params}
    crossings = content.tables["crossings"]
    filters, problems = parse_strictly(params, list(crossings["crossing_id"]), countries_of(crossings))
    if problems:
        raise BadRequest(f"{problems[0].param}: {problems[0].reason}")
    try:
        parse_lang(request.query_params.get("lang"))
    except BadLanguage as exc:
        raise BadRequest(str(exc)) from exc
    return filters


def _language(request: Request) -> str:
    """The language an answer is in (the same for every route: lang when given, on /lite else the browser's):
    part of its ETag and of the key of the answer kept."""
    asked = request.query_params.get("lang")
    if asked:
        return parse_lang(asked)
    return negotiate(request.headers.get("accept-language")) if request.url.path == "/lite" else "en"


def _handler(kind: str, answer: Callable[[Request, Content, Filters], tuple[bytes, str, dict[str, str]]],
             error: Callable[[int, str], Response] = _error) -> Callable[[Request], Awaitable[Response]]:
    """A route: read the store, parse the parameters, answer, with an ETag from the content version; a bad
    parameter or an unreadable store is `error`'s answer (JSON unless the route is a page). It runs on
    the server's event loop, where a kept answer costs least (sync handlers, run in the thread pool, served half
    as many requests: BENCHMARKS.md); what may take long (reading a new version, working an answer out) runs in
    the thread pool, so that it never holds up the other requests or the page's sessions."""
    async def handle(request: Request) -> Response:
        try:
            kept = kept_content()
            content = kept if kept is not None else await run_in_threadpool(read_store)
            filters = _filters(request, content)
            kept = kept_content_for(content, filters.known_by)
            content = kept if kept is not None else await run_in_threadpool(content_for, content, filters.known_by)
        except StoreUnreadable as exc:
            return error(503, exc.message)
        except StoreChanged:
            return error(503, "the store is being reloaded; try again in a moment")
        except BadRequest as exc:
            return error(400, str(exc))
        # the default as-of date is today: an answer without as_of changes with the day too
        lang = _language(request)
        key = (f"{content.version}|{request.url.path}|{sorted(request.query_params.multi_items())}|{date.today()}"
               f"|{lang}")
        etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": f"public, max-age={CACHE_SECONDS}", **PUBLIC}
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        # the answer as sent, worked out once per version and query (crossings.serve.answers)
        ready_key = answer_key(content, request.url.path, filters, date.today(),
                               request.query_params.multi_items(), f"{request.url}#{lang}")
        ready: Answer | None = answers.READY.kept(ready_key)
        if ready is None:
            try:
                ready = await run_in_threadpool(answers.READY.answer, content, ready_key,
                                                lambda: Answer(*answer(request, content, filters)))
            except BadPage as exc:
                return error(400, str(exc))
            except StoreChanged:
                return error(503, "the store is being reloaded; try again in a moment")
        return Response(ready.body, media_type=ready.media_type, headers={**headers, **ready.headers})
    handle.__name__ = kind
    return handle


def _status(request: Request, content: Content, filters: Filters) -> tuple[bytes, str, dict[str, str]]:
    plan = plan_view(content.tables, content.indexes, filters, date.today())
    cards = plan_cards(plan, content.tables, content.indexes, plan.crossing_ids,
                       lambda ids: interval_rows(content, ids))
    updated = plan.data_updated
    # a whole border's agreements by the crossings shown that they cover, once: one covers hundreds of crossings at
    # scale, and asking each card's crossing `in` each one's list took minutes for 2,000 crossings
    shown = {card.crossing_id for card in cards}
    border_wide: dict[str, list[Commitment]] = {}
    for commitment in plan.border_wide:
        if commitment.state == IN_FORCE:
            for crossing_id in shown.intersection(commitment.covered):
                border_wide.setdefault(crossing_id, []).append(commitment)
    body = {
        "as_of": plan.as_of.isoformat(),
        "traffic": plan.traffic,
        "data_updated": updated.isoformat() if updated else None,
        "crossings": [{
            "crossing_id": card.crossing_id, "name": card.name, "status": card.status,
            "status_since": card.since.isoformat() if card.since else None,
            "days": card.days if card.since else None,
            "detail": card.detail,
            "traffic": {kind: card.kind_statuses.get(kind) for kind in TRAFFIC_KINDS},
            "newest_source": card.newest_source.isoformat() if card.newest_source else None,
            "stale": card.stale,
            "commitments": [{"id": c.item_id, "kind": c.label, "title": c.title,
                             "valid_until": c.until.isoformat() if c.until else None, "days_left": c.days_left,
                             "last_confirmed": c.confirmed.isoformat() if c.confirmed else None, "stale": c.stale,
                             "contradicted": contradicted(c, card.crossing_id, card.status, card.kind_statuses)}
                            for c in [*(c for c in card.commitments
                                        if c.state == IN_FORCE and card.crossing_id in c.covered),
                                      *border_wide.get(card.crossing_id, [])]],
        } for card in cards],
    }
    return json_bytes(body), "application/json", {}


def _summary(request: Request, content: Content, filters: Filters) -> tuple[bytes, str, dict[str, str]]:
    plan = plan_view(content.tables, content.indexes, filters, date.today())
    text = summary_csv(content.tables["crossings"], content.indexes.runs_for(plan.traffic), plan.crossing_ids,
                       plan.window, plan.as_of, content.indexes.source_dates)
    name = export_file_name("summary", plan.window)
    return text.encode(), "text/csv; charset=utf-8", {"Content-Disposition": f'attachment; filename="{name}"'}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _intervals(request: Request, content: Content, filters: Filters) -> tuple[bytes, str, dict[str, str]]:
    plan = plan_view(content.tables, content.indexes, filters, date.today())
    limit, after = page_request({name: request.query_params.getlist(name) for name in PAGE_PARAMETERS})
    page, last = page_of(content.indexes.intervals, plan.matches, limit, after)
    rows = interval_rows(content, list(content.indexes.intervals.interval_id[page]))
    table = interval_rows_table(plan, content.tables, rows)
    full = rows.set_index("interval_id")
    sources = content.tables["sources"].set_index("source_id")
    found = []
    for row in table.to_dict("records"):
        cited = full.loc[row["interval_id"], "source_ids"]
        found.append({
            "interval_id": row["interval_id"], "crossing_id": row["crossing_id"], "crossing": row["crossing"],
            "status": row["status"], "start_date": _iso(row["start_date"]),
            # the as-of date cuts the data: an interval still running then has no end yet
            "end_date": None if row["ongoing"] else _iso(row["end_date"]),
            "ongoing": bool(row["ongoing"]), "days": int(row["days"]),
            "moves": list(full.loc[row["interval_id"], "moves"]),
            "limited": list(full.loc[row["interval_id"], "limited"]),
            "barred": list(full.loc[row["interval_id"], "barred"]),
            "detail": row["detail"], "cause": row["cause"], "notes": row["notes"],
            "sources": [{"id": s, "publisher": sources.loc[s, "publisher"], "title": sources.loc[s, "title"],
                         "date": _iso(sources.loc[s, "published_on"]), "url": sources.loc[s, "url"],
                         "quote": sources.loc[s, "quote"]}
                        for s in cited if s in sources.index],
        })
    body = {"as_of": plan.as_of.isoformat(), "from": plan.window.start.isoformat(),
            "to": plan.window.end.isoformat(), "intervals": found,
            # the next page (the same filters, after this page's last row), None on the last
            "next": next_link(request.url.path, filters, list(content.tables["crossings"]["crossing_id"]),
                              plan.as_of, limit if "limit" in request.query_params else None, last)
            if last is not None else None}
    return json_bytes(body), "application/json", {}


FEED_TITLE = N_("Border Crossing Status: what changed")


def _feed(request: Request, content: Content, filters: Filters) -> tuple[bytes, str, dict[str, str]]:
    today = min(date.today(), filters.known_by or date.today())  # what had been reported by known_by
    crossings = content.tables["crossings"]
    chosen = chosen_crossings(crossings, filters.crossing_ids, filters.countries)
    index = content.indexes.intervals
    # the newest interval starts of these crossings: a feed never needs the whole history
    newest = index.newest_starts(chosen, today, MAX_ENTRIES)
    intervals = interval_rows(content, list(index.interval_id[newest]))
    authority = tag_authority()
    tr = translator(_language(request))
    entries = change_entries(crossings, intervals, content.indexes.commitments, content.tables["sources"], chosen,
                             today, authority=authority, tr=tr)
    base = str(request.base_url).rstrip("/")
    query = request.url.query
    body = atom_xml(entries, feed_id=f"{authority}:feed" + (f"?{query}" if query else ""),
                    title=tr._(FEED_TITLE), self_url=str(request.url), page_url=f"{base}/",
                    updated=max((e.day for e in entries), default=today), lite_url=f"{base}/lite", lang=tr.lang)
    return body, "application/atom+xml; charset=utf-8", {}


def _index(request: Request) -> Response:
    return JSONResponse({
        "name": "Border Crossing Status",
        "routes": {path: {"parameters": list(names)} for path, names in PARAMETERS.items()},
        "parameters": {
            "as_of": "YYYY-MM-DD, the date the data is cut at; default today",
            "from": "YYYY-MM-DD, first day of the window; default the first recorded day",
            "to": "YYYY-MM-DD, last day of the window; default the as-of date",
            "crossing": "a crossing id, repeatable; default all",
            "country": "an ISO country code, repeatable: the crossings with it on a side; default every border",
            "status": "open, closed, restricted or unknown, repeatable; default all",
            "traffic": f"one of {', '.join(TRAFFIC_KINDS)}; default the crossing as a whole",
            "known_by": "YYYY-MM-DD: only what had been reported by that day (statuses, their ends, agreements' "
                        "ends); default everything known today",
            "lang": f"/lite and the feed: one of {', '.join(LANGUAGES)}; default English (on /lite, the browser's "
                    "Accept-Language first)",
            "limit": f"intervals.json: rows in one answer, 1 to {INTERVALS_PAGE_ROWS}; default {INTERVALS_PAGE_ROWS}",
            "after": "intervals.json: the interval_id of the last row of the page before; an answer with more rows "
                     "left names the next page's URL in `next` (null on the last page)",
        },
    }, headers=PUBLIC)


def _not_found(request: Request) -> Response:
    return _error(404, f"no route {request.url.path}; see /api/v1 for the routes")


ROUTES: Sequence[Route] = [
    Route("/api/v1", _index, methods=["GET"]),
    Route("/api/v1/status", _handler("status", _status), methods=["GET"]),
    Route("/api/v1/summary.csv", _handler("summary", _summary), methods=["GET"]),
    Route("/api/v1/intervals.json", _handler("intervals", _intervals), methods=["GET"]),
    Route("/feed.atom", _handler("feed", _feed), methods=["GET"]),
    Route("/lite", _handler("lite", lite_page, lite_error), methods=["GET"]),
    Route("/api/{rest:path}", _not_found),
]
