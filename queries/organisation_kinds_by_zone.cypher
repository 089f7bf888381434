// title: 各地区的组织类型 | Kinds of organisation by zone
// description: 每个地区涉及的组织按类型计数（党组织、居委会、社会组织、互助组、角色群体……）；地区留空时列出全部。 | How many organisations of each kind (party, committee, social organisation, mutual-aid group, role group …) each zone involves; leave the zone empty to list all.
// param: zone: string = "" — 地区名称、别名或 id（留空为全部） | zone name, alias or id (empty for all)
// param_choices: zone: MATCH (z:Zone)-[:HAS_ORGANISATION]->(:Organisation) RETURN DISTINCT z.name AS value ORDER BY value
// engine: embedded
MATCH (z:Zone)-[:HAS_ORGANISATION]->(o:Organisation)
WHERE $zone = '' OR z.name = $zone OR z.id = $zone OR z.full_name = $zone OR $zone IN z.aliases
RETURN z.name AS zone, coalesce(o.kind, '') AS kind, count(DISTINCT o.id) AS organisations
ORDER BY zone, kind;
// engine: neo4j
// The zone through the name lookup (NameKey, internal) when one is named, every zone when none is:
// Neo4j cannot use an index for a filter that may also be empty.
CALL () {
  MATCH (:NameKey {key: $zone})-[n:NAMES]->(z:Zone) WHERE n.how IN ['id', 'name', 'full_name', 'alias'] RETURN z
  UNION
  MATCH (z:Zone) WHERE $zone = '' RETURN z
}
MATCH (z)-[:HAS_ORGANISATION]->(o:Organisation)
RETURN z.name AS zone, coalesce(o.kind, '') AS kind, count(DISTINCT o.id) AS organisations
ORDER BY zone, kind;
