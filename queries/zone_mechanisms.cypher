// title: 某地区的机制及其证据 | Mechanisms of a zone with their evidence
// description: 一个地区采用的每个机制，以及原文中说明这一点的句子。 | Every mechanism a zone adopts, with the sentences of the sources that say so.
// param: zone: string = 平湖市当湖街道 — 地区名称、别名或 id | zone name, alias or id
// param_choices: zone: MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.name AS value ORDER BY value
MATCH (:NameKey {key: $zone})-[:NAMES]->(z:Zone)
// The zone through the name lookup (NameKey, internal): its id, name, full name or an alias, found
// by one index probe rather than a scan of every zone.
// Ids, then each zone found again by its primary key: LadybugDB then expands from the zones found
// (after WITH DISTINCT z or in one pattern with the lookup it joins whole relationship tables).
WITH collect(DISTINCT z.id) AS found
UNWIND found AS found_id
MATCH (z:Zone {id: found_id})
MATCH (z)-[a:ADOPTS]->(m:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
UNWIND a.evidence_texts AS evidence
RETURN DISTINCT z.name AS zone, m.name AS mechanism, evidence
ORDER BY zone, mechanism, evidence;
