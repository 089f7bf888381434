// title: 与某地区机制同类的地区（按名称，前 N 个） | Zones with mechanisms in the same categories as a zone (the first N by name)
// description: 其他地区中有机制与某地区的机制属于同一类别的，按名称排序的前 N 个（limit，默认 100；skip 翻页），按类别列出它们的机制（机制的组成部分也计入）。 | The first N other zones by name (limit, 100 unless given; skip for the next page) with a mechanism in a category the given zone's mechanisms fall in, by category, with their mechanisms (parts of mechanisms count too).
// param: zone: string = 平湖市当湖街道 — 地区名称、别名或 id | zone name, alias or id
// param: limit: int = 100 — 最多返回的其他地区数 | at most this many other zones
// param: skip: int = 0 — 跳过按名称排在前面的其他地区数（翻页） | skip this many other zones first (the next page)
// param_choices: zone: MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.name AS value ORDER BY value
// engine: embedded
// The zone's categories; fixed HAS_PART hops up from their mechanisms to the other zones (a
// variable-length join towards every zone costs several times more in LadybugDB); ids rather than
// whole nodes through DISTINCT; then the rows of the zones shown only, found again by primary key.
MATCH (z:Zone)
WHERE z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
MATCH (z)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category)
WHERE coalesce(a.stage, '') <> 'planned'
WITH DISTINCT z.id AS zone_id, c.id AS category_id
MATCH (m0:Mechanism)-[:IN_CATEGORY]->(:Category {id: category_id})
OPTIONAL MATCH (p1:Mechanism)-[:HAS_PART]->(m0)
OPTIONAL MATCH (p2:Mechanism)-[:HAS_PART]->(p1)
OPTIONAL MATCH (p3:Mechanism)-[:HAS_PART]->(p2)
UNWIND [m0.id, p1.id, p2.id, p3.id] AS adopted_id
WITH DISTINCT zone_id, adopted_id
MATCH (other:Zone)-[a:ADOPTS]->(:Mechanism {id: adopted_id})
WHERE other.id <> zone_id AND coalesce(a.stage, '') <> 'planned'
WITH DISTINCT zone_id, other.name AS other_name, other.id AS other_id
ORDER BY other_name, other_id, zone_id SKIP $skip LIMIT $limit
WITH zone_id, collect([other_name, other_id]) AS others
MATCH (z:Zone {id: zone_id})-[a:ADOPTS]->(mine:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
OPTIONAL MATCH (mine)-[:HAS_PART]->(r1:Mechanism)
OPTIONAL MATCH (r1)-[:HAS_PART]->(r2:Mechanism)
OPTIONAL MATCH (r2)-[:HAS_PART]->(r3:Mechanism)
UNWIND [mine.id, r1.id, r2.id, r3.id] AS my_id
MATCH (:Mechanism {id: my_id})-[:IN_CATEGORY]->(c:Category)
WITH z.name AS zone_name, others, collect(DISTINCT c.id) AS categories
UNWIND others AS shown
MATCH (other:Zone {id: shown[2]})-[a:ADOPTS]->(adopted:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
OPTIONAL MATCH (adopted)-[:HAS_PART]->(q1:Mechanism)
OPTIONAL MATCH (q1)-[:HAS_PART]->(q2:Mechanism)
OPTIONAL MATCH (q2)-[:HAS_PART]->(q3:Mechanism)
UNWIND [adopted.id, q1.id, q2.id, q3.id] AS part_id
MATCH (theirs:Mechanism {id: part_id})-[:IN_CATEGORY]->(c:Category)
WHERE c.id IN categories
RETURN DISTINCT zone_name AS zone, shown[1] AS other_zone, c.name AS category, theirs.name AS their_mechanism
ORDER BY other_zone, category, their_mechanism, zone;
// engine: neo4j
MATCH (z:Zone)
WHERE z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
MATCH (z)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category)
WHERE coalesce(a.stage, '') <> 'planned'
WITH z, collect(DISTINCT c.id) AS categories
MATCH (other:Zone)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category)
WHERE other.id <> z.id AND c.id IN categories AND coalesce(a.stage, '') <> 'planned'
WITH DISTINCT z, categories, other
ORDER BY other.name, other.id, z.id SKIP $skip LIMIT $limit
MATCH (other)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(theirs:Mechanism)-[:IN_CATEGORY]->(c:Category)
WHERE c.id IN categories AND coalesce(a.stage, '') <> 'planned'
RETURN DISTINCT z.name AS zone, other.name AS other_zone, c.name AS category, theirs.name AS their_mechanism
ORDER BY other_zone, category, their_mechanism, zone;
