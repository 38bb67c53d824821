"""What the checks report: one problem of a data file, and the refusal of a load that found some."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LoadRejected", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data file, located as precisely as the file allows."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class LoadRejected(Exception):
    """The data files broke the contract; nothing was written."""

    def __init__(self, problems: list[Problem], total: int) -> None:
        super().__init__(f"{total} problem(s) in the data files")
        self.problems = problems
        self.total = total
