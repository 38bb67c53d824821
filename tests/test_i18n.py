"""The interface's languages: every catalogue covers every message the code marks, placeholders survive
translation, dates and digits as each language writes them, /lite and the page in Dari, Pashto and Urdu (right
to left, the lang attribute, translated status words), the browser's Accept-Language, and bad `lang` values."""

from __future__ import annotations

import json
import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import REPO, board_rows
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from crossings.view.i18n import LANGUAGES, LOCALES, BadLanguage, negotiate, parse_lang, translator
from crossings.view.words import STATUS_WORDS

# The keywords of locales/README.md's `pybabel extract` command: the same messages the catalogues must hold.
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None, "NP_": (1, 2)}
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def extracted() -> dict[str, str | tuple[str, str]]:
    """Every message the code marks, by its singular: Babel's extractor over babel.cfg's files."""
    found: dict[str, str | tuple[str, str]] = {}
    method_map = [("crossings/**.py", "python"), ("dashboard.py", "python")]
    for _file, _line, message, _comments, _context in extract_from_dir(str(REPO), method_map, keywords=KEYWORDS):
        found[message[0] if isinstance(message, tuple) else message] = message
    return found


def catalogue(lang: str) -> dict[str, object]:
    with (REPO / "locales" / LOCALES[lang] / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in read_po(po) if m.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_extractor_finds_every_translated_call() -> None:
    """A call the extractor cannot see (inside an f-string, in Python 3.11) must be marked with N_ or NP_ too: every
    tr._("...") and tr.n_("...", ...) with a literal message, found by the syntax tree (which sees into f-strings
    and joins adjacent literals), is among the extracted messages."""
    import ast

    messages = extracted()
    missed = []
    for path in [*Path(REPO / "crossings").rglob("*.py"), REPO / "dashboard.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("_", "n_")
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("tr", "words") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and node.args[0].value not in messages):
                missed.append((path.name, node.args[0].value))
    assert missed == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalogue_covers_every_message(lang: str) -> None:
    """Extraction against the catalogue: every message is in it, translated in every plural form, not fuzzy; the
    catalogue holds nothing the code no longer marks."""
    messages, entries = extracted(), catalogue(lang)
    assert sorted(set(messages) - set(entries)) == [], "missing from the catalogue: run locales/README.md's update"
    assert sorted(set(entries) - set(messages)) == [], "obsolete in the catalogue"
    for key, entry in entries.items():
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(forms) and not entry.fuzzy, (lang, key)
        assert isinstance(entry.id, tuple) == isinstance(messages[key], tuple), (lang, key)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_placeholder_is_dropped_or_added(lang: str) -> None:
    for key, entry in catalogue(lang).items():
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = placeholders(ids[-1])
        for form in forms:
            # a language with one form for every count may write the count into the sentence (no {count} lost)
            assert placeholders(form) == wanted, (lang, key, form)


@pytest.mark.parametrize(("lang", "day", "expected"), [
    ("en", date(2025, 12, 20), "2025-12-20"),
    ("fa-AF", date(2025, 12, 20), "۲۹ قوس ۱۴۰۴ (\u20682025-12-20\u2069)"),
    ("ps", date(2025, 12, 20), "۲۹ لیندۍ ۱۴۰۴ (\u20682025-12-20\u2069)"),
    ("fa-AF", date(2026, 12, 3), "۱۲ قوس ۱۴۰۵ (\u20682026-12-03\u2069)"),  # the 1405-09-12
    ("fa-AF", date(2025, 3, 21), "۱ حمل ۱۴۰۴ (\u20682025-03-21\u2069)"),  # Nowruz
    # a date the record's sources give in both calendars: Saturday 30 Saur (20 May 2023), Mohajer News
    ("fa-AF", date(2023, 5, 20), "۳۰ ثور ۱۴۰۲ (\u20682023-05-20\u2069)"),
    ("ps", date(2024, 6, 30), "۱۰ چنګاښ ۱۴۰۳ (\u20682024-06-30\u2069)"),  # Afghanistan International Pashto
    ("ur", date(2025, 12, 20), "20 دسمبر 2025"),
])
def test_dates_as_readers_write_them(lang: str, day: date, expected: str) -> None:
    assert translator(lang).date(day) == expected


def test_digits_follow_each_locale() -> None:
    assert [translator(lang).number(1405) for lang in LANGUAGES] == ["1,405", "۱۴۰۵", "۱۴۰۵", "1405"]
    assert translator("ps").n_("{count} crossing", "{count} crossings", 3) == "۳ دروازې"
    assert translator("ps").n_("{count} crossing", "{count} crossings", 1) == "۱ دروازه"


@pytest.mark.parametrize(("value", "expected"), [(None, "en"), ("", "en"), ("fa-AF", "fa-AF"), ("ur", "ur")])
def test_parse_lang(value: str | None, expected: str) -> None:
    assert parse_lang(value) == expected


@pytest.mark.parametrize("value", ["fa", "FA-af", "de", "en-US", "<script>"])
def test_a_bad_lang_is_refused_by_name(value: str) -> None:
    with pytest.raises(BadLanguage, match=r"lang: .* is not one of en, fa-AF, ps, ur"):
        parse_lang(value)


@pytest.mark.parametrize(("header", "expected"), [
    (None, "en"), ("", "en"), ("de-DE,de;q=0.9", "en"), ("ps-AF,ps;q=0.9,en;q=0.5", "ps"),
    ("ur-PK", "ur"), ("fa-AF", "fa-AF"), ("fa-IR,fa;q=0.9", "fa-AF"), ("en;q=0.9,ur;q=0.5", "en"),
    ("ur;q=0.4,en;q=0.8", "en"), ("ur;q=0,en;q=0.1", "en"), ("ps;q=bad", "en"),
])
def test_accept_language(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


SOLAR = {"fa-AF": "۲۹ قوس ۱۴۰۴", "ps": "۲۹ لیندۍ ۱۴۰۴", "ur": "20 دسمبر 2025"}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_lite_in_each_language(client: TestClient, lang: str) -> None:
    """Right to left with the language's tag; each crossing's status word in the language, for the API's status;
    the as-of date as the language writes it; the page still small; the form keeps the language."""
    answer = client.get("/lite", params={"as_of": "2025-12-20", "lang": lang})
    assert answer.status_code == 200
    text = answer.text
    assert f'<html lang="{lang}" dir="rtl">' in text
    assert len(answer.content) < 30 * 1024, len(answer.content)
    tr = translator(lang)
    api = {c["crossing_id"]: c["status"] for c in client.get("/api/v1/status", params={"as_of": "2025-12-20"}).json()
           ["crossings"]}
    rows = board_rows(text)
    assert sorted(rows) == sorted(api)
    for crossing_id, status in api.items():
        assert rows[crossing_id].status == tr._(STATUS_WORDS[status]) != status
    assert f"<strong>{SOLAR[lang]}" in text
    assert f'<input type="hidden" name="lang" value="{lang}">' in text
    assert "app/static/fonts/NotoNaskhArabic-Regular.ttf" in text  # the font, from this server
    assert "font-src 'self'" in answer.headers["content-security-policy"]


def test_lite_follows_the_browser_and_says_it_varies(client: TestClient) -> None:
    asked = client.get("/lite", params={"as_of": "2025-12-20"}, headers={"Accept-Language": "ps-AF,ps;q=0.9"})
    assert '<html lang="ps" dir="rtl">' in asked.text and asked.headers["vary"] == "Accept-Language"
    english = client.get("/lite", params={"as_of": "2025-12-20"}, headers={"Accept-Language": "en"})
    assert '<html lang="en" dir="ltr">' in english.text
    assert english.headers["etag"] != asked.headers["etag"]  # a cache keeps one answer per language
    # lang wins over the browser
    chosen = client.get("/lite", params={"as_of": "2025-12-20", "lang": "ur"}, headers={"Accept-Language": "ps"})
    assert '<html lang="ur" dir="rtl">' in chosen.text


@pytest.mark.parametrize("path", ["/lite", "/feed.atom"])
def test_a_bad_lang_is_a_400_naming_it(client: TestClient, path: str) -> None:
    answer = client.get(path, params={"lang": "xx"})
    assert answer.status_code == 400 and "lang: &#x27;xx&#x27; is not one of" in answer.text.replace("'", "&#x27;")


def test_the_page_in_dari_and_a_bad_lang_falls_back_with_a_note(page: AppTest) -> None:
    at = page
    at.query_params["lang"] = "fa-AF"
    at.query_params["as_of"] = "2025-12-20"
    at.run()
    html = " ".join(h.proto.body for h in at.get("html"))
    assert 'dir="rtl" lang="fa-AF"' in html and "وضعیت گذرگاه‌های مرزی" in html and "۲۹ قوس ۱۴۰۴" in html
    rows = board_rows(html)
    assert rows["torkham"].status == "محدود"
    assert at.selectbox(key="f_lang").value == "fa-AF"
    # the cards, the sidebar and the headings below the board too
    text = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))  # Markdown escapes removed
    assert "چه چیزی عبور می‌کند:" in text and ":orange-badge[:material/warning: محدود]" in text
    assert "محدود از ۱۰ عقرب ۱۴۰۴" in text  # Torkham's status line, its Solar date
    assert "**تورخم (Torkham)**" in text  # the card's title: the name as a Dari source writes it, the Latin beside
    heads = {column.get("label") for frame in at.dataframe for column in json.loads(frame.proto.columns).values()}
    assert {"تاریخ آغاز", "وضعیت", "پیوند منبع"} <= heads  # the tables' column heads
    assert {h.value for h in at.subheader} >= {"وضعیت در تاریخ انتخاب‌شده", "نقشه", "جدول زمانی", "دانلودها"}
    assert at.sidebar.header[0].value == "فیلترها" and at.selectbox(key="f_traffic").label == "نوع تردد"
    at.selectbox(key="f_lang").set_value("ur").run()
    assert at.query_params["lang"] == "ur"
    bad = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    bad.query_params["lang"] = "klingon"
    bad.run()
    assert any("lang: 'klingon' is not one of en, fa-AF, ps, ur" in w.value.replace("\\", "") for w in bad.warning)
    assert bad.selectbox(key="f_lang").value == "en" and bad.title[0].value == "Border Crossing Status"


