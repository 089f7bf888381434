"""Bad input, through loaders.extract.extract_paths and through `govkg load` into a real LadybugDB:
a file in an unknown encoding, random bytes, a text with no zone, a 20 MB text. A clear message or a
sensible result, never a traceback, never a partial write.

Decisions (also in docs/text-extraction.md):
- a text is read as UTF-8 (BOM or not), GB18030/GBK, Big5 or UTF-16; bytes that only GB18030 would
  "decode" (Shift_JIS, EUC-KR, Latin-1, random) are refused with the encoding they read best as;
- a text with no zone is stored (its text is kept and can be searched and curated later) and
  `govkg load` / `govkg extract` print a warning naming the file on stderr; `--format yaml` refuses
  it, since a case sheet needs a zone.

Every text here except the bundled article is written for testing.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.errors import InputError
from govkg.graph.ladybug_store import LadybugStore
from govkg.loaders.extract import extract_paths, extraction_warnings
from govkg.resources import BUNDLED_CORPUS_DIR

GOVKG = str(Path(sys.executable).with_name("govkg"))
ARTICLE = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"
# Written for testing: a Chinese case sentence in traditional characters, and sentences in Japanese
# and Korean that a Chinese reader would be handed by mistake.
TRADITIONAL = "（測試用文本，written for testing）寧波市江北區文教街道推行「鄰里守望」互助機制，由社區黨委牽頭。\n"
JAPANESE = "（テスト用）東京都の町内会は防災訓練を行い、住民が参加しました。\n"
KOREAN = "(테스트용) 서울시 주민자치회는 마을 회의를 열었습니다.\n"
NO_ZONE = "（测试用文本，written for testing）居民积极参与“邻里节”活动，志愿者也来帮忙，大家互相照应。\n"


def govkg(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVKG_", "NEO4J_"))}
    env["GOVKG_DB"] = str(db)
    return subprocess.run([GOVKG, *args], capture_output=True, text=True, env=env, timeout=600)


def stored(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    with LadybugStore(db, read_only=True) as store:
        return store.counts()


def assert_refused(done: subprocess.CompletedProcess[str], path: Path, *needles: str) -> None:
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert lines[0].startswith(f"govkg: error: {path}: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def bad_files(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each bad file and the words its message must hold."""
    rng = random.Random(20181)
    files = {
        "shift_jis": (JAPANESE.encode("shift_jis"), ["cp932", "save it as UTF-8"]),
        "euc_kr": (KOREAN.encode("euc_kr"), ["cp949", "save it as UTF-8"]),
        "random bytes": (bytes(rng.randrange(256) for _ in range(6000)), ["save it as UTF-8"]),
        "random high bytes": (bytes(rng.randrange(128, 256) for _ in range(6000)), ["encoding", "UTF-8"]),
    }
    out = {}
    for kind, (raw, needles) in files.items():
        path = folder / f"{kind.replace(' ', '-')}.txt"
        path.write_bytes(raw)
        out[kind] = (path, needles)
    return out


@pytest.mark.parametrize("kind", ["shift_jis", "euc_kr", "random bytes", "random high bytes"])
def test_unreadable_files_are_refused_by_extract_paths(kind: str, tmp_path: Path) -> None:
    path, needles = bad_files(tmp_path)[kind]
    with pytest.raises(InputError) as caught:
        extract_paths([ARTICLE, path])
    assert caught.value.path == str(path)
    for needle in needles:
        assert needle in str(caught.value)


@pytest.mark.parametrize("kind", ["shift_jis", "random bytes"])
def test_unreadable_files_make_govkg_load_write_nothing(kind: str, tmp_path: Path) -> None:
    db = tmp_path / "store.lbdb"
    assert govkg("load", str(ARTICLE), db=db).returncode == 0
    before = stored(db)
    path, needles = bad_files(tmp_path)[kind]
    # The good article next to the bad file: the whole load is refused, nothing of it is written.
    done = govkg("load", str(ARTICLE), str(path), db=db)
    assert_refused(done, path, *needles)
    assert stored(db) == before
    fresh = tmp_path / "fresh.lbdb"
    assert_refused(govkg("load", str(path), db=fresh), path, *needles)
    assert sum(stored(fresh).values()) == 0


