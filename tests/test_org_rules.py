"""Rules that read organisation names out of running text. Every sentence here is invented, written
in the genre (places and bodies made up or generic), never taken from a development text."""

from __future__ import annotations

import pytest

from govkg.loaders.entities import find_organisations


def names(text: str) -> list[str]:
    return [text[o.start : o.end] for o in find_organisations(text, 0, len(text), [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("去年青禾县委组织部牵头开展培训", ["青禾县委组织部"]),  # a level's organ as a modifier
        ("此后，云岭市政府印发了通知", ["云岭市政府"]),
        ("由石渠镇司法所负责调处", ["石渠镇司法所"]),
        ("县大数据局还提供了技术支持", ["县大数据局"]),  # a one-character head after a field
        ("公安部、民政部联合发文", ["公安部", "民政部"]),  # ministries: the field names one
        ("中央政法委在全国推广", ["中央政法委"]),
        ("由白沙社区党委统筹", ["白沙社区党委"]),
        ("在某某区青山街道党工委的指导下", ["青山街道党工委"]),  # one zone: the nearer one's organ
        ("据温塘区委宣传部介绍", ["温塘区委宣传部"]),  # the longest reading wins over 温塘区委
    ],
)
def test_party_and_government_bodies_with_their_level_or_place(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("村民们发起成立荷塘文体协会", ["荷塘文体协会"]),  # stops at the verb that sets it up
        ("村里还召开乡贤理事会商量", ["乡贤理事会"]),
        ("部分村民组成红白理事会", ["红白理事会"]),
        ("由居民自治管理委员会负责日常事务", ["居民自治管理委员会"]),  # a compound with its subject
        ("镇里组建了一支巡防队", ["巡防队"]),  # the task names a team
        ("委托给桂园物业服务有限公司运营", ["桂园物业服务有限公司"]),
        ("孵化出“晨光”读书俱乐部等组织", ["“晨光”读书俱乐部"]),  # a quoted name inside the body's name
        ("时任居委会党支部书记的老陈说", ["居委会党支部"]),  # 时任 brings in a post
    ],
)
def test_name_boundaries_stop_at_verbs_post_words_and_function_words(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "物业公司撤场后，小区一度无人管理",  # an unnamed firm
        "相关部门和基层党组织要加强指导",  # generic types
        "各级政府要支持社会组织发展",
        "党员、居民、志愿者和网格员都参与了",  # role words
        "全县村干部集中培训",  # 干部 is a person, not a 部
        "先后召开了8轮议事会",  # a meeting counted, not a body
        "社区新建的议事厅和活动场所已投入使用",  # facilities
        "参与设计“议事会、理事会、监事会”三会联动",  # inside quotes: a practice's parts
    ],
)
def test_not_organisations(text: str) -> None:
    assert names(text) == []


def test_standalone_committees_and_central_organs() -> None:
    text = "国务院办公厅印发意见后，各地村民委员会和居委会逐一落实，中办、国办也有部署"
    found = [(o.name, o.entry) for o in find_organisations(text, 0, len(text), [])]
    assert ("国务院办公厅", True) in found
    assert ("村委会", True) in found  # 村民委员会 written, the committee type named
    assert ("居委会", True) in found
    assert ("中共中央办公厅", True) in found and ("国务院办公厅", True) in found


def test_a_level_before_a_generic_type_is_kept_as_written_on_the_type() -> None:
    text = "由社区党委牵头"
    [org] = find_organisations(text, 0, len(text), [])
    assert (org.name, text[org.start : org.end], org.entry) == ("党委", "社区党委", True)


def test_a_two_character_name_jieba_cannot_join_stays_in_the_body_s_name() -> None:
    # Written for testing: 霞|月 and 映|月 are cut into lone characters, 月 with a numeral's tag.
    assert names("依托霞月邻里互助会为老年人提供上门服务。") == ["霞月邻里互助会"]
    assert names("由映月民情恳谈会牵头，组织居民协商。") == ["映月民情恳谈会"]
    assert names("村里的村民小组每月开会。") == []


def test_a_region_that_ends_like_a_ministry_is_no_body() -> None:
    assert names("为广大中西部地区乡村社区治理提供经验借鉴。") == []
