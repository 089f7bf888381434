"""Zone mentions in running text: what is a unit and what only looks like one (made-up sentences)."""

from __future__ import annotations

import pytest

from govkg.loaders.zone_mentions import ZoneMention, find_zone_mentions


def mentions(text: str) -> list[ZoneMention]:
    return find_zone_mentions(text, [(0, len(text))])


def names(text: str) -> set[str]:
    found = set()
    for mention in mentions(text):
        found.add(text[mention.start : mention.end])
    return found


@pytest.mark.parametrize(
    "text",
    [
        "老周一大早就带着村民去修路。",
        "过去大家都等着村委会拿主意。",
        "如今年轻人回村创业的多了。",
        "一块牌子上写着“小事不出村、大事不出镇”。",
        "文件要求加强法治乡村建设，推进数字乡村。",
        "这是一个江南小镇，也是一个海岛渔村。",
        "全市打造了一批互嵌式社区，其中有十个市级试点社区。",
        "他们登记成立了某某社区互助中心。",
        "研究者对美国社区的研究表明社团很重要。",
        "随着城镇化推进，矛盾也变了。",
    ],
)
def test_words_ending_like_units_are_not_zones(text: str) -> None:
    assert mentions(text) == []


def test_a_town_and_its_village_written_together_are_a_chain() -> None:
    text = "在青坪镇柳家湾村，理事会每月开会。"  # invented names
    found = mentions(text)
    assert [text[m.start : m.end] for m in found] == ["青坪镇", "柳家湾村"]
    assert found[1].chain[-2].key == found[0].zone.key
    assert found[1].zone.level == "village"


def test_units_listed_together_are_each_a_zone() -> None:
    text = "县里把理事会建到了石桥村、新屋村、梨山村等12个村。"  # invented names
    assert {"石桥村", "新屋村", "梨山村"} <= names(text)


def test_a_former_unit_after_its_town() -> None:
    text = "浙江省湖州市安吉县孝丰镇原龙溪村成立了议事会。"  # real county and town, invented village
    found = mentions(text)
    assert found[-1].zone.key.endswith("孝丰镇龙溪村")


def test_a_city_short_form_alone_is_a_zone_when_it_is_a_place_word() -> None:
    text = "南京走的是另一条路：社区物业全覆盖。"  # written for testing
    assert [m.zone.name for m in mentions(text)] == ["南京市"]
    assert mentions("沿着南京路一直走。") == []


def test_a_city_short_form_does_not_start_a_lane_community() -> None:
    found = mentions("天津和平区朝阳里社区举办活动。")  # invented community
    assert all(ref.name != "朝阳市" for m in found for ref in m.chain)


def test_a_district_inside_a_longer_word_is_not_matched() -> None:
    # 粤西|山区 (the mountains of western Guangdong), not Kunming's 西山区.
    assert mentions("粤西山区的群众") == []
