"""Border Crossing Status: the page. Layout only: one draw_* function per section, fed by the view plan
(crossings/view/plan.py) through the page's caches (crossings/page/cache.py); every number comes from
crossings/core and crossings/view."""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from crossings.core.borders import countries_of, country_name, on_borders
from crossings.core.commitments import commitment_text
from crossings.core.csvout import table_csv
from crossings.core.days import Window
from crossings.core.records import TRAFFIC_KINDS, UNKNOWN
from crossings.core.sources import STALE_AFTER_DAYS
from crossings.page.cache import Shown, board_for, map_for, plan_for, shown_for
from crossings.page.maps import MAP_CONFIG
from crossings.page.textsafe import markdown_text as md
from crossings.view.board import (
    KIND_NAMES,
    MARKS_LEGEND,
    STATUS_COLOURS,
    STATUS_WORDS,
    Board,
    BoardRow,
    local_names,
)
from crossings.view.boardhtml import FONT_FACES, name_html, tone
from crossings.view.cards import BORDER_WIDE_LISTED, Card, commitment_line
from crossings.view.filters import (
    MAX_CROSSING_CHOICES,
    STATUS_CHOICES,
    Filters,
    crossing_choices,
    crossings_listed_first,
    parse_query,
    reversed_window_warning,
    to_query,
)
from crossings.view.i18n import LANGUAGE_NAMES, LANGUAGES, N_, NP_, BadLanguage, Translator, parse_lang, translator
from crossings.view.plan import ViewPlan, all_interval_ids, cards_page, interval_rows_table
from crossings.view.policy import MAX_CARDS, MAX_TABLE_ROWS
from crossings.view.store import Content, StoreChanged, StoreUnreadable, content_for, interval_rows, read_store
from crossings.view.tables import export_file_name, for_display
from crossings.view.words import coverage_text, currency_words

st.set_page_config(page_title="Border Crossing Status", page_icon="🛂", layout="wide")

BADGES = {  # the word is always shown: colour is never the only cue
    "open": ("open", "green", ":material/check_circle:"),
    "restricted": ("restricted", "orange", ":material/warning:"),
    "closed": ("closed", "red", ":material/block:"),
    UNKNOWN: ("unknown", "gray", ":material/help:"),
}
CARDS_PER_ROW = 3
# Agreements and moratoria listed on one card; the table below lists them all.
COMMITMENTS_PER_CARD = 5
# The Traffic filter's first choice: no kind, the crossing as a whole (a selectbox shows None as empty).
WHOLE_CROSSING = ""
DATE_LIMITS = {"min_value": date(1900, 1, 1), "max_value": date(2100, 12, 31)}
# The tables' columns whose heads the page translates (tr._(name)); the downloads keep the names as they are.
COLUMN_LABELS = frozenset((
    N_("interval_id"), N_("crossing"), N_("status"), N_("start_date"), N_("end_date"), N_("ongoing"), N_("days"),
    N_("interval_status"), N_("moves"), N_("limited"), N_("barred"), N_("detail"), N_("cause"), N_("sources"),
    N_("quotes"), N_("notes"), N_("id"), N_("kind"), N_("title"), N_("state"), N_("from"), N_("until"), N_("ended"),
    N_("crossings"), N_("when"), N_("place")))

HOW_TO_READ = N_("""
- **Days are counted from the closing day up to, not including, the reopening day.** A closure from
  2025-02-21 with a reopening on 2025-03-19 lasts 26 days; news reports often say 27 because they count
  both days. Every count is shown beside its two dates so that you can check it.
- **The as-of date cuts the data.** Whatever the store says about later days is future and counted nowhere;
  a status still running on the as-of date counts through that day. The window is inclusive at both ends.
- **Unknown means no report**, not open. A status whose end no source gives ends the day after the last
  report; "stale" marks a crossing whose newest source is more than {days} days older than the
  as-of date.
- **Adjacent intervals with the same status count as one run** for "since", closures and durations.
- **What moves**, per kind of traffic: trade (commercial cargo), transit (cargo to or from third countries),
  aid (UN and NGO humanitarian cargo), travellers (people with documents, either way) and returnees (people
  returning or deported, one way). An open interval: every kind open; closed: every kind closed; restricted:
  the row says which kinds move (open), are limited (restricted) or are barred (closed), and any kind it
  does not name is unknown. Choose a kind under Traffic to count status, days and closures for it.
- **Where the data comes from:** curated CSV files in `data/`, each row naming its sources; where sources
  disagree, both are cited and the row's notes say how. To cite a row, give its id and its sources, e.g.
  "Border Crossing Status, status_intervals `torkham-2025-02-21` (PTI via The Week, 19 Mar 2025)".
""")


