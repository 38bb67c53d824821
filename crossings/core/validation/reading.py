"""Streams a data file's rows: UTF-8 decoded line by line, split as CSV, checked against its header."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from typing import IO

from crossings.core.records import TableSpec

__all__ = ["CSV_FIELD_LIMIT", "ReadError", "raw_rows"]

CSV_FIELD_LIMIT = 1 << 26  # 64 MiB; larger cells still stop the file with "malformed CSV"


class ReadError(Exception):
    """What breaks a file's shape, so that no row after it can be read: where, and what."""

    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _text_lines(stream: IO[bytes]) -> Iterator[str]:
    """Decode UTF-8 (a leading byte-order mark is accepted) line by line, keeping line ends."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    line_no = 1
    pending = ""
    while True:
        chunk = stream.read(1 << 16)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            good = exc.object[: exc.start].decode("utf-8", errors="replace")
            line = line_no + (pending + good).count("\n")
            bad = exc.object[exc.start : exc.start + 1].hex()
            raise ReadError(line, "(file)", f"not UTF-8: byte 0x{bad} cannot be decoded") from None
        pending += text
        *complete, pending = pending.split("\n")
        for piece in complete:
            line_no += 1
            yield piece + "\n"
        if not chunk:
            if pending:
                yield pending
            return


def raw_rows(spec: TableSpec, stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """(line, the fields in header order) for each data row; raises ReadError for what breaks the file's
    shape."""
    lines = _text_lines(stream)
    # csv's own limit (128 KiB) would stop at an oversized cell without naming its column;
    # raise it so that the cell is read and refused by fields.py's MAX_FIELD_CHARS with a proper message.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    reader = csv.reader(lines, strict=True)
    header_names = spec.header
    try:
        header = next(reader, None)
        if header is None:
            raise ReadError(1, "(file)", f"file is empty; expected the header {','.join(header_names)}")
        if header != header_names:
            raise ReadError(1, "(header)", _header_message(header, header_names))
        last_line = reader.line_num
        for fields in reader:
            line = last_line + 1
            last_line = reader.line_num
            if not fields or fields == [""]:
                # csv yields [] for an empty line; [""] can only be an empty line
                # when the header has several columns.
                raise ReadError(line, "(row)", "blank line; remove it")
            if len(fields) != len(header_names):
                raise ReadError(
                    line, "(row)",
                    f"{len(fields)} fields where the header has {len(header_names)}"
                    " (a wrong delimiter, or a comma in an unquoted field?)",
                )
            yield line, fields
    except csv.Error as exc:
        raise ReadError(reader.line_num or 1, "(row)", f"malformed CSV: {exc}") from None


def _header_message(header: list[str], expected: list[str]) -> str:
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        return f"header {header[0]!r} is not comma-separated; expected {','.join(expected)}"
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    parts = []
    if missing:
        parts.append("missing column " + ", ".join(repr(c) for c in missing))
    if extra:
        parts.append("unknown column " + ", ".join(repr(c) for c in extra))
    if not parts:
        parts.append("columns out of order")
    return "; ".join(parts) + f"; expected {','.join(expected)}"
