"""Corrections become gold: the extractor scored against the documents of a store as researchers
corrected them (`govkg eval --corrected`).

For every stored text document that a kept correction concerns, the extractor reads the stored text
now (prediction), and the same reading with every kept correction applied is the gold, scored as
`govkg eval` scores hand-written gold (loaders/evaluation.py). A fact the researchers did not
correct therefore counts as right: they reviewed those documents, and what they left stands. Names
they rejected are also `not_entities`. Case sheets and CSV rows keep no text to read again, so
documents of those are counted as skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from govkg.errors import InputError
from govkg.graph.corrections import Correction, apply_corrections
from govkg.graph.store import GraphStore
from govkg.loaders.evaluation import Evaluation, gold_from_graph, score_document
from govkg.loaders.extract import case_file_kind, extract_case_text

__all__ = ["StoreEvaluation", "evaluate_store"]


@dataclass
class StoreEvaluation:
    """The scores, the corrections they rest on, and the corrected documents that could not be read again."""

    evaluation: Evaluation
    corrections: int = 0
    skipped: list[str] = field(default_factory=list)  # corrected documents without stored text

    def to_dict(self) -> dict[str, Any]:
        return {**self.evaluation.to_dict(), "corrections": self.corrections, "skipped_documents": self.skipped}


def evaluate_store(store: GraphStore) -> StoreEvaluation:
    """Score the extractor against the store's corrected text documents (see the module docstring)."""
    kept = store.corrections()
    result = StoreEvaluation(Evaluation([]), corrections=len(kept))
    for document in sorted({d for c in kept for d in c.documents}):
        rows = store.read("MATCH (d:Document {id: $id}) RETURN d.text, d.path, d.title", {"id": document}).rows
        if not rows:
            continue  # kept for a document not loaded yet
        text, path, title = (str(v or "") for v in rows[0])
        name = PurePath(path).name or f"{document}.txt"
        if not text.strip() or _kind(name) != "text":
            result.skipped.append(path or title or document)
            continue
        predicted = extract_case_text(text, name)
        gold_graph = apply_corrections(predicted, kept).graph
        gold = gold_from_graph(gold_graph, path or document, _rejected_names(kept, document))
        score = score_document(predicted, gold)
        score.document = path or title or document
        result.evaluation.documents.append(score)
    return result


def _kind(name: str) -> str:
    try:
        return case_file_kind(name)
    except InputError:
        return "text"  # a stored text under an unusual name is still a text


def _rejected_names(kept: list[Correction], document: str) -> list[str]:
    """Names researchers said are no entity (rejected nodes) in `document`."""
    return [str(c.before.get("name")) for c in kept if c.action == "reject" and c.target.edge is None
            and document in c.documents and c.before.get("name")]  # fmt: skip
