// title: 没有机制的地区 | Zones without mechanisms
// description: 在图中出现但自身没有采用任何机制的地区，附层级、直接上级、其下辖地区中有机制的数量和提到它的文档数：多为上级行政区，也可能是抽取遗漏，值得核对。 | Zones in the graph that adopt no mechanism themselves, with their level, direct parent, how many zones below them do, and how many documents mention them: mostly parent units, sometimes a gap in extraction worth checking.
// param: level: string = "" — 层级（留空为全部） | level (empty for all)
// param_choices: level: MATCH (z:Zone) WHERE z.level IS NOT NULL RETURN DISTINCT z.level AS value ORDER BY value
MATCH (z:Zone)
WHERE ($level = '' OR z.level = $level) AND NOT EXISTS { MATCH (z)-[:ADOPTS]->(:Mechanism) }
OPTIONAL MATCH (z)-[:PART_OF]->(up:Zone)
OPTIONAL MATCH (below:Zone)-[:PART_OF*1..10]->(z)
WHERE EXISTS { MATCH (below)-[:ADOPTS]->(:Mechanism) }
WITH z, up, count(DISTINCT below.id) AS zones_below_with_mechanisms
OPTIONAL MATCH (d:Document)-[:MENTIONS]->(z)
RETURN z.name AS zone, z.level AS level, up.name AS directly_under, zones_below_with_mechanisms, count(DISTINCT d.id) AS documents
ORDER BY zone;
