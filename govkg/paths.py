"""Where the project's own files live (the repository is installed in editable mode)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"
DATA_DIR = PROJECT_ROOT / "data"
BUNDLED_CORPUS_DIR = DATA_DIR / "corpus"
BUNDLED_CASES_DIR = DATA_DIR / "cases"
TAXONOMY_FILE = DATA_DIR / "taxonomy.yaml"
APP_FILE = PROJECT_ROOT / "app.py"


def default_db_path() -> Path:
    """`GOVKG_DB` if set, else a per-user data folder (XDG_DATA_HOME or ~/.local/share)."""
    env = os.environ.get("GOVKG_DB")
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "govkg" / "govkg.lbdb"
