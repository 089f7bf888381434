// title: 各地区实施的政策 | Policies by zone
// description: 各地区实施的政策、制度和规范，附类型、年份和原文证据；地区留空时列出全部。 | The policies, rules and standards each zone implements, with kind, year and evidence; leave the zone empty to list all.
// param: zone: string = "" — 地区名称、别名或 id（留空为全部） | zone name, alias or id (empty for all)
// param_choices: zone: MATCH (z:Zone)-[:IMPLEMENTS]->(:Policy) RETURN DISTINCT z.name AS value ORDER BY value
MATCH (z:Zone)-[i:IMPLEMENTS]->(p:Policy)
WHERE $zone = '' OR z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
UNWIND i.evidence_texts AS evidence
RETURN DISTINCT z.name AS zone, p.name AS policy, p.kind AS kind, p.year AS year, evidence
ORDER BY zone, policy, evidence;
