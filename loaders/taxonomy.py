"""The editable taxonomy of mechanism categories (data/taxonomy.yaml) and cue matching."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from govkg.errors import InputError
from govkg.graph.model import Node, node_id
from govkg.resources import TAXONOMY_FILE


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    name_en: str
    cues: tuple[str, ...]

    @property
    def node_id(self) -> str:
        return node_id("Category", self.name)

    def to_node(self) -> Node:
        return Node(self.node_id, "Category", self.name, [], {"name_en": self.name_en, "cues": list(self.cues)})


@dataclass(frozen=True)
class CategoryMatch:
    category: Category
    cue: str


def load_taxonomy(path: Path = TAXONOMY_FILE) -> tuple[Category, ...]:
    return _load_taxonomy_cached(str(path))


@lru_cache(maxsize=8)
def _load_taxonomy_cached(path: str) -> tuple[Category, ...]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return tuple(
            Category(str(c["id"]), str(c["name"]), str(c["name_en"]), tuple(str(x) for x in c.get("cues") or []))
            for c in data["categories"]
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError) as err:
        raise InputError(path, f"cannot read the category taxonomy ({err})") from err


def find_category(name: str, taxonomy: tuple[Category, ...] | None = None) -> Category | None:
    """A category by its Chinese name, English name or id (case-insensitive for the latter two)."""
    wanted = name.strip().lower()
    for cat in taxonomy or load_taxonomy():
        if wanted in (cat.name.lower(), cat.name_en.lower(), cat.key.lower()):
            return cat
    return None


def match_categories(text: str, taxonomy: tuple[Category, ...] | None = None) -> list[CategoryMatch]:
    """Every category one of whose cues occurs in `text`, with the first cue found."""
    found: list[CategoryMatch] = []
    for cat in taxonomy or load_taxonomy():
        cue = next((c for c in cat.cues if c in text), None)
        if cue is not None:
            found.append(CategoryMatch(cat, cue))
    return found
