// title: 各主题下的机制 | Mechanisms by theme
// description: 每个主题（如报道中的“五个迈向”）下的机制及采用它们的地区：机制本身或采用它的地区归入该主题；主题留空时列出全部。 | The mechanisms under each theme (such as the article's five trends) and the zones adopting them: the mechanism itself or its zone falls under the theme; leave the theme empty to list all.
// param: theme: string = "" — 主题名称或 id（留空为全部） | theme name or id (empty for all)
// param_choices: theme: MATCH (t:Theme) RETURN t.name AS value ORDER BY value
// engine: embedded
// From each theme out, one way at a time: matched together, LadybugDB read every adoption first,
// themes or none (p95 with no theme: 773-823 -> 7-8 ms at 679,570 nodes, 53-58 -> 7-8 ms at 99,967;
// docs/measured.md). A node carried through an aggregation cannot start a match here, so the theme is
// found again by its id for the second way. The ids keep an empty OPTIONAL MATCH (its nulls) out.
MATCH (t:Theme)
WHERE $theme = '' OR t.name = $theme OR t.name_en = $theme OR t.id = $theme OR $theme IN t.aliases
OPTIONAL MATCH (t)<-[:UNDER_THEME]-(m:Mechanism)<-[a:ADOPTS]-(z:Zone)
WHERE coalesce(a.stage, '') <> 'planned'
WITH t.id AS theme_id, collect([m.id, m.name, z.name]) AS through_mechanisms
MATCH (t:Theme {id: theme_id})
OPTIONAL MATCH (t)<-[:UNDER_THEME]-(z:Zone)-[a:ADOPTS]->(m:Mechanism)
WHERE coalesce(a.stage, '') <> 'planned'
WITH t.name AS theme, through_mechanisms, collect([m.id, m.name, z.name]) AS through_zones
UNWIND through_mechanisms + through_zones AS found
WITH theme, found[1] AS mechanism_id, found[2] AS mechanism, found[3] AS zone
WHERE mechanism_id IS NOT NULL
RETURN DISTINCT theme, mechanism, zone
ORDER BY theme, mechanism, zone;
// engine: neo4j
// From the theme out, one way at a time: Neo4j otherwise read every adoption first (600 ms at 100,000
// nodes for a theme no mechanism has).
MATCH (t:Theme)
WHERE $theme = '' OR t.name = $theme OR t.name_en = $theme OR t.id = $theme OR $theme IN t.aliases
CALL (t) {
  MATCH (m:Mechanism)-[:UNDER_THEME]->(t)
  MATCH (z:Zone)-[a:ADOPTS]->(m)
  WHERE coalesce(a.stage, '') <> 'planned'
  RETURN z, m
  UNION
  MATCH (z:Zone)-[:UNDER_THEME]->(t)
  MATCH (z)-[a:ADOPTS]->(m:Mechanism)
  WHERE coalesce(a.stage, '') <> 'planned'
  RETURN z, m
}
RETURN DISTINCT t.name AS theme, m.name AS mechanism, z.name AS zone
ORDER BY theme, mechanism, zone;
