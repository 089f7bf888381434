"""Text hygiene: the site footer, line endings and Markdown markup, with offsets kept."""

from __future__ import annotations

from govkg.loaders.cleanup import clean, cut_footer, mask_markdown
from govkg.resources import BUNDLED_CORPUS_DIR

ARTICLE = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"


def test_article_footer_is_cut_and_publication_lines_kept() -> None:
    cleaned = clean(ARTICLE.read_text(encoding="utf-8"))
    assert "版权" not in cleaned.stored and "450952431@qq.com" not in cleaned.stored
    assert cleaned.stored.endswith("编辑:JUNYU 审编:admin")
    assert cleaned.footer.startswith("中国公益新闻网版权及免责声明")
    assert len(cleaned.match) == len(cleaned.stored)


def test_copyright_words_early_in_a_text_are_not_a_footer() -> None:
    # Written for testing: a case that talks about copyright in its opening lines.
    text = "某社区开展版权保护宣传。\n居民参与踊跃。\n志愿者上门讲解。\n活动持续一个月。"
    stored, footer = cut_footer(text)
    assert stored == text and footer == ""


def test_line_endings_and_byte_order_mark() -> None:
    cleaned = clean("\ufeff第一行\r\n第二行\r第三行")
    assert cleaned.stored == "第一行\n第二行\n第三行"


def test_markdown_markup_is_blanked_in_place() -> None:
    source = "# 标题\n\n**平江街道**推行[“老街坊议事会”](https://example.org/x)机制。\n- 列表项"
    masked = mask_markdown(source)
    assert len(masked) == len(source)
    assert masked.startswith("  标题")
    start = source.index("平江街道")
    assert masked[start : start + 4] == "平江街道"
    assert "**" not in masked and "https" not in masked and "](" not in masked
    assert "“老街坊议事会”" in masked  # link words stay
    assert masked.endswith("  列表项")
