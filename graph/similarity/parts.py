"""The five parts of a similarity score and their weights (the package docstring says why these)."""

from __future__ import annotations

FEATURE_WEIGHTS: dict[str, float] = {
    "mechanisms": 3.0,
    "categories": 2.0,
    "organisations": 1.0,
    "policies": 1.0,
}


SET_PARTS: tuple[str, ...] = tuple(FEATURE_WEIGHTS)


WORDING_WEIGHT = 0.15


PARTS: tuple[str, ...] = (*SET_PARTS, "wording")


# The two leading weights, named for the app's explanation text (pages/4_Similar_zones.py).
MECHANISM_WEIGHT = FEATURE_WEIGHTS["mechanisms"]


CATEGORY_WEIGHT = FEATURE_WEIGHTS["categories"]


SCORE_DIGITS = 4
