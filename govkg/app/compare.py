"""Two zones side by side, and the zone-by-category table behind the families heat map.

Both read the practice profiles of graph/similarity (the same features the score uses), so
what the comparison shows as shared is what the score counted, each with the sentences that say
how each zone has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govkg.graph.similarity import PracticeProfiles, Support

__all__ = ["Comparison", "FeatureSide", "compare_zones", "family_heat_rows"]

EMPTY: dict[str, list[Support]] = {}


@dataclass(frozen=True)
class FeatureSide:
    """One feature (a mechanism or category) and how each zone has it (empty: it does not)."""

    key: str
    name: str
    name_en: str
    this_zone: tuple[Support, ...]
    other_zone: tuple[Support, ...]


@dataclass(frozen=True)
class Comparison:
    zone: str
    other: str
    shared_mechanisms: list[FeatureSide]
    only_zone: list[FeatureSide]
    only_other: list[FeatureSide]
    shared_categories: list[FeatureSide]
    profiled: tuple[bool, bool]  # whether each zone adopts any mechanism


def _features(profiles: PracticeProfiles, zone_id: str, part: str) -> dict[str, list[Support]]:
    profile = profiles.profiles.get(zone_id)
    return profile.features[part] if profile else EMPTY


def _sides(profiles: PracticeProfiles, part: str, keys: set[str], mine: dict[str, list[Support]],
           theirs: dict[str, list[Support]]) -> list[FeatureSide]:
    out = []
    for key in keys:
        name, name_en = profiles.feature_names.get((part, key), (key, key))
        out.append(FeatureSide(key, name, name_en, tuple(mine.get(key, ())), tuple(theirs.get(key, ()))))
    return sorted(out, key=lambda f: (f.name, f.key))


def compare_zones(profiles: PracticeProfiles, zone_id: str, other_id: str) -> Comparison:
    """What two zones share and what only one of them has: mechanisms (parts included) and categories."""
    names = {z.id: z.name for z in profiles.zones}
    mine, theirs = _features(profiles, zone_id, "mechanisms"), _features(profiles, other_id, "mechanisms")
    cats_mine, cats_theirs = _features(profiles, zone_id, "categories"), _features(profiles, other_id, "categories")
    return Comparison(
        zone=names.get(zone_id, zone_id),
        other=names.get(other_id, other_id),
        shared_mechanisms=_sides(profiles, "mechanisms", set(mine) & set(theirs), mine, theirs),
        only_zone=_sides(profiles, "mechanisms", set(mine) - set(theirs), mine, theirs),
        only_other=_sides(profiles, "mechanisms", set(theirs) - set(mine), mine, theirs),
        shared_categories=_sides(profiles, "categories", set(cats_mine) & set(cats_theirs), cats_mine, cats_theirs),
        profiled=(zone_id in profiles.profiles, other_id in profiles.profiles),
    )


def family_heat_rows(profiles: PracticeProfiles, families: list[dict[str, Any]], english: bool,
                     max_zones: int) -> list[dict[str, Any]]:
    """Rows {zone, family, category, mechanisms} for a heat map: how many of a zone's mechanisms
    fall in each category, zones grouped by family (largest families first), at most `max_zones`."""
    rows: list[dict[str, Any]] = []
    shown = 0
    for family in families:
        label = f"{family['family']}. {family['name_en'] if english else family['name']}"
        for zone in family["zones"]:
            if shown >= max_zones:
                return rows
            shown += 1
            profile = profiles.profiles.get(zone["id"])
            if profile is None:
                continue
            for key, supports in profile.features["categories"].items():
                name, name_en = profiles.feature_names.get(("categories", key), (key, key))
                rows.append({
                    "zone": f"{zone['name']}",
                    "zone_id": zone["id"],
                    "family": label,
                    "category": name_en if english else name,
                    "mechanisms": len({s.via for s in supports}),
                })
    return rows
