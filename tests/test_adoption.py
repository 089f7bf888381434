"""Who adopts a practice, how far (pilot, adopted, promoted, planned) and when, as a case text tells it.

The texts are written for these tests: real places, made-up practices.
"""

from __future__ import annotations

import pytest

from govkg.graph.model import GraphDocument
from govkg.loaders.adoption import adoption_stage, learned_before
from govkg.loaders.text_extractor import extract_text

SAMPLES = """基层治理样本三则

一、浙江省安吉县：“码上议”
2016年，安吉县在递铺街道、孝丰镇先行试点；2018年，这一做法在全县推开。

二、江苏省如皋市与启东市
如皋市、启东市分别推出“邻里议事厅”“睦邻驿站”。下一步，如皋市将在全市推广“睦邻驿站”工作法。

三、江苏省溧阳市
2020年，溧阳市学习借鉴“码上议”经验，在全市各村推行“码上议”。
"""


def _adoptions(graph: GraphDocument) -> dict[tuple[str, str], dict[str, object]]:
    names = {n.id: n for n in graph.nodes}

    def short(node_id: str) -> str:
        node = names[node_id]
        return min([node.name, *node.aliases], key=len)

    return {(short(e.source), short(e.target)): e.properties for e in graph.edges if e.type == "ADOPTS"}


@pytest.fixture(scope="module")
def samples() -> GraphDocument:
    return extract_text(SAMPLES, "samples.txt")


def test_a_heading_names_the_zone_and_practice_of_its_section(samples: GraphDocument) -> None:
    adoptions = _adoptions(samples)
    assert ("安吉县", "码上议") in adoptions
    evidence = next(e for e in samples.edges if e.type == "ADOPTS" and e.evidence[0].text.startswith("一、"))
    assert "码上议" in evidence.evidence[0].text


def test_places_a_trial_is_held_in_pilot_the_practice_named_before(samples: GraphDocument) -> None:
    adoptions = _adoptions(samples)
    for place in ("递铺街道", "孝丰镇", "安吉县"):
        assert adoptions[(place, "码上议")]["stage"] == "pilot"
        assert adoptions[(place, "码上议")]["year"] == 2016


def test_respectively_gives_each_zone_its_own_practice(samples: GraphDocument) -> None:
    adoptions = _adoptions(samples)
    assert adoptions[("如皋市", "邻里议事厅")]["stage"] == "adopted"
    assert adoptions[("启东市", "睦邻驿站")]["stage"] == "adopted"
    assert ("启东市", "邻里议事厅") not in adoptions


def test_a_plan_is_kept_as_planned_not_as_adoption(samples: GraphDocument) -> None:
    assert _adoptions(samples)[("如皋市", "睦邻驿站")]["stage"] == "planned"


def test_learning_from_another_zone_is_recorded(samples: GraphDocument) -> None:
    adoptions = _adoptions(samples)
    assert adoptions[("溧阳市", "码上议")]["learned"] is True
    assert adoptions[("安吉县", "码上议")]["learned"] is False
    names = {n.id: n.name for n in samples.nodes}
    learned = [(names[e.source], names[e.target], e.properties) for e in samples.edges if e.type == "LEARNED_FROM"]
    assert learned == [("溧阳市", "安吉县", {"mechanisms": ["码上议"]})]


def test_every_adoption_carries_its_sentence(samples: GraphDocument) -> None:
    text = samples.documents[0].text
    for edge in samples.edges:
        if edge.type in ("ADOPTS", "LEARNED_FROM"):
            assert edge.evidence
            for ev in edge.evidence:
                assert text[ev.start : ev.end] == ev.text


@pytest.mark.parametrize(
    ("clause", "following", "stage"),
    [
        ("某镇先行试点“甲制度”", "", "pilot"),
        ("这一做法在全县推开", "", "promoted"),
        ("某县召开推行“甲制度”工作会议", "部署在全县推行", "promoted"),
        ("下一步将在全市推广", "", "planned"),
        ("某市计划明年推行“甲制度”", "", "planned"),
        ("某市在全国率先启动“甲制度”", "", "pilot"),
        ("某镇建立“甲制度”", "", "adopted"),
        # 将 standing for 把 is no plan.
        ("某镇将议事会纳入“甲制度”", "", "adopted"),
    ],
)
def test_stage_words(clause: str, following: str, stage: str) -> None:
    assert adoption_stage(clause, following) == stage


@pytest.mark.parametrize(
    ("text", "learned"),
    [
        ("某镇学习借鉴“甲经验”", True),
        ("工作人员结合学来的“甲经验”", True),
        ("学习应用甲经验", True),
        ("某区委借鉴传统思路，在两镇试点“甲制度”", False),
        ("某镇推行“甲制度”", False),
    ],
)
def test_learning_is_read_only_just_before_the_practice(text: str, learned: bool) -> None:
    position = max(text.rfind("“"), text.rfind("甲"))
    assert learned_before(text, 0, position) is learned