def load_content() -> Content:
    """The store's content, or an error on the page and a stop."""
    try:
        lang = parse_lang(st.query_params.get("lang"))
    except BadLanguage:
        lang = "en"
    try:
        with st.spinner(translator(lang)._("Preparing the store (on the first run it is built from data/)…")):
            return read_store()
    except StoreUnreadable as exc:
        st.error(md(exc.message))
        if exc.details:
            st.code("\n".join(exc.details), language=None)
        st.stop()
    raise AssertionError("unreachable")


def read_url_once(crossing_ids: list[str], countries: list[str]) -> list[str]:
    """On a session's first run, put the URL's filters into the widgets; returns warnings."""
    if "f_crossings" in st.session_state:
        return []
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    try:
        lang, warnings = parse_lang(st.query_params.get("lang")), []
    except BadLanguage as exc:
        lang, warnings = "en", [f"{exc}; the page is in English."]
    filters, url_warnings = parse_query(params, crossing_ids, countries, translator(lang))
    warnings = [*url_warnings, *warnings]
    st.session_state["f_countries"] = list(filters.countries)
    st.session_state["f_crossings"] = crossings_listed_first(filters, crossing_ids, MAX_CROSSING_CHOICES)
    st.session_state["f_from"] = filters.window_from
    st.session_state["f_to"] = filters.window_to
    st.session_state["f_as_of"] = filters.as_of
    st.session_state["f_statuses"] = list(filters.statuses or STATUS_CHOICES)
    st.session_state["f_traffic"] = filters.traffic or WHOLE_CROSSING
    st.session_state["f_known"] = filters.known_by is not None
    # a known_by other than the as-of date is kept as the URL gave it; equal to it, it follows the as-of date
    st.session_state["f_known_by"] = filters.known_by if filters.known_by != (filters.as_of or date.today()) else None
    st.session_state["f_lang"] = lang
    return warnings


