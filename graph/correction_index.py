"""Which kept corrections concern a node or a relationship: the provenance a reader sees beside a
fact's evidence ("corrected by … on … (action)").

A correction concerns a node when the node is its target, is named in its value (the node merged
into, a relationship's new source or target, the node a rename, re-typing or split leaves or makes,
an added node) or is what the extractor had said (`before`). It concerns a relationship when the
relationship is its target, is what a re-attachment made of it, was added by it, or is its `before`.

Pure: reads and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from govkg.graph.corrections import Correction
from govkg.graph.model import node_id as make_node_id

__all__ = ["corrections_behind_pair", "corrections_touching", "edges_concerned", "nodes_concerned"]


def nodes_concerned(c: Correction) -> set[str]:
    """The ids of the nodes `c` concerns."""
    found: set[str] = set()
    if c.target.edge is None and c.target.node:
        found.add(c.target.node)
    for key in ("into", "source", "target"):
        if isinstance(c.value.get(key), str):
            found.add(c.value[key])
    label = c.before.get("label")
    if c.target.edge is None and isinstance(label, str):
        if c.action == "rename" and label != "Zone" and c.value.get("name"):
            found.add(make_node_id(label, str(c.value["name"])))
        if c.action == "retype" and c.value.get("label") and c.before.get("name"):
            found.add(make_node_id(str(c.value["label"]), str(c.before["name"])))
        if c.action == "split_alias" and c.value.get("alias"):
            found.add(make_node_id(label, str(c.value["alias"])))
    node = c.value.get("node")
    if c.action == "add_node" and isinstance(node, dict) and isinstance(node.get("id"), str):
        found.add(node["id"])
    if c.target.edge is None and isinstance(c.before.get("id"), str):
        found.add(c.before["id"])
    return found


def edges_concerned(c: Correction) -> set[tuple[str, str, str]]:
    """The (type, source, target) keys of the relationships `c` concerns."""
    found: set[tuple[str, str, str]] = set()
    if c.target.edge is None:
        return found
    kind, source, target = c.target.edge
    found.add(c.target.edge)
    if c.action == "reattach":
        found.add((kind, str(c.value.get("source") or source), str(c.value.get("target") or target)))
    for data in (c.before, c.value.get("edge")):
        key = _edge_key(data)
        if key is not None:
            found.add(key)
    return found


def corrections_touching(
    kept: Iterable[Correction], node_id: str | None = None, edge_key: tuple[str, str, str] | None = None
) -> list[Correction]:
    """The corrections of `kept`, in their order, that concern node `node_id` or relationship
    `edge_key` (either, when both are given; none when neither is)."""
    found: list[Correction] = []
    for c in kept:
        if (node_id is not None and node_id in nodes_concerned(c)) or (
            edge_key is not None and tuple(edge_key) in edges_concerned(c)
        ):
            found.append(c)
    return found


def corrections_behind_pair(
    kept: Iterable[Correction], zones: tuple[str, str], mechanisms: Iterable[str] = ()
) -> list[Correction]:
    """The corrections of `kept` a similarity between two zones rests on: those concerning either zone,
    a relationship from either (its adoptions, organisations, policies), or one of the `mechanisms`
    (ids) they share."""
    wanted = {*zones, *mechanisms}
    return [c for c in kept if nodes_concerned(c) & wanted or any(key[1] in zones for key in edges_concerned(c))]


def _edge_key(data: Any) -> tuple[str, str, str] | None:
    if not isinstance(data, dict):
        return None
    parts = (data.get("type"), data.get("source"), data.get("target"))
    if all(isinstance(p, str) and p for p in parts):
        return (str(parts[0]), str(parts[1]), str(parts[2]))
    return None