REPORT = """象山县推行村务清单制度工作情况汇报

一、主要做法
2015年初，县委、县政府在总结经验的基础上，在全县推行“村务清单”制度。

二、典型
浙江省象山县墙头镇的干部常说要多商量。2017年，象山县推广“墙头经验”。
"""


def test_a_report_speaking_of_its_own_county_means_the_county_it_names() -> None:
    adoptions = _adoptions(extract_text(REPORT, "report.txt"))
    practice = next(v for (zone, name), v in adoptions.items() if zone == "象山县" and "村务清单" in name)
    assert practice == {"stage": "promoted", "learned": False, "year": 2015}


def test_a_practice_named_after_a_place_is_that_places() -> None:
    adoptions = _adoptions(extract_text(REPORT, "report.txt"))
    assert adoptions[("象山县", "墙头经验")]["stage"] == "promoted"
    town = [zone for zone, name in adoptions if name == "墙头经验" and zone.endswith("墙头镇")]
    assert town, adoptions


@pytest.mark.parametrize("store_name", ["embedded_store", pytest.param("neo4j_store", marks=pytest.mark.neo4j)])
def test_loads_keep_the_first_year_and_a_plan_never_overrides_a_deed(
    store_name: str, request: pytest.FixtureRequest
) -> None:
    """Three files about one zone and practice, loaded one by one into a real store: a roll-out of 2019,
    then a trial of 2016, then a plan. The stored adoption is the 2016 trial."""
    store = request.getfixturevalue(store_name)
    texts = [
        "2019年，浙江省安吉县在全县推广“码上议”。",
        "2016年，浙江省安吉县先行试点“码上议”。",
        "下一步，浙江省安吉县将在全县推广“码上议”。",
    ]
    for n, text in enumerate(texts):
        store.write(extract_text(text, f"case-{n}.txt"))
    rows = store.read(
        "MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE z.name = '安吉县' "
        "RETURN a.stage AS stage, a.year AS year, size(a.evidence_texts) AS sentences"
    ).rows
    assert rows == [["pilot", 2016, 3]]


def test_a_bare_unit_word_stands_for_the_unit_just_named() -> None:
    text = (
        "湖州市德清县阜溪街道五四村是远近闻名的美丽乡村。\n\n村里先后建起“村民议事厅”和“积分超市”。\n\n"
        "德清县新市镇南昌社区情况不同，不少居民来自湖州市区。\n\n社区依托“邻里值班室”化解矛盾。"
        "社区工作者每周走访。"
    )
    adopted = _adoptions(extract_text(text, "unit-words.txt"))
    assert ("五四村", "村民议事厅") in adopted and ("五四村", "积分超市") in adopted
    assert ("南昌社区", "邻里值班室") in adopted
    # 社区工作者 is a role, not the community standing as subject; 五四村 is no community.
    assert ("五四村", "邻里值班室") not in adopted


def test_a_practice_named_in_quotes_is_found_again_where_written_bare() -> None:
    text = (
        "2015年，台州市温岭市箬横镇推出“村民说事会”，每月请村民议论村务。"
        "2017年，温岭市松门镇也办起了村民说事会。有干部说这是“管不了”的事，后来没人再说管不了。"
    )
    adopted = _adoptions(extract_text(text, "bare-again.txt"))
    assert adopted[("箬横镇", "村民说事会")]["year"] == 2015
    assert adopted[("松门镇", "村民说事会")]["year"] == 2017
    # A scare-quoted ordinary phrase written bare later stays no practice.
    assert not [m for _, m in adopted if m == "管不了"]


def test_a_learned_practice_comes_from_the_place_it_is_named_after() -> None:
    # 湖州市 practises it first in the text; the practice is still 余村's, and so is the lesson.
    text = (
        "2019年，湖州市在全市推广“余村经验”。这一经验最早来自安吉县天荒坪镇余村。"
        "2021年，衢州市江山市大陈乡把“余村经验”从山村搬到了集镇，形成“大陈议事团”。"
    )
    graph = extract_text(text, "eponym.txt")
    names = {n.id: n.name for n in graph.nodes}
    learned = {(names[e.source], names[e.target]) for e in graph.edges if e.type == "LEARNED_FROM"}
    assert learned == {("衢州市江山市大陈乡", "安吉县天荒坪镇余村")}
    adopted = _adoptions(graph)
    assert adopted[("大陈乡", "余村经验")]["learned"] is True


