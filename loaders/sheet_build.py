"""Build the graph document of a validated case sheet: its stored text, nodes and edges.

The stored text of a sheet is composed from the sheet itself: one labelled line per fact
(地区：…, 机制：…, 说明：…, 原文：…), in the order the sheet lists them. Evidence offsets point
into that text, so `document.text[start:end] == evidence.text` holds, and a quote copied from
an article appears in it unchanged. The same sheet always composes the same text, hence the
same document id. docs/case-sheets.md describes the layout for researchers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from govkg.errors import GovkgError, InputError
from govkg.graph.curation import CURATED, REPLACES, REPLACES_PATHS
from govkg.graph.model import (
    ZONE_LEVELS,
    Document,
    Edge,
    Evidence,
    GraphDocument,
    Node,
    document_id,
    node_id,
    normalise_name,
    unite_node,
)
from govkg.loaders.sheet_model import (
    CaseSpec,
    MechanismSpec,
    OrganisationSpec,
    PolicySpec,
    SheetSpec,
    ZoneSpec,
    simplified,
)
from govkg.loaders.taxonomy import Category
from govkg.loaders.zones import ZoneRef, resolve_zone_chain
from govkg.text import to_simplified

LIST_JOINER = "、"
# MENTIONS edges start at the document, whose id is known only once the text is final.
_THIS_DOCUMENT = "document:this"


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class _Text:
    """The stored text, built line by line, remembering where each value sits."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def line(self, label: str, value: str, tail: str = "") -> tuple[Span, Span]:
        """Append `label + value + tail` as a line; return the spans of the whole line and of the value."""
        start = self._length
        self._append(label + value + tail + "\n")
        value_start = start + len(label)
        return Span(start, self._length - 1), Span(value_start, value_start + len(value))

    def blank(self) -> None:
        if self._parts and self._parts[-1] != "\n":
            self._append("\n")

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)

    @property
    def text(self) -> str:
        return "".join(self._parts).rstrip("\n") + "\n"


@dataclass
class _Pending:
    """An edge whose evidence is known as spans until the text, hence the document id, is final."""

    type: str
    source: str
    target: str
    spans: list[Span]
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Block:
    """Where one mechanism's lines sit in the text."""

    header: Span
    description: Span | None
    parts_line: Span | None
    categories_line: Span | None
    quotes: list[tuple[str, Span]]


class _Graph:
    """Nodes and pending edges, merged by id and key as they are added."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], _Pending] = {}

    def node(self, node: Node) -> str:
        held = self.nodes.get(node.id)
        if held is None:
            self.nodes[node.id] = node
            return node.id
        unite_node(held, node)
        return node.id

    def edge(self, type_: str, source: str, target: str, spans: list[Span], **properties: Any) -> None:
        held = self.edges.get((type_, source, target))
        if held is None:
            self.edges[(type_, source, target)] = _Pending(type_, source, target, list(spans), dict(properties))
            return
        held.spans.extend(s for s in spans if s not in held.spans)
        for key, value in properties.items():
            held.properties.setdefault(key, value)


def build_graph(sheet: SheetSpec, file_format: str) -> GraphDocument:
    """The graph document of `sheet`; `file_format` ("case-sheet", "csv") is kept on the Document."""
    text = _Text()
    graph = _Graph()
    first_zone = next((case.zone.name for case in sheet.cases if case.zone is not None), "")
    title = sheet.title or sheet.source.title or first_zone
    text.line("", title)
    for label, value in (
        ("来源：", sheet.source.publication),
        ("标题：", sheet.source.title if sheet.source.title != title else ""),
        ("作者：", sheet.source.author),
        ("日期：", sheet.source.date),
        ("链接：", sheet.source.url),
        ("引用：", sheet.source.citation),
    ):
        if value:
            text.line(label, value)
    for case in sheet.cases:
        text.blank()
        _add_case(case, sheet.path, text, graph)

    stored = text.text
    doc_id = document_id(stored)
    properties: dict[str, Any] = {"format": file_format}
    for key in ("url", "citation"):
        if getattr(sheet.source, key):
            properties[key] = getattr(sheet.source, key)
    if sheet.source.title and sheet.source.title != title:
        properties["source_title"] = sheet.source.title
    if sheet.replaces:
        # A curated sheet: the store replaces these documents with this one (graph/curation.py),
        # and everything the sheet states is marked curated. Not part of the stored text.
        properties[REPLACES] = [r.document for r in sheet.replaces]
        properties[REPLACES_PATHS] = [r.path for r in sheet.replaces]
        properties[CURATED] = True
        for pending in graph.edges.values():
            pending.properties[CURATED] = True
        for node in graph.nodes.values():
            node.properties[CURATED] = True
    document = Document(
        id=doc_id,
        path=sheet.path,
        title=title,
        source=sheet.source.publication,
        author=sheet.source.author,
        date=sheet.source.date,
        text=stored,
        properties=properties,
    )
    edges = [
        Edge(
            p.type,
            doc_id if p.source == _THIS_DOCUMENT else p.source,
            p.target,
            [Evidence(doc_id, stored[s.start : s.end], s.start, s.end) for s in p.spans],
            p.properties,
        )
        for p in graph.edges.values()
    ]
    return GraphDocument([document], list(graph.nodes.values()), edges)


@dataclass(frozen=True)
class _Case:
    """What every mechanism of a case is tied to: the zone that adopts it and the case's theme."""

    zone_id: str | None
    theme_id: str | None
    theme_line: Span | None


