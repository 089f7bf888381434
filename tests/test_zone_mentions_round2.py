"""Zone mentions, second round: name shapes the first rules missed (made-up sentences in the genre)."""

from __future__ import annotations

from govkg.loaders.zone_mentions import ZoneMention, find_zone_mentions


def mentions(text: str) -> list[ZoneMention]:
    return find_zone_mentions(text, [(0, len(text))])


def written(text: str) -> list[str]:
    return [text[m.start : m.end] for m in mentions(text)]


def zone_names(text: str) -> set[str]:
    return {form for m in mentions(text) for form in (m.zone.name, *m.zone.aliases)}


def test_a_town_whose_name_holds_a_village_ending() -> None:
    text = "在柳村镇上村村，老王是十户长。"  # invented names: jieba reads 村镇 as one word
    found = mentions(text)
    assert written(text) == ["柳村镇", "上村村"]
    assert found[1].chain[-2].key == found[0].zone.key


def test_a_shanghai_residents_area_named_after_a_numbered_estate() -> None:
    text = "疫情期间，某某街道长乐三村居民区也在平台上发布日志。"  # invented
    assert "长乐三村居民区" in zone_names(text)


def test_a_same_rank_ending_far_from_the_unit_is_no_part_of_its_name() -> None:
    text = "他们在自然村设议事会、在行政村设社区理事会。"
    assert mentions(text) == []


def test_anonymised_units_chain() -> None:
    text = "笔者在中部某省K县P社区调研时发现，K县民政局按项目拨付经费。"  # invented
    found = mentions(text)
    assert written(text) == ["K县", "P社区", "K县"]
    assert found[1].chain[0].name == "K县"
    assert found[1].zone.level == "community"


def test_anonymised_letters_inside_other_words_are_no_units() -> None:
    for text in ("活动委托给D社区服务有限公司运营。", "小区分为A区和B区两部分。", "景区评为5A级景区。"):
        assert mentions(text) == [], text


def test_a_passive_marker_ends_a_stem() -> None:
    assert mentions("成员都是德高望重受乡人敬重的能人。") == []


def test_a_county_since_made_a_city_is_a_zone_of_its_own() -> None:
    text = "上世纪80年代，浙江海宁县（今海宁市）的农民就办起了议事会。"  # real places, invented event
    found = {text[m.start : m.end]: m for m in mentions(text)}
    assert found["海宁县"].zone.name == "海宁县"
    assert found["海宁县"].zone.level == "county"
    assert found["海宁县"].chain[-2].name == "嘉兴市"
    assert found["海宁县"].zone.key != found["海宁市"].zone.key


def test_former_districts_marked_by_cues() -> None:
    text = "在原青崖山区先行试点后，市里又撤销青崖山区、白鹭湾区，设立新区。"  # invented districts
    assert {"青崖山区", "白鹭湾区"} <= set(written(text))


def test_a_common_word_in_qu_is_no_former_district() -> None:
    for text in ("这里原山区的村民都搬了出来。", "原景区门口摆满了摊位。", "县级层面统一部署。"):
        assert mentions(text) == [], text


def test_names_sharing_one_unit_word_are_each_a_unit() -> None:
    text = "瑞安市试点成功后，2010年，塘下、马屿、陶山等镇也先后推行。"  # real towns, invented event
    found = {text[m.start : m.end]: m.zone for m in mentions(text)}
    assert found["塘下"].name == "塘下镇"
    assert "塘下" in found["塘下"].aliases
    assert found["陶山"].level == "town"
    assert found["马屿"].key.startswith("浙江省温州市瑞安市")


def test_counties_sharing_one_unit_word_come_from_the_table() -> None:
    text = "这个村位于淳安、建德两县交界的山区。"
    found = {text[m.start : m.end]: m.zone for m in mentions(text)}
    assert found["淳安"].name == "淳安县"
    assert found["建德"].name == "建德市"


def test_a_list_of_common_words_before_a_unit_word_is_no_list() -> None:
    for text in ("要抓好产业、人才、文化等村级事务。", "党建、文化两个村都有。", "老人、儿童三个村民小组。"):
        assert mentions(text) == [], text


def test_a_count_that_does_not_match_the_names_is_no_list() -> None:
    assert mentions("他去过淳安、建德三县。") == []


def test_a_county_written_without_its_ending_after_its_province() -> None:
    text = "与之相似的还有浙江安吉的做法。"  # real places, invented claim
    found = {text[m.start : m.end]: m.zone for m in mentions(text)}
    assert found["安吉"].name == "安吉县"
    assert "安吉" in found["安吉"].aliases


def test_a_county_stem_that_opens_another_name_is_no_county() -> None:
    text = "他住在浙江安吉路上。"
    assert "安吉" not in written(text)


def test_a_naming_word_tagged_as_a_verb_names_a_unit() -> None:
    text = "宁波市江北区文教街道胜利社区党委牵头成立了议事会。"  # real street, invented community
    assert "胜利社区" in zone_names(text)
    assert "胜利村" in zone_names("他们在胜利村开会。")
    for phrase in ("要团结村民一起干。", "大家庆丰收村里热闹。"):
        assert mentions(phrase) == [], phrase


def test_a_heading_unit_takes_the_closer_chain_named_later() -> None:
    text = "二、浙江：胜利村的做法\n青坪镇胜利村从2019年起推行。"  # invented town and village
    chains = {m.zone.key for m in mentions(text) if m.zone.name == "胜利村"}
    assert len(chains) == 1
    assert "青坪镇" in next(iter(chains))


def test_an_estate_styled_community_name() -> None:
    assert "青山花园社区" in zone_names("长春市宽城区的青山花园社区曾是弃管小区。")  # invented community


def test_a_street_after_a_common_noun_of_place() -> None:
    assert "汇丰街道" in zone_names("县城汇丰街道有居民因噪声闹得不可开交。")  # invented street


def test_common_nouns_before_unit_words_are_no_units() -> None:
    for text in ("在城市街道和农村社区，干部都很忙。", "县城街道两旁种满了树。", "山区农村社区人口少。"):
        assert mentions(text) == [], text


def test_a_city_short_form_after_a_locative_preposition() -> None:
    text = "在金华，当地借鉴了邻县的做法。"  # 金华 is also a brand word for jieba
    assert "金华" in zone_names(text)


def test_a_neighbourhood_named_li_after_its_district() -> None:
    text = "· 天津河西区柳林里：楼门长制度的来历"  # real district, invented neighbourhood
    found = {text[m.start : m.end]: m.zone for m in mentions(text)}
    assert found["柳林里"].level == "community"
    for other in ("北京市西城区胡同里，人很多。", "北京市朝阳区小区里，人们议事。", "天津市南开区邻里，和睦。"):
        assert all(m.zone.level != "community" for m in mentions(other)), other
