// title: 与某地区共享机制的地区 | Zones sharing mechanisms with a zone
// description: 与某地区采用同一机制的其他地区，以及共享的机制。 | Other zones that adopt a mechanism the given zone adopts, and the mechanisms they share.
// param: zone: string = 平湖市当湖街道 — 地区名称、别名或 id | zone name, alias or id
// param_choices: zone: MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.name AS value ORDER BY value
MATCH (:NameKey {key: $zone})-[:NAMES]->(z:Zone)
// The zone through the name lookup (NameKey, internal): its id, name, full name or an alias, found
// by one index probe rather than a scan of every zone.
WITH DISTINCT z
MATCH (z)-[a:ADOPTS]->(m:Mechanism)<-[b:ADOPTS]-(other:Zone)
WHERE other.id <> z.id AND coalesce(a.stage, '') <> 'planned' AND coalesce(b.stage, '') <> 'planned'
RETURN DISTINCT z.name AS zone, other.name AS other_zone, m.name AS shared_mechanism
ORDER BY other_zone, shared_mechanism;
