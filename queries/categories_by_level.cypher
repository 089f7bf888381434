// title: 各层级地区的机制类别 | Mechanism categories by zone level
// description: 按地区层级（区、街道、乡……）统计各类机制涉及的地区数（机制的组成部分也计入），用于比较不同层级偏好的做法。 | For each zone level (district, street, township …), how many zones adopt mechanisms of each category (parts of mechanisms count too): which kinds of practice each level favours.
// engine: embedded
// Each mechanism's categories through fixed HAS_PART hops (0 to 3), by id, then its zones: a
// variable-length join from every adopted mechanism costs more in LadybugDB (same counts).
MATCH (m:Mechanism)
OPTIONAL MATCH (m)-[:IN_CATEGORY]->(c0:Category)
WITH m, collect(c0.id) AS l0
OPTIONAL MATCH (m)-[:HAS_PART]->(:Mechanism)-[:IN_CATEGORY]->(c1:Category)
WITH m, l0, collect(c1.id) AS l1
OPTIONAL MATCH (m)-[:HAS_PART]->(:Mechanism)-[:HAS_PART]->(:Mechanism)-[:IN_CATEGORY]->(c2:Category)
WITH m, l0, l1, collect(c2.id) AS l2
OPTIONAL MATCH (m)-[:HAS_PART]->(:Mechanism)-[:HAS_PART]->(:Mechanism)-[:HAS_PART]->(:Mechanism)-[:IN_CATEGORY]->(c3:Category)
WITH m, l0, l1, l2, collect(c3.id) AS l3
UNWIND l0 + l1 + l2 + l3 AS cid
WITH DISTINCT m, cid
MATCH (z:Zone)-[a:ADOPTS]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
WITH z.level AS level, cid, count(DISTINCT z) AS zones
MATCH (c:Category {id: cid})
RETURN level, c.name AS category, c.name_en AS category_en, zones
ORDER BY level, zones DESC, category;
// engine: neo4j
MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(:Mechanism)-[:IN_CATEGORY]->(c:Category)
WHERE coalesce(a.stage, '') <> 'planned'
RETURN z.level AS level, c.name AS category, c.name_en AS category_en, count(DISTINCT z.id) AS zones
ORDER BY level, zones DESC, category;
