"""The interface's languages: English (the default), Dari (fa-AF), Pashto (ps) and Urdu (ur).

Every label of /lite, the status board and the feed's titles goes through a Translator: gettext catalogues
(locales/<locale>/LC_MESSAGES/messages.po, read and compiled by Babel when first asked for), each locale's
digits (Babel's numbering system: Eastern Arabic-Indic for Dari and Pashto, Latin for Urdu) and dates as readers
write them: the Solar Hijri date with Afghan month names and the Gregorian beside it in Dari and Pashto
(jdatetime converts), the Gregorian with Urdu month names in Urdu (Babel). The data (details, notes, quotes)
stays in its own language. URL parameters and the API stay ISO. No Streamlit, no Plotly, no HTML."""

from __future__ import annotations

import functools
import gettext
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jdatetime
from babel import Locale, negotiate_locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from crossings.core.wording import N_, NP_

__all__ = [
    "COUNTRY_NAMES",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALES",
    "NP_",
    "N_",
    "RTL",
    "BadLanguage",
    "Translator",
    "negotiate",
    "parse_lang",
    "translator",
]

DEFAULT_LANGUAGE = "en"
# The `lang` values, in the selector's order, and each one's Babel locale (its catalogue's folder).
LOCALES = {"en": "en", "fa-AF": "fa_AF", "ps": "ps", "ur": "ur"}
LANGUAGES = tuple(LOCALES)
# Each language named in itself, as the selector lists it.
LANGUAGE_NAMES = {"en": "English", "fa-AF": "دری", "ps": "پښتو", "ur": "اردو"}
RTL = frozenset({"fa-AF", "ps", "ur"})
CATALOGUES = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"