def draw_filters(crossings: pd.DataFrame) -> Filters:
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    state = st.session_state
    tr = translator(state.get("f_lang", "en"))
    listed, not_listed = crossing_choices(list(names), on_borders(crossings, state.get("f_countries", [])),
                                          state.get("f_crossings", []), limit=MAX_CROSSING_CHOICES, words=tr)
    with st.sidebar:
        st.selectbox("Language · زبان · ژبه · زبان", options=list(LANGUAGES), key="f_lang",
                     format_func=lambda lang: LANGUAGE_NAMES[lang],
                     help="English, Dari, Pashto or Urdu (URL lang) · دری · پښتو · اردو. The data (details, notes, "
                          "quotes) stays in its own language.")
        st.header(tr._("Filters"))
        st.multiselect(tr._("Crossings"), options=listed, placeholder=tr._("Choose crossings"),
                       format_func=lambda c: names[c], key="f_crossings",
                       help=tr._("Empty means all crossings."))
        if not_listed:
            st.caption(not_listed)
        st.multiselect(tr._("Borders"), options=countries_of(crossings), key="f_countries",
                       placeholder=tr._("Choose borders"),
                       format_func=lambda c: f"{tr.country(country_name(c))} ({c})",
                       help=tr._("Only the crossings with one of these countries on a side. Empty means every border."))
        st.date_input(tr._("From"), key="f_from", help=tr._("Empty: the first recorded day."), **DATE_LIMITS)
        st.date_input(tr._("To"), key="f_to", help=tr._("Empty: the as-of date."), **DATE_LIMITS)
        st.date_input(tr._("As of"), key="f_as_of", help=tr._("The data is cut at this date. Empty: today."),
                      **DATE_LIMITS)
        st.multiselect(tr._("Statuses"), options=list(STATUS_CHOICES), key="f_statuses",
                       placeholder=tr._("Choose statuses"),
                       format_func=lambda status: tr._(STATUS_WORDS.get(status, status)),
                       help=tr._("Which statuses the cards, timeline and interval table show. Empty means all."))
        st.selectbox(tr._("Traffic"), options=[WHOLE_CROSSING, *TRAFFIC_KINDS], key="f_traffic",
                     format_func=lambda k: tr._("the whole crossing") if k == WHOLE_CROSSING else tr._(KIND_NAMES[k]),
                     help=tr._("Count status, days and closures for one kind of traffic: trade, transit, aid, "
                               "travellers or returnees (see How to read this)."))
    st.sidebar.checkbox(tr._("Only what was reported by the as-of date"), key="f_known",
                        help=tr._("Count only the statuses, ends and agreements that a source had reported by then: "
                                  "what anyone could know on that day (URL known_by)."))
    if not state["f_known"]:
        state["f_known_by"] = None
    known_by = (state.get("f_known_by") or state["f_as_of"] or date.today()) if state["f_known"] else None
    return Filters(crossing_ids=tuple(state["f_crossings"]), window_from=state["f_from"], window_to=state["f_to"],
                   as_of=state["f_as_of"], statuses=tuple(state["f_statuses"]), traffic=state["f_traffic"] or None,
                   countries=tuple(state["f_countries"]), known_by=known_by)


def draw_window_in_use(plan: ViewPlan, tr: Translator) -> None:
    """The dates the page uses, beside the date inputs: an empty input means a computed default (kept out
    of the URL, so that a bookmark follows today)."""
    days = {"start": tr.date(plan.window.start), "end": tr.date(plan.window.end), "as_of": tr.date(plan.as_of)}
    # our own words, numbers and dates: no Markdown escaping needed (it would show its backslashes to a test)
    st.sidebar.caption(tr._("In use: from {start} to {end}, as of {as_of}, as reported by {known_by}.",
                            known_by=tr.date(plan.known_by), **days) if plan.known_by
                       else tr._("In use: from {start} to {end}, as of {as_of}.", **days))


def write_url(filters: Filters, crossing_ids: list[str], lang: str = "en") -> None:
    wanted = to_query(filters, crossing_ids)
    if lang != "en":
        wanted["lang"] = [lang]
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)


def draw_header(plan: ViewPlan, tr: Translator, reversed_window: str | None = None) -> None:
    """The title line: the title, the as-of date and how current the record is; then the URL's warnings. In a
    right-to-left language, one block with its dir and lang (Streamlit's title and Markdown cannot carry them)."""
    label, day, rest = header_parts(plan, tr)
    if not tr.rtl:
        st.title(tr._("Border Crossing Status"))
        st.markdown(" · ".join([f"{md(label)} **{md(day)}**", *(md(part) for part in rest)]))
    else:
        line = " · ".join([f"{_esc(label)} <strong>{_esc(day)}</strong>", *(_esc(part) for part in rest)])
        st.html(f'{rtl_css(tr)}<div class="xb-head" dir="rtl" lang="{tr.lang}"><h1>'
                f'{_esc(tr._("Border Crossing Status"))}</h1><p>{line}</p></div>')
    for warning in plan.warnings:
        st.warning(md(warning), icon=":material/link_off:")
    if reversed_window:
        st.warning(reversed_window, icon=":material/date_range:")


