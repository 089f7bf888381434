// title: 各主题下的地区 | Zones by theme
// description: 每个主题（如报道中的“五个迈向”）下的地区：地区本身或其采用的机制归入该主题；主题留空时列出全部。 | The zones under each theme (such as the article's five trends), directly or through a mechanism they adopt; leave the theme empty to list all.
// param: theme: string = "" — 主题名称或 id（留空为全部） | theme name or id (empty for all)
// param_choices: theme: MATCH (t:Theme) RETURN t.name AS value ORDER BY value
MATCH (t:Theme)
WHERE $theme = '' OR t.name = $theme OR t.name_en = $theme OR t.id = $theme OR $theme IN t.aliases
MATCH (z:Zone)
WHERE EXISTS { MATCH (z)-[:UNDER_THEME]->(t) } OR EXISTS { MATCH (z)-[a:ADOPTS]->(:Mechanism)-[:UNDER_THEME]->(t) WHERE coalesce(a.stage, '') <> 'planned' }
RETURN t.name AS theme, z.name AS zone, z.level AS level
ORDER BY theme, zone;
