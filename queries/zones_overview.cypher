// title: 地区概览 | Zones at a glance
// description: 每个地区的层级、直接上级，以及它采用的机制、相关组织和实施的政策的数量。 | Every zone with its level, direct parent, and how many mechanisms it adopts, organisations it involves and policies it implements.
MATCH (z:Zone)
OPTIONAL MATCH (z)-[:PART_OF]->(up:Zone)
OPTIONAL MATCH (z)-[:ADOPTS]->(m:Mechanism)
WITH z, up, count(DISTINCT m.id) AS mechanisms
OPTIONAL MATCH (z)-[:HAS_ORGANISATION]->(o:Organisation)
WITH z, up, mechanisms, count(DISTINCT o.id) AS organisations
OPTIONAL MATCH (z)-[:IMPLEMENTS]->(p:Policy)
RETURN z.name AS zone, z.level AS level, up.name AS directly_under, mechanisms, organisations, count(DISTINCT p.id) AS policies
ORDER BY zone;
