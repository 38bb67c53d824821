"""What a sentence of the product needs from a language: its words (`_`), its plurals (`n_`) and its dates. Each
sentence is written once, through a Words; English is this module's (the messages as written, ISO dates), and the
interface's other languages are crossings.view.i18n's Translator, which reads the same messages from its
catalogues. So the English text of the API, the CLI and the CSV files and the page's text in Dari, Pashto or Urdu
come from one definition and cannot drift apart.

A message is marked for the catalogues where it is defined (N_, NP_) or where it is shown (words._, words.n_);
`pybabel extract` reads both (locales/README.md)."""

from __future__ import annotations

from datetime import date
from typing import Protocol

__all__ = ["ENGLISH", "NP_", "N_", "English", "Words"]


def N_(message: str) -> str:
    """Marks a message for the catalogues where it is defined; it is translated where it is shown (Words._)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural (Words.n_), as N_ does."""
    return singular, plural


class Words(Protocol):
    """A language's words, plurals, numbers, dates and border scopes (crossings.view.i18n.Translator is one)."""

    def _(self, message: str, **values: object) -> str: ...

    def n_(self, singular: str, plural: str, count: int, **values: object) -> str: ...

    def number(self, value: int) -> str: ...

    def date(self, day: date | None) -> str: ...

    def border_scope(self, scope: str) -> str: ...


class English:
    """The messages as written: `{placeholders}` filled in, the singular for a count of one, numbers with a comma
    between thousands, ISO dates."""

    def _(self, message: str, **values: object) -> str:
        return message.format(**values) if values else message

    def n_(self, singular: str, plural: str, count: int, **values: object) -> str:
        return (singular if count == 1 else plural).format(count=self.number(count), **values)

    def number(self, value: int) -> str:
        """'26', '1,000'."""
        return f"{value:,}"

    def date(self, day: date | None) -> str:
        return "" if day is None else day.isoformat()

    def border_scope(self, scope: str) -> str:
        """A whole border's scope as crossings.core.borders says it ('the whole Afghanistan–Iran border')."""
        return scope


ENGLISH: Words = English()
