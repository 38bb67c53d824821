"""Ready answers: each route's answer kept as the bytes sent, per store content version (and known_by), keyed
by the normalised query (route, parsed filters, today), in one bounded cache shared by every request of the
process. A request whose answer is kept costs a version check and a lookup; only the first asker of a query
pays for working it out. No Streamlit, no Plotly."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from crossings.view.filters import PARAMS, Filters
from crossings.view.store import Content

__all__ = ["ANSWERS_KEPT", "ANSWER_BYTES_KEPT", "KEYED_BY_FILTERS", "READY", "Answer", "ReadyAnswers", "answer_key",
           "json_bytes"]

# How many answers and how many bytes of them a process keeps: a feed reader's or a shared link's queries
# are few and repeated; a crawler's many different ones must not grow the process without end.
ANSWERS_KEPT = 2_000
ANSWER_BYTES_KEPT = 64 * 2**20
# Routes whose answer depends on nothing of the request but its filters and its other parameters (the
# intervals' page): one answer serves every URL that means the same. The others (the feed names its own URL)
# are keyed by their whole URL as well.
KEYED_BY_FILTERS = frozenset({"/api/v1/status", "/api/v1/summary.csv", "/api/v1/intervals.json"})


@dataclass(frozen=True)
class Answer:
    """A route's answer as sent: the body's bytes, its media type and the headers of its own."""

    body: bytes
    media_type: str
    headers: Mapping[str, str]


def json_bytes(value: Any) -> bytes:
    """JSON as the API sends it: orjson, which wrote the status and intervals answers 11-15x faster than the
    standard library (BENCHMARKS.md); numpy numbers as numbers, NaN as null."""
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)


def answer_key(content: Content, path: str, filters: Filters, today: date,
               params: Sequence[tuple[str, str]], url: str) -> Hashable:
    """What an answer depends on: the store version and what was known by, the route, the filters as parsed
    (two URLs meaning the same share one answer), today (the default as-of date), the route's parameters
    other than filters (limit, after), and for a route not keyed by its filters alone its whole URL."""
    others = tuple(sorted((name, value) for name, value in params if name not in PARAMS))
    return (content.url, content.version, content.known_by, path, filters, today, others,
            None if path in KEYED_BY_FILTERS else url)


class ReadyAnswers:
    """A bounded cache of answers, the least recently used dropped first; the answers of a store version
    are dropped as soon as another version of the same store is answered for."""

    def __init__(self, max_entries: int = ANSWERS_KEPT, max_bytes: int = ANSWER_BYTES_KEPT) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, tuple[tuple[str, str], Answer]] = OrderedDict()
        self._bytes = 0
        self._versions: dict[str, str] = {}  # store URL -> the version last answered for
        self.hits = self.misses = 0  # for the benchmark and the tests: how often an answer was found kept

    def kept(self, key: Hashable) -> Answer | None:
        """The kept answer for `key`, if any (counted as a hit)."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return found[1]

    def answer(self, content: Content, key: Hashable, work_out: Callable[[], Answer]) -> Answer:
        """The kept answer for `key`, else `work_out()`'s, kept. Worked out outside the lock: a slow answer
        never holds up the others (two first askers of one query may both work it out; one is kept)."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                self.hits += 1
                return found[1]
            self.misses += 1
        made = work_out()
        size = len(made.body)
        with self._lock:
            if self._versions.get(content.url) != content.version:
                self._versions[content.url] = content.version
                for old in [k for k, (store, _) in self._kept.items()
                            if store[0] == content.url and store[1] != content.version]:
                    self._drop(old)
            if key not in self._kept and size <= self.max_bytes and self.max_entries > 0:
                self._kept[key] = ((content.url, content.version), made)
                self._bytes += size
                while len(self._kept) > self.max_entries or self._bytes > self.max_bytes:
                    self._drop(next(iter(self._kept)))
        return made

    def _drop(self, key: Hashable) -> None:
        _, dropped = self._kept.pop(key)
        self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._versions.clear()
            self._bytes = 0
            self.hits = self.misses = 0


# The process's one cache, shared by every request (routes.py); tests swap in one that keeps nothing.
READY = ReadyAnswers()
