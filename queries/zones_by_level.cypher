// title: 某一层级的地区 | Zones at a level
// description: 某一行政层级（省、市、区、县、街道、乡、镇、村、社区）的所有地区，附直接上级、行政区划代码和所采用机制的数量。 | Every zone at an administrative level (province, city, district, county, street, township, town, village, community), with its direct parent, division code and how many mechanisms it adopts.
// param: level: string = street — 层级：province, city, district, county, street, township, town, village, community, region | level
// param_choices: level: MATCH (z:Zone) WHERE z.level IS NOT NULL RETURN DISTINCT z.level AS value ORDER BY value
MATCH (z:Zone)
WHERE z.level = $level
OPTIONAL MATCH (z)-[:PART_OF]->(up:Zone)
OPTIONAL MATCH (z)-[:ADOPTS]->(m:Mechanism)
RETURN z.name AS zone, z.level AS level, up.name AS directly_under, z.code AS code, count(DISTINCT m.id) AS mechanisms
ORDER BY zone;
