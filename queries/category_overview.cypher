// title: 机制类别概览 | Categories with how many zones and mechanisms
// description: 每个机制类别包含多少机制、涉及多少地区（地区经其机制或机制的组成部分计入）。 | For each mechanism category, how many mechanisms fall in it and how many zones adopt them (directly or through a mechanism's parts).
// engine: embedded
// ZONE_IN_CATEGORY (internal, kept by every write, docs/architecture.md) holds each zone's categories
// through its non-planned adoptions and their parts (HAS_PART*0..3), once per zone and category.
MATCH (c:Category)
OPTIONAL MATCH (z:Zone)-[:ZONE_IN_CATEGORY]->(c)
WITH c, count(z) AS zones
OPTIONAL MATCH (m:Mechanism)-[:IN_CATEGORY]->(c)
RETURN c.name AS category, c.name_en AS category_en, zones, count(DISTINCT m.id) AS mechanisms
ORDER BY zones DESC, mechanisms DESC, category;
// engine: neo4j
// ZONE_IN_CATEGORY (internal, kept by every write) holds each zone's categories once per zone and
// category, so a category's zones are its count of them (Neo4j reads it from the node's degree); its
// mechanisms are counted per category, not gathered across all categories first.
MATCH (c:Category)
WITH c, COUNT { (c)<-[:ZONE_IN_CATEGORY]-() } AS zones,
     COUNT { MATCH (m:Mechanism)-[:IN_CATEGORY]->(c) RETURN DISTINCT m } AS mechanisms
RETURN c.name AS category, c.name_en AS category_en, zones, mechanisms
ORDER BY zones DESC, mechanisms DESC, category;
