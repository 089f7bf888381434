"""Publication lines of web pages: a date before the fields, page buttons, breadcrumbs (made-up pages)."""

from __future__ import annotations

from govkg.loaders.metadata import read_metadata


def test_a_publication_line_may_open_with_its_date_and_time() -> None:
    text = "某县推行议事会制度\n2020-03-02 10:15:20　来源：县融媒体中心　责任编辑：李某\n正文第一段，不是元数据。"
    meta = read_metadata(text)
    assert meta.source == "县融媒体中心"
    assert meta.date == "2020-03-02"
    assert meta.extra == {"editor": "李某"}
    assert meta.lines == {1}


def test_page_buttons_before_a_field_and_breadcrumbs_are_metadata() -> None:
    text = (
        "首页 > 新闻中心 > 正文\n某社区的议事厅\n正文第一段，内容较长，不是元数据。\n【打印】【关闭】　责任编辑：王某"
    )
    meta = read_metadata(text)
    assert meta.lines == {0, 3}
    assert meta.extra == {"editor": "王某"}


def test_a_source_line_is_never_the_title() -> None:
    from govkg.loaders.text_extractor import extract_text

    text = "来源：区融媒体中心\n\n某街道推行“楼栋议事”\n\n某街道2021年起在各社区推行楼栋议事，居民每月议一次事。"
    document = extract_text(text).documents[0]
    assert "来源" not in document.title
