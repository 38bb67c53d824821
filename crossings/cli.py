"""The command line: python -m crossings load | validate | status | summary | export."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, NoReturn

import click
import pandas as pd
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from crossings.core.borders import chosen_crossings, countries_of
from crossings.core.csvout import data_file_text, summary_csv
from crossings.core.days import Window, default_window, parse_date
from crossings.core.records import TABLES, TRAFFIC_KINDS
from crossings.core.sources import SourceDates
from crossings.core.traffic import check_traffic, for_traffic, traffic_text
from crossings.core.validation import LoadRejected, Opener, Problem, check_dataset
from crossings.view.cards import read_status_lines
from crossings.view.indexes import IntervalIndex
from db.engine import (
    DEFAULT_DATA_DIR,
    build_sqlite_file,
    create_schema,
    database_url,
    is_empty,
    make_engine,
    open_store,
    shown_url,
    sqlite_path,
)
from db.migrate import SchemaMismatch, check_revision, current_revision, head_revision, upgrade
from db.queries import (
    StoreEmpty,
    content_version,
    crossing_names,
    interval_reports,
    interval_sources,
    interval_spans,
    read_all,
    read_table,
)

# The loader (and through it SQLAlchemy's ORM) is imported by the commands that load, so that the
# read-only commands start faster.

__all__ = ["cli", "main"]


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = IsoDate()


class TrafficKind(click.ParamType):
    name = "KIND"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return str(check_traffic(str(value)))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


COUNTRY_OPTION = click.option(
    "--country", "countries", multiple=True, metavar="CODE",
    help="Only the crossings with this country (ISO code, e.g. IR) on a side (repeatable); default: every border.",
)
TRAFFIC_OPTION = click.option(
    "--traffic", type=TrafficKind(), default=None,
    help=f"Count for one kind of traffic ({', '.join(TRAFFIC_KINDS)}); default: the crossing as a whole.",
)
# Data files larger than this get a progress bar on stderr while they load.
PROGRESS_BAR_BYTES = 10_000_000
DB_OPTION = click.option(
    "--db", "db_url", metavar="URL", default=None,
    help="SQLAlchemy URL of the store; default: $DATABASE_URL, else crossings.db built from data/.",
)
AS_OF_OPTION = click.option(
    "--as-of", type=DATE, default=None, help="Date the data is cut at (YYYY-MM-DD); default: today.",
)
KNOWN_BY_OPTION = click.option(
    "--known-by", "known_by", type=DATE, default=None,
    help="Only what had been reported by this date (YYYY-MM-DD): statuses, their ends; default: all known today.",
)
DATA_OPTION = click.option(
    "--data", "data_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_DATA_DIR,
    show_default="data/", help="Folder holding the data files.",
)


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise click.exceptions.Exit(code)


def _report(problems: list[Problem], total: int) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    if total > len(problems):
        click.echo(f"... and {total - len(problems)} more problem(s)", err=True)


@contextlib.contextmanager
def _reading(url: str) -> Iterator[Connection]:
    """A connection to the store; every way of failing to read it becomes one line and an exit."""
    try:
        engine = open_store(url)
        with engine.connect() as connection:
            content_version(connection)
            yield connection
    except LoadRejected as exc:
        _report(exc.problems, exc.total)
        _fail("the data files are invalid, so the default store could not be built")
    except StoreEmpty as exc:
        _fail(f"{exc} (store: {shown_url(url)})")
    except SchemaMismatch as exc:
        _fail(str(exc))
    except (SQLAlchemyError, OSError) as exc:
        _fail(f"cannot read the store {shown_url(url)}: {_first_line(exc)}")


def _read_store(db_url: str | None) -> dict[str, pd.DataFrame]:
    with _reading(database_url(db_url)) as connection:
        return read_all(connection)


def _read_spans(db_url: str | None, since: date | None, until: date, traffic: str | None,
                known_by: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame, SourceDates]:
    """Crossings, only the interval columns the day counts need, and the dates of the reports each
    crossing cites (for carried days): `summary` stays fast on a large store because it reads no
    text and, of the link tables, only which sources each crossing cites. With a kind of traffic,
    the intervals as that kind sees them; with known_by, every interval is read and projected to what
    had been reported by then (an end not yet reported runs on to the next row reported), and only the
    reports published by then count."""
    with _reading(database_url(db_url)) as connection:
        crossings = crossing_names(connection)
        # packed by the load, as the page reads them; a store without it row by row (both read db.models)
        from db.load_time_spans import read_stored_cited

        cited = read_stored_cited(connection)
        reports = SourceDates(interval_sources(connection) if cited is None else cited,
                              read_table(connection, "sources"))
        if known_by is None:
            spans = interval_spans(connection, since, until, with_ids=False, traffic=[traffic] if traffic else [])
            return crossings, for_traffic(spans, traffic), reports
        spans = interval_spans(connection, traffic=[traffic] if traffic else [])
        known = IntervalIndex(spans, crossings).as_known_by(interval_reports(connection), known_by)
        return crossings, known.spans(traffic), reports.published_by(known_by)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _check_crossings(requested: Sequence[str], crossings: pd.DataFrame, countries: Sequence[str] = ()) -> list[str]:
    """The crossings asked for (all when none), narrowed to those on the borders asked for."""
    known = list(crossings["crossing_id"])
    unknown = [c for c in requested if c not in known]
    if unknown:
        _fail(f"unknown crossing id {', '.join(map(repr, unknown))}; known: {', '.join(known)}", 2)
    borders = countries_of(crossings)
    strange = [c for c in countries if c not in borders]
    if strange:
        _fail(f"no crossing has country {', '.join(map(repr, strange))} on a side; known: {', '.join(borders)}", 2)
    return chosen_crossings(crossings, requested, countries)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Border Crossing Status: load, check and query the store of crossing statuses."""


