"""Random mutations of valid data files either load or are refused with FILE:LINE messages;
never an unexpected exception, never a partial write."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, bytes_opener, checksums
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossings.core.records import TABLES
from crossings.core.validation import check_dataset
from db.engine import create_schema, make_engine
from db.load import LoadRejected, replace_content
from db.queries import read_versioned

FILES = {spec.file_name: (DATA / spec.file_name).read_bytes() for spec in TABLES}
MESSAGE = re.compile(r"^[a-z_]+\.csv:\d+: [()a-z_]+: .+")
NOISE = st.one_of(st.binary(min_size=1, max_size=4), st.sampled_from(
    [b",", b'"', b"\n", b"\r\n", b";", b"-", b"=", b"\xff", b"2024-02-30", b"\x00", b"", b"torkham"]))


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, bytes]:
    files = dict(FILES)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        data = files[name]
        op = draw(st.sampled_from(["replace", "insert", "delete", "duplicate-line", "drop-line", "swap-cells"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "replace":
            data = data[:at] + draw(NOISE) + data[at + 1:]
        elif op == "insert":
            data = data[:at] + draw(NOISE) + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        else:
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "duplicate-line":
                lines.insert(i, lines[i])
            elif op == "drop-line":
                del lines[i]
            else:
                cells = lines[i].split(b",")
                j, k = draw(st.integers(0, len(cells) - 1)), draw(st.integers(0, len(cells) - 1))
                cells[j], cells[k] = cells[k], cells[j]
                lines[i] = b",".join(cells)
            data = b"\n".join(lines)
        files[name] = data
    return files


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """A store of the curated files and its checksums: every example starts from it and leaves it so."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}"
    engine = make_engine(url)
    create_schema(engine)
    replace_content(engine, bytes_opener(FILES))
    engine.dispose()
    return url, checksums(url)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=mutated())
def test_mutations_load_or_are_refused_cleanly(fuzz_store: tuple[str, dict[str, str]], files: dict[str, bytes]
                                                ) -> None:
    url, before = fuzz_store
    engine = make_engine(url)
    try:
        replace_content(engine, bytes_opener(files))
    except LoadRejected as exc:
        assert exc.problems and exc.total >= len(exc.problems)
        for problem in exc.problems:
            assert MESSAGE.match(str(problem)), str(problem)
        assert checksums(url) == before
    else:
        with engine.connect() as connection:
            _, store = read_versioned(connection)
        assert len(store["crossings"]) >= 1
        replace_content(engine, bytes_opener(FILES))  # back to the curated data for the next example
    finally:
        engine.dispose()


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_the_fuzzer_reaches_both_outcomes() -> None:
    """The mutations above are not all fatal and not all harmless: the strategy itself produces some
    that load and some that are refused (checked without a store, by the same checks as `load`)."""
    from hypothesis import find

    def refused(files: dict[str, bytes]) -> bool:
        return bool(check_dataset(bytes_opener(files))[0])

    settings_ = settings(max_examples=2_000, database=None, deadline=None)
    harmless = find(mutated(), lambda files: files != FILES and not refused(files), settings=settings_)
    fatal = find(mutated(), refused, settings=settings_)
    assert harmless != FILES and not refused(harmless)
    assert refused(fatal)
