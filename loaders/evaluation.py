"""Scoring the text extractor against hand-written gold: precision and recall per category.

A gold file `NAME.gold.json` sits beside its text `NAME.txt` (or `.md`) and lists what a reader
finds in the text (the format is in docs/evaluation.md): zones, mechanisms, mechanism parts,
organisations, policies, zone–mechanism pairs and dated adoptions, plus place strings that are
acceptable but not required and strings that must never be extracted.

Contract:
- each text is extracted on its own (no resolution across files), as `govkg extract FILE` would;
- strings are compared as written, after dropping quotation and book-title marks and whitespace,
  with no simplified/traditional folding (gold is written in the text's own script). An extracted
  node matches when its name or any alias does (aliases keep the written form);
- recall is gold items found / gold items; precision is correct extractions / extractions scored.
  An extracted zone that is only an acceptable zone is not scored; an extracted mechanism that is
  a gold part is scored as a part, not as a mechanism; a pair or adoption whose zone is only an
  acceptable zone, or whose mechanism is a gold part (the zone practises the whole), is not
  scored; anything that matches a `not_entities` string is wrong;
- a planned adoption (stage `planned`) is no adoption: it is left out of pairs and adoptions;
- totals are micro-averaged (summed over documents).

Pure: returns data, prints nothing. `govkg eval` turns it into a table or JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govkg.errors import InputError
from govkg.graph.model import GraphDocument, Node

__all__ = [
    "CATEGORIES",
    "CategoryScore",
    "DocumentScore",
    "Evaluation",
    "Gold",
    "evaluate",
    "evaluate_paths",
    "gold_from_graph",
    "gold_pairs",
    "score_document",
]

CATEGORIES: tuple[str, ...] = ("zones", "mechanisms", "parts", "organisations", "policies", "pairs", "adoptions")
_TEXT_SUFFIXES = (".txt", ".md", ".markdown")
_GOLD_SUFFIX = ".gold.json"
_MARKS = re.compile(r"[“”‘’「」『』《》〈〉\"'\s]")
# ADOPTS.stage -> the gold `kind` it stands for; `learn` is ADOPTS.learned, whatever the stage.
_STAGE_KIND = {"pilot": "pilot", "adopted": "adopt", "promoted": "promote"}


def key(text: str) -> str:
    """A string as the gold compares it: without quotation and book-title marks and whitespace."""
    return _MARKS.sub("", text)


@dataclass(frozen=True)
class Gold:
    """One gold file, its strings already keyed."""

    path: str
    zones: frozenset[str]
    acceptable_zones: frozenset[str]
    mechanisms: frozenset[str]
    parts: frozenset[tuple[str, str]]
    organisations: frozenset[str]
    policies: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    adoptions: tuple[tuple[str, str, int | None, str], ...]
    not_entities: frozenset[str]

    @classmethod
    def read(cls, path: Path) -> Gold:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise InputError(str(path), f"cannot read the gold file ({err}); it must be UTF-8 JSON") from None
        if not isinstance(data, dict):
            raise InputError(str(path), "a gold file is a JSON object with keys zones, mechanisms, …")
        try:
            return cls(
                path=str(path),
                zones=frozenset(key(z["name"]) for z in data.get("zones", [])),
                acceptable_zones=frozenset(key(z) for z in data.get("acceptable_zones", [])),
                mechanisms=frozenset(key(m) for m in data.get("mechanisms", [])),
                parts=frozenset((key(w), key(p)) for w, p in data.get("mechanism_parts", [])),
                organisations=frozenset(key(o) for o in data.get("organisations", [])),
                policies=frozenset(key(p) for p in data.get("policies", [])),
                pairs=frozenset((key(z), key(m)) for z, m in data.get("zone_mechanism", [])),
                adoptions=tuple(
                    (key(a["zone"]), key(a["mechanism"]), a.get("year"), str(a["kind"]))
                    for a in data.get("adoptions", [])
                ),
                not_entities=frozenset(key(n) for n in data.get("not_entities", [])),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            problem = f"gold file does not follow the format ({err!r}); see docs/evaluation.md"
            raise InputError(str(path), problem) from None


def gold_from_graph(graph: GraphDocument, path: str, not_entities: Iterable[str] = ()) -> Gold:
    """A graph taken as gold (a document as researchers corrected it): what it holds is what a reader
    finds, named as the graph names it; `not_entities` (names researchers rejected) must never be
    extracted. A mechanism that is only ever a part of another is gold as a part; a planned adoption
    is no adoption; an adoption with a year, a pilot or promotion stage, or learned is a dated one."""
    nodes = graph.node_by_id()
    by_label: dict[str, list[Node]] = {}
    for node in graph.nodes:
        by_label.setdefault(node.label, []).append(node)
    part_ids = {e.target for e in graph.edges if e.type == "HAS_PART"}
    adoptions = [e for e in graph.edges if e.type == "ADOPTS" and e.properties.get("stage") != "planned"]
    adopted = {e.target for e in adoptions}
    dated = []
    for e in adoptions:
        stage = str(e.properties.get("stage", "adopted"))
        year, learned = _year(e.properties.get("year")), bool(e.properties.get("learned"))
        if year is not None or stage in ("pilot", "promoted") or learned:
            kind = "learn" if learned else _STAGE_KIND.get(stage, "adopt")
            dated.append((key(nodes[e.source].name), key(nodes[e.target].name), year, kind))
    names = {label: frozenset(key(n.name) for n in found) for label, found in by_label.items()}
    return Gold(
        path=path,
        zones=names.get("Zone", frozenset()),
        acceptable_zones=frozenset(),
        mechanisms=frozenset(key(m.name) for m in by_label.get("Mechanism", [])
                             if m.id not in part_ids or m.id in adopted),
        parts=frozenset((key(nodes[e.source].name), key(nodes[e.target].name)) for e in graph.edges
                        if e.type == "HAS_PART"),
        organisations=names.get("Organisation", frozenset()),
        policies=names.get("Policy", frozenset()),
        pairs=frozenset((key(nodes[e.source].name), key(nodes[e.target].name)) for e in adoptions),
        adoptions=tuple(dated),
        not_entities=frozenset(key(n) for n in not_entities),
    )


@dataclass
class CategoryScore:
    """Counts for one category; `missed` and `wrong` say which strings, for reading one document."""

    gold: int = 0
    found: int = 0  # gold items the extraction has
    predicted: int = 0  # extractions scored
    correct: int = 0  # extractions scored that match gold
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    def add(self, other: CategoryScore) -> None:
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.correct += other.correct

    def to_dict(self, details: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "gold": self.gold,
            "found": self.found,
            "predicted": self.predicted,
            "correct": self.correct,
        }
        if details:
            out["missed"] = self.missed
            out["wrong"] = self.wrong
        return out


@dataclass
class DocumentScore:
    document: str
    scores: dict[str, CategoryScore]
    forbidden: list[str]  # extractions matching a not_entities string

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "categories": {name: score.to_dict() for name, score in self.scores.items()},
            "not_entities_extracted": self.forbidden,
        }


@dataclass
class Evaluation:
    documents: list[DocumentScore]

    @property
    def totals(self) -> dict[str, CategoryScore]:
        totals = {name: CategoryScore() for name in CATEGORIES}
        for document in self.documents:
            for name, score in document.scores.items():
                totals[name].add(score)
        return totals

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "totals": {name: score.to_dict(details=False) for name, score in self.totals.items()},
            "not_entities_extracted": sum(len(d.forbidden) for d in self.documents),
            "per_document": [d.to_dict() for d in self.documents],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# -- what the extraction holds ---------------------------------------------------------------------


def _forms(node: Node) -> set[str]:
    return {key(node.name), *(key(a) for a in node.aliases)}


def _shown(node: Node) -> str:
    return node.name


@dataclass(frozen=True)
class _Adoption:
    zone: Node
    mechanism: Node
    year: int | None
    kind: str | None
    learned: bool


def score_document(graph: GraphDocument, gold: Gold) -> DocumentScore:
    """Scores of one document's extraction against its gold."""
    nodes = graph.node_by_id()
    by_label: dict[str, list[Node]] = {}
    for node in graph.nodes:
        by_label.setdefault(node.label, []).append(node)
    part_ids = {e.target for e in graph.edges if e.type == "HAS_PART"}
    gold_part_names = {p for _, p in gold.parts}
    forbidden: list[str] = []
    scores: dict[str, CategoryScore] = {}

    def forbidden_hit(node: Node) -> bool:
        if _forms(node) & gold.not_entities:
            forbidden.append(f"{node.label}: {_shown(node)}")
            return True
        return False

    def entities(
        name: str, candidates: Iterable[Node], wanted: frozenset[str], neutral: set[str] | frozenset[str]
    ) -> None:
        score = CategoryScore(gold=len(wanted))
        have: set[str] = set()
        for node in candidates:
            forms = _forms(node)
            have |= forms
            if forbidden_hit(node):
                score.predicted += 1
                score.wrong.append(_shown(node))
            elif forms & wanted:
                score.predicted += 1
                score.correct += 1
            elif not forms & neutral:
                score.predicted += 1
                score.wrong.append(_shown(node))
        score.missed = sorted(wanted - have)
        score.found = len(wanted) - len(score.missed)
        scores[name] = score

    zones = by_label.get("Zone", [])
    mechanisms = by_label.get("Mechanism", [])
    entities("zones", zones, gold.zones, gold.acceptable_zones)
    # A mechanism that is only ever a part of another is scored with the parts.
    entities("mechanisms", [m for m in mechanisms if m.id not in part_ids or _forms(m) & gold.mechanisms],
             gold.mechanisms, gold_part_names)  # fmt: skip
    entities("organisations", by_label.get("Organisation", []), gold.organisations, frozenset())
    entities("policies", by_label.get("Policy", []), gold.policies, frozenset())

    has_part = [(nodes[e.source], nodes[e.target]) for e in graph.edges if e.type == "HAS_PART"]
    scores["parts"] = _pairs(has_part, gold.parts, set())

    adoptions = [
        _Adoption(
            nodes[e.source],
            nodes[e.target],
            _year(e.properties.get("year")),
            _STAGE_KIND.get(str(e.properties.get("stage", "adopted"))),
            bool(e.properties.get("learned")),
        )
        for e in graph.edges
        if e.type == "ADOPTS" and e.properties.get("stage") != "planned"
    ]
    only_acceptable = gold.acceptable_zones - gold.zones
    only_parts = gold_part_names - gold.mechanisms
    scored = [a for a in adoptions if not _forms(a.mechanism) & only_parts or _forms(a.mechanism) & gold.mechanisms]
    scores["pairs"] = _pairs([(a.zone, a.mechanism) for a in scored], gold.pairs, only_acceptable)
    scores["adoptions"] = _adoptions(scored, gold, only_acceptable)
    return DocumentScore(gold.path, {name: scores[name] for name in CATEGORIES}, forbidden)


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pairs(
    predicted: Sequence[tuple[Node, Node]], wanted: frozenset[tuple[str, str]], neutral: set[str] | frozenset[str]
) -> CategoryScore:
    score = CategoryScore(gold=len(wanted))
    found: set[tuple[str, str]] = set()
    for left, right in predicted:
        left_forms, right_forms = _forms(left), _forms(right)
        hits = {(a, b) for a, b in wanted if a in left_forms and b in right_forms}
        found |= hits
        if hits:
            score.predicted += 1
            score.correct += 1
        elif not left_forms & neutral:
            score.predicted += 1
            score.wrong.append(f"{_shown(left)} → {_shown(right)}")
    score.found = len(found)
    score.missed = sorted(f"{a} → {b}" for a, b in wanted - found)
    return score


