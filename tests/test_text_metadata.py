"""Metadata lines: byline, source, editor, date; and that they stay out of extraction."""

from __future__ import annotations

from govkg.loaders.metadata import read_metadata


def test_article_style_byline_and_publication_lines() -> None:
    text = "本报记者 翟 倩\n正文第一段，内容较长，不是元数据。\n来源:中国社会报\n编辑:JUNYU 审编:admin"
    meta = read_metadata(text)
    assert meta.author == "翟倩"  # a name spaced out character by character is one name
    assert meta.source == "中国社会报"
    assert meta.extra == {"editor": "JUNYU", "reviewer": "admin"}
    assert meta.lines == {0, 2, 3}


def test_several_authors_and_dates() -> None:
    meta = read_metadata("记者 张三 李四\n发布时间：2018-05-21 09:30\n正文。")
    assert meta.author == "张三、李四"
    assert meta.date == "2018-05-21"
    assert read_metadata("2020年1月6日\n正文。").date == "2020-01-06"


def test_a_body_sentence_that_mentions_an_editor_is_not_metadata() -> None:
    text = "标题\n该社区请编辑：王某为居民讲解议事规则，并组织志愿者参与。"  # written for testing
    meta = read_metadata(text)
    assert meta.lines == set()
    assert meta.extra == {}
