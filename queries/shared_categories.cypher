// title: 与某地区机制同类的地区 | Zones with mechanisms in the same categories as a zone
// description: 其他地区中有机制与某地区的机制属于同一类别的，按类别列出它们的机制（机制的组成部分也计入）。 | Other zones with a mechanism in a category the given zone's mechanisms fall in, by category, with their mechanisms (parts of mechanisms count too).
// param: zone: string = 平湖市当湖街道 — 地区名称、别名或 id | zone name, alias or id
// param_choices: zone: MATCH (z:Zone)-[:ADOPTS]->(:Mechanism) RETURN DISTINCT z.name AS value ORDER BY value
// engine: embedded
MATCH (z:Zone)
WHERE z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
MATCH (z)-[:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category)
WITH DISTINCT z, c
MATCH (theirs:Mechanism)-[:IN_CATEGORY]->(c)
OPTIONAL MATCH (p1:Mechanism)-[:HAS_PART]->(theirs)
OPTIONAL MATCH (p2:Mechanism)-[:HAS_PART]->(p1)
OPTIONAL MATCH (p3:Mechanism)-[:HAS_PART]->(p2)
WITH DISTINCT z, c, theirs, [theirs.id, p1.id, p2.id, p3.id] AS ups
UNWIND ups AS adopted_id
WITH DISTINCT z, c, theirs, adopted_id
MATCH (other:Zone)-[:ADOPTS]->(adopted:Mechanism {id: adopted_id})
WHERE other.id <> z.id
RETURN DISTINCT z.name AS zone, other.name AS other_zone, c.name AS category, theirs.name AS their_mechanism
ORDER BY other_zone, category, their_mechanism;
// engine: neo4j
MATCH (z:Zone)
WHERE z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
MATCH (z)-[:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category)
MATCH (other:Zone)-[:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(theirs:Mechanism)-[:IN_CATEGORY]->(c)
WHERE other.id <> z.id
RETURN DISTINCT z.name AS zone, other.name AS other_zone, c.name AS category, theirs.name AS their_mechanism
ORDER BY other_zone, category, their_mechanism;
