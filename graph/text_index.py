"""The full-text index: every name, alias, evidence sentence and sentence of a document's text as a
*passage*, with the character n-grams of each passage in flat numpy arrays.

Matching form (`match_form`): `govkg.text.fold` (traditional characters to simplified, full-width forms
to half-width; the same length, so an offset found in the folded text is an offset into the stored
text), then ASCII lower case (also length-preserving). Grams: every pair of neighbouring characters
(bigram) and every single character (unigram), whitespace left out. A search (graph/text_search.py)
looks up a query's grams and keeps the passages that hold them all, so no segmenter decides what can be
found: a name jieba's dictionary does not know (a new mechanism's) is found as well as a common word.

Passages and their owners (the nodes a hit is reported at, and where):
- a name or an alias: one passage per distinct text, owned by every node that bears it (`name`,
  `alias`); documents are named by their title;
- an evidence sentence: one passage per (document, start, end, sentence), owned by both ends of every
  relationship it supports (`evidence`), a MENTIONS by the node mentioned only;
- a sentence of a document's stored text (split at 。！？；!?; and line breaks): owned by the document
  (`text`), and shared with evidence at exactly the same place.

Everything is built in one pass over `SearchableText` (the store's names, aliases, texts and evidence),
sorted first, so the same store content gives the same index on either engine. Saved with numpy's own
format (`np.savez`, read back with `allow_pickle=False`: a file from elsewhere cannot run code).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from string import ascii_lowercase, ascii_uppercase
from typing import Any

import numpy as np
import numpy.typing as npt

from govkg.graph.model import NODE_LABELS, normalise_name
from govkg.graph.store import SearchableText
from govkg.text import fold

__all__ = [
    "EVIDENCE",
    "FORMAT",
    "NAME_KIND",
    "SENTENCE_KIND",
    "TEXT",
    "WHERE",
    "TextIndex",
    "build_index",
    "exact_hash",
    "exact_key",
    "gram_keys",
    "load_index",
    "match_form",
    "save_index",
    "sentence_spans",
]

FORMAT = 1  # of the saved file; a file of another format is rebuilt
WHERE: tuple[str, ...] = ("name", "alias", "evidence", "text")  # where a passage is its owner's
NAME, ALIAS, EVIDENCE, TEXT = range(4)
NAME_KIND, SENTENCE_KIND = 0, 1  # a passage is a name (or alias), or a sentence

_LOWER = str.maketrans(ascii_uppercase, ascii_lowercase)
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n")
# Code points that are whitespace (never part of a gram): str.isspace over the BMP.
_SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()] + [0], dtype=np.uint32)
_CHAR_BITS = 21  # every code point fits in 21 bits
_UNIGRAM = np.uint64(1 << (2 * _CHAR_BITS))  # a unigram's key: this bit and its code point
_PASSAGE_BITS = 21  # passages per index sorted in one key (more: sorted by two keys)

IntArray = npt.NDArray[np.int64]


def match_form(text: str) -> str:
    """`text` as search compares it: folded (govkg.text.fold) and in ASCII lower case, same length."""
    return fold(text).translate(_LOWER)


def exact_key(text: str) -> str:
    """What an exact name match compares: the matching form without quotes or whitespace."""
    return normalise_name(match_form(text))


def exact_hash(key: str) -> int:
    """A 64-bit digest of an exact_key, the same in every process (never 0)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little") or 1


