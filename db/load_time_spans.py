"""Spans and cited sources packed by the load into one stored .npz blob (not db.fixed_width's query-time read)."""

from __future__ import annotations

import io
from array import array
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from crossings.core.days import NO_END, SpanColumns, from_day_number
from crossings.core.records import STATUSES, TRAFFIC_KINDS
from db.models import Derived

__all__ = ["CITED", "SPANS", "SpanCollector", "pack_text", "read_stored_cited", "read_stored_spans", "save_arrays",
           "unpack_stored_spans", "unpack_text"]

# What readers derive from a loaded content, packed once by the load: the intervals' spans (what day
# arithmetic and the page's indexes need: ids, crossing, status, dates and each kind's list) and which
# sources each crossing's intervals cite. The page's first view of a new content then reads one value
# instead of a million rows (`interval_spans` and `interval_sources` read the same from the rows, and stay
# the plain path: a store without this value, or one written by other means, is read that way).
#
# The packing is NumPy's .npz without pickles: text as one UTF-8 string of values joined by a separator
# that no checked field holds (the contract refuses control characters), categories as codes.

SPANS = "spans"  # the name of the packed value in the derived table
# The cited pairs alone, beside it: `summary` reads them without fetching the spans (tens of MB at a million
# intervals, most of a second on PostgreSQL). A store loaded before they were kept apart reads them from SPANS.
CITED = "cited"
_SEPARATOR = "\x1f"
_NAT = int(np.datetime64("NaT", "D").astype("int64"))  # a date's number for none (an ongoing interval's end)


def pack_text(values: list[str] | np.ndarray) -> np.ndarray:
    """Texts as one UTF-8 array, joined by a separator no checked field holds (unpack_text splits them again)."""
    return np.frombuffer(_SEPARATOR.join(values).encode(), dtype=np.uint8)


def unpack_text(packed: np.ndarray, count: int) -> np.ndarray:
    """The `count` texts of pack_text's array, as an object array."""
    if count == 0:
        return np.array([], dtype=object)
    return np.array(packed.tobytes().decode().split(_SEPARATOR), dtype=object)


