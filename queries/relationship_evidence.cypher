// title: 两个节点之间关系的证据 | Evidence of the relationships between two things
// description: 某个节点（地区、机制、组织、政策、类别、主题）与另一节点之间的每条关系及支持它的原文句子；另一节点留空时列出该节点的全部关系。 | Every relationship between a node (zone, mechanism, organisation, policy, category or theme) and another, in either direction, with the sentences that support it; leave the other empty to list all of the node's relationships.
// param: node: string = 杭州市江干区 — 节点名称、别名或 id | name, alias or id of a node
// param: other: string = "" — 另一节点的名称、别名或 id（留空为全部） | name, alias or id of the other node (empty for all)
// param_choices: node: MATCH (z:Zone)-[a:ADOPTS]->(:Mechanism) WHERE coalesce(a.stage, '') <> 'planned' RETURN DISTINCT z.name AS value ORDER BY value
// engine: embedded
MATCH (a)
WHERE a.name = $node OR a.id = $node OR $node IN a.aliases
WITH collect(a) AS found
UNWIND found AS a
MATCH (a)-[r]-(b)
WHERE ($other = '' OR b.name = $other OR b.id = $other OR $other IN b.aliases)
  AND label(r) <> 'MENTIONS' AND label(r) <> 'SIMILAR_TO'
UNWIND r.evidence_texts AS evidence
RETURN DISTINCT a.name AS node, label(r) AS relationship, b.name AS other, label(b) AS other_kind, evidence
ORDER BY relationship, other, evidence;
// engine: neo4j
MATCH (a)-[r]-(b)
WHERE (a.name = $node OR a.id = $node OR $node IN a.aliases)
  AND ($other = '' OR b.name = $other OR b.id = $other OR $other IN b.aliases)
  AND type(r) <> 'MENTIONS' AND type(r) <> 'SIMILAR_TO'
UNWIND r.evidence_texts AS evidence
RETURN DISTINCT a.name AS node, type(r) AS relationship, b.name AS other, labels(b)[0] AS other_kind, evidence
ORDER BY relationship, other, evidence;