def header_parts(plan: ViewPlan, tr: Translator) -> tuple[str, str, list[str]]:
    """The title line in plain text: 'As of' and the day (which stands out), then the kind of traffic, the known-by
    day and how current the record is, as there are."""
    rest = []
    if plan.traffic:
        rest.append(tr._("for {kind}", kind=tr._(KIND_NAMES[plan.traffic])))
    if plan.known_by:
        rest.append(tr._("only what was reported by {day}", day=tr.date(plan.known_by)))
    rest.append(currency_words(plan.data_updated, plan.as_of, tr))
    return tr._("As of"), tr.date(plan.as_of), rest


def draw_about(plan: ViewPlan, crossings: pd.DataFrame, tr: Translator) -> None:
    """What the page is, and the window its counts are for: below the answer."""
    st.markdown(md(tr._(
        "When the land crossings between {borders} were open, closed or restricted, which agreements and moratoria "
        "applied, and where every fact comes from. The cards' counts and the timeline are for the window {start} to "
        "{end}.", borders=coverage_text(crossings, tr), start=tr.date(plan.window.start),
        end=tr.date(plan.window.end))))


# The board is one HTML element (a row per crossing costs no element of its own): a table, whose header names
# the kinds of traffic; in a narrow container (a phone, a zoomed window) each row wraps onto two lines and each
# mark carries its kind's name. Its colours are the view's.
BOARD_CSS = "<style>" + """
.xb { container-type: inline-size; font-size: 0.875rem; line-height: 1.3; }
.xb p { margin: 0 0 0.3rem 0; }
.xb .xb-answer { font-size: 1rem; }
.xb table { border-collapse: separate; border-spacing: 0 0.15rem; margin: 0; width: auto; font-size: inherit; }
.xb th, .xb td { border: none; padding-block: 0.05rem; padding-inline: 0 0.5rem; text-align: start;
  vertical-align: baseline; }
.xb thead th { font-size: 0.75rem; font-weight: 600; }
.xb tbody th.xb-border { font-size: 0.8rem; font-weight: 600; padding-top: 0.35rem; }
.xb td.xb-name { font-weight: 600; padding-inline-start: 0.4rem; border-inline-start: 0.3rem solid; }
.xb .xb-word, .xb .xb-k { border-radius: 0.3rem; padding: 0 0.3rem; color: #1a1a1a; white-space: nowrap; }
.xb .xb-word { font-weight: 600; }
.xb .xb-since { font-size: 0.8rem; white-space: nowrap; }
.xb .xb-stale { font-size: 0.75rem; border: 1px solid currentColor; border-radius: 0.3rem; padding: 0 0.25rem;
  margin-inline-start: 0.25rem; }
.xb td.xb-kind { text-align: center; padding-inline-end: 0.2rem; }
.xb .xb-k .xb-label { display: none; }
.xb .xb-legend { font-size: 0.75rem; margin: 0.3rem 0 0 0; }
@container (max-width: 46rem) {
  .xb table, .xb tbody, .xb tr, .xb th, .xb td { display: block; }
  .xb thead { display: none; }
  .xb tr.xb-row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.1rem 0.35rem; padding-block: 0.1rem;
    padding-inline: 0.4rem;
    margin-bottom: 0.2rem; border-inline-start: 0.3rem solid; }
  .xb td { padding: 0; }
  .xb td.xb-name { border-inline-start: none; padding-inline-start: 0; overflow-wrap: anywhere; }
  .xb td.xb-kind:first-of-type { margin-inline-start: 0; }
  .xb td.xb-kinds-start { flex-basis: 100%; height: 0; }
  .xb .xb-k .xb-label { display: inline; }
}
""" + "".join(f".xb .xb-t-{status} {{ background: {tint}; }} .xb tr.xb-b-{status}, .xb tr.xb-b-{status} td.xb-name "
              f"{{ border-inline-start-color: {strong}; }}\n"
              for status, (strong, tint) in STATUS_COLOURS.items()) + "</style>"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def board_row(row: BoardRow, tr: Translator) -> str:
    """A crossing's row: name, status word (and stale mark), since, then a mark per kind of traffic."""
    stale_title = tr.n_(*STALE_TITLE, STALE_AFTER_DAYS)
    stale = (f'<span class="xb-stale" title="{_esc(stale_title)}">{_esc(tr._("stale"))}</span>' if row.stale else "")
    kinds = "".join(f'<td class="xb-kind"><span class="xb-k xb-t-{tone(k.status)}" title="{_esc(k.kind)} '
                    f'{_esc(k.status)}"><span class="xb-label">{_esc(k.label)} </span>{_esc(k.mark)}</span></td>'
                    for k in row.kinds)
    return (f'<tr class="xb-row xb-b-{tone(row.status)}" data-crossing="{_esc(row.crossing_id)}">'
            f'<td class="xb-name">{name_html(row)}</td>'
            f'<td class="xb-status"><span class="xb-word xb-t-{tone(row.status)}">'
            f"{_esc(tr._(STATUS_WORDS.get(row.status, row.status)))}</span>"
            f"{stale}</td>"
            f'<td class="xb-since">{_esc(row.since_text)}</td><td class="xb-kinds-start" aria-hidden="true"></td>'
            f"{kinds}</tr>")


