"""What changed, as an Atom 1.0 feed (RFC 4287): a status interval starting, an agreement or
moratorium coming into force, one ending; each entry in plain English, as the page says it (a title like
'Torkham: restricted — aid and returnees move', then the detail and the cause as sentences of their own), with
links to the page and to /lite on that day. Pure: rows in, entries and XML out (the standard library's
ElementTree; feedgen drops link attributes). The tag: authority of the ids is a deployer's setting."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

import pandas as pd

from crossings.core.commitments import COMMITMENT_LABELS, CommitmentIndex
from crossings.core.records import ACCESS_LISTS, TRAFFIC_KINDS
from crossings.view.i18n import N_, Translator, translator
from crossings.view.words import KIND_NAMES, STATUS_WORDS

__all__ = ["MAX_ENTRIES", "TAG_AUTHORITY", "TAG_AUTHORITY_SETTING", "FeedEntry", "atom_xml", "change_entries",
           "interval_text", "interval_title", "tag_authority"]

ATOM = "http://www.w3.org/2005/Atom"
# Entries a feed carries at most, newest first: a reader wants what changed lately.
MAX_ENTRIES = 100
# tag: URIs (RFC 4151) give every entry an id that stays the same across loads of the same data. Their
# authority is the deployer's (a domain or an email address they controlled on a date): set it in the environment
# variable below. The default is the one the feed has always used, so that no reader sees old entries again.
TAG_AUTHORITY = "tag:border-crossing-status.org,2026"
TAG_AUTHORITY_SETTING = "CROSSINGS_TAG_AUTHORITY"
# RFC 4151's taggingEntity: (DNS name | email address) "," date (YYYY, YYYY-MM or YYYY-MM-DD)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_TAGGING_ENTITY = re.compile(rf"(?:[A-Za-z0-9._-]+@)?{_LABEL}(?:\.{_LABEL})*,\d{{4}}(?:-(?:0[1-9]|1[0-2])"
                             r"(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


def tag_authority(environ: Mapping[str, str] = os.environ) -> str:
    """The tag: prefix of the feed's ids: 'tag:' and CROSSINGS_TAG_AUTHORITY (e.g. 'example.org,2027', with or
    without 'tag:'), else TAG_AUTHORITY. A value that is not an RFC 4151 authority is a ValueError naming it."""
    value = environ.get(TAG_AUTHORITY_SETTING, "").strip()
    if not value:
        return TAG_AUTHORITY
    entity = value.removeprefix("tag:")
    if not _TAGGING_ENTITY.fullmatch(entity):
        raise ValueError(f"{TAG_AUTHORITY_SETTING}={value!r} is not a tag: authority (RFC 4151): a domain name or an "
                         "email address you control, a comma and a date you controlled it on, e.g. example.org,2027")
    return f"tag:{entity}"


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


# An agreement's kind (or "moratorium") in a title: 'a ceasefire', 'a transit agreement', 'an agreement'.
KIND_WORDS = {"ceasefire": "ceasefire", "moratorium": "moratorium", "other": "agreement"}
# Plural nouns take a plural verb ("returnees move", "aid moves"); a list of two or more always does.
PLURAL_KINDS = {"travellers", "returnees"}


def _plural(kinds: Sequence[str]) -> bool:
    return len(kinds) > 1 or kinds[0] in PLURAL_KINDS


def _lists(lists: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The interval's kinds by list (moves, limited, barred), in the order of TRAFFIC_KINDS."""
    return {name: [k for k in TRAFFIC_KINDS if k in (lists.get(name) or [])] for name in ACCESS_LISTS}


def interval_title(name: str, status: str, lists: Mapping[str, Sequence[str]], tr: Translator | None = None) -> str:
    """The title a reader scans: 'Torkham: closed'; 'Torkham: restricted — aid and returnees move'; with limits,
    'Chaman / Spin Boldak: restricted — returnees move, transit limited'. What is barred is in the text. In
    another language (tr), the same facts as status word, then each list named: 'Torkham: محدود — عبور: ...'."""
    if tr is not None and tr.lang != "en":
        return _translated_title(name, status, lists, tr)
    if status != "restricted":
        return f"{name}: {status}"
    found = _lists(lists)
    parts = []
    if found["moves"]:
        parts.append(f"{_join(found['moves'])} {'move' if _plural(found['moves']) else 'moves'}")
    if found["limited"]:
        parts.append(f"{_join(found['limited'])} limited")
    if not parts and found["barred"]:
        parts.append(f"{_join(found['barred'])} barred")
    return f"{name}: restricted — {', '.join(parts) or 'what moves not reported'}"


