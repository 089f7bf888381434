"""The app's data helpers, without Streamlit: highlighting, downloads, filters, chart data, the
side-by-side comparison, uploads and clustered pictures. Small texts here are written for testing."""

from __future__ import annotations

import html
import io
import json
import re

import pandas as pd
import pytest

from govkg.app.compare import compare_zones, family_heat_rows
from govkg.app.explore import Filters, filter_graph, membership_of
from govkg.app.highlight import EVIDENCE_COLOUR, Span, entity_spans, evidence_html, highlight_html, paragraph_bounds
from govkg.app.overview import by_level, by_zone, category_counts, top_zones
from govkg.app.results import (
    ResultMeta,
    csv_bytes,
    data_version_of,
    json_with_metadata,
    node_ids_in,
    result_frame,
    store_data_version,
    unique_names,
)
from govkg.app.upload import entity_highlights, read_upload, tint
from govkg.errors import InputError
from govkg.graph.analytics import zone_families
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.graph.similarity import practice_graph, profiles_from_graph
from govkg.graph.store import QueryResult
from govkg.graph.visual import FAMILY_COLOURS, ClusterNode, render_clusters

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

# --------------------------------------------------------------------------- highlighting


def test_highlight_escapes_text_and_marks_only_the_spans() -> None:
    text = f"前文{SCRIPT}证据句{IMG}后文"  # written for testing
    start = text.index("证据句")
    out = highlight_html(text, [Span(start, start + 3)])
    assert SCRIPT not in out and IMG not in out
    assert html.escape(SCRIPT) in out and html.escape(IMG) in out
    assert re.findall(r"<mark[^>]*>(.*?)</mark>", out) == ["证据句"]
    assert re.sub(r"<[^>]+>", "", out) == html.escape(text)  # nothing lost, nothing added


def test_highlight_drops_overlaps_and_spans_outside_the_text_and_never_puts_data_in_a_style() -> None:
    text = "甲乙丙丁戊"  # written for testing
    hostile = Span(3, 5, colour='red" onmouseover="x', title=IMG)
    out = highlight_html(text, [Span(0, 3), Span(2, 4), Span(10, 12), hostile])
    assert re.findall(r"<mark[^>]*>(.*?)</mark>", out) == ["甲乙丙", "丁戊"]
    assert "onmouseover" not in out.replace(html.escape(IMG), "") and EVIDENCE_COLOUR in out
    assert f'title="{html.escape(IMG, quote=True)}"' in out


def test_evidence_is_shown_inside_its_paragraph() -> None:
    # Written for testing: three paragraphs; the evidence is the middle paragraph's second sentence.
    text = "第一段。\n第二段开头。证据句在这里。第二段结尾。\n第三段。"
    sentence = "证据句在这里。"
    start = text.index(sentence)
    out = evidence_html(text, sentence, start, start + len(sentence))
    body = re.sub(r"</?div[^>]*>", "", out)
    assert re.sub(r"<[^>]+>", "", body) == "第二段开头。证据句在这里。第二段结尾。"
    assert f">{sentence}</mark>" in out


def test_a_long_paragraph_is_cut_to_whole_sentences_around_the_evidence() -> None:
    filler = "这是一句填充的话。" * 120  # written for testing: one very long paragraph
    sentence = "证据句在中间。"
    text = filler + sentence + filler
    start = len(filler)
    lo, hi = paragraph_bounds(text, start, start + len(sentence), max_chars=200)
    assert lo <= start and hi >= start + len(sentence)
    assert hi - lo <= 220 and text[lo - 1] == "。" and text[hi - 1] == "。"
    out = evidence_html(text, sentence, start, start + len(sentence))
    assert out.count("…") == 2  # cut on both sides, and says so