def page_words(at: AppTest) -> str:
    """Every text of the page that is ours, not the data's alone: Markdown, captions, headings, notes, warnings,
    expander and widget labels and help, the board's HTML, the download buttons, the tables' column heads, and the
    charts' legends, lanes, notes and hovers."""
    import json

    texts = [e.value for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning")
             for e in getattr(at, kind)]
    texts += [e.label for e in at.expander]
    for kind in ("selectbox", "multiselect", "date_input", "checkbox", "text_input", "number_input"):
        texts += [text for e in getattr(at, kind) for text in (e.label, e.help or "")]
    texts += [e.proto.placeholder for kind in ("multiselect", "text_input") for e in getattr(at, kind)]
    texts += [h.proto.body for h in at.get("html")]
    texts += [text for b in at.get("download_button") for text in (b.proto.label, b.proto.help)]
    texts += [column.get("label", "") for frame in at.dataframe
              for column in json.loads(frame.proto.columns or "{}").values()]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        texts += [str(trace.get(key, "")) for trace in spec["data"] for key in ("name", "y", "customdata")]
        layout = spec.get("layout", {})
        texts += [a.get("text", "") for a in layout.get("annotations", [])]
        texts.append(str(layout.get("title", "")))
    return re.sub(r"\\(.)", r"\1", " ".join(texts))  # Markdown escapes removed


