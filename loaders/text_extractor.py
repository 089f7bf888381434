"""Free Chinese case text (plain text or Markdown) -> a graph document.

Pipeline: clean (footer, Markdown, folding) -> metadata -> blocks and sentences -> zone mentions
-> per sentence: the subject zone of each clause, quoted names, policies, practices without
quotes, organisations -> resolution within the document -> nodes and edges, every edge with the
sentence it was read from. The stored text is the file's text minus the site footer; every
offset points into it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from govkg.errors import InputError
from govkg.graph.model import (
    Document,
    Edge,
    Evidence,
    GraphDocument,
    Node,
    document_id,
    merge_adoption,
    node_id,
    normalise_name,
)
from govkg.loaders.adoption import (
    ADOPTION_VERB,
    ANAPHOR,
    LOCATIVE_VERB,
    adoption_stage,
    learned_before,
    relative_year,
    transplanted,
    years_in,
)
from govkg.loaders.categorise import mechanism_categories
from govkg.loaders.cleanup import CleanText, clean
from govkg.loaders.discourse import (
    ACTS,
    BODY_ENDINGS,
    BRACKETED,
    BULLETS,
    CENTRAL_SUBJECT,
    DESIGNATED,
    ENUMERATION,
    EVALUATED,
    INSTITUTION,
    JOINER,
    LEADING,
    LOCATIVE_BEFORE,
    NAMING,
    NEW_ITEM,
    OPENS_WITH_TIME,
    PLACE_QUALIFIED,
    REACHED,
    SELF_REFERENCE,
    SET_UP,
    SPREAD_AFTER,
    SPREAD_BEFORE,
    TODAY_NOTE,
    TRIED_FIRST,
    UNIT_NAME,
    UNIT_REFERENCE,
    UNIT_WORDS,
    WHOLE_AREA,
)
from govkg.loaders.entities import OrgFound, find_organisations, find_policies, year_before
from govkg.loaders.lexicon import jieba_freq, jieba_tag, tokenize
from govkg.loaders.mechanisms import (
    Found,
    find_parts,
    find_practice,
    find_quoted,
    find_unquoted_mechanisms,
    quoted_spans,
)
from govkg.loaders.metadata import read_metadata
from govkg.loaders.reading import read_text
from govkg.loaders.sentences import Block, Sentence, clauses, sentences, split_blocks
from govkg.loaders.taxonomy import load_taxonomy
from govkg.loaders.word_match import Words
from govkg.loaders.zone_mentions import ZoneMention, find_zone_mentions
from govkg.loaders.zones import zone_nodes_and_edges

__all__ = ["extract_text", "extract_text_file"]

MAX_EVIDENCE = 8  # per edge: enough to check a fact, bounded for very long files
MAX_DESCRIPTION = 160
_SUBJECT_REACH = 16  # a clause's subject zone starts within this many characters of it
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_OPENERS = "“‘「『\"'"
_SENTENCE_MARKS = re.compile(r"[。！？!?，,；;：:]")
_SHORT_FOR = re.compile(r"[(（]以下简称[“\"]?(?P<alias>[^)）”\"]{1,16})[”\"]?[)）]")
_INNER_QUOTED = re.compile(r"[‘「『]([^‘’「」『』]{1,20})[’」』]")  # as mechanisms._NESTED
_MODIFIERS = re.compile(r"^(省级|市级|区级|县级|街道级|国家级|全国|全省|首批|第一批|第二批|本批|各|该)+")
_FRAMING = re.compile(r"(写进|写入|纳入|列入|依据|根据|按照|依照|遵照|载入)")
_EXPLAINS = re.compile(r"^(即|包括|主要包括|具体包括|涵盖|分为|由)")


def extract_text_file(path: Path) -> GraphDocument:
    """The graph document of one .txt/.md case file (encoding detected; InputError when unreadable)."""
    return extract_text(read_text(path), str(path))


def extract_text(text: str, path: str = "") -> GraphDocument:
    """The graph document of a case text. Pure: reads nothing, writes nothing."""
    markdown = path.lower().endswith(_MARKDOWN_SUFFIXES)
    if not text.strip():
        raise InputError(path or "<text>", "the text is empty")
    cleaned = clean(text, markdown)
    if not cleaned.stored.strip():
        raise InputError(path or "<text>", "the text holds nothing but a site footer")
    return _Extraction(cleaned, path).run()


@dataclass(frozen=True)
class _Adopter:
    """A zone that takes up the practice of a mention, how far (adoption.read_adoption) and when."""

    zone: ZoneMention
    stage: str
    year: int | None
    learned: bool


@dataclass
class _Mention:
    """An entity mention with where it was read and which zone's clause it sits in."""

    found: Found | OrgFound
    sentence: Sentence
    clause: tuple[int, int]
    zone: ZoneMention | None
    theme: int | None  # index of the heading block above
    adopters: list[_Adopter] = field(default_factory=list)  # mechanisms only


@dataclass
class _Entity:
    label: str
    name: str
    keys: set[str]
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, object] = field(default_factory=dict)

    @cached_property
    def id(self) -> str:
        return node_id(self.label, self.name)  # the name is fixed once the entity exists

    def add_alias(self, alias: str) -> None:
        alias = alias.strip()
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)
        if alias:
            self.keys.add(normalise_name(alias))


