// title: 与某地区共享机制的地区 | Zones sharing mechanisms with a zone
// description: 与某地区采用同一机制的其他地区，以及共享的机制。 | Other zones that adopt a mechanism the given zone adopts, and the mechanisms they share.
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
MATCH (z)-[a:ADOPTS]->(m:Mechanism)<-[b:ADOPTS]-(other:Zone)
WHERE other.id <> z.id AND coalesce(a.stage, '') <> 'planned' AND coalesce(b.stage, '') <> 'planned'
RETURN DISTINCT z.name AS zone, other.name AS other_zone, m.name AS shared_mechanism
ORDER BY other_zone, shared_mechanism;
