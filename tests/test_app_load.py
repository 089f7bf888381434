"""The Load page: upload, preview with entities highlighted, download the case sheet, accept to write.

Uploads are the test fixtures under tests/data (written for testing; see their READMEs) and bytes
built here to be bad. The store is a real LadybugDB file in tmp_path."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from app_testing import html_blocks, page, recorded_downloads, run, uploader
from repo import PROJECT_ROOT
from streamlit.testing.v1 import AppTest

from govkg.app.markdown import md_escape
from govkg.graph.ladybug_store import LadybugStore
from govkg.graph.model import GraphDocument
from govkg.i18n import tr
from govkg.loaders.case_sheet import case_sheet_from_text
from govkg.loaders.csv_cases import load_csv
from govkg.loaders.text_extractor import extract_text_file

TEXT_CASE = PROJECT_ROOT / "tests" / "data" / "text" / "anji-village-case.txt"
SHEET_CASE = PROJECT_ROOT / "tests" / "data" / "sheets" / "two-zones.yaml"
CSV_CASE = PROJECT_ROOT / "tests" / "data" / "sheets" / "cases.csv"


pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")  # app_testing.py


def _upload(*files: tuple[str, bytes]) -> AppTest:
    at = page("pages/5_Load.py").run()
    uploader(at).set_value([(name, data, "application/octet-stream") for name, data in files])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _counts(db: Path) -> dict[str, int]:
    with LadybugStore(db, read_only=True) as store:
        return store.counts()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_text_upload_is_previewed_with_its_entities_highlighted(small_db: Path) -> None:
    expected = extract_text_file(TEXT_CASE)
    at = _upload((TEXT_CASE.name, TEXT_CASE.read_bytes()))
    assert not at.error
    metrics = _metrics(at)
    for label in ("Zone", "Mechanism", "Organisation", "Policy"):
        assert metrics[_label(label)] == str(sum(1 for n in expected.nodes if n.label == label))
    preview = "\n".join(html_blocks(at))
    stored = expected.documents[0].text
    named = [n for n in expected.nodes if n.label in ("Zone", "Mechanism") and n.name in stored]
    assert named, "the fixture names no entity verbatim"
    marks = re.findall(r"<mark[^>]*>([^<]*)</mark>", preview)
    for node in named:  # each inside a mark (a longer mention, such as a full zone chain, may hold it)
        assert any(html.escape(node.name) in m for m in marks), node.name
    assert _counts(small_db)["Document"] == 1, "a preview must not write"


def _label(label: str) -> str:
    from govkg.i18n import label_names

    return label_names("both")[label]


def test_accepting_writes_and_every_page_sees_the_new_data(small_db: Path, small_graph: GraphDocument) -> None:
    overview = run("app.py")  # the app holds its read-only handle while the write happens
    before = _counts(small_db)
    expected = extract_text_file(TEXT_CASE)
    at = _upload((TEXT_CASE.name, TEXT_CASE.read_bytes()))
    at.button(key="write_upload").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success, "no summary of the write"
    after = _counts(small_db)
    zones = {n.id for n in expected.nodes if n.label == "Zone"}
    assert after["Document"] == before["Document"] + 1
    assert after["Zone"] == before["Zone"] + len(zones)

    overview.run()  # the same session, after the write: the cached handle and counts are fresh
    shown = dict(zip(overview.table[0].value.iloc[:, 0], overview.table[0].value.iloc[:, 1], strict=True))
    assert shown[_label("Zone")] == after["Zone"]
    zone = next(n for n in expected.nodes if n.label == "Zone" and n.properties.get("level") == "village")
    node = run("pages/2_Node.py", node=zone.id)
    assert node.header[0].value.startswith(zone.name)


def test_writing_the_same_upload_twice_changes_nothing_more(small_db: Path) -> None:
    at = _upload((TEXT_CASE.name, TEXT_CASE.read_bytes()))
    at.button(key="write_upload").click().run()
    once = _counts(small_db)
    at.button(key="write_upload").click().run()
    assert not at.error
    assert _counts(small_db) == once


def test_a_case_sheet_and_a_csv_table_are_previewed_and_written(small_db: Path) -> None:
    sheet = case_sheet_from_text(SHEET_CASE.read_text(encoding="utf-8"), SHEET_CASE.name)
    table = load_csv(CSV_CASE)
    at = _upload((SHEET_CASE.name, SHEET_CASE.read_bytes()), (CSV_CASE.name, CSV_CASE.read_bytes()))
    assert not at.error
    headers = [h.value for h in at.subheader]
    assert any(md_escape(SHEET_CASE.name) in h and tr("load.kind.sheet", "both") in h for h in headers)
    assert any(md_escape(CSV_CASE.name) in h and tr("load.kind.csv", "both") in h for h in headers)
    at.button(key="write_upload").click().run()
    assert not at.error
    with LadybugStore(small_db, read_only=True) as store:
        for node in [*sheet.nodes, *table.nodes]:
            assert store.node(node.id) is not None, node.name


def test_the_extraction_downloads_as_a_case_sheet_that_loads_back(small_db: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    seen = recorded_downloads(monkeypatch)
    expected = extract_text_file(TEXT_CASE)
    at = _upload((TEXT_CASE.name, TEXT_CASE.read_bytes()))
    assert at.get("download_button"), "no case sheet to download"
    sheet_text = next(d for d, mime in seen if mime == "application/x-yaml").decode("utf-8")
    assert f"document: {expected.documents[0].id}" in sheet_text  # it replaces this text's extraction
    reloaded = case_sheet_from_text(sheet_text, "corrected.yaml")
    assert {n.id for n in reloaded.nodes if n.label == "Zone"} == {n.id for n in expected.nodes if n.label == "Zone"}


# Written for testing: bytes that are not a case file in various ways.
BAD_UPLOADS = [
    ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "unsupported file type"),
    ("empty.txt", b"", "empty"),
    ("blank.md", b"   \n\n  \n", "empty"),
    ("binary.txt", b"\x00\x01\x02\x03" * 200, "binary"),
    ("mixed-encoding.txt", "社区治理".encode() + "社区治理".encode("gbk") + b"\xff\xfe\x80" * 20, "encoding"),
    ("broken.yaml", b"zone: [unclosed\nmechanisms: {\n", "yaml"),
    ("no-columns.csv", "名称,备注\n甲,乙\n".encode(), "column"),
]


@pytest.mark.parametrize(("name", "data", "problem"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_a_bad_upload_gets_a_clear_message_and_writes_nothing(small_db: Path, name: str, data: bytes,
                                                             problem: str) -> None:
    before = _counts(small_db)
    at = _upload((name, data))
    assert at.error, "no message about the bad file"
    message = at.error[0].value
    assert "无法读取上传的文件" in message and "Cannot read the uploaded file" in message  # both languages
    assert md_escape(name) in message
    assert problem.lower() in message.lower()
    assert not at.get("download_button") and not [b for b in at.button if b.key == "write_upload"]
    assert _counts(small_db) == before
    at.run()  # the page keeps working
    assert not at.exception


def test_good_files_go_on_when_one_upload_is_bad(small_db: Path) -> None:
    at = _upload(("empty.txt", b""), (TEXT_CASE.name, TEXT_CASE.read_bytes()))
    assert len(at.error) == 1
    at.button(key="write_upload").click().run()
    assert at.success and _counts(small_db)["Document"] == 2


def test_a_store_another_process_holds_is_reported_and_nothing_is_written(small_db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            sys.path.insert(0, {str(PROJECT_ROOT)!r})
            from govkg.graph.ladybug_store import LadybugStore
            store = LadybugStore(Path({str(small_db)!r}))
            print("holding", flush=True)
            time.sleep(120)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        at = _upload((TEXT_CASE.name, TEXT_CASE.read_bytes()))
        at.button(key="write_upload").click().run()
        assert not at.exception
        assert at.error and "in use" in at.error[0].value and str(holder.pid) in at.error[0].value
        assert not at.success
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert _counts(small_db)["Document"] == 1


def test_after_an_upload_the_stored_similarity_agrees_with_the_similar_zones_page(small_db: Path) -> None:
    # The upload goes through the same load service as `govkg load`, similarity refresh included: the
    # saved query over SIMILAR_TO and the page's live ranking give the same zones and scores.
    from govkg.graph.saved_queries import run_saved_query
    from govkg.graph.similarity import similar_zones

    at = _upload((TEXT_CASE.name, TEXT_CASE.read_bytes()), (SHEET_CASE.name, SHEET_CASE.read_bytes()))
    at.button(key="write_upload").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    compared = 0
    with LadybugStore(small_db, read_only=True) as store:
        zones = [row[0] for row in store.read("MATCH (z:Zone)-[:ADOPTS]->(:Mechanism) RETURN DISTINCT z.id").rows]
        for zone_id in zones:
            live = [(s.zone_id, s.score) for s in similar_zones(store, zone_id, top=10).similar]
            stored_rows = run_saved_query(store, "similar_zones", {"zone": zone_id}).rows
            names = {row[0]: row[1] for row in store.read("MATCH (z:Zone) RETURN z.name, z.id").rows}
            stored = [(names[row[1]], round(float(row[2]), 4)) for row in stored_rows]
            assert stored == [(zone, round(score, 4)) for zone, score in live], zone_id
            compared += bool(live)
    assert compared >= 2, "the uploaded zones share nothing: the test compares nothing"


def test_an_upload_applies_the_corrections_the_store_keeps_and_says_so(small_db: Path) -> None:
    from govkg.graph.corrections import Target, make_correction

    expected = extract_text_file(TEXT_CASE)
    mechanism = sorted((n for n in expected.nodes if n.label == "Mechanism"), key=lambda n: n.id)[0]
    rejected = make_correction(expected, "reject", Target(node=mechanism.id), author="测试研究员",
                               made_at="2026-12-04T00:00:00Z")  # fmt: skip
    with LadybugStore(small_db) as store:
        store.record_corrections([rejected])
    at = _upload((TEXT_CASE.name, TEXT_CASE.read_bytes()))
    at.button(key="write_upload").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert tr("load.corrected", "en", count=1) in at.success[0].value
    with LadybugStore(small_db, read_only=True) as store:
        assert store.node(mechanism.id) is None
        assert store.corrections() == [rejected]


def test_the_corrections_page_lists_what_the_store_keeps_and_undoes_one(small_db: Path,
                                                                        small_graph: GraphDocument) -> None:
    from conftest import MECH

    from govkg.graph.corrections import Target, make_correction

    rejected = make_correction(small_graph, "reject", Target(node=MECH["睦邻空间"]), author="测试研究员",
                               made_at="2026-12-04T00:00:00Z", reason="written for testing")  # fmt: skip
    empty = run("pages/6_Corrections.py", lang="en")
    assert not empty.exception and tr("corrections.none", "en") in [i.value for i in empty.info]
    with LadybugStore(small_db) as store:
        store.record_corrections([rejected])
    at = run("pages/6_Corrections.py", lang="en")
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert list(table["id"]) == [rejected.id]
    assert list(table["Action"]) == ["reject"] and list(table["Reason"]) == ["written for testing"]
    assert list(table["The extractor said"]) == ["睦邻空间 (Mechanism)"]
    at.button(key="undo_correction").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and MECH["睦邻空间"] in at.success[0].value
    with LadybugStore(small_db, read_only=True) as store:
        assert store.corrections() == [] and store.corrections(undone=True) == [rejected]
    assert tr("corrections.none", "en") in [i.value for i in at.info]
