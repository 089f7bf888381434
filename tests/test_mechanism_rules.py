"""Rules that tell named practices from other quoted words, and read their parts.

Every sentence here was written for testing: invented places and practices in the genre's style.
"""

from __future__ import annotations

import pytest

from govkg.loaders.mechanisms import Found, find_parts, find_quoted, find_unquoted_mechanisms
from govkg.loaders.text_extractor import extract_text


def mechanisms(text: str) -> list[str]:
    return [f.name for f in find_quoted(text, 0, len(text)) if f.label == "Mechanism" and f.group < 0]


def parts(text: str) -> list[tuple[str, str]]:
    found = find_quoted(text, 0, len(text))
    return sorted((found[w].name, found[p].name) for w, p in find_parts(text, (0, len(text)), found))


def unquoted(text: str) -> list[str]:
    return [f.name for f in find_unquoted_mechanisms(text, 0, len(text), [])]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("青石镇从去年起推行“院坝说事”，每月开一次。", "院坝说事"),
        ("柳溪村率先开展“邻里积分”试点。", "邻里积分"),
        ("南湾街道启动“楼门长”探索实践，效果明显。", "楼门长"),
        ("白沙县在全县推出「村民议事日」。", "村民议事日"),
        ("两地都在探索“巷长制”、“街坊议事”等做法。", "街坊议事"),
        ("社区以“彩虹桥”为品牌，整合了各类服务。", "彩虹桥"),
        ("三、东林县：“三进三访”", "三进三访"),
        ("该镇的“1+5+N”服务体系覆盖全部村社。", "“1+5+N”服务体系"),
        ("“桂园经验”在全省推广。", "桂园经验"),
    ],
)
def test_a_quoted_term_presented_as_a_practice_counts(text: str, name: str) -> None:
    assert name in mechanisms(text)


@pytest.mark.parametrize(
    "text",
    [
        "一位老党员说：“以前有事没人管，现在一个电话就有人来。”",  # speech
        "村里人管这叫“摆龙门阵”。",  # a nickname
        "很多事情村干部“顾不过来”。",  # a scare-quoted verb phrase
        "墙上写着“人人参与、共建家园”的标语。",  # a banner, not presented as a practice
        "不少小区存在“停车难、收费难”的问题。",  # a problem
        "该村被评为“文明示范村”。",  # an honour
        "全省评出50个“红旗调解室”单位。",  # a designation
        "社区建起了“暖心之家”，老人白天可以来坐坐。",  # a facility
        "镇里举办了“5·20邻里节”活动。",  # an event
        "老人们常说“远亲不如近邻”，这话不假。",  # a saying
        "村里流传的“七多一少”说的就是这些。",  # a numbered saying without context
        "这是一条“老经验”。",  # a practice ending without words of its own
        "志愿者们还孵化了“青柠檬”等社会组织。",  # a body
        "后来撤并为“东林县石门镇”。",  # a place
    ],
)
def test_quoted_words_that_are_not_practices(text: str) -> None:
    assert mechanisms(text) == []


def test_a_coordination_presented_as_one_practice_stays_whole() -> None:
    text = "东林县试点“小事不出组、大事不出村、难事不出镇”，效果明显。"
    assert mechanisms(text) == ["小事不出组、大事不出村、难事不出镇"]


def test_a_coordination_that_is_a_goal_is_no_practice() -> None:
    assert mechanisms("这项工作做到了“队伍建起来、活动办起来”。") == []


def test_the_verb_before_a_modifier_quote_reaches_its_head() -> None:
    text = "该县形成了“小事在组里、大事在村里”的“院落议事”。"
    assert mechanisms(text) == ["小事在组里、大事在村里", "院落议事"]


def test_a_quoted_term_the_text_presents_elsewhere_counts_bare_of_context() -> None:
    text = "青石镇推行“院坝说事”。后来，“院坝说事”也传到了邻县。"
    second = text.index("后来")
    found = find_quoted(text, second, len(text))
    assert [f.name for f in found] == ["院坝说事"]


def test_a_practice_in_title_marks_is_a_practice_and_a_document_is_not() -> None:
    assert mechanisms("白沙县在全县推广《四联工程》。") == ["四联工程"]
    assert mechanisms("白沙县印发《关于推广四联工程的实施意见》。") == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "社区遇事就用“三商议事法”，即大事共商、急事速商、难事细商。",
            [("三商议事法", "大事共商"), ("三商议事法", "急事速商"), ("三商议事法", "难事细商")],
        ),
        (
            "“两联工程”包括“干部联户”“党员联岗”两个环节。",
            [("两联工程", "党员联岗"), ("两联工程", "干部联户")],
        ),
        (
            "“三帮活动”由帮老、帮小和帮困组成。",
            [("三帮活动", "帮困"), ("三帮活动", "帮小"), ("三帮活动", "帮老")],
        ),
        (
            "最早是送米、送油、送衣的“老三帮”。",
            [("老三帮", "送油"), ("老三帮", "送米"), ("老三帮", "送衣")],
        ),
        (
            "每个片区设片长，另设调解员、宣传员和巡查员，群众称为“一长三员”。",
            [("一长三员", "宣传员"), ("一长三员", "巡查员"), ("一长三员", "调解员")],
        ),
        (
            "西林社区创新“楼栋夜话”工作法，又延伸出“议题收集”“夜话协商”及“结果公示”等环节。",
            [
                ("“楼栋夜话”工作法", "夜话协商"),
                ("“楼栋夜话”工作法", "结果公示"),
                ("“楼栋夜话”工作法", "议题收集"),
            ],
        ),
        (
            "社区推行“邻里守望”机制：“一键呼叫”“定期探访”。",
            [("“邻里守望”机制", "一键呼叫"), ("“邻里守望”机制", "定期探访")],
        ),
    ],
)
def test_parts_listed_next_to_a_practice(text: str, wanted: list[tuple[str, str]]) -> None:
    assert parts(text) == wanted