def draw_board(board: Board, tr: Translator) -> None:
    """The answer first: one compact row per crossing (status, since, what moves, stale), grouped by border, most
    urgent first; with a kind of traffic chosen, where it can cross above them. Data text is escaped. In the
    board's language, right to left for Dari, Pashto and Urdu."""
    if not board.groups:
        return
    parts = [BOARD_CSS, rtl_css(tr), f'<div class="xb" role="region" aria-label="{_esc(tr._("Status board"))}" '
                                     f'dir="{tr.dir}" lang="{tr.lang}">']
    if board.answer:
        first, *rest = board.answer.sentences(tr)
        parts.append(f'<p class="xb-answer"><strong>{_esc(first)}</strong>'
                     + "".join(f"<br>{_esc(line)}" for line in rest) + "</p>")
    kinds = board.groups[0].rows[0].kinds
    status = (tr._("Status") if board.kind is None else tr._("Status ({kind})", kind=tr._(KIND_NAMES[board.kind])))
    parts.append(f'<table><thead><tr><th scope="col">{_esc(tr._("Crossing"))}</th><th scope="col">{_esc(status)}'
                 f'</th><th scope="col">{_esc(tr._("Since"))}</th><th aria-hidden="true"></th>'
                 + "".join(f'<th scope="col" title="{_esc(tr._(KIND_NAMES[k.kind]))}">{_esc(k.label)}</th>'
                           for k in kinds)
                 + "</tr></thead>")
    for group in board.groups:
        count = tr.n_("{count} crossing", "{count} crossings", len(group.rows))
        parts.append(f'<tbody><tr><th class="xb-border" colspan="{4 + len(kinds)}" scope="rowgroup">'
                     f"{_esc(group.border)} · {_esc(count)}</th></tr>"
                     + "".join(board_row(row, tr) for row in group.rows) + "</tbody>")
    more = (" · " + tr.n_(*MORE_IN_CARDS, board.left_out)) if board.left_out else ""
    parts.append(f'</table><p class="xb-legend">{_esc(tr._("What moves: {legend}", legend=tr._(MARKS_LEGEND)))} · '
                 f"{_esc(tr.n_(*STALE_LEGEND, STALE_AFTER_DAYS))}{_esc(more)}</p></div>")
    st.html("".join(parts))


# The board's and cards' messages with a count (Translator.n_), and the tables' titles, marked for the catalogues.
CLOSURES = NP_("{count} closure", "{count} closures")
CLOSED_DAYS = NP_("{count} closed day", "{count} closed days")
STATUS_INTERVALS, AGREEMENTS, EVENTS = N_("Status intervals"), N_("Agreements and moratoria"), N_("Events")
# translated inside f-strings, where the extractor cannot see the call (assigned: a bare expression in a Streamlit
# script is drawn on the page)
FSTRING_MESSAGES = (N_("Detail:"), N_("Last closure:"), N_("Status board"))
STALE_TITLE = NP_("no report for more than {count} day", "no report for more than {count} days")
STALE_LEGEND = NP_("stale: no report for more than {count} day", "stale: no report for more than {count} days")
MORE_IN_CARDS = NP_("{count} more crossing in the cards below", "{count} more crossings in the cards below")
MORE_COMMITMENTS = NP_("and {count} more agreement or moratorium in the table below",
                       "and {count} more agreements or moratoria in the table below")
