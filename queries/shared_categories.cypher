// title: 与某地区机制同类的地区（按名称，前 N 个） | Zones with mechanisms in the same categories as a zone (the first N by name)
// description: 其他地区中有机制与某地区的机制属于同一类别的，按名称排序的前 N 个（limit，默认 100；skip 翻页），按类别列出它们的机制（机制的组成部分也计入）。 | The first N other zones by name (limit, 100 unless given; skip for the next page) with a mechanism in a category the given zone's mechanisms fall in, by category, with their mechanisms (parts of mechanisms count too).
// param: zone: string = 平湖市当湖街道 — 地区名称、别名或 id | zone name, alias or id
// param: limit: int = 100 — 最多返回的其他地区数 | at most this many other zones
// param: skip: int = 0 — 跳过按名称排在前面的其他地区数（翻页） | skip this many other zones first (the next page)
// param_choices: zone: MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.name AS value ORDER BY value
// engine: embedded
// The zone through the name lookup (NameKey, internal), the other zones through ZONE_IN_CATEGORY
// (internal, kept at load time: each zone's categories through its non-planned adoptions and their
// parts, docs/architecture.md); their mechanisms through fixed HAS_PART hops for the zones shown only.
MATCH (:NameKey {key: $zone})-[:NAMES]->(z:Zone)-[:ZONE_IN_CATEGORY]->(c:Category)
WITH z.id AS zone_id, z.name AS zone_name, collect(DISTINCT c.id) AS categories
// Each category found again by its primary key: LadybugDB then expands from it.
UNWIND categories AS category_id
MATCH (other:Zone)-[:ZONE_IN_CATEGORY]->(:Category {id: category_id})
WHERE other.id <> zone_id
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH DISTINCT zone_id, zone_name, categories, other.name AS other_name, other.id AS other_id
ORDER BY other_name, other_id, zone_id SKIP $skip
WITH zone_id, zone_name, categories, other_name, other_id LIMIT $limit
// The zones shown as ids, each found again by its primary key: matched by id straight after the
// cut, LadybugDB joined all 84,305 adoptions to them (100,000 nodes: 105-122 -> 59-82 ms).
WITH zone_name, categories, collect(other_id) AS shown
UNWIND shown AS other_id
MATCH (other:Zone {id: other_id})
MATCH (other)-[a:ADOPTS]->(adopted:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
OPTIONAL MATCH (adopted)-[:HAS_PART]->(q1:Mechanism)
OPTIONAL MATCH (q1)-[:HAS_PART]->(q2:Mechanism)
OPTIONAL MATCH (q2)-[:HAS_PART]->(q3:Mechanism)
UNWIND [adopted.id, q1.id, q2.id, q3.id] AS part_id
WITH DISTINCT zone_name, categories, other.name AS other_name, part_id
MATCH (theirs:Mechanism {id: part_id})-[:IN_CATEGORY]->(c:Category)
WHERE c.id IN categories
RETURN DISTINCT zone_name AS zone, other_name AS other_zone, c.name AS category, theirs.name AS their_mechanism
ORDER BY other_zone, category, their_mechanism, zone;
// engine: neo4j
// The zone through the name lookup (NameKey, internal); the other zones, exactly one of two ways: (1)
// through ZONE_IN_CATEGORY (internal, kept at load time, from zones only: no label to check), every
// zone it reaches sorted, when the shared categories hold few rows; (2) all zones in name order from the
// name index, each kept if it is in a shared category, until the page is full, when reading them costs
// less: about (skip + limit) x zones / rows zones read against rows walked, so plan 2 when rows^2 >=
// (skip + limit) x zones. The walk to their mechanisms for the zones shown only. At 100,000 nodes,
// medians of eight zones, first page of 100: 13-74 -> 14-18 ms; skip 1,000: 9-93 -> 9-35 ms; the same
// rows (docs/measured.md).
MATCH (:NameKey {key: $zone})-[:NAMES]->(z:Zone)-[:ZONE_IN_CATEGORY]->(c:Category)
WITH z, collect(DISTINCT c) AS shared, collect(DISTINCT c.id) AS categories
CALL () { MATCH (x:Zone) RETURN count(x) AS zones }
// How many ZONE_IN_CATEGORY rows the shared categories hold (each category's degree, read in constant
// time): what walking them costs, against reading zones in name order until the page is full.
WITH z, shared, categories, zones, reduce(n = 0, c IN shared | n + COUNT { (c)<-[:ZONE_IN_CATEGORY]-() }) AS reach
CALL (z, shared, zones, reach) {
  WITH z, shared WHERE reach * reach < ($skip + $limit) * zones
  UNWIND shared AS c
  MATCH (other)-[:ZONE_IN_CATEGORY]->(c)
  WHERE other <> z
  WITH DISTINCT other
  ORDER BY other.name, other.id SKIP $skip LIMIT $limit
  RETURN other
  UNION ALL
  // The lowest name, or null when the walk above answers: a bound the index seek itself obeys (as a
  // filter it came after the seek had read all 37,673 zones).
  WITH z, shared, CASE WHEN reach * reach >= ($skip + $limit) * zones THEN '' END AS lowest
  MATCH (other:Zone)
  WHERE other.name >= lowest AND other <> z AND EXISTS { (other)-[:ZONE_IN_CATEGORY]->(c) WHERE c IN shared }
  WITH other ORDER BY other.name, other.id SKIP $skip LIMIT $limit
  RETURN other
}
WITH z, categories, other
MATCH (other)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(theirs:Mechanism)-[:IN_CATEGORY]->(c:Category)
WHERE c.id IN categories AND coalesce(a.stage, '') <> 'planned'
RETURN DISTINCT z.name AS zone, other.name AS other_zone, c.name AS category, theirs.name AS their_mechanism
ORDER BY other_zone, category, their_mechanism, zone;
