"""What changed, as an Atom 1.0 feed (RFC 4287): a status interval starting, an agreement or
moratorium coming into force, one ending. Pure: rows in, entries and XML out (the standard library's
ElementTree; feedgen drops link attributes)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import pandas as pd

from crossings.core.commitments import CommitmentIndex
from crossings.core.records import ACCESS_LISTS, TRAFFIC_KINDS

__all__ = ["MAX_ENTRIES", "TAG_AUTHORITY", "FeedEntry", "atom_xml", "change_entries", "interval_title"]

ATOM = "http://www.w3.org/2005/Atom"
# Entries a feed carries at most, newest first: a reader wants what changed lately.
MAX_ENTRIES = 100
# tag: URIs (RFC 4151) give every entry an id that stays the same across loads of the same data.
TAG_AUTHORITY = "tag:border-crossing-status.org,2026"


# an entry's id names what changed: tag:...:agreement/ID/start (ids published since the first feed)
ENTRY_KIND = {"agreements": "agreement", "moratoria": "moratorium"}


@dataclass(frozen=True)
class FeedEntry:
    entry_id: str
    title: str
    day: date
    crossing_ids: list[str]
    sources: list[str] = field(default_factory=list)  # "Publisher: Title (date) URL"
    summary: str = ""


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def interval_title(name: str, status: str, lists: Mapping[str, Sequence[str]], start: date) -> str:
    """e.g. 'Torkham: aid and returnees move; trade, transit and travellers barred; from 2025-12-04'."""
    if status != "restricted":
        return f"{name}: {status}, from {start}"
    verbs = {"moves": "move", "limited": "limited", "barred": "barred"}
    parts = []
    for name_ in ACCESS_LISTS:
        kinds = [k for k in TRAFFIC_KINDS if k in (lists.get(name_) or [])]
        if kinds:
            verb = "moves" if name_ == "moves" and len(kinds) == 1 else verbs[name_]
            parts.append(f"{_join(kinds)} {verb}")
    return f"{name}: restricted ({'; '.join(parts) or 'what moves not reported'}), from {start}"


def _source_texts(sources: pd.DataFrame) -> dict[str, str]:
    """Each source as an entry cites it: 'Publisher: Title (date) URL'."""
    texts = {}
    for row in sources.to_dict("records"):
        text = f"{row['publisher']}: {row['title']}" if row["publisher"] else str(row["title"])
        if row["published_on"] is not None:
            text += f" ({row['published_on']})"
        if row["url"]:
            text += f" {row['url']}"
        if row["quote"]:
            text += f" — “{row['quote']}”"
        texts[row["source_id"]] = text
    return texts


def change_entries(crossings: pd.DataFrame, intervals: pd.DataFrame, commitments: CommitmentIndex,
                   sources: pd.DataFrame, crossing_ids: Sequence[str], today: date, limit: int = MAX_ENTRIES
                   ) -> list[FeedEntry]:
    """The newest `limit` changes on or before today that concern these crossings (agreements and
    moratoria cover the crossings the commitment index says: a row naming none, its whole border).
    `intervals` are full rows (lists and sources)."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    texts = _source_texts(sources)  # once, not per entry
    chosen = set(crossing_ids)
    entries = []
    for row in intervals.to_dict("records"):
        if row["crossing_id"] not in chosen or row["start_date"] > today:
            continue
        entries.append(FeedEntry(
            f"{TAG_AUTHORITY}:interval/{row['interval_id']}",
            interval_title(names[row["crossing_id"]], row["status"], row, row["start_date"]),
            row["start_date"], [row["crossing_id"]], [texts[s] for s in row["source_ids"] if s in texts],
            " ".join(t for t in (row["detail"], row["cause"]) if t)))
    for row in commitments.frame.to_dict("records"):
        table, covered = ENTRY_KIND[row["table"]], list(row["crossing_ids"])
        item_id, title, kind, start, until = row["item_id"], row["title"], row["label"], row["start"], row["until"]
        if chosen.isdisjoint(row["covered"]):
            continue
        where = _join([names.get(c, c) for c in covered]) if covered else row["scope"]
        cited = [texts[s] for s in row["source_ids"] if s in texts]
        if start is not None and start <= today:
            entries.append(FeedEntry(f"{TAG_AUTHORITY}:{table}/{item_id}/start",
                                     f"In force: {title} ({kind}, {where}), from {start}", start, covered, cited,
                                     f"In force until {until}." if until else "No end date reported."))
        ended = row["ended"]
        if ended is not None and (until is None or until >= ended) and ended <= today:  # an end a source reports
            entries.append(FeedEntry(f"{TAG_AUTHORITY}:{table}/{item_id}/end",
                                     f"Ended: {title} ({kind}, {where}), on {ended}", ended, covered,
                                     [texts[s] for s in row["end_source_ids"] if s in texts] or cited))
        elif until is not None and until + timedelta(days=1) <= today:  # its term ran out
            entries.append(FeedEntry(f"{TAG_AUTHORITY}:{table}/{item_id}/end",
                                     f"Ended: {title} ({kind}, {where}), last day {until}",
                                     until + timedelta(days=1), covered, cited))
    entries.sort(key=lambda e: (e.day, e.entry_id), reverse=True)
    return entries[:limit]


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_xml(entries: Sequence[FeedEntry], *, feed_id: str, title: str, self_url: str, page_url: str,
             updated: date) -> bytes:
    """The Atom document; each entry links to the page filtered to its crossings and date."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(updated)
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "Border Crossing Status"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page_url)
    for entry in entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}id").text = entry.entry_id
        ET.SubElement(node, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(node, f"{{{ATOM}}}updated").text = _stamp(entry.day)
        query = urlencode([*(("crossing", c) for c in entry.crossing_ids), ("as_of", entry.day.isoformat())])
        ET.SubElement(node, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{page_url}?{query}")
        lines = [entry.summary] if entry.summary else []
        lines += [f"Source: {s}" for s in entry.sources] or ["Source: none recorded"]
        ET.SubElement(node, f"{{{ATOM}}}content", type="text").text = "\n".join(lines)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
