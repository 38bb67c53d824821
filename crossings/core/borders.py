"""Which crossings are on which borders: a crossing joins two countries (ISO codes), and a country
filter keeps the crossings with that country on either side."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["countries_of", "on_borders"]


def countries_of(crossings: pd.DataFrame) -> list[str]:
    """Every country that some crossing has on one side, sorted."""
    return sorted({*crossings["country_a"], *crossings["country_b"]})


def on_borders(crossings: pd.DataFrame, countries: Sequence[str]) -> list[str]:
    """The ids of the crossings with one of these countries on either side, in file order; every crossing
    when no country is given."""
    if not countries:
        return list(crossings["crossing_id"])
    wanted = set(countries)
    return [cid for cid, a, b in zip(crossings["crossing_id"], crossings["country_a"], crossings["country_b"],
                                    strict=True) if a in wanted or b in wanted]
