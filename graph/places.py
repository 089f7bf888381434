"""Where zones are: each zone placed by its division code (the seat of the unit, from the division
table the loaders use), or, for a street, town or village (which have no code), at its nearest
higher unit that has one, and said so. A zone with neither is listed as unplaced, never guessed.

For colouring, each zone carries its most frequent mechanism category (ties by name) and the first
year the texts give for any of its adoptions. Functions take rows and return plain values;
`zone_places_from_store` reads a store first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from govkg.graph.store import GraphStore

__all__ = ["Provinces", "ZonePlace", "place_zones", "provinces_from_store", "zone_places_from_store", "zone_provinces",
           "zone_tops"]

ZONES_CYPHER = "MATCH (z:Zone) RETURN z.id AS id, z.name AS name, z.level AS level, z.code AS code"
PARENTS_CYPHER = "MATCH (a:Zone)-[:PART_OF]->(b:Zone) RETURN a.id AS child, b.id AS parent"
CATEGORIES_CYPHER = (
    "MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism)-[:IN_CATEGORY]->(c:Category) "
    "WHERE coalesce(a.stage, 'adopted') <> 'planned' "
    "RETURN z.id AS zone, c.name AS category, c.name_en AS category_en"
)
YEARS_CYPHER = (
    "MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE a.year IS NOT NULL RETURN z.id AS zone, min(a.year) AS year"
)
_READ_LIMIT = 10_000_000


@dataclass(frozen=True)
class ZonePlace:
    """A zone on the map. `placed_by` is the zone whose code gave the point: the zone itself, or its
    nearest higher unit with a code (then the point is that unit's seat, not the zone's own place)."""

    zone_id: str
    name: str
    level: str
    longitude: float | None
    latitude: float | None
    placed_by: str = ""
    placed_by_name: str = ""
    category: str = ""
    category_en: str = ""
    first_year: int | None = None

    @property
    def placed(self) -> bool:
        return self.longitude is not None and self.latitude is not None

    @property
    def exact(self) -> bool:
        """Placed by its own code (a province-, prefecture- or county-level unit)."""
        return self.placed and self.placed_by == self.zone_id


def place_zones(
    zones: Sequence[Mapping[str, object]],
    parents: Mapping[str, str],
    point_of: Callable[[str], tuple[float, float] | None],
    categories: Mapping[str, list[tuple[str, str]]] | None = None,
    years: Mapping[str, int] | None = None,
) -> list[ZonePlace]:
    """Each zone (rows with id, name, level, code) placed by its code or its nearest higher unit's
    (`parents`: zone id -> its parent's id), with its dominant category and first year."""
    by_id = {str(z["id"]): z for z in zones}
    categories, years = categories or {}, years or {}
    places: list[ZonePlace] = []
    for zone_id, zone in sorted(by_id.items()):
        at, seen, point = zone_id, set(), None
        while at in by_id and at not in seen:  # up the PART_OF chain until a code gives a point
            seen.add(at)
            code = str(by_id[at].get("code") or "")
            point = point_of(code) if code else None
            if point is not None:
                break
            at = parents.get(at, "")
        held = Counter(categories.get(zone_id, []))
        top = min(held, key=lambda c: (-held[c], c)) if held else ("", "")
        places.append(ZonePlace(
            zone_id, str(zone.get("name") or zone_id), str(zone.get("level") or ""),
            point[0] if point else None, point[1] if point else None,
            at if point else "", str(by_id[at].get("name") or at) if point else "",
            top[0], top[1] or top[0], years.get(zone_id),
        ))  # fmt: skip
    return places


def zone_places_from_store(store: GraphStore) -> list[ZonePlace]:
    """`place_zones` over a store, with the division table's seats (loaders/zones.py)."""
    from govkg.loaders.zones import division_points

    def rows(cypher: str) -> list[dict[str, object]]:
        return store.read(cypher, limit=_READ_LIMIT).records()

    points = division_points()
    parents = {str(r["child"]): str(r["parent"]) for r in rows(PARENTS_CYPHER)}
    categories: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in rows(CATEGORIES_CYPHER):
        categories[str(r["zone"])].append((str(r["category"] or ""), str(r["category_en"] or r["category"] or "")))
    years = {str(r["zone"]): int(str(r["year"])) for r in rows(YEARS_CYPHER) if r["year"] is not None}
    return place_zones(rows(ZONES_CYPHER), parents, lambda code: points.get(code[:6]), categories, years)


@dataclass(frozen=True)
class Provinces:
    """The top of each zone's PART_OF chain (its province, or a municipality), by zone id and by name."""

    by_id: dict[str, str]
    by_name: dict[str, str]  # names only one zone has: a result row names its zone by name


def zone_tops(zones: Sequence[Mapping[str, object]], parents: Mapping[str, str]) -> dict[str, str]:
    """Zone id -> the name of the top of its PART_OF chain (its province, or a municipality)."""
    by_id = {str(z["id"]): str(z.get("name") or z["id"]) for z in zones}
    top_of: dict[str, str] = {}
    for zone_id in by_id:
        at, seen = zone_id, {zone_id}
        while parents.get(at) in by_id and parents[at] not in seen:
            at = parents[at]
            seen.add(at)
        top_of[zone_id] = by_id[at]
    return top_of


def zone_provinces(zones: Sequence[Mapping[str, object]], parents: Mapping[str, str]) -> dict[str, str]:
    """Zone name -> the name of the top of its PART_OF chain, for the names only one zone has (a result
    row names its zone by name; two 城关镇 could be anywhere)."""
    tops = zone_tops(zones, parents)
    names = Counter(str(z.get("name") or z["id"]) for z in zones)
    return {str(z.get("name") or z["id"]): tops[str(z["id"])] for z in zones
            if names[str(z.get("name") or z["id"])] == 1}  # fmt: skip


def provinces_from_store(store: GraphStore) -> Provinces:
    """Each zone's province by id and by (unshared) name, from one read of the zones and PART_OF."""
    zones = store.read(ZONES_CYPHER, limit=_READ_LIMIT).records()
    parents = {str(r["child"]): str(r["parent"]) for r in store.read(PARENTS_CYPHER, limit=_READ_LIMIT).records()}
    return Provinces(zone_tops(zones, parents), zone_provinces(zones, parents))
