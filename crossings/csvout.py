"""Writing CSV: data files in the contract's canonical form, and downloads that are safe
to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import numbers
from datetime import date
from typing import Any

import pandas as pd

from crossings.records import LIST_SEPARATOR, TableSpec

__all__ = ["FORMULA_TRIGGERS", "data_file_text", "format_cell", "spreadsheet_safe", "table_csv"]

# OWASP's list of the first characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
    """A download: numbers stay numbers, and text cells cannot start a formula."""
    columns = [_download_cells(frame[name]) for name in frame.columns] if len(frame.columns) else []
    rows = [[spreadsheet_safe(str(c)) for c in frame.columns], *(list(r) for r in zip(*columns, strict=True))]
    return _write(rows)


def _download_cells(column: pd.Series) -> list[str]:
    if pd.api.types.is_integer_dtype(column.dtype):  # a whole column of integers: no cell can be text
        return column.astype(str).tolist()
    if len(column) and pd.api.types.infer_dtype(column, skipna=False) == "string":  # text only: at once
        text = column.astype(object)
        return text.where(~text.str.startswith(FORMULA_TRIGGERS), "'" + text).tolist()
    return [format_cell(v) if isinstance(v, numbers.Number) and not isinstance(v, bool)
            else spreadsheet_safe(format_cell(v)) for v in column]
