"""The status board: the answer first. One short row per crossing (its status as a word, since when, each kind
of traffic as a short mark, the stale mark), grouped by border in the cards' order, most urgent first; with a
kind of traffic chosen, a few sentences that answer for it first ("Aid can cross at: ..."). Built from the
cards (plan_cards), so the page, /lite and the API say the same. Plain values (and the board's colours, which
every screen that draws it shares): no Streamlit, no HTML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from crossings.core.borders import border_of
from crossings.core.days import day_number
from crossings.core.records import TRAFFIC_KINDS, UNKNOWN
from crossings.core.sources import SourceDates
from crossings.view.cards import RowReader, StatusLine
from crossings.view.i18n import N_, Translator, translator
from crossings.view.indexes import StoreIndexes
from crossings.view.plan import ViewPlan, plan_cards
from crossings.view.tables import safe_link
from crossings.view.words import KIND_NAMES, STATUS_WORDS

__all__ = [
    "KIND_LABELS",
    "KIND_NAMES",
    "LOCAL_NAME_COLUMNS",
    "MARKS",
    "MARKS_LEGEND",
    "MAX_BOARD_ROWS",
    "MAX_REPORT_LINKS",
    "STATUS_COLOURS",
    "STATUS_WORDS",
    "Board",
    "BoardGroup",
    "BoardRow",
    "KindAnswer",
    "KindMark",
    "Report",
    "local_names",
    "newest_reports",
    "plan_board",
    "since_text",
    "status_board",
]

# A kind's status as a mark beside its name, so that colour is never the only cue; MARKS_LEGEND says it in words.
MARKS = {"open": "✓", "restricted": "~", "closed": "✗", UNKNOWN: "?"}
MARKS_LEGEND = N_("✓ moves · ~ limited · ✗ barred · ? not reported")
# Short enough that five fit on a phone's line beside each other (each language's are in its catalogue).
KIND_LABELS = {"trade": N_("trade"), "transit": N_("transit"), "aid": N_("aid"), "travellers": N_("travel"),
               "returnees": N_("return")}
# Each status's colours on every screen that draws the board: (strong, for a border or a mark; tint, behind
# dark text). The strong ones are the charts' Okabe-Ito hues, told apart with colour-blindness (the yellow darkened
# to show as a thin border on white); text stays dark on the tints so that it reads at any zoom.
STATUS_COLOURS = {"open": ("#009E73", "#DDF3EC"), "restricted": ("#C9B800", "#FBF6CF"),
                  "closed": ("#D55E00", "#FBE3D4"), UNKNOWN: ("#888888", "#EEEEEE")}
# Rows a board shows: a page of cards' worth; the cards below page through the rest.
MAX_BOARD_ROWS = 50
# Sources linked beside a crossing's last report (several may share its day).
MAX_REPORT_LINKS = 2


@dataclass(frozen=True)
class KindMark:
    kind: str  # trade, transit, aid, travellers, returnees
    label: str  # KIND_LABELS[kind], in the board's language
    status: str  # open, restricted, closed or unknown
    mark: str  # MARKS[status]


@dataclass(frozen=True)
class Report:
    """A source of a crossing's newest report, and its http(s) URL if it has one (else None)."""

    publisher: str | None
    title: str
    published_on: date | None
    url: str | None

    @property
    def label(self) -> str:
        """'Publisher: Title (date)', as the tables cite a source."""
        text = f"{self.publisher}: {self.title}" if self.publisher else self.title
        return text + (f" ({self.published_on})" if self.published_on else "")


@dataclass(frozen=True)
class BoardRow:
    crossing_id: str
    name: str  # in Latin letters, as the data's name column gives it
    local_name: str | None  # in the board's language, as a source writes it (crossings.csv name_fa_af, ...)
    status: str  # of the crossing, or of the kind of traffic chosen
    since_text: str  # 'since 2025-11-01, 50 days', or 'no report covers this date'
    kinds: list[KindMark]
    stale: bool
    last_report: date | None
    reports: list[Report]  # the sources of the last report (only when asked for: the page's cards cite them)


@dataclass(frozen=True)
class BoardGroup:
    border: str  # 'Afghanistan–Pakistan'
    rows: list[BoardRow]


@dataclass(frozen=True)
class KindAnswer:
    """For one kind of traffic, the crossings by what it can do there (names, board order)."""

    kind: str
    can: list[str]
    limited: list[str]
    barred: list[str]
    not_reported: list[str]

    def sentences(self, tr: Translator | None = None) -> list[str]:
        """'Aid can cross at: Torkham, Chaman / Spin Boldak.' first; then where it is limited or barred and how
        many crossings have no report on it; in the translator's language (English by default)."""
        tr = tr or translator()
        kind = tr._(KIND_NAMES[self.kind])
        lines = [tr._("{kind} can cross at: {names}.", kind=kind.capitalize(), names=_names(self.can, tr))
                 if self.can else tr._("{kind} can cross at none of these crossings.", kind=kind.capitalize())]
        if self.limited:
            lines.append(tr._("Limited at: {names}.", names=_names(self.limited, tr)))
        if self.barred:
            lines.append(tr._("Barred at: {names}.", names=_names(self.barred, tr)))
        if self.not_reported:
            lines.append(tr.n_("No report on {kind} at {count} crossing.", "No report on {kind} at {count} crossings.",
                               len(self.not_reported), kind=kind))
        return lines