def gram_keys(term: str) -> list[int]:
    """The distinct gram keys of one query term in matching form (no whitespace in it): its single
    character for a one-character term, else its bigrams."""
    codes = [ord(ch) for ch in term]
    if len(codes) == 1:
        return [int(_UNIGRAM) | codes[0]]
    return sorted({(a << _CHAR_BITS) | b for a, b in itertools.pairwise(codes)})


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a document's text as (start, end), whitespace trimmed: ended by 。！？；!?; (with
    the closing quotes after them) or a line break."""
    spans: list[tuple[int, int]] = []
    at = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() if m.group() == "\n" else m.end()
        spans.append(_trimmed(text, at, end))
        at = m.end()
    spans.append(_trimmed(text, at, len(text)))
    return [(s, e) for s, e in spans if s < e]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass
class TextIndex:
    """Passages, their owners and their grams (see the module docstring). Passage p is
    `text[offsets[p]:offsets[p + 1]]`; owners of p are `owner_*[owner_ptr[p]:owner_ptr[p + 1]]`; the
    relationships an evidence owner o stands for are `owner_rel[owner_rel_ptr[o]:owner_rel_ptr[o + 1]]`;
    gram g (`gram_keys`, sorted) is held by the passages `post_passage[gram_ptr[g]:gram_ptr[g + 1]]`
    (sorted), `post_tf` times each."""

    version: str  # DataToken.version of the data it was built from ("" when unknown)
    text: str
    offsets: IntArray
    kind: npt.NDArray[np.uint8]
    document: npt.NDArray[np.int32]  # index into `documents`, -1 for names
    start: IntArray  # where the passage starts in its document's text, -1 for names
    label_bits: npt.NDArray[np.uint8]  # bit i: an owner is of NODE_LABELS[i]
    exact: npt.NDArray[np.uint64]  # names: exact_hash of their exact_key (0 for sentences)
    owner_ptr: IntArray
    owner_node: npt.NDArray[np.int32]
    owner_where: npt.NDArray[np.uint8]
    owner_rel_ptr: IntArray
    owner_rel: npt.NDArray[np.int32]
    rel_type: npt.NDArray[np.uint8]  # index into `rel_types`
    rel_source: npt.NDArray[np.int32]
    rel_target: npt.NDArray[np.int32]
    gram_keys: npt.NDArray[np.uint64]
    gram_ptr: IntArray
    post_passage: npt.NDArray[np.int32]
    post_tf: npt.NDArray[np.uint16]
    node_ids: list[str]
    node_labels: list[str]  # "" for an id evidence names but the store does not hold
    node_names: list[str]
    documents: list[str]
    rel_types: list[str]
    avg_length: tuple[float, float]  # mean passage length of names and of sentences

    @property
    def passages(self) -> int:
        return len(self.offsets) - 1

    def passage(self, p: int) -> str:
        return self.text[int(self.offsets[p]) : int(self.offsets[p + 1])]

    def lengths(self) -> IntArray:
        return np.diff(self.offsets)


# --------------------------------------------------------------------- building


# An owner of a passage: where the passage is the node's (NAME ... TEXT), and for evidence the
# relationships (indices) it supports.
_Owner = tuple[int, list[int]]


def build_index(source: SearchableText, version: str = "") -> TextIndex:
    """The index of everything `source` holds (see the module docstring). The result does not depend
    on the order of `source`: passages and owners are sorted, relationships listed by type and ids."""
    nodes: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for node_id, label, name, aliases in sorted(source.nodes):
        nodes.setdefault(node_id, (label, name, aliases))
    node_ids = sorted(nodes)
    at = {node_id: i for i, node_id in enumerate(node_ids)}
    node_labels = [nodes[i][0] for i in node_ids]
    node_names = [nodes[i][1] for i in node_ids]

    def node_index(node_id: str) -> int:
        found = at.get(node_id)
        if found is None:  # evidence naming a node the store does not hold: kept, never an owner
            found = at[node_id] = len(node_ids)
            node_ids.append(node_id)
            node_labels.append("")
            node_names.append(node_id)
        return found

    names: dict[str, dict[int, _Owner]] = {}
    for node_id, (_, name, aliases) in nodes.items():
        if name.strip():
            names.setdefault(name, {}).setdefault(at[node_id], (NAME, []))
        for alias in aliases:
            if alias.strip() and alias != name:
                names.setdefault(alias, {}).setdefault(at[node_id], (ALIAS, []))

    sentences: dict[tuple[str, int, int, str], dict[int, _Owner]] = {}
    rels: dict[tuple[str, int, int], int] = {}
    # A million pieces of evidence at 10,000 synthetic documents (MENTIONS repeat the others'): plain
    # lookups, no object made for what is already held.
    for edge_type, source_id, target_id, doc, sentence, start, end in source.evidence:
        if not sentence or sentence.isspace():
            continue
        ends = (node_index(source_id), node_index(target_id))
        rel_key = (edge_type, *ends)
        rel = rels.get(rel_key)
        if rel is None:
            rel = rels[rel_key] = len(rels)
        key = (doc, start, end, sentence)
        owners = sentences.get(key)
        if owners is None:
            owners = sentences[key] = {}
        for node in ends[1:] if edge_type == "MENTIONS" else ends:
            held = owners.get(node)
            if held is None:
                owners[node] = (EVIDENCE, [rel])
            elif rel not in held[1]:
                held[1].append(rel)
    for doc, text in sorted(source.texts.items()):
        if doc not in at:
            continue
        for start, end in sentence_spans(text or ""):
            sentences.setdefault((doc, start, end, text[start:end]), {}).setdefault(at[doc], (TEXT, []))

    texts: list[str] = []
    kinds: list[int] = []
    doc_of: list[int] = []
    starts: list[int] = []
    owners_of: list[dict[int, _Owner]] = []
    for name in sorted(names):
        texts.append(name)
        kinds.append(NAME_KIND)
        doc_of.append(-1)
        starts.append(-1)
        owners_of.append(names[name])
    documents: dict[str, int] = {}
    for key in sorted(sentences):
        doc, start, _, sentence = key
        texts.append(sentence)
        kinds.append(SENTENCE_KIND)
        doc_of.append(documents.setdefault(doc, len(documents)))
        starts.append(start)
        owners_of.append(sentences[key])
    return _assemble(version, texts, kinds, doc_of, starts, owners_of, node_ids, node_labels, node_names,
                     list(documents), rels)  # fmt: skip


def _assemble(
    version: str, texts: list[str], kinds: list[int], doc_of: list[int], starts: list[int],
    owners_of: list[dict[int, _Owner]], node_ids: list[str], node_labels: list[str], node_names: list[str],
    documents: list[str], rels: dict[tuple[str, int, int], int],
) -> TextIndex:  # fmt: skip
    label_bit = {label: 1 << i for i, label in enumerate(NODE_LABELS)}
    rank = {label: i for i, label in enumerate(NODE_LABELS)}
    owner_ptr = [0]
    owner_node: list[int] = []
    owner_where: list[int] = []
    owner_rel_ptr = [0]
    owner_rel: list[int] = []
    label_bits: list[int] = []
    for owners in owners_of:
        bits = 0
        # Owners in the order hits list them: where, then label, then id.
        order = sorted(owners, key=lambda n: (owners[n][0], rank.get(node_labels[n], 99), node_ids[n])) \
            if len(owners) > 1 else owners
        for node in order:
            if not node_labels[node]:
                continue
            where, held = owners[node]
            owner_node.append(node)
            owner_where.append(where)
            owner_rel.extend(held)
            owner_rel_ptr.append(len(owner_rel))
            bits |= label_bit.get(node_labels[node], 0)
        owner_ptr.append(len(owner_node))
        label_bits.append(bits)
    rel_types = sorted({t for t, _, _ in rels})
    ordered = sorted(rels.items(), key=lambda item: item[1])
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    kind = np.array(kinds, dtype=np.uint8)
    forms = [match_form(t) for t in texts]
    gram_keys_, gram_ptr, post_passage, post_tf = _postings(forms)
    exact = np.array([exact_hash(normalise_name(f)) if k == NAME_KIND else 0
                      for f, k in zip(forms, kinds, strict=True)], dtype=np.uint64)  # fmt: skip
    averages = tuple(float(lengths[kind == k].mean()) if np.any(kind == k) else 1.0 for k in (NAME_KIND,
                                                                                               SENTENCE_KIND))
    return TextIndex(
        version=version,
        text="".join(texts),
        offsets=offsets,
        kind=kind,
        document=np.array(doc_of, dtype=np.int32),
        start=np.array(starts, dtype=np.int64),
        label_bits=np.array(label_bits, dtype=np.uint8),
        exact=exact,
        owner_ptr=np.array(owner_ptr, dtype=np.int64),
        owner_node=np.array(owner_node, dtype=np.int32),
        owner_where=np.array(owner_where, dtype=np.uint8),
        owner_rel_ptr=np.array(owner_rel_ptr, dtype=np.int64),
        owner_rel=np.array(owner_rel, dtype=np.int32),
        rel_type=np.array([rel_types.index(t) for (t, _, _), _ in ordered], dtype=np.uint8),
        rel_source=np.array([s for (_, s, _), _ in ordered], dtype=np.int32),
        rel_target=np.array([t for (_, _, t), _ in ordered], dtype=np.int32),
        gram_keys=gram_keys_,
        gram_ptr=gram_ptr,
        post_passage=post_passage,
        post_tf=post_tf,
        node_ids=node_ids,
        node_labels=node_labels,
        node_names=node_names,
        documents=documents,
        rel_types=rel_types,
        avg_length=(averages[0], averages[1]),
    )


def _postings(
    forms: list[str],
) -> tuple[npt.NDArray[np.uint64], IntArray, npt.NDArray[np.int32], npt.NDArray[np.uint16]]:
    """Every gram of the passages' matching `forms`, with the passages holding it and how often. The
    forms are laid end to end with a NUL after each, as one array of code points, so finding the grams
    is a few whole-array operations (a loop in Python over ten million characters would take seconds)."""
    forms = [f.replace("\x00", " ") for f in forms]
    codes = np.frombuffer(("\x00".join(forms) + "\x00").encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    passage = np.repeat(np.arange(len(forms), dtype=np.uint64), [len(f) + 1 for f in forms])
    usable = ~np.isin(codes, _SPACES)
    pairs = usable[:-1] & usable[1:]
    parts = [
        _counted((codes[:-1][pairs] << np.uint64(_CHAR_BITS)) | codes[1:][pairs], passage[:-1][pairs], len(forms)),
        _counted(codes[usable] | _UNIGRAM, passage[usable], len(forms)),  # all above every bigram key
    ]
    grams = np.concatenate([p[0] for p in parts])
    holders = np.concatenate([p[1] for p in parts]).astype(np.int32)
    counts = np.concatenate([p[2] for p in parts])
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]]) if len(grams) else np.zeros(0, dtype=np.int64)
    gram_ptr = np.r_[starts, len(grams)].astype(np.int64)
    return grams[starts], gram_ptr, holders, np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)


def _counted(
    keys: npt.NDArray[np.uint64], passage: npt.NDArray[np.uint64], passages: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Distinct (gram, passage) pairs sorted by gram then passage, and how often each occurs."""
    if passages < (1 << _PASSAGE_BITS):
        joined, counts = np.unique((keys << np.uint64(_PASSAGE_BITS)) | passage, return_counts=True)
        return joined >> np.uint64(_PASSAGE_BITS), joined & np.uint64((1 << _PASSAGE_BITS) - 1), counts
    order = np.lexsort((passage, keys))
    keys, passage = keys[order], passage[order]
    first = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]) | (passage[1:] != passage[:-1])])
    counts = np.diff(np.r_[first, len(keys)])
    return keys[first], passage[first], counts


