"""Replacing the store's content with checked data files, all in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, delete, insert

from crossings.records import TABLES, TableSpec
from crossings.validation import Opener, Problem, check_dataset, iter_records
from db.models import LINK_TABLES, Base, Meta

__all__ = ["CHUNK_ROWS", "LoadRejected", "directory_opener", "load_directory", "replace_content"]

# Rows per INSERT batch: large enough that the per-statement cost vanishes, small enough
# that memory stays flat however long the file is.
CHUNK_ROWS = 5_000


class LoadRejected(Exception):
    """The data files broke the contract; nothing was written."""

    def __init__(self, problems: list[Problem], total: int) -> None:
        super().__init__(f"{total} problem(s) in the data files")
        self.problems = problems
        self.total = total


def directory_opener(data_dir: Path) -> Opener:
    def open_file(name: str) -> IO[bytes] | None:
        path = data_dir / name
        return path.open("rb") if path.is_file() else None

    return open_file


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _table(spec: TableSpec):  # type: ignore[no-untyped-def]
    return Base.metadata.tables[spec.name]


def replace_content(
    engine: Engine,
    open_file: Opener,
    display: Callable[[str], str] = str,
    on_rows: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Check every file, then replace the whole content in one transaction.

    Raises LoadRejected (before anything is written) when the files break the contract.
    Returns the number of rows loaded per table. `on_rows(table, n)` reports progress.
    """
    problems, total = check_dataset(open_file, display)
    if problems:
        raise LoadRejected(problems, total)
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with engine.begin() as connection:
        for link in LINK_TABLES.values():
            connection.execute(delete(link))
        for spec in reversed(TABLES):
            connection.execute(delete(_table(spec)))
        connection.execute(delete(Meta))
        for spec in TABLES:
            table = _table(spec)
            lists = spec.list_columns
            position = 0
            for chunk in _chunks(iter_records(spec, open_file), CHUNK_ROWS):
                rows = []
                links: dict[str, list[dict[str, Any]]] = {c.name: [] for c in lists}
                for record in chunk:
                    digest.update(repr(sorted(record.items())).encode())
                    row = {k: v for k, v in record.items() if k not in links}
                    row["position"] = position
                    position += 1
                    rows.append(row)
                    owner = record[spec.id_column]
                    for column in lists:
                        links[column.name].extend(
                            {"owner_id": owner, "target_id": target, "position": i}
                            for i, target in enumerate(record[column.name])
                        )
                connection.execute(insert(table), rows)
                for column in lists:
                    if links[column.name]:
                        connection.execute(insert(LINK_TABLES[(spec.name, column.name)]), links[column.name])
                if on_rows is not None:
                    on_rows(spec.name, len(rows))
            counts[spec.name] = position
        connection.execute(insert(Meta), [{"key": "content_hash", "value": digest.hexdigest()}])
    return counts


def load_directory(engine: Engine, data_dir: Path, on_rows: Callable[[str, int], None] | None = None
                   ) -> dict[str, int]:
    """replace_content from the files of a data directory; problems name the files by path."""
    return replace_content(engine, directory_opener(data_dir), lambda name: str(data_dir / name), on_rows)
