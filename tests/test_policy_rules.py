"""Rules that find named documents (policies). Every sentence here is invented, written in the
genre, never taken from a development text."""

from __future__ import annotations

import pytest

from govkg.loaders.entities import find_policies


def names(text: str) -> list[str]:
    return [p.name for p in find_policies(text, 0, len(text), [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年中央一号文件提出要完善乡村治理", ["中央一号文件"]),
        ("党的十九大报告强调共建共治共享", ["党的十九大报告"]),
        ("结合“十五五”规划实施，继续推进", ["“十五五”规划"]),
        ("自治组织的地位写入1954年宪法", ["1954年宪法"]),
    ],
)
def test_serial_documents_named_bare(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_titles_that_end_like_documents_or_are_issued_or_typed() -> None:
    text = (
        "县政府印发《关于推进邻里互助的若干措施》，又出台《山溪县议事规则》；"
        "《乡村议事术语》《乡村议事流程》两项地方标准随后发布"
    )
    assert names(text) == ["关于推进邻里互助的若干措施", "山溪县议事规则", "乡村议事术语", "乡村议事流程"]


@pytest.mark.parametrize(
    "text",
    [
        "积分记入《爱心积分手册》，可兑换生活用品",  # a booklet, not a document issued
        "该县推广《三联工程》，成效明显",  # a practice in book-title marks
        "据《城乡周刊》报道",  # a paper
    ],
)
def test_titles_of_other_things_are_not_policies(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "县里发布乡贤议事会县级地方标准",  # a document of a grade, not named
        "把成果固化成一套标准",  # a count
        "这是当地的老办法",  # an adjective
        "清单内容上升为标准规范",  # two endings, no name
        "对议事的运行作出规范",  # a clause with its verb
    ],
)
def test_documents_mentioned_without_a_name_are_not_policies(text: str) -> None:
    assert names(text) == []