def _sentence(text: str) -> str:
    """A text from the data as a sentence: capitalised, ending with a full stop."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def interval_text(status: str, start: date, lists: Mapping[str, Sequence[str]], detail: str | None,
                  cause: str | None) -> list[str]:
    """An interval's entry as sentences: when and what, what moves (each list its own sentence), the detail, the
    cause. 'Restricted from 2025-12-07.', 'Aid and returnees move.', 'Trade, transit and travellers are barred.',
    'Detail: UN aid cargo and returning Afghans only; trade and travel shut.', 'Cause: ...'."""
    if status == "open":
        lines = [f"Open from {start}: all traffic moves."]
    elif status == "closed":
        lines = [f"Closed from {start}: nothing moves."]
    else:
        found = _lists(lists)
        lines = [f"{status.capitalize()} from {start}."]
        for name, singular, plural in (("moves", "moves", "move"), ("limited", "is limited", "are limited"),
                                       ("barred", "is barred", "are barred")):
            if found[name]:
                lines.append(_sentence(f"{_join(found[name])} {plural if _plural(found[name]) else singular}"))
        named = {k for kinds in found.values() for k in kinds}
        if not named:
            lines.append("What moves is not reported.")
        elif len(named) < len(TRAFFIC_KINDS):
            lines.append(_sentence(f"no report on {_join([k for k in TRAFFIC_KINDS if k not in named])}"))
    lines += [f"Detail: {_sentence(detail)}"] if detail else []
    lines += [f"Cause: {_sentence(cause)}"] if cause else []
    return lines


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


# The lists of a restricted interval, named in a translated title.
LIST_WORDS = {"moves": N_("moves"), "limited": N_("limited"), "barred": N_("barred")}
# A commitment entry's title: its state, then what it is.
IN_FORCE_TITLE, ENDED_TITLE, TERM_OVER_TITLE = N_("In force: {what}"), N_("Ended: {what}"), N_("Term over: {what}")


def _translated_title(name: str, status: str, lists: Mapping[str, Sequence[str]], tr: Translator) -> str:
    word = tr._(STATUS_WORDS.get(status, status))
    if status != "restricted":
        return f"{tr.isolate(name)}: {word}"
    found = _lists(lists)
    shown = [name_ for name_ in ("moves", "limited") if found[name_]] or [n for n in ("barred",) if found[n]]
    parts = [f"{tr._(LIST_WORDS[list_name])}: {tr._(', ').join(tr._(KIND_NAMES[k]) for k in found[list_name])}"
             for list_name in shown]
    return f"{tr.isolate(name)}: {word} — {'؛ '.join(parts)}" if parts else f"{tr.isolate(name)}: {word}"


def change_entries(crossings: pd.DataFrame, intervals: pd.DataFrame, commitments: CommitmentIndex,
                   sources: pd.DataFrame, crossing_ids: Sequence[str], today: date, limit: int = MAX_ENTRIES,
                   authority: str = TAG_AUTHORITY, tr: Translator | None = None) -> list[FeedEntry]:
    """The newest `limit` changes on or before today that concern these crossings (agreements and
    moratoria cover the crossings the commitment index says: a row naming none, its whole border).
    `intervals` are full rows (lists and sources); the ids begin with `authority` (tag_authority). With a
    translator, the titles are in its language (the texts stay English; the ids never change)."""
    tr = tr or translator()
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    texts = _source_texts(sources)  # once, not per entry
    chosen = set(crossing_ids)
    entries = []
    for row in intervals.to_dict("records"):
        if row["crossing_id"] not in chosen or row["start_date"] > today:
            continue
        entries.append(FeedEntry(
            f"{authority}:interval/{row['interval_id']}",
            interval_title(names[row["crossing_id"]], row["status"], row, tr),
            row["start_date"], [row["crossing_id"]], [texts[s] for s in row["source_ids"] if s in texts],
            "\n".join(interval_text(row["status"], row["start_date"], row, row["detail"], row["cause"]))))
    for row in commitments.frame.to_dict("records"):
        table, covered = ENTRY_KIND[row["table"]], list(row["crossing_ids"])
        item_id, title, kind, start, until = row["item_id"], row["title"], row["label"], row["start"], row["until"]
        if chosen.isdisjoint(row["covered"]):
            continue
        if tr.lang == "en":
            where = f"at {_join([names.get(c, c) for c in covered])}" if covered else f"on {row['scope']}"
            what = f"{title} — {KIND_WORDS.get(kind, f'{kind} agreement')} {where}"
        else:
            where = (tr._(", ").join(tr.isolate(names.get(c, c)) for c in covered) if covered
                     else tr.border_scope(row["scope"]))
            what = f"{tr.isolate(title)} — {tr._(COMMITMENT_LABELS.get(kind, COMMITMENT_LABELS['other']))}: {where}"
        cited = [texts[s] for s in row["source_ids"] if s in texts]
        if start is not None and start <= today:
            entries.append(FeedEntry(f"{authority}:{table}/{item_id}/start", tr._(IN_FORCE_TITLE, what=what),
                                     start, covered, cited, f"In force from {start} " + (f"until {until}." if until
                                                                          else "with no end date reported.")))
        ended = row["ended"]
        if ended is not None and (until is None or until >= ended) and ended <= today:  # an end a source reports
            entries.append(FeedEntry(f"{authority}:{table}/{item_id}/end", tr._(ENDED_TITLE, what=what),
                                     ended, covered, [texts[s] for s in row["end_source_ids"] if s in texts] or cited,
                                     f"Ended on {ended}, as reported; in force from {start}."
                                     if start else f"Ended on {ended}, as reported."))
        elif until is not None and until + timedelta(days=1) <= today:  # its term ran out
            entries.append(FeedEntry(f"{authority}:{table}/{item_id}/end", tr._(TERM_OVER_TITLE, what=what),
                                     until + timedelta(days=1), covered, cited,
                                     f"Its term ended: {until} was its last day in force."))
    entries.sort(key=lambda e: (e.day, e.entry_id), reverse=True)
    return entries[:limit]


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_xml(entries: Sequence[FeedEntry], *, feed_id: str, title: str, self_url: str, page_url: str,
             updated: date, lite_url: str | None = None, lang: str = "en") -> bytes:
    """The Atom document; each entry links to the page filtered to its crossings and date, and (related) to the
    same on `lite_url`, the page without JavaScript."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
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
        if lite_url:
            # a second text/html link may not be another "alternate" (RFC 4287 4.2.7.2): it is "related"
            ET.SubElement(node, f"{{{ATOM}}}link", rel="related", type="text/html",
                          title="The same day without JavaScript", href=f"{lite_url}?{query}")
            lines.append(f"Without JavaScript: {lite_url}?{query}")
        ET.SubElement(node, f"{{{ATOM}}}content", type="text").text = "\n".join(lines)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
