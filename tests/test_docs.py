"""The README documents what the tool offers: a command missing from it fails here."""

from __future__ import annotations

import click
from repo import PROJECT_ROOT

from govkg.cli.main import main

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    ctx = click.Context(main)
    missing = [name for name in main.list_commands(ctx) if f"`govkg {name}" not in README]
    assert not missing, f"commands missing from README.md's command table: {missing}"


def test_quick_start_has_the_two_commands_ci_runs() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = quick_start.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
