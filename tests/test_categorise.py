"""Categories reach practices whose names hold no cue: through their parts and their description.

Every example is invented for the test (made-up practice names in the genre's style), not taken
from any case text.
"""

from __future__ import annotations

from govkg.loaders.categorise import mechanism_categories, unquoted
from govkg.loaders.taxonomy import load_taxonomy


def keys(names: list[str], **kwargs: object) -> dict[str, str]:
    found = mechanism_categories(names, taxonomy=load_taxonomy(), **kwargs)  # type: ignore[arg-type]
    return {m.category.key: m.cue for m in found}


def test_a_name_with_a_cue_decides_alone() -> None:
    # The description's 网格平台 would add a kind the name does not give.
    named = keys(["睦邻议事会"], description="社区依托网格平台，每月召开一次睦邻议事会。")
    assert named["deliberation"] == "议事" and "grid-digital" not in named


def test_parts_speak_for_the_whole() -> None:
    found = keys(["七步工作法"], parts=["小事常商量", "大事共商议"])
    assert found["deliberation"] in ("商量", "商议")


def test_the_description_classes_a_name_without_a_cue() -> None:
    found = keys(["石桥模式"], description="石桥村推行“石桥模式”，由村民代表协商村里的大小事务。")
    assert "deliberation" in found and found["deliberation"] == "协商"
    assert "village-governance" in found


def test_quoted_terms_in_the_description_are_other_things() -> None:
    # A neighbour in a list of practices carries its own cue, not this practice's.
    found = keys(["晚霞行动"], description="该县先后推出“红色议事厅”“晚霞行动”“一网通办”三项做法。")
    assert found == {}
    assert unquoted("推出“一网通办”和“晚霞行动”") == "推出，和，"


def test_the_clause_is_the_last_resort() -> None:
    assert keys(["晚霞行动"], context="街道以“晚霞行动”为老年人提供上门服务") == {"community-services": "上门"}
    assert keys(["晚霞行动"], description="街道启动“晚霞行动”。", context="街道以网格为单位开展") == {
        "grid-digital": "网格"
    }


def test_traditional_characters_match_the_simplified_cues() -> None:
    assert "deliberation" in keys(["鄰里協商會"])
    assert "mediation" in keys(["三級調解網"])


def test_a_cue_inside_a_longer_word_is_no_cue() -> None:
    # 村社 is no cue in 乡村社区 (乡村|社区); 乡村 is one.
    found = keys(["乡村社区营造"])
    assert "urban-rural" not in found
    assert found.get("village-governance") == "乡村"
