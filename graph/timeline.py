"""Practices over time: a mechanism's adoptions by zone and year (pilot → adopted → promoted), a
zone's practices by year, and diffusion — which zones took a practice up after it was piloted
elsewhere.

The years and stages are what the extractor read from the texts (ADOPTS `year`, `stage`, `learned`;
see graph/schema.py): an adoption the text gives no year for is undated and is listed apart, never
placed at a guessed year. Diffusion follows the saved query `adopted_after_pilot` exactly (a test
holds them equal): a dated pilot in one zone, and in another zone a dated adoption or promotion of the
same mechanism in a later year, or the same year at a stage other than pilot; plans do not count.
It says "after", not "because of": `learned` marks the adopters whose text says they learned it
from elsewhere.

Functions take adoptions and return plain values; `adoptions_from_store` reads a store first.
"""

from __future__ import annotations

from dataclasses import dataclass

from govkg.graph.model import ADOPTION_STAGES
from govkg.graph.store import GraphStore

__all__ = ["Adoption", "Diffusion", "adoptions_from_store", "dated", "diffusion", "in_time_order", "undated"]

_RETURN = ("RETURN z.id AS zone_id, z.name AS zone, m.id AS mechanism_id, m.name AS mechanism, "
           "coalesce(a.stage, 'adopted') AS stage, a.year AS year, coalesce(a.learned, false) AS learned")  # fmt: skip
_OF_MECHANISM = f"MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE m.id = $id {_RETURN}"
_OF_ZONE = f"MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE z.id = $id {_RETURN}"
_STEP = {stage: n for n, stage in enumerate(ADOPTION_STAGES)}  # pilot, adopted, promoted, planned


@dataclass(frozen=True)
class Adoption:
    """A zone's adoption of a mechanism: its stage (model.ADOPTION_STAGES), the year the text gives
    (None: undated) and whether the text says it was learned from elsewhere."""

    zone_id: str
    zone: str
    mechanism_id: str
    mechanism: str
    stage: str
    year: int | None
    learned: bool = False


@dataclass(frozen=True)
class Diffusion:
    """A practice taken up after it was piloted elsewhere: from the pilot to the later adoption."""

    mechanism_id: str
    mechanism: str
    pilot: Adoption
    adopter: Adoption


def adoptions_from_store(store: GraphStore, *, mechanism_id: str = "", zone_id: str = "") -> list[Adoption]:
    """Every adoption of one mechanism, or by one zone (give one of the two ids), in time order."""
    if bool(mechanism_id) == bool(zone_id):
        raise ValueError("give a mechanism id or a zone id")
    cypher, wanted = (_OF_MECHANISM, mechanism_id) if mechanism_id else (_OF_ZONE, zone_id)
    found = [
        Adoption(str(r["zone_id"]), str(r["zone"] or r["zone_id"]), str(r["mechanism_id"]),
                 str(r["mechanism"] or r["mechanism_id"]), str(r["stage"]),
                 int(r["year"]) if r["year"] is not None else None, bool(r["learned"]))
        for r in store.read(cypher, {"id": wanted}).records()
    ]
    return in_time_order(found)


def in_time_order(adoptions: list[Adoption]) -> list[Adoption]:
    """Dated first by year, then stage (pilot before adoption before promotion), zone and mechanism;
    undated ones after, plans last."""
    return sorted(adoptions, key=lambda a: (a.stage == "planned", a.year is None, a.year or 0,
                                            _STEP.get(a.stage, len(_STEP)), a.zone, a.mechanism))  # fmt: skip


def dated(adoptions: list[Adoption]) -> list[Adoption]:
    """The adoptions a timeline can place: those with a year (plans included, drawn as plans)."""
    return [a for a in adoptions if a.year is not None]


def undated(adoptions: list[Adoption]) -> list[Adoption]:
    return [a for a in adoptions if a.year is None]


def diffusion(adoptions: list[Adoption]) -> list[Diffusion]:
    """Each later adoption of a piloted mechanism in another zone (the module docstring gives the
    rule), ordered by mechanism, pilot year, pilot zone, adopter year and adopter."""
    found: list[Diffusion] = []
    for pilot in adoptions:
        if pilot.stage != "pilot" or pilot.year is None:
            continue
        for later in adoptions:
            if (later.mechanism_id != pilot.mechanism_id or later.zone_id == pilot.zone_id or later.year is None
                    or later.stage == "planned"):  # fmt: skip
                continue
            if later.year > pilot.year or (later.year == pilot.year and later.stage != "pilot"):
                found.append(Diffusion(pilot.mechanism_id, pilot.mechanism, pilot, later))
    found.sort(key=lambda d: (d.mechanism, d.pilot.year, d.pilot.zone, d.adopter.year, d.adopter.zone,
                              d.adopter.stage))  # fmt: skip
    return found
