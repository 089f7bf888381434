"""Derived, internal tables the saved queries read instead of walking or scanning the graph.

- **Name lookup** (`NameKey` nodes, `NAMES` relationships): one `NameKey {key}` per distinct text a
  node is found by — its id, name, aliases, and a zone's full name, a category's or theme's English
  name, a document's title — with `(:NameKey)-[:NAMES {how}]->(node)` to every node the text names;
  `how` says which of those it is (id, name, alias, full_name, name_en, title), so a query keeps its
  own rule of what finds a node. LadybugDB's one index is a table's primary key: `key` is NameKey's,
  so a lookup is one index probe and one expansion, never a scan of every node. On Neo4j `key` has a
  uniqueness constraint.
- **A zone's categories** (`ZONE_IN_CATEGORY`, Zone -> Category): the categories of the mechanisms the
  zone adopts (any stage but planned) or of their parts, down to three HAS_PART hops — exactly what
  `(z)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c)` walks. Each row
  also holds the paths that walk finds, as three lists of the same length (`adopted`: the adopted
  mechanism's id, `parts`: the id of it or its part in the category, `cues`: that IN_CATEGORY's cue, ""
  for none: Neo4j keeps no null in a list), sorted: a page of a category's zones reads why each is
  in it from the row, where LadybugDB joined the page against every adoption and HAS_PART hop.
- **The zones with mechanisms below a zone** (`ADOPTER_WITHIN`, Zone -> Zone): from every zone that
  adopts a mechanism (any stage but planned) to every zone it lies within, up to ZONE_HOPS PART_OF
  hops — exactly what `(below)-[:PART_OF*1..10]->(z)` walks from such a zone. A province's count of
  them was a walk of every zone below it (200 ms at 37,000 zones on Neo4j); it is now a degree.
- **The zones without mechanisms** (`WITHOUT_MECHANISMS`, from a zone to itself): every zone that adopts
  no mechanism (any stage but planned) — exactly the zones `NOT EXISTS { (z)-[a:ADOPTS]->(:Mechanism)
  WHERE coalesce(a.stage, '') <> 'planned' }` keeps. Asking that of every zone walked each zone's
  relationships (Neo4j: 830,421 database hits for the 24,901 communities of the 10,000-document store,
  none of which lacks a mechanism); the few zones without are now read straight from their rows.
- **Zones by category and level** (`ZONES_AT_LEVEL {level, zones}`, from a category to itself): one per
  zone level (a null level too) and category with zones, `zones` their number — exactly what
  counting ZONE_IN_CATEGORY by the zone's level gives. Counting that for every category read all
  86,686 rows of it at 100,000 nodes (Neo4j: 66-80 ms a call, over 100 ms at p95); the counts are
  recounted in every write's transaction (94 rows at 100,000 nodes: 15-17 ms on LadybugDB, 76-125 ms on Neo4j).

None is a research fact: they are not in graph/model.py's NODE_LABELS or EDGE_TYPES, so snapshots,
exports, counts, the full-text index and pictures never read them, and the engines' neighbourhood
reads leave them out. All are kept exact inside the transaction of every write that could change
them (`refresh_derived`, called by `write_graph` and by a correction's `write_changes`): the names of
every node written, the categories of every zone whose adoptions, or whose adopted mechanisms'
parts or categories, the write touched, the ADOPTER_WITHIN and WITHOUT_MECHANISMS rows of every
zone the write created or touched and of every zone below it, and all ZONES_AT_LEVEL counts.
`rebuild_derived` makes them all from scratch (a store written before they existed; the tests compare
against it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from govkg.graph.model import NODE_LABELS
from govkg.graph.store_primitives import BATCH_SIZE, EngineStatements, batches

__all__ = [
    "CATEGORY_LEVELS",
    "COUNTED_ADOPTION",
    "DERIVED_EDGE_TYPES",
    "LOOKUP_EDGE",
    "LOOKUP_LABEL",
    "STRUCTURE_TYPES",
    "ZONE_CATEGORY",
    "ZONE_CATEGORY_COLUMNS",
    "ZONE_WITHIN",
    "ZONE_WITHOUT",
    "adopters_within",
    "derived_columns",
    "derived_ddl",
    "held_adopters_within",
    "held_category_levels",
    "held_keys",
    "held_names",
    "held_zone_categories",
    "held_zone_category_paths",
    "held_zones_without",
    "keys_of",
    "name_keys",
    "rebuild_derived",
    "refresh_derived",
    "walked_adopters_within",
    "walked_category_levels",
    "walked_names",
    "walked_zone_categories",
    "walked_zone_category_paths",
    "walked_zones_without",
    "zone_category_paths",
]

LOOKUP_LABEL = "NameKey"
LOOKUP_EDGE = "NAMES"
ZONE_CATEGORY = "ZONE_IN_CATEGORY"
ZONE_WITHIN = "ADOPTER_WITHIN"
ZONE_WITHOUT = "WITHOUT_MECHANISMS"
CATEGORY_LEVELS = "ZONES_AT_LEVEL"
DERIVED_EDGE_TYPES: tuple[str, ...] = (LOOKUP_EDGE, ZONE_CATEGORY, ZONE_WITHIN, ZONE_WITHOUT, CATEGORY_LEVELS)
# The relationships the derived data follows: a write of one of them may change some zone's.
STRUCTURE_TYPES: tuple[str, ...] = ("ADOPTS", "HAS_PART", "IN_CATEGORY", "PART_OF")
ZONE_HOPS = 10  # PART_OF levels ADOPTER_WITHIN reaches, as the saved queries' PART_OF*1..10
# An adoption `a` that gives its zone a mechanism: any stage but planned (the saved queries' own test).
COUNTED_ADOPTION = "coalesce(a.stage, '') <> 'planned'"
# ZONE_IN_CATEGORY's columns: the walk's paths, (adopted, part, cue) at the same index of each list.
ZONE_CATEGORY_COLUMNS: dict[str, str] = {"adopted": "STRING[]", "parts": "STRING[]", "cues": "STRING[]"}
# One path of a zone into a category: (the adopted mechanism, it or its part in the category, the cue).
CategoryPath = tuple[str, str, str]
Row = TypeVar("Row", bound=tuple[Any, ...])

# The node columns a node is found by, besides its id and aliases, and the `how` each is stored as.
_NAMED_BY: dict[str, tuple[tuple[str, str], ...]] = {
    "Zone": (("name", "name"), ("full_name", "full_name")),
    "Category": (("name", "name"), ("name_en", "name_en")),
    "Theme": (("name", "name"), ("name_en", "name_en")),
    "Document": (("name", "name"), ("title", "title")),
}


def derived_ddl() -> list[tuple[str, str]]:
    """LadybugDB's tables of the derived data: (table, CREATE statement)."""
    ends = ", ".join(f"FROM {LOOKUP_LABEL} TO {label}" for label in NODE_LABELS)
    return [
        (LOOKUP_LABEL, f"CREATE NODE TABLE {LOOKUP_LABEL}(key STRING PRIMARY KEY)"),
        (LOOKUP_EDGE, f"CREATE REL TABLE {LOOKUP_EDGE}({ends}, how STRING)"),
        (ZONE_CATEGORY, f"CREATE REL TABLE {ZONE_CATEGORY}(FROM Zone TO Category, {_columns(ZONE_CATEGORY_COLUMNS)})"),
        (ZONE_WITHIN, f"CREATE REL TABLE {ZONE_WITHIN}(FROM Zone TO Zone)"),
        (ZONE_WITHOUT, f"CREATE REL TABLE {ZONE_WITHOUT}(FROM Zone TO Zone)"),
        (CATEGORY_LEVELS, f"CREATE REL TABLE {CATEGORY_LEVELS}(FROM Category TO Category, level STRING, zones INT64)"),
    ]