def test_a_name_written_in_pieces_has_its_last_unit_as_subject() -> None:
    text = (
        "江苏南通如皋市（县级市）城南街道推行“邻里议事会”。浙江诸暨县（今诸暨市）枫桥镇推出“老杨调解室”。"
        "2015年，湖州市德清县新市镇原蠡山村成立“村民议事会”。"
    )
    adopted = _adoptions(extract_text(text, "pieces.txt"))
    assert ("城南街道", "邻里议事会") in adopted
    assert ("枫桥镇", "老杨调解室") in adopted
    assert not [z for z, _ in adopted if z in ("江苏", "江苏省", "浙江", "浙江省")]
    assert ("蠡山村", "村民议事会") in adopted and ("新市镇", "村民议事会") not in adopted


def test_a_national_body_or_document_as_actor_is_not_the_place_last_named() -> None:
    text = (
        "2018年，嘉兴市桐乡市高桥街道推出“三治融合”。2022年，党的二十大报告提出要推广“新时代网格治理”。"
        "2023年，民政部评选出一批“全国社区治理创新案例”。高桥街道随后建起“百事服务团”。"
    )
    adopted = _adoptions(extract_text(text, "national.txt"))
    assert ("高桥街道", "三治融合") in adopted and ("高桥街道", "百事服务团") in adopted
    assert not [m for z, m in adopted if m in ("新时代网格治理", "全国社区治理创新案例")]


def test_a_report_s_sections_without_a_place_belong_to_the_unit_its_title_names() -> None:
    text = (
        "安吉县2021年基层治理工作总结\n\n一、主要做法\n\n"
        "2021年以来，依托“数字治理驾驶舱”归集各部门数据，推行“村情通”。\n\n二、下一步打算\n\n"
        "继续深化“村情通”应用。"
    )
    adopted = _adoptions(extract_text(text, "report.txt"))
    assert adopted[("安吉县", "数字治理驾驶舱")]["year"] == 2021
    assert ("安吉县", "村情通") in adopted


def test_a_roll_out_over_the_whole_unit_belongs_to_that_unit() -> None:
    text = "2016年，安吉县孝丰镇推出“两山议事会”，2018年在全县推行“两山议事会”。"
    adopted = _adoptions(extract_text(text, "whole-area.txt"))
    # The town started it (its own clause's stage, not the later roll-out); the county rolled it out.
    assert adopted[("孝丰镇", "两山议事会")] == {"stage": "adopted", "year": 2016, "learned": False}
    assert adopted[("安吉县", "两山议事会")] == {"stage": "promoted", "year": 2018, "learned": False}


def test_a_place_as_possessor_owns_the_practice_of_a_subjectless_clause() -> None:
    text = "2019年，杭州市上城区湖滨街道推出“湖滨晴雨”。有研究将宁波市海曙区的社区治理概括为“1+5+N”协同治理模式。"
    adopted = _adoptions(extract_text(text, "possessor.txt"))
    assert ("海曙区", "1+5+N") in adopted
    assert ("湖滨街道", "1+5+N") not in adopted


def test_the_year_of_a_visitor_s_praise_is_not_the_year_a_practice_began() -> None:
    text = (
        "杭州市拱墅区小河街道长乐社区推出“长乐议事厅”。"
        "2021年5月，有关领导来到社区调研，对“长乐议事厅”给予肯定。"
    )
    adopted = _adoptions(extract_text(text, "praise.txt"))
    assert "year" not in adopted[("长乐社区", "长乐议事厅")]


def test_a_section_narrowed_to_one_unit_goes_on_about_it_until_a_new_item() -> None:
    text = (
        "两地社区样本\n\n一、宁波\n\n宁波市海曙区南门街道紫来社区常被当作样本。\n\n"
        "多年来，先后推出“紫来议事港”和“红色代办”。\n\n"
        "二是全市层面，推行“甬上办”。"
    )
    adopted = _adoptions(extract_text(text, "narrowed.txt"))
    assert ("紫来社区", "紫来议事港") in adopted and ("紫来社区", "红色代办") in adopted
    assert ("紫来社区", "甬上办") not in adopted


def test_a_roll_out_that_names_no_practice_is_of_the_last_one_and_dated_by_its_own_clause() -> None:
    text = (
        "2009年，沧州市肃宁县在部分村试行“村务四议”。"
        "2012年8月，河北省委、省政府联合发文，在全省推广。"
    )
    adopted = _adoptions(extract_text(text, "antecedent-year.txt"))
    assert adopted[("肃宁县", "村务四议")]["year"] == 2009
    assert adopted[("河北省", "村务四议")] == {"stage": "promoted", "year": 2012, "learned": False}


def test_a_practice_written_with_its_county_before_it_is_the_county_s_and_keeps_its_own_name() -> None:
    text = (
        "湖州市安吉县天荒坪镇余村创造了“余村经验”。"
        "多年后，“安吉‘余村经验’”又添了数字化的新内容。"
    )
    graph = extract_text(text, "qualified.txt")
    mechanisms = {n.name: n.aliases for n in graph.nodes if n.label == "Mechanism"}
    assert mechanisms == {"余村经验": []}
    adopted = _adoptions(graph)
    assert ("余村", "余村经验") in adopted and ("安吉县", "余村经验") in adopted


