"""Files that are no saved texts are refused at once with one line (issue 11): a pipe would make a
load wait forever, a device (/dev/zero) never ends, and a file name may hold terminal escapes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.errors import InputError, printable
from govkg.loaders import reading
from govkg.loaders.reading import read_text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "case.txt"
    os.mkfifo(pipe)
    with pytest.raises(InputError, match="not a regular file"):
        read_text(pipe)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "case.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_text(link)


def test_the_size_limit_holds_on_the_bytes_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "case.txt"
    path.write_text("浙江省湖州市安吉县推行“两山议事会”。" * 50, encoding="utf-8")
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="limit"):
        read_text(path)


def test_control_characters_in_a_name_are_shown_escaped() -> None:
    name = "case\x1b[31mred\x07.txt"
    message = str(InputError(name, "file not found"))
    assert "\x1b" not in message and "\x07" not in message
    assert message.startswith("case\\x1b[31mred\\x07.txt: ")
    assert printable("湖州 案例.txt") == "湖州 案例.txt"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_govkg_load_of_a_pipe_fails_with_one_line(tmp_path: Path) -> None:
    pipe = tmp_path / "case.txt"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "govkg.cli.main", "load", str(pipe), "--db", str(tmp_path / "govkg.lbdb")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_every_message_naming_a_hostile_path_stays_one_escaped_line(tmp_path: Path) -> None:
    # Not only case files: a database path, a query, a zone name reach messages of every error type.
    hostile = tmp_path / "db\x1b]0;pwned\x07\nsecond line.lbdb"
    done = subprocess.run(
        [sys.executable, "-m", "govkg.cli.main", "cypher", "RETURN 1", "--db", str(hostile)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "\\x1b" in done.stderr
