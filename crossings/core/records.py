"""The data contract: which files exist, their columns and the rules each column follows."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACCESS_LISTS",
    "AGREEMENT_KINDS",
    "DATE_PRECISIONS",
    "EVENT_KINDS",
    "FORMULA_TRIGGERS",
    "LIST_SEPARATOR",
    "REFERENCED_TABLES",
    "STATUSES",
    "TABLES",
    "TRAFFIC_KINDS",
    "UNKNOWN",
    "Column",
    "TableSpec",
    "table",
]

STATUSES = ("open", "closed", "restricted")
# Kinds of traffic an interval can say moves, is limited or is barred (data/README.md defines each).
TRAFFIC_KINDS = ("trade", "transit", "aid", "travellers", "returnees")
# The three lists of a status interval, in file order: what moves, what moves with a limit the
# detail states, and what is barred.
ACCESS_LISTS = ("moves", "limited", "barred")
# A day no interval covers: no source reports it, which is not the same as open.
UNKNOWN = "unknown"
AGREEMENT_KINDS = ("ceasefire", "trade", "transit", "security", "border-management", "other")
EVENT_KINDS = ("meeting", "talks", "incident", "announcement", "other")
DATE_PRECISIONS = ("day", "month", "year")
LIST_SEPARATOR = ";"
# OWASP's list of the first characters that make a spreadsheet read a cell as a formula: the
# loader refuses text that starts so, and every CSV the product writes neutralises it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Column kinds the validator understands.
ID, TEXT, DATE, FLOAT, COUNTRY, URL, ENUM, REF, REFS, KINDS = (
    "id", "text", "date", "float", "country", "url", "enum", "ref", "refs", "kinds",
)


@dataclass(frozen=True)
class Column:
    """One column of a data file."""

    name: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    # For REF and REFS: the table whose ids the values must name.
    ref: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """One data file and the table it becomes in the store."""

    name: str
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def id_column(self) -> str:
        return self.columns[0].name

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def list_columns(self) -> tuple[Column, ...]:
        """The ';' lists of ids, stored as link tables."""
        return tuple(c for c in self.columns if c.kind == REFS)

    @property
    def traffic_columns(self) -> tuple[Column, ...]:
        """The ';' lists of traffic kinds (moves, limited, barred), stored as one column per kind."""
        return tuple(c for c in self.columns if c.kind == KINDS)


def _sources(ref: str = "sources", required: bool = True) -> Column:
    return Column("source_ids", REFS, required=required, ref=ref)


# In load order: every table names only tables before it.
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "sources",
        (
            Column("source_id", ID, required=True),
            Column("publisher"),
            Column("title", required=True),
            Column("published_on", DATE),
            Column("url", URL),
            Column("quote"),
            Column("notes"),
        ),
    ),
    TableSpec(
        "crossings",
        (
            Column("crossing_id", ID, required=True),
            Column("name", required=True),
            Column("country_a", COUNTRY, required=True),
            Column("side_a_name", required=True),
            Column("side_a_region"),
            Column("country_b", COUNTRY, required=True),
            Column("side_b_name", required=True),
            Column("side_b_region"),
            # the name as its readers write it (Dari, Pashto, Urdu), as a source the row cites writes it
            Column("name_fa_af"),
            Column("name_ps"),
            Column("name_ur"),
            Column("latitude", FLOAT),
            Column("longitude", FLOAT),
            _sources(),
            Column("notes"),
        ),
    ),
    TableSpec(
        "status_intervals",
        (
            Column("interval_id", ID, required=True),
            Column("crossing_id", REF, required=True, ref="crossings"),
            Column("status", ENUM, required=True, choices=STATUSES),
            Column("start_date", DATE, required=True),
            Column("end_date", DATE),
            Column("reported_on", DATE),
            Column("end_reported_on", DATE),
            *(Column(name, KINDS, choices=TRAFFIC_KINDS) for name in ACCESS_LISTS),
            Column("detail"),
            Column("cause"),
            _sources(),
            Column("notes"),
        ),
    ),
    TableSpec(
        "agreements",
        (
            Column("agreement_id", ID, required=True),
            Column("title", required=True),
            Column("kind", ENUM, required=True, choices=AGREEMENT_KINDS),
            Column("parties"),
            Column("signed_on", DATE),
            Column("effective_from", DATE),
            Column("valid_until", DATE),
            Column("ended_on", DATE),
            Column("end_source_ids", REFS, ref="sources"),
            Column("crossing_ids", REFS, ref="crossings"),
            Column("terms"),
            _sources(),
            Column("notes"),
        ),
    ),
    TableSpec(
        "moratoria",
        (
            Column("moratorium_id", ID, required=True),
            Column("subject", required=True),
            Column("crossing_ids", REFS, ref="crossings"),
            Column("start_date", DATE, required=True),
            Column("valid_until", DATE),
            Column("ended_on", DATE),
            Column("end_source_ids", REFS, ref="sources"),
            Column("agreement_id", REF, ref="agreements"),
            _sources(),
            Column("notes"),
        ),
    ),
    TableSpec(
        "events",
        (
            Column("event_id", ID, required=True),
            Column("date", DATE, required=True),
            Column("date_precision", ENUM, required=True, choices=DATE_PRECISIONS),
            Column("kind", ENUM, required=True, choices=EVENT_KINDS),
            Column("title", required=True),
            Column("place"),
            Column("crossing_ids", REFS, ref="crossings"),
            _sources(),
            Column("notes"),
        ),
    ),
)

# The tables whose ids other tables refer to, and what one row of each is called. A column referring to a
# table missing here would have no ids to be checked against: importing the contract fails instead.
REFERENCED_TABLES = {"sources": "source", "crossings": "crossing", "agreements": "agreement"}
if set(REFERENCED_TABLES) != {c.ref for spec in TABLES for c in spec.columns if c.ref}:
    raise RuntimeError("REFERENCED_TABLES must name every table that a column refers to")


def table(name: str) -> TableSpec:
    """The spec of the table called `name`."""
    return next(t for t in TABLES if t.name == name)

# A source's quote: the sentence or two the rows citing it rely on, verbatim; more is not a quote but a copy.
MAX_QUOTE_CHARS = 300