MORE_IN_TABLE = NP_("and {count} more in the table below", "and {count} more in the table below")


def rtl_css(tr: Translator) -> str:
    """For a right-to-left language: the Arabic-script font from the app's static files (static/fonts) and
    right-to-left blocks; nothing in English."""
    if not tr.rtl:
        return ""
    return ("<style>" + FONT_FACES + ".xb[dir=rtl], .xb-head[dir=rtl] { font-family: "
            "'Noto Naskh Arabic', 'Source Sans', sans-serif; text-align: start; } .xb[dir=rtl] th, .xb[dir=rtl] td "
            "{ text-align: start; } .xb-head h1 { font-size: 2rem; font-weight: 700; margin: 0 0 0.3rem 0; }"
            # each paragraph of the cards, headings and labels takes the direction of its own first letter: the
            # translated ones read right to left, the English ones (help, notes, data) left to right
            "[data-testid=stMarkdownContainer] p, [data-testid=stMarkdownContainer] li, [data-testid=stHeading], "
            "[data-testid=stWidgetLabel], [data-testid=stExpander] summary { unicode-bidi: plaintext; "
            "text-align: start; font-family: 'Noto Naskh Arabic', 'Source Sans', sans-serif; }"
            "</style>")


def choose_cards(plan: ViewPlan, names: dict[str, str], tr: Translator) -> list[str]:
    """The search box and page number over the cards; returns the crossings whose cards are drawn."""
    st.subheader(tr._("Status on the as-of date"))
    found = st.text_input(tr._("Find a crossing"), key="f_find", placeholder=tr._("name, e.g. Torkham"),
                          help=tr._("Shows only the crossings whose name contains this text."))
    page = st.session_state.get("f_card_page", 1)
    drawn, matched, pages = cards_page(plan.shown_by_urgency, names, found, int(page))
    if pages > 1:
        page = st.number_input(tr._("{count} crossings, {per_page} a page, most urgent first: page",
                                     count=tr.number(matched), per_page=tr.number(MAX_CARDS)), 1, pages,
                               key="f_card_page")
        drawn, _, _ = cards_page(plan.shown_by_urgency, names, found, int(page))
    return drawn


def draw_card(card: Card, window: Window, tr: Translator, local_name: str | None = None) -> None:
    """One bordered card: what the status is, what moves and how current it is, written as one Markdown element
    (with 50 cards a page, every element a card adds costs the page a visible share of its rerun); the window's
    counts, the last closure and the agreements one click away, in its details."""
    title = md(card.name) if card.sides == card.name else f"{md(card.name)}: {md(card.sides)}"
    if local_name:  # the name in the page's script, as a source writes it (crossings.csv name_fa_af, ...)
        title = f"{md(local_name)} ({title})"
    _, colour, icon = BADGES[card.status]
    word = tr._(STATUS_WORDS.get(card.status, card.status))
    lines = [f"**{title}**", md(card.places), f":{colour}-badge[{icon} {md(word)}] {md(card.status_words(tr))}"]
    # each kind as a word in its colour: can trade cross today?
    lines.append(md(tr._("What moves:")) + " " + " ".join(
        f":{BADGES[status][1]}-badge[{md(tr._(KIND_NAMES[kind]))} {md(tr._(STATUS_WORDS[status]))}]"
        for kind, status in card.kind_statuses.items()))
    if card.detail:
        lines.append(f"{md(tr._('Detail:'))} {md(card.detail)}")
    report = card.report_words(tr)
    source = md(report[0].upper() + report[1:])
    if card.stale:
        source += (f" · :material/schedule: **{md(tr._('stale'))}** "
                   f"({md(tr.n_(*STALE_TITLE, STALE_AFTER_DAYS))})")
    lines.append(source)
    window_text = tr._("In the window ({start} to {end}): {closures}, {days}", start=tr.date(window.start),
                       end=tr.date(window.end), closures=tr.n_(*CLOSURES, card.closures),
                       days=tr.n_(*CLOSED_DAYS, card.closed_days))
    details = [md(window_text),
               f"{md(tr._('Last closure:'))} {md(card.last_closure)}" if card.last_closure
               else md(tr._("No closure on record"))]
    details.extend(f":material/handshake: **{md(item.title)}**: {md(commitment_line(item, card, tr))}"
                   for item in card.commitments[:COMMITMENTS_PER_CARD])
    if len(card.commitments) > COMMITMENTS_PER_CARD:
        details.append(md(tr.n_(*MORE_COMMITMENTS, len(card.commitments) - COMMITMENTS_PER_CARD)))
    label = (tr._("Closures in the window, last closure, agreements and moratoria ({count})",
                  count=tr.number(len(card.commitments))) if card.commitments
             else tr._("Closures in the window, last closure"))
    with st.container(border=True):
        st.markdown("  \n".join(lines))
        with st.expander(label):
            st.markdown("  \n".join(details))


