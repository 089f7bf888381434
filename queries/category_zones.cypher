// title: 采用某类机制的地区 | Zones that adopt mechanisms of a category
// description: 采用某一类别机制（或其组成部分属于该类别）的地区，附归类所依据的线索词。 | Zones whose mechanisms, or their parts, fall in a category, with the cue the assignment rests on.
// param: category: string = 协商议事 — 类别中文名、英文名或 id | category name (Chinese or English) or id
// param_choices: category: MATCH (c:Category) RETURN c.name AS value ORDER BY value
MATCH (c:Category)
WHERE c.name = $category OR c.name_en = $category OR c.id = $category
MATCH (z:Zone)-[:ADOPTS]->(adopted:Mechanism)-[:HAS_PART*0..3]->(m:Mechanism)-[ic:IN_CATEGORY]->(c)
RETURN DISTINCT c.name AS category, z.name AS zone, adopted.name AS adopted_mechanism, m.name AS mechanism, ic.cue AS cue
ORDER BY zone, adopted_mechanism, mechanism;
