"""Imports run one way (docs/architecture.md): the app and the command line use the services, which
use the graph and the loaders, which use a small core. Read from the source, every import counted,
including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from repo import PROJECT_ROOT

CORE = ("govkg.__version__", "govkg.errors", "govkg.memory", "govkg.process_group", "govkg.resources", "govkg.text")
# The words both front ends show (Chinese and English names and messages).
WORDS = ("govkg.i18n",)
DOMAIN = ("govkg.graph", "govkg.loaders")

# Layer -> the govkg modules its modules may import (a prefix allows the package and its modules).
ALLOWED: dict[str, tuple[str, ...]] = {
    "core": CORE,
    "domain": (*CORE, *DOMAIN),
    "services": (*CORE, *DOMAIN, "govkg.services"),
    "neo4j_server": (*CORE, *DOMAIN, "govkg.neo4j_server"),
    "cli": (*CORE, *DOMAIN, *WORDS, "govkg.services", "govkg.neo4j_server", "govkg.cli", "govkg.bench"),
    "app": (*CORE, *DOMAIN, *WORDS, "govkg.services", "govkg.app"),
    "bench": (*CORE, *DOMAIN, *WORDS, "govkg.services", "govkg.neo4j_server", "govkg.app", "govkg.bench"),
    "words": (*CORE, *DOMAIN, *WORDS),
}
# Folders of the source tree and the layer of their modules; app.py and pages/ are the app.
FOLDERS = {
    "graph": ("govkg.graph", "domain"),
    "loaders": ("govkg.loaders", "domain"),
    "bench": ("govkg.bench", "bench"),
    "govkg/services": ("govkg.services", "services"),
    "govkg/neo4j_server": ("govkg.neo4j_server", "neo4j_server"),
    "govkg/cli": ("govkg.cli", "cli"),
    "govkg/app": ("govkg.app", "app"),
}
# The source tree's own top-level folders are not import names: installed, they live under govkg.
NOT_IMPORT_NAMES = {"graph", "loaders", "bench", "queries", "pages", "app", "tests"}


def _modules() -> list[tuple[str, str, Path]]:
    """(module name, layer, file) for every Python file of the program."""
    found = [(f"govkg.{p.stem}", "words" if f"govkg.{p.stem}" in WORDS else "core", p)
             for p in sorted((PROJECT_ROOT / "govkg").glob("*.py")) if p.stem != "__init__"]
    for folder, (package, layer) in FOLDERS.items():
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            found.append((f"{package}.{path.stem}", layer, path))
    found += [("app", "app", PROJECT_ROOT / "app.py")]
    found += [(f"pages.{p.stem}", "app", p) for p in sorted((PROJECT_ROOT / "pages").glob("*.py"))]
    return found


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, `from a import b` as `a.b` too."""
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append((node.lineno, node.module))
            names += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return names


def _allowed(name: str, prefixes: tuple[str, ...]) -> bool:
    return name == "govkg" or any(name == p or name.startswith(p + ".") for p in prefixes)


def test_every_module_of_the_program_is_checked() -> None:
    modules = _modules()
    assert len(modules) > 80
    assert {layer for _, layer, _ in modules} == set(ALLOWED)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_down_only(layer: str) -> None:
    wrong = []
    for module, in_layer, path in _modules():
        if in_layer != layer:
            continue
        for line, name in _imports(path):
            if name.startswith("govkg") and not _allowed(name, ALLOWED[layer]):
                wrong.append(f"{path.relative_to(PROJECT_ROOT)}:{line} ({module}) imports {name}")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_a_source_folder_by_its_bare_name() -> None:
    files = [path for _, _, path in _modules()] + sorted((PROJECT_ROOT / "tests").glob("*.py"))
    wrong = [
        f"{path.relative_to(PROJECT_ROOT)}:{line} imports {name}"
        for path in files
        for line, name in _imports(path)
        if name.split(".")[0] in NOT_IMPORT_NAMES
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    # The rule's own check: a graph module importing the command line is caught.
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from govkg.cli.main import main\n    return main\n", encoding="utf-8")
    (line, name), *_ = _imports(sample)
    assert (line, name) == (2, "govkg.cli.main") and not _allowed(name, ALLOWED["domain"])


def test_every_package_of_the_program_is_installed() -> None:
    # setuptools installs the packages pyproject.toml lists; one left out installs without its modules
    # (the wheel test finds that too, but only after building a wheel).
    import tomllib

    listed = set(tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
                 ["packages"])  # fmt: skip
    found = {"govkg"}
    for folder, (package, _) in FOLDERS.items():
        for init in (PROJECT_ROOT / folder).rglob("__init__.py"):
            inside = init.parent.relative_to(PROJECT_ROOT / folder).parts
            found.add(".".join((package, *inside)))
    assert found == listed