def _adoption_matches(a: _Adoption, gold: tuple[str, str, int | None, str]) -> bool:
    zone, mechanism, year, kind = gold
    if zone not in _forms(a.zone) or mechanism not in _forms(a.mechanism):
        return False
    if kind == "learn":
        return a.learned
    return a.kind == kind and (year is None or a.year == year)


def _adoptions(predicted: Sequence[_Adoption], gold: Gold, neutral: set[str] | frozenset[str]) -> CategoryScore:
    """Dated or staged adoptions: an ADOPTS with a year, a stage other than plain adoption, or learned."""
    score = CategoryScore(gold=len(gold.adoptions))
    events = [a for a in predicted if a.year is not None or a.kind in ("pilot", "promote") or a.learned]
    found: set[int] = set()
    for event in events:
        hits = {i for i, g in enumerate(gold.adoptions) if _adoption_matches(event, g)}
        found |= hits
        if hits:
            score.predicted += 1
            score.correct += 1
        elif not _forms(event.zone) & neutral:
            score.predicted += 1
            stage = "learned" if event.learned else event.kind
            score.wrong.append(f"{_shown(event.zone)} → {_shown(event.mechanism)} ({stage}, {event.year})")
    score.found = len(found)
    score.missed = sorted(
        f"{z} → {m} ({k}, {y})" for i, (z, m, y, k) in enumerate(gold.adoptions) if i not in found
    )
    return score


