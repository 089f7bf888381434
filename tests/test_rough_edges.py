"""Rough edges researchers met (issue 14), each guarded here: what the app or CLI says must match what
it does."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from govkg.errors import QueryError
from govkg.loaders.reading import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent


def test_the_uploader_states_the_limit_every_file_read_has() -> None:
    """Streamlit's uploader prints its own limit (200 MB unless set): it must be the 50 MB a file read
    refuses above, or a researcher is told a 120 MB file is fine and then refused."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES


def test_a_level_written_in_chinese_finds_the_zones_of_that_level(tmp_path: Path) -> None:
    """`--param level=区` used to return nothing without a word: only the code `district` matched."""
    from govkg.graph.factory import StoreSettings, open_store
    from govkg.graph.saved_queries import run_saved_query
    from govkg.resources import BUNDLED_CASES_DIR
    from govkg.services.loading import load_paths

    settings = StoreSettings(db_path=tmp_path / "govkg.lbdb")
    load_paths(settings, [BUNDLED_CASES_DIR], similarity_top=0)
    with open_store(settings) as store:
        by_code = run_saved_query(store, "zones_by_level", {"level": "district"})
        assert by_code.rows  # the bundled cases hold districts
        for given in ("区", "区级", "District", " district "):
            assert run_saved_query(store, "zones_by_level", {"level": given}).rows == by_code.rows, given
        with pytest.raises(QueryError, match=r"'区县' is no zone level; use one of province \(省\)"):
            run_saved_query(store, "zones_by_level", {"level": "区县"})
        assert run_saved_query(store, "zones_without_mechanisms", {"level": ""}).columns  # empty: every level


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_a_saved_querys_limit_does_not_carry_over_to_the_next_query_chosen(small_db: Path) -> None:
    """Both queries take `limit` (URL `p_limit`): the second used to open with the first's value."""
    from app_testing import run

    at = run("pages/3_Saved_queries.py", query="zones_overview")
    at.number_input(key="param__zones_overview__limit").set_value(5).run()
    assert at.query_params["p_limit"] == ["5"] or at.query_params["p_limit"] == "5"
    at.selectbox(key="query").set_value("zones_by_level").run()
    assert not at.exception
    assert at.number_input(key="param__zones_by_level__limit").value == 500  # its own default
    assert at.query_params["p_limit"] in ("500", ["500"])
    # A copied link still opens with its own parameters.
    linked = run("pages/3_Saved_queries.py", query="zones_by_level", p_limit="7")
    assert linked.number_input(key="param__zones_by_level__limit").value == 7


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_saved_query_tables_and_forms_name_things_in_the_readers_language(small_db: Path) -> None:
    """Chinese mode showed identifiers (adopted_mechanism, `skip (整数)`, HAS_PART, district): tables and
    forms now name columns, parameters, relationship types, levels and kinds; downloads keep identifiers."""
    from app_testing import run

    zh = run("pages/3_Saved_queries.py", query="zones_by_level", p_level="street", run="1", lang="zh")
    table = zh.dataframe[0].value
    assert list(table.columns)[:2] == ["地区", "层级"] and set(table["层级"]) == {"街道"}
    assert zh.number_input(key="param__zones_by_level__skip").label == "跳过行数 (整数)"
    relations = run("pages/3_Saved_queries.py", query="relationship_evidence", p_node="甲市东街道", run="1", lang="zh")
    shown = relations.dataframe[0].value
    assert "关系" in shown.columns and not any(str(v).isupper() and "_" in str(v) for v in shown["关系"])
    en = run("pages/3_Saved_queries.py", query="zones_by_level", p_level="street", run="1", lang="en")
    assert list(en.dataframe[0].value.columns)[:2] == ["zone", "level"]
    assert en.number_input(key="param__zones_by_level__skip").label == "skip (rows) (whole number)"


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_each_category_keeps_its_colour_when_the_language_changes(small_db: Path, small_graph: object) -> None:
    """The overview's stacked bars coloured categories by their sorted names, which sort differently in
    Chinese and English: 议事协商 was blue in one language and orange in the other."""
    import json

    from app_testing import run

    from govkg.graph.model import GraphDocument

    assert isinstance(small_graph, GraphDocument)
    english_of = {n.name: n.properties.get("name_en") or n.name for n in small_graph.nodes if n.label == "Category"}

    def colour_of(lang: str) -> dict[str, str]:
        spec = json.loads(run("app.py", lang=lang).get("vega_lite_chart")[0].proto.spec)
        scale = spec["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"], strict=True))

    zh, en = colour_of("zh"), colour_of("en")
    assert len(zh) >= 2 and set(zh) <= set(english_of)  # more than one category drawn, named in Chinese
    assert {english_of[name]: colour for name, colour in zh.items()} == en


def statuses(at: AppTest) -> list[tuple[str, str]]:
    """(label, state) of every st.status box on an AppTest page."""
    found: list[tuple[str, str]] = []
    stack: list[Any] = [at._tree]
    while stack:
        node = stack.pop()
        if type(node).__name__ == "Status":
            found.append((str(node.label), str(node.state)))
        stack.extend(getattr(node, "children", {}).values())
    return found


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_load_page_says_how_a_write_goes_and_that_a_failed_one_changed_nothing(small_db: Path) -> None:
    """A long upload used to be silent until the summary: the write now names each stage as it begins
    (the load service's progress), and a failed write ends saying the store is as it was."""
    import subprocess
    import sys
    import textwrap

    from app_testing import page, uploader
    from repo import PROJECT_ROOT

    from govkg.app.upload import combined, read_upload, write_upload
    from govkg.graph.factory import StoreSettings
    from govkg.i18n import tr

    case = PROJECT_ROOT / "tests" / "data" / "sheets" / "cases.csv"
    stages: list[str] = []
    write_upload(StoreSettings(db_path=small_db), combined([read_upload(case.name, case.read_bytes())]),
                 progress=lambda stage, _d, _t: stages.append(stage))  # fmt: skip
    assert stages == ["resolve", "write", "similarity"]

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(PROJECT_ROOT)!r})
        from govkg.graph.ladybug_store import LadybugStore
        store = LadybugStore(Path({str(small_db)!r}))
        print("holding", flush=True)
        time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        at = page("pages/5_Load.py").run()
        uploader(at).set_value([(case.name, case.read_bytes(), "text/csv")])
        at.run()
        at.button(key="write_upload").click().run()
        assert (tr("load.stage.failed", "both"), "error") in statuses(at)
    finally:
        holder.kill()
        holder.wait(timeout=30)


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_english_heat_map_keeps_its_family_key_out_of_the_chart(bundled_db: Path) -> None:
    """The strip's legend inside the chart made its column as wide as the longest family name, and in
    English the heat map ran out of the page (seen in a real browser); the key is now HTML under it,
    with the strip's colours, family by family."""
    import html
    import json

    from app_testing import html_blocks, run

    at = run("pages/4_Similar_zones.py", lang="en", view="families")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    strip, heat = spec["hconcat"]
    assert strip["encoding"]["color"]["legend"] is None
    assert heat["encoding"]["color"]["legend"]["orient"] == "bottom"
    scale = strip["encoding"]["color"]["scale"]
    key = next(b for b in html_blocks(at) if "Family" in b)
    for family, colour in zip(scale["domain"], scale["range"], strict=True):
        assert f"background:{colour};margin-right:4px\"></span>{html.escape(family)}</span>" in key
