// title: 文档及其提及的内容 | Documents and what they mention
// description: 每个已载入文档的标题、来源和日期，以及它提到的地区、机制、组织和政策的数量（由证据句计入）。 | Every loaded document with its title, source and date, and how many zones, mechanisms, organisations and policies it mentions (through its evidence sentences).
// param: document: string = "" — 文档标题或 id（留空为全部） | document title or id (empty for all)
// param_choices: document: MATCH (d:Document) RETURN d.title AS value ORDER BY value
MATCH (d:Document)
WHERE $document = '' OR d.title = $document OR d.id = $document
OPTIONAL MATCH (d)-[:MENTIONS]->(z:Zone)
WITH d, count(DISTINCT z.id) AS zones
OPTIONAL MATCH (d)-[:MENTIONS]->(m:Mechanism)
WITH d, zones, count(DISTINCT m.id) AS mechanisms
OPTIONAL MATCH (d)-[:MENTIONS]->(o:Organisation)
WITH d, zones, mechanisms, count(DISTINCT o.id) AS organisations
OPTIONAL MATCH (d)-[:MENTIONS]->(p:Policy)
RETURN d.title AS document, d.source AS source, d.date AS date, zones, mechanisms, organisations, count(DISTINCT p.id) AS policies
ORDER BY document, source, date;
