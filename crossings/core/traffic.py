"""What moves: the status of each kind of traffic, from an interval's status and its moves, limited
and barred lists. The one definition (README "What moves"):

- an open interval: every kind open; a closed interval: every kind closed;
- a restricted interval: a kind in `moves` is open, in `limited` restricted, in `barred` closed,
  and a kind the row does not name is unknown;
- no interval: unknown.

Day counts, runs, closures and the as-of cut per kind are then the crossing-wide ones computed over
these per-kind statuses (for_traffic turns the intervals into per-kind intervals), by the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crossings.core.records import ACCESS_LISTS, TRAFFIC_KINDS, UNKNOWN
from crossings.core.wording import ENGLISH, Words

__all__ = [
    "ACCESS_STATUS",
    "access_by_kind",
    "check_traffic",
    "for_traffic",
    "kind_status",
    "kind_statuses",
    "lists_of",
    "traffic_text",
    "with_access",
]

# A restricted interval's list -> the status of a kind in it.
ACCESS_STATUS = {"moves": "open", "limited": "restricted", "barred": "closed"}


def check_traffic(kind: str | None) -> str | None:
    """The kind, or ValueError naming the known kinds (None: the crossing as a whole)."""
    if kind is not None and kind not in TRAFFIC_KINDS:
        raise ValueError(f"unknown kind of traffic {kind[:40]!r}; the kinds are {', '.join(TRAFFIC_KINDS)}")
    return kind


def access_by_kind(lists: Mapping[str, Sequence[str] | None]) -> dict[str, str | None]:
    """{kind: 'moves' | 'limited' | 'barred' | None} from the three lists (as the store keeps them)."""
    found: dict[str, str | None] = dict.fromkeys(TRAFFIC_KINDS)
    for name in ACCESS_LISTS:
        for kind in lists.get(name) or []:
            found[kind] = name
    return found


def lists_of(access: Mapping[str, str | None]) -> dict[str, list[str]]:
    """The moves, limited and barred lists from {kind: list name}, each in vocabulary order."""
    return {name: [k for k in TRAFFIC_KINDS if access.get(k) == name] for name in ACCESS_LISTS}


def kind_status(status: str | None, access: str | None) -> str:
    """The status of one kind of traffic under an interval of `status` that puts it in list `access`."""
    if status is None:
        return UNKNOWN
    if status != "restricted":
        return status
    return ACCESS_STATUS.get(access or "", UNKNOWN)


def traffic_text(statuses: Mapping[str, str], words: Words = ENGLISH) -> str:
    """e.g. 'trade closed, transit closed, aid open, travellers closed, returnees open' (each kind and status is
    a message of its own: crossings.view.words' KIND_NAMES and STATUS_WORDS mark them)."""
    return words._(", ").join(words._("{kind} {status}", kind=words._(kind), status=words._(statuses[kind]))
                              for kind in TRAFFIC_KINDS)


def with_access(intervals: pd.DataFrame) -> pd.DataFrame:
    """Full interval rows (with moves, limited and barred lists) plus one column per kind of traffic
    naming the list it is in (or None): the form for_traffic reads, as the store keeps it."""
    access = [access_by_kind(r) for r in intervals[list(ACCESS_LISTS)].to_dict("records")]
    return intervals.assign(**{kind: pd.Series([a[kind] for a in access], index=intervals.index, dtype=object)
                               for kind in TRAFFIC_KINDS})


def kind_statuses(status: np.ndarray, access: np.ndarray) -> np.ndarray:
    """kind_status over arrays: each interval's status for a kind, from its status and the list
    (or None) it puts the kind in; UNKNOWN where the row does not name the kind."""
    status = np.asarray(status, dtype=object)
    named = np.array([ACCESS_STATUS.get(a, UNKNOWN) if isinstance(a, str) else UNKNOWN for a in access], dtype=object)
    return np.where(status != "restricted", status, named).astype(object)


def for_traffic(intervals: pd.DataFrame, kind: str | None) -> pd.DataFrame:
    """The intervals as seen by one kind of traffic: status replaced by the kind's status, and the
    rows where it is unknown left out (their days are unknown, as days no interval covers).
    `intervals` has a status column and a column named by the kind (the list it is in, or None);
    without a kind the intervals are returned as they are."""
    if kind is None:
        return intervals
    mapped = kind_statuses(intervals["status"].to_numpy(dtype=object), intervals[kind].to_numpy(dtype=object))
    seen = intervals.assign(status=pd.Series(mapped, index=intervals.index, dtype=object))
    return seen[mapped != UNKNOWN]