UNPLACED_HEADING = "未归属地区（not tied to a zone）"


def _add_case(case: CaseSpec, path: str, text: _Text, graph: _Graph) -> None:
    _check_case(case, path)
    zone_id: str | None = None
    if case.zone is None:  # the sheet's `unplaced` facts: nothing is adopted or held by a zone
        text.line("【", case.title or UNPLACED_HEADING, "】")
    else:
        chain = _zone_nodes(case.zone, path)
        text.line("【", case.title or chain[-1].name, "】")
        zone_line, _ = text.line("地区：", " > ".join(node.name for node in chain))
        for node in chain:
            graph.node(node)
            graph.edge("MENTIONS", _THIS_DOCUMENT, node.id, [zone_line])
        for child, parent in itertools.pairwise(reversed(chain)):
            graph.edge("PART_OF", child.id, parent.id, [zone_line])
        zone_id = chain[-1].id

    theme_id: str | None = None
    theme_line: Span | None = None
    if case.theme is not None:
        theme_line, _ = text.line("主题：", case.theme.name, f"（{case.theme.name_en}）" if case.theme.name_en else "")
        props = {"name_en": case.theme.name_en} if case.theme.name_en else {}
        name = simplified(case.theme.name)
        theme_id = graph.node(Node(node_id("Theme", name), "Theme", name, [], props))
        if zone_id is not None:
            graph.edge("UNDER_THEME", zone_id, theme_id, [theme_line])
        graph.edge("MENTIONS", _THIS_DOCUMENT, theme_id, [theme_line])
    if case.summary:
        text.line("概述：", case.summary)

    context = _Case(zone_id, theme_id, theme_line)
    known: dict[str, str] = {}  # normalised name or alias -> mechanism id, for references
    for mechanism in case.mechanisms:
        text.blank()
        mech_id, block = _add_mechanism(mechanism, None, context, text, graph, known)
        if zone_id is not None:
            graph.edge("ADOPTS", zone_id, mech_id, _adoption_spans(block), **_adoption_properties(mechanism))
    for organisation in case.organisations:
        text.blank()
        _add_organisation(organisation, zone_id, path, text, graph, known)
    for policy in case.policies:
        text.blank()
        _add_policy(policy, zone_id, path, text, graph, known)


def _adoption_properties(mechanism: MechanismSpec) -> dict[str, Any]:
    """ADOPTS's year and stage as the sheet gives them; a sheet that says nothing adopts, undated."""
    properties: dict[str, Any] = {"stage": mechanism.stage or "adopted"}
    if mechanism.year is not None:
        properties["year"] = mechanism.year
    return properties


def _check_case(case: CaseSpec, path: str) -> None:
    seen: dict[str, str] = {}
    for mechanism in case.mechanisms:
        key = normalise_name(simplified(mechanism.name))
        if key in seen:
            raise InputError(
                path,
                f"{mechanism.where}: mechanism {mechanism.name!r} is listed twice in this case "
                f"(first at {seen[key]}); merge the two entries into one",
            )
        seen[key] = mechanism.where