def _category(values: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """codes (-1 for None), and the categories as packed text with their count."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    return codes.astype("int32"), pack_text([str(u) for u in uniques]), np.array([len(uniques)])


def _uncategory(codes: np.ndarray, packed: np.ndarray, count: np.ndarray) -> np.ndarray:
    uniques = np.empty(int(count[0]) + 1, dtype=object)  # the last, None, is what code -1 picks
    uniques[:-1] = unpack_text(packed, int(count[0]))
    return uniques[codes]


def save_arrays(arrays: dict[str, np.ndarray]) -> bytes:
    """Arrays as an .npz value, without pickles."""
    out = io.BytesIO()
    np.savez(out, allow_pickle=False, **arrays)
    return out.getvalue()


def unpack_stored_spans(packed: bytes) -> tuple[SpanColumns, pd.DataFrame]:
    """The spans of a load-time blob as columns, straight from its codes (no frame of text on the way), and
    the cited pairs: equal to what the plain reads give (SpanColumns.from_frame of interval_spans,
    interval_sources)."""
    with np.load(io.BytesIO(packed), allow_pickle=False) as arrays:
        def category(prefix: str) -> tuple[np.ndarray, np.ndarray]:  # codes (-1: none) and the names
            count = int(arrays[f"{prefix}.count"][0])
            codes = arrays[f"{prefix}.codes"]  # a few statuses and lists: a byte each, not eight
            return codes.astype("int8") if count < 127 else codes, unpack_text(arrays[f"{prefix}.values"], count)

        end = arrays["end_date"]
        crossing, names = category("crossing_id")
        crossing_ids, crossing = SpanColumns.sorted_names(names, crossing.astype("int64"))
        status, words = category("status")
        spans = SpanColumns(
            interval_id=unpack_text(arrays["interval_id"], int(arrays["count"][0])),
            crossing_ids=crossing_ids, crossing=crossing,
            status=np.array([STATUSES.index(w) for w in words], dtype="int8")[status] if len(words) else status,
            start=arrays["start_date"].astype("int64"), end=np.where(end == _NAT, NO_END, end).astype("int64"),
            access={kind: category(kind) for kind in TRAFFIC_KINDS})
        cited = _cited(arrays)
    return spans, cited


def _cited(arrays: Any) -> pd.DataFrame:
    """The cited pairs of an opened blob (interval_sources' frame)."""
    return pd.DataFrame({name: pd.Series(_uncategory(arrays[f"cited.{name}.codes"], arrays[f"cited.{name}.values"],
                                                     arrays[f"cited.{name}.count"]), dtype=object)
                         for name in ("crossing_id", "source_id")})


def read_stored_spans(connection: Connection) -> tuple[SpanColumns, pd.DataFrame] | None:
    """The load-time spans of the content in this connection's snapshot, or None when the store has none."""
    packed = connection.execute(select(Derived.content).where(Derived.name == SPANS)).scalar()
    return None if packed is None else unpack_stored_spans(packed)


def read_stored_cited(connection: Connection) -> pd.DataFrame | None:
    """Only the load-time cited pairs (which sources each crossing's intervals cite) of the content in this
    connection's snapshot, or None when the store has none: `summary` needs them for carried days, and reads
    them so instead of joining every interval's sources, unpacking none of the spans."""
    packed = (connection.execute(select(Derived.content).where(Derived.name == CITED)).scalar()
              or connection.execute(select(Derived.content).where(Derived.name == SPANS)).scalar())
    if packed is None:
        return None
    with np.load(io.BytesIO(packed), allow_pickle=False) as arrays:  # an .npz reads only the members asked for
        return _cited(arrays)


class SpanCollector:
    """Gathers the spans of the intervals as the load writes them (no second read), compactly: ids are
    the records' own strings, categories small codes, dates day numbers."""

    _EPOCH = from_day_number(0).toordinal()  # core.days' epoch: its day numbers are datetime64[D]'s counts
    def __init__(self) -> None:
        self.interval_id: list[str] = []
        self.start = array("q")
        self.end = array("q")
        self.categories: dict[str, dict[str | None, int]] = {
            name: {} for name in ("crossing_id", "status", *TRAFFIC_KINDS)}
        self.codes = {name: array("i") for name in self.categories}
        self.cited: set[tuple[str, str]] = set()

    def add(self, values: dict[str, list[Any]], access: list[tuple[str | None, ...]]) -> None:
        """A batch of intervals: their typed values by column, and each one's access tuple (TRAFFIC_KINDS order)."""
        epoch, nat = self._EPOCH, _NAT
        self.interval_id.extend(values["interval_id"])
        self.start.extend([day.toordinal() - epoch for day in values["start_date"]])
        self.end.extend([nat if day is None else day.toordinal() - epoch for day in values["end_date"]])
        by_kind = list(zip(*access, strict=True)) if access else [() for _ in TRAFFIC_KINDS]
        for name, column in (("crossing_id", values["crossing_id"]), ("status", values["status"]),
                             *zip(TRAFFIC_KINDS, by_kind, strict=True)):
            seen = self.categories[name]
            for value in dict.fromkeys(column):
                seen.setdefault(value, len(seen))
            self.codes[name].extend(map(seen.__getitem__, column))
        self.cited.update((crossing, source) for crossing, sources in
                          zip(values["crossing_id"], values["source_ids"], strict=True) for source in sources)

    def load_time_blob(self) -> bytes:
        """The blob stored for readers (unpack_stored_spans): the spans in crossing, then start order, as
        interval_spans orders its frame."""
        crossings = sorted(c for c in self.categories["crossing_id"] if c is not None)
        rank = {c: n for n, c in enumerate(crossings)}
        by_code = np.array([rank[str(c)] for c in self.categories["crossing_id"]], dtype="int64")
        start = np.frombuffer(self.start, dtype="int64")
        crossing = by_code[np.frombuffer(self.codes["crossing_id"], dtype="int32")]
        order = np.lexsort((start, crossing))
        arrays: dict[str, np.ndarray] = {
            "interval_id": pack_text(np.asarray(self.interval_id, dtype=object)[order]),
            "count": np.array([len(order)]),
            "start_date": start[order], "end_date": np.frombuffer(self.end, dtype="int64")[order]}
        for name, seen in self.categories.items():
            # codes -1 for None, the categories in first-seen order (as pandas.factorize numbers them)
            values = [v for v in seen if v is not None]
            remap = np.array([values.index(v) if v is not None else -1 for v in seen], dtype="int32")
            codes = remap[np.frombuffer(self.codes[name], dtype="int32")[order]] if len(order) else \
                np.array([], dtype="int32")
            # a few statuses and lists: a byte a row, not four (a reader takes any integer codes)
            codes = codes.astype("int8") if len(values) < 127 else codes
            arrays[f"{name}.codes"], arrays[f"{name}.values"] = codes, pack_text([str(v) for v in values])
            arrays[f"{name}.count"] = np.array([len(values)])
        arrays.update(self._cited_arrays())
        return save_arrays(arrays)

    def cited_blob(self) -> bytes:
        """Only the cited pairs, as load_time_blob packs them (read_stored_cited reads either)."""
        return save_arrays(self._cited_arrays())

    def _cited_arrays(self) -> dict[str, np.ndarray]:
        pairs = sorted(self.cited)
        arrays: dict[str, np.ndarray] = {}
        for n, name in enumerate(("crossing_id", "source_id")):
            arrays[f"cited.{name}.codes"], arrays[f"cited.{name}.values"], arrays[f"cited.{name}.count"] = \
                _category([p[n] for p in pairs])
        return arrays
