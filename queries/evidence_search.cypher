// title: 含某词的证据句（前 N 条） | Evidence sentences containing a word (the first N)
// description: 原文中含有某个词的证据句，以及它所支持的关系（谁—关系—谁）和出处文档，按来源、关系、目标排序的前 N 条（limit，默认 500；skip 翻页）；用于查找某种说法出现在哪里。 | Evidence sentences that contain a word, with the relationship each supports (source, relationship, target) and the document it comes from: the first N by source, relationship and target (limit, 500 unless given; skip for the next page); for finding where a phrase appears.
// param: text: string = 邻里 — 要查找的词或短语 | word or phrase to look for
// param: limit: int = 500 — 最多返回的证据句数 | at most this many rows
// param: skip: int = 0 — 跳过排在前面的行数（翻页） | skip this many rows first (the next page)
// engine: embedded
// Two passes, so that names are read only for the sources a page can hold. (1) The matching sources,
// each once, and their distinct names sorted: the (skip + limit)-th name is the cut. Every distinct
// name gives the result at least one row, so the rows of the page all come from sources named at or
// before the cut (no cut: too few names, every matching source counts). (2) Those sources' evidenced
// relationships, read in full. The relationship types that carry evidence are named: LadybugDB then
// never scans MENTIONS (half of all relationships) only to drop it. Measured at 100,000 nodes
// (docs/measured.md), one pass -> two: 邻里 (78,635 sentences) 387-439 -> 146-148 ms, 社区 (428,488)
// 1,107-1,162 -> 263 ms, a phrase in 499 -> 233 -> 93 ms, a word found nowhere 223-268 -> 85 ms.
MATCH (a)-[r:PART_OF|ADOPTS|HAS_PART|IN_CATEGORY|PARTICIPATES_IN|HAS_ORGANISATION|IMPLEMENTS|FRAMED_BY|UNDER_THEME|LEARNED_FROM]->()
UNWIND r.evidence_texts AS evidence
WITH a, evidence WHERE evidence CONTAINS $text
WITH DISTINCT a
WITH collect(id(a)) AS sources, list_sort(list_distinct(collect(a.name))) AS names
WITH sources, CASE WHEN size(names) < $skip + $limit THEN NULL ELSE names[$skip + $limit] END AS cut
UNWIND sources AS source
MATCH (a) WHERE id(a) = source AND (cut IS NULL OR a.name <= cut)
MATCH (a)-[r:PART_OF|ADOPTS|HAS_PART|IN_CATEGORY|PARTICIPATES_IN|HAS_ORGANISATION|IMPLEMENTS|FRAMED_BY|UNDER_THEME|LEARNED_FROM]->(b)
UNWIND range(1, size(r.evidence_texts)) AS i
WITH a, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
WHERE evidence CONTAINS $text
MATCH (d:Document {id: document_id})
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH DISTINCT a.name AS source, label(r) AS relationship, b.name AS target, evidence, d.title AS document
ORDER BY source, relationship, target, evidence, document SKIP $skip
RETURN source, relationship, target, evidence, document
LIMIT $limit;
// engine: neo4j
// Three plans, exactly one of which gives rows. (1) The full-text index of the evidence
// (govkg_evidence_text, Lucene's CJK bigrams, kept by Neo4j at every write: a phrase query finds every
// sentence holding two or more adjacent common Han characters), checked again with CONTAINS: for three
// or more Han characters, and for two when the index holds at most 30,000 relationships with them
// (counted with the index's own limit, so a common word costs a bounded count, not its hits).
// (2) Any other text (one character, Latin letters, digits, marks, a common two-character word): the
// sources in name order from the name lookup's unique index (NameKey keys with how 'name' are the
// names), expanded until the page is full; Neo4j stops there, early for a common word, after every
// source for a rare one. (3) The same with every source sorted, only when a node has an empty name
// (it has no key). Measured at 100,000 nodes (docs/measured.md), before -> after: 蜗牛 (found nowhere)
// 3.5 s -> 5 ms, a word in 200-1,400 relationships 1.0-3.5 s -> 11-20 ms, 邻里 (60,000) 245 -> 74 ms,
// 社区 (271,000) 197 -> 40 ms; Latin letters or marks found nowhere still read everything (3.5 s).
// Plans (2) and (3) name the evidenced types, as the embedded text does, instead of expanding every
// relationship and dropping MENTIONS and SIMILAR_TO: 邻里 87-116 -> 75-96 ms, a letter found nowhere
// 4.1-4.2 -> 3.8-3.9 s (medians, docs/measured.md).
WITH $text AS text
CALL (text) {
  WITH text WHERE text =~ '[\\x{4E00}-\\x{9FFF}]{2}'
  CALL db.index.fulltext.queryRelationships('govkg_evidence_text', '"' + text + '"', {limit: 30001})
  YIELD relationship
  RETURN count(relationship) AS hits
}
WITH text, text =~ '[\\x{4E00}-\\x{9FFF}]{3,}' OR (text =~ '[\\x{4E00}-\\x{9FFF}]{2}' AND hits <= 30000) AS indexed,
  EXISTS { MATCH (x:Zone {name: ''}) } OR EXISTS { MATCH (x:Organisation {name: ''}) }
  OR EXISTS { MATCH (x:Mechanism {name: ''}) } OR EXISTS { MATCH (x:Policy {name: ''}) }
  OR EXISTS { MATCH (x:Category {name: ''}) } OR EXISTS { MATCH (x:Theme {name: ''}) } AS nameless