@pytest.mark.parametrize("encoding", ["big5", "gbk", "utf-16"])
def test_traditional_chinese_in_legacy_encodings_reads_as_in_utf8(encoding: str, tmp_path: Path) -> None:
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(TRADITIONAL, encoding="utf-8")
    legacy = tmp_path / f"{encoding}.txt"
    legacy.write_bytes(TRADITIONAL.encode(encoding))
    expected, found = extract_paths([utf8]), extract_paths([legacy])
    assert found.documents[0].text == expected.documents[0].text
    assert {n.id for n in found.nodes} == {n.id for n in expected.nodes}
    assert "zone:浙江省宁波市江北区文教街道" in {n.id for n in found.nodes}


def test_a_text_without_a_zone_is_kept_with_a_warning(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NO_ZONE, encoding="utf-8")
    graph = extract_paths([note])
    assert graph.nodes == [] and graph.edges == []
    assert graph.documents[0].text == NO_ZONE.strip()  # the stored text, trailing line break dropped
    [warning] = extraction_warnings(graph)
    assert warning.startswith(f"{note}: no zone found")
    assert extraction_warnings(extract_paths([ARTICLE])) == []

    db = tmp_path / "store.lbdb"
    done = govkg("load", str(note), db=db)
    assert done.returncode == 0
    assert done.stderr.strip() == f"govkg: warning: {warning}"
    assert "loaded 1 document(s)" in done.stdout
    assert stored(db)["Document"] == 1 and stored(db)["Zone"] == 0
    with LadybugStore(db, read_only=True) as store:
        assert store.snapshot().documents[0].text == NO_ZONE.strip()

    printed = govkg("extract", str(note), "--format", "json", db=db)
    assert printed.returncode == 0 and "no zone found" in printed.stderr
    assert '"nodes": []' in printed.stdout
    as_sheet = govkg("extract", str(note), "--format", "yaml", db=db)
    assert_refused(as_sheet, note, "no zone was found")


@pytest.mark.slow
def test_a_20_mb_text_loads(tmp_path: Path) -> None:
    """The article's text, its body repeated to 20 MB (UTF-8). About a minute on a busy two-core
    machine (extraction runs at roughly 130,000-180,000 characters a second; see
    bench/extraction_speed.py), so it runs through the command line once; `-m "not slow"` skips it."""
    article = extract_paths([ARTICLE])
    text = article.documents[0].text
    # The byline and the source lines are written once, at the head and the tail, as in a report.
    head, rest = text.split("\n", 1)
    body, tail = rest.split("\n来源:", 1)
    body += "\n"
    big = tmp_path / "big.txt"
    size = 20 * 1024 * 1024
    repeats = size // len(body.encode("utf-8")) + 1
    big.write_text(head + "\n" + body * repeats + "来源:" + tail, encoding="utf-8")
    assert big.stat().st_size >= size

    db = tmp_path / "big.lbdb"
    done = govkg("load", str(big), db=db)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "loaded 1 document(s)" in done.stdout
    with LadybugStore(db, read_only=True) as store:
        graph = store.snapshot()
    # The same zones, mechanisms, organisations and policies as the article alone; evidence stays bounded.
    assert {n.id for n in graph.nodes} == {n.id for n in article.nodes}
    assert graph.documents[0].author == article.documents[0].author
    assert graph.documents[0].source == article.documents[0].source
    assert len(graph.documents[0].text) == len(head) + 1 + len(body) * repeats + len("来源:" + tail)
    assert max(len(e.evidence) for e in graph.edges if e.type != "MENTIONS") <= 8
    assert graph.problems() == []

