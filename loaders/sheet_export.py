"""The inverse of a case sheet: write a graph document (for example a free-text extraction) as a
sheet a researcher can correct and load again.

Best effort: every zone that adopts a mechanism becomes a case, with its parent chain, the
mechanisms it adopts (parts nested, categories by name, the evidence sentences as quotes), and
the organisations and policies tied to it or to its mechanisms. Zones that adopt nothing, and
facts a sheet cannot express, are left out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml

from govkg.errors import InputError
from graph.model import Edge, GraphDocument, Node

_MAX_PART_DEPTH = 8
_SHEET_FORMATS = ("case-sheet", "csv")  # Document.properties["format"] of sheets and tables


def graph_to_case_sheet(graph: GraphDocument) -> dict[str, Any]:
    """A case-sheet dict (single-case form for one zone, `cases:` form for several)."""
    return _Exporter(graph).sheet()


def case_sheet_to_yaml(graph: GraphDocument) -> str:
    """The graph as case-sheet YAML text, keys in the documented order, Chinese kept readable."""
    return yaml.safe_dump(graph_to_case_sheet(graph), allow_unicode=True, sort_keys=False, width=100)


class _Exporter:
    def __init__(self, graph: GraphDocument) -> None:
        self.graph = graph
        self.nodes = graph.node_by_id()
        self.out: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self.into: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        for edge in graph.edges:
            self.out[(edge.type, edge.source)].append(edge)
            self.into[(edge.type, edge.target)].append(edge)

    def sheet(self) -> dict[str, Any]:
        zones = [n for n in self.graph.nodes if n.label == "Zone" and self.out[("ADOPTS", n.id)]]
        if not zones:
            name = self.graph.documents[0].path if self.graph.documents else "graph"
            raise InputError(name, "no zone adopts a mechanism here, so there is nothing to write as a case sheet")
        head: dict[str, Any] = {}
        if self.graph.documents and self.graph.documents[0].properties.get("format") in _SHEET_FORMATS:
            head["title"] = self.graph.documents[0].title  # a sheet's own title, not its source's
        head["source"] = self.source()
        cases = [self.case(zone) for zone in zones]
        if len(cases) == 1:
            return {**head, **cases[0]}
        return {**head, "cases": cases}

    def source(self) -> dict[str, Any]:
        if not self.graph.documents:
            return {"title": "未注明来源 (source not recorded)"}
        doc = self.graph.documents[0]
        source: dict[str, Any] = {}
        if doc.properties.get("format") in _SHEET_FORMATS:
            title = str(doc.properties.get("source_title") or "")
        else:
            title = str(doc.title or "")
        for key, value in (
            ("title", title),
            ("publication", doc.source),
            ("author", doc.author),
            ("date", doc.date),
            ("url", doc.properties.get("url")),
            ("citation", doc.properties.get("citation")),
        ):
            if value:
                source[key] = str(value)
        if not (source.get("title") or source.get("publication") or source.get("citation")):
            source["title"] = doc.title or doc.path or "未注明来源 (source not recorded)"
        return source

    def case(self, zone: Node) -> dict[str, Any]:
        case: dict[str, Any] = {"zone": self.zone(zone)}
        themes = [self.nodes[e.target] for e in self.out[("UNDER_THEME", zone.id)] if e.target in self.nodes]
        if themes:
            name_en = themes[0].properties.get("name_en")
            case["theme"] = {"name": themes[0].name, "name_en": name_en} if name_en else themes[0].name
        adoptions = {e.target: e for e in self.out[("ADOPTS", zone.id)] if e.target in self.nodes}
        # A mechanism adopted as part of another adopted mechanism is written nested under its whole.
        nested = {e.target for m in adoptions for e in self.out[("HAS_PART", m)] if e.target in adoptions}
        top = [m for m in adoptions if m not in nested] or list(adoptions)
        in_case: set[str] = set()
        mechanisms = [self.mechanism(self.nodes[m], adoptions, in_case, 0) for m in top]
        case["mechanisms"] = mechanisms
        organisations = self.organisations(zone, in_case)
        if organisations:
            case["organisations"] = organisations
        policies = self.policies(zone, in_case)
        if policies:
            case["policies"] = policies
        return case

    def zone(self, zone: Node) -> dict[str, Any]:
        chain: list[Node] = []
        seen = {zone.id}
        current = zone
        while True:
            parents = [e.target for e in self.out[("PART_OF", current.id)] if e.target in self.nodes]
            if not parents or parents[0] in seen:
                break
            current = self.nodes[parents[0]]
            seen.add(current.id)
            chain.insert(0, current)
        out: dict[str, Any] = {"name": zone.name}
        if zone.properties.get("level"):
            out["level"] = zone.properties["level"]
        if chain:
            out["parents"] = [
                {"name": p.name, "level": p.properties["level"]} if p.properties.get("level") else p.name for p in chain
            ]
        return out

    def mechanism(self, node: Node, adoptions: dict[str, Edge], in_case: set[str], depth: int) -> Any:
        """The entry of a mechanism; one already written in this case is named only."""
        if node.id in in_case:
            return node.name
        in_case.add(node.id)
        entry: dict[str, Any] = {"name": node.name}
        if node.aliases:
            entry["aliases"] = list(node.aliases)
        description = str(node.properties.get("description") or "")
        if description:
            entry["description"] = description
        parts = []
        if depth < _MAX_PART_DEPTH:
            for edge in self.out[("HAS_PART", node.id)]:
                part = self.nodes.get(edge.target)
                if part is not None:
                    parts.append(self.mechanism(part, adoptions, in_case, depth + 1))
        if parts:
            entry["parts"] = parts
        categories = [self.nodes[e.target].name for e in self.out[("IN_CATEGORY", node.id)] if e.target in self.nodes]
        if categories:
            entry["categories"] = categories
        quotes = self.quotes(adoptions.get(node.id), {node.name, description})
        if quotes:
            entry["evidence"] = quotes if len(quotes) > 1 else quotes[0]
        return entry if len(entry) > 1 else node.name

    @staticmethod
    def quotes(edge: Edge | None, skip: set[str]) -> list[str]:
        """Evidence sentences, minus ones that merely repeat a name or description."""
        if edge is None:
            return []
        return list(dict.fromkeys(ev.text for ev in edge.evidence if ev.text.strip() and ev.text not in skip))

    def organisations(self, zone: Node, in_case: set[str]) -> list[dict[str, Any]]:
        ids = [e.target for e in self.out[("HAS_ORGANISATION", zone.id)]]
        for mech in in_case:
            ids.extend(e.source for e in self.into[("PARTICIPATES_IN", mech)])
        out = []
        for org_id in dict.fromkeys(ids):
            org = self.nodes.get(org_id)
            if org is None:
                continue
            entry: dict[str, Any] = {"name": org.name}
            if org.properties.get("kind"):
                entry["kind"] = org.properties["kind"]
            if org.aliases:
                entry["aliases"] = list(org.aliases)
            joins = [e for e in self.out[("PARTICIPATES_IN", org_id)] if e.target in in_case]
            if joins:
                entry["mechanisms"] = [self.nodes[e.target].name for e in joins]
                role = next((e.properties.get("role") for e in joins if e.properties.get("role")), None)
                if role:
                    entry["role"] = role
            tie = next((e for e in self.out[("HAS_ORGANISATION", zone.id)] if e.target == org_id), None)
            quotes = self.quotes(tie or (joins[0] if joins else None), {org.name, str(entry.get("role", ""))})
            if quotes:
                entry["evidence"] = quotes if len(quotes) > 1 else quotes[0]
            out.append(entry)
        return out

    def policies(self, zone: Node, in_case: set[str]) -> list[dict[str, Any]]:
        ids = [e.target for e in self.out[("IMPLEMENTS", zone.id)]]
        for mech in in_case:
            ids.extend(e.target for e in self.out[("FRAMED_BY", mech)])
        out = []
        for policy_id in dict.fromkeys(ids):
            policy = self.nodes.get(policy_id)
            if policy is None:
                continue
            entry: dict[str, Any] = {"name": policy.name}
            for key in ("kind", "year"):
                if policy.properties.get(key) not in (None, ""):
                    entry[key] = policy.properties[key]
            if policy.aliases:
                entry["aliases"] = list(policy.aliases)
            framed = [e for e in self.into[("FRAMED_BY", policy_id)] if e.source in in_case]
            if framed:
                entry["mechanisms"] = [self.nodes[e.source].name for e in framed]
            tie = next((e for e in self.out[("IMPLEMENTS", zone.id)] if e.target == policy_id), None)
            quotes = self.quotes(tie or (framed[0] if framed else None), {policy.name})
            if quotes:
                entry["evidence"] = quotes if len(quotes) > 1 else quotes[0]
            out.append(entry)
        return out
