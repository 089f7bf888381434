// title: 各层级地区的机制类别 | Mechanism categories by zone level
// description: 按地区层级（区、街道、乡……）统计各类机制涉及的地区数（机制的组成部分也计入），用于比较不同层级偏好的做法。 | For each zone level (district, street, township …), how many zones adopt mechanisms of each category (parts of mechanisms count too): which kinds of practice each level favours.
MATCH (c:Category)-[r:ZONES_AT_LEVEL]->(c)
// ZONES_AT_LEVEL (internal, recounted by every write, docs/architecture.md): for each category and zone
// level, how many zones ZONE_IN_CATEGORY puts in the category (its non-planned adoptions and their parts,
// HAS_PART*0..3). Counting ZONE_IN_CATEGORY here instead read all its 86,686 rows at 100,000 nodes
// (Neo4j 66-80 ms a call; docs/measured.md).
RETURN r.level AS level, c.name AS category, c.name_en AS category_en, r.zones AS zones
ORDER BY level, zones DESC, category;
