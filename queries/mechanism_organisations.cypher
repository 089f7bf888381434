// title: 参与某机制的组织 | Organisations taking part in a mechanism
// description: 参与某个机制的组织及其类型、采用该机制的地区和原文证据；机制留空时列出全部。 | Organisations that take part in a mechanism, their kind, the zones adopting it and the evidence; leave the mechanism empty to list all.
// param: mechanism: string = "" — 机制名称、别名或 id（留空为全部） | mechanism name, alias or id (empty for all)
// param_choices: mechanism: MATCH (:Organisation)-[:PARTICIPATES_IN]->(m:Mechanism) RETURN DISTINCT m.name AS value ORDER BY value
// engine: embedded
MATCH (o:Organisation)-[p:PARTICIPATES_IN]->(m:Mechanism)
WHERE $mechanism = '' OR m.name = $mechanism OR m.id = $mechanism OR $mechanism IN m.aliases
OPTIONAL MATCH (z:Zone)-[a:ADOPTS]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
UNWIND p.evidence_texts AS evidence
RETURN DISTINCT m.name AS mechanism, o.name AS organisation, o.kind AS kind, z.name AS zone, evidence
ORDER BY mechanism, organisation, zone, evidence;
// engine: neo4j
// The mechanism through the name lookup (NameKey, internal) when one is named, every mechanism when
// none is: Neo4j cannot use an index for a filter that may also be empty (100 ms -> 10 ms at 100,000 nodes).
CALL () {
  MATCH (:NameKey {key: $mechanism})-[n:NAMES]->(m:Mechanism) WHERE n.how IN ['id', 'name', 'alias'] RETURN m
  UNION
  MATCH (m:Mechanism) WHERE $mechanism = '' RETURN m
}
MATCH (o:Organisation)-[p:PARTICIPATES_IN]->(m)
OPTIONAL MATCH (z:Zone)-[a:ADOPTS]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
UNWIND p.evidence_texts AS evidence
RETURN DISTINCT m.name AS mechanism, o.name AS organisation, o.kind AS kind, z.name AS zone, evidence
ORDER BY mechanism, organisation, zone, evidence;