@cli.command()
@DATA_OPTION
@DB_OPTION
def load(data_dir: Path, db_url: str | None) -> None:
    """Check the data files, then replace the store's content with them in one transaction."""
    from db.load import data_size, load_directory

    url = database_url(db_url)
    size = data_size(data_dir) if data_dir.is_dir() else 0
    # A bar only where a load takes a while; the curated data loads in a blink.
    bar = click.progressbar(length=size, label="checking and loading", file=sys.stderr) \
        if size > PROGRESS_BAR_BYTES else None
    progress = (lambda done: bar.update(done - bar.pos)) if bar is not None else None
    try:
        with bar if bar is not None else contextlib.nullcontext():
            path = sqlite_path(url)
            if path is not None and not path.exists():
                counts = build_sqlite_file(path, data_dir, progress)
            else:
                engine: Engine = make_engine(url)
                if is_empty(engine):
                    create_schema(engine)
                check_revision(engine, shown_url(url))
                counts = load_directory(engine, data_dir, progress)
    except SchemaMismatch as exc:
        _fail(str(exc))
    except LoadRejected as exc:
        _report(exc.problems, exc.total)
        _fail(f"{exc.total} problem(s) found; the store {shown_url(url)} was not changed")
    except (SQLAlchemyError, OSError) as exc:
        _fail(f"cannot load into {shown_url(url)}: {_first_line(exc)}")
    click.echo(f"loaded {sum(counts.values())} rows into {shown_url(url)}")
    for name, count in counts.items():
        click.echo(f"  {name}: {count}")


@cli.command()
@DATA_OPTION
def validate(data_dir: Path) -> None:
    """Check the data files against the contract without writing anything."""
    from db.load import directory_opener

    problems, total = check_dataset(directory_opener(data_dir), lambda name: str(data_dir / name))
    if problems:
        _report(problems, total)
        _fail(f"{total} problem(s) found")
    click.echo(f"ok: {len(TABLES)} files in {data_dir} follow the contract")


