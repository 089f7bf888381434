// title: 政策及其框定的机制 | Policies with their year and the mechanisms they frame
// description: 每项政策、制度或规范的类型和年份，它所框定的机制，以及实施它的地区；政策留空时列出全部。 | Each policy, rule or standard with its kind and year, the mechanisms it frames and the zones implementing it; leave the policy empty to list all.
// param: policy: string = "" — 政策名称、别名或 id（留空为全部） | policy name, alias or id (empty for all)
// param_choices: policy: MATCH (p:Policy) RETURN p.name AS value ORDER BY value
// engine: embedded
MATCH (p:Policy)
WHERE $policy = '' OR p.name = $policy OR p.id = $policy OR $policy IN p.aliases
OPTIONAL MATCH (m:Mechanism)-[:FRAMED_BY]->(p)
OPTIONAL MATCH (z:Zone)-[:IMPLEMENTS]->(p)
RETURN DISTINCT p.name AS policy, p.kind AS kind, p.year AS year, m.name AS framed_mechanism, z.name AS zone
ORDER BY policy, framed_mechanism, zone;
// engine: neo4j
// The policy through the name lookup (NameKey, internal) when one is named, every policy when none is:
// Neo4j cannot use an index for a filter that may also be empty. At 100,000 nodes, medians: a named
// policy 12-22 -> 2-2.5 ms, every policy (8,867 rows) 195-196 -> 201-240 ms (docs/measured.md).
CALL () {
  MATCH (:NameKey {key: $policy})-[n:NAMES]->(p:Policy) WHERE n.how IN ['id', 'name', 'alias'] RETURN p
  UNION
  MATCH (p:Policy) WHERE $policy = '' RETURN p
}
OPTIONAL MATCH (m:Mechanism)-[:FRAMED_BY]->(p)
OPTIONAL MATCH (z:Zone)-[:IMPLEMENTS]->(p)
RETURN DISTINCT p.name AS policy, p.kind AS kind, p.year AS year, m.name AS framed_mechanism, z.name AS zone
ORDER BY policy, framed_mechanism, zone;
