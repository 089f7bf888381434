"""Declared properties of every node label and relationship type.

LadybugDB needs its tables declared up front; Neo4j gets the same names, a uniqueness
constraint on `id` and an index on `name`. A model property not declared here is kept in
the JSON string column `extra`, so nothing a loader emits is lost.
"""

from __future__ import annotations

from govkg.graph.model import EDGE_TYPES, NODE_LABELS

# Column types are LadybugDB's; Neo4j stores the same Python values.
# `curated`: true on what a curated case sheet (one that replaces an automatic extraction) states.
COMMON_NODE_PROPERTIES: dict[str, str] = {
    "name": "STRING",
    "aliases": "STRING[]",
    "extra": "STRING",
    "curated": "BOOLEAN",
}

NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Zone": {"level": "STRING", "full_name": "STRING", "code": "STRING"},
    "Organisation": {"kind": "STRING"},
    "Mechanism": {"description": "STRING", "parts": "STRING[]"},
    "Policy": {"kind": "STRING", "year": "INT64"},
    "Document": {
        "path": "STRING",
        "title": "STRING",
        "source": "STRING",
        "author": "STRING",
        "date": "STRING",
        "text": "STRING",
        "loaded_at": "STRING",
        # Curation: the documents a curated sheet replaces, and the one that replaced this document.
        "replaces": "STRING[]",
        "superseded_by": "STRING",
    },
    "Category": {"name_en": "STRING", "cues": "STRING[]"},
    "Theme": {"name_en": "STRING"},
}

# Evidence travels as four parallel lists: primitive lists are the one shape both engines store.
EVIDENCE_PROPERTIES: dict[str, str] = {
    "evidence_documents": "STRING[]",
    "evidence_texts": "STRING[]",
    "evidence_starts": "INT64[]",
    "evidence_ends": "INT64[]",
}
COMMON_EDGE_PROPERTIES: dict[str, str] = {**EVIDENCE_PROPERTIES, "extra": "STRING", "curated": "BOOLEAN"}

EDGE_PROPERTIES: dict[str, dict[str, str]] = {
    "IN_CATEGORY": {"cue": "STRING"},
    # year: the first year the text gives for it; stage: one of model.ADOPTION_STAGES; learned: the
    # text says the zone learned it from elsewhere (学习借鉴).
    "ADOPTS": {"year": "INT64", "stage": "STRING", "learned": "BOOLEAN"},
    "LEARNED_FROM": {"mechanisms": "STRING[]"},
    "SIMILAR_TO": {"score": "DOUBLE", "parts": "STRING", "shared": "STRING[]"},
}


# Researchers' corrections (graph/corrections.py) live beside the graph in a table of their own, not a
# node label: they are records about the graph, not part of it (no relationships, not in counts or
# pictures). `body` is the correction as JSON; `undone_at` is set when it is undone.
CORRECTION_TABLE = "Correction"
CORRECTION_COLUMNS: dict[str, str] = {
    "action": "STRING",
    "author": "STRING",
    "made_at": "STRING",
    "body": "STRING",
    "undone_at": "STRING",
}


def node_columns(label: str) -> dict[str, str]:
    """All declared columns of a label except the primary key `id`."""
    return {**COMMON_NODE_PROPERTIES, **NODE_PROPERTIES.get(label, {})}


def edge_columns(edge_type: str) -> dict[str, str]:
    return {**COMMON_EDGE_PROPERTIES, **EDGE_PROPERTIES.get(edge_type, {})}


assert set(NODE_PROPERTIES) == set(NODE_LABELS)
assert set(EDGE_PROPERTIES) <= set(EDGE_TYPES)
