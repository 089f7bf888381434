"""Named practices: quoted names, names read on after the quote, formulas, parts, non-practices."""

from __future__ import annotations

import pytest

from govkg.loaders.mechanisms import Found, find_parts, find_practice, find_quoted, find_unquoted_mechanisms


def quoted(text: str) -> list[Found]:
    return find_quoted(text, 0, len(text))


def test_name_continues_after_the_quote() -> None:
    # Sentences from the bundled article.
    (item,) = quoted("杭州市江干区从“邻里坊”工作机制入手")
    assert (item.label, item.name, item.core) == ("Mechanism", "“邻里坊”工作机制", "邻里坊")
    (item,) = quoted("率先提出了“1246+N”标准化体系框架,即1个基本范围")
    assert item.name == "“1246+N”标准化体系框架"
    (item,) = quoted("平湖市当湖街道立足于构建“三级友邻”的网络体系,明确")
    assert item.name == "“三级友邻”网络体系"
    (item,) = quoted("打造“教治”融通发展创新模式。")
    assert item.name == "“教治”融通发展创新模式"


def test_words_after_the_quote_that_are_not_a_name_stay_out() -> None:
    (item,) = quoted("把“四室五站两中心一校一场所”打造成社区服务综合体")
    assert item.name == "四室五站两中心一校一场所"
    (item,) = quoted("推行“三网六事法”标准化运行流程")
    assert item.name == "三网六事法"


def test_nested_quotes_are_kept_and_give_an_alias() -> None:
    (item,) = quoted("探索创建“余杭‘1+3’基层协商治理模式”,重点完善")
    assert item.name == "余杭‘1+3’基层协商治理模式"
    assert "1+3" in item.aliases


def test_practice_suffix_做法_is_dropped_from_the_name() -> None:
    (item,) = quoted("“社工委员”专职专选做法写进选举办法")
    assert (item.label, item.name) == ("Mechanism", "“社工委员”专职专选")


@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [
        ("全面推进党组织“两推一选”和", "Policy", "election-rule"),
        ("村(居)委会“自荐直选”制度,大胆创新", "Policy", "election-rule"),
        ("开展省级“社区治理与服务创新”实验区(以下简称实验区)", "Policy", "programme"),
        ("在各村推广“村民说事”制度,村民有事可以当面说", "Mechanism", ""),
    ],
)
def test_policies_and_practices_are_told_apart(text: str, label: str, kind: str) -> None:
    (item,) = quoted(text)
    assert (item.label, item.kind) == (label, kind)


@pytest.mark.parametrize(
    "text",
    [
        "在空间创设等方面实现了“五个迈向”。",  # a summary, not a practice
        "各种社区治理要素的简单“可视性”和标准化程度",  # an abstract quality
        "进一步夯实社区治理的“共同体”。",  # a concept
        "社区治理与服务创新的“重城市轻农村”问题普遍较为突出",  # a problem
        "以“完善基层协商、增强社区自治功能”为主题,探索",  # a theme slogan
        "共设“社工委员”岗位9个",  # a post
    ],
)
def test_quoted_words_that_are_not_practices(text: str) -> None:
    assert [f for f in quoted(text) if f.label == "Mechanism"] == []


def test_a_quoted_list_before_a_system_gives_its_parts() -> None:
    text = "构建包括“微平台、微组织、微机制、微基金”在内的“一微带四微”的治理体系"
    found = quoted(text)
    names = [f.name for f in found]
    assert names == ["微平台", "微组织", "微机制", "微基金", "“一微带四微”治理体系"]
    pairs = find_parts(text, (0, len(text)), found)
    assert sorted((found[w].name, found[p].name) for w, p in pairs) == [
        ("“一微带四微”治理体系", "微基金"),
        ("“一微带四微”治理体系", "微平台"),
        ("“一微带四微”治理体系", "微机制"),
        ("“一微带四微”治理体系", "微组织"),
    ]


def test_a_quoted_list_without_a_system_after_it_has_no_parts() -> None:
    text = "包括“微平台、微组织”两项"  # written for testing
    found = quoted(text)
    assert find_parts(text, (0, len(text)), found) == []


def test_unquoted_names_need_a_word_of_their_own() -> None:
    text = "成为社区建设的重要力量、社区微自治体系的重要基石,完善社区治理体系,充分发挥社区党建综合体的作用"
    names = [f.name for f in find_unquoted_mechanisms(text, 0, len(text), [])]
    assert names == ["社区微自治体系", "社区党建综合体"]


def test_a_fund_is_a_practice_but_a_foundation_is_not_read_as_one() -> None:
    text = "沧浪街道设立社区公益创投基金,联系社区基金会"  # written for testing
    names = [f.name for f in find_unquoted_mechanisms(text, 0, len(text), [])]
    assert names == ["社区公益创投基金"]


def test_a_practice_without_a_name_is_named_by_what_it_builds() -> None:
    text = "通过与淳朴乡土文化相结合,营造有文化灵魂的乡村社区,从类型上"
    found = find_practice(text, 0, len(text))
    assert found is not None and found.name == "营造有文化灵魂的乡村社区"
    assert find_practice("营造良好的社区氛围", 0, 9) is None  # written for testing: nothing of its own


def test_a_quoted_pair_with_a_name_after_it_is_one_name() -> None:
    (item,) = quoted("率先推行“街乡吹哨、部门报到”改革,各街道")  # written for testing
    assert item.name == "“街乡吹哨、部门报到”改革"


def test_a_numbered_summary_is_not_a_practice_but_a_numbered_method_is() -> None:
    assert quoted("实现了“五个迈向”。") == []
    (item,) = quoted("推行“三个一”工作法。")  # written for testing
    assert item.name == "“三个一”工作法"
