"""Checks data files against the contract and turns their rows into typed records.

Reading is streamed (reading.py): a file is read BATCH_ROWS rows at a time, and the checks keep only
what the cross-file rules need (ids, and each interval's crossing and dates, overlaps.py), so a
file of a million rows is checked in bounded memory. Every problem is reported as
FILE:LINE: column: message; nothing here raises on bad data.

The field and row rules are defined once, per row (fields.py, rules.py). A batch is first checked by
column (batch.py), which can only say "every row certainly passes"; any doubt and the batch is checked
row by row (check.py), so the problems are always worded by the row checks (tests/test_reference.py
holds the two paths to the same messages and rows).
"""

from __future__ import annotations

from crossings.core.validation.check import MAX_REPORTED_PROBLEMS, Batch, Opener, Sink, check_dataset
from crossings.core.validation.fields import MAX_FIELD_CHARS
from crossings.core.validation.problems import LoadRejected, Problem

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_REPORTED_PROBLEMS",
    "Batch",
    "LoadRejected",
    "Opener",
    "Problem",
    "Sink",
    "check_dataset",
]
