// title: 某机制的推广时间线 | Adoption timeline of a mechanism
// description: 一个机制在各地的试点、推行和推广，按年份排列（无年份的排在有年份之后），附阶段、地区、是否学习借鉴和原文证据；仅计划而尚未实施的（planned）单独排在最后并标明。机制留空时列出全部。 | Where and when a mechanism was piloted, adopted and promoted, by year (undated after dated), with the stage, the zone, whether it was learned from elsewhere and the evidence; plans not yet carried out (stage planned) come last, flagged as planned. Leave the mechanism empty to list all.
// param: mechanism: string = "" — 机制名称、别名或 id（留空为全部） | mechanism name, alias or id (empty for all)
// param_choices: mechanism: MATCH (:Zone)-[:ADOPTS]->(m:Mechanism) RETURN DISTINCT m.name AS value ORDER BY value
// engine: embedded
MATCH (m:Mechanism)
WHERE $mechanism = '' OR m.name = $mechanism OR m.id = $mechanism OR $mechanism IN m.aliases
// collect + UNWIND: LadybugDB then expands from the mechanisms found instead of hash-joining a whole relationship table
WITH collect(m) AS found
UNWIND found AS m
MATCH (z:Zone)-[a:ADOPTS]->(m)
// An ADOPTS written without timing (hand-built graphs, older files) is an adoption of no known year.
WITH m, z, a, coalesce(a.stage, 'adopted') AS stage
WITH m, z, a, stage, stage = 'planned' AS planned,
     CASE WHEN a.year IS NULL THEN 1 ELSE 0 END AS undated,
     CASE stage WHEN 'pilot' THEN 0 WHEN 'adopted' THEN 1 WHEN 'promoted' THEN 2 ELSE 3 END AS step
RETURN m.name AS mechanism, a.year AS year, stage, planned, z.name AS zone, coalesce(a.learned, false) AS learned,
       a.evidence_texts AS evidence
ORDER BY mechanism, planned, undated, year, step, zone;
// engine: neo4j
// The mechanism through the name lookup (NameKey, internal) when one is named, every mechanism when
// none is: Neo4j cannot use an index for a filter that may also be empty. At 100,000 nodes, medians: a
// named mechanism 35-67 -> 4-7 ms, every mechanism (84,305 rows) 2.4-2.8 -> 2.3-2.6 s (docs/measured.md).
CALL () {
  MATCH (:NameKey {key: $mechanism})-[n:NAMES]->(m:Mechanism) WHERE n.how IN ['id', 'name', 'alias'] RETURN m
  UNION
  MATCH (m:Mechanism) WHERE $mechanism = '' RETURN m
}
WITH collect(m) AS found
UNWIND found AS m
MATCH (z:Zone)-[a:ADOPTS]->(m)
// An ADOPTS written without timing (hand-built graphs, older files) is an adoption of no known year.
WITH m, z, a, coalesce(a.stage, 'adopted') AS stage
WITH m, z, a, stage, stage = 'planned' AS planned,
     CASE WHEN a.year IS NULL THEN 1 ELSE 0 END AS undated,
     CASE stage WHEN 'pilot' THEN 0 WHEN 'adopted' THEN 1 WHEN 'promoted' THEN 2 ELSE 3 END AS step
RETURN m.name AS mechanism, a.year AS year, stage, planned, z.name AS zone, coalesce(a.learned, false) AS learned,
       a.evidence_texts AS evidence
ORDER BY mechanism, planned, undated, year, step, zone;
