"""Folding for matching: traditional and full-width forms match as simplified, offsets unchanged."""

from __future__ import annotations

from govkg.text import fold, to_simplified


def test_fold_keeps_length_and_positions() -> None:
    text = "寧波市江北區文教街道推行「鄰里守望」互助機制，共設崗位９個。"  # written for testing
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("宁波市江北区文教街道推行")
    start = folded.index("邻里守望")
    assert text[start : start + 4] == "鄰里守望"  # an offset in the folded text points at the original words


def test_full_width_letters_digits_and_plus_fold_to_ascii() -> None:
    assert fold("“１２４６＋Ｎ”") == "“1246+N”"
    assert fold("\u3000社区") == " 社区"


def test_sentence_punctuation_and_quotes_keep_their_form() -> None:
    text = "“余杭‘1+3’基层协商治理模式”。《意见》：（一）"
    assert fold(text) == text


def test_to_simplified_strips_outer_spaces() -> None:
    assert to_simplified("  當湖街道 ") == "当湖街道"


def test_characters_of_double_duty_fold_only_in_traditional_writing() -> None:
    # Written for testing: 乾元镇 and 於潜镇 are real towns whose names keep 乾 and 於 in simplified writing.
    simplified = "湖州市德清县乾元镇推行积分制，临安区於潜镇也在推行。"
    assert fold(simplified) == simplified
    assert fold("這條街很乾淨，於是鄰居們都說好。") == "这条街很干净，于是邻居们都说好。"
