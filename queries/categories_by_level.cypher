// title: 各层级地区的机制类别 | Mechanism categories by zone level
// description: 按地区层级（区、街道、乡……）统计各类机制涉及的地区数（机制的组成部分也计入），用于比较不同层级偏好的做法。 | For each zone level (district, street, township …), how many zones adopt mechanisms of each category (parts of mechanisms count too): which kinds of practice each level favours.
MATCH (z:Zone)-[:ZONE_IN_CATEGORY]->(c:Category)
// ZONE_IN_CATEGORY (internal, kept at load time, docs/architecture.md) holds each zone's categories
// through its non-planned adoptions and their parts (HAS_PART*0..3): no walk of the graph here.
RETURN z.level AS level, c.name AS category, c.name_en AS category_en, count(DISTINCT z.id) AS zones
ORDER BY level, zones DESC, category;