def test_evidence_whose_offsets_do_not_match_is_found_or_shown_alone() -> None:
    text = "前一句。证据句。后一句。"  # written for testing
    found = evidence_html(text, "证据句。", 0, 4)  # wrong offsets: found in the text instead
    assert ">证据句。</mark>" in found and "前一句" in found
    alone = evidence_html("", f"{IMG}句。", 3, 9)  # no text stored
    assert IMG not in alone and f">{html.escape(IMG)}句。</mark>" in alone


def test_entity_spans_prefer_longer_names() -> None:
    text = "平湖市当湖街道推行议事会，当湖街道居民参加。"  # written for testing
    spans = entity_spans(text, {"平湖市当湖街道": ("#ffffff", "zone"), "当湖街道": ("#ffffff", "zone"),
                                "议事会": ("#eeeeee", "mechanism"), "会": ("#eeeeee", "short")})
    assert [text[s.start:s.end] for s in spans] == ["平湖市当湖街道", "议事会", "当湖街道"]


# --------------------------------------------------------------------------- downloads


def _meta(parameters: dict[str, object]) -> ResultMeta:
    return ResultMeta("zone_mechanisms", "某地区的机制 / Mechanisms of a zone", parameters, "embedded",
                      data_version_of({"Zone": 3, "ADOPTS": 2}, "2024-01-02T03:04:05+00:00"))


def test_data_version_changes_with_the_data_and_only_with_it() -> None:
    one = data_version_of({"Zone": 3, "ADOPTS": 2}, "2024-01-02T03:04:05+00:00")
    assert one == data_version_of({"ADOPTS": 2, "Zone": 3}, "2024-01-02T03:04:05+00:00")
    assert one.digest != data_version_of({"Zone": 4, "ADOPTS": 2}, "2024-01-02T03:04:05+00:00").digest
    assert one.digest != data_version_of({"Zone": 3, "ADOPTS": 2}, "2024-02-02T03:04:05+00:00").digest


def test_csv_download_starts_with_its_header_and_reads_back_whole() -> None:
    # Written for testing: a cell with a comma, a line break and a formula start must not break the file.
    rows: list[list[object]] = [["甲街道", "议事会, 扩展"], ["乙街道", "网格\n第二行"], ["丙", "=1+1"]]
    result = QueryResult(["zone", "mechanism"], rows)
    frame = result_frame(result)
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "zone,mechanism"  # the header on row 1, as Excel and pandas expect
    back = pd.read_csv(io.StringIO(text))
    assert back.columns.tolist() == ["zone", "mechanism"]
    assert back.values.tolist() == [["甲街道", "议事会, 扩展"], ["乙街道", "网格\n第二行"], ["丙", "'=1+1"]]


def test_json_download_holds_metadata_and_rows_as_objects() -> None:
    result = QueryResult(["zone", "n"], [["甲街道", 2]], truncated=True)
    payload = json.loads(json_with_metadata(result, _meta({"zone": "甲街道"})))
    assert payload["query"] == "zone_mechanisms" and payload["parameters"] == {"zone": "甲街道"}
    assert payload["data_version"]["counts"] == {"Zone": 3, "ADOPTS": 2}
    assert payload["rows"] == [{"zone": "甲街道", "n": 2}] and payload["truncated"] is True


def test_node_ids_are_found_in_node_values_paths_and_names() -> None:
    node = {"id": "zone:甲", "name": "甲", "_label": "Zone"}
    path = {"nodes": [{"id": "zone:乙", "_label": "Zone"}, {"id": "mechanism:丙", "_label": "Mechanism"}],
            "relationships": [{"_type": "ADOPTS"}]}
    result = QueryResult(["a", "p", "name", "names"], [[node, path, "丁机制", ["戊", "重名"]]])
    names = unique_names([("丁机制", "mechanism:丁"), ("戊", "zone:戊"), ("重名", "zone:一"), ("重名", "zone:二")])
    assert "重名" not in names  # a name two nodes share says nothing about which one
    assert node_ids_in(result, names) == ["zone:甲", "zone:乙", "mechanism:丙", "mechanism:丁", "zone:戊"]
    assert node_ids_in(result) == ["zone:甲", "zone:乙", "mechanism:丙"]