# -- files ---------------------------------------------------------------------------------------


def gold_pairs(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(text, gold) for each path: a folder's NAME.gold.json files with their texts, a gold file, or
    a text with its gold beside it."""
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            golds = sorted(path.glob(f"*{_GOLD_SUFFIX}"))
            if not golds:
                raise InputError(str(path), f"folder holds no gold files (*{_GOLD_SUFFIX}); see docs/evaluation.md")
            found.extend((_text_for(g), g) for g in golds)
        elif path.name.endswith(_GOLD_SUFFIX):
            found.append((_text_for(path), path))
        elif path.suffix.lower() in _TEXT_SUFFIXES:
            gold = path.with_name(path.stem + _GOLD_SUFFIX)
            if not gold.exists():
                raise InputError(str(path), f"no gold file beside it (expected {gold.name})")
            found.append((path, gold))
        elif not path.exists():
            raise InputError(str(path), "file not found")
        else:
            raise InputError(str(path), f"give a folder, a *{_GOLD_SUFFIX} file or a .txt/.md text with its gold")
    return found


def _text_for(gold: Path) -> Path:
    stem = gold.name[: -len(_GOLD_SUFFIX)]
    for suffix in _TEXT_SUFFIXES:
        text = gold.with_name(stem + suffix)
        if text.exists():
            return text
    raise InputError(str(gold), f"no text beside the gold file (expected {stem}.txt or {stem}.md)")


def evaluate(pairs: Sequence[tuple[Path, Path]]) -> Evaluation:
    """Extract each text alone and score it against its gold."""
    from govkg.loaders.extract import extract_file

    documents: list[DocumentScore] = []
    for text, gold_path in pairs:
        gold = Gold.read(gold_path)
        graph = extract_file(text)
        score = score_document(graph, gold)
        score.document = str(text)
        documents.append(score)
    return Evaluation(documents)


def evaluate_paths(paths: Iterable[Path]) -> Evaluation:
    return evaluate(gold_pairs(paths))
