// title: 含某词的证据句（前 N 条） | Evidence sentences containing a word (the first N)
// description: 原文中含有某个词的证据句，以及它所支持的关系（谁—关系—谁）和出处文档，按来源、关系、目标排序的前 N 条（limit，默认 500；skip 翻页）；用于查找某种说法出现在哪里。 | Evidence sentences that contain a word, with the relationship each supports (source, relationship, target) and the document it comes from: the first N by source, relationship and target (limit, 500 unless given; skip for the next page); for finding where a phrase appears.
// param: text: string = 邻里 — 要查找的词或短语 | word or phrase to look for
// param: limit: int = 500 — 最多返回的证据句数 | at most this many rows
// param: skip: int = 0 — 跳过排在前面的行数（翻页） | skip this many rows first (the next page)
// engine: embedded
// The relationship types that carry evidence, named: LadybugDB then never scans MENTIONS (half of
// all relationships) only to drop it.
MATCH (a)-[r:PART_OF|ADOPTS|HAS_PART|IN_CATEGORY|PARTICIPATES_IN|HAS_ORGANISATION|IMPLEMENTS|FRAMED_BY|UNDER_THEME]->(b)
UNWIND range(1, size(r.evidence_texts)) AS i
WITH a, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
WHERE evidence CONTAINS $text
MATCH (d:Document {id: document_id})
RETURN DISTINCT a.name AS source, label(r) AS relationship, b.name AS target, evidence, d.title AS document
ORDER BY source, relationship, target, evidence, document
SKIP $skip LIMIT $limit;
// engine: neo4j
// Three plans, exactly one of which gives rows. A text of three or more common Han characters: the
// relationships the full-text index of the evidence finds for it (govkg_evidence_text, CJK bigrams,
// kept by Neo4j at every write: its phrase query finds every sentence holding the text), checked
// again with CONTAINS. Any other text (one or two characters, Latin letters, digits, marks): the
// research nodes in name order, expanded until the page is full, which stops early for a common word
// but reads everything for a rare one. The order comes from the name lookup's index (NameKey, how
// 'name': its key is the node's name), which Neo4j reads in order and stops: the third plan, every
// research node sorted by name, only when a node has an empty name (no key). Measured at 100,000
// nodes (docs/measured.md): a two-character word in 15 % of the sentences 245 -> 54 ms, in 81 %
// 197 -> 17 ms; a text found nowhere 3.6-4.0 -> 4.3 s (all read either way; the full-text plan for
// a rare phrase 0.03 s).
WITH $text AS text WHERE text =~ '[\\x{4E00}-\\x{9FFF}]{3,}'
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
WITH $text AS text
WHERE NOT text =~ '[\\x{4E00}-\\x{9FFF}]{3,}'
  AND NOT (EXISTS { MATCH (x:Zone {name: ''}) } OR EXISTS { MATCH (x:Organisation {name: ''}) }
  OR EXISTS { MATCH (x:Mechanism {name: ''}) } OR EXISTS { MATCH (x:Policy {name: ''}) }
  OR EXISTS { MATCH (x:Category {name: ''}) } OR EXISTS { MATCH (x:Theme {name: ''}) })
MATCH (k:NameKey) WHERE k.key >= ''
MATCH (k)-[:NAMES {how: 'name'}]->(a)
WHERE a:Zone|Organisation|Mechanism|Policy|Category|Theme
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONS' AND type(r) <> 'SIMILAR_TO'
UNWIND range(0, size(coalesce(r.evidence_texts, [])) - 1) AS i
WITH k, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
WHERE evidence CONTAINS $text
MATCH (d:Document {id: document_id})
RETURN DISTINCT k.key AS source, type(r) AS relationship, b.name AS target, evidence, d.title AS document
ORDER BY source, relationship, target, evidence, document
SKIP $skip LIMIT $limit
UNION ALL
WITH $text AS text
WHERE NOT text =~ '[\\x{4E00}-\\x{9FFF}]{3,}'
  AND (EXISTS { MATCH (x:Zone {name: ''}) } OR EXISTS { MATCH (x:Organisation {name: ''}) }
  OR EXISTS { MATCH (x:Mechanism {name: ''}) } OR EXISTS { MATCH (x:Policy {name: ''}) }
  OR EXISTS { MATCH (x:Category {name: ''}) } OR EXISTS { MATCH (x:Theme {name: ''}) })
MATCH (a:Zone|Organisation|Mechanism|Policy|Document|Category|Theme)-[r]->(b)
WHERE type(r) <> 'MENTIONS' AND type(r) <> 'SIMILAR_TO'
UNWIND range(0, size(coalesce(r.evidence_texts, [])) - 1) AS i
WITH a, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
WHERE evidence CONTAINS $text
MATCH (d:Document {id: document_id})
RETURN DISTINCT a.name AS source, type(r) AS relationship, b.name AS target, evidence, d.title AS document
ORDER BY source, relationship, target, evidence, document
SKIP $skip LIMIT $limit;
