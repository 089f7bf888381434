"""Facets (issue 14): on saved-query results (counts by level, province, category, stage, year and
document, click to filter, kept in the URL, reset when another query is chosen), on search hits, on
the node picker's choices and on the similar-zones ranking; and pages that leave the URL alone on
arrival, so that one Back leaves them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from app_testing import run

from govkg.app.facets import facets, filtered, with_province
from govkg.graph.factory import StoreSettings, open_store
from govkg.graph.places import zone_provinces
from govkg.i18n import field_names, tr


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
    level = at.button_group(key="facet__queries__level")
    assert sorted(level.options, key=str)  # the levels the rows hold, each with its count
    at.button_group(key="facet__queries__level").set_value(["street"]).run()
    table = at.dataframe[0].value
    assert set(table[field_names("en")["level"]]) == {"street"}
    assert len(table) == levels.count("street")
    assert at.query_params["f_level"] in ("street", ["street"])
    linked = run("pages/3_Saved_queries.py", query="zones_overview", run="1", lang="en", f_level="street")
    assert len(linked.dataframe[0].value) == levels.count("street")  # a copied link opens filtered
    linked.selectbox(key="query").set_value("zones_by_level").run()
    assert "f_level" not in linked.query_params  # another query: no facet carried over


def _levels_by_id(db: Path) -> dict[str, str]:
    with open_store(StoreSettings(db_path=db)) as store:
        return {str(r[0]): str(r[1]) for r in store.read("MATCH (z:Zone) RETURN z.id, z.level").rows}


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_search_hits_are_narrowed_by_facets_kept_in_the_url(bundled_db: Path) -> None:
    from govkg.app.text_search_view import FACETED
    from govkg.graph.text_search import search_from_store

    with open_store(StoreSettings(db_path=bundled_db)) as store:
        found = search_from_store(store, "社区", top=FACETED)
    zones = sum(h.label == "Zone" for h in found)
    assert 0 < zones < len(found)  # the bundled sheets: 社区 names zones and is in sentences
    at = run("pages/7_Search.py", q="社区", lang="en")
    kinds = at.button_group(key="facet__search__kind")
    assert f"Zone · {zones}" in kinds.options  # each kind with its count
    kinds.set_value(["Zone"]).run()
    shown = tr("search.shown", "en", shown=zones, total=len(found))
    assert shown in [c.value for c in at.caption]
    assert at.query_params["f_kind"] in ("Zone", ["Zone"])
    linked = run("pages/7_Search.py", q="社区", lang="en", f_kind="Zone")
    assert shown in [c.value for c in linked.caption]  # a copied link opens narrowed
    other = run("pages/7_Search.py", q="社区", lang="en", f_kind="NoSuchKind")
    assert not other.error and tr("search.shown", "en", shown=zones, total=len(found)) not in [
        c.value for c in other.caption]  # a value the hits do not hold narrows nothing


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_node_pickers_choices_are_narrowed_by_a_zone_level(bundled_db: Path) -> None:
    levels = _levels_by_id(bundled_db)
    level = Counter(levels.values()).most_common(1)[0][0]
    at = run("pages/2_Node.py", lang="en")
    at.button_group(key="facet__node__level").set_value([level]).run()
    picker = at.selectbox(key="node")
    assert len(picker.options) == list(levels.values()).count(level)
    assert levels.get(str(picker.value)) == level
    assert at.query_params["f_level"] in (level, [level])


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_similar_zones_ranking_is_narrowed_by_a_zone_level_keeping_each_rank(bundled_db: Path) -> None:
    from govkg.graph.similarity import similar_zones

    levels = _levels_by_id(bundled_db)
    at = run("pages/4_Similar_zones.py", lang="en", top="30")
    zone = str(at.selectbox(key="zone").value)
    with open_store(StoreSettings(db_path=bundled_db)) as store:
        ranked = similar_zones(store, zone, top=30).similar
    by_level = Counter(levels[r.zone_id] for r in ranked)
    assert len(by_level) >= 2, by_level  # else the facet would not be offered
    level = by_level.most_common()[-1][0]
    at.button_group(key="facet__similar__level").set_value([level]).run()
    table = at.dataframe[0].value
    expected = [rank for rank, r in enumerate(ranked, start=1) if levels[r.zone_id] == level]
    assert list(table[tr("col.rank", "en")]) == expected
    assert at.query_params["f_level"] in (level, [level])


@pytest.mark.usefixtures("fresh_streamlit_caches")
@pytest.mark.parametrize(("script", "key"), [("pages/2_Node.py", "node"), ("pages/4_Similar_zones.py", "zone"),
                                             ("pages/3_Saved_queries.py", "query")])  # fmt: skip
def test_arriving_on_a_page_leaves_the_url_alone_until_the_reader_chooses(bundled_db: Path, script: str,
                                                                           key: str) -> None:  # fmt: skip
    # Streamlit adds a browser-history entry for each URL change a run makes: a page that wrote its
    # opening choice on arrival took two presses of Back to leave (tests/test_browser_views.py presses it).
    at = run(script)
    assert key not in at.query_params
    picker = at.selectbox(key=key)
    other = next(o for o in picker.options if o != picker.format_func(picker.value))
    picker.select(other).run()
    assert at.query_params[key] == str(at.selectbox(key=key).value)


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_overviews_documents_and_the_corrections_list_are_narrowed_by_facets(bundled_db: Path,
                                                                                  tmp_path: Path) -> None:
    from govkg.graph.corrections import Target
    from govkg.resources import BUNDLED_CORPUS_DIR
    from govkg.services.correcting import correct
    from govkg.services.loading import load_paths

    settings = StoreSettings(db_path=bundled_db)
    # Written for testing: a short report from another outlet.
    other = tmp_path / "other.txt"
    other.write_text("来源：测试周报\n甲市东街道推行“楼道议事会”机制，居民每月共商楼道事务。\n", encoding="utf-8")
    load_paths(settings, [BUNDLED_CORPUS_DIR, other], similarity_top=0)
    with open_store(settings) as store:
        sources = Counter(str(r[0] or "") for r in store.read("MATCH (d:Document) RETURN d.source").rows)
        organisations = [str(r[0]) for r in store.read("MATCH (o:Organisation) RETURN o.id ORDER BY o.id").rows]
    assert len(sources) >= 2, sources
    source, count = sources.most_common()[-1]
    at = run("app.py", lang="en")
    at.button_group(key="facet__documents__source").set_value([source]).run()
    assert len(at.dataframe[-1].value) == count
    assert tr("facets.documents_shown", "en", shown=count, total=sum(sources.values())) in [
        c.value for c in at.caption]

    correct(settings, "reject", Target(node=organisations[0]), author="甲")
    correct(settings, "rename", Target(node=organisations[1]), {"name": "改过的名字"}, author="乙")
    correct(settings, "reject", Target(node=organisations[2]), author="乙")
    listed = run("pages/6_Corrections.py", lang="en", f_author="乙")
    table = listed.dataframe[0].value
    assert set(table[tr("corrections.col.author", "en")]) == {"乙"} and len(table) == 2
    listed.button_group(key="facet__corrections__action").set_value(["reject"]).run()
    assert len(listed.dataframe[0].value) == 1  # 乙's one rejection
