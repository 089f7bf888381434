"""Organisations (bodies only, never roles) and policies named in sentences."""

from __future__ import annotations

from govkg.loaders.entities import find_organisations, find_policies, year_before


def orgs(text: str) -> list[tuple[str, str]]:
    return [(o.name, o.kind) for o in find_organisations(text, 0, len(text), [])]


def test_one_surface_for_two_committees() -> None:
    assert orgs("全面推进村(居)委会“自荐直选”制度") == [("居委会", "committee"), ("村委会", "committee")]


def test_a_named_body_after_a_dash_takes_its_whole_name_and_the_apposition_kind() -> None:
    found = orgs("宁波市江北区文教街道通过街道级公益组织——和音坊社区服务中心,推动社区教育")
    assert found == [("和音坊社区服务中心", "social-organisation")]  # 公益组织 is a type, not a body


def test_a_named_group_is_not_also_read_as_its_members() -> None:
    found = orgs("温州市五马街道创新组建党员邻里互助组,以楼幢为单元")
    assert found == [("党员邻里互助组", "mutual-aid-group")]


def test_people_roles_and_bare_generic_types_are_not_organisations() -> None:
    # Role words (党员, 社工) name people; a bare type (党组织, 社会组织) names no one body.
    assert orgs("动员辖区内的党组织和党员参与社区治理,引进培育社会组织,吸引培养社工人才") == []
    assert orgs("志愿者、网格员、楼长和乡贤上门走访群众,居民和村民都来参加") == []


def test_organisations_inside_a_practice_name_are_left_to_the_practice() -> None:
    text = "“社工委员”专职专选做法"
    assert find_organisations(text, 0, len(text), [(0, len(text))]) == []


def test_policies_by_title_and_by_ending_with_kinds() -> None:
    text = "海宁市于2017年实行村社同步换届,姑苏区民政局出台《社区社会组织培育扶持办法》,做法写进选举办法"
    found = [(p.name, p.kind) for p in find_policies(text, 0, len(text), [])]
    assert found == [
        ("村社同步换届", "election-rule"),
        ("社区社会组织培育扶持办法", "regulation"),
        ("选举办法", "regulation"),
    ]


def test_generic_standards_are_not_policies() -> None:
    text = "先期制定的6个具体标准和下步需要制定完善的N个标准"
    assert find_policies(text, 0, len(text), []) == []


def test_year_is_read_before_the_policy_in_its_clause() -> None:
    text = "海宁市于2017年实行村社同步换届"
    assert year_before(text, 0, text.index("村社")) == 2017
    assert year_before("实行村社同步换届", 0, 2) is None
