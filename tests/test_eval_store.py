"""Corrections become gold (`govkg eval --corrected`): the extractor scored against the documents of a
real LadybugDB store as researchers corrected them, through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import assert_one_line_error, govkg

from govkg.graph.model import GraphDocument
from govkg.loaders.evaluation import CATEGORIES, gold_from_graph, score_document
from govkg.loaders.extract import extract_file
from govkg.resources import BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR

ARTICLE = next(BUNDLED_CORPUS_DIR.glob("*.txt"))  # the bundled real article
SHEET = BUNDLED_CASES_DIR / "pinghu-danghu-street.yaml"


def extracted() -> GraphDocument:
    return extract_file(ARTICLE)


def totals(db: Path) -> dict[str, dict[str, int]]:
    shown = json.loads(govkg("eval", "--corrected", "--format", "json", db=db).stdout)
    return {name: shown["totals"][name] for name in CATEGORIES} | {"_": shown}


def test_a_reading_scored_against_itself_as_gold_is_perfect() -> None:
    graph = extracted()
    scores = score_document(graph, gold_from_graph(graph, str(ARTICLE))).scores
    for name, score in scores.items():
        assert score.gold > 0, name  # the article has something of every kind
        assert (score.precision, score.recall) == (1.0, 1.0), (name, score.missed, score.wrong)


def test_a_rejection_lowers_precision_and_a_rename_lowers_recall_by_exactly_what_they_changed(
    tmp_path: Path,
) -> None:
    db = tmp_path / "govkg.lbdb"
    govkg("load", str(ARTICLE), db=db)
    assert "no corrected text document" in govkg("eval", "--corrected", db=db).stdout

    graph = extracted()
    baseline = score_document(graph, gold_from_graph(graph, str(ARTICLE))).scores  # all right, by the test above
    parts = {e.target for e in graph.edges if e.type == "HAS_PART"}
    wrong = sorted((n for n in graph.nodes if n.label == "Mechanism" and n.id not in parts), key=lambda n: n.id)[0]
    organisation = sorted((n for n in graph.nodes if n.label == "Organisation"), key=lambda n: n.id)[0]
    rejected = json.loads(govkg("correct", "reject", "--node", wrong.id, "--author", "测试研究员", "--format", "json",
                                db=db).stdout)  # fmt: skip
    govkg("correct", "rename", "--node", organisation.id, "--name", "研究者改定的组织名", "--author", "测试研究员",
          db=db)

    scored = totals(db)
    n_mechanisms = baseline["mechanisms"].predicted
    assert scored["mechanisms"]["predicted"] == n_mechanisms and scored["mechanisms"]["correct"] == n_mechanisms - 1
    assert scored["mechanisms"]["recall"] == 1.0 and scored["mechanisms"]["precision"] < 1.0
    n_organisations = baseline["organisations"].gold
    organisations = scored["organisations"]
    assert organisations["gold"] == n_organisations and organisations["found"] == n_organisations - 1
    assert scored["organisations"]["recall"] == round((n_organisations - 1) / n_organisations, 4)
    assert scored["zones"]["precision"] == scored["zones"]["recall"] == 1.0  # what nobody corrected stands
    shown = scored["_"]
    assert shown["documents"] == 1 and shown["corrections"] == 2 and shown["skipped_documents"] == []
    assert shown["not_entities_extracted"] == 1  # the rejected name is one that must never be extracted
    table = govkg("eval", "--corrected", db=db).stdout
    assert "against 2 kept correction(s)" in table and f"mechanisms wrong: {wrong.name}" in table

    # An undone correction is no gold any more.
    govkg("corrections", "undo", rejected["id"], db=db)
    after = totals(db)
    assert after["mechanisms"]["precision"] == 1.0 and after["_"]["corrections"] == 1


def test_corrected_case_sheets_are_counted_as_skipped_and_gold_paths_still_work(tmp_path: Path) -> None:
    db = tmp_path / "govkg.lbdb"
    govkg("load", str(SHEET), db=db)
    mechanism = json.loads(govkg("cypher", "MATCH (m:Mechanism) RETURN m.id AS id ORDER BY id LIMIT 1",
                                 "--format", "json", db=db).stdout)[0]["id"]  # fmt: skip
    govkg("correct", "reject", "--node", mechanism, "--author", "测试研究员", db=db)
    shown = json.loads(govkg("eval", "--corrected", "--format", "json", db=db).stdout)
    assert shown["documents"] == 0 and len(shown["skipped_documents"]) == 1
    assert "without stored text" in govkg("eval", "--corrected", db=db).stdout
    assert_one_line_error(govkg("eval", db=db, check=False), "--corrected")
