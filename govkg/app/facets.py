"""Facets of a saved query's rows: how many rows hold each level, province, category, stage, year or
document, and the rows left when a reader picks some of them. Data in, data out; the page draws the
choices and keeps them in the URL (`f_<column>`).

A facet comes from a column the result already has (its saved query chose it), plus `province`,
derived from the row's zone (the top of that zone's PART_OF chain) when the result names zones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["FACET_COLUMNS", "PROVINCE", "ZONE_COLUMNS", "Facet", "facets", "filtered", "with_province"]

# Columns of the saved queries that sort rows into a few groups (not names, sentences or scores).
FACET_COLUMNS: tuple[str, ...] = (
    "level", "province", "category", "stage", "adopter_stage", "year", "pilot_year", "adopter_year", "document",
    "kind", "other_kind", "theme", "relationship",
)  # fmt: skip
# Columns that name the row's zone, the first found giving the province.
ZONE_COLUMNS: tuple[str, ...] = ("zone", "adopter", "pilot_zone", "similar_zone", "node")
PROVINCE = "province"
EMPTY = ""  # how a missing value is counted (the page words it)
MAX_VALUES = 40  # a facet with more values than this is a list, not a facet


@dataclass(frozen=True)
class Facet:
    """A column's values with how many rows hold each, most frequent first."""

    column: str
    counts: tuple[tuple[str, int], ...]


def _key(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return EMPTY
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a year read back as 2016.0
    return str(value)


def with_province(frame: pd.DataFrame, provinces: Mapping[str, str]) -> pd.DataFrame:
    """`frame` with a `province` column from its first zone column, when that column names zones the
    store can place (else `frame` as it is)."""
    column = next((c for c in ZONE_COLUMNS if c in frame.columns), None)
    if column is None or PROVINCE in frame.columns:
        return frame
    found = frame[column].map(lambda v: provinces.get(str(v), EMPTY))
    if not (found != EMPTY).any():
        return frame
    return frame.assign(**{PROVINCE: found})


def facets(frame: pd.DataFrame, columns: Sequence[str] = FACET_COLUMNS) -> list[Facet]:
    """The facets of `frame`, in `columns` order (default: the saved queries' FACET_COLUMNS): columns
    with at least two values and at most MAX_VALUES."""
    found = []
    for column in columns:
        if column not in frame.columns:
            continue
        counts = _counts(frame[column])
        if 2 <= len(counts) <= MAX_VALUES:
            found.append(Facet(column, tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))))
    return found


def _holds(values: pd.Series, wanted: set[str]) -> pd.Series:
    """Whether each row's value's key is one of `wanted`, each distinct value keyed once."""
    try:
        keyed = {v: _key(v) in wanted for v in values.dropna().unique()}
    except TypeError:  # unhashable values (lists): keyed row by row
        return values.map(lambda v: _key(v) in wanted).astype(bool)
    return values.map(keyed).fillna(EMPTY in wanted).astype(bool)


def _counts(values: pd.Series) -> Counter[str]:
    """How many rows hold each value's key (_key): the distinct values counted first and each keyed
    once, which at 100,000 rows is a tenth of keying every row."""
    try:
        distinct = values.value_counts(dropna=False)
    except TypeError:  # unhashable values (lists): keyed row by row
        return Counter(_key(v) for v in values)
    counts: Counter[str] = Counter()
    for value, count in distinct.items():
        counts[_key(value)] += int(count)
    return counts


def filtered(frame: pd.DataFrame, chosen: Mapping[str, Collection[str]]) -> pd.DataFrame:
    """The rows whose value in each chosen column is one of the chosen values (no choice: every row)."""
    keep = pd.Series(True, index=frame.index)
    for column, values in chosen.items():
        if values and column in frame.columns:
            keep &= _holds(frame[column], set(values))
    return frame[keep]
