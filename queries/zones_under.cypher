// title: 某上级地区下辖的地区 | Zones under a parent zone
// description: 某地区之下任意层级的所有地区，附层级和直接上级。 | Every zone below a parent zone at any depth, with its level and direct parent.
// param: zone: string = 浙江省 — 上级地区名称、别名或 id | parent zone name, alias or id
// param_choices: zone: MATCH (:Zone)-[:PART_OF]->(z:Zone) RETURN DISTINCT z.name AS value ORDER BY value
MATCH (parent:Zone)
WHERE parent.name = $zone OR parent.id = $zone OR parent.full_name = $zone OR $zone IN parent.aliases
MATCH (z:Zone)-[:PART_OF*1..10]->(parent)
MATCH (z)-[:PART_OF]->(up:Zone)
RETURN DISTINCT parent.name AS parent_zone, z.name AS zone, z.level AS level, up.name AS directly_under, z.full_name AS full_name
ORDER BY full_name, zone;
