"""Which zones are alike, and why: one score from five parts, each shared feature with its evidence.

A zone's practice profile (zones that adopt at least one mechanism have one) is read from the
graph:

- **mechanisms**: the mechanisms it adopts, with their parts up to three levels down;
- **categories**: the mechanism categories those mechanisms fall in (IN_CATEGORY);
- **organisations**: the kinds of organisation active in it (HAS_ORGANISATION): party, committee,
  mutual-aid-group ...;
- **policies**: the kinds of policy it implements (IMPLEMENTS): programme, election-rule,
  regulation, standard ...;
- **wording**: the names and descriptions of its mechanisms, as character 2- and 3-grams.

Only adoptions count: an ADOPTS whose stage is `planned` (下一步将推广…) is stored but gives the
zone nothing here (`counts_as_adoption`). A zone's own ancestors and descendants (the PART_OF
chain either way: a city and its own township) are never ranked as like it, in `similar_zones`,
`top_similar_pairs` or SIMILAR_TO: the township's practice is the city's text about itself, not a
second place arriving at the same practice. `compare` still scores such a pair when asked.

The score of two zones A and B is

    score = (1 - WORDING_WEIGHT) · J(A, B) + WORDING_WEIGHT · cos(A, B)

J is a weighted Jaccard index over the four feature sets together: the weight of the features A
and B share over the weight of all features either has. A feature weighs its kind's weight
(FEATURE_WEIGHTS) times its idf = ln((N + 1) / df), N being the number of zones with a profile and
df the number that have the feature: sharing a rare practice says more than sharing a common one,
and a feature every zone has (the programme all experimental zones belong to) weighs little
(ln(11/10) = 0.1 among ten zones, against ln(11) = 2.4 for a feature of one zone). cos is the
cosine of the zones' TF-IDF vectors of character n-grams of their mechanisms' wording (sublinear
term frequency, the same idf): no model and no word segmentation, which suits Chinese names.
The score lies between 0 and 1, and two zones with the same profile score 1.

The weights put the practice itself first. The very same named mechanism is the most specific
evidence of a common practice (3); the same kind of mechanism next (2), lower because categories
come from cue words; who acts and the kind of policy frame the setting more than the practice
(1 each). The wording catches kinships the taxonomy misses but also incidental words, so it gets
a small share (0.15). The reported `parts` (mechanisms, categories, organisations, policies,
wording) add up to the score, and the explanation lists every shared feature with its share of
the score and the sentences of the sources that support it on both sides.

Ranking all zones at once (`top_similar_pairs`) scores a block of zones against all zones at a
time (`SimilarityIndex.rank_all`). The wording makes nearly every pair score above 0 (n-grams most
zones share), so a block is a dense array: the features and n-grams most zones hold go through a
dense matrix product, the rare ones through a sparse one, and zones with the same wording share one
row of cosines. The work grows with the square of the number of zones.

The stored SIMILAR_TO (`refresh_similarity`, after every load and correction) is kept incrementally
and exactly (`incremental`): a full ranking lists, for each zone, the zones that may matter (its 2k
best by the block arithmetic, and any that may tie its k-th best once rounded) and a bound on all
others; the blocks are single precision here, the listing widened by a proven bound of their error
(`SimilarityIndex.block_error`). That listing of every zone scores each pair once (`triangle`): a
block is scored against the zones from its segment's start on, and hands on to later zones the
cells that can reach their cut. Each listed pair is then scored exactly
(`SimilarityIndex.pair_scores`: a pair's floats depend on its own features and n-grams only, summed
in a fixed order), and the k best by that score rounded as it is stored (ties to the lower zone id:
two pairs tied in exact arithmetic can differ in the last bit of their floats) are kept. The lists
and bounds are saved beside the store (an embedded store's
`<file>.similarity`, once the load's write has landed; a server's in the per-user cache). The next
refresh reads the profiles again and compares each zone's digest with the saved one: changed and new
zones are scored against all zones; every other zone's listed zones are scored exactly under the new
weights (idf moves with N and df, so every score moves a little), with the changed zones that come
near its best, and its ranking stands if its k-th best beats its bound plus the most the new weights
can have moved any score it left out (bounds of a weighted Jaccard index and of a cosine under
changed weights); otherwise that zone too is scored in full. So an incremental refresh keeps the
very rows a full one would (tests/test_similarity_incremental.py, both engines, after loads, a
rejection and its undo), and only the rows that differ from those stored are written
(`replace_relationships` writes the difference). A state that does not fit is ignored: it costs
time, never correctness. The refresh reads the store without evidence and describes the kept pairs
all at once (`describe_pairs`), with the same scores, parts and shared lists as `compare`
(tests/test_similarity_refresh.py checks against pair-by-pair scoring) as columns, which the store
writes from (`RelationshipTable`). Measured in docs/measured.md: after one more document into
37,000 zones, re-reading the profiles, ranking, describing all kept pairs and rewriting the 13 % of
rows a new N changes still take about 32 s, about 9 s of it LadybugDB's commit of the changed rows.

`top_k_weighted_jaccard` stays sparse: over mechanisms alone few pairs share anything
(bench/similarity_scale.py measures it).

The package, one job a module: `parts` (the parts and their weights), `profiles` (reading the store
into profiles), `scoring` (the arithmetic), `blocks` (a block of zones scored against many, and what
it lists), `index` (scoring pairs and explaining them), `triangle` (every zone's listing, each pair
scored once), `incremental` (each zone's top k from the last ranking's state), `results` (the typed answers) and
`answers` (what callers ask for). Answers are data: the command line and the app name the parts and
features and word the notes in the reader's language (govkg.i18n).
"""

