"""Corrections become gold: the extractor scored against the documents of a store as researchers
corrected them (`govkg eval --corrected`).

For every stored text document that a kept (not undone) correction concerns, the extractor reads the
stored text now (prediction), and the same reading with every kept correction applied is the gold,
scored as `govkg eval` scores hand-written gold (loaders/evaluation.py). A fact the researchers did not
correct therefore counts as right: they reviewed those documents, and what they left stands. Names
they rejected are also `not_entities`. Case sheets and CSV rows keep no text to read again, so
documents of those are counted as skipped. A correction whose fact the new reading no longer holds
(a newer extractor reads the text otherwise) cannot be gold for it: it is listed as unmatched.

Pure of words: returns data, the command line prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from govkg.errors import InputError
from govkg.graph.corrections import Correction, apply_corrections
from govkg.graph.store import GraphStore
from govkg.loaders.evaluation import Evaluation, gold_from_graph, score_document
from govkg.loaders.extract import case_file_kind, extract_case_text

__all__ = ["StoreEvaluation", "Unmatched", "evaluate_store"]


@dataclass(frozen=True)
class Unmatched:
    """A kept correction of a scored document whose fact the extractor's new reading does not hold."""

    correction: str  # its id
    action: str
    target: str
    document: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.correction, "action": self.action, "target": self.target, "document": self.document}


@dataclass
class StoreEvaluation:
    """The scores, the corrections they rest on, the corrected documents that could not be read again,
    and the corrections the new reading gave nothing to apply to."""

    evaluation: Evaluation
    corrections: int = 0  # kept corrections (undone ones are no gold)
    skipped: list[str] = field(default_factory=list)  # corrected documents without stored text
    unmatched: list[Unmatched] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.evaluation.to_dict(),
            "corrections": self.corrections,
            "skipped_documents": self.skipped,
            "unmatched_corrections": [u.to_dict() for u in self.unmatched],
        }


def evaluate_store(store: GraphStore) -> StoreEvaluation:
    """Score the extractor against the store's corrected text documents (see the module docstring)."""
    kept = store.corrections()
    result = StoreEvaluation(Evaluation([]), corrections=len(kept))
    for document in sorted({d for c in kept for d in c.documents}):
        rows = store.read("MATCH (d:Document {id: $id}) RETURN d.text, d.path, d.title", {"id": document}).rows
        if not rows:
            continue  # kept for a document not loaded yet
        text, path, title = (str(v or "") for v in rows[0])
        shown = path or title or document
        name = PurePath(path).name or f"{document}.txt"
        if not text.strip() or _kind(name) != "text":
            result.skipped.append(shown)
            continue
        predicted = extract_case_text(text, name)  # as a load reads it: the same entry, the same name
        outcome = apply_corrections(predicted, _for_reading(kept, document, predicted.documents[0].id))
        concerned = {c.id for c in kept if document in c.documents}
        result.unmatched += [Unmatched(c.id, c.action, str(c.target), shown) for c in outcome.missing
                             if c.id in concerned]  # fmt: skip
        gold = gold_from_graph(outcome.graph, shown, _rejected_names(kept, document))
        score = score_document(predicted, gold)
        score.document = shown
        result.evaluation.documents.append(score)
    return result


def _kind(name: str) -> str:
    try:
        return case_file_kind(name)
    except InputError:
        return "text"  # a stored text under an unusual name is still a text


def _for_reading(kept: list[Correction], stored: str, read: str) -> list[Correction]:
    """The kept corrections, those of the stored document naming the new reading of it. A document's id
    is a digest of its cleaned text, so an extractor that cleans a text otherwise reads it under another
    id; its corrections are still about it."""
    if stored == read:
        return kept
    return [replace(c, documents=tuple(read if d == stored else d for d in c.documents)) for c in kept]


def _rejected_names(kept: list[Correction], document: str) -> list[str]:
    """Names researchers said are no entity (rejected nodes) in `document`."""
    return [str(c.before.get("name")) for c in kept if c.action == "reject" and c.target.edge is None
            and document in c.documents and c.before.get("name")]  # fmt: skip