def test_the_stores_data_version_reads_the_latest_load(small_store: LadybugStore) -> None:
    version = store_data_version(small_store)
    loaded = small_store.read("MATCH (d:Document) RETURN d.loaded_at").rows[0][0]
    assert version.latest_loaded_at == loaded
    assert dict(version.counts) == small_store.counts()


# --------------------------------------------------------------------------- filters and charts


def test_filters_keep_what_was_asked_and_the_node_in_focus(small_store: LadybugStore,
                                                           small_graph: GraphDocument) -> None:
    membership = membership_of(small_store)
    by_name = {n.name: n for n in small_graph.nodes}
    mutual = by_name["邻里互助"].id
    kept = filter_graph(small_graph, Filters(categories=[mutual]), membership)
    mechanisms = {n.name for n in kept.nodes if n.label == "Mechanism"}
    assert mechanisms == {"友邻议事会", "邻里基金"}
    assert {n.name for n in kept.nodes if n.label == "Category"} == {"邻里互助"}
    assert {n.label for n in kept.nodes} >= {"Zone", "Organisation", "Policy", "Theme"}  # other labels pass
    assert all(e.source in {n.id for n in kept.nodes} and e.target in {n.id for n in kept.nodes} for e in kept.edges)

    theme = by_name["测试主题二"].id
    kept = filter_graph(small_graph, Filters(labels=["Zone"], themes=[theme]), membership, keep=by_name["甲市"].id)
    assert {n.name for n in kept.nodes} == {"乙市南街道", "甲市"}  # the zone under the theme, and the focus

    kept = filter_graph(small_graph, Filters(levels=["city"]), membership)
    assert {n.name for n in kept.nodes if n.label == "Zone"} == {"甲市", "乙市"}
    assert filter_graph(small_graph, Filters(), membership) is small_graph


