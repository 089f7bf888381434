"""Zone rules of the genre: chains of units in one name, short forms, non-places (made-up examples)."""

from __future__ import annotations

from govkg.loaders.zones import resolve_zone_chain


def test_a_village_name_is_never_glued_to_the_town_before_it() -> None:
    # Invented names: the town's stem ends in 村 (兴村镇 is a town, not a village 兴村 + 镇…).
    chain = resolve_zone_chain("河北省沧州市青县杏村镇东庄村")
    assert [(r.key.removeprefix("河北省沧州市青县"), r.level) for r in chain[-2:]] == [
        ("杏村镇", "town"),
        ("杏村镇东庄村", "village"),
    ]
    assert "东庄村" in chain[-1].aliases


def test_upper_units_keep_the_short_form_the_text_writes() -> None:
    chain = resolve_zone_chain("浙江湖州市安吉县")
    assert chain[0].name == "浙江省" and "浙江" in chain[0].aliases


def test_a_short_form_does_not_swallow_a_newer_district() -> None:
    # 宜州市 became 宜州区 in 2016; the table still has the city. The sub-county names are invented.
    chain = resolve_zone_chain("广西河池市宜州区石岭乡凤凰村")
    names = [r.name for r in chain]
    assert "宜州区" in names and not any(n.startswith("区") for n in names)
    assert chain[-2].level == "township"


def test_divisions_that_cannot_nest_are_no_place() -> None:
    # A title (a province's 'safe district'), not Qinghai's 平安区 inside Zhejiang.
    assert resolve_zone_chain("浙江省平安区") == []


def test_natural_villages_and_shanghai_residents_areas() -> None:
    assert resolve_zone_chain("弄岗屯")[-1].level == "village"
    area = resolve_zone_chain("长风三村居民区")
    assert [(r.name, r.level) for r in area] == [("长风三村居民区", "community")]