@cli.command()
@AS_OF_OPTION
@COUNTRY_OPTION
@TRAFFIC_OPTION
@KNOWN_BY_OPTION
@DB_OPTION
def status(as_of: date | None, countries: tuple[str, ...], traffic: str | None, known_by: date | None,
           db_url: str | None) -> None:
    """Each crossing's status on the as-of date, since when, what moves, and its newest source."""
    as_of = as_of or date.today()
    # Only what the table needs: the intervals that reach the as-of date (with the chains of
    # same-status intervals leading into them, for "since"), the current ones' detail and lists,
    # and which sources each crossing cites; not the whole store (all of it with --known-by).
    with _reading(database_url(db_url)) as connection:
        crossings = crossing_names(connection)
        ids = _check_crossings((), crossings, countries)
        reach = as_of if known_by is None else None  # with known_by, every interval: ends may run on
        spans = interval_spans(connection, reach, reach, traffic=[traffic] if traffic else [])
        intervals = IntervalIndex(spans, crossings)
        source_dates = SourceDates(interval_sources(connection), read_table(connection, "sources"))
        if known_by is not None:
            intervals = intervals.as_known_by(interval_reports(connection), known_by)
            source_dates = source_dates.published_by(known_by)

        def read_rows(rows: Sequence[str]) -> pd.DataFrame:
            found = read_table(connection, "status_intervals", row_ids=rows)
            ends = intervals.ends_of(list(found["interval_id"]))  # as known then
            return found.assign(end_date=pd.Series([ends[i] for i in found["interval_id"]], index=found.index,
                                                   dtype=object))

        lines = read_status_lines(intervals, crossings, ids, source_dates, read_rows, as_of, traffic)
    click.echo(f"as of {as_of}" + (f", for {traffic}" if traffic else ""))
    header = ("crossing_id", "crossing", "status", "since", "days", "what moves", "newest source", "detail")
    rows = [(
        line.crossing_id, line.name, line.status,
        "" if line.since is None else line.since.isoformat(),
        "" if line.since is None else str(line.days),
        traffic_text(line.kind_statuses),
        ("none" if line.newest_source is None else line.newest_source.isoformat())
        + (" (stale)" if line.stale else ""),
        line.detail or "",
    ) for line in lines]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


@cli.command()
@click.option("--from", "window_from", type=DATE, default=None,
              help="First day of the window (inclusive); default: the first recorded day.")
@click.option("--to", "window_to", type=DATE, default=None,
              help="Last day of the window (inclusive); default: the as-of date.")
@click.option("--crossing", "crossing_ids", multiple=True, metavar="ID",
              help="Only this crossing (repeatable); default: all.")
@COUNTRY_OPTION
@AS_OF_OPTION
@TRAFFIC_OPTION
@KNOWN_BY_OPTION
@DB_OPTION
def summary(window_from: date | None, window_to: date | None, crossing_ids: tuple[str, ...],
            countries: tuple[str, ...], as_of: date | None, traffic: str | None, known_by: date | None,
            db_url: str | None) -> None:
    """CSV on stdout: per crossing, status on the as-of date and day counts in the window
    (for one kind of traffic with --traffic)."""
    as_of = as_of or date.today()
    if window_from is not None and window_to is not None and window_to < window_from:
        _fail(f"--from {window_from} is after --to {window_to}", 2)
    # Everything before the window matters only through runs that reach into it, and nothing
    # after the as-of date counts: read just that.
    crossings, spans, reports = _read_spans(db_url, since=window_from, until=as_of, traffic=traffic,
                                            known_by=known_by)
    selected = _check_crossings(crossing_ids, crossings, countries)
    start = window_from or default_window(spans, as_of).start
    end = window_to or as_of
    if end < start:
        _fail(f"--from {start} is after --to {end}", 2)
    sys.stdout.write(summary_csv(crossings, spans, selected, Window(start, end), as_of, reports))


def _kinds(value: str | None) -> list[str]:
    return [k for k in (value or "").split(";") if k]