class _Extraction:
    def __init__(self, cleaned: CleanText, path: str) -> None:
        self.clean = cleaned
        self.text = cleaned.stored
        self.match = cleaned.match
        self.path = path
        meta = read_metadata(self.match)
        self.blocks: list[Block] = split_blocks(self.match, self.text, meta.lines, cleaned.markdown)
        title = next((b for b in self.blocks if b.kind == "title"), None)
        self.document = Document(
            id=document_id(self.text),
            path=path,
            title=self.text[title.start : title.end].lstrip("# ").strip() if title else Path(path).stem,
            source=meta.source,
            author=meta.author,
            date=meta.date,
            text=self.text,
            properties=dict(meta.extra),
        )
        self.sentences: list[list[Sentence]] = [
            list(sentences(self.match, block, i)) if block.kind != "meta" else [] for i, block in enumerate(self.blocks)
        ]
        self.all_sentences = [s for block_sentences in self.sentences for s in block_sentences]
        self.sentence_starts = [s.start for s in self.all_sentences]
        self._clause_indexes: dict[Sentence, dict[tuple[int, int], int]] = {}
        self._clause_lists: dict[Sentence, list[tuple[int, int]]] = {}
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self._evidence_seen: dict[tuple[str, str, str], set[int]] = {}
        self.mentions: list[_Mention] = []
        self.parts: list[tuple[_Mention, _Mention]] = []
        self.subjects: list[tuple[ZoneMention, Sentence, int | None]] = []
        self.zone_mentions: list[ZoneMention] = []
        self.pending: list[_Adopter] = []
        self.endings: dict[str, list[int]] = {}  # unit word -> positions of zone mentions ending with it
        self.section_place: ZoneMention | None = None  # the place a section heading names
        self.section_practice: Found | None = None  # and the practice it names
        self.institutions: dict[str, str] = {}  # a body's name -> the practice named after it
        self.eponyms: dict[str, dict[str, None]] = {}  # mechanism id -> zones it is named after
        self.established: dict[str, Found] = {}
        self.established_words = Words(())  # practices named in quotes, by their words
        self.antecedent: Found | None = None  # the practice last named: what 这一做法 refers to
        self.last_year: int | None = None  # the last year the text gave, for 次年 and 当年

    # -- reading -------------------------------------------------------------------------------

    def run(self) -> GraphDocument:
        spans = [(b.start, b.end) for b in self.blocks if b.kind != "meta"]
        zones = find_zone_mentions(self.match, spans)
        if not zones:
            # Nothing is placed anywhere: the text is kept, but no practice can be attributed.
            return GraphDocument([self.document], [], [])
        self.zone_mentions = zones
        for i, zone in enumerate(zones):  # where each unit word ends a name, for 社区…/全县… looking back
            for unit in UNIT_WORDS:
                if zone.zone.name.endswith(unit):
                    self.endings.setdefault(unit, []).append(i)
        self.established = self._established_names()
        self.established_words = Words(self.established)
        self.institutions = self._institution_names()
        self._read_blocks(zones)
        self._zone_nodes(zones)
        self._build()
        return GraphDocument([self.document], list(self.nodes.values()), list(self.edges.values()))

    def _read_blocks(self, zones: list[ZoneMention]) -> None:
        theme: int | None = None
        section_zone: ZoneMention | None = None  # the zone a heading names: its section's default subject
        home: ZoneMention | None = None  # the zone the title names
        narrowed: ZoneMention | None = None  # a unit inside the section's place that its paragraphs are about
        self.antecedent = None
        self.last_year = None
        group_base = 0
        zone_starts = [z.start for z in zones]
        for index, block in enumerate(self.blocks):
            if block.kind == "meta":
                continue
            if block.kind == "title":
                # A title that names a place and its practice (某县创制：“某某”治理模式) is read like a
                # heading; it is no theme, and its place is the subject until the first heading.
                section_zone = self._read_heading(index, zones, zone_starts, group_base, theme=None)
                home = section_zone
                group_base += 1000 * max(1, len(self.sentences[index]))
                continue
            if block.kind == "heading":
                theme = index
                # A heading that names no place (二、主要做法) keeps the title's: a report's own unit.
                self.section_practice = None
                section_zone = self._read_heading(index, zones, zone_starts, group_base, theme=index) or home
                self.section_place = section_zone
                narrowed = None
                group_base += 1000 * max(1, len(self.sentences[index]))
                continue
            # A paragraph that opens a new item of a list (二是…, （三）…) starts a new topic.
            if NEW_ITEM.match(self.match, block.start):
                narrowed = None
            current: ZoneMention | None = narrowed or section_zone
            subjects: list[ZoneMention] = []
            has_practice: set[int] = set()  # id() of subject zones whose clauses name a practice
            subject_sentences: dict[int, dict[Sentence, None]] = {}
            for sentence in self.sentences[index]:
                parts = clauses(self.match, sentence.start, sentence.end)
                self.pending = []  # trials waiting for the practice their sentence goes on to name
                central = False  # the sentence's actor is a national body or document, not the place
                for number, clause in enumerate(parts):
                    here = (
                        self._subjects(clause, zones, zone_starts)
                        or self._self_reference(clause, zones)
                        or self._unit_reference(clause, zones, zone_starts)
                    )
                    leads = CENTRAL_SUBJECT.match(self.match, clause[0], clause[1]) is not None
                    central = not here and (central or leads)
                    if here:
                        current = here[0]
                        subjects.extend(here)
                        self.subjects.extend((subject, sentence, theme) for subject in here)
                    if current is not None:
                        subject_sentences.setdefault(id(current), {})[sentence] = None
                    found = self._read_clause(clause, sentence, current, theme, group_base)
                    group_base += 1000
                    mechanisms = [m for m in found if isinstance(m.found, Found) and m.found.label == "Mechanism"]
                    adopted = self._adopt(
                        clause, sentence, parts[number + 1 :], mechanisms, here, None if central else current,
                        zones, zone_starts, theme,
                    )  # fmt: skip
                    if current is not None and adopted:
                        has_practice.add(id(current))
                self._note_year(sentence)
            # A section about a place that has narrowed to one of its units (一、天津 … 某社区常被称为…) goes on
            # about that unit in its next paragraphs.
            inner = [z for z in subjects if section_zone is not None and _inside(z, section_zone)]
            narrowed = inner[0] if inner else narrowed
            # A zone whose clauses name no practice may still describe one (营造有文化灵魂的乡村社区).
            for subject in subjects:
                if id(subject) in has_practice:
                    continue
                for sentence in subject_sentences.get(id(subject), {}):
                    practice = find_practice(self.match, sentence.start, sentence.end)
                    if practice is not None:
                        clause = next(c for c in clauses(self.match, sentence.start, sentence.end)
                                      if c[0] <= practice.start < c[1] + 1)  # fmt: skip
                        mention = _Mention(practice, sentence, clause, subject, theme)
                        stage = adoption_stage(self.match[clause[0] : clause[1]])
                        learned = learned_before(self.match, clause[0], practice.start)
                        mention.adopters.append(_Adopter(subject, stage, None, learned))
                        self.mentions.append(mention)
                        has_practice.add(id(subject))
                        break

    def _read_heading(
        self, index: int, zones: list[ZoneMention], zone_starts: list[int], group_base: int, theme: int | None
    ) -> ZoneMention | None:
        """A section heading that names a place (一、某省某县：“某某经验”) makes that place the subject of the
        section below, and a practice it names is that place's practice and the section's antecedent."""
        zone: ZoneMention | None = None
        for sentence in self.sentences[index]:
            for clause in clauses(self.match, sentence.start, sentence.end):
                lead = ENUMERATION.sub("", self.match[clause[0] : clause[1]])
                offset = clause[1] - clause[0] - len(lead)
                here = self._subjects((clause[0] + offset, clause[1]), zones, zone_starts)
                if here:
                    zone = here[-1]
                found = self._read_clause(clause, sentence, zone, theme, group_base, heading=True)
                group_base += 1000
                mechanisms = [m for m in found if isinstance(m.found, Found) and m.found.label == "Mechanism"]
                for mention in mechanisms:
                    if zone is not None:
                        mention.adopters.append(_Adopter(zone, "adopted", None, False))
                    if isinstance(mention.found, Found):
                        self.antecedent = mention.found
                        self.section_practice = mention.found
        return zone

    def _adopt(
        self,
        clause: tuple[int, int],
        sentence: Sentence,
        rest: list[tuple[int, int]],
        mechanisms: list[_Mention],
        here: list[ZoneMention],
        current: ZoneMention | None,
        zones: list[ZoneMention],
        zone_starts: list[int],
        theme: int | None,
    ) -> bool:
        """Who adopts the practices of a clause, how far and when; a clause that names none but says that a
        zone tried or rolled out "this practice" (这一做法在全市推开, 甲镇先行试点) adopts the one last named.
        The clause's subject (or the one carried from before) adopts, and so do the zones it places the
        practice in (某区在甲镇、乙街道试点). True when some zone adopts something here."""
        clause_text = self.match[clause[0] : clause[1]]
        if not mechanisms and not here and (self.antecedent is None or not ADOPTION_VERB.search(clause_text)):
            return False  # nothing named, no subject of its own, no verb referring back: most clauses
        owners: list[ZoneMention] = []
        referred = False
        locative = self._locative_zones(clause, zones, zone_starts, here)
        locative += self._whole_area(clause, here or ([current] if current is not None else []), zones, zone_starts)
        if not mechanisms and here and self._takes_section_practice(here[0], clause_text):
            # 四、某省某市某区：“某某” / 某市在农村改革中，在自然村一级组建…: the place the section is about (or a
            # unit above it) doing something without naming the practice does the heading's practice.
            assert self.section_practice is not None
            mention = _Mention(self.section_practice, sentence, clause, here[0], theme)
            self.mentions.append(mention)
            mechanisms = [mention]
            adopters = [*here, *locative]
            referred = True
        elif not mechanisms:
            if here and TRIED_FIRST.search(clause_text):
                # 甲村先行先试之后，乙县在全县推广，形成“某某”模式: the trial is of the practice the
                # sentence goes on to name.
                year = self._year(sentence, clause, clause[1])
                self.pending.extend(_Adopter(zone, "pilot", year, False) for zone in here)
                return True
            if self.antecedent is None or not ADOPTION_VERB.search(clause_text):
                return False
            anaphor = ANAPHOR.search(clause_text) is not None
            # 某区被确定为试点区, 某社区是全市首批试点社区之一: a place named a pilot of the practice just named.
            designated = bool(here) and DESIGNATED.search(clause_text) is not None
            if not (anaphor or designated or _ends_with_verb(clause_text) or locative) or not (
                here or locative or anaphor
            ):
                return False
            adopters = [*(here or ([current] if current is not None else [])), *locative]
            if not adopters:
                return False
            mention = _Mention(self.antecedent, sentence, clause, adopters[0], theme)
            self.mentions.append(mention)
            mechanisms = [mention]
            referred = True  # dated by this clause, not where the practice was named
        else:
            owner = self._possessor(clause, mechanisms[0].found.start, zones, zone_starts)
            adopters = [*(here or owner or ([current] if current is not None else [])), *locative]
            # 乙市以甲省的“某某”品牌为引领: the subject takes it up and the possessor has it too.
            owners = [z for z in owner if here and not any(z is h for h in here)]
        if not adopters:
            return False
        stage = adoption_stage(clause_text)
        if stage == "adopted" and rest:  # read on only when the clause says nothing of how far
            stage = adoption_stage(clause_text, self._continuation(rest, zones, zone_starts))
        # 甲区、乙区分别推出“A”“B”: the n-th zone takes the n-th practice.
        respectively = "分别" in clause_text and len(here) > 1 and len(here) == len(mechanisms)
        for n, mention in enumerate(mechanisms):
            year = self._year(sentence, clause, clause[1] if referred else mention.found.start)
            learned = mention.found.start >= clause[0] and (
                learned_before(self.match, clause[0], mention.found.start)
                or transplanted(self.match, mention.found.start, mention.found.end, clause[1])
            )
            takers = [here[n], *locative] if respectively else adopters
            if EVALUATED.search(self.match, clause[0], clause[1]) and not here:
                year = None  # 对“某某”给予肯定: the place has it, but the year is of the praise, not the start
            for zone in {id(z): z for z in takers}.values():
                mention.adopters.append(_Adopter(zone, stage, year, learned))
            for zone in owners if n == 0 else []:
                mention.adopters.append(_Adopter(zone, "adopted", None, False))
            if n == 0 and self.pending and mention.sentence == sentence and mention.found.start >= sentence.start:
                mention.adopters.extend(self.pending)
                self.pending = []
            if isinstance(mention.found, Found):
                self.antecedent = mention.found
        return True

    def _continuation(self, rest: list[tuple[int, int]], zones: list[ZoneMention], starts: list[int]) -> str:
        """The clauses after one that go on without a subject of their own (…，部署在全省推行); a clause
        that opens with a time of its own (…，2018年在全县推行) is a later event, not this one."""
        kept: list[str] = []
        for clause in rest:
            if self._subject(clause, zones, starts) is not None or OPENS_WITH_TIME.match(self.match, clause[0]):
                break
            kept.append(self.match[clause[0] : clause[1]])
        return "，".join(kept)

    def _locative_zones(
        self, clause: tuple[int, int], zones: list[ZoneMention], starts: list[int], here: list[ZoneMention]
    ) -> list[ZoneMention]:
        """Zones a clause places a trial or roll-out in: 在乙镇、丙街道先行试点, 在丁市推开, 推广到戊县,
        把某会建到了甲村、乙村."""
        text = self.match
        verb = LOCATIVE_VERB.search(text, clause[0], clause[1])
        found: list[ZoneMention] = []
        first = bisect.bisect_left(starts, clause[0])
        last = bisect.bisect_left(starts, clause[1])
        for zone in zones[first:last]:
            if any(zone is z for z in here) or any(zone is z for z in found):
                continue
            before = text[max(clause[0], zone.start - 5) : zone.start]
            placed = verb is not None and zone.start < verb.start() and LOCATIVE_BEFORE.search(before)
            joined = found and JOINER.fullmatch(text[found[-1].end : zone.start])
            if placed or joined or REACHED.search(before):
                found.append(zone)
        return found

    def _takes_section_practice(self, subject: ZoneMention, clause_text: str) -> bool:
        """The subject is the section heading's place or a unit above it, the clause acts (组建, 启动,
        撤销…), and the section's practice is still the one last named."""
        place, practice = self.section_place, self.section_practice
        if place is None or practice is None or self.antecedent is not practice:
            return False
        on_chain = any(ref.key == subject.zone.key for ref in place.chain)
        return on_chain and ACTS.search(clause_text) is not None

    def _possessor(
        self, clause: tuple[int, int], before: int, zones: list[ZoneMention], starts: list[int]
    ) -> list[ZoneMention]:
        """A place standing as possessor before a practice in a clause without a subject of its own
        (研究将佛山的市域治理概括为“某某”模式, 借鉴甲村的“某某”): its practice, not the place carried
        from before."""
        first = bisect.bisect_left(starts, clause[0])
        last = bisect.bisect_left(starts, before)
        owners = [z for z in zones[first:last] if self.match.startswith("的", z.end)]
        return owners[-1:]

    def _whole_area(
        self, clause: tuple[int, int], subjects: list[ZoneMention], zones: list[ZoneMention], starts: list[int]
    ) -> list[ZoneMention]:
        """The unit a roll-out covers when the clause says 在全县/到全市… : the subject's own unit of that kind
        (肃宁县在全县推行 -> 肃宁县; 某镇…2008年在全市推开 -> the city above the town), else the last unit of
        that kind named before."""
        m = WHOLE_AREA.search(self.match, clause[0], clause[1])
        if m is None or not LOCATIVE_VERB.search(self.match, clause[0], clause[1]):
            return []
        unit = m.group("unit")
        for subject in subjects:
            for depth in range(len(subject.chain), 0, -1):
                if subject.chain[depth - 1].name.endswith(unit):
                    if depth == len(subject.chain):
                        return [subject]
                    return [ZoneMention(subject.start, subject.end, subject.chain[:depth], False)]
        at = bisect.bisect_left(starts, clause[0])
        before = self._last_ending(at, unit)
        return [before] if before is not None else []

    def _year(self, sentence: Sentence, clause: tuple[int, int], position: int) -> int | None:
        """The year of a practice's mention: written before it in its sentence, else after it in its
        clause (始于2012年), else given relatively (次年) from the last year the text gave. A practice
        named before the sentence (这一做法…, 在全县推广) is dated by the clause that refers to it."""
        if not sentence.start <= position < sentence.end:
            position = clause[1]
        before = years_in(self.match, sentence.start, position)
        if before:
            return before[-1][1]
        after = years_in(self.match, position, clause[1])
        if after:
            return after[0][1]
        return relative_year(self.match, sentence.start, clause[1], self.last_year)

    def _note_year(self, sentence: Sentence) -> None:
        written = years_in(self.match, sentence.start, sentence.end)
        if written:
            self.last_year = written[-1][1]
        else:
            self.last_year = relative_year(self.match, sentence.start, sentence.end, self.last_year) or self.last_year

    def _self_reference(self, clause: tuple[int, int], zones: list[ZoneMention]) -> list[ZoneMention]:
        """A report's own unit as subject: 我县/本市/全区… or its organs (县委、县政府…) stand for the first unit
        of that kind the text names (its title: 某县推行某某制度工作情况汇报)."""
        m = SELF_REFERENCE.match(self.match, clause[0], clause[1])
        if m is None:
            return []
        unit = m.group("unit") or m.group("organ_unit")
        home = next((z for z in zones if z.zone.name.endswith(unit)), None)
        return [home] if home is not None else []

    def _last_ending(self, before: int, unit: str) -> ZoneMention | None:
        """The last zone mention before position `before` of the mention list whose name ends with `unit`."""
        held = self.endings.get(unit, [])
        at = bisect.bisect_left(held, before)
        return self.zone_mentions[held[at - 1]] if at else None

    def _unit_reference(
        self, clause: tuple[int, int], zones: list[ZoneMention], starts: list[int]
    ) -> list[ZoneMention]:
        """A bare unit word as subject (社区建起…, 该村…, 村里…, 镇上的干部…) stands for the last unit of that
        kind the text named: a case report goes on about the place it has just introduced. The word
        must be a word of its own here (not 社区工作者, 村民, 市场), as jieba reads the clause."""
        m = UNIT_REFERENCE.match(self.match, clause[0], clause[1])
        if m is None:
            return []
        unit = m.group("unit")
        words = tokenize(self.match[m.start("unit") : min(clause[1], m.start("unit") + 8)])
        if len(words) < 2 or words[0] not in (unit, unit + "里", unit + "上", unit + "内"):
            return []
        # What follows is a predicate (社区依托…, 村里先后…, 镇上的…), not the head of a noun phrase
        # the unit word modifies (社区志愿服务…, 村级事务…).
        tag = jieba_tag(words[1]) or ""
        if not (tag[:1] in ("v", "d", "p", "c", "t") or words[1] in ("的", "也", "还", "又", "就", "便", "都")):
            return []
        at = bisect.bisect_left(starts, clause[0])
        home = self._last_ending(at, unit)
        return [home] if home is not None else []

    def _subjects(self, clause: tuple[int, int], zones: list[ZoneMention], starts: list[int]) -> list[ZoneMention]:
        """The subject zone of a clause and the zones coordinated with it (甲镇、乙镇和丙镇…)."""
        subject = self._subject(clause, zones, starts)
        if subject is None:
            return []
        found = [subject]
        at = bisect.bisect_right(starts, subject.start)
        for zone in zones[at:]:
            if zone.start >= clause[1] or not JOINER.fullmatch(self.match[found[-1].end : zone.start]):
                break
            if zone.start >= found[-1].end:
                found.append(zone)
        return found

    def _subject(self, clause: tuple[int, int], zones: list[ZoneMention], starts: list[int]) -> ZoneMention | None:
        # Only a zone near the clause's start can be its subject.
        first = bisect.bisect_left(starts, clause[0])
        last = bisect.bisect_left(starts, min(clause[1], clause[0] + _SUBJECT_REACH))
        for zone in zones[first:last]:
            if clause[0] <= zone.start < clause[1]:
                lead = self.match[clause[0] : zone.start].strip().lstrip(BULLETS).strip()
                # 同属安吉县的孝丰镇…: a zone after a short modifier ending in 的 is still the subject.
                if LEADING.match(lead) or (lead.endswith("的") and len(lead) <= 12):
                    return self._innermost(zone, zones, starts, clause[1])
        return None

    def _innermost(self, zone: ZoneMention, zones: list[ZoneMention], starts: list[int], hi: int) -> ZoneMention:
        """The last unit of a name written in pieces (浙江|诸暨县（今诸暨市）|枫桥镇): what follows a subject
        and lies inside it, with only a bracketed note or a unit the table lacks between them, is the
        subject itself, named more closely."""
        at = bisect.bisect_right(starts, zone.start)
        today: list[ZoneMention] = []  # units named in a note (今诸暨市): what the former name is now
        for following in zones[at:]:
            if following.start >= hi:
                break
            raw = self.match[zone.end : following.start]
            if raw.count("（") + raw.count("(") > raw.count("）") + raw.count(")"):
                if TODAY_NOTE.search(raw):
                    today.append(following)
                continue  # a unit inside the bracketed note (今诸暨市): not the next piece of the name
            gap = BRACKETED.sub("", raw).strip()
            keys = {ref.key for ref in following.chain[:-1]}
            # 诸暨县（今诸暨市）枫桥镇: the town lies in the county, which is today's city.
            inside = zone.zone.key in keys or any(t.zone.key in keys for t in today)
            if not inside or not (gap in ("", "原") or UNIT_NAME.fullmatch(gap)):
                break
            zone, today = following, []
        return zone

    def _read_clause(
        self,
        clause: tuple[int, int],
        sentence: Sentence,
        zone: ZoneMention | None,
        theme: int | None,
        group: int,
        heading: bool = False,
    ) -> list[_Mention]:
        """Mentions of one clause. In a heading or title, a quoted name counts when it is named like a
        practice or fills its clause (某地：“某某”), not when it is a phrase of a headline (一场“论坛”…)."""
        lo, hi = clause
        quoted = [
            f
            for f in find_quoted(self.match, lo, hi, group)
            if f.strong or not heading or _fills(self.match, lo, hi, f)
        ]
        # A practice's parts stay open to the organisation reader: a listed body (调解委员会) is both.
        claimed = [(f.start, f.end) for f in quoted if f.group < 0]
        policies = find_policies(self.match, lo, hi, claimed)
        claimed += [(f.start, f.end) for f in policies]
        unquoted = find_unquoted_mechanisms(self.match, lo, hi, claimed)
        claimed += [(f.start, f.end) for f in unquoted]
        again = self._established_here(lo, hi, claimed)
        unquoted += again
        claimed += [(f.start, f.end) for f in again]
        orgs = find_organisations(self.match, lo, hi, claimed)
        unquoted += self._institutions_set_up(orgs, [*quoted, *unquoted])
        unquoted += self._bodies_rolled_out(orgs, [*quoted, *unquoted])
        self._short_forms([*quoted, *policies], sentence.end)
        items: list[Found | OrgFound] = [*quoted, *policies, *unquoted, *orgs]
        made = [_Mention(f, sentence, clause, zone, theme) for f in items]
        self.mentions.extend(made)
        found = [m.found for m in made if isinstance(m.found, Found)]
        by_found = {id(m.found): m for m in made}
        for whole, part in find_parts(self.match, clause, found):
            self.parts.append((by_found[id(found[whole])], by_found[id(found[part])]))
        return made

    def _established_names(self) -> dict[str, Found]:
        """Practices the text names in quotes, by the words inside them: once a report has introduced
        “参与式预算”, it goes on writing 参与式预算 bare. Only names that are no ordinary word (jieba's
        dictionary does not hold them) and of three characters or more, so a scare-quoted word
        (“管不了”) written bare later is left alone."""
        named: dict[str, Found] = {}
        quoted = {
            sentence: [self.match[a + 1 : b - 1] for a, b in quoted_spans(self.match, sentence.start, sentence.end)]
            for block_sentences in self.sentences
            for sentence in block_sentences
        }
        bare = self._written_bare({words for held in quoted.values() for words in held if len(words) >= 3})
        for block_sentences in self.sentences:
            for sentence in block_sentences:
                # A name given without quotes by a naming verb (被统一命名为民主恳谈) is established too.
                if NAMING.search(self.match, sentence.start, sentence.end):
                    for found in find_unquoted_mechanisms(self.match, sentence.start, sentence.end, []):
                        if 3 <= len(found.name) <= 16 and not jieba_freq(found.name):
                            named.setdefault(found.name, found)
                if not bare.intersection(quoted[sentence]):
                    continue  # nothing quoted here comes again bare: no need to read the quotes
                for found in find_quoted(self.match, sentence.start, sentence.end):
                    words = found.core or found.name
                    if (
                        found.label == "Mechanism"
                        and found.group < 0  # a listed item or part (有事好商量) is no practice of its own
                        and 3 <= len(words) <= 16
                        and not _SENTENCE_MARKS.search(words)
                        and not jieba_freq(words)
                    ):
                        named.setdefault(words, found)
        return named

    def _institutions_set_up(self, orgs: list[OrgFound], found: list[Found]) -> list[Found]:
        """A body set up or brought in (成立乡贤参事会, 引入某某理事会) whose name, with 制度 or 机制 after it, is
        a practice the text names: setting up the body is taking up that practice."""
        out: list[Found] = []
        for org in orgs:
            practice = self.institutions.get(normalise_name(org.name))
            if practice is None or any(f.start <= org.start < f.end for f in found):
                continue
            if SET_UP.search(self.match, max(0, org.start - 6), org.start):
                out.append(Found("Mechanism", org.start, org.end, practice, [], core=practice, strong=True))
        return out

    def _bodies_rolled_out(self, orgs: list[OrgFound], found: list[Found]) -> list[Found]:
        """A kind of body set up everywhere (在各村、社区成立红白理事会, 把某会建到了甲村、乙村, 推行某会) is a
        practice as well as a body: the spread of one council across many places."""
        out: list[Found] = []
        for org in orgs:
            if any(f.start < org.end and org.start < f.end for f in found) or not org.name.endswith(BODY_ENDINGS):
                continue
            before = self.match[max(0, org.start - 16) : org.start]
            after = self.match[org.end : org.end + 4]
            spread = SPREAD_BEFORE.search(before) or (before.rstrip().endswith("把") and SPREAD_AFTER.match(after))
            if spread:
                out.append(Found("Mechanism", org.start, org.end, org.name, [], core=org.name, strong=True))
        return out

    def _institution_names(self) -> dict[str, str]:
        """Practices named after a body (乡贤参事会制度, 红白理事会机制): the body's name -> the practice's."""
        names: dict[str, str] = {}
        for m in INSTITUTION.finditer(self.match):
            for found in find_unquoted_mechanisms(self.match, max(0, m.start() - 16), m.end(), []):
                body = found.name[: -len(m.group("kind"))] if found.name.endswith(m.group("kind")) else ""
                if len(body) >= 3 and body.endswith(BODY_ENDINGS):
                    names.setdefault(normalise_name(body), found.name)
        return names

    def _written_bare(self, words: set[str]) -> set[str]:
        """Those of `words` that the text also writes without an opening quote before them (one pass)."""
        if not words:
            return set()
        text = self.match
        return {word for at, _, word in Words(words).finditer(text) if at == 0 or text[at - 1] not in _OPENERS}

    def _established_here(self, lo: int, hi: int, claimed: list[tuple[int, int]]) -> list[Found]:
        """Bare mentions in [lo, hi) of the practices the text named in quotes."""
        out: list[Found] = []
        if not self.established_words:
            return out
        taken = list(claimed)
        # One pass, longest name first at each place.
        for at, end, name in self.established_words.finditer(self.match, lo, hi):
            if not any(a < end and at < b for a, b in taken):
                known = self.established[name]
                out.append(Found("Mechanism", at, end, name, core=name, strong=known.strong))
                taken.append((at, end))
        return out

    def _short_forms(self, named: list[Found], sentence_end: int) -> None:
        """(以下简称实验区) right after a name gives that name a short form."""
        for found in named:
            m = _SHORT_FOR.match(self.match, found.end, sentence_end)
            if m and found.strong:
                found.aliases.append(m.group("alias"))

    # -- resolution ----------------------------------------------------------------------------

    def _unqualify(self, mentions: list[_Mention]) -> set[int]:
        """A practice written with the place it belongs to before its own quoted name (某县‘某村经验’) is
        that name: the place is whose it is (see _named_after_places), not part of it. id() of the
        mentions' Found so changed."""
        names = {ref.name for zone in self.zone_mentions for ref in zone.chain} | {
            _own_name(zone) for zone in self.zone_mentions
        }
        stems = names | {_stem(name) for name in names}
        changed: set[int] = set()
        for mention in mentions:
            found = mention.found
            m = PLACE_QUALIFIED.match(found.name) if isinstance(found, Found) else None
            if m is None or m.group("place") not in stems or not isinstance(found, Found):
                continue
            inner = m.group("inner")
            found.name, found.core = inner, inner
            found.aliases = [a for a in found.aliases if a != inner]
            changed.add(id(found))
        return changed

    def _resolve(self, label: str, mentions: list[_Mention]) -> dict[int, _Entity]:
        """Mentions of one label -> entities: the same name, a quoted core (“邻里坊” for “邻里坊”工作机制),
        a short form, or a name with a generic modifier (省级实验区) all reach one entity."""
        entities: list[_Entity] = []
        by_key: dict[str, _Entity] = {}
        out: dict[int, _Entity] = {}
        shared = _shared_formulas(mentions)
        qualified = self._unqualify(mentions) if label == "Mechanism" else set()
        # Longest, most complete names first so that bare mentions join them.
        ordered = sorted(mentions, key=lambda m: (not _strong(m.found), -len(m.found.name), m.found.start))
        for mention in ordered:
            found = mention.found
            keys = [k for k in _keys(found) if k not in shared]
            entity = next((by_key[k] for k in keys if k in by_key), None)
            if entity is None:
                stripped = _MODIFIERS.sub("", normalise_name(found.name))
                entity = by_key.get(stripped) if stripped and stripped not in shared else None
            if entity is None:
                if isinstance(found, Found) and not found.strong and found.label == "Policy":
                    continue  # a bare 实验区 with no programme named: nothing to attach it to
                if normalise_name(found.name) in shared or (
                    isinstance(found, Found) and normalise_name(found.core) in shared
                ):
                    continue  # a bare “1+3” where two practices of the text use it: could be either
                entity = _Entity(label, _display(found.name), set())
                entities.append(entity)
            entity.add_alias(found.name)
            if id(found) not in qualified:
                entity.add_alias(_display(self.text[found.start : found.end], mainland=False))  # as written
            entity.keys.add(normalise_name(found.name))
            for alias in found.aliases if isinstance(found, Found) else []:
                if normalise_name(alias) not in shared:
                    entity.add_alias(alias)
            if isinstance(found, Found) and found.core:
                entity.keys.add(normalise_name(found.core))
            for k in entity.keys:
                by_key.setdefault(k, entity)
            out[id(mention)] = entity
        return out

    # -- building ------------------------------------------------------------------------------

    def _evidence(self, sentence: Sentence) -> Evidence:
        return Evidence(self.document.id, self.text[sentence.start : sentence.end], sentence.start, sentence.end)

    def _sentence_at(self, position: int) -> Sentence | None:
        at = bisect.bisect_right(self.sentence_starts, position) - 1
        if at >= 0 and self.all_sentences[at].start <= position < self.all_sentences[at].end:
            return self.all_sentences[at]
        return None

    def _edge(self, kind: str, source: str, target: str, sentence: Sentence, **properties: object) -> None:
        key = (kind, source, target)
        edge = self.edges.get(key)
        if edge is None:
            edge = Edge(kind, source, target, [], dict(properties))
            self.edges[key] = edge
        seen = self._evidence_seen.setdefault(key, set())
        if sentence.start not in seen and len(edge.evidence) < MAX_EVIDENCE:
            seen.add(sentence.start)  # one sentence starts at one place: its start names it
            edge.evidence.append(self._evidence(sentence))

    def _node(self, node: Node) -> None:
        held = self.nodes.get(node.id)
        if held is None:
            self.nodes[node.id] = node
            return
        for alias in [node.name, *node.aliases]:
            if alias != held.name and alias not in held.aliases:
                held.aliases.append(alias)
        for k, v in node.properties.items():
            held.properties.setdefault(k, v)

    def _original_forms(self, zone: ZoneMention) -> list[tuple[str, str]]:
        """Names of a mention's units as the text writes them, where that differs from the folded form:
        a text in traditional characters keeps 楓橋鎮 beside 枫桥镇, so its own spelling finds the zone.
        Pairs of (node id, original form)."""
        written = self.match[zone.start : zone.end]
        if written == self.text[zone.start : zone.end]:
            return []
        forms = []
        for ref in zone.chain:
            held = self.nodes.get(ref.node_id)
            known = [held.name, *held.aliases] if held else []
            for name in dict.fromkeys([ref.name, *known]):
                at = written.find(name)
                if at >= 0:
                    original = self.text[zone.start + at : zone.start + at + len(name)]
                    if original != name:
                        forms.append((ref.node_id, original))
        return forms

    def _zone_nodes(self, zones: list[ZoneMention]) -> None:
        """Zone nodes (the fullest written name wins) and PART_OF from the sentences naming them in full."""
        names: dict[str, dict[str, None]] = {}  # display names (below the province) by zone key
        aliases: dict[str, dict[str, None]] = {}
        for zone in zones:
            names.setdefault(zone.zone.key, {})[zone.zone.name] = None
            for alias in zone.zone.aliases:
                aliases.setdefault(zone.zone.key, {})[alias] = None
        for zone in zones:
            sentence = self._sentence_at(zone.start)
            if sentence is None:
                continue
            nodes, edges = zone_nodes_and_edges(zone.chain)
            for node in nodes:
                key = str(node.properties["full_name"])
                if node.id not in self.nodes and key in names:
                    written_names = [*names[key], *aliases.get(key, {})]
                    fullest = max(names[key], key=len)
                    node.aliases = [
                        a for a in dict.fromkeys([node.name, *written_names, *node.aliases]) if a != fullest
                    ]
                    node.name = fullest
                self._node(node)
            if zone.full:  # PART_OF read from the sentence that names the zone with its parents
                for edge in edges:
                    self._edge("PART_OF", edge.source, edge.target, sentence)
            self._edge("MENTIONS", self.document.id, zone.zone.node_id, sentence)
        for zone in zones:
            for zone_id, original in self._original_forms(zone):
                held = self.nodes.get(zone_id)
                if held is not None and original not in held.aliases and original != held.name:
                    held.aliases.append(original)
        # A zone only ever written in a short form still gets its PART_OF, from where it is named.
        for zone in zones:
            sentence = self._sentence_at(zone.start)
            if sentence is None or zone.full:
                continue
            for edge in zone_nodes_and_edges(zone.chain)[1]:
                if edge.key not in self.edges:
                    self._edge("PART_OF", edge.source, edge.target, sentence)

    def _build(self) -> None:
        mechanisms = [m for m in self.mentions if isinstance(m.found, Found) and m.found.label == "Mechanism"]
        policies = [m for m in self.mentions if isinstance(m.found, Found) and m.found.label == "Policy"]
        orgs = [m for m in self.mentions if isinstance(m.found, OrgFound)]
        mech_of = self._resolve("Mechanism", mechanisms)
        policy_of = self._resolve("Policy", policies)
        org_of = self._resolve_orgs(orgs)
        described: set[str] = set()
        adoptions: dict[tuple[str, str], list[tuple[_Adopter, Sentence]]] = {}
        for mention in mechanisms:
            entity = mech_of.get(id(mention))
            if entity is None:
                continue
            if entity.id not in described:
                entity.properties["description"] = self._description(mention)
                described.add(entity.id)
            self._emit(entity, mention)
            for adopter in mention.adopters:
                adoptions.setdefault((adopter.zone.zone.node_id, entity.id), []).append((adopter, mention.sentence))
        self._named_after_places(mechanisms, mech_of, adoptions)
        self._adoptions(adoptions)
        for mention in policies:
            entity = policy_of.get(id(mention))
            if entity is None:
                continue
            found = mention.found
            assert isinstance(found, Found)
            entity.properties.setdefault("kind", found.kind)
            year = year_before(self.match, mention.clause[0], found.start)
            if year is not None and "year" not in entity.properties:
                entity.properties["year"] = year
            self._emit(entity, mention)
            if mention.zone is not None:
                self._edge("IMPLEMENTS", mention.zone.zone.node_id, entity.id, mention.sentence)
        for mention in orgs:
            entity = org_of[id(mention)]
            self._emit(entity, mention)
            if mention.zone is not None:
                self._edge("HAS_ORGANISATION", mention.zone.zone.node_id, entity.id, mention.sentence)
        self._participation(orgs, org_of, mechanisms, mech_of)
        self._framing(mechanisms, mech_of, policies, policy_of)
        for whole, part in self.parts:
            w, p = mech_of.get(id(whole)), mech_of.get(id(part))
            if w is not None and p is not None and w.id != p.id:
                self._edge("HAS_PART", w.id, p.id, whole.sentence)
                parts = self.nodes[w.id].properties.setdefault("parts", [])
                if isinstance(parts, list) and p.name not in parts:
                    parts.append(p.name)
        self._categories(mechanisms, mech_of)
        self._themes(mechanisms, mech_of)

    def _named_after_places(
        self,
        mechanisms: list[_Mention],
        mech_of: dict[int, _Entity],
        adoptions: dict[tuple[str, str], list[tuple[_Adopter, Sentence]]],
    ) -> None:
        """A practice named after a place (某镇经验, 某某通, 某县‘某村经验’) is that place's practice, when the place
        is a zone of the text: its name or its stem (the name without 镇/村/县…) opens the practice's name."""
        stems: dict[str, ZoneMention] = {}
        for zone in self.zone_mentions:
            own = _own_name(zone)
            for form in (own, _stem(own)):
                if len(form) >= 2:
                    stems.setdefault(form, zone)
        for zone in self.zone_mentions:  # and the units above them (武义县 of 武义县白洋街道后陈村)
            for depth, ref in enumerate(zone.chain[:-1]):
                for form in (ref.name, _stem(ref.name)):
                    if len(form) >= 2 and form not in stems:
                        stems[form] = ZoneMention(zone.start, zone.end, zone.chain[: depth + 1], False)
        if not stems:
            return
        forms = Words(stems)
        for mention in mechanisms:
            entity = mech_of.get(id(mention))
            if entity is None or not isinstance(mention.found, Found):
                continue
            # The words as written too: “某县‘某村经验’” may reach the reader as 某村经验 alone.
            written = normalise_name(self.match[mention.found.start : mention.found.end])
            places = _places_opening(written, forms, stems) or _places_opening(
                normalise_name(mention.found.name), forms, stems
            )
            for zone in places:
                self.eponyms.setdefault(entity.id, {})[zone.zone.node_id] = None
                adopter = _Adopter(zone, "adopted", None, False)
                held = adoptions.setdefault((zone.zone.node_id, entity.id), [])
                if not any(a.zone.zone.node_id == zone.zone.node_id for a, _ in held):
                    held.append((adopter, mention.sentence))

    def _adoptions(self, adoptions: dict[tuple[str, str], list[tuple[_Adopter, Sentence]]]) -> None:
        """ADOPTS with year, stage and learned; LEARNED_FROM from a zone that learned a practice to the
        place it is named after (学来的某镇经验 comes from 某镇), else to the zone the text has practising it
        first (not learned, earliest year, else first named)."""
        origins: dict[str, list[tuple[int, int, str]]] = {}  # mechanism -> (year or 9999, order, zone)
        for order, ((zone_id, mech_id), held) in enumerate(adoptions.items()):
            for _, sentence in held:
                self._edge("ADOPTS", zone_id, mech_id, sentence)
            properties = adoption_properties([adopter for adopter, _ in held])
            self.edges[("ADOPTS", zone_id, mech_id)].properties.update(properties)
            if properties["stage"] != "planned" and not properties["learned"]:
                year = properties.get("year")
                origins.setdefault(mech_id, []).append((year if isinstance(year, int) else 9999, order, zone_id))
        for (zone_id, mech_id), held in adoptions.items():
            learned = [sentence for adopter, sentence in held if adopter.learned]
            candidates = sorted(o for o in origins.get(mech_id, []) if o[2] != zone_id)
            eponyms = [z for z in self.eponyms.get(mech_id, {}) if z != zone_id]
            if not learned or not (candidates or eponyms):
                continue
            origin = eponyms[0] if eponyms else candidates[0][2]
            self._edge("LEARNED_FROM", zone_id, origin, learned[0])
            names = self.edges[("LEARNED_FROM", zone_id, origin)].properties.setdefault("mechanisms", [])
            name = self.nodes[mech_id].name if mech_id in self.nodes else mech_id
            if isinstance(names, list) and name not in names:
                names.append(name)

    def _emit(self, entity: _Entity, mention: _Mention) -> None:
        self._node(Node(entity.id, entity.label, entity.name, list(entity.aliases), dict(entity.properties)))
        node = self.nodes[entity.id]
        for k, v in entity.properties.items():
            node.properties.setdefault(k, v)
        self._edge("MENTIONS", self.document.id, entity.id, mention.sentence)

    def _resolve_orgs(self, mentions: list[_Mention]) -> dict[int, _Entity]:
        """One entity per organisation name; a named body written with a short prefix
        (街坊党员邻里互助组) joins the body it extends (党员邻里互助组)."""
        entities: dict[str, _Entity] = {}
        out: dict[int, _Entity] = {}
        named = sorted({m.found.name for m in mentions if isinstance(m.found, OrgFound) and not m.found.entry}, key=len)
        base: dict[str, str] = {}
        for name in named:
            shorter = next((n for n in named if n != name and name.endswith(n) and len(name) - len(n) <= 3), None)
            base[name] = base.get(shorter, shorter) if shorter else name
        for mention in mentions:
            found = mention.found
            assert isinstance(found, OrgFound)
            name = base.get(found.name, found.name)
            entity = entities.get(name)
            if entity is None:
                entity = _Entity("Organisation", name, {normalise_name(name)}, [], {"kind": found.kind})
                entities[name] = entity
            written = self.text[found.start : found.end]
            entity.add_alias(_display(self.match[found.start : found.end]))
            if written != entity.name:
                entity.add_alias(written)
            out[id(mention)] = entity
        return out

    def _participation(
        self, orgs: list[_Mention], org_of: dict[int, _Entity], mechs: list[_Mention], mech_of: dict[int, _Entity]
    ) -> None:
        """An organisation takes part in the practices of its clause, else in the nearest one of its sentence
        (a role group such as 居民 only in one of the next clauses: a long sentence lists many actors)."""
        by_clause: dict[tuple[int, int], list[_Mention]] = {}
        by_sentence: dict[Sentence, list[_Mention]] = {}
        for mech in sorted((m for m in mechs if id(m) in mech_of), key=lambda m: m.found.start):
            by_clause.setdefault(mech.clause, []).append(mech)
            by_sentence.setdefault(mech.sentence, []).append(mech)
        starts = {sentence: [m.found.start for m in held] for sentence, held in by_sentence.items()}
        for org in orgs:
            if org.zone is None or not isinstance(org.found, OrgFound) or org.sentence not in by_sentence:
                continue
            chosen = by_clause.get(org.clause, [])
            if not chosen:
                if org.found.entry:
                    parts = self._clause_parts(org.sentence)
                    here = self._clause_index(org.sentence).get(org.clause, -9)
                    near = [m for i in (here - 1, here + 1) if 0 <= i < len(parts) for m in by_clause.get(parts[i], [])]
                else:
                    held = by_sentence[org.sentence]
                    at = bisect.bisect_left(starts[org.sentence], org.found.start)
                    near = held[max(0, at - 1) : at + 1]
                chosen = sorted(near, key=lambda m: abs(m.found.start - org.found.start))[:1]
            for mech in chosen:
                self._edge("PARTICIPATES_IN", org_of[id(org)].id, mech_of[id(mech)].id, org.sentence)

    def _clause_parts(self, sentence: Sentence) -> list[tuple[int, int]]:
        held = self._clause_lists.get(sentence)
        if held is None:
            held = self._clause_lists[sentence] = clauses(self.match, sentence.start, sentence.end)
        return held

    def _clause_index(self, sentence: Sentence) -> dict[tuple[int, int], int]:
        held = self._clause_indexes.get(sentence)
        if held is None:
            held = self._clause_indexes[sentence] = {c: i for i, c in enumerate(self._clause_parts(sentence))}
        return held

    def _framing(
        self,
        mechs: list[_Mention],
        mech_of: dict[int, _Entity],
        policies: list[_Mention],
        policy_of: dict[int, _Entity],
    ) -> None:
        """“社工委员”专职专选做法写进选举办法: a practice written into a policy is framed by it."""
        by_clause: dict[tuple[int, int], list[_Mention]] = {}
        for policy in policies:
            if id(policy) in policy_of:
                by_clause.setdefault(policy.clause, []).append(policy)
        for mech in mechs:
            for policy in by_clause.get(mech.clause, []):
                if id(mech) not in mech_of:
                    continue
                if mech.found.end <= policy.found.start and _FRAMING.search(
                    self.match[mech.found.end : policy.found.start]
                ):
                    self._edge("FRAMED_BY", mech_of[id(mech)].id, policy_of[id(policy)].id, mech.sentence)

    def _description(self, mention: _Mention) -> str:
        """The clause that names the practice, with the clauses that spell it out (即…, 包括…)."""
        parts = clauses(self.match, mention.sentence.start, mention.sentence.end)
        index = next((i for i, c in enumerate(parts) if c == mention.clause), 0)
        start, end = parts[index]
        for follower in parts[index + 1 :]:
            if not _EXPLAINS.match(self.match[follower[0] : follower[1]]) and end - start >= 12:
                break
            end = follower[1]
            if end - start >= MAX_DESCRIPTION:
                break
        described = self.text[start:end]
        return described if len(described) <= MAX_DESCRIPTION else described[: MAX_DESCRIPTION - 1] + "…"

    def _categories(self, mechs: list[_Mention], mech_of: dict[int, _Entity]) -> None:
        """Categories of each mechanism (loaders/categorise.py), each with the cue that caused it."""
        taxonomy = load_taxonomy()
        done: set[str] = set()
        for mention in mechs:
            entity = mech_of.get(id(mention))
            if entity is None or entity.id in done:
                continue
            done.add(entity.id)
            # A list item (微平台 in “微平台、微组织…”) would take its neighbours' cues: its name only.
            listed = isinstance(mention.found, Found) and mention.found.group >= 0
            parts = self.nodes[entity.id].properties.get("parts") if entity.id in self.nodes else None
            matches = mechanism_categories(
                [entity.name, *entity.aliases],
                context="" if listed else self.match[mention.clause[0] : mention.clause[1]],
                description=str(entity.properties.get("description") or ""),
                parts=[str(p) for p in parts] if isinstance(parts, list) else [],
                taxonomy=taxonomy,
            )
            for match in matches:
                self._node(match.category.to_node())
                self._edge("IN_CATEGORY", entity.id, match.category.node_id, mention.sentence, cue=match.cue)

    def _themes(self, mechs: list[_Mention], mech_of: dict[int, _Entity]) -> None:
        """Headings become themes; the zones acting in the paragraphs below one, and their practices, fall under it."""
        theme_ids: dict[int, str] = {}
        # A zone falls under a theme when it acts in that section: adopts, implements or has something there.
        acting = {
            (m.zone.zone.node_id, m.theme)
            for m in self.mentions
            if m.zone is not None and isinstance(m.found, Found) and m.found.strong | (m.found.label == "Mechanism")
        }

        def theme_id(index: int) -> str:
            if index not in theme_ids:
                block = self.blocks[index]
                name = self.text[block.start : block.end].lstrip("#").strip()
                node = Node(node_id("Theme", name), "Theme", name, [], {})
                self._node(node)
                theme_ids[index] = node.id
                heading = Sentence(block.start, block.end, index)
                self._edge("MENTIONS", self.document.id, node.id, heading)
            return theme_ids[index]

        for zone, sentence, theme in self.subjects:
            if theme is not None and (zone.zone.node_id, theme) in acting:
                self._edge("UNDER_THEME", zone.zone.node_id, theme_id(theme), sentence)
        for mention in mechs:
            entity = mech_of.get(id(mention))
            if entity is not None and mention.theme is not None and mention.zone is not None:
                self._edge("UNDER_THEME", entity.id, theme_id(mention.theme), mention.sentence)