def test_a_possessor_beside_a_subject_practises_the_practice_too() -> None:
    text = "近年来，湖州市以浙江省的“千万工程”品牌建设为引领，打造了一批示范村。"
    adopted = _adoptions(extract_text(text, "possessor-and-subject.txt"))
    assert ("湖州市", "千万工程") in adopted and ("浙江省", "千万工程") in adopted
    assert adopted[("浙江省", "千万工程")] == {"stage": "adopted", "learned": False}


def test_a_trial_told_before_the_practice_is_named_pilots_it() -> None:
    text = "衢州市龙游县溪口镇黄泥山村先行先试之后，2018年，龙游县在全县推广这一做法，形成“村情通”治理模式。"
    adopted = _adoptions(extract_text(text, "tried-first.txt"))
    assert adopted[("黄泥山村", "村情通")]["stage"] == "pilot"
    assert ("龙游县", "村情通") in adopted


def test_setting_up_a_body_takes_up_the_practice_named_after_it() -> None:
    text = (
        "湖州市德清县持续深化乡贤参事会制度。"
        "德清县武康街道中兴社区2015年挂牌后引入乡贤参事会参与社区事务协商。"
    )
    graph = extract_text(text, "institution.txt")
    assert [n.name for n in graph.nodes if n.label == "Mechanism"] == ["乡贤参事会制度"]
    adopted = _adoptions(graph)  # (a practice is shown by its shortest form, here 乡贤参事会)
    assert adopted[("中兴社区", "乡贤参事会")]["year"] == 2015


def test_a_name_given_by_a_naming_verb_is_found_again_in_later_sentences() -> None:
    text = (
        "1999年，台州市温岭市松门镇办起农村现代化教育论坛，这种形式随后被定名为民主议事。"
        "2018年8月，温岭市箬横镇围绕公厕管护召开民主议事会。"
    )
    adopted = _adoptions(extract_text(text, "named.txt"))
    assert adopted[("箬横镇", "民主议事")]["year"] == 2018


def test_a_roll_out_verb_before_the_whole_area_counts_too() -> None:
    text = "1999年，台州市温岭市松门镇推出“民情恳谈”，2000年起推广到全市各乡镇和部门。"
    adopted = _adoptions(extract_text(text, "verb-before.txt"))
    assert adopted[("温岭市", "民情恳谈")] == {"stage": "promoted", "year": 2000, "learned": False}


def test_the_section_s_place_acting_without_naming_the_practice_does_the_heading_s_practice() -> None:
    text = (
        "基层治理样本选编\n\n"
        "一、广东省梅州市蕉岭县：“三级议事会”\n"
        "梅州在农村综合改革中，在自然村一级组建村民议事会，在镇一级组建乡民议事会。\n\n"
        "二、江苏省南通市：“网格连心”\n"
        "南通的社区工作者每周走访。\n"
    )
    adopted = _adoptions(extract_text(text, "section-practice.txt"))
    assert ("梅州", "三级议事会") in adopted and ("蕉岭县", "三级议事会") in adopted
    assert ("梅州", "网格连心") not in adopted


def test_a_place_named_a_pilot_pilots_the_practice_just_named() -> None:
    text = (
        "2013年，泉州市启动“共同缔造”行动，丰泽区被确定为试点区，"
        "丰泽区东湖街道荷花社区则是全市首批试点社区之一。"
    )
    adopted = _adoptions(extract_text(text, "designated.txt"))
    assert adopted[("丰泽区", "共同缔造")]["stage"] == "pilot"
    assert adopted[("荷花社区", "共同缔造")]["stage"] == "pilot"


def test_a_kind_of_body_set_up_everywhere_is_a_practice_too() -> None:
    text = (
        "2019年3月，邯郸市大名县召开移风易俗推进会，提出在各村、社区成立红白理事会。"
        "邯郸市魏县东代固乡把红白理事会建到了南辛庄村、北辛庄村。"
        "大名县金滩镇成立了碧月社会工作服务中心。"
    )
    graph = extract_text(text, "rolled-out.txt")
    assert [n.name for n in graph.nodes if n.label == "Mechanism"] == ["红白理事会"]
    assert "红白理事会" in {n.name for n in graph.nodes if n.label == "Organisation"}
    adopted = _adoptions(graph)
    assert adopted[("大名县", "红白理事会")]["year"] == 2019
    assert {z for z, m in adopted if m == "红白理事会"} >= {"东代固乡", "南辛庄村", "北辛庄村"}