def english_phrases(lang: str) -> dict[str, str]:
    """Each message's English words between its placeholders, at least two words and ten letters long, that no
    translation keeps (How to read this cites a row as 'Border Crossing Status, ...' in every language)."""
    entries = catalogue(lang)
    translated = " ".join(" ".join(e.string) if isinstance(e.string, tuple) else e.string for e in entries.values())
    phrases = {}
    for key in entries:
        for chunk in re.split(r"\{[a-z_]+\}", key):
            for line in chunk.splitlines():
                phrase = line.strip(" -*:;,.()\"'")
                if len(phrase) >= 10 and " " in phrase and phrase not in translated:
                    phrases[phrase] = key
    return phrases


def without_the_data(text: str) -> str:
    """The page's text without the data's own (every text cell of data/*.csv: titles, details, notes, quotes),
    which stays in its language and may hold English words that a message has too ('closed since 2007')."""
    import csv

    cells = {cell for path in (REPO / "data").glob("*.csv")
             for row in csv.reader(path.read_text(encoding="utf-8").splitlines()) for cell in row if " " in cell}
    for cell in sorted(cells, key=len, reverse=True):
        text = text.replace(cell, " ")
    return text


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_message_of_the_page_is_left_in_english(page: AppTest, lang: str) -> None:
    """The whole page in each language: the board, the cards with their last closure and agreements, the whole
    border's agreements, the captions, the tables' heads, How to read this, the timeline and the map. No message of
    the catalogue shows in English (the data's own text, details, titles and quotes, stays as it is)."""
    at = page
    at.query_params["lang"] = lang
    at.query_params["as_of"] = "2025-04-01"
    at.query_params["from"] = "2025-01-01"
    at.run()
    assert not at.exception
    shown = page_words(at)
    assert "Torkham" in shown  # the data's names are there, in Latin letters
    shown = without_the_data(shown)
    left = {phrase: key for phrase, key in english_phrases(lang).items() if phrase in shown}
    assert left == {}, "English on the page in " + lang


