"""The inverse of a case sheet: write one document's graph (for example a free-text extraction) as
a sheet a researcher can correct and load again.

The sheet holds everything a sheet can state: every zone (with its parent chain) as a case, the
mechanisms each adopts (parts nested, description, categories, the evidence sentences as quotes),
the organisations and policies tied to it, the theme of each section (a zone acting under two
themes becomes two cases), and under `unplaced` what the source states without a place. It
records the document it came from (`replaces:` id and path), so loading the corrected sheet
replaces that document's automatic extraction (graph/curation.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml

from govkg.errors import InputError
from govkg.graph.model import Edge, GraphDocument, Node

_MAX_PART_DEPTH = 8
_SHEET_FORMATS = ("case-sheet", "csv")  # Document.properties["format"] of sheets and tables

_HEADER = """\
# 由 govkg 从 {path} 自动抽取的案例表：请核对、修改后用 `govkg load 本文件` 加载，它将替换该文档的自动抽取结果。
# A case sheet extracted automatically from {path}. Correct it (remove, rename or add zones,
# mechanisms, organisations and policies; fix descriptions, categories and evidence), then load it
# with `govkg load THIS-FILE`: it replaces that document's automatic extraction in the store
# (the `replaces` entry names it; keep that entry unchanged). Fields: docs/case-sheets.md.
"""


def graph_to_case_sheet(graph: GraphDocument) -> dict[str, Any]:
    """A case-sheet dict (single-case form for one case, `cases:` form for several)."""
    return _Exporter(graph).sheet()


def case_sheet_to_yaml(graph: GraphDocument) -> str:
    """The graph as case-sheet YAML text, keys in the documented order, Chinese kept readable,
    after a comment that says where it came from and how to load it back."""
    sheet = graph_to_case_sheet(graph)
    body = yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False, width=100)
    path = graph.documents[0].path if graph.documents else ""
    return _HEADER.format(path=path or "(unnamed text)") + body


class _Exporter:
    def __init__(self, graph: GraphDocument) -> None:
        self.graph = graph
        self.nodes = graph.node_by_id()
        self.out: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self.into: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        for edge in graph.edges:
            self.out[(edge.type, edge.source)].append(edge)
            self.into[(edge.type, edge.target)].append(edge)
        self.placed: set[str] = set()  # ids of mechanisms, organisations, policies already written

    def sheet(self) -> dict[str, Any]:
        documents = self.graph.documents
        if len(documents) > 1:
            paths = ", ".join(d.path or d.id for d in documents[:4])
            raise InputError(
                documents[0].path or "graph",
                f"a case sheet records one source, but these {len(documents)} documents were given ({paths}); "
                "export one file at a time: govkg extract FILE --format yaml > FILE.yaml",
            )
        cases = [case for zone in self.case_zones() for case in self.cases(zone)]
        unplaced = self.unplaced()
        if not cases:
            name = documents[0].path if documents else "graph"
            raise InputError(
                name, "no zone was found here, so there is nothing to write as a case sheet (a case needs a zone)"
            )
        head: dict[str, Any] = {}
        doc = documents[0] if documents else None
        if doc is not None and doc.properties.get("format") in _SHEET_FORMATS:
            head["title"] = doc.title  # a sheet's own title, not its source's
        head["source"] = self.source()
        if doc is not None:
            head["replaces"] = {"document": doc.id, "path": doc.path} if doc.path else doc.id
        sheet = {**head, **cases[0]} if len(cases) == 1 else {**head, "cases": cases}
        if unplaced:
            sheet["unplaced"] = unplaced
        return sheet

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

    # -- which zones, and how many cases each -----------------------------------------------------

    def case_zones(self) -> list[Node]:
        """Zones with facts of their own, and zones named alone; a zone that is only the parent of
        another is written in that zone's chain."""
        zones = [n for n in self.graph.nodes if n.label == "Zone"]
        ancestors: set[str] = set()
        for zone in zones:
            ancestors.update(p.id for p in self.chain(zone))
        facts = ("ADOPTS", "IMPLEMENTS", "HAS_ORGANISATION", "UNDER_THEME")
        return [z for z in zones if any(self.out[(t, z.id)] for t in facts) or z.id not in ancestors]

    def cases(self, zone: Node) -> list[dict[str, Any]]:
        """One case per theme the zone acts under (one case when it has none or one)."""
        themes = [e.target for e in self.out[("UNDER_THEME", zone.id)] if e.target in self.nodes]
        adoptions = {e.target: e for e in self.out[("ADOPTS", zone.id)] if e.target in self.nodes}
        # A mechanism adopted as part of another adopted mechanism is written nested under its whole.
        nested = {e.target for m in adoptions for e in self.out[("HAS_PART", m)] if e.target in adoptions}
        top = [m for m in adoptions if m not in nested] or list(adoptions)
        groups: dict[str | None, list[str]] = {theme: [] for theme in themes} or {None: []}
        first = next(iter(groups))
        for mech in top:
            theme = next((e.target for e in self.out[("UNDER_THEME", mech)] if e.target in groups), first)
            groups[theme].append(mech)
        cases = []
        in_zone: set[str] = set()  # organisations and policies written in an earlier case of this zone
        for index, (theme, mechs) in enumerate(groups.items()):
            cases.append(self.case(zone, theme, mechs, adoptions, in_zone, last=index == len(groups) - 1))
        return cases

    def case(
        self,
        zone: Node,
        theme: str | None,
        mechs: list[str],
        adoptions: dict[str, Edge],
        in_zone: set[str],
        *,
        last: bool,
    ) -> dict[str, Any]:
        case: dict[str, Any] = {"zone": self.zone(zone)}
        if theme is not None:
            name_en = self.nodes[theme].properties.get("name_en")
            case["theme"] = {"name": self.nodes[theme].name, "name_en": name_en} if name_en else self.nodes[theme].name
        in_case: dict[str, None] = {}  # insertion-ordered: the sheet must not depend on hashing
        mechanisms = [self.mechanism(self.nodes[m], adoptions, in_case, 0) for m in mechs]
        if mechanisms:
            case["mechanisms"] = mechanisms
        # Ties to the zone alone (not through this case's mechanisms) go to the zone's last case.
        zone_ties = last
        organisations = self.organisations(zone, in_case, in_zone, zone_ties)
        if organisations:
            case["organisations"] = organisations
        policies = self.policies(zone, in_case, in_zone, zone_ties)
        if policies:
            case["policies"] = policies
        return case

    def chain(self, zone: Node) -> list[Node]:
        """The zone's parents, top first, along PART_OF."""
        chain: list[Node] = []
        seen = {zone.id}
        current = zone
        while True:
            parents = [e.target for e in self.out[("PART_OF", current.id)] if e.target in self.nodes]
            if not parents or parents[0] in seen:
                return chain
            current = self.nodes[parents[0]]
            seen.add(current.id)
            chain.insert(0, current)

    def zone(self, zone: Node) -> dict[str, Any]:
        out: dict[str, Any] = {"name": zone.name}
        if zone.aliases:
            out["aliases"] = list(zone.aliases)
        if zone.properties.get("level"):
            out["level"] = zone.properties["level"]
        chain = self.chain(zone)
        if chain:
            out["parents"] = [self.parent(p) for p in chain]
        return out

    @staticmethod
    def parent(node: Node) -> dict[str, Any] | str:
        entry: dict[str, Any] = {"name": node.name}
        if node.properties.get("level"):
            entry["level"] = node.properties["level"]
        if node.aliases:
            entry["aliases"] = list(node.aliases)
        return entry if len(entry) > 1 else node.name

    # -- entries -----------------------------------------------------------------------------

    def mechanism(self, node: Node, adoptions: dict[str, Edge], in_case: dict[str, None], depth: int) -> Any:
        """The entry of a mechanism; one already written in this case is named only."""
        if node.id in in_case:
            return node.name
        in_case[node.id] = None
        self.placed.add(node.id)
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
        evidence = adoptions.get(node.id) or self.first_mention(node.id)
        quotes = self.quotes(evidence, {node.name, description})
        if quotes:
            entry["evidence"] = quotes if len(quotes) > 1 else quotes[0]
        adoption = adoptions.get(node.id)
        if adoption is not None:
            if isinstance(adoption.properties.get("year"), int):
                entry["year"] = adoption.properties["year"]
            if adoption.properties.get("stage") not in (None, "", "adopted"):
                entry["stage"] = adoption.properties["stage"]
        return entry if len(entry) > 1 else node.name

    def first_mention(self, node_id: str) -> Edge | None:
        return next(iter(self.into[("MENTIONS", node_id)]), None)

    @staticmethod
    def quotes(edge: Edge | None, skip: set[str]) -> list[str]:
        """Evidence sentences, minus ones that merely repeat a name or description."""
        if edge is None:
            return []
        return list(dict.fromkeys(ev.text for ev in edge.evidence if ev.text.strip() and ev.text not in skip))

    def organisations(
        self, zone: Node | None, in_case: dict[str, None], in_zone: set[str], zone_ties: bool
    ) -> list[dict[str, Any]]:
        ids: list[str] = []
        for mech in in_case:
            ids.extend(e.source for e in self.into[("PARTICIPATES_IN", mech)])
        if zone is not None and zone_ties:
            ids.extend(e.target for e in self.out[("HAS_ORGANISATION", zone.id)])
        if zone is None:
            ids.extend(n.id for n in self.graph.nodes if n.label == "Organisation" and n.id not in self.placed)
        out = []
        for org_id in dict.fromkeys(ids):
            org = self.nodes.get(org_id)
            joins = [e for e in self.out[("PARTICIPATES_IN", org_id)] if e.target in in_case]
            # Written again in a zone's later case only for its part in that case's mechanisms.
            if org is None or (org_id in in_zone and not joins):
                continue
            in_zone.add(org_id)
            self.placed.add(org_id)
            entry: dict[str, Any] = {"name": org.name}
            if org.properties.get("kind"):
                entry["kind"] = org.properties["kind"]
            if org.aliases:
                entry["aliases"] = list(org.aliases)
            if joins:
                entry["mechanisms"] = [self.nodes[e.target].name for e in joins]
                role = next((e.properties.get("role") for e in joins if e.properties.get("role")), None)
                if role:
                    entry["role"] = role
            tie = None
            if zone is not None:
                tie = next((e for e in self.out[("HAS_ORGANISATION", zone.id)] if e.target == org_id), None)
            evidence = tie or (joins[0] if joins else None) or self.first_mention(org_id)
            quotes = self.quotes(evidence, {org.name, str(entry.get("role", ""))})
            if quotes:
                entry["evidence"] = quotes if len(quotes) > 1 else quotes[0]
            out.append(entry)
        return out

    def policies(
        self, zone: Node | None, in_case: dict[str, None], in_zone: set[str], zone_ties: bool
    ) -> list[dict[str, Any]]:
        ids: list[str] = []
        for mech in in_case:
            ids.extend(e.target for e in self.out[("FRAMED_BY", mech)])
        if zone is not None and zone_ties:
            ids.extend(e.target for e in self.out[("IMPLEMENTS", zone.id)])
        if zone is None:
            ids.extend(n.id for n in self.graph.nodes if n.label == "Policy" and n.id not in self.placed)
        out = []
        for policy_id in dict.fromkeys(ids):
            policy = self.nodes.get(policy_id)
            framed = [e for e in self.into[("FRAMED_BY", policy_id)] if e.source in in_case]
            if policy is None or (policy_id in in_zone and not framed):
                continue
            in_zone.add(policy_id)
            self.placed.add(policy_id)
            entry: dict[str, Any] = {"name": policy.name}
            for key in ("kind", "year"):
                if policy.properties.get(key) not in (None, ""):
                    entry[key] = policy.properties[key]
            if policy.aliases:
                entry["aliases"] = list(policy.aliases)
            if framed:
                entry["mechanisms"] = [self.nodes[e.source].name for e in framed]
            tie = None
            if zone is not None:
                tie = next((e for e in self.out[("IMPLEMENTS", zone.id)] if e.target == policy_id), None)
            evidence = tie or (framed[0] if framed else None) or self.first_mention(policy_id)
            quotes = self.quotes(evidence, {policy.name})
            if quotes:
                entry["evidence"] = quotes if len(quotes) > 1 else quotes[0]
            out.append(entry)
        return out

    def unplaced(self) -> dict[str, Any]:
        """What no case holds: mechanisms no zone adopts, organisations and policies of no zone."""
        in_case: dict[str, None] = {}  # insertion-ordered: the sheet must not depend on hashing
        mechanisms = []
        for node in self.graph.nodes:
            if node.label != "Mechanism" or node.id in self.placed:
                continue
            # A part of an unplaced whole is written nested under it.
            if any(e.source not in self.placed for e in self.into[("HAS_PART", node.id)]):
                continue
            mechanisms.append(self.mechanism(node, {}, in_case, 0))
        for node in self.graph.nodes:  # parts whose wholes were all placed, and cycles
            if node.label == "Mechanism" and node.id not in self.placed:
                mechanisms.append(self.mechanism(node, {}, in_case, 0))
        section: dict[str, Any] = {}
        if mechanisms:
            section["mechanisms"] = mechanisms
        organisations = self.organisations(None, in_case, set(), False)
        if organisations:
            section["organisations"] = organisations
        policies = self.policies(None, in_case, set(), False)
        if policies:
            section["policies"] = policies
        return section