@dataclass(frozen=True)
class Board:
    kind: str | None  # the kind of traffic the statuses are for (None: the crossing as a whole)
    answer: KindAnswer | None  # with a kind: what it can do where
    groups: list[BoardGroup]
    left_out: int  # crossings the filter shows beyond the board's rows

    @property
    def rows(self) -> list[BoardRow]:
        return [row for group in self.groups for row in group.rows]


# Each language's column of a crossing's name in its script (crossings.csv).
LOCAL_NAME_COLUMNS = {"fa-AF": "name_fa_af", "ps": "name_ps", "ur": "name_ur"}


def local_names(crossings: pd.DataFrame, lang: str) -> dict[str, str]:
    """Each crossing's name in the language's script where a source gives one (LOCAL_NAME_COLUMNS): the board's
    rows and the page's cards show it."""
    column = LOCAL_NAME_COLUMNS.get(lang)
    if column is None or column not in crossings:
        return {}
    return {cid: name for cid, name in zip(crossings["crossing_id"], crossings[column], strict=True) if name}


def _names(names: Sequence[str], tr: Translator) -> str:
    return tr._(", ").join(tr.isolate(name) for name in names)


def since_text(line: StatusLine, tr: Translator | None = None) -> str:
    """The 'since' of a board row: 'since 2025-11-01, 50 days'; an unknown status has none."""
    tr = tr or translator()
    if line.status == UNKNOWN or line.since is None:
        return tr._("no report covers this date")
    return tr.n_("since {day}, {count} day", "since {day}, {count} days", line.days, day=tr.date(line.since))


def status_board(lines: Sequence[StatusLine], crossings: pd.DataFrame, kind: str | None, left_out: int = 0,
                 reports: dict[str, list[Report]] | None = None, tr: Translator | None = None) -> Board:
    """The board of these status lines (cards), given most urgent first: grouped by border, a border where its
    most urgent crossing stands, the crossings of a border in the given order. `crossings` has at least their
    ids and countries; `reports` (newest_reports) adds each one's last report sources. Its words (since, the
    kinds' labels, the borders) are in the translator's language; statuses stay the data's values."""
    tr = tr or translator()
    # each crossing's two countries, all its border needs (a whole row per crossing costs pandas far more)
    about = {cid: {"country_a": a, "country_b": b} for cid, a, b in
             zip(crossings["crossing_id"], crossings["country_a"], crossings["country_b"], strict=True)}
    local = local_names(crossings, tr.lang)
    groups: dict[str, list[BoardRow]] = {}
    for line in lines:
        row = BoardRow(
            crossing_id=line.crossing_id, name=line.name,
            local_name=local.get(line.crossing_id),
            status=line.status, since_text=since_text(line, tr),
            kinds=[KindMark(k, tr._(KIND_LABELS[k]), s, MARKS[s]) for k in TRAFFIC_KINDS
                   for s in [line.kind_statuses.get(k, UNKNOWN)]],
            stale=line.stale, last_report=line.newest_source, reports=(reports or {}).get(line.crossing_id, []))
        groups.setdefault(tr.border(border_of(about[line.crossing_id])), []).append(row)
    board_groups = [BoardGroup(border, rows) for border, rows in groups.items()]
    answer = None
    if kind is not None:
        ordered = [row for group in board_groups for row in group.rows]
        by = {status: [row.local_name or row.name for row in ordered if row.status == status] for status in MARKS}
        answer = KindAnswer(kind, by["open"], by["restricted"], by["closed"], by[UNKNOWN])
    return Board(kind, answer, board_groups, left_out)


def newest_reports(source_dates: SourceDates, sources: pd.DataFrame, crossing_ids: Sequence[str], as_of: date,
                   limit: int = MAX_REPORT_LINKS) -> dict[str, list[Report]]:
    """The sources of each crossing's newest report on or before the as-of date (the day StatusLine.newest_source
    gives), at most `limit` each; only http(s) URLs are kept as links (tables.safe_link)."""
    found = source_dates.reports
    found = found[found["crossing_id"].isin(list(crossing_ids)) & (found["day"] <= day_number(as_of))]
    newest = found.groupby("crossing_id")["day"].transform("max") if len(found) else found["day"]
    found = found[found["day"] == newest]
    about = sources.set_index("source_id")[["publisher", "title", "published_on", "url"]].to_dict("index")
    cited: dict[str, list[Report]] = {}
    for cid, source_id in zip(found["crossing_id"], found["source_id"], strict=True):
        if source_id in about and len(cited.setdefault(cid, [])) < limit:
            row = about[source_id]
            cited[cid].append(Report(row["publisher"] or None, str(row["title"]), row["published_on"],
                                     safe_link(row["url"])))
    return cited


def plan_board(plan: ViewPlan, tables: dict[str, pd.DataFrame], indexes: StoreIndexes, read_rows: RowReader,
               with_reports: bool = False, limit: int = MAX_BOARD_ROWS, tr: Translator | None = None) -> Board:
    """The board of the crossings the plan shows, most urgent first, at most `limit`: their cards are the API's
    (plan_cards), read from the store for these crossings only. `with_reports` adds the last report's sources."""
    shown = plan.shown_by_urgency[:limit]
    cards = plan_cards(plan, tables, indexes, shown, read_rows)
    reports = (newest_reports(indexes.source_dates, tables["sources"], shown, plan.as_of) if with_reports
               else None)
    return status_board(cards, tables["crossings"], plan.traffic, len(plan.shown_by_urgency) - len(shown), reports,
                        tr)