def test_the_feed_titles_in_pashto_with_the_same_ids(client: TestClient) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"

    def entries(**params: str) -> tuple[ET.Element, dict[str, str]]:
        feed = ET.fromstring(client.get("/feed.atom", params={"crossing": "torkham", **params}).content)  # noqa: S314
        return feed, {e.findtext(f"{atom}id"): e.findtext(f"{atom}title") for e in feed.findall(f"{atom}entry")}

    _, english = entries()
    pashto_feed, pashto = entries(lang="ps")
    assert list(pashto) == list(english)  # a reader's entries keep their ids in every language
    assert pashto_feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ps"
    assert pashto_feed.findtext(f"{atom}title") == "د پولې د دروازو حالت: څه بدل شول"
    key = next(k for k in english if k.endswith("interval/torkham-2025-12-04"))
    assert english[key] == "Torkham: restricted — aid and returnees move"
    assert pashto[key] == "\u2068Torkham\u2069: محدود — تېرېږي: مرسته، راستنېدونکي"
    doha = next(k for k in english if k.endswith("agreement/doha-ceasefire-2025-10-19/start"))
    assert pashto[doha].startswith("نافذ: \u2068Doha ceasefire\u2069 — اوربند: ")


def test_the_english_of_the_catalogues_is_the_english_of_the_api() -> None:
    """Every sentence is written once, through a Words: the page's English (the Translator of 'en', reading the
    catalogues) and the API's and CLI's (core.wording.ENGLISH) are the same text for the same facts."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from crossings.core.commitments import (
        COMMITMENT_LABELS,
        ENDED,
        EXPIRED,
        IN_FORCE,
        NOT_YET_IN_FORCE,
        START_NOT_REPORTED,
        _commitment_text,
    )
    from crossings.core.days import days_text
    from crossings.core.wording import ENGLISH
    from crossings.view.words import carried_text, closure_text, currency_words

    english = translator("en")
    days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))

    @settings(max_examples=200, deadline=None)
    @given(count=st.integers(0, 5_000), first=days, second=days, label=st.sampled_from(sorted(COMMITMENT_LABELS)),
           state=st.sampled_from([ENDED, EXPIRED, IN_FORCE, NOT_YET_IN_FORCE, START_NOT_REPORTED]),
           until=st.none() | days, flags=st.tuples(st.booleans(), st.booleans()))
    def same(count: int, first: date, second: date, label: str, state: str, until: date | None,
             flags: tuple[bool, bool]) -> None:
        run = {"ongoing": flags[0], "followed": flags[1], "start_date": first, "end_date": second, "days": count}
        for sentence in (lambda w: days_text(count, w), lambda w: closure_text(run, w),
                         lambda w: carried_text(first, count, first, second, w),
                         lambda w: carried_text(None, None, first, second, w),
                         lambda w: currency_words(first, second, w),
                         lambda w: _commitment_text(label, state, first, until, count % 40, second, w)):
            assert sentence(english) == sentence(ENGLISH)
            assert "{" not in sentence(translator("ps"))  # every placeholder filled in the other languages too

    same()


def test_a_reversed_window_is_said_in_the_pages_language(page: AppTest) -> None:
    at = page
    at.query_params["lang"] = "fa-AF"
    at.query_params["as_of"] = "2025-06-01"
    at.run()
    at.date_input(key="f_from").set_value(date(2025, 5, 1))
    at.date_input(key="f_to").set_value(date(2025, 4, 1)).run()
    said = [w.value for w in at.warning]
    assert any(text.startswith("بازهٔ ۱۱ ثور ۱۴۰۴") and "پس از پایانش آغاز می‌شود" in text for text in said), said