def test_category_counts_by_zone_and_level(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    counts = category_counts(small_store)
    nodes = small_graph.node_by_id()
    expected: dict[tuple[str, str], int] = {}
    for adopt in (e for e in small_graph.edges if e.type == "ADOPTS"):
        for cat in (e for e in small_graph.edges if e.type == "IN_CATEGORY" and e.source == adopt.target):
            key = (nodes[adopt.source].name, nodes[cat.target].name)
            expected[key] = expected.get(key, 0) + 1
    assert {(c.zone, c.category): c.mechanisms for c in counts} == expected
    zones = top_zones(counts, 2)
    assert [nodes[z].name for z in zones] == ["甲市西街道", "乙市南街道"]  # three and two categorised mechanisms
    rows = by_zone(counts, zones, english=False)
    assert {r["zone"] for r in rows} == {"甲市西街道", "乙市南街道"}
    levels = by_level(counts, english=False)
    assert sum(r["mechanisms"] for r in levels) == sum(expected.values())  # type: ignore[misc]
    assert {r["level"] for r in levels} == {"street"}


# --------------------------------------------------------------------------- comparison and families


def test_two_zones_side_by_side(small_store: LadybugStore, small_graph: GraphDocument) -> None:
    profiles = profiles_from_graph(practice_graph(small_store))
    ids = {n.name: n.id for n in small_graph.nodes}
    side = compare_zones(profiles, ids["甲市西街道"], ids["乙市南街道"])
    assert [f.name for f in side.shared_mechanisms] == ["网格平台"]
    assert [f.name for f in side.only_zone] == ["友邻议事会", "议事日", "邻里基金"]  # parts count, as in the score
    assert [f.name for f in side.only_other] == ["睦邻空间"]
    shared = side.shared_mechanisms[0]
    expected = {ev.text for e in small_graph.edges if e.type == "ADOPTS" and e.target == ids["网格平台"]
                for ev in e.evidence}
    shown = {ev.text for s in (*shared.this_zone, *shared.other_zone) for ev in s.evidence}
    assert shown == expected  # both zones' sentences
    idle = compare_zones(profiles, ids["甲市西街道"], ids["乙市北街道"])
    assert idle.profiled == (True, False) and not idle.shared_mechanisms


def test_family_heat_rows_follow_the_families(small_store: LadybugStore) -> None:
    profiles = profiles_from_graph(practice_graph(small_store))
    families = zone_families(profiles)
    rows = family_heat_rows(profiles, families, english=True, max_zones=50)
    members = [z["name"] for f in families for z in f["zones"]]
    assert list(dict.fromkeys(r["zone"] for r in rows)) == members
    assert all(r["mechanisms"] >= 1 for r in rows)
    assert len({r["zone"] for r in family_heat_rows(profiles, families, english=True, max_zones=1)}) == 1


def test_clustered_picture_colours_by_family_and_keeps_markup_as_text() -> None:
    nodes = [ClusterNode("zone:a", SCRIPT, 0, (IMG,)), ClusterNode("zone:b", "乙", 1)]
    page = render_clusters(nodes, [("zone:a", "zone:b", 0.5), ("zone:a", "zone:missing", 1.0)], {0: IMG, 1: "二"})
    assert SCRIPT not in page and IMG not in page
    data = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert [n["color"] for n in data] == [FAMILY_COLOURS[0], FAMILY_COLOURS[1]]
    assert IMG in data[0]["title"] and "popup.innerHTML" not in page  # a tooltip set as text, not HTML
    assert html.escape(IMG) in page  # the legend, which is HTML, escapes
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert len(edges) == 1  # the link to a node not drawn is left out


# --------------------------------------------------------------------------- uploads


def test_uploads_are_read_by_their_suffix() -> None:
    from repo import PROJECT_ROOT

    sheet = PROJECT_ROOT / "tests" / "data" / "sheets" / "two-zones.yaml"
    up = read_upload(sheet.name, sheet.read_bytes())
    assert up.kind == "sheet" and up.graph.problems() == [] and up.label_counts()["Zone"] >= 2
    table = PROJECT_ROOT / "tests" / "data" / "sheets" / "cases.csv"
    assert read_upload(table.name, table.read_bytes()).kind == "csv"
    text = PROJECT_ROOT / "tests" / "data" / "text" / "anji-village-case.txt"
    gb = text.read_text(encoding="utf-8").encode("gb18030")
    utf8 = read_upload(text.name, text.read_bytes())
    assert read_upload("anji.txt", gb).graph.to_dict()["nodes"] == utf8.graph.to_dict()["nodes"]


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("x.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
    ("x", b"text", "unsupported file type (none)"),
    ("x.txt", b"", "empty"),
    ("x.json", b"{not json", "x.json"),
])
def test_bad_uploads_raise_input_errors_naming_the_file(name: str, data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read_upload(name, data)
    assert problem in str(caught.value) and str(caught.value).startswith(name)


def test_entity_highlights_colour_by_label() -> None:
    from govkg.graph.model import Node, node_id

    graph = GraphDocument([], [Node(node_id("Zone", "甲街道"), "Zone", "甲街道", ["甲"], {"level": "street"}),
                               Node(node_id("Mechanism", "议事会"), "Mechanism", "议事会")], [])
    text = "甲街道推行议事会。"  # written for testing
    spans = entity_highlights(graph, text, {"Zone": "地区"})
    shown = [(text[s.start:s.end], s.title) for s in spans]
    assert shown == [("甲街道", "地区: 甲街道"), ("议事会", "Mechanism: 议事会")]
    assert tint("#000000", 0.5) == "#808080" and tint("#FFFFFF") == "#FFFFFF"


def test_the_render_benchmarks_graph_is_synthetic_labelled_and_sound() -> None:
    from govkg.bench.app_render import DISTRICTS, PREFIX, synthetic_app_graph
    from govkg.bench.synthetic import LABEL

    graph = synthetic_app_graph(zones=40, mechanisms=60)
    assert graph.problems() == []  # every evidence offset points at its sentence
    assert LABEL in graph.documents[0].title and graph.documents[0].text.startswith(f"（{LABEL}）")
    assert all(n.name.startswith(PREFIX) for n in graph.nodes)  # nothing that reads as a real place
    streets = [n for n in graph.nodes if n.properties.get("level") == "street"]
    assert len(streets) == 40 and sum(1 for n in graph.nodes if n.properties.get("level") == "district") == DISTRICTS
    assert synthetic_app_graph(zones=40, mechanisms=60).to_dict() == graph.to_dict()  # seeded


def test_every_organisation_and_policy_kind_in_use_has_a_name_in_both_languages(bundled_graph: GraphDocument) -> None:
    from govkg.i18n import KIND_NAMES, kind_feature_name

    used = {("organisation" if n.label == "Organisation" else "policy", str(n.properties["kind"]))
            for n in bundled_graph.nodes if n.label in ("Organisation", "Policy") and n.properties.get("kind")}
    assert used, "the bundled data has kinds"
    for side, kind in sorted(used):
        assert kind in KIND_NAMES[side], f"{side} kind {kind} has no name"
        assert kind_feature_name(f"{side}:{kind}", "en").endswith(KIND_NAMES[side][kind][1])
        assert kind_feature_name(f"{side}:{kind}", "zh").endswith(KIND_NAMES[side][kind][0])
    assert kind_feature_name("邻里互助", "both") == "邻里互助"  # a category's name stays as it is


def test_every_kind_the_extractor_can_assign_has_a_name() -> None:
    from govkg.i18n import KIND_NAMES
    from govkg.loaders import entities
    from govkg.loaders.lexicon import org_suffixes, organisations

    organisation_kinds = set(org_suffixes().values()) | {e.kind for e in organisations()} | {"social-organisation"}
    policy_kinds = set(entities._POLICY_ENDINGS.values()) | {k for _, k in entities._TITLE_KINDS} | {"document"}
    assert organisation_kinds - set(KIND_NAMES["organisation"]) == set()
    assert policy_kinds - set(KIND_NAMES["policy"]) == set()


def test_a_planned_adoption_counts_in_no_chart_and_opens_no_page(
    embedded_store: LadybugStore, small_graph: GraphDocument
) -> None:
    from govkg.app.similar_display import busiest_zone

    nodes = small_graph.node_by_id()
    busiest = max(
        {e.source for e in small_graph.edges if e.type == "ADOPTS"},
        key=lambda z: (sum(1 for e in small_graph.edges if e.type == "ADOPTS" and e.source == z), z),
    )
    for edge in small_graph.edges:  # the busiest zone only plans what it was said to do
        if edge.type == "ADOPTS" and edge.source == busiest:
            edge.properties["stage"] = "planned"
    embedded_store.write(small_graph)
    assert nodes[busiest].name not in {c.zone for c in category_counts(embedded_store)}
    assert busiest_zone(embedded_store) not in (None, busiest)


def test_a_hostile_upload_is_one_line_naming_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import govkg.app.upload as upload_module

    def explode(text: str, name: str) -> GraphDocument:
        raise RecursionError("maximum recursion depth exceeded")  # a reader bug the input found

    with pytest.raises(InputError, match="nests deeper"):
        read_upload("deep.json", ("[" * 100_000 + "]" * 100_000).encode())
    monkeypatch.setattr("govkg.loaders.case_sheet.case_sheet_from_text", explode)
    with pytest.raises(InputError) as caught:
        upload_module.read_upload("attack.yaml", b"zone: x\n")
    assert str(caught.value) == "attack.yaml: cannot be read (RecursionError); please report this file"