def _zone_nodes(zone: ZoneSpec, path: str) -> list[Node]:
    """The zone and its parents as nodes, top to bottom, from the shared zone resolver.

    The division table decides the chain and the levels of province, city and county units, so a
    sheet and a free-text extraction give the same ids; a stated parent that is not on the chain,
    or a stated level the table contradicts, is reported rather than silently dropped.
    """
    parents = [p.name for p in zone.parents]
    try:
        refs: list[ZoneRef] = resolve_zone_chain(zone.name, parents or None, zone.level)
    except (GovkgError, ValueError) as err:
        raise InputError(
            path, f"{zone.where}: cannot place zone {zone.name!r} ({err}); check its name and parents"
        ) from err
    if not refs:
        raise InputError(
            path,
            f"{zone.where}: cannot place zone {zone.name!r}: the name does not end in a unit word "
            "(省, 市, 区, 县, 街道, 乡, 镇, 村, 社区) and is not in the division table; "
            f"write its full name, or give level: (one of {', '.join(ZONE_LEVELS)}) and parents",
        )
    chain_text = " > ".join(ref.name for ref in refs)
    for parent in zone.parents:
        written = to_simplified(parent.name)
        ref = next((r for r in refs[:-1] if written in (r.name, r.name[:-1])), None)
        if ref is None and written not in refs[-1].key:
            raise InputError(
                path,
                f"{zone.where}: parent {parent.name!r} is not on the chain found for {zone.name!r} "
                f"({chain_text}); check the spelling of the parent and of the zone name",
            )
        if ref is not None and parent.level and parent.level != ref.level:
            code = f", code {ref.code}" if ref.code else ""
            raise InputError(
                path,
                f"{zone.where}: parent {parent.name!r} has level {parent.level!r} in the sheet, but the division "
                f"table (or the name's ending) makes it {ref.level!r}{code}; "
                f"write level: {ref.level} or leave the level out",
            )
    nodes = [ref.to_node() for ref in refs]
    for parent in zone.parents:
        written = to_simplified(parent.name)
        held = next((n for ref, n in zip(refs[:-1], nodes, strict=False) if written in (ref.name, ref.name[:-1])), None)
        if held is None:
            continue
        for alias in parent.aliases:
            if alias != held.name and alias not in held.aliases:
                held.aliases.append(alias)
    leaf = nodes[-1]
    for alias in [zone.name, *zone.aliases]:
        if alias != leaf.name and alias not in leaf.aliases:
            leaf.aliases.append(alias)
    for node in nodes:
        if node.properties.get("level") not in ZONE_LEVELS:
            raise InputError(
                path,
                f"{zone.where}: cannot tell the level of {node.name!r}; add level: (one of {', '.join(ZONE_LEVELS)})",
            )
    return nodes


def _names_and_aliases(name: str, aliases: list[str]) -> tuple[str, list[str]]:
    """Simplified name; aliases simplified and as written (a traditional spelling stays findable),
    plus the name as written when it was traditional."""
    simple = simplified(name)
    written = [form for alias in aliases for form in (simplified(alias), alias)]
    out = [a for a in dict.fromkeys([*written, name]) if a != simple]
    return simple, out


def _add_mechanism(
    mechanism: MechanismSpec, parent: str | None, case: _Case, text: _Text, graph: _Graph, known: dict[str, str]
) -> tuple[str, _Block]:
    """Add a mechanism and, recursively, its parts: each part is a mechanism of its own that the
    zone adopts too, linked to its whole by HAS_PART."""
    name, aliases = _names_and_aliases(mechanism.name, mechanism.aliases)
    properties: dict[str, Any] = {}
    if mechanism.description:
        properties["description"] = mechanism.description
    if mechanism.parts:
        properties["parts"] = [simplified(p.name) for p in mechanism.parts]
    mech_id = graph.node(Node(node_id("Mechanism", name), "Mechanism", name, aliases, properties))
    for key in [name, *aliases]:
        known.setdefault(normalise_name(key), mech_id)

    header_line, header = text.line(
        "机制：" if parent is None else "组成部分：", mechanism.name, f"（属于：{parent}）" if parent else ""
    )
    graph.edge("MENTIONS", _THIS_DOCUMENT, mech_id, [header_line])
    if case.theme_id is not None and case.theme_line is not None:
        graph.edge("UNDER_THEME", mech_id, case.theme_id, [case.theme_line])
    if mechanism.aliases:
        text.line("别名：", LIST_JOINER.join(mechanism.aliases))
    description = text.line("说明：", mechanism.description)[1] if mechanism.description else None
    parts_line = text.line("组成：", LIST_JOINER.join(p.name for p in mechanism.parts))[0] if mechanism.parts else None
    categories_line = (
        text.line("类别：", LIST_JOINER.join(f"{c.name}（{c.name_en}）" for c in mechanism.categories))[0]
        if mechanism.categories
        else None
    )
    quotes = [(quote, text.line("原文：", quote)[1]) for quote in mechanism.evidence]
    block = _Block(header, description, parts_line, categories_line, quotes)

    for category in mechanism.categories:
        cat_id = graph.node(category.to_node())
        cue, span = _cue_evidence(category, mechanism, block)
        graph.edge("IN_CATEGORY", mech_id, cat_id, [span], cue=cue, assigned_by="case-sheet")
    for part in mechanism.parts:
        text.blank()
        part_id, part_block = _add_mechanism(part, mechanism.name, case, text, graph, known)
        spans = _part_spans(part, block, part_block)
        graph.edge("HAS_PART", mech_id, part_id, spans)
        named = [span for span in spans if span in {q for _, q in block.quotes}]
        if case.zone_id is not None:
            adoption = [q for _, q in part_block.quotes] or named or _adoption_spans(part_block)
            graph.edge("ADOPTS", case.zone_id, part_id, adoption)
    return mech_id, block


