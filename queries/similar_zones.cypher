// title: 与某地区相似的地区（已存储） | Zones similar to a zone, as stored
// description: 存储中的 SIMILAR_TO 关系：某地区最相似的地区、相似度、分项得分和共同特征。相似度由 refresh_similarity 计算并写入，数据变化后需重新计算。 | The stored SIMILAR_TO relationships: a zone's most similar zones with the score, its parts and the shared features. refresh_similarity computes and writes them; recompute after the data changes.
// param: zone: string = 杭州市江干区 — 地区名称、别名或 id | zone name, alias or id
// param_choices: zone: MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.name AS value ORDER BY value
MATCH (:NameKey {key: $zone})-[:NAMES]->(z:Zone)
// The zone through the name lookup (NameKey, internal): its id, name, full name or an alias, found
// by one index probe rather than a scan of every zone.
// Ids, then each zone found again by its primary key: LadybugDB then expands from the zones found
// (after WITH DISTINCT z or in one pattern with the lookup it joins whole relationship tables).
WITH collect(DISTINCT z.id) AS found
UNWIND found AS found_id
MATCH (z:Zone {id: found_id})
MATCH (z)-[s:SIMILAR_TO]->(other:Zone)
RETURN z.name AS zone, other.name AS similar_zone, s.score AS score, s.parts AS parts, s.shared AS shared
ORDER BY score DESC, similar_zone;
