"""A hostile case WRITTEN FOR TESTING: names, aliases, properties, evidence and document fields that
hold markup (`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`). Nothing here is a real
case; the places and practices are invented (测试省) so the app's escaping can be checked on every
page, in pictures and in uploads."""

from __future__ import annotations

from govkg.graph.model import Document, Edge, Evidence, GraphDocument, Node, document_id, node_id

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = (SCRIPT, IMG)

# Written for testing: invented places and practices with markup in their names.
XSS_TEXT = (
    "本段文字为测试而写（written for testing），所述地方与做法均为虚构。"
    f"测试省{SCRIPT}街道推行“{IMG}议事会”。"
    f"测试省乙街道同样推行“{IMG}议事会”。"
    f"{IMG}党委参与“{IMG}议事会”，依据《{SCRIPT}规则》运行。"
    f"两个街道都属于“{SCRIPT}主题”。"
)
XSS_DOC = document_id(XSS_TEXT)

# Written for testing: an upload in a real province with invented, hostile practice names (the text
# extractor needs a place it can find in the division table).
XSS_UPLOAD = (
    "（测试用文本，written for testing：地名真实，事例与名称均为虚构。）\n"
    f"浙江省湖州市安吉县天荒坪镇推行“{SCRIPT}议事会”，并成立“{IMG}互助组”。"
)

ZONE = node_id("Zone", f"测试省{SCRIPT}街道")
OTHER_ZONE = node_id("Zone", "测试省乙街道")
PROVINCE = node_id("Zone", "测试省")
MECHANISM = node_id("Mechanism", f"{IMG}议事会")
ORGANISATION = node_id("Organisation", f"{IMG}党委")
POLICY = node_id("Policy", f"{SCRIPT}规则")
CATEGORY = node_id("Category", f"{IMG}类别")
THEME = node_id("Theme", f"{SCRIPT}主题")


def _sentence(fragment: str) -> Evidence:
    at = XSS_TEXT.index(fragment)
    start = XSS_TEXT.rfind("。", 0, at) + 1
    end = XSS_TEXT.index("。", at) + 1
    return Evidence(XSS_DOC, XSS_TEXT[start:end], start, end)


def build_xss_graph() -> GraphDocument:
    """The hostile case as a graph: every label, relationship and text field carries markup."""
    nodes = [
        Node(PROVINCE, "Zone", "测试省", [], {"level": "province", "full_name": "测试省"}),
        Node(ZONE, "Zone", f"{SCRIPT}街道", [IMG], {"level": "street", "full_name": f"测试省{SCRIPT}街道"}),
        Node(OTHER_ZONE, "Zone", "乙街道", [], {"level": "street", "full_name": "测试省乙街道"}),
        Node(MECHANISM, "Mechanism", f"{IMG}议事会", [SCRIPT], {"description": f"{SCRIPT}说明"}),
        Node(ORGANISATION, "Organisation", f"{IMG}党委", [], {"kind": "party"}),
        Node(POLICY, "Policy", f"{SCRIPT}规则", [], {"kind": "regulation"}),
        Node(CATEGORY, "Category", f"{IMG}类别", [], {"name_en": f"{SCRIPT} category"}),
        Node(THEME, "Theme", f"{SCRIPT}主题", [], {"name_en": f"{IMG} theme"}),
    ]
    edges = [
        Edge("PART_OF", ZONE, PROVINCE, [_sentence(f"测试省{SCRIPT}街道")]),
        Edge("PART_OF", OTHER_ZONE, PROVINCE, [_sentence("测试省乙街道")]),
        Edge("ADOPTS", ZONE, MECHANISM, [_sentence(f"测试省{SCRIPT}街道")]),
        Edge("ADOPTS", OTHER_ZONE, MECHANISM, [_sentence("测试省乙街道")]),
        Edge("IN_CATEGORY", MECHANISM, CATEGORY, [_sentence(f"测试省{SCRIPT}街道")], {"cue": IMG}),
        Edge("HAS_ORGANISATION", ZONE, ORGANISATION, [_sentence(f"{IMG}党委")]),
        Edge("PARTICIPATES_IN", ORGANISATION, MECHANISM, [_sentence(f"{IMG}党委")]),
        Edge("IMPLEMENTS", ZONE, POLICY, [_sentence(f"{IMG}党委")]),
        Edge("FRAMED_BY", MECHANISM, POLICY, [_sentence(f"{IMG}党委")]),
        Edge("UNDER_THEME", ZONE, THEME, [_sentence("两个街道")]),
        Edge("UNDER_THEME", OTHER_ZONE, THEME, [_sentence("两个街道")]),
    ]
    doc = Document(XSS_DOC, f"{IMG}.txt", f"{SCRIPT}文献", IMG, SCRIPT, "2020", XSS_TEXT)
    return GraphDocument([doc], nodes, edges)