@cli.command()
@DATA_OPTION
@click.option("--crossing", "crossing_id", required=True, metavar="ID", help="The crossing the report is about.")
@click.option("--on", "day", type=DATE, required=True, help="The day the report says the status holds (YYYY-MM-DD).")
@click.option("--status", required=True, help="open, closed or restricted.")
@click.option("--moves", default=None, metavar="KINDS", help="Kinds that cross, ';'-separated (restricted only).")
@click.option("--limited", default=None, metavar="KINDS", help="Kinds that cross with a limit the detail states.")
@click.option("--barred", default=None, metavar="KINDS", help="Kinds that do not cross.")
@click.option("--detail", default=None, help="What the lists cannot say (a new status only).")
@click.option("--cause", default=None, help="Why, as the source says (a new status only).")
@click.option("--notes", default=None, help="Curation notes for a new status.")
@click.option("--source-id", "source_id", required=True, metavar="ID", help="The source's id (new, or existing).")
@click.option("--publisher", default=None, help="Who published the report.")
@click.option("--title", default=None, help="The report's title (required for a new source).")
@click.option("--url", default=None, help="Where it is (http or https).")
@click.option("--published-on", "published_on", type=DATE, required=True, help="Its publication date.")
@click.option("--quote", default=None, help="The sentence or two it says this in, verbatim (at most 300 characters).")
def report(data_dir: Path, crossing_id: str, day: date, status: str, moves: str | None, limited: str | None,
           barred: str | None, detail: str | None, cause: str | None, notes: str | None, source_id: str,
           publisher: str | None, title: str | None, url: str | None, published_on: date, quote: str | None) -> None:
    """Record one report in the data files: end the running status and start the new one, or confirm the current
    one when nothing changed. Everything is checked with the loader's rules first; nothing is written if any check
    fails. Prints the rows it changed."""
    import tempfile

    from crossings.core.reports import Report, ReportRefused, ReportSource, record_report
    from db.engine import build_sqlite_file

    with tempfile.TemporaryDirectory() as folder:
        try:
            build_sqlite_file(Path(folder) / "check.db", data_dir)
        except LoadRejected as exc:
            _report(exc.problems, exc.total)
            _fail(f"{exc.total} problem(s) in {data_dir} before the report; nothing was written")
        engine = make_engine(f"sqlite:///{Path(folder) / 'check.db'}")
        with engine.connect() as connection:
            tables = read_all(connection)
        engine.dispose()
    source = ReportSource(source_id, title or "", published_on, publisher, url, quote)
    lists = {"moves": _kinds(moves), "limited": _kinds(limited), "barred": _kinds(barred)}
    try:
        if title is None and source_id not in set(tables["sources"]["source_id"]):
            raise ReportRefused(f"--title is required for the new source {source_id!r}")
        changed, done = record_report(tables, Report(crossing_id, day, status, source, lists, detail, cause, notes),
                                      date.today())
    except ReportRefused as exc:
        _fail(str(exc), 2)
    texts = {spec.file_name: data_file_text(spec, changed[spec.name]) for spec in TABLES}
    problems, total = check_dataset(_opener(texts), lambda name: str(data_dir / name))
    if problems:
        _report(problems, total)
        _fail(f"{total} problem(s): the report was not recorded; nothing was written", 2)
    for spec in TABLES:
        target = data_dir / spec.file_name
        before = target.read_text(encoding="utf-8").splitlines()
        after = texts[spec.file_name].splitlines()
        if before == after:
            continue
        for line in sorted(set(before) - set(after)):
            click.echo(f"- {spec.file_name}: {line}")
        for line in [x for x in after if x not in set(before)]:
            click.echo(f"+ {spec.file_name}: {line}")
        partial = data_dir / f".{spec.file_name}.partial"
        partial.write_text(texts[spec.file_name], encoding="utf-8", newline="")
        partial.replace(target)
    click.echo(done)


def _opener(texts: dict[str, str]) -> Opener:
    def open_file(name: str) -> IO[bytes] | None:
        return io.BytesIO(texts[name].encode("utf-8")) if name in texts else None

    return open_file


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to write the data files into (created if missing).")
@DB_OPTION
def export(out_dir: Path, db_url: str | None) -> None:
    """Write the store back as data files; load then export reproduces them byte for byte."""
    store = _read_store(db_url)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for spec in TABLES:
            target = out_dir / spec.file_name
            partial = out_dir / f".{spec.file_name}.partial"
            partial.write_text(data_file_text(spec, store[spec.name]), encoding="utf-8", newline="")
            partial.replace(target)
    except OSError as exc:
        _fail(f"cannot write to {out_dir}: {exc.strerror or exc}")
    click.echo(f"wrote {len(TABLES)} files to {out_dir}")


@cli.group()
def db() -> None:
    """The store's schema: see and upgrade its revision."""


@db.command("upgrade")
@DB_OPTION
def db_upgrade(db_url: str | None) -> None:
    """Create the schema in an empty store, or upgrade an older one; data is kept."""
    url = database_url(db_url)
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            before = current_revision(connection)
        upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        _fail(f"cannot upgrade {shown_url(url)}: {_first_line(exc)}")
    click.echo(f"{shown_url(url)}: schema revision {before or 'none'} -> {head_revision()}")


@db.command("current")
@DB_OPTION
def db_current(db_url: str | None) -> None:
    """Print the store's schema revision and the one this version needs."""
    url = database_url(db_url)
    try:
        with make_engine(url).connect() as connection:
            revision = current_revision(connection)
    except (SQLAlchemyError, OSError) as exc:
        _fail(f"cannot read {shown_url(url)}: {_first_line(exc)}")
    head = head_revision()
    click.echo(f"{shown_url(url)}: revision {revision or 'none'}; this version needs {head}"
               + ("" if revision == head else " (run `python -m crossings db upgrade`)"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; errors are one line on stderr and a non-zero exit code, never a traceback."""
    try:
        # Without standalone mode click returns an Exit's code instead of raising it.
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="python -m crossings",
                        standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return 1
    return code if isinstance(code, int) else 0
