// title: 参与某机制的组织 | Organisations taking part in a mechanism
// description: 参与某个机制的组织及其类型、采用该机制的地区和原文证据；机制留空时列出全部。 | Organisations that take part in a mechanism, their kind, the zones adopting it and the evidence; leave the mechanism empty to list all.
// param: mechanism: string = "" — 机制名称、别名或 id（留空为全部） | mechanism name, alias or id (empty for all)
// param_choices: mechanism: MATCH (:Organisation)-[:PARTICIPATES_IN]->(m:Mechanism) RETURN DISTINCT m.name AS value ORDER BY value
MATCH (o:Organisation)-[p:PARTICIPATES_IN]->(m:Mechanism)
WHERE $mechanism = '' OR m.name = $mechanism OR m.id = $mechanism OR $mechanism IN m.aliases
OPTIONAL MATCH (z:Zone)-[a:ADOPTS]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
UNWIND p.evidence_texts AS evidence
RETURN DISTINCT m.name AS mechanism, o.name AS organisation, o.kind AS kind, z.name AS zone, evidence
ORDER BY mechanism, organisation, zone, evidence;
