"""Blocks, sentences and clauses with offsets into the stored text."""

from __future__ import annotations

from govkg.loaders.sentences import Block, clauses, sentences, split_blocks


def _sentences(text: str) -> list[str]:
    block = Block(0, len(text), "paragraph")
    return [text[s.start : s.end] for s in sentences(text, block, 0)]


def test_sentences_split_after_end_marks_and_keep_quotes_whole() -> None:
    text = "他说：“我们来了。你们呢？”然后离开；大家鼓掌!最后散会"
    assert _sentences(text) == ["他说：“我们来了。你们呢？”", "然后离开；", "大家鼓掌!", "最后散会"]


def test_sentence_offsets_point_into_the_text() -> None:
    text = "  第一句。 第二句！"
    block = Block(0, len(text), "paragraph")
    for s in sentences(text, block, 0):
        assert text[s.start : s.end].strip() == text[s.start : s.end]
        assert text[s.start : s.end] in ("第一句。", "第二句！")


def test_an_unclosed_quote_does_not_swallow_the_paragraph() -> None:
    text = "开头“没有收尾。" + "正文。" * 120
    assert len(_sentences(text)) == 121


def test_clauses_split_at_commas_outside_quotes() -> None:
    text = "平江街道推行“老街坊议事会，每月一次”机制，由居委会牵头：组织居民"
    parts = [text[s:e] for s, e in clauses(text, 0, len(text))]
    assert parts == ["平江街道推行“老街坊议事会，每月一次”机制", "由居委会牵头", "组织居民"]


def test_headings_title_paragraphs_and_metadata() -> None:
    text = "姑苏区工作总结\n作者：测试组\n一、健全议事协商\n平江街道推行议事协商机制，每月议事一次。\n来源：测试"
    blocks = split_blocks(text, text, {1, 4}, markdown=False)
    assert [b.kind for b in blocks] == ["title", "meta", "heading", "paragraph", "meta"]


def test_markdown_headings_are_read_from_the_source() -> None:
    source = "# 总结\n\n## 一、做法\n\n正文一句话，内容完整。"
    masked = "  总结\n\n   一、做法\n\n正文一句话，内容完整。"
    blocks = split_blocks(masked, source, set(), markdown=True)
    assert [(b.kind, masked[b.start : b.end]) for b in blocks] == [
        ("title", "总结"),
        ("heading", "一、做法"),
        ("paragraph", "正文一句话，内容完整。"),
    ]
