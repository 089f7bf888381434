// title: 两个节点之间关系的证据 | Evidence of the relationships between two things
// description: 某个节点（地区、机制、组织、政策、类别、主题）与另一节点之间的每条关系及支持它的原文句子；另一节点留空时列出该节点的全部关系。 | Every relationship between a node (zone, mechanism, organisation, policy, category or theme) and another, in either direction, with the sentences that support it; leave the other empty to list all of the node's relationships.
// param: node: string = 杭州市江干区 — 节点名称、别名或 id | name, alias or id of a node
// param: other: string = "" — 另一节点的名称、别名或 id（留空为全部） | name, alias or id of the other node (empty for all)
// param_choices: node: MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.name AS value ORDER BY value
// engine: embedded
// The node through the name lookup (NameKey, internal: one index probe, not a scan of every node) by
// its id, name or an alias, and its relationships in one pattern, every type but MENTIONS and
// SIMILAR_TO named (LadybugDB expands from the node found instead of joining whole tables).
MATCH (:NameKey {key: $node})-[k:NAMES]->(a)-[r:PART_OF|ADOPTS|HAS_PART|IN_CATEGORY|PARTICIPATES_IN|HAS_ORGANISATION|IMPLEMENTS|FRAMED_BY|UNDER_THEME|LEARNED_FROM]-(b)
WHERE k.how IN ['id', 'name', 'alias']
// The other node checked after the expansion (in the same WHERE, LadybugDB would scan every node for it).
WITH a, r, b
WHERE $other = '' OR b.name = $other OR b.id = $other OR $other IN b.aliases
UNWIND r.evidence_texts AS evidence
RETURN DISTINCT a.name AS node, label(r) AS relationship, b.name AS other, label(b) AS other_kind, evidence
ORDER BY relationship, other, evidence;
// engine: neo4j
// The node through the name lookup (NameKey, internal) by its id, name or an alias.
MATCH (:NameKey {key: $node})-[k:NAMES]->(a)-[r]-(b)
WHERE k.how IN ['id', 'name', 'alias']
  AND ($other = '' OR b.name = $other OR b.id = $other OR $other IN b.aliases)
  AND NOT type(r) IN ['MENTIONS', 'SIMILAR_TO', 'NAMES', 'ZONE_IN_CATEGORY', 'ADOPTER_WITHIN', 'WITHOUT_MECHANISMS']
UNWIND r.evidence_texts AS evidence
RETURN DISTINCT a.name AS node, type(r) AS relationship, b.name AS other, labels(b)[0] AS other_kind, evidence
ORDER BY relationship, other, evidence;
