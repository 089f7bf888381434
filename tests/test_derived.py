"""The derived, internal data of graph/derived.py — the name lookup (NameKey/NAMES), each zone's
categories (ZONE_IN_CATEGORY), the zones with mechanisms within each zone (ADOPTER_WITHIN), the
zones without mechanisms (WITHOUT_MECHANISMS) and the zones by category and level (ZONES_AT_LEVEL) — on
a LadybugDB file and the real Neo4j server: after loads, a re-load, each correction and its undo
they equal what a walk of the stored facts gives, a failed load leaves them as they were, and
nothing a researcher sees (snapshot, counts, neighbourhoods) shows them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_store

from govkg.bench.corpus import synthetic_corpus, write_corpus
from govkg.errors import GovkgError, QueryError
from govkg.graph import derived
from govkg.graph.corrections import Target
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import EDGE_TYPES, NODE_LABELS, Edge, GraphDocument, Node
from govkg.graph.neo4j_store import Neo4jStore
from govkg.graph.saved_queries import run_saved_query
from govkg.graph.store_algorithms import EngineStore
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.correcting import correct, undo
from govkg.services.loading import load_paths

AUTHOR = "测试研究员"

# The walk ZONE_IN_CATEGORY stands for, run by the engine itself.
WALK = (
    "MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category) "
    "WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.id, c.id"
)
# The walk ADOPTER_WITHIN stands for.
WALK_WITHIN = (
    "MATCH (b:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' "
    "MATCH (b)-[:PART_OF*1..10]->(z:Zone) RETURN DISTINCT b.id, z.id"
)
# The count ZONES_AT_LEVEL stands for, by the engine's own walk.
WALK_LEVELS = (
    "MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category) "
    "WHERE coalesce(a.stage, '') <> 'planned' WITH DISTINCT z, c RETURN z.level, c.id, count(*)"
)
# The test WITHOUT_MECHANISMS stands for.
WALK_WITHOUT = (
    "MATCH (z:Zone) WHERE NOT EXISTS { MATCH (z)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' } "
    "RETURN z.id"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(synthetic_corpus(8), tmp_path_factory.mktemp("corpus"))


def _two_loads(settings: StoreSettings, corpus: list[Path]) -> StoreSettings:
    load_paths(settings, [BUNDLED_CASES_DIR, *corpus[:4]])
    load_paths(settings, corpus[4:])
    return settings


@pytest.fixture(scope="module")
def embedded_loaded(tmp_path_factory: pytest.TempPathFactory, corpus: list[Path]) -> Path:
    """The two loads into an embedded store, once for the module: its tests copy it."""
    return _two_loads(StoreSettings(db_path=tmp_path_factory.mktemp("loaded") / "store.lbdb"), corpus).db_path


@pytest.fixture()
def settings(request: pytest.FixtureRequest, empty_settings: StoreSettings, corpus: list[Path]) -> StoreSettings:
    """A store of each engine holding the bundled cases and synthetic documents, in two loads (the
    embedded one a copy of the module's)."""
    if empty_settings.engine == "embedded":
        copy_store(request.getfixturevalue("embedded_loaded"), empty_settings.db_path)
        return empty_settings
    return _two_loads(empty_settings, corpus)


def derived_state(settings: StoreSettings) -> tuple[set[Any], set[Any], set[Any], set[Any], set[Any]]:
    """What the store holds as derived data, after checking it equals the walk of its facts."""
    with open_store(settings) as store:
        assert isinstance(store, EngineStore)
        tx = store._statements()
        names, walked_names = derived.held_names(tx), derived.walked_names(tx)
        assert derived.held_keys(tx) == {key for key, _, _ in names}  # no key left that names nothing
        categories = derived.held_zone_categories(tx)
        walked = {(str(z), str(c)) for z, c in store.read(WALK).rows}
        assert walked == derived.walked_zone_categories(tx)  # the engine's walk and the Python one agree
        paths, walked_paths = derived.held_zone_category_paths(tx), derived.walked_zone_category_paths(tx)
        assert walked_paths.keys() == walked  # a path for every pair the engine's walk finds, and no other
        assert paths == walked_paths, sorted(set(paths.items()) ^ set(walked_paths.items()))[:5]
        within = derived.held_adopters_within(tx)
        walked_within = {(str(b), str(z)) for b, z in store.read(WALK_WITHIN).rows}
        assert walked_within == derived.walked_adopters_within(tx)
        without = derived.held_zones_without(tx)
        walked_without = {(str(z), str(z)) for (z,) in store.read(WALK_WITHOUT).rows}
        assert walked_without == derived.walked_zones_without(tx)
        levels = derived.held_category_levels(tx)
        walked_levels = {(level, str(c), int(n)) for level, c, n in store.read(WALK_LEVELS).rows}
        assert walked_levels == derived.walked_category_levels(tx)
    assert names == walked_names, (sorted(names - walked_names)[:5], sorted(walked_names - names)[:5])
    assert categories == walked, (sorted(categories - walked)[:5], sorted(walked - categories)[:5])
    assert within == walked_within, (sorted(within - walked_within)[:5], sorted(walked_within - within)[:5])
    assert without == walked_without, (sorted(without - walked_without)[:5], sorted(walked_without - without)[:5])
    assert levels == walked_levels, (sorted(levels - walked_levels, key=str), sorted(walked_levels - levels, key=str))
    return names, categories, within, without, levels


def snapshot(settings: StoreSettings) -> GraphDocument:
    with open_store(settings) as store:
        return store.snapshot()


def test_loads_and_a_reload_keep_them_exact(settings: StoreSettings, corpus: list[Path]) -> None:
    names, categories, within, without, levels = derived_state(settings)
    assert categories and within and without and levels and len(names) > 100
    load_paths(settings, corpus[:3])  # a re-load of documents already held
    assert derived_state(settings) == (names, categories, within, without, levels)


def test_they_are_no_research_fact(settings: StoreSettings) -> None:
    with open_store(settings) as store:
        graph = store.snapshot()
        counts = store.counts()
        assert set(counts) == set(NODE_LABELS) | set(EDGE_TYPES)
        assert {e.type for e in graph.edges} <= set(EDGE_TYPES)
        zone = next(n for n in graph.nodes if n.label == "Zone")
        around = store.neighbourhood(zone.id, depth=2, limit=500)
        assert {n.label for n in around.nodes} <= set(NODE_LABELS)
        assert {e.type for e in around.edges} <= set(EDGE_TYPES)
        text = store.searchable_text()
        assert {row[1] for row in text.nodes} <= set(NODE_LABELS)


def _mechanism_with_category(g: GraphDocument) -> str:
    held = {e.source for e in g.edges if e.type == "IN_CATEGORY"}
    adopted = {e.target for e in g.edges if e.type == "ADOPTS"}
    return sorted(held & adopted)[0]


def _adoption(g: GraphDocument) -> tuple[str, str, str]:
    held = {e.source for e in g.edges if e.type == "IN_CATEGORY"}
    return sorted(e.key for e in g.edges if e.type == "ADOPTS" and e.target in held
                  and e.properties.get("stage") != "planned")[0]  # fmt: skip


def _part(g: GraphDocument) -> tuple[str, str, str]:
    """A HAS_PART relationship without which some zone loses a category."""

    def pairs(kind: str, without: Any = None) -> list[tuple[str, str]]:
        return [(e.source, e.target) for e in g.edges if e.type == kind and e.key != without
                and (kind != "ADOPTS" or e.properties.get("stage") != "planned")]  # fmt: skip

    every = derived.zone_categories(pairs("ADOPTS"), pairs("HAS_PART"), pairs("IN_CATEGORY"))
    parts = sorted(e.key for e in g.edges if e.type == "HAS_PART")
    changing = [key for key in parts
                if derived.zone_categories(pairs("ADOPTS"), pairs("HAS_PART", key), pairs("IN_CATEGORY")) != every]
    return (changing or parts)[0]  # in the synthetic cases a whole shares its parts' categories


def _part_category(g: GraphDocument) -> tuple[str, str, str]:
    """An IN_CATEGORY of a part only, whose whole is adopted."""
    wholes = {e.target: e.source for e in g.edges if e.type == "HAS_PART"}
    adopted = {e.target for e in g.edges if e.type == "ADOPTS" and e.properties.get("stage") != "planned"}
    own = {e.key[1:] for e in g.edges if e.type == "IN_CATEGORY"}
    return sorted(e.key for e in g.edges if e.type == "IN_CATEGORY" and wholes.get(e.source) in adopted
                  and (wholes[e.source], e.target) not in own)[0]  # fmt: skip


def _with_adopters_below(g: GraphDocument) -> list[tuple[str, str, str]]:
    """The PART_OF relationships with a zone adopting a mechanism at or below their child."""
    adopters = {e.source for e in g.edges if e.type == "ADOPTS" and e.properties.get("stage") != "planned"}
    part_of = [(e.source, e.target) for e in g.edges if e.type == "PART_OF"]
    inside = derived.adopters_within(adopters, part_of)
    return sorted(e.key for e in g.edges if e.type == "PART_OF"
                  and (e.source in adopters or any(b for b, z in inside if z == e.source)))  # fmt: skip


def _zone(g: GraphDocument) -> str:
    return sorted(n.id for n in g.nodes if n.label == "Zone" and n.aliases)[0]


def _aliased_mechanism(g: GraphDocument) -> Any:
    return next(n for n in sorted(g.nodes, key=lambda n: n.id) if n.label == "Mechanism" and n.aliases)


Choice = Callable[[GraphDocument], tuple[str, Target, dict[str, Any]]]
CHOICES: dict[str, Choice] = {
    "reject mechanism": lambda g: ("reject", Target(node=_mechanism_with_category(g)), {}),
    "reject adoption": lambda g: ("reject", Target(edge=_adoption(g)), {}),
    "reject part": lambda g: ("reject", Target(edge=_part(g)), {}),
    "reject a part's category": lambda g: ("reject", Target(edge=_part_category(g)), {}),
    "mark planned": lambda g: ("mark_planned", Target(edge=_adoption(g)), {}),
    "reject a zone's place": lambda g: ("reject", Target(edge=_with_adopters_below(g)[0]), {}),
    "reject a parent zone": lambda g: ("reject", Target(node=_with_adopters_below(g)[-1][2]), {}),
    "rename zone": lambda g: ("rename", Target(node=_zone(g)), {"name": "研究者改定的地区名"}),
    "split alias": lambda g: ("split_alias", Target(node=_aliased_mechanism(g).id),
                              {"alias": sorted(_aliased_mechanism(g).aliases)[0]}),
    "retype mechanism": lambda g: ("retype", Target(node=_mechanism_with_category(g)), {"label": "Policy"}),
    "merge mechanisms": lambda g: ("merge", Target(node=_mechanism_with_category(g)),
                                   {"into": sorted(e.source for e in g.edges if e.type == "HAS_PART"
                                                   and e.source != _mechanism_with_category(g))[0]}),
    "reattach adoption": lambda g: ("reattach", Target(edge=_adoption(g)), {"source": sorted(
        n.id for n in g.nodes if n.label == "Zone" and ("ADOPTS", n.id, _adoption(g)[2]) not in
        {e.key for e in g.edges})[0]}),
}


def test_each_correction_and_its_undo_keep_them_exact(settings: StoreSettings) -> None:
    """Each kind of correction made and undone in turn on one store, as a researcher would (one load
    for all twelve instead of one each: the suite's time); each undo must give back what was there."""
    for choice, make in CHOICES.items():
        before = derived_state(settings)
        action, target, value = make(snapshot(settings))
        done = correct(settings, action, target, value, author=AUTHOR)
        after = derived_state(settings)
        if choice != "reject part":
            assert after != before, choice  # the correction changed something the derived data holds
        undo(settings, done.correction.id)
        assert derived_state(settings) == before, choice


def test_a_failed_load_leaves_them_as_they_were(
    settings: StoreSettings, corpus: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = derived_state(settings)
    facts = snapshot(settings)
    more = write_corpus(synthetic_corpus(12)[8:], tmp_path / "more")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(derived, "_refresh_zone_categories", broken)
    with pytest.raises((GovkgError, RuntimeError)):
        load_paths(settings, more)
    monkeypatch.undo()
    assert derived_state(settings) == before
    assert len(snapshot(settings).nodes) == len(facts.nodes)
    load_paths(settings, more)
    assert derived_state(settings) != before


@pytest.mark.parametrize("table", [derived.ZONE_WITHOUT, derived.CATEGORY_LEVELS])
def test_a_store_from_before_a_derived_table_gets_it_at_its_next_write(
    settings: StoreSettings, corpus: list[Path], table: str
) -> None:
    before = derived_state(settings)
    if settings.engine == "embedded":  # a file from before the table
        import ladybug

        db = ladybug.Database(str(settings.db_path))
        ladybug.Connection(db).execute(f"DROP TABLE {table}")
        db.close()
        with open_store(settings, read_only=True) as store, pytest.raises(QueryError) as refused:
            store.read(f"MATCH ()-[r:{table}]->() RETURN count(r)")
        assert f"no {table} table yet" in str(refused.value) and "govkg load" in str(refused.value)
    else:  # a database from before the rows
        with open_store(settings) as store:
            assert isinstance(store, Neo4jStore)
            store._driver.execute_query(f"MATCH ()-[r:{table}]->() DELETE r", database_=store.database)
            assert not store.read(f"MATCH ()-[r:{table}]->() RETURN r LIMIT 1").rows
    load_paths(settings, corpus[:1])  # a re-load: nothing new, but a write
    assert derived_state(settings) == before


def test_a_store_whose_zone_categories_hold_no_paths_gets_them_at_its_next_write(
    settings: StoreSettings, corpus: list[Path]
) -> None:
    """ZONE_IN_CATEGORY as an earlier govkg wrote it (the pairs alone): reading category_zones says what
    to do, and the next write makes every row's paths from the facts."""
    before = derived_state(settings)
    pairs = [{"s": z, "t": c} for z, c in sorted(before[1])]
    if settings.engine == "embedded":  # the table as it was: no columns
        import ladybug

        db = ladybug.Database(str(settings.db_path))
        conn = ladybug.Connection(db)
        conn.execute(f"DROP TABLE {derived.ZONE_CATEGORY}")
        conn.execute(f"CREATE REL TABLE {derived.ZONE_CATEGORY}(FROM Zone TO Category)")
        conn.execute(f"UNWIND $rows AS r MATCH (z:Zone {{id: r.s}}), (c:Category {{id: r.t}}) "
                     f"CREATE (z)-[:{derived.ZONE_CATEGORY}]->(c)", {"rows": pairs})  # fmt: skip
        db.close()
        with open_store(settings, read_only=True) as store, pytest.raises(QueryError) as refused:
            run_saved_query(store, "category_zones")
        assert "govkg load" in str(refused.value) and derived.ZONE_CATEGORY in str(refused.value)
    else:  # the rows as they were: no paths
        with open_store(settings) as store:
            assert isinstance(store, Neo4jStore)
            store._driver.execute_query(f"MATCH ()-[r:{derived.ZONE_CATEGORY}]->() REMOVE r.adopted, r.parts, r.cues",
                                        database_=store.database)  # fmt: skip
    load_paths(settings, corpus[:1])  # a re-load: nothing new, but a write
    assert derived_state(settings) == before


def test_a_zone_written_alone_is_a_zone_without_mechanisms(settings: StoreSettings) -> None:
    """A zone with no place (PART_OF) and no adoption, written on its own, is still one of the zones
    without mechanisms (the derived rows are made for the zones a write creates, not only for the ends
    of its relationships); once it adopts a mechanism it is not."""
    zone = Node("zone:测试省孤立街道", "Zone", "孤立街道", [], {"level": "street"})
    mechanism = Node("mechanism:测试独立议事会", "Mechanism", "测试独立议事会")
    with open_store(settings) as store:
        store.write(GraphDocument([], [zone], []))
    assert (zone.id, zone.id) in derived_state(settings)[3]
    with open_store(settings) as store:
        store.write(GraphDocument([], [mechanism], [Edge("ADOPTS", zone.id, mechanism.id)]))
    assert (zone.id, zone.id) not in derived_state(settings)[3]


def test_saved_queries_find_by_every_name(settings: StoreSettings) -> None:
    """A zone is found by its id, name, full name and each alias; a node of any kind by id, name or alias."""
    graph = snapshot(settings)
    zone = next(n for n in sorted(graph.nodes, key=lambda n: n.id) if n.label == "Zone" and n.aliases
                and any(e.source == n.id and e.type == "ADOPTS" for e in graph.edges))  # fmt: skip
    with open_store(settings) as store:
        found = [run_saved_query(store, "zone_mechanisms", {"zone": key}).rows
                 for key in [zone.id, zone.name, zone.properties.get("full_name") or zone.name, *zone.aliases]]
        assert found[0] and all(rows == found[0] for rows in found)
        evidence = [run_saved_query(store, "relationship_evidence", {"node": key}).rows
                    for key in [zone.id, zone.name, *zone.aliases]]
        assert evidence[0] and all(rows == evidence[0] for rows in evidence)
        assert not run_saved_query(store, "zone_mechanisms", {"zone": "没有这个地区"}).rows


@pytest.mark.parametrize(
    ("query", "engine"),
    [("relationship_evidence", "embedded"), ("evidence_search", "embedded"), ("evidence_search", "neo4j")],
)
def test_evidence_queries_name_every_evidenced_type(query: str, engine: str) -> None:
    """Texts that name the relationship types they follow name every type that keeps evidence: every
    type but MENTIONS and SIMILAR_TO (a type added to the model and left out would go unsearched)."""
    import re

    from govkg.graph.saved_queries import load_saved_queries

    text = load_saved_queries()[query].cypher_for(engine)
    named = re.findall(r"-\[r:([A-Z_|]+)\]-", text)
    assert named
    for types in named:
        assert set(types.split("|")) == set(EDGE_TYPES) - {"MENTIONS", "SIMILAR_TO"}


def test_hops_read_as_whole_relationships_keep_them_exact(
    empty_settings: StoreSettings, corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for more ids than one batch holds (a first load asks for every zone), a hop reads the
    whole relationship and keeps the ids asked; with a batch of two ids every load and correction here
    takes that path, and the derived rows must still equal the walks of the facts."""
    scans: list[str] = []
    every = derived._Hop.every

    def counted(hop: Any) -> str:
        scans.append(hop.pattern)
        return every(hop)

    monkeypatch.setattr(derived, "BATCH_SIZE", 2)
    monkeypatch.setattr(derived._Hop, "every", counted)
    load_paths(empty_settings, [BUNDLED_CASES_DIR, *corpus[:4]])
    load_paths(empty_settings, corpus[4:])
    assert {"(c:Zone)-[:PART_OF]->(p:Zone)", "(z:Zone)-[a:ADOPTS]->(m:Mechanism)"} <= set(scans)
    before = derived_state(empty_settings)
    action, target, value = CHOICES["reject a zone's place"](snapshot(empty_settings))
    done = correct(empty_settings, action, target, value, author=AUTHOR)
    assert derived_state(empty_settings) != before
    undo(empty_settings, done.correction.id)
    assert derived_state(empty_settings) == before
