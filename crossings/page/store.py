"""The page's reading of the store: one engine per URL, the content cached per version, and the
text of the rows drawn read from that same version. The only page module that touches the store
(and the only one that imports Streamlit, for its caches)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from crossings.core.records import TABLES, TRAFFIC_KINDS
from crossings.core.validation import LoadRejected
from crossings.page.indexes import StoreIndexes, build_indexes
from db.engine import database_url, open_store
from db.load_time_spans import read_stored_spans
from db.migrate import SchemaMismatch
from db.queries import StoreEmpty, content_version, interval_sources, interval_spans, read_table

__all__ = ["Content", "StoreChanged", "StoreUnreadable", "interval_rows", "read_store", "store_engine"]

# How often a reader tries again when a load commits between reading the version and the rows.
READ_ATTEMPTS = 5


class StoreChanged(Exception):
    """A load committed since the page read the store's version: read again."""


class StoreUnreadable(Exception):
    """The store cannot be read; `message` says why in one line, `details` lists data problems."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


@dataclass(frozen=True)
class Content:
    """One version of the store as the page holds it: every table but the intervals, whose
    numbers are in the indexes; the text of the intervals drawn is read on each rerun."""

    url: str
    version: str
    tables: dict[str, pd.DataFrame]
    indexes: StoreIndexes


@st.cache_resource(show_spinner=False)
def store_engine(url: str) -> Engine:
    return open_store(url)


# cache_resource, not cache_data: the content is shared and never changed by the page, and a
# million-interval store would otherwise be copied on every rerun.
@st.cache_resource(show_spinner=False, max_entries=2)
def store_content(url: str, version: str) -> Content:
    """The store's content, cached per version: a reload of the store shows at once."""
    with store_engine(url).connect() as connection:
        if content_version(connection) != version:
            raise StoreChanged  # never cache one version's rows under another's key
        tables = {spec.name: read_table(connection, spec) for spec in TABLES if spec.name != "status_intervals"}
        # packed by the load (db.load_time_spans); a store without it is read row by row, to the same frames
        spans, cited = read_stored_spans(connection) or (interval_spans(connection, traffic=TRAFFIC_KINDS),
                                                  interval_sources(connection))
    return Content(url, version, tables, build_indexes(tables, spans, cited))


def interval_rows(content: Content, interval_ids: Sequence[str]) -> pd.DataFrame:
    """The full rows (text and sources) of these intervals, from the version the page shows."""
    with store_engine(content.url).connect() as connection:
        if content_version(connection) != content.version:
            raise StoreChanged("the store was reloaded since this page was drawn: reload the page")
        return read_table(connection, "status_intervals", row_ids=interval_ids)


def read_store() -> Content:
    """The store's content for the version it holds now; StoreUnreadable says why it cannot be read."""
    url = database_url()
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
