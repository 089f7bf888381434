"""Facets on saved-query results (issue 14): counts by level, province, category, stage, year and
document, click to filter, kept in the URL, reset when another query is chosen."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from app_testing import run

from govkg.app.facets import facets, filtered, with_province
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.places import zone_provinces
from govkg.i18n import field_names


def test_facets_count_each_value_and_filtering_keeps_the_chosen_rows() -> None:
    # Written for testing.
    frame = pd.DataFrame({"zone": ["甲", "乙", "丙", "丁"], "level": ["street", "street", "town", None],
                          "year": [2016.0, 2018.0, 2016.0, None], "evidence": ["a", "b", "c", "d"]})  # fmt: skip
    found = {f.column: f.counts for f in facets(frame)}
    assert found == {"level": (("street", 2), ("", 1), ("town", 1)), "year": (("2016", 2), ("", 1), ("2018", 1))}
    assert list(filtered(frame, {"level": ["street"]})["zone"]) == ["甲", "乙"]
    assert list(filtered(frame, {"level": ["street", "town"], "year": ["2016"]})["zone"]) == ["甲", "丙"]
    assert list(filtered(frame, {"level": []})["zone"]) == ["甲", "乙", "丙", "丁"]  # nothing chosen: every row
    one_value = pd.DataFrame({"level": ["street"] * 3})
    assert facets(one_value) == []  # a single value sorts nothing


def test_the_province_of_a_row_is_the_top_of_its_zones_chain_for_names_only_one_zone_has() -> None:
    zones = [{"id": i, "name": n} for i, n in (("p", "测试省"), ("c", "甲市"), ("s", "城关镇"), ("s2", "城关镇"),
                                               ("t", "东街道"))]  # fmt: skip
    parents = {"c": "p", "s": "c", "t": "c"}
    provinces = zone_provinces(zones, parents)
    assert provinces == {"测试省": "测试省", "甲市": "测试省", "东街道": "测试省"}  # 城关镇 is two places
    frame = with_province(pd.DataFrame({"zone": ["东街道", "城关镇"]}), provinces)
    assert list(frame["province"]) == ["测试省", ""]


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_a_reader_filters_a_result_by_a_facet_keeps_it_in_the_url_and_another_query_starts_fresh(
    bundled_db: Path
) -> None:
    db = bundled_db
    with open_store(StoreSettings(db_path=db)) as store:
        levels = [str(r[0]) for r in store.read("MATCH (z:Zone) RETURN z.level").rows]
    at = run("pages/3_Saved_queries.py", query="zones_overview", run="1", lang="en")
    level = at.button_group(key="facet__level")
    assert sorted(level.options, key=str)  # the levels the rows hold, each with its count
    at.button_group(key="facet__level").set_value(["street"]).run()
    table = at.dataframe[0].value
    assert set(table[field_names("en")["level"]]) == {"street"}
    assert len(table) == levels.count("street")
    assert at.query_params["f_level"] in ("street", ["street"])
    linked = run("pages/3_Saved_queries.py", query="zones_overview", run="1", lang="en", f_level="street")
    assert len(linked.dataframe[0].value) == levels.count("street")  # a copied link opens filtered
    linked.selectbox(key="query").set_value("zones_by_level").run()
    assert "f_level" not in linked.query_params  # another query: no facet carried over
