"""Where govkg's own files are, read through `importlib.resources` so that a source checkout and an
installed wheel find them the same way.

The source tree keeps the design card's top-level folders (`graph/`, `loaders/`, `queries/`, `data/`,
`app.py`, `pages/`, …); `govkg/` links to each of them, so in a checkout `govkg/queries` is the
top-level `queries/` and in the wheel it is a real folder inside the package (docs/architecture.md).
Only on-disk installs are supported (Streamlit runs `app.py` by its path), so every resource is a
`Path`.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = [
    "APP_FILE",
    "BUNDLED_CASES_DIR",
    "BUNDLED_CORPUS_DIR",
    "DATA_DIR",
    "NEO4J_POM_FILE",
    "QUERIES_DIR",
    "TAXONOMY_FILE",
    "default_db_path",
    "source_checkout",
    "user_cache_dir",
]

PACKAGE_DIR = Path(str(files("govkg")))
QUERIES_DIR = PACKAGE_DIR / "queries"
DATA_DIR = PACKAGE_DIR / "data"
BUNDLED_CORPUS_DIR = DATA_DIR / "corpus"
BUNDLED_CASES_DIR = DATA_DIR / "cases"
TAXONOMY_FILE = DATA_DIR / "taxonomy.yaml"
LEXICON_DIR = DATA_DIR / "lexicon"
APP_FILE = PACKAGE_DIR / "webapp" / "app.py"  # beside it: pages/ and .streamlit/config.toml
NEO4J_POM_FILE = PACKAGE_DIR / "neo4j" / "pom.xml"


def source_checkout() -> Path | None:
    """The repository's root when govkg runs from a source checkout (editable install), else None:
    benchmarks then write BENCHMARKS.md there, and the project's Neo4j lives in its `.neo4j/`."""
    root = PACKAGE_DIR.resolve().parent
    return root if (root / "pyproject.toml").is_file() and (root / "graph").is_dir() else None


def user_data_dir() -> Path:
    """The per-user data folder: XDG_DATA_HOME or ~/.local/share, then govkg/."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "govkg"


def user_cache_dir() -> Path:
    """The per-user cache folder (files govkg can rebuild, such as a Neo4j store's search index):
    XDG_CACHE_HOME or ~/.cache, then govkg/."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govkg"


def default_db_path() -> Path:
    """`GOVKG_DB` if set, else `govkg.lbdb` in the per-user data folder."""
    env = os.environ.get("GOVKG_DB")
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "govkg.lbdb"
