"""Extraction in worker processes gives the same graph as extraction in one, and a bad file still
stops the load with one error naming it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from repo import PROJECT_ROOT

from govkg.errors import InputError
from govkg.loaders.extract import _can_fork, expand_paths, extract_paths

BUNDLED = [PROJECT_ROOT / "data" / "corpus", PROJECT_ROOT / "data" / "cases"]


def test_workers_give_the_same_graph_as_one_process() -> None:
    # The bundled real article and case sheets: every zone, mechanism and evidence offset the same,
    # in the same order, whether the files are read by one process or by three.
    assert _can_fork(), "workers are forked on Linux; without them this test would compare one process to itself"
    one = extract_paths(BUNDLED, workers=1)
    three = extract_paths(BUNDLED, workers=3)
    assert one.to_dict() == three.to_dict()
    assert one.problems() == []
    assert len(one.documents) == len(expand_paths(BUNDLED))


def test_a_bad_file_among_many_names_that_file(tmp_path: Path) -> None:
    for source in expand_paths(BUNDLED):
        shutil.copy(source, tmp_path / source.name)
    # Written for testing: an empty case text, which cannot be loaded.
    bad = tmp_path / "zz-empty-written-for-testing.txt"
    bad.write_text("   \n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        extract_paths([tmp_path], workers=2)
    assert raised.value.path == str(bad)
    assert "empty" in str(raised.value)
