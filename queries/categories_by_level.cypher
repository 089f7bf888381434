// title: 各层级地区的机制类别 | Mechanism categories by zone level
// description: 按地区层级（区、街道、乡……）统计各类机制涉及的地区数（机制的组成部分也计入），用于比较不同层级偏好的做法。 | For each zone level (district, street, township …), how many zones adopt mechanisms of each category (parts of mechanisms count too): which kinds of practice each level favours.
// engine: embedded
MATCH (z:Zone)-[:ZONE_IN_CATEGORY]->(c:Category)
// ZONE_IN_CATEGORY (internal, kept by every write, docs/architecture.md) holds each zone's categories
// through its non-planned adoptions and their parts (HAS_PART*0..3), once per zone and category:
// counting its rows counts the zones, without a walk or a DISTINCT.
WITH z.level AS level, c.id AS category_id, count(*) AS zones
MATCH (c:Category {id: category_id})
RETURN level, c.name AS category, c.name_en AS category_en, zones
ORDER BY level, zones DESC, category;
// engine: neo4j
// Category by category (15), each counting its ZONE_IN_CATEGORY rows by level: no grouping of all rows
// by category id (127 -> 106 ms at 100,000 nodes).
MATCH (c:Category)
CALL (c) {
  MATCH (c)<-[:ZONE_IN_CATEGORY]-(z:Zone)
  RETURN z.level AS level, count(*) AS zones
}
RETURN level, c.name AS category, c.name_en AS category_en, zones
ORDER BY level, zones DESC, category;
