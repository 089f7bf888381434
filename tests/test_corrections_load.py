"""A team's corrections file applied by `govkg extract` and `govkg load` (the installed script against
a real LadybugDB), and by the load service on the real Neo4j server: what a researcher rejected stays
out on every re-load, a correction whose fact is gone is named, and a bad file changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from neo4j_fixture import Neo4jTarget, clear_database  # tests/ is on sys.path (see conftest.py)
from test_cli import assert_one_line_error, counts, govkg

from govkg.graph.corrections import Correction, Outcome, Target, corrections_to_json, make_correction
from govkg.graph.factory import StoreSettings
from govkg.graph.model import GraphDocument
from govkg.graph.neo4j_store import Neo4jStore
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.loading import load_paths

CASE = BUNDLED_CASES_DIR / "pinghu-danghu-street.yaml"
WHEN = "2026-12-04T00:00:00Z"


def extracted() -> GraphDocument:
    return GraphDocument.from_dict(json.loads(govkg("extract", str(CASE)).stdout))


def mechanism_names(db: Path) -> set[str]:
    rows = json.loads(govkg("cypher", "MATCH (m:Mechanism) RETURN m.name AS name", "--format", "json", db=db).stdout)
    return {r["name"] for r in rows}


def rejection(graph: GraphDocument) -> tuple[Correction, str]:
    """A correction rejecting the case's first mechanism by name, and that name."""
    mechanism = sorted((n for n in graph.nodes if n.label == "Mechanism"), key=lambda n: n.id)[0]
    made = make_correction(graph, "reject", Target(node=mechanism.id), author="测试研究员", made_at=WHEN,
                           reason="written for testing")  # fmt: skip
    return made, mechanism.name


def test_a_load_applies_the_file_and_every_reload_keeps_the_rejection(tmp_path: Path) -> None:
    graph = extracted()
    correction, name = rejection(graph)
    team = tmp_path / "team.json"
    team.write_text(corrections_to_json([correction]), encoding="utf-8")

    shown = govkg("extract", str(CASE), "--corrections", str(team))
    assert name not in {n["name"] for n in json.loads(shown.stdout)["nodes"] if n["label"] == "Mechanism"}
    assert "1 applied, 0 found nothing to correct" in shown.stderr

    db = tmp_path / "govkg.lbdb"
    done = govkg("load", str(CASE), "--corrections", str(team), db=db)
    assert "1 applied" in done.stderr
    assert name not in mechanism_names(db)
    others = {n.name for n in graph.nodes if n.label == "Mechanism"} - {name}
    assert others <= mechanism_names(db)
    before = counts(db)
    govkg("load", str(CASE), "--corrections", str(team), db=db)
    assert counts(db) == before and name not in mechanism_names(db)  # a re-load neither duplicates nor restores


def test_a_correction_whose_fact_is_gone_is_named(tmp_path: Path) -> None:
    graph = extracted()
    correction, _ = rejection(graph)
    gone = Correction("rename", Target(node="mechanism:不在这份材料里"), {"name": "新名字"}, "测试研究员", WHEN,
                      documents=correction.documents)  # fmt: skip
    team = tmp_path / "team.json"
    team.write_text(corrections_to_json([correction, gone]), encoding="utf-8")
    done = govkg("load", str(CASE), "--corrections", str(team), db=tmp_path / "govkg.lbdb")
    assert "1 applied, 1 found nothing to correct" in done.stderr
    assert gone.id in done.stderr and "mechanism:不在这份材料里" in done.stderr