from __future__ import annotations

from govkg.graph.similarity.answers import (
    bare_profiles,
    refresh_similarity,
    similar_in_profiles,
    similar_zones,
    stored_ranking_state,
    top_similar_pairs,
    zone_feature_graph,
)
from govkg.graph.similarity.index import SimilarityIndex
from govkg.graph.similarity.parts import (
    CATEGORY_WEIGHT,
    FEATURE_WEIGHTS,
    MECHANISM_WEIGHT,
    PARTS,
    SCORE_DIGITS,
    SET_PARTS,
    WORDING_WEIGHT,
)
from govkg.graph.similarity.profiles import (
    PART_DEPTH,
    PLANNED,
    PracticeProfiles,
    Support,
    ZoneProfile,
    ZoneRecord,
    counts_as_adoption,
    find_zone,
    practice_graph,
    practice_subgraph,
    profiles_from_graph,
    supported_profiles,
    zone_records,
)
from govkg.graph.similarity.results import NOTES, Explanation, Note, PairSummaries, SimilarZone, SimilarZones
from govkg.graph.similarity.scoring import (
    FUNCTION_CHARACTERS,
    NGRAM_SIZES,
    char_ngrams,
    idf_weights,
    shared_strings,
    top_k_weighted_jaccard,
)

__all__ = [
    "CATEGORY_WEIGHT",
    "FEATURE_WEIGHTS",
    "FUNCTION_CHARACTERS",
    "MECHANISM_WEIGHT",
    "NGRAM_SIZES",
    "NOTES",
    "PARTS",
    "PART_DEPTH",
    "PLANNED",
    "SCORE_DIGITS",
    "SET_PARTS",
    "WORDING_WEIGHT",
    "Explanation",
    "Note",
    "PairSummaries",
    "PracticeProfiles",
    "SimilarZone",
    "SimilarZones",
    "SimilarityIndex",
    "Support",
    "ZoneProfile",
    "ZoneRecord",
    "bare_profiles",
    "char_ngrams",
    "counts_as_adoption",
    "find_zone",
    "idf_weights",
    "practice_graph",
    "practice_subgraph",
    "profiles_from_graph",
    "refresh_similarity",
    "shared_strings",
    "similar_in_profiles",
    "similar_zones",
    "stored_ranking_state",
    "supported_profiles",
    "top_k_weighted_jaccard",
    "top_similar_pairs",
    "zone_feature_graph",
    "zone_records",
]