def test_a_formulas_numbers_explained_one_by_one_give_its_parts() -> None:
    text = "东林县推出“2+1”模式——“2”指院落清扫、楼道亮灯两件实事，“1”指成立楼栋自管会。"
    assert parts(text) == [
        ("“2+1”模式", "成立楼栋自管会"),
        ("“2+1”模式", "楼道亮灯"),
        ("“2+1”模式", "院落清扫"),
    ]


def test_parts_set_up_in_parallel_clauses_are_the_bodies() -> None:
    text = "该县推出“两级议事会”，在村一级设村民议事会、在镇一级设乡贤议事会。"
    clause = (0, text.index("，"))
    found = find_quoted(text, *clause)
    pairs = sorted((found[w].name, found[p].name) for w, p in find_parts(text, clause, found))
    assert pairs == [("两级议事会", "乡贤议事会"), ("两级议事会", "村民议事会")]


def test_bodies_listed_as_parts_are_parts_and_organisations_both() -> None:
    text = "绍兴市柯桥区安昌街道组建“两委一队”，由治保委员会、调解委员会和护村巡逻队组成。"
    bodies = ["护村巡逻队", "治保委员会", "调解委员会"]
    assert parts(text) == [("两委一队", body) for body in bodies]
    graph = extract_text(text, "bodies.txt")
    assert set(bodies) <= {n.name for n in graph.nodes if n.label == "Organisation"}


def test_a_clause_that_goes_on_after_a_comma_is_no_list_of_parts() -> None:
    assert parts("某社区打造“2+X”协商机制，依托睦邻理事会为老年人和困难家庭提供上门服务。") == []


def test_a_trigger_word_makes_parts_whatever_the_count_in_the_name() -> None:
    text = "某乡构建包括“院落服务中心、和美调解站、平安便民联盟、议事评议驿站”在内的“五心治理模式”。"
    assert [p for _, p in parts(text)] == ["和美调解站", "平安便民联盟", "议事评议驿站", "院落服务中心"]


def test_a_list_whose_count_does_not_match_the_name_gives_no_parts() -> None:
    assert parts("社区推行“三联工程”：联户、联岗。") == []


def test_a_numbered_name_whose_parts_are_listed_is_a_practice() -> None:
    text = "核心是“两个下沉”，包括“人员下沉”“服务下沉”两个方面。"
    assert mechanisms(text) == ["两个下沉"]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("白沙县在全县推行村级事务阳光清单制度，", ["村级事务阳光清单制度"]),
        ("各村按照三议两公开工作法办理，", ["三议两公开工作法"]),
        ("该村总结出四步议事法，", ["四步议事法"]),
        ("东林县推行红黑榜制，", ["红黑榜制"]),
        ("这种做法随后被统一命名为院坝协商，", ["院坝协商"]),
        ("后来又试行了开放式预算，", ["开放式预算"]),
        ("社区推行网格化管理，", ["网格化管理"]),
    ],
)
def test_practices_named_without_quotes(text: str, wanted: list[str]) -> None:
    assert unquoted(text) == wanted


@pytest.mark.parametrize(
    "text",
    [
        "这套“一个平台、两项制度”的安排，",  # a counted noun inside a turned-down quote
        "调解员按照这套机制上门调处，",  # a pointed-at noun
        "社区要加强精细化管理，",  # an aim, not a practice put in place
        "该镇一律按规定办法执行，",  # 一律 is no numeral of a name
        "新班子被定名为村民委员会，",  # a body
    ],
)
def test_unquoted_words_that_are_not_practices(text: str) -> None:
    assert unquoted(text) == []


def test_the_name_in_a_numbered_heading_after_its_place() -> None:
    text = "五、某省东林县：县直管社区\n东林县撤销街道。"
    clause_end = text.index("\n")
    clause_start = text.index("：") + 1
    found = find_unquoted_mechanisms(text, clause_start, clause_end, [])
    assert [f.name for f in found] == ["县直管社区"]


def test_found_keeps_its_fields() -> None:
    item = Found("Mechanism", 0, 2, "甲乙")
    assert (item.group, item.parts_group, item.strong) == (-1, -1, True)


def test_a_practice_in_single_quotes_alone_is_still_read() -> None:
    # The clause holds no double quote: the reader's fast path must know ‘ opens a quoted term too.
    assert mechanisms("某县推行‘邻里议事会’制度。") == ["‘邻里议事会’制度"]
