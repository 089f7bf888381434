// title: 机制类别概览 | Categories with how many zones and mechanisms
// description: 每个机制类别包含多少机制、涉及多少地区（地区经其机制或机制的组成部分计入）。 | For each mechanism category, how many mechanisms fall in it and how many zones adopt them (directly or through a mechanism's parts).
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
UNWIND l0 + l1 + l2 + l3 AS category_id
WITH DISTINCT m, category_id
MATCH (z:Zone)-[a:ADOPTS]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
WITH category_id, count(DISTINCT z) AS zones
WITH collect([category_id, CAST(zones AS STRING)]) AS counted
MATCH (c:Category)
OPTIONAL MATCH (m:Mechanism)-[:IN_CATEGORY]->(c)
WITH c, counted, count(DISTINCT m.id) AS mechanisms
WITH c, mechanisms, list_filter(counted, x -> x[1] = c.id) AS mine
RETURN c.name AS category, c.name_en AS category_en, CASE WHEN size(mine) = 0 THEN 0 ELSE CAST(mine[1][2] AS INT64) END AS zones, mechanisms
ORDER BY zones DESC, mechanisms DESC, category;
// engine: neo4j
MATCH (c:Category)
OPTIONAL MATCH (m:Mechanism)-[:IN_CATEGORY]->(c)
OPTIONAL MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism)-[:HAS_PART*0..3]->(m)
WHERE coalesce(a.stage, '') <> 'planned'
RETURN c.name AS category, c.name_en AS category_en, count(DISTINCT z.id) AS zones, count(DISTINCT m.id) AS mechanisms
ORDER BY zones DESC, mechanisms DESC, category;