def test_a_bad_corrections_file_stops_the_load_before_anything_is_written(tmp_path: Path) -> None:
    db = tmp_path / "govkg.lbdb"
    govkg("load", str(CASE), db=db)
    before = counts(db)
    cases = {
        "missing.json": None,
        "notjson.json": b"{not json",
        "foreign.json": json.dumps({"corrections": []}).encode(),
        "gbk.json": "纠正".encode("gbk"),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        done = govkg("load", str(CASE), "--corrections", str(path), db=db, check=False)
        assert_one_line_error(done, name)
    assert counts(db) == before


def test_the_load_service_applies_corrections_on_neo4j(neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    clear_database(neo4j_target)
    graph = extracted()
    correction, name = rejection(graph)
    settings = StoreSettings(engine="neo4j", neo4j_uri=neo4j_target.uri, neo4j_user=neo4j_target.user,
                             neo4j_password=neo4j_target.password)  # fmt: skip
    seen: list[Outcome] = []
    load_paths(settings, [CASE], corrections=[correction], corrected=seen.append)
    assert [o.applied for o in seen] == [(correction,)]
    with Neo4jStore(neo4j_target.uri, user=neo4j_target.user, password=neo4j_target.password) as store:
        names = {str(r[0]) for r in store.read("MATCH (m:Mechanism) RETURN m.name").rows}
    assert name not in names and names
    clear_database(neo4j_target)


def test_the_store_keeps_corrections_lists_exports_imports_and_undoes_them(tmp_path: Path) -> None:
    graph = extracted()
    correction, name = rejection(graph)
    team = tmp_path / "team.json"
    team.write_text(corrections_to_json([correction]), encoding="utf-8")
    db, other = tmp_path / "govkg.lbdb", tmp_path / "other.lbdb"
    assert "kept 1 new correction" in govkg("load", str(CASE), "--corrections", str(team), db=db).stdout
    listed = json.loads(govkg("corrections", "--format", "json", db=db).stdout)
    assert [c["id"] for c in listed] == [correction.id] and listed[0]["before"]["name"] == name
    # Applied to the written facts in the load's transaction and kept with what it changed.
    assert listed[0]["in_place"] is True and name not in mechanism_names(db)

    # A load without the file still applies what the store keeps.
    govkg("load", str(CASE), db=db)
    assert name not in mechanism_names(db)

    # Exported from one store, imported into another that lacks its document: kept for later; the
    # document's load applies it, and from then on it can be undone at once there too.
    shared = tmp_path / "shared.json"
    govkg("corrections", "export", str(shared), db=db)
    govkg("corrections", "import", str(shared), db=other)
    assert json.loads(govkg("corrections", "--format", "json", db=other).stdout)[0]["in_place"] is False
    govkg("load", str(CASE), db=other)
    assert mechanism_names(other) == mechanism_names(db)
    assert json.loads(govkg("corrections", "--format", "json", db=other).stdout)[0]["in_place"] is True

    # Undone: what it took away is back at once (no re-load), and it is listed only with --all.
    assert_one_line_error(govkg("corrections", "undo", "correction:0000", db=db, check=False), "correction:0000")
    done = govkg("corrections", "undo", correction.id, db=db).stdout
    assert "put back" in done
    assert name in mechanism_names(db)
    assert json.loads(govkg("corrections", "--format", "json", db=db).stdout) == []
    assert len(json.loads(govkg("corrections", "--all", "--format", "json", db=db).stdout)) == 1
    govkg("load", str(CASE), db=db)
    assert name in mechanism_names(db)
    assert_one_line_error(govkg("corrections", "undo", correction.id, db=db, check=False), "undone already")

    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert_one_line_error(govkg("corrections", "import", str(bad), db=other, check=False), "bad.json")


def test_govkg_correct_corrects_a_stored_fact_now_and_undo_puts_it_back(tmp_path: Path) -> None:
    db = tmp_path / "govkg.lbdb"
    govkg("load", str(CASE), db=db)
    before, names = counts(db), mechanism_names(db)
    mechanism = sorted((n for n in extracted().nodes if n.label == "Mechanism"), key=lambda n: n.id)[0]
    done = json.loads(govkg("correct", "rename", "--node", mechanism.id, "--name", "研究者改定的名称", "--reason",
                            "测试", "--author", "测试研究员", "--format", "json", db=db).stdout)  # fmt: skip
    assert done["author"] == "测试研究员" and done["before"]["name"] == mechanism.name and done["nodes_changed"] == 2
    assert mechanism_names(db) == (names - {mechanism.name}) | {"研究者改定的名称"}
    govkg("load", str(CASE), db=db)  # a re-load keeps the correction
    assert "研究者改定的名称" in mechanism_names(db) and mechanism.name not in mechanism_names(db)

    listed = json.loads(govkg("corrections", "--format", "json", db=db).stdout)
    assert [(c["id"], c["in_place"], c["undone_at"]) for c in listed] == [(done["id"], True, None)]
    undone = govkg("corrections", "undo", done["id"], db=db)
    assert "put back" in undone.stdout
    assert json.loads(govkg("corrections", "--format", "json", db=db).stdout) == []
    assert json.loads(govkg("corrections", "--all", "--format", "json", db=db).stdout)[0]["undone_at"]
    assert mechanism_names(db) == names
    assert {k: v for k, v in counts(db).items() if k != "Correction"} == before  # the undone one stays listed

    for args, says in (
        (("correct", "reject"), "name one fact"),
        (("correct", "reject", "--node", "mechanism:不存在的做法", "--author", "某人"), "no node"),
        (("correct", "rename", "--node", mechanism.id, "--author", "某人"), "needs `name`"),
    ):
        assert_one_line_error(govkg(*args, db=db, check=False), says)
    assert {k: v for k, v in counts(db).items() if k != "Correction"} == before


def test_a_similarity_answer_says_which_corrections_it_rests_on(tmp_path: Path) -> None:
    db = tmp_path / "govkg.lbdb"
    govkg("load", str(BUNDLED_CASES_DIR), db=db)
    query = ("MATCH (z:Zone)-[:HAS_ORGANISATION]->(o:Organisation) RETURN z.id AS z, o.id AS o "
             "ORDER BY z.id, o.id LIMIT 1")
    link = json.loads(govkg("cypher", query, "--format", "json", db=db).stdout)[0]
    plain = json.loads(govkg("similar", link["z"], "--format", "json", db=db).stdout)
    assert plain["similar"] and all(s["corrections"] == [] for s in plain["similar"])
    done = json.loads(govkg("correct", "reject", "--edge", "HAS_ORGANISATION", link["z"], link["o"], "--author",
                            "测试研究员", "--format", "json", db=db).stdout)  # fmt: skip
    answer = json.loads(govkg("similar", link["z"], "--format", "json", db=db).stdout)
    assert answer["similar"] and all(s["corrections"] == [done["id"]] for s in answer["similar"])
    assert "rests on researchers' corrections" in govkg("similar", link["z"], db=db).stdout
