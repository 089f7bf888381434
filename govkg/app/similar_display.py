"""The similar-zones page opens on the zone with the most mechanisms, so it shows a ranking at once."""

from __future__ import annotations

from govkg.graph.store import GraphStore

BUSIEST_ZONE_CYPHER = (
    "MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' "
    "RETURN z.id AS id, count(m) AS n ORDER BY n DESC, id LIMIT 1"
)


def busiest_zone(store: GraphStore) -> str | None:
    """The zone with the most mechanisms (a planned adoption is none)."""
    rows = store.read(BUSIEST_ZONE_CYPHER).rows
    return str(rows[0][0]) if rows else None