CALL (text, indexed, nameless) {
  WITH text WHERE indexed
  CALL db.index.fulltext.queryRelationships('govkg_evidence_text', '"' + text + '"') YIELD relationship AS r
  WITH startNode(r) AS a, r, endNode(r) AS b
  UNWIND range(0, size(coalesce(r.evidence_texts, [])) - 1) AS i
  WITH a, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
  WHERE evidence CONTAINS $text
  MATCH (d:Document {id: document_id})
  RETURN DISTINCT a.name AS source, type(r) AS relationship, b.name AS target, evidence, d.title AS document
  ORDER BY source, relationship, target, evidence, document
  SKIP $skip LIMIT $limit
  UNION ALL
  // The lowest key, or null (no key at all) when another plan answers: a guard the index seek itself
  // obeys (as a filter it came after the seek had read all 277,000 keys, 45 ms).
  WITH CASE WHEN NOT indexed AND NOT nameless THEN '' END AS lowest
  MATCH (k:NameKey) WHERE k.key >= lowest
  MATCH (k)-[:NAMES {how: 'name'}]->(a)
  WHERE a:Zone|Organisation|Mechanism|Policy|Category|Theme
  MATCH (a)-[r:PART_OF|ADOPTS|HAS_PART|IN_CATEGORY|PARTICIPATES_IN|HAS_ORGANISATION|IMPLEMENTS|FRAMED_BY|UNDER_THEME|LEARNED_FROM]->(b)
  UNWIND range(0, size(coalesce(r.evidence_texts, [])) - 1) AS i
  WITH k, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
  WHERE evidence CONTAINS $text
  MATCH (d:Document {id: document_id})
  RETURN DISTINCT k.key AS source, type(r) AS relationship, b.name AS target, evidence, d.title AS document
  ORDER BY source, relationship, target, evidence, document
  SKIP $skip LIMIT $limit
  UNION ALL
  WITH CASE WHEN NOT indexed AND nameless THEN '' END AS lowest
  CALL (lowest) {
    MATCH (k:NameKey) WHERE k.key >= lowest
    MATCH (k)-[:NAMES {how: 'name'}]->(a)
    WHERE a:Zone|Organisation|Mechanism|Policy|Category|Theme
    RETURN a
    UNION
    MATCH (a:Zone {name: lowest}) RETURN a
    UNION
    MATCH (a:Organisation {name: lowest}) RETURN a
    UNION
    MATCH (a:Mechanism {name: lowest}) RETURN a
    UNION
    MATCH (a:Policy {name: lowest}) RETURN a
    UNION
    MATCH (a:Category {name: lowest}) RETURN a
    UNION
    MATCH (a:Theme {name: lowest}) RETURN a
  }
  MATCH (a)-[r:PART_OF|ADOPTS|HAS_PART|IN_CATEGORY|PARTICIPATES_IN|HAS_ORGANISATION|IMPLEMENTS|FRAMED_BY|UNDER_THEME|LEARNED_FROM]->(b)
  UNWIND range(0, size(coalesce(r.evidence_texts, [])) - 1) AS i
  WITH a, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
  WHERE evidence CONTAINS $text
  MATCH (d:Document {id: document_id})
  RETURN DISTINCT a.name AS source, type(r) AS relationship, b.name AS target, evidence, d.title AS document
  ORDER BY source, relationship, target, evidence, document
  SKIP $skip LIMIT $limit
}
RETURN source, relationship, target, evidence, document;
