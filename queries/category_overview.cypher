// title: 机制类别概览 | Categories with how many zones and mechanisms
// description: 每个机制类别包含多少机制、涉及多少地区（地区经其机制或机制的组成部分计入）。 | For each mechanism category, how many mechanisms fall in it and how many zones adopt them (directly or through a mechanism's parts).
MATCH (c:Category)
// ZONE_IN_CATEGORY (internal, kept at load time, docs/architecture.md) holds each zone's categories
// through its non-planned adoptions and their parts (HAS_PART*0..3): no walk of the graph here.
OPTIONAL MATCH (z:Zone)-[:ZONE_IN_CATEGORY]->(c)
WITH c, count(DISTINCT z.id) AS zones
OPTIONAL MATCH (m:Mechanism)-[:IN_CATEGORY]->(c)
RETURN c.name AS category, c.name_en AS category_en, zones, count(DISTINCT m.id) AS mechanisms
ORDER BY zones DESC, mechanisms DESC, category;
