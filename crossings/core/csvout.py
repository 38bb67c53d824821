"""Writing CSV: data files in the contract's canonical form, and downloads that are safe
to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import numbers
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from crossings.core.days import StatusRuns, Window, summary_table
from crossings.core.records import FORMULA_TRIGGERS, LIST_SEPARATOR, TableSpec
from crossings.core.sources import SourceDates

__all__ = ["FORMULA_TRIGGERS", "data_file_text", "format_cell", "spreadsheet_safe", "summary_csv", "table_csv"]


def format_cell(value: Any) -> str:
    """A value as the data files spell it: ISO dates, ';'-joined lists, '' for nothing."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, float):
        return repr(float(value))
    return str(value)


def _write(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def data_file_text(spec: TableSpec, frame: pd.DataFrame) -> str:
    """The data/ file for one table: header, then one line per row, in the canonical form.

    Free-text cells go through spreadsheet_safe like every CSV the product writes. The loader
    refuses text that starts a formula, so for a store loaded from files this changes nothing
    and load then export stays byte-exact; it matters only for rows written around the loader.
    """
    text_columns = [c.kind == "text" for c in spec.columns]
    rows = [spec.header]
    rows.extend(
        [spreadsheet_safe(format_cell(v)) if is_text else format_cell(v)
         for v, is_text in zip(record, text_columns, strict=True)]
        for record in frame[spec.header].itertuples(index=False)
    )
    return _write(rows)


def spreadsheet_safe(text: str) -> str:
    """Neutralise a text cell that a spreadsheet would run as a formula (prefix a quote)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def table_csv(frame: pd.DataFrame) -> str:
    """A download: numbers stay numbers, empty cells stay empty, and no text cell can start a formula.

    Each column is made safe first (text neutralised, dates in ISO form, lists joined), then pandas
    writes the file; whatever dtype pandas gave a text column (object or string), the result is the same.
    """
    safe = pd.DataFrame({i: _safe_column(frame[name]) for i, name in enumerate(frame.columns)})
    safe.columns = [spreadsheet_safe(str(name)) for name in frame.columns]
    return safe.to_csv(index=False, lineterminator="\n")


def _safe_column(column: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_numeric_dtype(column.dtype):
        return column  # a whole column of numbers: no cell can be text
    cells = column.astype(object)
    present = cells.notna().to_numpy()
    if len(cells) and pd.api.types.infer_dtype(cells[present], skipna=True) in ("string", "empty"):
        # text only: at once, not cell by cell (a million-row download)
        text = cells.where(present, "")
        return text.where(~text.str.startswith(FORMULA_TRIGGERS), "'" + text)
    return cells.map(_safe_cell)


def _safe_cell(value: Any) -> Any:
    if isinstance(value, numbers.Number) and not isinstance(value, bool) and not pd.isna(value):
        return value
    return spreadsheet_safe(format_cell(value))


def summary_csv(crossings: pd.DataFrame, intervals: pd.DataFrame | StatusRuns, crossing_ids: Sequence[str],
                window: Window, as_of: date, reports: SourceDates) -> str:
    """The summary CSV: `python -m crossings summary`, the page's download and the API's summary.csv."""
    selected = crossings[crossings["crossing_id"].isin(list(crossing_ids))]
    return table_csv(summary_table(selected, intervals, window, as_of, reports))
