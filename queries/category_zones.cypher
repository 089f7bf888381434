// title: 采用某类机制的地区（按名称，前 N 个） | Zones that adopt mechanisms of a category (the first N by name)
// description: 采用某一类别机制（或其组成部分属于该类别）的地区，按名称排序的前 N 个（limit，默认 200；skip 翻页），附归类所依据的线索词。 | The first N zones by name (limit, 200 unless given; skip for the next page) whose mechanisms, or their parts, fall in a category, with the cue the assignment rests on.
// param: category: string = 协商议事 — 类别中文名、英文名或 id | category name (Chinese or English) or id
// param: limit: int = 200 — 最多返回的地区数 | at most this many zones
// param: skip: int = 0 — 跳过按名称排在前面的地区数（翻页） | skip this many zones first (the next page)
// param_choices: category: MATCH (c:Category) RETURN c.name AS value ORDER BY value
// engine: embedded
// The zones from ZONE_IN_CATEGORY (internal, kept at load time, docs/architecture.md), each row with
// the paths that put its zone in the category (the adopted mechanism, it or its part in the category,
// the cue; "" for none), so the page is read from the rows: the walk it stands for (adoptions, then
// three HAS_PART hops) was LadybugDB joining the page against whole relationship tables. The
// mechanisms' names by primary key, one lookup a clause (two in one MATCH were planned as a product of
// every mechanism with every other). At 100,000 nodes, 15 categories, pages 1 and 6 of 200: 73-160 ->
// 5-99 ms (docs/measured.md).
MATCH (c:Category)
WHERE c.name = $category OR c.name_en = $category OR c.id = $category
MATCH (z:Zone)-[zc:ZONE_IN_CATEGORY]->(c)
// Skip and limit in two clauses: in one, LadybugDB 0.22 crashes on a page past the end (queries/README.md).
WITH c, z, zc ORDER BY z.name, z.id, c.id SKIP $skip
WITH c, z, zc LIMIT $limit
UNWIND range(1, size(zc.adopted)) AS i
WITH c, z, zc.adopted[i] AS adopted_id, zc.parts[i] AS part_id, zc.cues[i] AS cue
MATCH (adopted:Mechanism {id: adopted_id})
WITH c, z, adopted.name AS adopted_mechanism, part_id, cue
MATCH (m:Mechanism {id: part_id})
RETURN DISTINCT c.name AS category, z.name AS zone, adopted_mechanism, m.name AS mechanism,
  CASE WHEN cue = '' THEN NULL ELSE cue END AS cue
ORDER BY zone, adopted_mechanism, mechanism, category, cue;
// engine: neo4j
// The zones from ZONE_IN_CATEGORY (internal, kept at load time), with the paths each row holds, as on
// the embedded store: the page's mechanisms by their ids instead of a variable-length walk.
MATCH (c:Category)
WHERE c.name = $category OR c.name_en = $category OR c.id = $category
MATCH (z:Zone)-[zc:ZONE_IN_CATEGORY]->(c)
WITH c, z, zc ORDER BY z.name, z.id, c.id SKIP $skip LIMIT $limit
UNWIND range(0, size(zc.adopted) - 1) AS i
MATCH (adopted:Mechanism {id: zc.adopted[i]})
MATCH (m:Mechanism {id: zc.parts[i]})
RETURN DISTINCT c.name AS category, z.name AS zone, adopted.name AS adopted_mechanism, m.name AS mechanism,
  CASE WHEN zc.cues[i] = '' THEN NULL ELSE zc.cues[i] END AS cue
ORDER BY zone, adopted_mechanism, mechanism, category, cue;
