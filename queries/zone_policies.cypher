// title: 各地区实施的政策 | Policies by zone
// description: 各地区实施的政策、制度和规范，附类型、年份和原文证据；地区留空时列出全部。 | The policies, rules and standards each zone implements, with kind, year and evidence; leave the zone empty to list all.
// param: zone: string = "" — 地区名称、别名或 id（留空为全部） | zone name, alias or id (empty for all)
// param_choices: zone: MATCH (z:Zone)-[:IMPLEMENTS]->(:Policy) RETURN DISTINCT z.name AS value ORDER BY value
// engine: embedded
MATCH (z:Zone)-[i:IMPLEMENTS]->(p:Policy)
WHERE $zone = '' OR z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
UNWIND i.evidence_texts AS evidence
RETURN DISTINCT z.name AS zone, p.name AS policy, p.kind AS kind, p.year AS year, evidence
ORDER BY zone, policy, evidence;
// engine: neo4j
// The zone through the name lookup (NameKey, internal) when one is named, every zone when none is
// (the two branches never both give rows: no key is empty). Neo4j cannot use an index for a filter
// that may also be empty: at 100,000 nodes a named zone 29-42 -> 3-4 ms (medians), every zone (9,998
// rows) 226-258 -> 228-247 ms (docs/measured.md).
CALL () {
  MATCH (:NameKey {key: $zone})-[n:NAMES]->(z:Zone) WHERE n.how IN ['id', 'name', 'full_name', 'alias']
  MATCH (z)-[i:IMPLEMENTS]->(p:Policy) RETURN z, i, p
  UNION ALL
  MATCH (z:Zone)-[i:IMPLEMENTS]->(p:Policy) WHERE $zone = '' RETURN z, i, p
}
UNWIND i.evidence_texts AS evidence
RETURN DISTINCT z.name AS zone, p.name AS policy, p.kind AS kind, p.year AS year, evidence
ORDER BY zone, policy, evidence;
