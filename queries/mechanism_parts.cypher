// title: 机制及其组成部分 | Mechanisms and their parts
// description: 由若干部分组成的机制（如“一微带四微”），附采用它的地区和原文证据；机制留空时列出全部。 | Mechanisms made of parts (such as “一微带四微”), the zones adopting them and the evidence; leave the mechanism empty to list all.
// param: mechanism: string = "" — 机制名称、别名或 id（留空为全部） | mechanism name, alias or id (empty for all)
// param_choices: mechanism: MATCH (m:Mechanism)-[:HAS_PART]->(:Mechanism) RETURN DISTINCT m.name AS value ORDER BY value
// engine: embedded
MATCH (m:Mechanism)-[h:HAS_PART]->(part:Mechanism)
WHERE $mechanism = '' OR m.name = $mechanism OR m.id = $mechanism OR $mechanism IN m.aliases
OPTIONAL MATCH (z:Zone)-[a:ADOPTS]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
UNWIND h.evidence_texts AS evidence
RETURN DISTINCT z.name AS zone, m.name AS mechanism, part.name AS part, evidence
ORDER BY zone, mechanism, part, evidence;
// engine: neo4j
// The mechanism through the name lookup (NameKey, internal) when one is named, every mechanism when
// none is (the two branches never both give rows: no key is empty). Neo4j cannot use an index for a
// filter that may also be empty: at 100,000 nodes a named mechanism 37-72 -> 5-9 ms (medians), every
// mechanism (60,198 rows) 1.9-2.1 -> 2.2-2.3 s (docs/measured.md).
CALL () {
  MATCH (:NameKey {key: $mechanism})-[n:NAMES]->(m:Mechanism) WHERE n.how IN ['id', 'name', 'alias']
  MATCH (m)-[h:HAS_PART]->(part:Mechanism) RETURN m, h, part
  UNION ALL
  MATCH (m:Mechanism)-[h:HAS_PART]->(part:Mechanism) WHERE $mechanism = '' RETURN m, h, part
}
OPTIONAL MATCH (z:Zone)-[a:ADOPTS]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
UNWIND h.evidence_texts AS evidence
RETURN DISTINCT z.name AS zone, m.name AS mechanism, part.name AS part, evidence
ORDER BY zone, mechanism, part, evidence;
