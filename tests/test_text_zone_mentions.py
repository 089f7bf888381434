"""Zone mentions in running text: every level, parent chains, short forms, context, non-zones."""

from __future__ import annotations

from govkg.graph.model import node_id
from govkg.loaders.cleanup import clean
from govkg.loaders.zone_mentions import ZoneMention, find_zone_mentions
from govkg.resources import BUNDLED_CORPUS_DIR


def mentions(text: str) -> list[ZoneMention]:
    lines, spans, offset = text.split("\n"), [], 0
    for line in lines:
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return find_zone_mentions(text, spans)


def test_article_zones_are_found_with_their_chains() -> None:
    text = clean((BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt").read_text(encoding="utf-8")).match
    found = {m.zone.key for m in mentions(text)}
    assert {
        "浙江省",
        "浙江省嘉兴市平湖市当湖街道",
        "浙江省宁波市镇海区",
        "浙江省杭州市江干区",
        "浙江省温州市五马街道",
        "浙江省杭州市余杭区",
        "浙江省杭州市西湖区",
        "浙江省嘉兴市海宁市",
        "浙江省丽水市龙泉市宝溪乡",
        "浙江省宁波市江北区文教街道",
        "浙江省金华市兰溪市兰江街道",
    } == found


def test_words_that_look_like_places_are_not_zones() -> None:
    # Written for testing.
    text = (
        "城乡社区是基层治理的单元，乡村社区和城市社区都在辖区内建设小区，"
        "为中西部地区和欠发达地区提供经验；城镇化率提高，村(居)委会换届。"
    )
    assert mentions(text) == []


def test_a_later_short_form_is_the_same_zone() -> None:
    # Written for testing.
    text = "宁波市江北区文教街道建立议事会。\n此后，文教街道又设立服务站，江北区推广了这一做法。"
    found = mentions(text)
    keys = [m.zone.key for m in found]
    assert keys == ["浙江省宁波市江北区文教街道", "浙江省宁波市江北区文教街道", "浙江省宁波市江北区"]
    assert [m.full for m in found] == [True, False, False]
    assert text[found[1].start : found[1].end] == "文教街道"


def test_the_province_of_the_text_settles_an_ambiguous_district() -> None:
    # Written for testing: 西湖区 exists in Hangzhou (Zhejiang) and Nanchang (Jiangxi).
    in_zhejiang = mentions("浙江省推进社区治理。西湖区率先试点。")
    assert in_zhejiang[-1].zone.node_id == node_id("Zone", "浙江省杭州市西湖区")
    in_jiangxi = mentions("江西省推进社区治理。西湖区率先试点。")
    assert in_jiangxi[-1].zone.node_id == node_id("Zone", "江西省南昌市西湖区")
    alone = mentions("西湖区率先试点。")
    assert alone[-1].zone.key == "西湖区" and len(alone[-1].chain) == 1


def test_a_unit_named_alone_hangs_under_the_last_zone_that_can_hold_it() -> None:
    # Written for testing (real county and towns, invented sentence).
    text = "浙江省湖州市安吉县天荒坪镇余村地处山区。\n同属安吉县的孝丰镇也开展了活动。"
    found = mentions(text)
    assert [m.zone.key for m in found] == [
        "浙江省湖州市安吉县天荒坪镇余村",
        "浙江省湖州市安吉县",
        "浙江省湖州市安吉县孝丰镇",
    ]
    assert found[0].zone.level == "village" and found[-1].zone.level == "town"
    assert found[-1].chain[-2].key == "浙江省湖州市安吉县"


def test_traditional_text_is_matched_through_the_folded_text() -> None:
    raw = "寧波市江北區文教街道推行互助機制。"  # written for testing
    cleaned = clean(raw)
    found = mentions(cleaned.match)
    assert found[0].zone.key == "浙江省宁波市江北区文教街道"
    assert raw[found[0].start : found[0].end] == "寧波市江北區文教街道"


def test_a_city_name_before_社区_is_a_topic_not_a_community() -> None:
    assert mentions("深圳社区治理观察")[:1] == []  # written for testing


def test_the_display_name_is_written_below_the_province() -> None:
    (mention,) = mentions("广东省深圳市南山区蛇口街道成立议事会。")  # written for testing
    assert mention.zone.name == "深圳市南山区蛇口街道"
    assert "广东省深圳市南山区蛇口街道" in mention.zone.aliases


def test_units_the_division_table_does_not_know_yet() -> None:
    # Written for testing: 郫都区 (2016) is newer than the division table; 唐昌 and 青杠树 are
    # names jieba can only cut into single characters.
    text = "四川省成都市郫都区战旗村地处平原。\n战旗村位于郫都区唐昌街道。\n邻近的青杠树村也发展旅游。"
    keys = [m.zone.key for m in mentions(text)]
    assert keys[0] == "四川省成都市郫都区战旗村"
    assert "四川省成都市郫都区唐昌街道" in keys
    assert any(k.endswith("青杠树村") for k in keys)
    district = mentions(text)[0].chain[2]
    assert (district.name, district.level, district.code) == ("郫都区", "district", None)


def test_a_named_centre_is_not_a_community() -> None:
    text = "通过街道级公益组织——和音坊社区服务中心,推动社区教育"
    assert mentions(text) == []
