"""Corrections become gold (`govkg eval --corrected`): the extractor scored against the documents of a
real LadybugDB store as researchers corrected them, through the installed command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from test_cli import assert_one_line_error, govkg

from govkg.graph.corrections import Correction, Target
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.model import GraphDocument
from govkg.graph.store import GraphStore, QueryResult
from govkg.loaders.evaluation import CATEGORIES, gold_from_graph, score_document
from govkg.loaders.extract import extract_file
from govkg.resources import BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR
from govkg.services.correcting import correct, import_corrections, undo
from govkg.services.loading import load_paths
from govkg.services.store_evaluation import evaluate_store

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
    shown = govkg("eval", "--corrected", db=db)
    assert shown.returncode == 0 and "no corrected text document" in shown.stdout
    assert "1 corrected document(s) skipped (the store keeps no text for them" in shown.stdout
    assert_one_line_error(govkg("eval", db=db, check=False), "--corrected")


# -- a small case text written for these tests, in the genre, counted by hand ------------------------

# A street's practice as a county newspaper would report it: a district chain, a street, a mechanism
# named in quotes with two parts, a pilot, a county bureau promoting it. Written for this test.
TAOYUAN = """宁海县桃源街道以“楼道微议事”破解老旧小区治理难题

2021年以来，浙江省宁波市宁海县桃源街道在辖区老旧小区推行“楼道微议事”机制，每幢楼推选一名楼道长，每月召集住户商量加装电梯、停车和垃圾分类等身边事。街道党工委牵头制定议事规则，桃源街道社会工作服务站负责培训楼道长。

“楼道微议事”包括“周三议事日”和“楼长夜访”两项做法。同时，街道试点“红色物业”联席会议，由社区党委、业主委员会和物业公司共同参与。

2023年，宁海县民政局在全县推广“楼道微议事”机制。
"""
# What the extractor reads in it (checked first, so a changed extractor fails here, not in the counts).
MECHANISMS = {"“楼道微议事”机制", "周三议事日", "“楼长夜访”两项", "红色物业"}
ORGANISATIONS = {"党委", "业委会", "宁海县民政局"}
REJECTED = "mechanism:红色物业"  # the researcher: a joint meeting the street pilots, not a practice of its own
RENAMED = "organisation:党委"  # the extractor joined 街道党工委 and 社区党委 under a bare 党委
NEW_NAME = "桃源街道党工委"
JSON_KEYS = {"documents", "totals", "not_entities_extracted", "per_document", "corrections", "skipped_documents",
             "unmatched_corrections"}  # fmt: skip
TOTAL_KEYS = {"precision", "recall", "gold", "found", "predicted", "correct"}


def settings(tmp_path: Path) -> StoreSettings:
    return StoreSettings(engine="embedded", db_path=tmp_path / "govkg.lbdb")


def loaded(tmp_path: Path) -> tuple[StoreSettings, Path]:
    text = tmp_path / "taoyuan-case.txt"
    text.write_text(TAOYUAN, encoding="utf-8")
    where = settings(tmp_path)
    load_paths(where, [text], similarity_top=0)
    return where, text


def scored(where: StoreSettings) -> dict[str, Any]:
    with open_store(where, read_only=True) as store:
        return evaluate_store(store).to_dict()


def counts_of(shown: dict[str, Any], category: str) -> tuple[int, int, int, int]:
    """(gold, found, predicted, correct) of one category's totals."""
    total = shown["totals"][category]
    return total["gold"], total["found"], total["predicted"], total["correct"]


def test_the_written_case_reads_as_the_counts_below_assume(tmp_path: Path) -> None:
    path = tmp_path / "taoyuan-case.txt"
    path.write_text(TAOYUAN, encoding="utf-8")
    graph = extract_file(path)
    assert {n.name for n in graph.nodes if n.label == "Mechanism"} == MECHANISMS
    assert {n.name for n in graph.nodes if n.label == "Organisation"} == ORGANISATIONS
    assert {REJECTED, RENAMED} <= {n.id for n in graph.nodes}
    assert sum(1 for e in graph.edges if e.type == "ADOPTS") == 5  # 红色物业's pilot among them
    assert not [n for n in graph.nodes if n.label == "Policy"]


def test_no_corrections_says_how_to_make_them_and_exits_0(tmp_path: Path) -> None:
    where, _ = loaded(tmp_path)
    shown = govkg("eval", "--corrected", db=where.db_path)
    assert shown.returncode == 0 and shown.stderr == ""
    assert len(shown.stdout.strip().splitlines()) == 1
    assert "no corrected text document to score (0 correction(s) kept; 0 corrected document(s) skipped" in shown.stdout
    assert "govkg correct" in shown.stdout
    empty = json.loads(govkg("eval", "--corrected", "--format", "json", db=where.db_path).stdout)
    assert set(empty) == JSON_KEYS and empty["documents"] == 0 and empty["corrections"] == 0
    assert all(counts_of(empty, name) == (0, 0, 0, 0) for name in CATEGORIES)