def draw_border_wide(plan: ViewPlan, tr: Translator) -> None:
    """The agreements and moratoria of a whole border (naming no crossing) covering a crossing in view: a line
    with their count, opening to the list, once, under the board."""
    items = plan.border_wide
    if not items:
        return
    listed = items[:BORDER_WIDE_LISTED]
    more = "  \n" + md(tr.n_(*MORE_IN_TABLE, len(items) - len(listed))) if len(items) > len(listed) else ""
    # our own words and a number, no data: no Markdown escaping needed (it would show its backslashes in a label)
    with st.expander(":material/public: " + tr._("Agreements and moratoria of a whole border: {count}",
                                                 count=tr.number(len(items)))):
        st.markdown(md(tr._("Agreements and moratoria of a whole border (they cover every crossing between their "
                            "parties):")) + "  \n"
                    + "  \n".join(f":material/handshake: **{md(item.title)}** ({md(tr.border_scope(item.scope))}): "
                                   f"{md(commitment_text(item, tr))}" for item in listed) + more)


def draw_cards(cards: list[Card], window: Window, tr: Translator, names_in_script: dict[str, str]) -> None:
    if not cards:
        st.info(tr._("No crossing matches these filters."))
        return
    for first in range(0, len(cards), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, card in zip(columns, cards[first:first + CARDS_PER_ROW], strict=False):
            with column:
                draw_card(card, window, tr, names_in_script.get(card.crossing_id))


def select_on_map() -> None:
    """A marker chosen on the map narrows the page to those crossings, like the crossings filter."""
    chosen = [p["customdata"][0] for p in st.session_state["map"]["selection"]["points"] if p.get("customdata")]
    if chosen:
        st.session_state["f_crossings"] = list(dict.fromkeys(chosen))


def draw_map(plan: ViewPlan, content: Content, tr: Translator) -> None:
    st.subheader(tr._("Map"))
    figure, unplaced = map_for(plan, content, tr.lang)
    if figure is None:
        st.info(tr._("None of these crossings has sourced coordinates."))
    else:
        st.plotly_chart(figure, key="map", config=MAP_CONFIG, on_select=select_on_map,
                        selection_mode=("points", "box"))
        st.caption(tr._("Drag a box around markers (or click one) to show only those crossings."))
    if unplaced:
        st.caption(md(tr._("Not placed:")) + " " + "; ".join(f"{md(name)} ({md(reason)})" for name, reason in unplaced))


def draw_timeline(plan: ViewPlan, figure: go.Figure | None, tr: Translator) -> None:
    st.subheader(tr._("Timeline"))
    if figure is None:
        st.info(tr._("Nothing is recorded for these crossings and statuses between {start} and {end}. Widen the "
                     "window or choose other crossings.", start=tr.date(plan.window.start),
                     end=tr.date(plan.window.end)))
        return
    if not len(plan.matches):
        st.info(tr._("No status interval in this window; agreements and events are shown."))
    st.plotly_chart(figure, key="timeline", config={"displaylogo": False})


def draw_tables(plan: ViewPlan, shown: Shown, tr: Translator) -> None:
    view = shown.view
    for title, table, total, drop in ((STATUS_INTERVALS, view.intervals, len(plan.matches), ["crossing_id"]),
                                      (AGREEMENTS, view.commitments, view.commitments_total, ["standing"]),
                                      (EVENTS, view.events, shown.events, ["date"])):
        st.subheader(tr._(title))
        if total > MAX_TABLE_ROWS:
            counts = {"first": tr.number(MAX_TABLE_ROWS), "total": tr.number(total)}
            st.caption(tr._("The first {first} of {total} rows; narrow the filters to see others, or download them "
                            "all below.", **counts) if title == STATUS_INTERVALS
                       else tr._("The first {first} of {total} rows; narrow the filters to see others.", **counts))
        shown_table = for_display(table.head(MAX_TABLE_ROWS).drop(columns=drop))
        columns: dict[str, object] = {name: st.column_config.Column(tr._(name))
                                      for name in shown_table.columns if name in COLUMN_LABELS}
        columns["source_url"] = st.column_config.LinkColumn(tr._("Source link"),
                                                            display_text=r"https?://(?:www\.)?([^/]+)")
        st.dataframe(shown_table, hide_index=True, column_config=columns)
    with st.expander(tr._("How to read this")):
        st.markdown(tr._(HOW_TO_READ, days=tr.number(STALE_AFTER_DAYS)))


def draw_downloads(plan: ViewPlan, content: Content, tr: Translator) -> None:
    st.subheader(tr._("Downloads"))
    left, right = st.columns(2)
    left.download_button(
        # the plan's summary is summary_table for this selection: summary_csv's very bytes
        tr._("Download summary (CSV)"), data=table_csv(plan.summary),
        file_name=export_file_name("summary", plan.window), mime="text/csv", on_click="ignore",
        key="download_summary",
        help=tr._("The same file as `python -m crossings summary` for this filter and as-of date."))

    def intervals_csv() -> str:  # written only when clicked: with many crossings and years the file is large
        ids = all_interval_ids(plan, content.indexes)
        return table_csv(interval_rows_table(plan, content.tables, interval_rows(content, ids)))

    right.download_button(tr._("Download intervals (CSV)"), data=intervals_csv,
                          file_name=export_file_name("intervals", plan.window), mime="text/csv", on_click="ignore",
                          key="download_intervals")


def main() -> None:
    content = load_content()
    crossings = content.tables["crossings"]
    crossing_ids = list(crossings["crossing_id"])
    warnings = read_url_once(crossing_ids, countries_of(crossings))
    filters = draw_filters(crossings)
    write_url(filters, crossing_ids, st.session_state["f_lang"])
    today = date.today()
    try:
        content = content_for(content, filters.known_by)
    except StoreChanged:
        st.rerun()
    plan = plan_for(content, filters, today, warnings)
    tr = translator(st.session_state["f_lang"])
    draw_window_in_use(plan, tr)
    draw_header(plan, tr, reversed_window_warning(filters, plan.window, plan.as_of, tr))
    try:
        board = board_for(plan, content, tr.lang)
    except StoreChanged:
        st.rerun()
    draw_board(board, tr)
    draw_border_wide(plan, tr)
    draw_about(plan, crossings, tr)
    drawn = choose_cards(plan, dict(zip(crossings["crossing_id"], crossings["name"], strict=True)), tr)
    try:
        shown = shown_for(plan, content, filters, today, drawn, tr.lang)
    except StoreChanged:
        st.rerun()
    draw_cards(shown.view.cards, plan.window, tr, local_names(crossings, tr.lang))
    draw_map(plan, content, tr)
    draw_timeline(plan, shown.timeline, tr)
    draw_tables(plan, shown, tr)
    draw_downloads(plan, content, tr)


main()
