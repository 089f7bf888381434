"""A small graph for the full-text search tests (tests/test_text_search.py, test_search_cli.py,
test_app_search.py). tests/ is on sys.path, so they import this by name.

WRITTEN FOR TESTING: every text below is invented for these tests (丙县, 丁市 and their practices do not
exist); none is taken from a real article. The facts of `search_graph` are read from these texts, so
every evidence offset points at its sentence.
"""

from __future__ import annotations

from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node, document_id, node_id

# Written for testing: simplified characters. Its last sentence is evidence of nothing.
TEXT_A = (
    "本文为测试而写，所述地方与做法均为虚构。"
    "丙县北镇推行“邻里议事厅”，居民每月在议事厅协商一次。"
    "丙县北镇的邻里议事厅被多地借鉴。"
    "镇里还有一座老图书馆，平日少有人提及。"
)
# Written for testing: traditional characters throughout.
TEXT_C = "本文為測試而寫，所述地方均為虛構。丁市東區推行“網格管家”制度，以網格為單元服務居民。"
# Written for testing: the one sentence a case sheet gives (the document keeps no text of its own).
SHEET_SENTENCE = "丙县南镇建立“睦邻驿站”，志愿者轮流值守。"
# Written for testing: a new document, loaded later (a search must then find it).
TEXT_LATER = "本文为测试而写。丙县西镇新设“共享菜园”，由退休教师照看。"

DOC_A = document_id(TEXT_A)
DOC_B = "document:written-for-testing-sheet"
DOC_C = document_id(TEXT_C)
DOC_LATER = document_id(TEXT_LATER)

NORTH = node_id("Zone", "测试省丙县北镇")
SOUTH = node_id("Zone", "测试省丙县南镇")
EAST = node_id("Zone", "测试省丁市东区")
HALL = node_id("Mechanism", "邻里议事厅")
STATION = node_id("Mechanism", "睦邻驿站")
BUTLER = node_id("Mechanism", "网格管家")
WEST = node_id("Zone", "测试省丙县西镇")
GARDEN = node_id("Mechanism", "共享菜园")


def evidence(doc: str, text: str, fragment: str) -> Evidence:
    """Evidence for the sentence of `text` that holds `fragment` (a sentence ends at 。)."""
    at = text.index(fragment)
    start = text.rfind("。", 0, at) + 1
    end = text.index("。", at) + 1
    return Evidence(doc, text[start:end], start, end)


def search_graph() -> GraphDocument:
    """Three documents (simplified text, a case sheet without text, traditional text), their zones and
    mechanisms (names simplified, as the loaders store them), and evidence from each."""
    sheet = Evidence(DOC_B, SHEET_SENTENCE, 0, len(SHEET_SENTENCE))
    nodes = [
        Node(NORTH, "Zone", "丙县北镇", ["北镇"], {"level": "town"}),
        Node(SOUTH, "Zone", "丙县南镇", ["南镇"], {"level": "town"}),
        Node(EAST, "Zone", "丁市东区", ["东区"], {"level": "district"}),
        Node(HALL, "Mechanism", "邻里议事厅", ["议事厅"]),
        Node(STATION, "Mechanism", "睦邻驿站"),
        Node(BUTLER, "Mechanism", "网格管家"),
    ]
    edges = [
        Edge("ADOPTS", NORTH, HALL, [evidence(DOC_A, TEXT_A, f) for f in ("推行“邻里议事厅”", "被多地借鉴")]),
        Edge("ADOPTS", SOUTH, STATION, [sheet]),
        Edge("ADOPTS", EAST, BUTLER, [evidence(DOC_C, TEXT_C, "網格管家")]),
    ]
    documents = [
        Document(DOC_A, "written-for-testing-a.txt", "测试文本甲", "", "", "", TEXT_A),
        Document(DOC_B, "written-for-testing-sheet.yaml", "测试案例表", "", "", "", ""),
        Document(DOC_C, "written-for-testing-c.txt", "測試文本丙", "", "", "", TEXT_C),
    ]
    return GraphDocument(documents, nodes, edges)


def later_graph() -> GraphDocument:
    """A document loaded after `search_graph`, with its zone and mechanism."""
    nodes = [Node(WEST, "Zone", "丙县西镇", ["西镇"], {"level": "town"}), Node(GARDEN, "Mechanism", "共享菜园")]
    edges = [Edge("ADOPTS", WEST, GARDEN, [evidence(DOC_LATER, TEXT_LATER, "共享菜园")])]
    document = Document(DOC_LATER, "written-for-testing-later.txt", "测试文本后", "", "", "", TEXT_LATER)
    return GraphDocument([document], nodes, edges)
