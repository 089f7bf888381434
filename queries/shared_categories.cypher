// title: 与某地区机制同类的地区 | Zones with mechanisms in the same categories as a zone
// description: 其他地区中有机制与某地区的机制属于同一类别的，按类别列出它们的机制（机制的组成部分也计入）。 | Other zones with a mechanism in a category the given zone's mechanisms fall in, by category, with their mechanisms (parts of mechanisms count too).
// param: zone: string = 平湖市当湖街道 — 地区名称、别名或 id | zone name, alias or id
// param_choices: zone: MATCH (z:Zone)-[:ADOPTS]->(:Mechanism) RETURN DISTINCT z.name AS value ORDER BY value
MATCH (z:Zone)
WHERE z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
MATCH (z)-[:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category)
MATCH (other:Zone)-[:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(theirs:Mechanism)-[:IN_CATEGORY]->(c)
WHERE other.id <> z.id
RETURN DISTINCT z.name AS zone, other.name AS other_zone, c.name AS category, theirs.name AS their_mechanism
ORDER BY other_zone, category, their_mechanism;
