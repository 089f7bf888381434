// title: 某一层级的地区（按名称，前 N 个） | Zones at a level (the first N by name)
// description: 某一行政层级（省、市、区、县、街道、乡、镇、村、社区）按名称排序的前 N 个地区（limit，默认 500），附直接上级、行政区划代码和所采用机制的数量；跳过前若干个（skip）可翻到下一页。 | The first N zones by name (limit, 500 unless given) at an administrative level (province, city, district, county, street, township, town, village, community), with the direct parent, division code and how many mechanisms each adopts; skip that many to see the next page.
// param: level: string = street — 层级：province, city, district, county, street, township, town, village, community, region | level
// param: limit: int = 500 — 最多返回的地区数 | at most this many zones
// param: skip: int = 0 — 跳过按名称排在前面的地区数（翻页） | skip this many zones first (the next page)
// param_choices: level: MATCH (z:Zone) WHERE z.level IS NOT NULL RETURN DISTINCT z.level AS value ORDER BY value
MATCH (z:Zone)
WHERE z.level = $level
// Only the zones shown are counted: ordering the names is cheap, counting for every zone is not.
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH z ORDER BY z.name, z.id SKIP $skip
WITH z LIMIT $limit
OPTIONAL MATCH (z)-[:PART_OF]->(up:Zone)
OPTIONAL MATCH (z)-[a:ADOPTS]->(m:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
WITH z, up, count(DISTINCT m.id) AS mechanisms
RETURN z.name AS zone, z.level AS level, up.name AS directly_under, z.code AS code, mechanisms
ORDER BY zone, z.id;
