"""Replacing the store's content with checked data files, all in one transaction.

The files are read once: each row is checked and, while no problem has been found, written
in the same pass; any problem rolls the whole transaction back, so the store is left exactly
as it was. Writing goes straight to the driver's executemany with bound parameters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import Connection, Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from crossings.core.records import DATE, TABLES, TRAFFIC_KINDS, TableSpec
from crossings.core.traffic import access_by_kind
from crossings.core.validation import LoadRejected, Opener, check_dataset
from db.models import LINK_TABLES, Base, Meta

__all__ = ["LoadRejected", "data_size", "directory_opener", "load_directory", "replace_content"]

# Reports progress: how many bytes of the data files have been read so far.
Progress = Callable[[int], None]


def directory_opener(data_dir: Path) -> Opener:
    def open_file(name: str) -> IO[bytes] | None:
        path = data_dir / name
        return path.open("rb") if path.is_file() else None

    return open_file


class _Counting:
    """A binary stream that reports how much has been read."""

    def __init__(self, stream: IO[bytes], on_read: Callable[[int], None]) -> None:
        self._stream, self._on_read = stream, on_read

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self._on_read(len(chunk))
        return chunk

    def __enter__(self) -> _Counting:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


def _insert_sql(connection: Connection, table: str, columns: list[str]) -> str:
    """INSERT with one placeholder per column. Table and column names are this module's
    constants; every value is a bound parameter."""
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}[connection.dialect.paramstyle]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"  # noqa: S608


class _Writer:
    """The sink that writes checked rows; remembers a database refusal instead of raising it,
    so that the checks can go on and name the row that caused it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.counts = {spec.name: 0 for spec in TABLES}
        self.digest = hashlib.sha256()
        self.error: IntegrityError | None = None
        self._sql: dict[str, str] = {}

    def _statement(self, key: str, table: str, columns: list[str]) -> str:
        if key not in self._sql:
            self._sql[key] = _insert_sql(self.connection, table, columns)
        return self._sql[key]

    def write(self, spec: TableSpec, batch: list[tuple[dict[str, Any], dict[str, str]]]) -> None:
        if self.error is not None:
            return
        lists = [c.name for c in spec.list_columns]
        plain = [c for c in spec.columns if c.kind not in ("refs", "kinds")]
        # Dates go in as their checked ISO text: the driver binds it to a DATE column on both stores.
        getters = [(c.name, c.kind == DATE) for c in plain]
        traffic = bool(spec.traffic_columns)  # the moves, limited and barred lists: a column per kind
        position = self.counts[spec.name]
        rows: list[tuple[Any, ...]] = []
        links: dict[str, list[tuple[Any, str, int]]] = {name: [] for name in lists}
        for record, raw in batch:
            self.digest.update("\x1f".join(raw.values()).encode() + b"\x1e")
            values = [(raw[name] or None) if is_date else record[name] for name, is_date in getters]
            if traffic:
                values.extend(access_by_kind(record).values())
            rows.append((*values, position))
            position += 1
            owner = record[spec.id_column]
            for name in lists:
                links[name].extend((owner, target, i) for i, target in enumerate(record[name]))
        try:
            columns = [c.name for c in plain] + (list(TRAFFIC_KINDS) if traffic else []) + ["position"]
            self.connection.exec_driver_sql(self._statement(spec.name, spec.name, columns), rows)
            for name in lists:
                if links[name]:
                    link = LINK_TABLES[(spec.name, name)]
                    self.connection.exec_driver_sql(
                        self._statement(link.name, link.name, ["owner_id", "target_id", "position"]), links[name])
        except IntegrityError as exc:
            self.error = exc
            return
        self.counts[spec.name] = position


def replace_content(
    engine: Engine, open_file: Opener, display: Callable[[str], str] = str, progress: Progress | None = None
) -> dict[str, int]:
    """Check every file and replace the whole content with it in one transaction.

    Raises LoadRejected when the files break the contract; the transaction is then rolled back
    and the store is exactly as it was. Returns the number of rows loaded per table.
    """
    if progress is not None:
        open_file = _with_progress(open_file, progress)
    with engine.begin() as connection:
        for link in LINK_TABLES.values():
            connection.execute(delete(link))
        for spec in reversed(TABLES):
            connection.execute(delete(Base.metadata.tables[spec.name]))
        connection.execute(delete(Meta))
        writer = _Writer(connection)
        problems, total = check_dataset(open_file, display, sink=writer.write)
        if problems:
            raise LoadRejected(problems, total)
        if writer.error is not None:
            raise writer.error  # the store refused a row the checks let through: a bug, not bad data
        connection.execute(insert(Meta), [{"key": "content_hash", "value": writer.digest.hexdigest()}])
    return writer.counts


def _with_progress(open_file: Opener, progress: Progress) -> Opener:
    done = 0

    def counted(n: int) -> None:
        nonlocal done
        done += n
        progress(done)

    def open_counted(name: str) -> IO[bytes] | None:
        stream = open_file(name)
        return None if stream is None else cast(IO[bytes], _Counting(stream, counted))

    return open_counted


def data_size(data_dir: Path) -> int:
    """Bytes in the data files of a folder, for a progress bar."""
    return sum((data_dir / spec.file_name).stat().st_size for spec in TABLES
               if (data_dir / spec.file_name).is_file())


def load_directory(engine: Engine, data_dir: Path, progress: Progress | None = None) -> dict[str, int]:
    """replace_content from the files of a data directory; problems name the files by path."""
    return replace_content(engine, directory_opener(data_dir), lambda name: str(data_dir / name), progress)