# The Solar Hijri months as Afghans name them (the zodiac names, in Dari and in Pashto): locales/GLOSSARY.md.
SOLAR_MONTHS = {
    "fa-AF": ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت"),
    "ps": ("وری", "غویی", "غبرګولی", "چنګاښ", "زمری", "وږی", "تله", "لړم", "لیندۍ", "مرغومی", "سلواغه", "کب"),
}
# Each numbering system Babel names for these locales, as digits 0-9.
DIGITS = {"latn": "0123456789", "arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}
# Unicode's first-strong isolate and its end: a Latin name, a number or an ISO date inside right-to-left text keeps
# its own direction and does not reorder what is around it (plain text, for places that cannot hold <bdi>).
FSI, PDI = "\u2068", "\u2069"


# crossings.core.borders' scope of a commitment that covers no crossing of the data (Translator.border_scope)
N_("no crossing in the data")


# The countries of a border's name ('Afghanistan–Pakistan'), as crossings.core.borders names them.
COUNTRY_NAMES = {"Afghanistan": N_("Afghanistan"), "Pakistan": N_("Pakistan"), "Iran": N_("Iran"),
                 "Tajikistan": N_("Tajikistan"), "Turkmenistan": N_("Turkmenistan"), "Uzbekistan": N_("Uzbekistan"),
                 "China": N_("China"), "India": N_("India"), "Azerbaijan": N_("Azerbaijan"), "Georgia": N_("Georgia"),
                 "Turkey": N_("Turkey")}


class BadLanguage(ValueError):
    """A `lang` value that is not one of LANGUAGES."""


def parse_lang(value: str | None) -> str:
    """A `lang` parameter: empty or None means the default; anything else must be one of LANGUAGES exactly."""
    if value is None or value == "":
        return DEFAULT_LANGUAGE
    if value not in LOCALES:
        raise BadLanguage(f"lang: {value!r} is not one of {', '.join(LANGUAGES)}")
    return value


def negotiate(accept_language: str | None) -> str:
    """The language a browser's Accept-Language asks for first among ours (Babel's negotiation, by quality),
    else the default. 'fa' alone is taken as Dari: the Persian of Iran is not one of our languages, but its
    reader reads Dari better than English."""
    wanted = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            wanted.append((quality, tag.strip().replace("-", "_")))
    ordered = [tag for _, tag in sorted(wanted, key=lambda item: -item[0])]
    found = negotiate_locale(ordered, list(LOCALES.values()), sep="_")
    if found is None and any(tag.lower().split("_")[0] == "fa" for tag in ordered):
        found = "fa_AF"
    return next((lang for lang, locale in LOCALES.items() if locale == found), DEFAULT_LANGUAGE)


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled in memory by Babel (no .mo files to keep in step)."""
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    with (CATALOGUES / LOCALES[lang] / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        catalog = read_po(po, locale=LOCALES[lang])
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Translator:
    """The words, digits and dates of one language. `_` translates a message, `n_` a message with a count
    (the catalogue's plural forms); both format `{placeholders}` after translating."""

    lang: str

    @property
    def rtl(self) -> bool:
        return self.lang in RTL

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.lang])

    def _(self, message: str, **values: object) -> str:
        text = _translations(self.lang).gettext(message)
        return text.format(**values) if values else text

    def n_(self, singular: str, plural: str, count: int, **values: object) -> str:
        """'1 crossing' / '3 crossings': the plural form the language needs for `count`; `{count}` is the count in
        the language's digits."""
        text = _translations(self.lang).ngettext(singular, plural, count)
        return text.format(count=self.number(count), **values)

    def isolate(self, text: str) -> str:
        """Text from the data (a name in Latin letters) inside a sentence of a right-to-left language, isolated so
        that it keeps its own direction (Unicode's first-strong isolate); unchanged in English."""
        return f"{FSI}{text}{PDI}" if self.rtl else text

    def border(self, name: str) -> str:
        """'Afghanistan–Pakistan' with each country's name in the language (a name not known is kept)."""
        return "–".join(self.country(part) for part in name.split("–"))

    def country(self, name: str) -> str:
        return self._(COUNTRY_NAMES[name]) if name in COUNTRY_NAMES else name

    def border_scope(self, scope: str) -> str:
        """A whole-border commitment's scope (crossings.core.borders: 'the whole Afghanistan–Iran border', 'the
        whole A–B and A–C borders', 'no crossing in the data') in the language."""
        if scope.startswith("the whole ") and scope.endswith(" borders"):
            *first, last = scope[len("the whole "):-len(" borders")].replace(" and ", ", ").split(", ")
            return self._("the whole {borders} and {last} borders", borders=self._(", ").join(
                self.border(b) for b in first), last=self.border(last))
        if scope.startswith("the whole ") and scope.endswith(" border"):
            return self._("the whole {border} border", border=self.border(scope[len("the whole "):-len(" border")]))
        return self._(scope) if scope == "no crossing in the data" else scope

    def digits(self, text: str) -> str:
        """Latin digits in `text` as the language writes them."""
        system = self.locale.default_numbering_system if self.lang != DEFAULT_LANGUAGE else "latn"
        return text.translate(str.maketrans("0123456789", DIGITS.get(system, DIGITS["latn"])))

    def number(self, value: int) -> str:
        """A count in the language's digits; in English with a comma between thousands ('1,000'), as ENGLISH."""
        return f"{value:,}" if self.lang == DEFAULT_LANGUAGE else self.digits(str(value))

    def date(self, day: date | None) -> str:
        """A day as a reader of the language writes it: ISO in English; in Dari and Pashto the Solar Hijri date
        with its Afghan month name and the Gregorian beside it ('۲۹ قوس ۱۴۰۴ (2025-12-20)'); in Urdu the
        Gregorian with the Urdu month name ('20 دسمبر 2025'). The Gregorian ISO date stays in Latin digits, as in
        the URL, isolated so that it reads left to right inside right-to-left text."""
        if day is None:
            return ""
        if self.lang in SOLAR_MONTHS:
            solar = jdatetime.date.fromgregorian(date=day)
            text = f"{self.number(solar.day)} {SOLAR_MONTHS[self.lang][solar.month - 1]} {self.number(solar.year)}"
            return f"{text} ({FSI}{day.isoformat()}{PDI})"
        if self.lang == "ur":
            return self.digits(format_date(day, "d MMMM y", locale=LOCALES[self.lang]))
        return day.isoformat()


@functools.cache
def translator(lang: str = DEFAULT_LANGUAGE) -> Translator:
    """The Translator of a language in LANGUAGES (parse_lang checks a value from outside first)."""
    if lang not in LOCALES:
        raise BadLanguage(f"lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    return Translator(lang)
