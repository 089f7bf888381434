"""The command line end to end: the installed `govkg` script against a real LadybugDB in a temporary folder."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from govkg.resources import BUNDLED_CASES_DIR, BUNDLED_CORPUS_DIR

GOVKG = str(Path(sys.executable).with_name("govkg"))
ARTICLE = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"


def govkg(*args: str, db: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    if db is not None:
        env["GOVKG_DB"] = str(db)
    done = subprocess.run([GOVKG, *args], capture_output=True, text=True, env=env, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"govkg {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done


def counts(db: Path) -> dict[str, int]:
    rows = json.loads(
        govkg("cypher", "MATCH (n) RETURN labels(n) AS label, count(n) AS n", "--format", "json", db=db).stdout
    )
    nodes = {str(r["label"]).strip("[]'\""): r["n"] for r in rows}
    rels = json.loads(govkg("cypher", "MATCH ()-[r]->() RETURN count(r) AS n", "--format", "json", db=db).stdout)
    return {**nodes, "relationships": rels[0]["n"]}


def assert_one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    """A researcher-facing failure: non-zero exit, one line on stderr naming the problem, no traceback."""
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "govkg.lbdb"
    govkg("load", str(BUNDLED_CORPUS_DIR), str(BUNDLED_CASES_DIR), db=db)
    return db


def test_every_command_has_help() -> None:
    for command in ["extract", "load", "queries", "query", "cypher", "similar", "demo"]:
        done = govkg(command, "--help")
        assert "Usage: govkg " + command in done.stdout


def test_extract_prints_the_graph_document_contract() -> None:
    out = json.loads(govkg("extract", str(ARTICLE), "--format", "json").stdout)
    assert set(out) == {"documents", "nodes", "edges"}
    texts = {d["id"]: d["text"] for d in out["documents"]}
    assert len(texts) == 1
    names = {n["name"] for n in out["nodes"] if n["label"] == "Zone"}
    assert {"平湖市当湖街道", "杭州市西湖区", "兰溪市兰江街道"} <= names
    adopts = [e for e in out["edges"] if e["type"] == "ADOPTS"]
    assert adopts, "the article's zones adopt mechanisms"
    for edge in out["edges"]:
        assert edge["evidence"], edge
        for ev in edge["evidence"]:
            assert texts[ev["document"]][ev["start"] : ev["end"]] == ev["text"]


def test_load_twice_changes_nothing(loaded_db: Path) -> None:
    before = counts(loaded_db)
    assert before["Zone"] >= 10 and before["Mechanism"] >= 10
    again = govkg("load", str(BUNDLED_CORPUS_DIR), str(BUNDLED_CASES_DIR), db=loaded_db)
    assert "0 new" in again.stdout
    assert counts(loaded_db) == before


def test_cypher_is_read_only(loaded_db: Path) -> None:
    before = counts(loaded_db)
    for statement in [
        "CREATE (:Zone {id: 'x', name: 'x'})",
        "MATCH (z:Zone) SET z.name = 'x'",
        "MATCH (z:Zone) DETACH DELETE z",
        "MERGE (:Zone {id: 'x'})",
    ]:
        done = govkg("cypher", statement, db=loaded_db, check=False)
        assert_one_line_error(done, "read-only")
    assert counts(loaded_db) == before


def test_a_page_far_past_the_end_is_empty_or_refused_never_a_crash(loaded_db: Path) -> None:
    """LadybugDB 0.22 dies (SIGSEGV, exit 139) when one ORDER BY clause skips far past its last row and
    limits: a saved query's page there is empty, an ad-hoc one is refused in one line with the fix."""
    done = govkg("query", "zones_overview", "-p", "skip=1000000", "--format", "json", db=loaded_db, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    fused = "MATCH (z:Zone) RETURN z.name AS n ORDER BY n SKIP 1000000 LIMIT 5"
    assert_one_line_error(govkg("cypher", fused, db=loaded_db, check=False), "LIMIT in a clause of its own")
    split = "MATCH (z:Zone) WITH z.name AS n ORDER BY n SKIP 1000000 RETURN n LIMIT 5"
    assert json.loads(govkg("cypher", split, "--format", "json", db=loaded_db).stdout) == []


def test_cypher_formats(loaded_db: Path) -> None:
    statement = "MATCH (z:Zone) WHERE z.name = '杭州市西湖区' RETURN z.name AS name, z.level AS level"
    rows = json.loads(govkg("cypher", statement, "--format", "json", db=loaded_db).stdout)
    assert rows == [{"name": "杭州市西湖区", "level": "district"}]
    csv_out = govkg("cypher", statement, "--format", "csv", db=loaded_db).stdout
    assert csv_out.splitlines() == ["name,level", "杭州市西湖区,district"]
    table = govkg("cypher", statement, db=loaded_db).stdout
    assert "杭州市西湖区" in table and "(1 row)" in table


def test_queries_list_and_run(loaded_db: Path) -> None:
    listed = json.loads(govkg("queries", "--format", "json").stdout)
    assert len(listed) >= 6
    assert all({"name", "title_zh", "title_en", "parameters"} <= set(q) for q in listed)
    names = [q["name"] for q in listed]
    for name in names:
        done = govkg("query", name, "--format", "json", db=loaded_db)
        assert isinstance(json.loads(done.stdout), list)


def test_query_rejects_unknown_names_and_parameters(loaded_db: Path) -> None:
    assert_one_line_error(govkg("query", "no_such_query", db=loaded_db, check=False), "no_such_query")
    name = json.loads(govkg("queries", "--format", "json").stdout)[0]["name"]
    done = govkg("query", name, "--param", "no_such_param=1", db=loaded_db, check=False)
    assert_one_line_error(done, "no_such_param")


def test_similar_prints_design_json(loaded_db: Path) -> None:
    out = json.loads(govkg("similar", "杭州市江干区", "--format", "json", db=loaded_db).stdout)
    assert out["zone"] == "杭州市江干区"
    assert out["similar"], "another zone shares something with 江干区"
    for item in out["similar"]:
        assert isinstance(item["zone"], str) and isinstance(item["score"], float) and isinstance(item["shared"], list)
    scores = [s["score"] for s in out["similar"]]
    assert scores == sorted(scores, reverse=True)
    unknown = govkg("similar", "杭州市江千区", db=loaded_db, check=False)
    assert_one_line_error(unknown, "杭州市江千区", "杭州市江干区")


def test_similar_json_keeps_its_keys_and_words_a_note_in_both_languages(loaded_db: Path) -> None:
    out = json.loads(govkg("similar", "杭州市江干区", "--format", "json", db=loaded_db).stdout)
    assert set(out) == {"zone", "zone_id", "similar"}
    assert set(out["similar"][0]) == {
        "zone", "zone_id", "score", "shared", "shared_mechanisms", "shared_categories", "shared_organisation_kinds",
        "shared_policy_kinds", "shared_wording", "parts", "explanation", "corrections",
    }  # fmt: skip
    assert out["similar"][0]["corrections"] == []  # no researcher corrected what this answer rests on
    assert set(out["similar"][0]["explanation"][0]) == {"part", "feature", "feature_en", "weight", "this_zone",
                                                        "other_zone"}  # fmt: skip
    # The province adopts nothing itself: an empty list, the reason as a code and in words.
    province = json.loads(govkg("similar", "浙江省", "--format", "json", db=loaded_db).stdout)
    assert province["similar"] == [] and province["note_code"] == "no_mechanisms"
    zh, _, en = province["note"].partition(" | ")
    assert "浙江省" in zh and "没有采用任何机制" in zh
    assert "浙江省" in en and "adopts no mechanism" in en and "load a case" in en
    table = govkg("similar", "浙江省", db=loaded_db).stdout
    assert province["note"] in table


def test_similar_table_names_shared_kinds_for_a_reader(loaded_db: Path) -> None:
    out = json.loads(govkg("similar", "杭州市江干区", "--format", "json", db=loaded_db).stdout)
    kinds = [f for s in out["similar"] for f in s["shared"] if f.startswith(("organisation:", "policy:"))]
    assert kinds, "江干区 shares some organisation or policy kind with another zone"
    table = govkg("similar", "杭州市江干区", db=loaded_db).stdout
    assert "organisation:" not in table and "policy:" not in table, table  # no raw keys
    assert "组织类型：" in table or "政策类型：" in table, table


def test_similar_table_leads_with_the_strongest_shared_features_and_says_what_is_left_out(loaded_db: Path) -> None:
    out = json.loads(govkg("similar", "杭州市江干区", "--format", "json", db=loaded_db).stdout)
    table = govkg("similar", "杭州市江干区", db=loaded_db).stdout
    from govkg.i18n import kind_feature_name

    lines = table.splitlines()
    assert lines[1].split()[:4] == ["zone", "score", "strongest", "shared"], lines[1]
    assert out["similar"]
    for entry in out["similar"]:
        heaviest = max(entry["explanation"], key=lambda e: e["weight"])["feature"]
        row = next(line for line in lines if line.startswith(entry["zone"] + " "))
        cell = row.split(None, 2)[2]  # after the zone and the score
        assert cell.startswith(kind_feature_name(heaviest, "zh")[:8]), (heaviest, row)
        assert entry["score"] > 0
    assert "left out: zones sharing nothing with 杭州市江干区, and its own higher and lower units" in table
    above = "MATCH (:Zone {name: '杭州市江干区'})-[:PART_OF*]->(p:Zone) RETURN p.name AS p"
    parents = json.loads(govkg("cypher", above, "--format", "json", db=loaded_db).stdout)
    assert parents and {p["p"] for p in parents}.isdisjoint(e["zone"] for e in out["similar"])  # no kin as peers


# --- bad input: one line naming the file, non-zero exit, no traceback, nothing written ------------------


def _bad_files(folder: Path) -> dict[str, Path]:
    binary = folder / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    empty = folder / "empty.txt"
    empty.write_text("", encoding="utf-8")
    sheet = folder / "broken.yaml"
    sheet.write_text("zone: {name: 平湖市当湖街道\nmechanisms: [", encoding="utf-8")
    table = folder / "cases.csv"
    table.write_text("地区,说明\n平湖市当湖街道,三级友邻\n", encoding="utf-8")
    return {"missing": folder / "nowhere.txt", "empty": empty, "binary": binary, "sheet": sheet, "csv": table}


@pytest.mark.parametrize("kind", ["missing", "empty", "binary", "sheet", "csv"])
def test_bad_input_is_refused_and_writes_nothing(kind: str, tmp_path: Path, loaded_db: Path) -> None:
    bad = _bad_files(tmp_path)[kind]
    before = counts(loaded_db)
    # The good article alongside the bad file: the whole load is refused, the good file is not half-written.
    done = govkg("load", str(ARTICLE), str(bad), db=loaded_db, check=False)
    assert_one_line_error(done, str(bad))
    assert counts(loaded_db) == before


def test_bad_input_into_a_fresh_store_leaves_it_empty(tmp_path: Path) -> None:
    db = tmp_path / "fresh.lbdb"
    bad = _bad_files(tmp_path)["csv"]
    done = govkg("load", str(bad), db=db, check=False)
    assert_one_line_error(done, "cases.csv")
    if db.exists():
        assert sum(v for v in counts(db).values()) == 0


def test_a_database_held_by_another_process_is_named(tmp_path: Path) -> None:
    db = tmp_path / "held.lbdb"
    govkg("load", str(BUNDLED_CASES_DIR), db=db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from pathlib import Path
                from govkg.graph.ladybug_store import LadybugStore
                store = LadybugStore(Path({str(db)!r}))
                print("holding", flush=True)
                time.sleep(120)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        done = govkg("load", str(ARTICLE), db=db, check=False)
        assert_one_line_error(done, str(db))
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture()
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_demo_on_a_busy_port_names_the_port_and_the_option(busy_port: int, tmp_path: Path) -> None:
    done = govkg("demo", "--port", str(busy_port), "--no-browser", db=tmp_path / "demo.lbdb", check=False)
    assert_one_line_error(done, str(busy_port), "--port")


def test_load_stores_similarity_for_cypher(loaded_db: Path) -> None:
    rows = json.loads(govkg("query", "similar_zones", "--param", "zone=杭州市江干区", "--format", "json",
                            db=loaded_db).stdout)
    assert rows, "the load wrote SIMILAR_TO relationships"
    answer = json.loads(govkg("similar", "杭州市江干区", "--format", "json", db=loaded_db).stdout)
    stored = [(r["similar_zone"], round(r["score"], 4)) for r in rows]
    computed = [(s["zone"], round(s["score"], 4)) for s in answer["similar"]][: len(stored)]
    assert stored == computed


def test_families_and_central(loaded_db: Path) -> None:
    found = json.loads(govkg("families", "--format", "json", db=loaded_db).stdout)
    members = [{z["name"] for z in f["zones"]} for f in found]
    assert members and all(members), "no empty family"
    assert sum(len(m) for m in members) == len(set().union(*members)), "each zone is in one family"
    central_out = json.loads(govkg("central", "--top", "3", "--format", "json", db=loaded_db).stdout)
    assert set(central_out) == {"Mechanism", "Organisation"}
    betweenness = [r["betweenness"] for r in central_out["Organisation"]]
    assert betweenness == sorted(betweenness, reverse=True) and len(betweenness) == 3


def test_export_and_import_round_trip(loaded_db: Path, tmp_path: Path) -> None:
    script = tmp_path / "graph.cypher"
    assert govkg("export", str(script), "--format", "cypher", db=loaded_db).stdout.strip() == str(script)
    copy = tmp_path / "copy.lbdb"
    govkg("import", str(script), db=copy)
    assert counts(copy) == counts(loaded_db)
    graphml = tmp_path / "graph.graphml"
    govkg("export", str(graphml), db=loaded_db)
    assert "<graphml" in graphml.read_text(encoding="utf-8")[:500]
    folder = tmp_path / "csv"
    govkg("export", str(folder), "--format", "csv", db=loaded_db)
    assert (folder / "nodes.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")


def test_demo_serves_without_a_terminal(tmp_path: Path) -> None:
    """`make demo` on a fresh machine: no prompt (Streamlit's first-run e-mail question) may block the app."""
    import signal
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    env["HOME"] = str(tmp_path)  # no ~/.streamlit/credentials.toml, as on a fresh machine
    demo = subprocess.Popen(
        [GOVKG, "demo", "--port", str(port), "--db", str(tmp_path / "demo.lbdb")],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/", timeout=5) as response:
                    status = response.status
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, demo.stdout.read() if demo.poll() is not None and demo.stdout else "no answer"
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
