// title: 某上级地区下辖的地区（前 N 个） | Zones under a parent zone (the first N)
// description: 某地区之下任意层级的所有地区，附层级和直接上级；按全称排序，返回前 N 个（limit，默认 500；skip 翻页）。 | Every zone below a parent zone at any depth, with its level and direct parent; by full name, the first N (limit, 500 unless given; skip for the next page).
// param: zone: string = 浙江省 — 上级地区名称、别名或 id | parent zone name, alias or id
// param: limit: int = 500 — 最多返回的地区数 | at most this many zones
// param: skip: int = 0 — 跳过排在前面的地区数（翻页） | skip this many zones first (the next page)
// param_choices: zone: MATCH (:Zone)-[:PART_OF]->(z:Zone) RETURN DISTINCT z.name AS value ORDER BY value
MATCH (:NameKey {key: $zone})-[:NAMES]->(parent:Zone)
// The parent through the name lookup (NameKey, internal): its id, name, full name or an alias.
// Ids, then each zone found again by its primary key: LadybugDB then expands from the zones found
// (after WITH DISTINCT parent or in one pattern with the lookup it joins whole relationship tables).
WITH collect(DISTINCT parent.id) AS found
UNWIND found AS found_id
MATCH (parent:Zone {id: found_id})
MATCH (z:Zone)-[:PART_OF*1..10]->(parent)
MATCH (z)-[:PART_OF]->(up:Zone)
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH DISTINCT parent.name AS parent_zone, z.name AS zone, z.level AS level, up.name AS directly_under, z.full_name AS full_name
ORDER BY full_name, zone, parent_zone, level, directly_under SKIP $skip
RETURN parent_zone, zone, level, directly_under, full_name
LIMIT $limit;
