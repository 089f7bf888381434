// title: 地区概览（按名称，前 N 个） | Zones at a glance (the first N by name)
// description: 按名称排序的前 N 个地区（limit，默认 500），每个地区的层级、直接上级，以及它采用的机制、相关组织和实施的政策的数量；跳过前若干个（skip）可翻到下一页。 | The first N zones by name (limit, 500 unless given), each with its level, direct parent, and how many mechanisms it adopts, organisations it involves and policies it implements; skip that many to see the next page.
// param: limit: int = 500 — 最多返回的地区数 | at most this many zones
// param: skip: int = 0 — 跳过按名称排在前面的地区数（翻页） | skip this many zones first (the next page)
MATCH (z:Zone)
// `z.name >= ''` holds for every zone (a name is a string, perhaps empty) and lets Neo4j read the zones
// in name order from its name index and stop after the page (PartialTop); LadybugDB filters and sorts as
// before, faster too. At 100,000 nodes, medians: Neo4j 52-60 -> 24-26 ms (page one), 77 -> 40-43 ms
// (skip 20,000); LadybugDB 35-49 -> 19-22 and 67-86 -> 42-55 ms; the same rows (docs/measured.md).
WHERE z.name >= ''
// Only the zones shown are counted: ordering the names is cheap, counting for every zone is not.
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH z ORDER BY z.name, z.id SKIP $skip
WITH z LIMIT $limit
OPTIONAL MATCH (z)-[:PART_OF]->(up:Zone)
OPTIONAL MATCH (z)-[a:ADOPTS]->(m:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
WITH z, up, count(DISTINCT m.id) AS mechanisms
OPTIONAL MATCH (z)-[:HAS_ORGANISATION]->(o:Organisation)
WITH z, up, mechanisms, count(DISTINCT o.id) AS organisations
OPTIONAL MATCH (z)-[:IMPLEMENTS]->(p:Policy)
WITH z, up, mechanisms, organisations, count(DISTINCT p.id) AS policies
RETURN z.name AS zone, z.level AS level, up.name AS directly_under, mechanisms, organisations, policies
ORDER BY zone, z.id;