# --------------------------------------------------------------------- saving and loading

_ARRAYS = ("offsets", "kind", "document", "start", "label_bits", "exact", "owner_ptr", "owner_node", "owner_where",
           "owner_rel_ptr", "owner_rel", "rel_type", "rel_source", "rel_target", "gram_keys", "gram_ptr",
           "post_passage", "post_tf")  # fmt: skip


def save_index(index: TextIndex, path: Path) -> None:
    """Write `index` to `path` atomically (a temporary file renamed over it)."""
    meta = {
        "format": FORMAT,
        "version": index.version,
        "node_ids": index.node_ids,
        "node_labels": index.node_labels,
        "node_names": index.node_names,
        "documents": index.documents,
        "rel_types": index.rel_types,
        "avg_length": list(index.avg_length),
    }
    arrays: dict[str, Any] = {name: getattr(index, name) for name in _ARRAYS}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    arrays["text"] = np.frombuffer(index.text.encode("utf-8"), dtype=np.uint8)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name + ".", suffix=".tmp", delete=False)  # noqa: SIM115
    try:
        with handle:
            np.savez(handle, **arrays)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def load_index(path: Path, version: str) -> TextIndex | None:
    """The index saved at `path` if it was built from data of `version` and reads whole; else None."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            meta = json.loads(saved["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT or meta.get("version") != version:
                return None
            arrays = {name: saved[name] for name in _ARRAYS}
            text = saved["text"].tobytes().decode("utf-8")
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    index = TextIndex(version=version, text=text, node_ids=list(meta["node_ids"]),
                      node_labels=list(meta["node_labels"]), node_names=list(meta["node_names"]),
                      documents=list(meta["documents"]), rel_types=list(meta["rel_types"]),
                      avg_length=(float(meta["avg_length"][0]), float(meta["avg_length"][1])),
                      **arrays)  # fmt: skip
    return index if _whole(index) else None


def _whole(index: TextIndex) -> bool:
    """Whether the arrays fit together (a file cut short or edited by hand does not load)."""
    p, o = index.passages, len(index.owner_node)
    return bool(
        p >= 0 and int(index.offsets[-1]) == len(index.text) and len(index.kind) == p and len(index.exact) == p
        and len(index.owner_ptr) == p + 1
        and int(index.owner_ptr[-1]) == o and len(index.owner_rel_ptr) == o + 1
        and int(index.owner_rel_ptr[-1]) == len(index.owner_rel) and len(index.gram_ptr) == len(index.gram_keys) + 1
        and int(index.gram_ptr[-1]) == len(index.post_passage) == len(index.post_tf)
        and len(index.node_ids) == len(index.node_labels) == len(index.node_names)
        and (o == 0 or int(index.owner_node.max()) < len(index.node_ids))
    )  # fmt: skip