def derived_columns() -> dict[str, dict[str, str]]:
    """The derived tables that carry columns besides their ends, and those columns (a table made
    before one of them was added is made again, from the facts)."""
    return {ZONE_CATEGORY: ZONE_CATEGORY_COLUMNS}


def _columns(columns: dict[str, str]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns.items())


# --------------------------------------------------------------------- what they should hold


def name_keys(label: str, row: dict[str, Any]) -> set[tuple[str, str]]:
    """(key, how) of one stored node row: the texts that find it."""
    keys = {(str(row["id"]), "id")}
    for column, how in _NAMED_BY.get(label, (("name", "name"),)):
        value = row.get(column)
        if value not in (None, ""):
            keys.add((str(value), how))
    for alias in row.get("aliases") or ():
        if alias not in (None, ""):
            keys.add((str(alias), "alias"))
    return keys


def zone_categories(
    adopts: Iterable[tuple[str, str]], parts: Iterable[tuple[str, str]], categories: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """(zone, category) from (zone, mechanism) adoptions, (whole, part) and (mechanism, category)
    pairs: the walk ZONE_IN_CATEGORY stands for, in Python."""
    children: dict[str, set[str]] = {}
    for whole, part in parts:
        children.setdefault(whole, set()).add(part)
    of_mechanism: dict[str, set[str]] = {}
    for mechanism, category in categories:
        of_mechanism.setdefault(mechanism, set()).add(category)
    reach: dict[str, set[str]] = {}

    def reached(mechanism: str) -> set[str]:
        if mechanism not in reach:
            found: set[str] = set()
            level = {mechanism}
            seen = {mechanism}
            for depth in range(4):  # the mechanism itself and three HAS_PART hops down
                for m in level:
                    found |= of_mechanism.get(m, set())
                if depth == 3:
                    break
                level = {c for m in level for c in children.get(m, ())} - seen
                seen |= level
            reach[mechanism] = found
        return reach[mechanism]

    return {(zone, c) for zone, mechanism in adopts for c in reached(mechanism)}


def zone_category_paths(
    adopts: Iterable[tuple[str, str]], below: dict[str, set[str]], categories: Iterable[tuple[str, str, str | None]]
) -> dict[tuple[str, str], tuple[CategoryPath, ...]]:
    """(zone, category) -> its paths, sorted, from (zone, mechanism) adoptions, each adopted mechanism's
    parts down to PART_HOPS with itself (`below`), and (mechanism, category, cue) rows: what each
    ZONE_IN_CATEGORY row holds."""
    of_mechanism: dict[str, list[tuple[str, str]]] = {}
    for mechanism, category, cue in categories:
        of_mechanism.setdefault(mechanism, []).append((category, cue or ""))
    paths: dict[tuple[str, str], set[CategoryPath]] = {}
    for zone, adopted in adopts:
        for part in below.get(adopted, {adopted}):
            for category, cue in of_mechanism.get(part, ()):
                paths.setdefault((zone, category), set()).add((adopted, part, cue))
    return {key: tuple(sorted(found)) for key, found in paths.items()}


def _path_columns(paths: Iterable[CategoryPath]) -> dict[str, list[str]]:
    """A row's paths as its three columns."""
    adopted, parts, cues = [], [], []
    for a, p, c in paths:
        adopted.append(a)
        parts.append(p)
        cues.append(c)
    return {"adopted": adopted, "parts": parts, "cues": cues}


def adopters_within(adopters: Iterable[str], part_of: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(below, zone) for each adopting zone `below` and every zone it reaches by 1..ZONE_HOPS
    (child, parent) PART_OF steps: the walk ADOPTER_WITHIN stands for, in Python."""
    parents: dict[str, set[str]] = {}
    for child, parent in part_of:
        parents.setdefault(child, set()).add(parent)
    return {(below, zone) for below in set(adopters) for zone in _reach(parents, below, ZONE_HOPS)}


def _reach(step: dict[str, set[str]], origin: str, hops: int) -> set[str]:
    """The nodes 1..hops steps from `origin` (itself only if a cycle leads back to it)."""
    found: set[str] = set()
    level = step.get(origin, set())
    for _ in range(hops):
        level = level - found
        if not level:
            break
        found |= level
        level = {n for f in level for n in step.get(f, ())}
    return found


def _walked_adopters(tx: EngineStatements) -> set[str]:
    """Every zone with mechanisms, from the stored adoptions."""
    rows = tx.run(f"MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE {COUNTED_ADOPTION} RETURN DISTINCT z.id", {})
    return {str(r[0]) for r in rows}


def walked_adopters_within(tx: EngineStatements) -> set[tuple[str, str]]:
    """Every (zone with mechanisms, zone it lies within), from the stored facts (not from ADOPTER_WITHIN)."""
    part_of = tx.run("MATCH (a:Zone)-[:PART_OF]->(b:Zone) RETURN a.id, b.id", {})
    return adopters_within(_walked_adopters(tx), ((str(a), str(b)) for a, b in part_of))


def held_adopters_within(tx: EngineStatements) -> set[tuple[str, str]]:
    rows = tx.run(f"MATCH (a:Zone)-[:{ZONE_WITHIN}]->(b:Zone) RETURN a.id, b.id", {})
    return {(str(a), str(b)) for a, b in rows}


def walked_zones_without(tx: EngineStatements) -> set[tuple[str, str]]:
    """(zone, zone) for every zone that adopts no mechanism (any stage but planned), from the stored facts."""
    zones = {str(r[0]) for r in tx.run("MATCH (z:Zone) RETURN z.id", {})}
    return {(z, z) for z in zones - _walked_adopters(tx)}


def held_zones_without(tx: EngineStatements) -> set[tuple[str, str]]:
    rows = tx.run(f"MATCH (a:Zone)-[:{ZONE_WITHOUT}]->(b:Zone) RETURN a.id, b.id", {})
    return {(str(a), str(b)) for a, b in rows}


def walked_zone_categories(tx: EngineStatements) -> set[tuple[str, str]]:
    """Every zone's categories, from the stored facts (not from ZONE_IN_CATEGORY)."""
    adopts = tx.run(f"MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE {COUNTED_ADOPTION} RETURN z.id, m.id", {})
    parts = tx.run("MATCH (a:Mechanism)-[:HAS_PART]->(b:Mechanism) RETURN a.id, b.id", {})
    categories = tx.run("MATCH (m:Mechanism)-[:IN_CATEGORY]->(c:Category) RETURN m.id, c.id", {})
    return zone_categories(
        ((str(z), str(m)) for z, m in adopts),
        ((str(a), str(b)) for a, b in parts),
        ((str(m), str(c)) for m, c in categories),
    )


def held_zone_categories(tx: EngineStatements) -> set[tuple[str, str]]:
    rows = tx.run(f"MATCH (z:Zone)-[:{ZONE_CATEGORY}]->(c:Category) RETURN z.id, c.id", {})
    return {(str(z), str(c)) for z, c in rows}


def walked_zone_category_paths(tx: EngineStatements) -> dict[tuple[str, str], tuple[CategoryPath, ...]]:
    """Every zone's paths into each of its categories, from the stored facts."""
    adopts = [(str(z), str(m)) for z, m in
              tx.run(f"MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE {COUNTED_ADOPTION} RETURN z.id, m.id", {})]
    below = _within_hops(tx, {m for _, m in adopts}, _PARTS)
    rows = tx.run("MATCH (m:Mechanism)-[e:IN_CATEGORY]->(c:Category) RETURN m.id, c.id, e.cue", {})
    return zone_category_paths(adopts, below, ((str(m), str(c), cue) for m, c, cue in rows))


def held_zone_category_paths(tx: EngineStatements) -> dict[tuple[str, str], tuple[CategoryPath, ...]]:
    """What every ZONE_IN_CATEGORY row holds, as its paths."""
    rows = tx.run(
        f"MATCH (z:Zone)-[e:{ZONE_CATEGORY}]->(c:Category) RETURN z.id, c.id, e.adopted, e.parts, e.cues", {}
    )
    return {(str(z), str(c)): _held_paths(a, p, q) for z, c, a, p, q in rows}


def _held_paths(adopted: Any, parts: Any, cues: Any) -> tuple[CategoryPath, ...]:
    """A held row's three lists as its paths (a row written before they existed holds none)."""
    return tuple(zip(map(str, adopted or ()), map(str, parts or ()), map(str, cues or ()), strict=False))


def walked_category_levels(tx: EngineStatements) -> set[tuple[str | None, str, int]]:
    """(level, category, zones) of every category and zone level with zones, from the stored facts
    (each zone's categories walked, not read from ZONE_IN_CATEGORY)."""
    levels = {str(i): level for i, level in tx.run("MATCH (z:Zone) RETURN z.id, z.level", {})}
    counts: dict[tuple[str | None, str], int] = {}
    for zone, category in walked_zone_categories(tx):
        key = (None if levels.get(zone) is None else str(levels[zone]), category)
        counts[key] = counts.get(key, 0) + 1
    return {(level, category, n) for (level, category), n in counts.items()}


def held_category_levels(tx: EngineStatements) -> set[tuple[str | None, str, int]]:
    rows = tx.run(f"MATCH (c:Category)-[r:{CATEGORY_LEVELS}]->(c) RETURN r.level, c.id, r.zones", {})
    return {(None if level is None else str(level), str(c), int(n)) for level, c, n in rows}


def walked_names(tx: EngineStatements) -> set[tuple[str, str, str]]:
    """(key, node id, how) of every node, from the stored nodes (not from the lookup)."""
    out: set[tuple[str, str, str]] = set()
    for label in NODE_LABELS:
        for node_id, row in tx.node_rows(label).items():
            out |= {(key, node_id, how) for key, how in name_keys(label, row)}
    return out


def held_keys(tx: EngineStatements) -> set[str]:
    """Every NameKey's key (a key no node holds any more should not be among them)."""
    return {str(r[0]) for r in tx.run(f"MATCH (k:{LOOKUP_LABEL}) RETURN k.key", {})}


def held_names(tx: EngineStatements) -> set[tuple[str, str, str]]:
    rows = tx.run(f"MATCH (k:{LOOKUP_LABEL})-[e:{LOOKUP_EDGE}]->(n) RETURN k.key, n.id, e.how", {})
    return {(str(k), str(i), str(h)) for k, i, h in rows}


# --------------------------------------------------------------------- keeping them exact


def refresh_derived(
    tx: EngineStatements,
    touched: dict[str, str],
    *,
    created: dict[str, tuple[str, dict[str, Any]]] | None = None,
    structure: dict[str, str] | None = None,
    everything: bool = False,
    dropped: Iterable[str] = (),
) -> None:
    """Bring the derived data up to date inside the open transaction, after a write that changed the
    nodes `touched` (id -> label) and created the nodes `created` (id -> their label and the row
    written: they have no names held yet, and their names are taken from that row, not read back).
    `structure`: the ends of every ADOPTS, HAS_PART or IN_CATEGORY relationship written or deleted
    (None: `touched` stands for them too, as after a correction). `dropped`: the keys of nodes the
    write deleted (`keys_of`, read before), removed unless another node still holds them.
    `everything`: the write also deleted facts it cannot name (a curated sheet's retraction), so every
    zone's categories are made again and every key no node holds goes."""
    _refresh_names(tx, touched)
    _create_names(tx, created or {})
    _drop_unused_keys(tx, sorted(set(dropped)))
    if everything:
        tx.run(f"MATCH (k:{LOOKUP_LABEL}) WHERE NOT EXISTS {{ MATCH (k)-[:{LOOKUP_EDGE}]->() }} DELETE k", {})
        zones = [str(r[0]) for r in tx.run("MATCH (z:Zone) RETURN z.id", {})]
        _refresh_zone_categories(tx, zones)
        _refresh_adopter_rows(tx, zones)
        _recount_category_levels(tx)
        return
    _refresh_zone_categories(tx, _affected_zones(tx, touched if structure is None else structure))
    # A zone's own rows change with its adoptions and its PART_OF; those of every zone below it with the
    # latter. A zone created without either still needs its WITHOUT_MECHANISMS row.
    moved = {i for i, label in (*touched.items(), *(structure or {}).items()) if label == "Zone"}
    moved.update(i for i, (label, _) in (created or {}).items() if label == "Zone")
    below = _steps(tx, moved, _CHILDREN, ZONE_HOPS)  # every zone asked, and the children of each
    _refresh_adopter_rows(tx, sorted(set(below).union(*below.values())))
    _recount_category_levels(tx)


def keys_of(tx: EngineStatements, nodes: dict[str, str]) -> set[str]:
    """The lookup keys that name the nodes `nodes` (id -> label): read before they are deleted."""
    keys: set[str] = set()
    for label, ids in sorted(_by_label(nodes).items()):
        for batch in batches(sorted(ids)):
            rows = tx.run(f"UNWIND $ids AS i MATCH (k:{LOOKUP_LABEL})-[:{LOOKUP_EDGE}]->(:{label} {{id: i}}) "
                          "RETURN DISTINCT k.key", {"ids": batch})  # fmt: skip
            keys.update(str(r[0]) for r in rows)
    return keys


def _drop_unused_keys(tx: EngineStatements, keys: list[str]) -> None:
    for batch in batches(keys):
        tx.run(
            f"UNWIND $keys AS x MATCH (k:{LOOKUP_LABEL} {{key: x}}) "
            f"WHERE NOT EXISTS {{ MATCH (k)-[:{LOOKUP_EDGE}]->() }} DELETE k",
            {"keys": batch},
        )


def rebuild_derived(tx: EngineStatements) -> None:
    """Make both from scratch, from the stored facts (a store written before they existed)."""
    touched = {i: label for label in NODE_LABELS for i in tx.node_rows(label)}
    refresh_derived(tx, touched, everything=True)


def _by_label(nodes: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for node_id, label in nodes.items():
        if label in NODE_LABELS:
            out.setdefault(label, []).append(node_id)
    return out


def _create_names(tx: EngineStatements, created: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """The names of nodes this write created, from the rows written: none is held yet, so nothing is
    read (reading the 27,000 rows of a 2,000-document load back from Neo4j took 3.3 s of its 21)."""
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for node_id, (label, row) in created.items():
        if label in NODE_LABELS:
            by_label.setdefault(label, []).append((node_id, row))
    named = {label: _name_rows(label, rows) for label, rows in sorted(by_label.items())}
    # Every label's keys in one merge: label by label, each label after the first looked up all its keys
    # among those just created (a first load of 10,000 documents: 115 statements, 3.0 s, docs/measured.md).
    tx.merge_keys(LOOKUP_LABEL, sorted({r["k"] for new in named.values() for r in new}))
    for label, new in named.items():
        _create_name_links(tx, label, new)


def _name_rows(label: str, rows: list[tuple[str, dict[str, Any]]]) -> list[dict[str, str]]:
    """The NAMES rows (key, node id, how) of the `label` nodes (id, row written), in id then key order."""
    return [{"k": k, "i": i, "h": h} for i, row in sorted(rows, key=lambda r: r[0])
            for k, h in sorted(name_keys(label, row))]  # fmt: skip


def _create_name_edges(tx: EngineStatements, label: str, new: list[dict[str, str]]) -> None:
    """The keys (`merge_keys`: another node may hold one) and NAMES of `new`."""
    tx.merge_keys(LOOKUP_LABEL, sorted({r["k"] for r in new}))
    _create_name_links(tx, label, new)


def _create_name_links(tx: EngineStatements, label: str, new: list[dict[str, str]]) -> None:
    """The NAMES of `new`, whose keys are held, all at once through the engine's bulk path (a first
    load names every node: UNWIND CREATE took most of the 1.7 s the names cost in a 1,000-document
    load's 8 s write, and LadybugDB pays for each COPY into a table that holds rows: 39 COPYs of a
    first load's NAMES to zones took 7.6 s committed one by one). The keys are not COPYed: a LadybugDB
    0.22 transaction that COPYed into NameKey failed its next MERGE with a broken primary-key index."""
    if tx.bulk_create_edges(LOOKUP_EDGE, LOOKUP_LABEL, label, [{"s": r["k"], "t": r["i"], "how": r["h"]} for r in new]):
        return
    for batch in batches(new):
        tx.run(
            f"UNWIND $rows AS r MATCH (k:{LOOKUP_LABEL} {{key: r.k}}) MATCH (n:{label} {{id: r.i}}) "
            f"CREATE (k)-[:{LOOKUP_EDGE} {{how: r.h}}]->(n)",
            {"rows": batch},
        )


def _refresh_names(tx: EngineStatements, touched: dict[str, str]) -> None:
    for label, ids in sorted(_by_label(touched).items()):
        for batch in batches(sorted(ids)):
            rows = tx.node_rows(label, batch)
            wanted = {(key, i, how) for i, row in rows.items() for key, how in name_keys(label, row)}
            held = {
                (str(k), str(i), str(h))
                for k, i, h in tx.run(
                    f"UNWIND $ids AS i MATCH (k:{LOOKUP_LABEL})-[e:{LOOKUP_EDGE}]->(n:{label} {{id: i}}) "
                    "RETURN k.key, n.id, e.how",
                    {"ids": batch},
                )
            }
            gone = [{"k": k, "i": i, "h": h} for k, i, h in sorted(held - wanted)]
            new = [{"k": k, "i": i, "h": h} for k, i, h in sorted(wanted - held)]
            if gone:
                tx.run(
                    f"UNWIND $rows AS r MATCH (k:{LOOKUP_LABEL} {{key: r.k}})-[e:{LOOKUP_EDGE}]->"
                    f"(n:{label} {{id: r.i}}) WHERE e.how = r.h DELETE e",
                    {"rows": gone},
                )
                _drop_unused_keys(tx, sorted({r["k"] for r in gone}))
            _create_name_edges(tx, label, new)


# Reads below are one hop at a time, `WHERE x.id IN $ids` from a labelled node, the hops joined in Python:
# one query of chained OPTIONAL MATCHes over a batch of ids made LadybugDB 0.22 build a product of
# the whole batch (24 GB and the kernel's OOM killer at 1,000 synthetic documents), and the labelled
# IN form starts from the primary key (docs/measured.md). Asked for more ids than one batch holds (a
# first load asks for every zone), a hop reads the whole relationship instead and keeps the ids asked:
# the 37,646 PART_OF of the 10,000-document store in 0.09 s, against 2.9 s in eight batches of ids.
PART_HOPS = 3  # HAS_PART levels a zone's categories reach through, as the similarity profiles' PART_DEPTH


@dataclass(frozen=True)
class _Hop:
    """(id, other) pairs: `MATCH pattern [WHERE condition] RETURN key, other`, asked for some ids of `key`."""

    pattern: str
    key: str
    other: str
    condition: str = ""

    def asked(self) -> str:
        """The MATCH of the ids `$ids` of `key`."""
        conditions = [f"{self.key} IN $ids", *([self.condition] if self.condition else [])]
        return f"MATCH {self.pattern} WHERE " + " AND ".join(conditions)

    def every(self) -> str:
        """The MATCH of every row."""
        return f"MATCH {self.pattern}" + (f" WHERE {self.condition}" if self.condition else "")


_PARENTS = _Hop("(p:Mechanism)-[:HAS_PART]->(x:Mechanism)", "x.id", "p.id")
_PARTS = _Hop("(p:Mechanism)-[:HAS_PART]->(q:Mechanism)", "p.id", "q.id")
_CHILDREN = _Hop("(c:Zone)-[:PART_OF]->(p:Zone)", "p.id", "c.id")
_ZONE_PARENTS = _Hop("(c:Zone)-[:PART_OF]->(p:Zone)", "c.id", "p.id")
_ADOPTERS = _Hop("(z:Zone)-[:ADOPTS]->(m:Mechanism)", "m.id", "z.id")
_ADOPTED = _Hop("(z:Zone)-[a:ADOPTS]->(m:Mechanism)", "z.id", "m.id", COUNTED_ADOPTION)
_CATEGORY_CUES = _Hop("(m:Mechanism)-[e:IN_CATEGORY]->(c:Category)", "m.id", "c.id")


def _pairs(tx: EngineStatements, hop: _Hop, ids: Iterable[str]) -> list[tuple[str, str]]:
    """The (id, other) pairs of `hop` for every id."""
    return _by_ids(hop, ids, lambda match, params: tx.id_pairs(match, hop.key, hop.other, params))


def _rows(tx: EngineStatements, hop: _Hop, more: str, ids: Iterable[str]) -> list[tuple[Any, ...]]:
    """As `_pairs`, each row with the further columns `more` of its match (one or more expressions)."""
    query = f" RETURN {hop.key}, {hop.other}, {more}"
    return _by_ids(hop, ids, lambda match, params: [tuple(r) for r in tx.run(match + query, params)])


def _by_ids(hop: _Hop, ids: Iterable[str], read: Callable[[str, dict[str, Any]], Sequence[Row]]) -> list[Row]:
    """`read`'s rows of `hop` (each an id of `hop.key` first) for every id: a batch of ids at a time, or,
    for more ids than one batch, the whole relationship read once and the ids asked kept."""
    asked = sorted(set(ids))
    if len(asked) > BATCH_SIZE:
        wanted = set(asked)
        return [row for row in read(hop.every(), {}) if str(row[0]) in wanted]
    found: list[Row] = []
    for batch in batches(asked):
        found.extend(read(hop.asked(), {"ids": batch}))
    return found


def _steps(tx: EngineStatements, start: Iterable[str], hop: _Hop, hops: int) -> dict[str, set[str]]:
    """One step of `hop` from each node up to `hops` steps from `start`, read a hop at a time."""
    step: dict[str, set[str]] = {}
    frontier = set(start)
    for _ in range(hops):
        asked = frontier - step.keys()
        if not asked:
            break
        for i in asked:
            step[i] = set()
        for a, b in _pairs(tx, hop, asked):
            step[a].add(b)
        frontier = {n for f in asked for n in step[f]}
    return step


def _hops(tx: EngineStatements, start: Iterable[str], hop: _Hop, hops: int) -> dict[str, set[str]]:
    """Each start node -> the nodes 1..hops steps of `hop` from it."""
    step = _steps(tx, start, hop, hops)
    return {origin: _reach(step, origin, hops) for origin in set(start)}


def _within_hops(tx: EngineStatements, start: Iterable[str], hop: _Hop) -> dict[str, set[str]]:
    """Each start mechanism -> itself and the mechanisms up to PART_HOPS HAS_PART steps from it in the
    direction of `hop` (_PARENTS: up, _PARTS: down)."""
    return {origin: reach | {origin} for origin, reach in _hops(tx, start, hop, PART_HOPS).items()}


def _affected_zones(tx: EngineStatements, touched: dict[str, str]) -> list[str]:
    """The zones touched, and those adopting a touched mechanism or a mechanism it is a part of (up
    to PART_HOPS HAS_PART hops): every zone whose categories the write may have changed."""
    zones = {i for i, label in touched.items() if label == "Zone"}
    mechanisms = [i for i, label in touched.items() if label == "Mechanism"]
    above = set().union(*_within_hops(tx, mechanisms, _PARENTS).values()) if mechanisms else set()
    zones.update(z for _, z in _pairs(tx, _ADOPTERS, above))
    return sorted(zones)


def _refresh_zone_categories(tx: EngineStatements, zones: list[str]) -> None:
    adoptions = _pairs(tx, _ADOPTED, zones)
    below = _within_hops(tx, {m for _, m in adoptions}, _PARTS)
    cues = _rows(tx, _CATEGORY_CUES, "e.cue", set().union(*below.values()) if below else set())
    wanted = zone_category_paths(adoptions, below, cues)
    held = {(z, c): _held_paths(a, p, q) for z, c, a, p, q in _rows(
        tx, _Hop(f"(z:Zone)-[e:{ZONE_CATEGORY}]->(c:Category)", "z.id", "c.id"), "e.adopted, e.parts, e.cues", zones)}
    # A row whose paths changed is made again: deleted and created with the new lists.
    tx.delete_edges(ZONE_CATEGORY, "Zone", "Category", sorted(k for k, kept in held.items() if wanted.get(k) != kept))
    new = [{"s": k[0], "t": k[1], **_path_columns(kept)} for k, kept in sorted(wanted.items()) if held.get(k) != kept]
    if new and not tx.bulk_create_edges(ZONE_CATEGORY, "Zone", "Category", new):  # many: COPYed
        for batch in batches(new):  # a statement's parameters bounded, lists and all
            tx.run(
                f"UNWIND $rows AS r MATCH (z:Zone {{id: r.s}}) MATCH (x:Category {{id: r.t}}) "
                f"CREATE (z)-[:{ZONE_CATEGORY} {{adopted: r.adopted, parts: r.parts, cues: r.cues}}]->(x)",
                {"rows": batch},
            )


def _refresh_adopter_rows(tx: EngineStatements, zones: list[str]) -> None:
    """Make the ADOPTER_WITHIN and WITHOUT_MECHANISMS rows from each of `zones` what the stored facts give."""
    adopters = {z for z, _ in _pairs(tx, _ADOPTED, zones)}
    above = _hops(tx, adopters, _ZONE_PARENTS, ZONE_HOPS)
    wanted = {(z, a) for z in adopters for a in above[z]}
    _write_difference(tx, ZONE_WITHIN, "Zone", zones, wanted)
    _write_difference(tx, ZONE_WITHOUT, "Zone", zones, {(z, z) for z in zones if z not in adopters})


def _recount_category_levels(tx: EngineStatements) -> None:
    """Make the ZONES_AT_LEVEL rows the counts ZONE_IN_CATEGORY gives now: all of them recounted (a
    zone's level, its categories or the zone itself may have changed), and rewritten only if any differs."""
    rows = tx.run(f"MATCH (z:Zone)-[:{ZONE_CATEGORY}]->(c:Category) RETURN z.level, c.id, count(*)", {})
    wanted = {(None if level is None else str(level), str(c), int(n)) for level, c, n in rows}
    if wanted == held_category_levels(tx):
        return
    tx.run(f"MATCH (c:Category)-[r:{CATEGORY_LEVELS}]->(c) DELETE r", {})
    for batch in batches(sorted(wanted, key=lambda row: (row[1], row[0] or ""))):
        tx.run(
            f"UNWIND $rows AS r MATCH (c:Category {{id: r.c}}) "
            f"CREATE (c)-[:{CATEGORY_LEVELS} {{level: r.level, zones: r.zones}}]->(c)",
            {"rows": [{"c": c, "level": level, "zones": n} for level, c, n in batch]},
        )


def _write_difference(
    tx: EngineStatements, edge_type: str, target: str, zones: list[str], wanted: set[tuple[str, str]]
) -> None:
    """Make the derived `edge_type` rows (Zone -> `target`) from `zones` the pairs `wanted`: those held
    and not wanted deleted, the others created (many at once through the engine's bulk path)."""
    held = set(_pairs(tx, _Hop(f"(z:Zone)-[:{edge_type}]->(x:{target})", "z.id", "x.id"), zones))
    tx.delete_edges(edge_type, "Zone", target, sorted(held - wanted))
    new = [{"s": z, "t": x} for z, x in sorted(wanted - held)]
    if new and not tx.bulk_create_edges(edge_type, "Zone", target, new):  # many: COPYed
        tx.run(
            f"UNWIND $rows AS r MATCH (z:Zone {{id: r.s}}) MATCH (x:{target} {{id: r.t}}) "
            f"CREATE (z)-[:{edge_type}]->(x)",
            {"rows": new},
        )