def adoption_properties(adopters: list[_Adopter]) -> dict[str, object]:
    """One ADOPTS relationship's year, stage and learned from all its mentions (graph.model.merge_adoption:
    a trial in 2016 and a roll-out in 2019 make a pilot of 2016; planned only when no mention says the
    zone has done it)."""
    properties: dict[str, Any] = {}
    for adopter in adopters:
        properties = merge_adoption(
            properties, {"stage": adopter.stage, "year": adopter.year, "learned": adopter.learned}
        )
    return properties


def _places_opening(name: str, forms: Words, stems: dict[str, ZoneMention]) -> list[ZoneMention]:
    """The zones whose names open a practice's name, one after another (武义后陈经验: 武义, 后陈). Not a
    name that is only the place (a zone misread as a practice), nor a style after a place (某地式…,
    一种仿照某地的做法, not its own)."""
    found: list[ZoneMention] = []
    at = 0
    while at < len(name):
        form = forms.match(name, at)
        if form is None:
            break
        found.append(stems[form])
        at += len(form)
    if at == len(name) or name[at : at + 1] == "式":
        return []
    return found


def _inside(zone: ZoneMention, outer: ZoneMention) -> bool:
    """`zone` is a unit strictly below `outer`."""
    return zone.zone.key != outer.zone.key and any(ref.key == outer.zone.key for ref in zone.chain[:-1])


