"""`govkg eval`: the extractor scored against gold files, as a researcher checks it on an annotated sample."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.graph.model import Edge, Evidence, GraphDocument, Node
from govkg.loaders.evaluation import Gold, evaluate_paths, key, score_document

GOLD = {
    "zones": [{"name": "安吉县", "level": "county"}, {"name": "孝丰镇", "level": "township"}],
    "acceptable_zones": ["浙江省"],
    "mechanisms": ["码上议"],
    "mechanism_parts": [["码上议", "线上议"]],
    "organisations": ["县民政局"],
    "policies": ["村民委员会组织法"],
    "zone_mechanism": [["安吉县", "码上议"], ["孝丰镇", "码上议"]],
    "adoptions": [{"zone": "孝丰镇", "mechanism": "码上议", "year": 2016, "kind": "pilot"}],
    "not_entities": ["老大难"],
}


def _node(label: str, name: str, *aliases: str) -> Node:
    return Node(f"{label.lower()}:{name}", label, name, list(aliases), {})


def _edge(kind: str, source: Node, target: Node, **properties: object) -> Edge:
    return Edge(kind, source.id, target.id, [Evidence("d", "s", 0, 1)], dict(properties))


def _graph() -> GraphDocument:
    anji = _node("Zone", "浙江省安吉县", "安吉县")
    zhejiang = _node("Zone", "浙江省")
    xiaofeng = _node("Zone", "孝丰镇")
    wrong_zone = _node("Zone", "带着村")
    practice = _node("Mechanism", "“码上议”", "码上议")
    part = _node("Mechanism", "线上议")
    scare = _node("Mechanism", "老大难")
    org = _node("Organisation", "县民政局")
    role = _node("Organisation", "群众")
    nodes = [anji, zhejiang, xiaofeng, wrong_zone, practice, part, scare, org, role]
    edges = [
        _edge("HAS_PART", practice, part),
        _edge("ADOPTS", anji, practice, stage="adopted"),
        _edge("ADOPTS", xiaofeng, practice, stage="pilot", year=2016),
        _edge("ADOPTS", anji, part, stage="adopted"),  # a gold part: not scored as a pair
        _edge("ADOPTS", zhejiang, scare, stage="adopted"),  # zone only acceptable: not scored
        _edge("ADOPTS", wrong_zone, practice, stage="planned"),  # planned: no adoption
    ]
    return GraphDocument([], nodes, edges)


def test_scores_follow_the_gold_conventions(tmp_path: Path) -> None:
    gold_file = tmp_path / "x.gold.json"
    gold_file.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    score = score_document(_graph(), Gold.read(gold_file))
    zones = score.scores["zones"]
    assert (zones.found, zones.gold, zones.correct, zones.predicted) == (2, 2, 2, 3)  # 浙江省 acceptable
    assert zones.wrong == ["带着村"]
    mechanisms = score.scores["mechanisms"]
    # The part is scored with the parts; the scare quote is wrong and counted as a not_entity.
    assert (mechanisms.correct, mechanisms.predicted, mechanisms.recall) == (1, 2, 1.0)
    assert score.forbidden == ["Mechanism: 老大难"]
    assert score.scores["parts"].recall == 1.0
    organisations = score.scores["organisations"]
    assert (organisations.recall, organisations.precision) == (1.0, 0.5)
    assert score.scores["policies"].recall == 0.0 and score.scores["policies"].missed == ["村民委员会组织法"]
    pairs = score.scores["pairs"]
    assert (pairs.found, pairs.gold, pairs.correct, pairs.predicted) == (2, 2, 2, 2)
    adoptions = score.scores["adoptions"]
    assert (adoptions.found, adoptions.correct, adoptions.predicted) == (1, 1, 1)


def test_a_wrong_year_or_stage_is_no_match(tmp_path: Path) -> None:
    gold_file = tmp_path / "x.gold.json"
    gold_file.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    graph = _graph()
    for edge in graph.edges:
        if edge.type == "ADOPTS" and edge.properties.get("year") == 2016:
            edge.properties["year"] = 2017
    adoptions = score_document(graph, Gold.read(gold_file)).scores["adoptions"]
    assert adoptions.found == 0 and adoptions.missed == ["孝丰镇 → 码上议 (pilot, 2016)"]


def test_names_are_compared_without_quotes_and_spaces() -> None:
    assert key("“6+1”模式") == key("6+1模式")
    assert key("日常事件‘服务式’工作法") == "日常事件服务式工作法"
    assert key("《 村民委员会组织法 》") == "村民委员会组织法"


SAMPLE_TEXT = "安吉县试行“码上议”\n\n2016年，浙江省安吉县在孝丰镇先行试点“码上议”，县民政局参与推动。\n"


def test_eval_command_prints_a_table_and_json(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "x.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    run = [sys.executable, "-m", "govkg.cli.main", "eval", str(tmp_path)]
    table = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "category" in table and "pairs" in table and "1 document(s) scored" in table
    data = json.loads(subprocess.run([*run, "--format", "json"], capture_output=True, text=True, check=True).stdout)
    assert data["documents"] == 1
    assert set(data["totals"]) == {"zones", "mechanisms", "parts", "organisations", "policies", "pairs", "adoptions"}
    assert data["totals"]["zones"]["recall"] == 1.0
    assert data["per_document"][0]["categories"]["policies"]["missed"] == ["村民委员会组织法"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"x.txt": SAMPLE_TEXT, "x.gold.json": "{not json"}, "cannot read the gold file"),
        ({"x.txt": SAMPLE_TEXT, "x.gold.json": '{"zones": [{"level": "county"}]}'}, "does not follow the format"),
        ({"x.gold.json": "{}"}, "no text beside the gold file"),
        ({"notes.txt": "x"}, "folder holds no gold files"),
    ],
)
def test_bad_gold_gives_one_line(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "govkg.cli.main", "eval", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_scores_one_text_named_directly(tmp_path: Path) -> None:
    text = tmp_path / "x.txt"
    text.write_text(SAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "x.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    result = evaluate_paths([text])
    assert [d.document for d in result.documents] == [str(text)]
    assert result.totals["zones"].found == 2
