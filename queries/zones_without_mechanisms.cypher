// title: 没有机制的地区（按名称，前 N 个） | Zones without mechanisms (the first N by name)
// description: 在图中出现但自身没有采用任何机制的地区，按名称排序的前 N 个（limit，默认 500；skip 翻页），附层级、直接上级、其下辖地区中有机制的数量和提到它的文档数：多为上级行政区，也可能是抽取遗漏，值得核对。 | The first N zones by name (limit, 500 unless given; skip for the next page) that appear in the graph but adopt no mechanism themselves, with their level, direct parent, how many zones below them do, and how many documents mention them: mostly parent units, sometimes a gap in extraction worth checking.
// param: level: string = "" — 层级（留空为全部） | level (empty for all)
// param: limit: int = 500 — 最多返回的地区数 | at most this many zones
// param: skip: int = 0 — 跳过按名称排在前面的地区数（翻页） | skip this many zones first (the next page)
// param_choices: level: MATCH (z:Zone) WHERE z.level IS NOT NULL RETURN DISTINCT z.level AS value ORDER BY value
// engine: embedded
// WITHOUT_MECHANISMS (internal, kept at every write, docs/architecture.md): from each zone that adopts no
// mechanism (any stage but planned) to itself; the zones without are read, not every zone checked.
MATCH (z:Zone)-[:WITHOUT_MECHANISMS]->(:Zone)
WHERE $level = '' OR z.level = $level
// Only the zones shown are counted: ordering the names is cheap, counting for every zone is not.
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH z ORDER BY z.name, z.id SKIP $skip
WITH z LIMIT $limit
OPTIONAL MATCH (z)-[:PART_OF]->(up:Zone)
// ADOPTER_WITHIN (internal, kept at every write): from each zone with mechanisms to every zone it
// lies within, 1 to 10 PART_OF hops up; what a walk of every zone below would count.
OPTIONAL MATCH (below:Zone)-[:ADOPTER_WITHIN]->(z)
WITH z, up, count(DISTINCT below.id) AS zones_below_with_mechanisms
OPTIONAL MATCH (d:Document)-[:MENTIONS]->(z)
WITH z, up, zones_below_with_mechanisms, count(DISTINCT d.id) AS documents
RETURN z.name AS zone, z.level AS level, up.name AS directly_under, zones_below_with_mechanisms, documents
ORDER BY zone, z.id;
// engine: neo4j
// The zones without mechanisms from WITHOUT_MECHANISMS (internal, from such a zone to itself): a scan of
// that relationship type, not a walk of every zone's relationships for a non-planned adoption (830,421
// database hits at the community level of 100,000 nodes). The counts as COUNT subqueries, per zone shown
// (a fifth less than OPTIONAL MATCH and aggregation); the zones below with mechanisms from ADOPTER_WITHIN
// (internal; one row a pair, from zones only, so the count is the node's degree: a province's 37,000
// rows are not read).
MATCH ()-[:WITHOUT_MECHANISMS]->(z:Zone)
WHERE $level = '' OR z.level = $level
// Only the zones shown are counted: ordering the names is cheap, counting for every zone is not.
WITH z ORDER BY z.name, z.id SKIP $skip LIMIT $limit
OPTIONAL MATCH (z)-[:PART_OF]->(up:Zone)
WITH z, up, COUNT { MATCH ()-[:ADOPTER_WITHIN]->(z) } AS zones_below_with_mechanisms,
     COUNT { MATCH (d:Document)-[:MENTIONS]->(z) RETURN DISTINCT d } AS documents
RETURN z.name AS zone, z.level AS level, up.name AS directly_under, zones_below_with_mechanisms, documents
ORDER BY zone, z.id;
