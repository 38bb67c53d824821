"""The store as a view reads it: one engine per URL, the content kept per content version in a plain,
bounded cache shared by every reader of the process (the page's sessions and the HTTP routes alike), and
the text of the rows drawn read from that same version. No Streamlit: the page and the API both use it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from crossings.core.days import SpanColumns
from crossings.core.records import TABLES, TRAFFIC_KINDS
from crossings.core.validation import LoadRejected
from crossings.view.indexes import StoreIndexes, build_indexes
from db.engine import database_url, open_store
from db.load_time_spans import read_stored_spans
from db.load_time_tables import read_stored_tables
from db.migrate import SchemaMismatch
from db.queries import StoreEmpty, content_version, interval_reports, interval_sources, interval_spans, read_table

__all__ = ["CONTENTS_KEPT", "Content", "StoreChanged", "StoreUnreadable", "clear", "content_for", "interval_rows",
           "kept_content", "kept_content_for", "read_store"]

# How often a reader tries again when a load commits between reading the version and the rows.
READ_ATTEMPTS = 5
# Versions kept per process: the one shown and the one a reload brings (a million-interval content is large).
CONTENTS_KEPT = 2


class StoreChanged(Exception):
    """A load committed since the reader read the store's version: read again."""


class StoreUnreadable(Exception):
    """The store cannot be read; `message` says why in one line, `details` lists data problems."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


@dataclass(frozen=True)
class Content:
    """One version of the store as a view holds it: every table but the intervals, whose numbers are in
    the indexes; the text of the intervals drawn is read when needed."""

    url: str
    version: str
    tables: dict[str, pd.DataFrame]
    indexes: StoreIndexes
    known_by: date | None = None  # the indexes hold only what had been reported by this day (content_for)


_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_contents: OrderedDict[tuple[str, str], Content] = OrderedDict()
_reports: OrderedDict[tuple[str, str], pd.DataFrame] = OrderedDict()
_known: OrderedDict[tuple[str, str, date], Content] = OrderedDict()
# Views of what was known on a day kept per process (each holds its own indexes).
KNOWN_BY_KEPT = 8


def clear() -> None:
    """Forget every engine and content (tests that point the process at another store)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _contents.clear()
        _reports.clear()
        _known.clear()


def store_engine(url: str) -> Engine:
    with _lock:
        if url not in _engines:
            _engines[url] = open_store(url)
        return _engines[url]


def _read_content(url: str, version: str) -> Content:
    with store_engine(url).connect() as connection:
        if content_version(connection) != version:
            raise StoreChanged  # never keep one version's rows under another's key
        # packed by the load (db.load_time_tables); a store without them is read table by table, to the same frames
        tables = read_stored_tables(connection) or {spec.name: read_table(connection, spec) for spec in TABLES
                                                     if spec.name != "status_intervals"}
        # packed by the load (db.load_time_spans); a store without it is read row by row, to the same frames
        spans, cited = read_stored_spans(connection) or (
            SpanColumns.from_frame(interval_spans(connection, traffic=TRAFFIC_KINDS)), interval_sources(connection))
    return Content(url, version, tables, build_indexes(tables, spans, cited))


def store_content(url: str, version: str) -> Content:
    """The store's content for this version, read once per process: a reload of the store shows at once."""
    key = (url, version)
    with _lock:
        if key in _contents:
            _contents.move_to_end(key)
            return _contents[key]
    content = _read_content(url, version)  # outside the lock: readers of a kept version never wait for it
    with _lock:
        content = _contents.setdefault(key, content)
        while len(_contents) > CONTENTS_KEPT:
            _contents.popitem(last=False)
    return content


def interval_rows(content: Content, interval_ids: Sequence[str]) -> pd.DataFrame:
    """The full rows (text and sources) of these intervals, from the version the reader shows; as known by a
    day, with the ends known then (an end not reported yet runs on to the next row known)."""
    with store_engine(content.url).connect() as connection:
        if content_version(connection) != content.version:
            raise StoreChanged("the store was reloaded since this page was drawn: reload the page")
        rows = read_table(connection, "status_intervals", row_ids=interval_ids)
    if content.known_by is not None:
        ends = content.indexes.intervals.ends_of(list(rows["interval_id"]))
        rows["end_date"] = pd.Series([ends[i] for i in rows["interval_id"]], index=rows.index, dtype=object)
    return rows


def content_for(content: Content, known_by: date | None) -> Content:
    """The content as it had been reported by `known_by` (the same content when None): intervals, their ends,
    reports and agreements' ends counted only from the day they were first reported. Kept per version and day."""
    if known_by is None:
        return content
    key = (content.url, content.version, known_by)
    with _lock:
        if key in _known:
            _known.move_to_end(key)
            return _known[key]
    reports = _interval_reports(content)
    indexes = content.indexes
    intervals = indexes.intervals.as_known_by(reports, known_by)
    known = replace(content, known_by=known_by, indexes=StoreIndexes(
        runs=intervals.runs(), source_dates=indexes.source_dates.published_by(known_by),
        commitments=indexes.commitments.as_known_by(known_by), intervals=intervals))
    with _lock:
        known = _known.setdefault(key, known)
        while len(_known) > KNOWN_BY_KEPT:
            _known.popitem(last=False)
    return known


def _interval_reports(content: Content) -> pd.DataFrame:
    """When each interval and its end were first reported, read once per version (only a known_by view needs
    it)."""
    key = (content.url, content.version)
    with _lock:
        if key in _reports:
            return _reports[key]
    with store_engine(content.url).connect() as connection:
        if content_version(connection) != content.version:
            raise StoreChanged("the store was reloaded since this page was drawn: reload the page")
        reports = interval_reports(connection)
    with _lock:
        reports = _reports.setdefault(key, reports)
        while len(_reports) > CONTENTS_KEPT:
            _reports.popitem(last=False)
    return reports


def kept_content(url: str | None = None) -> Content | None:
    """The content for the version the store holds now if this process keeps it, else None (read_store reads
    it, and says why it cannot): one small query, for a caller that must not wait for a whole read."""
    url = url or database_url()
    try:
        with _lock:
            engine = _engines.get(url)
        if engine is None:
            return None
        with engine.connect() as connection:
            key = (url, content_version(connection))
    except (StoreEmpty, SchemaMismatch, LoadRejected, SQLAlchemyError):
        return None
    with _lock:
        return _contents.get(key)


def kept_content_for(content: Content, known_by: date | None) -> Content | None:
    """content_for's answer if it is kept (or needs no work), else None."""
    if known_by is None:
        return content
    with _lock:
        return _known.get((content.url, content.version, known_by))


def read_store(url: str | None = None) -> Content:
    """The store's content for the version it holds now; StoreUnreadable says why it cannot be read."""
    url = url or database_url()
    try:
        engine = store_engine(url)
        for _attempt in range(READ_ATTEMPTS):
            with engine.connect() as connection:
                version = content_version(connection)
            try:
                return store_content(url, version)
            except StoreChanged:
                continue
        raise StoreUnreadable("The store is being reloaded again and again; try again in a moment.")
    except LoadRejected as exc:
        raise StoreUnreadable("The data files break the contract, so the store could not be built:",
                              [str(p) for p in exc.problems]) from exc
    except (StoreEmpty, SchemaMismatch) as exc:
        raise StoreUnreadable(str(exc)) from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()
        raise StoreUnreadable(f"Cannot read the store: {reason[0] if reason else type(exc).__name__}") from exc