def _adoption_spans(block: _Block) -> list[Span]:
    """A zone adopts a mechanism on the strength of its quotes, else its description, else its name."""
    if block.quotes:
        return [span for _, span in block.quotes]
    return [block.description or block.header]


def _part_spans(part: MechanismSpec, whole: _Block, own: _Block) -> list[Span]:
    """Quotes of the whole that name the part, else the part's own quotes, else the whole's 组成 line."""
    names = [normalise_name(n) for n in [part.name, *part.aliases]]
    found = [span for quote, span in whole.quotes if any(n and n in normalise_name(quote) for n in names)]
    return found or [span for _, span in own.quotes] or [whole.parts_line or whole.header]


def _cue_evidence(category: Category, mechanism: MechanismSpec, block: _Block) -> tuple[str, Span]:
    """The first cue of the category in the mechanism's quotes, description or name, with where it is.

    The researcher chose the category; the cue only shows what in the text supports it, and is
    empty (evidence: the 类别 line) when none of the category's cues occurs.
    """
    places: list[tuple[str, Span]] = [*block.quotes]
    if block.description is not None:
        places.append((mechanism.description, block.description))
    places.append((mechanism.name, block.header))
    for place_text, span in places:
        for cue in category.cues:
            if cue in place_text:
                return cue, span
    return "", block.categories_line or block.header


def _reference(name: str, where: str, path: str, known: dict[str, str], what: str) -> str:
    key = normalise_name(simplified(name))
    if key not in known:
        listed = ", ".join(sorted({k for k in known})) or "(none)"
        raise InputError(
            path,
            f"{where}: {what} names mechanism {name!r}, which this case does not list; "
            f"fix the spelling or add it under mechanisms (this case lists: {listed})",
        )
    return known[key]


def _add_organisation(
    organisation: OrganisationSpec, zone_id: str | None, path: str, text: _Text, graph: _Graph, known: dict[str, str]
) -> None:
    targets = [_reference(m, organisation.where, path, known, "organisation") for m in organisation.mechanisms]
    name, aliases = _names_and_aliases(organisation.name, organisation.aliases)
    properties = {"kind": organisation.kind} if organisation.kind else {}
    org_id = graph.node(Node(node_id("Organisation", name), "Organisation", name, aliases, properties))
    header_line, header = text.line(
        "组织：", organisation.name, f"（{organisation.kind}）" if organisation.kind else ""
    )
    if organisation.aliases:
        text.line("别名：", LIST_JOINER.join(organisation.aliases))
    if organisation.mechanisms:
        text.line("参与机制：", LIST_JOINER.join(organisation.mechanisms))
    role = text.line("作用：", organisation.role)[1] if organisation.role else None
    quotes = [text.line("原文：", quote)[1] for quote in organisation.evidence]
    spans = quotes or [role or header]
    graph.edge("MENTIONS", _THIS_DOCUMENT, org_id, [header_line])
    if zone_id is not None:
        graph.edge("HAS_ORGANISATION", zone_id, org_id, spans)
    for target in targets:
        props = {"role": organisation.role} if organisation.role else {}
        graph.edge("PARTICIPATES_IN", org_id, target, spans, **props)


def _add_policy(
    policy: PolicySpec, zone_id: str | None, path: str, text: _Text, graph: _Graph, known: dict[str, str]
) -> None:
    targets = [_reference(m, policy.where, path, known, "policy") for m in policy.mechanisms]
    name, aliases = _names_and_aliases(policy.name, policy.aliases)
    properties: dict[str, Any] = {}
    if policy.kind:
        properties["kind"] = policy.kind
    if policy.year is not None:
        properties["year"] = policy.year
    policy_id = graph.node(Node(node_id("Policy", name), "Policy", name, aliases, properties))
    details = "，".join(x for x in (policy.kind, str(policy.year) if policy.year is not None else "") if x)
    header_line, header = text.line("政策：", policy.name, f"（{details}）" if details else "")
    if policy.aliases:
        text.line("别名：", LIST_JOINER.join(policy.aliases))
    if policy.mechanisms:
        text.line("关联机制：", LIST_JOINER.join(policy.mechanisms))
    spans = [text.line("原文：", quote)[1] for quote in policy.evidence] or [header]
    graph.edge("MENTIONS", _THIS_DOCUMENT, policy_id, [header_line])
    if zone_id is not None:
        graph.edge("IMPLEMENTS", zone_id, policy_id, spans)
    for target in targets:
        graph.edge("FRAMED_BY", target, policy_id, spans)
