"""The fast path: a whole batch of rows checked by column, which can only say "every row certainly passes"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from crossings.core.records import ACCESS_LISTS, FORMULA_TRIGGERS, ID, REF, TEXT, TableSpec
from crossings.core.validation.fields import CONTROL, MAX_FIELD_CHARS, Known, parsers
from crossings.core.validation.rules import REPORT_COLUMNS, reported_problems, row_problems, traffic_problems

__all__ = ["batch_values", "texts_by_column"]

# The batch checks (batch_values) over a column's texts joined by newlines: a field that starts or ends
# with a space, one that starts as a formula would, a column of ids. A field holding a newline can only
# make them fail, and a failed batch is checked row by row.
_EDGE_SPACE = re.compile(r"(?:\A|\n)\s|\s(?:\n|\Z)")
_FORMULA_START = re.compile(r"(?:\A|\n)(?:" + "|".join(map(re.escape, FORMULA_TRIGGERS)) + ")")
_SLUGS = re.compile(r"[a-z0-9-]+(?:\n[a-z0-9-]+)*")
# Columns whose texts are too varied to check one distinct text at a time.
_JOINED_KINDS = (TEXT, ID, REF)
# Distinct texts a column remembers the value of (dates, statuses, lists of kinds or sources) before it
# starts afresh.
_MEMO_TEXTS = 50_000


def texts_by_column(spec: TableSpec, rows: list[list[str]]) -> dict[str, Sequence[str]]:
    return dict(zip(spec.header, zip(*rows, strict=True), strict=True))


def batch_values(
    spec: TableSpec, rows: list[list[str]], known: Known, memo: dict[str, dict[str, Any]]
) -> tuple[dict[str, Sequence[str]], dict[str, list[Any]]] | None:
    """The texts and typed values of a batch of rows, by column, when every field and row rule certainly
    holds for every row; None when one might not (then the rows are checked one by one, which words the
    problems). Values come from the same parsers as the row checks'; tests hold the two to each other."""
    texts = texts_by_column(spec, rows)
    values: dict[str, list[Any]] = {}
    for (name, parse), column in zip(parsers(spec), spec.columns, strict=True):
        column_texts = texts[name]
        if column.kind in _JOINED_KINDS:
            given = list(filter(None, column_texts))
            if column.required and len(given) != len(column_texts):
                return None
            if given:
                joined = "\n".join(given)
                if (max(map(len, given)) > MAX_FIELD_CHARS or CONTROL.search(joined) or _EDGE_SPACE.search(joined)
                        or (column.kind == TEXT and _FORMULA_START.search(joined))):
                    return None
                if column.kind != TEXT and (joined.count("\n") != len(given) - 1 or not _SLUGS.fullmatch(joined)):
                    return None
                if (column.kind == REF and column.ref is not None and column.ref not in known.unreadable
                        and any(value not in known.ids[column.ref] for value in set(given))):
                    return None
            values[name] = [text or None for text in column_texts]
        else:
            seen = memo[name]
            new = set(column_texts).difference(seen)
            if len(seen) + len(new) > _MEMO_TEXTS:
                seen.clear()
                new = set(column_texts)
            for text in new:
                try:
                    seen[text] = parse(text, known)
                except ValueError:
                    return None
            values[name] = list(map(seen.__getitem__, column_texts))
    return (texts, values) if _row_rules_hold(spec, texts, values, known) else None


def _row_rules_hold(spec: TableSpec, texts: dict[str, Sequence[str]], values: dict[str, list[Any]],
                    known: Known | None) -> bool:
    """Whether row_problems finds nothing in any row of a batch."""
    if spec.name != "status_intervals":
        return not any(row_problems(spec, dict(zip(values, row, strict=True)))
                       for row in zip(*values.values(), strict=True))
    if any(reported_problems(dict(zip(REPORT_COLUMNS, row, strict=True)), known)
           for row in zip(*(values[name] for name in REPORT_COLUMNS), strict=True)
           if row[2] is not None or row[3] is not None):
        return False
    # row_problems of an interval: its end after its start, and its traffic lists, which depend only on the
    # status and the lists' texts, so each distinct combination is checked once
    if any(end is not None and end <= start
           for start, end in zip(values["start_date"], values["end_date"], strict=True)):
        return False
    traffic = ("status", *ACCESS_LISTS)
    one_row_each = dict(zip(zip(*(texts[name] for name in traffic), strict=True), range(len(texts["status"])),
                            strict=True))
    return not any(traffic_problems({name: values[name][row] for name in traffic})
                   for row in one_row_each.values())
