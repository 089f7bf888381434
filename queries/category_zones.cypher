// title: 采用某类机制的地区（按名称，前 N 个） | Zones that adopt mechanisms of a category (the first N by name)
// description: 采用某一类别机制（或其组成部分属于该类别）的地区，按名称排序的前 N 个（limit，默认 200；skip 翻页），附归类所依据的线索词。 | The first N zones by name (limit, 200 unless given; skip for the next page) whose mechanisms, or their parts, fall in a category, with the cue the assignment rests on.
// param: category: string = 协商议事 — 类别中文名、英文名或 id | category name (Chinese or English) or id
// param: limit: int = 200 — 最多返回的地区数 | at most this many zones
// param: skip: int = 0 — 跳过按名称排在前面的地区数（翻页） | skip this many zones first (the next page)
// param_choices: category: MATCH (c:Category) RETURN c.name AS value ORDER BY value
// engine: embedded
// The zones from ZONE_IN_CATEGORY (internal, kept at load time: each zone's categories through its
// non-planned adoptions and their parts, docs/architecture.md); then, for the zones shown only, the
// mechanisms and cues through fixed HAS_PART hops (a variable-length join costs more in LadybugDB).
// The zone is carried as a node from the page to its adoptions: found again by its id, LadybugDB
// joined the page against every ADOPTS (at 100,000 nodes p95 88 -> 71 ms, docs/measured.md).
MATCH (c:Category)
WHERE c.name = $category OR c.name_en = $category OR c.id = $category
MATCH (z:Zone)-[:ZONE_IN_CATEGORY]->(c)
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH c, z ORDER BY z.name, z.id, c.id SKIP $skip
WITH c, z LIMIT $limit
MATCH (z)-[a:ADOPTS]->(adopted:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
OPTIONAL MATCH (adopted)-[:HAS_PART]->(q1:Mechanism)
OPTIONAL MATCH (q1)-[:HAS_PART]->(q2:Mechanism)
OPTIONAL MATCH (q2)-[:HAS_PART]->(q3:Mechanism)
UNWIND [adopted.id, q1.id, q2.id, q3.id] AS part_id
WITH DISTINCT c, z.name AS zone_name, adopted.name AS adopted_mechanism, part_id
MATCH (m:Mechanism {id: part_id})-[ic:IN_CATEGORY]->(c)
RETURN DISTINCT c.name AS category, zone_name AS zone, adopted_mechanism, m.name AS mechanism, ic.cue AS cue
ORDER BY zone, adopted_mechanism, mechanism, category, cue;
// engine: neo4j
// The zones from ZONE_IN_CATEGORY (internal, kept at load time); the walk for the zones shown only.
MATCH (c:Category)
WHERE c.name = $category OR c.name_en = $category OR c.id = $category
MATCH (z:Zone)-[:ZONE_IN_CATEGORY]->(c)
WITH c, z ORDER BY z.name, z.id, c.id SKIP $skip LIMIT $limit
MATCH (z)-[a:ADOPTS]->(adopted:Mechanism)-[:HAS_PART*0..3]->(m:Mechanism)-[ic:IN_CATEGORY]->(c)
WHERE coalesce(a.stage, '') <> 'planned'
RETURN DISTINCT c.name AS category, z.name AS zone, adopted.name AS adopted_mechanism, m.name AS mechanism, ic.cue AS cue
ORDER BY zone, adopted_mechanism, mechanism, category, cue;