def _own_name(zone: ZoneMention) -> str:
    """A zone's own name without its parents (宁波市象山县墙头镇 -> 墙头镇), from its chain's keys."""
    if len(zone.chain) >= 2 and zone.zone.key.startswith(zone.chain[-2].key):
        return zone.zone.key[len(zone.chain[-2].key) :] or zone.zone.name
    return zone.zone.name


def _stem(name: str) -> str:
    """A unit's name without its level ending: 后陈村 -> 后陈, 厦门市 -> 厦门."""
    for ending in ("街道", "社区", "自治区", "自治州", "自治县", "省", "市", "县", "区", "镇", "乡", "村", "旗"):
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)]
    return name


def _fills(text: str, lo: int, hi: int, found: Found) -> bool:
    """The quoted name is all its clause holds, but for quotes and a closing bracket."""
    return not text[lo : found.start].strip(" “‘「『\"") and not text[found.end : hi].strip(" ”’」』\"）)")


def _ends_with_verb(clause: str) -> bool:
    """The clause ends on its verb of adoption, its object left out (甲镇先行试点, 随后在全市推开)."""
    return ADOPTION_VERB.search(clause[-4:]) is not None


def _shared_formulas(mentions: list[_Mention]) -> set[str]:
    """Keys of inner quoted formulas that practices with different names share within one text
    (怡辉‘1+3’网格协商机制 and 杏府‘1+3’网格协商机制 both hold ‘1+3’): such a key joins nothing.

    Names are told apart by what comes before the inner quote (怡辉, 杏府); a name with nothing
    before it (‘1+3’网格协商机制) is a shorter form, not another practice."""
    owners: dict[str, set[str]] = {}
    for mention in mentions:
        found = mention.found
        if not isinstance(found, Found):
            continue
        for m in _INNER_QUOTED.finditer(found.name):
            before = normalise_name(found.name[: m.start()])
            if before:
                owners.setdefault(normalise_name(m.group(1)), set()).add(before)
    return {key for key, held in owners.items() if key and len(held) > 1}


def _strong(found: Found | OrgFound) -> bool:
    return not isinstance(found, Found) or found.strong


def _keys(found: Found | OrgFound) -> list[str]:
    keys = [normalise_name(found.name)]
    if isinstance(found, Found):
        keys += [normalise_name(a) for a in found.aliases]
        if found.core:
            keys.append(normalise_name(found.core))
    return [k for k in dict.fromkeys(keys) if k]


def _display(name: str, mainland: bool = True) -> str:
    """A name without the quotes around all of it (“爱心银行” -> 爱心银行); inner quotes stay, in
    the mainland form (「邻里守望」互助机制 -> “邻里守望”互助机制)."""
    name = name.strip()
    if mainland and any(ch in name for ch in "「」『』"):
        name = name.translate(str.maketrans("「」『』", "“”‘’"))
    pairs = {"“": "”", "「": "」", "『": "』", '"': '"', "‘": "’"}
    while len(name) > 2 and name[0] in pairs and name.endswith(pairs[name[0]]):
        inner = name[1:-1]
        if pairs[name[0]] in inner or name[0] in inner:
            break
        name = inner.strip()
    return name
