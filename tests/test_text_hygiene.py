"""Issue 3's text hygiene and metadata, end to end: full-width and half-width forms, corner and
nested quotes and traditional characters reach the same ids while the stored text keeps what was
written; a report's title, publication, reporter, date, editor and reviewer are read and stored.

Every text here is WRITTEN FOR TESTING (real place names, invented facts).
"""

from __future__ import annotations

from pathlib import Path

from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument, node_id
from govkg.loaders.text_extractor import extract_text

NOTE = "（测试用文本，written for testing：所述事例为虚构。）\n"
FORMS = {
    "half-width": '杭州市西湖区率先提出了"1246+N"标准化体系框架,由社区居委会牵头.'
    "余杭区创建“余杭‘1+3’基层协商治理模式”。",
    "full-width": "杭州市西湖区率先提出了“１２４６＋Ｎ”标准化体系框架，由社区居委会牵头。"
    "余杭区创建“余杭‘１＋３’基层协商治理模式”。",
    "traditional": "杭州市西湖區率先提出了「1246+N」標準化體系框架，由社區居委會牽頭。"
    "餘杭區創建「餘杭『1+3』基層協商治理模式」。",
}
REPORT = """宁波市江北区文教街道推行“邻里守望”互助机制
来源：测试日报　记者 张 三　2019年3月5日
（本文为测试而编写，written for testing，所述事例为虚构。）
宁波市江北区文教街道推行“邻里守望”互助机制，由社区党委牵头，组织党员和志愿者结对帮扶独居老人。
编辑：李四 审核：王五
"""


def ids(graph: GraphDocument, label: str) -> set[str]:
    return {n.id for n in graph.nodes if n.label == label}


def test_width_forms_quotes_and_traditional_characters_reach_the_same_ids() -> None:
    graphs = {form: extract_text(NOTE + text, f"{form}.txt") for form, text in FORMS.items()}
    mechanisms = {node_id("Mechanism", "1246+N标准化体系框架"), node_id("Mechanism", "余杭1+3基层协商治理模式")}
    zones = {node_id("Zone", "浙江省杭州市西湖区"), node_id("Zone", "浙江省杭州市余杭区")}
    for form, graph in graphs.items():
        assert graph.problems() == []
        assert ids(graph, "Mechanism") == mechanisms, form
        assert zones <= ids(graph, "Zone"), form
        # The stored text is the text as written, and every piece of evidence quotes it.
        assert graph.documents[0].text == (NOTE + FORMS[form]).strip()
    full = graphs["full-width"].node_by_id()[node_id("Mechanism", "1246+N标准化体系框架")]
    assert full.name == "“1246+N”标准化体系框架"  # the name in half-width forms ...
    assert "“１２４６＋Ｎ”标准化体系框架" in full.aliases  # ... the written form kept as an alias
    nested = graphs["traditional"].node_by_id()[node_id("Mechanism", "余杭1+3基层协商治理模式")]
    assert nested.name == "余杭‘1+3’基层协商治理模式"  # simplified, inner quotes in the mainland form
    assert "餘杭『1+3』基層協商治理模式" in nested.aliases


def test_a_report_s_metadata_is_read_and_stored(tmp_path: Path) -> None:
    graph = extract_text(REPORT, "report.txt")
    doc = graph.documents[0]
    assert doc.title == "宁波市江北区文教街道推行“邻里守望”互助机制"
    assert (doc.source, doc.author, doc.date) == ("测试日报", "张三", "2019-03-05")
    assert doc.properties == {"editor": "李四", "reviewer": "王五"}
    # Metadata and the bracketed note are neither entities nor section headings.
    assert ids(graph, "Theme") == set()
    assert not [n for n in graph.nodes if n.name in ("测试日报", "张三", "李四", "王五")]
    with LadybugStore(tmp_path / "metadata.lbdb") as store:
        store.write(graph)
        [stored] = store.snapshot().documents
    assert (stored.title, stored.source, stored.author, stored.date) == (doc.title, "测试日报", "张三", "2019-03-05")
    assert stored.properties["editor"] == "李四" and stored.properties["reviewer"] == "王五"
