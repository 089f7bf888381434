"""Hostile case sheets are refused with one line, quickly and without a traceback (issue 11)."""

from __future__ import annotations

import time

import pytest

from govkg.errors import InputError
from govkg.loaders.case_sheet import case_sheet_from_text

HEAD = "source: {publication: 中国社会报}\nzone: {name: 平湖市当湖街道, level: street}\n"


def _refused(text: str, path: str = "attack.yaml") -> str:
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        case_sheet_from_text(text, path)
    assert time.monotonic() - started < 10  # refused, not worked through
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    text = HEAD + "x: &big " + "汉" * 100_000 + "\nmechanisms:\n" + "".join("  - *big\n" for _ in range(2_000))
    assert "aliases" in _refused(text)


def test_a_sheet_nested_beyond_reason_is_refused() -> None:
    assert "deeper" in _refused("[" * 100_000 + "]" * 100_000, "deep.json")
    assert "deeper" in _refused(HEAD + "mechanisms:\n  - " + "[" * 5_000 + "]" * 5_000 + "\n")


def test_a_date_that_does_not_exist_and_broken_unicode_are_named() -> None:
    assert "2018-12-31" in _refused(HEAD + "mechanisms:\n  - {name: 三级友邻}\ndate: 2018-13-45\n")
    assert "Unicode" in _refused(HEAD + 'mechanisms:\n  - "\\ud800"\n')
