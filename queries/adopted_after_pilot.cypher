// title: 试点之后采用的地区 | Zones that took up a practice after it was piloted elsewhere
// description: 一个机制先在某地试点（stage 为 pilot 且有年份），之后另一地区采用或推广它（年份更晚；同一年的非试点也算）：试点地区、试点年份、采用地区、采用年份和阶段、是否学习借鉴。计划中的不计。机制留空时列出全部。 | A mechanism piloted in one zone (stage pilot, with a year) and later adopted or promoted by another (a later year, or the same year at a stage other than pilot): the pilot zone and year, the adopter, its year and stage, and whether it learned from elsewhere. Plans do not count. Leave the mechanism empty to list all.
// param: mechanism: string = "" — 机制名称、别名或 id（留空为全部） | mechanism name, alias or id (empty for all)
// param_choices: mechanism: MATCH (z:Zone)-[a:ADOPTS]->(m:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' WITH m, count(DISTINCT z.id) AS zones WHERE zones > 1 RETURN m.name AS value ORDER BY value
// engine: embedded
MATCH (pz:Zone)-[p:ADOPTS]->(m:Mechanism)
WHERE p.stage = 'pilot' AND p.year IS NOT NULL
  AND ($mechanism = '' OR m.name = $mechanism OR m.id = $mechanism OR $mechanism IN m.aliases)
MATCH (az:Zone)-[a:ADOPTS]->(m)
WHERE az.id <> pz.id AND a.year IS NOT NULL AND coalesce(a.stage, 'adopted') <> 'planned'
  AND (a.year > p.year OR (a.year = p.year AND coalesce(a.stage, 'adopted') <> 'pilot'))
RETURN m.name AS mechanism, pz.name AS pilot_zone, p.year AS pilot_year, az.name AS adopter,
       a.year AS adopter_year, coalesce(a.stage, 'adopted') AS adopter_stage, coalesce(a.learned, false) AS learned
ORDER BY mechanism, pilot_year, pilot_zone, adopter_year, adopter, adopter_stage;
// engine: neo4j
// The mechanism through the name lookup (NameKey, internal) when one is named, every mechanism when
// none is: Neo4j cannot use an index for a filter that may also be empty.
CALL () {
  MATCH (:NameKey {key: $mechanism})-[n:NAMES]->(m:Mechanism) WHERE n.how IN ['id', 'name', 'alias'] RETURN m
  UNION
  MATCH (m:Mechanism) WHERE $mechanism = '' RETURN m
}
MATCH (pz:Zone)-[p:ADOPTS]->(m)
WHERE p.stage = 'pilot' AND p.year IS NOT NULL
MATCH (az:Zone)-[a:ADOPTS]->(m)
WHERE az.id <> pz.id AND a.year IS NOT NULL AND coalesce(a.stage, 'adopted') <> 'planned'
  AND (a.year > p.year OR (a.year = p.year AND coalesce(a.stage, 'adopted') <> 'pilot'))
RETURN m.name AS mechanism, pz.name AS pilot_zone, p.year AS pilot_year, az.name AS adopter,
       a.year AS adopter_year, coalesce(a.stage, 'adopted') AS adopter_stage, coalesce(a.learned, false) AS learned
ORDER BY mechanism, pilot_year, pilot_zone, adopter_year, adopter, adopter_stage;
