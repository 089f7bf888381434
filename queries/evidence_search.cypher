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
// Two plans, exactly one of which gives rows. A text of three or more common Han characters: the
// relationships the full-text index of the evidence finds for it (govkg_evidence_text, CJK bigrams,
// kept by Neo4j at every write: its phrase query finds every sentence holding the text), checked
// again with CONTAINS. Any other text (one or two characters, Latin letters, digits, marks): every
// research node in name order, expanded until the page is full, which stops early for a common word
// but reads everything for a rare one. Measured at 100,000 nodes (docs/measured.md): a rare phrase
// 4.6 s by the second plan, 0.03 s by the first; a two-character word in 81 % of sentences 0.2 s by
// the second, 1.0 s by the first. The labels keep the name lookup's nodes out of the sort.
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
MATCH (a:Zone|Organisation|Mechanism|Policy|Document|Category|Theme)-[r]->(b)
WHERE NOT $text =~ '[\\x{4E00}-\\x{9FFF}]{3,}' AND type(r) <> 'MENTIONS' AND type(r) <> 'SIMILAR_TO'
UNWIND range(0, size(coalesce(r.evidence_texts, [])) - 1) AS i
WITH a, r, b, r.evidence_texts[i] AS evidence, r.evidence_documents[i] AS document_id
WHERE evidence CONTAINS $text
MATCH (d:Document {id: document_id})
RETURN DISTINCT a.name AS source, type(r) AS relationship, b.name AS target, evidence, d.title AS document
ORDER BY source, relationship, target, evidence, document
SKIP $skip LIMIT $limit;