def test_a_reject_and_a_rename_score_exactly_as_counted_by_hand(tmp_path: Path) -> None:
    where, text = loaded(tmp_path)
    rejected = correct(where, "reject", Target(node=REJECTED), author="测试研究员", similarity_top=0,
                       reason="试点的是联席会议，不是一项治理机制").correction  # fmt: skip
    renamed = correct(where, "rename", Target(node=RENAMED), {"name": NEW_NAME}, author="测试研究员",
                      similarity_top=0).correction  # fmt: skip

    shown = scored(where)
    assert set(shown) == JSON_KEYS
    assert all(set(shown["totals"][name]) == TOTAL_KEYS for name in CATEGORIES)
    assert (shown["documents"], shown["corrections"], shown["skipped_documents"]) == (1, 2, [])
    assert shown["unmatched_corrections"] == []
    # The reject: 4 mechanisms read, 3 stand -> precision 3/4, nothing missed. Its pilot's pair and its
    # dated adoption are wrong too (5 pairs read, 4 stand; 3 dated adoptions read, 2 stand).
    assert counts_of(shown, "mechanisms") == (3, 3, 4, 3)
    assert shown["totals"]["mechanisms"]["precision"] == 0.75 and shown["totals"]["mechanisms"]["recall"] == 1.0
    assert counts_of(shown, "pairs") == (4, 4, 5, 4) and shown["totals"]["pairs"]["precision"] == 0.8
    assert counts_of(shown, "adoptions") == (2, 2, 3, 2) and shown["totals"]["adoptions"]["precision"] == 0.667
    assert shown["not_entities_extracted"] == 1  # the rejected name must never be read
    # The rename: 3 organisations in the gold, the extractor has 2 of them and its bare 党委 is wrong.
    assert counts_of(shown, "organisations") == (3, 2, 3, 2)
    assert shown["totals"]["organisations"]["recall"] == 0.667 == shown["totals"]["organisations"]["precision"]
    # What nobody corrected counts as right.
    assert counts_of(shown, "zones") == (4, 4, 4, 4) and counts_of(shown, "parts") == (2, 2, 2, 2)
    assert counts_of(shown, "policies") == (0, 0, 0, 0) and shown["totals"]["policies"]["precision"] is None
    document = shown["per_document"][0]
    assert document["document"] == str(text)
    assert document["categories"]["organisations"]["missed"] == [NEW_NAME]
    assert document["categories"]["organisations"]["wrong"] == ["党委"]
    assert document["categories"]["mechanisms"]["wrong"] == ["红色物业"]

    table = govkg("eval", "--corrected", db=where.db_path).stdout
    assert "1 document(s) scored (micro-averaged) against 2 kept correction(s); 0 corrected document(s) skipped" \
        in table
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines() if line[:1].isalpha()}
    assert rows["mechanisms"] == ["0.75", "1.00", "3/3", "3/4"]
    assert rows["organisations"] == ["0.67", "0.67", "2/3", "2/3"]
    assert f"organisations missed: {NEW_NAME}" in table and "organisations wrong: 党委" in table
    # The JSON of the command is the service's.
    assert json.loads(govkg("eval", "--corrected", "--format", "json", db=where.db_path).stdout) == shown

    # An undone correction is no gold: undoing the rename (the later one first, as undo requires) makes
    # every organisation right again, undoing the reject too leaves nothing corrected to score.
    undo(where, renamed.id, similarity_top=0)
    after = scored(where)
    assert after["corrections"] == 1 and after["not_entities_extracted"] == 1
    assert counts_of(after, "organisations") == (3, 3, 3, 3) and counts_of(after, "mechanisms") == (3, 3, 4, 3)
    undo(where, rejected.id, similarity_top=0)
    assert scored(where)["documents"] == 0
    shown_now = govkg("eval", "--corrected", db=where.db_path)
    assert shown_now.returncode == 0 and "no corrected text document to score (0 correction(s) kept" in shown_now.stdout



def test_a_correction_the_new_reading_gives_nothing_to_apply_to_is_listed_not_gold(tmp_path: Path) -> None:
    where, text = loaded(tmp_path)
    document = extract_file(text).documents[0].id
    gone = Correction("rename", Target(node="mechanism:不在这份材料里"), {"name": "新名字"}, "测试研究员",
                      "2026-12-04T00:00:00Z", documents=(document,))  # fmt: skip
    import_corrections(where, [gone], similarity_top=0)

    shown = scored(where)
    assert shown["documents"] == 1 and shown["corrections"] == 1
    assert shown["unmatched_corrections"] == [
        {"id": gone.id, "action": "rename", "target": "mechanism:不在这份材料里", "document": str(text)}
    ]
    assert all(shown["totals"][name]["precision"] in (1.0, None) for name in CATEGORIES)
    table = govkg("eval", "--corrected", db=where.db_path).stdout
    assert "1 correction(s) found nothing to correct in the extractor's new reading (not gold)" in table
    assert gone.id in table


class _HeldText:
    """A store as evaluate_store reads it: kept corrections, and one document's stored text and path."""

    def __init__(self, kept: list[Correction], text: str, path: str) -> None:
        self.kept, self.row = kept, [text, path, ""]

    def corrections(self) -> list[Correction]:
        return self.kept

    def read(self, cypher: str, params: dict[str, Any]) -> QueryResult:
        return QueryResult(["d.text", "d.path", "d.title"], [self.row])


def test_a_text_the_extractor_now_cleans_otherwise_keeps_its_corrections() -> None:
    """A document's id is a digest of its cleaned text: an extractor that cleans it otherwise reads it
    under another id, and the corrections of the stored document are still about that reading."""
    stored = "document:0000000000000000"  # not the digest of this text: it was cleaned otherwise when loaded
    rejection = Correction("reject", Target(node=REJECTED), {}, "测试研究员", "2026-12-04T00:00:00Z",
                           before={"name": "红色物业"}, documents=(stored,))  # fmt: skip
    store = cast(GraphStore, _HeldText([rejection], TAOYUAN, "/corpus/taoyuan-case.txt"))
    shown = evaluate_store(store).to_dict()
    assert shown["documents"] == 1 and shown["unmatched_corrections"] == []
    assert counts_of(shown, "mechanisms") == (3, 3, 4, 3) and shown["not_entities_extracted"] == 1
    assert shown["per_document"][0]["document"] == "/corpus/taoyuan-case.txt"
