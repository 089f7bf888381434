"""The typed answers of similarity: data only. Names of parts and features are keys or names from
the graph; a note is a code (NOTES), which the command line and the app word in the reader's
language. `to_dict()` gives the JSON of `govkg similar --format json` (a contract other tools read)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from govkg.graph.similarity.profiles import Support

__all__ = ["NOTES", "Explanation", "Note", "PairSummaries", "SimilarZone", "SimilarZones"]

# Why a ranking is empty: the zone adopts no mechanism, or no other zone shares anything with it.
Note = Literal["no_mechanisms", "nothing_shared"]
NOTES: tuple[Note, ...] = ("no_mechanisms", "nothing_shared")


@dataclass(frozen=True)
class Explanation:
    """One shared feature and its share of the score (`weight`), with how each zone has it.

    `feature` is the feature's name (a mechanism's or category's name, a kind key such as
    `organisation:party`, or a string both zones' wording holds); `feature_en` the English name the
    graph holds for it (a category's `name_en`), else the same name."""

    part: str
    feature: str
    feature_en: str
    weight: float
    this_zone: tuple[Support, ...]
    other_zone: tuple[Support, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "feature": self.feature,
            "feature_en": self.feature_en,
            "weight": self.weight,
            "this_zone": [s.to_dict() for s in self.this_zone],
            "other_zone": [s.to_dict() for s in self.other_zone],
        }


@dataclass(frozen=True)
class PairSummaries:
    """What `compare(..., explain=False)` says of many pairs, as columns: pair i scores `scores[i]`,
    its parts are `parts[i]` (one value a PARTS name, in PARTS order; they add up to the score) and
    it shares the features named `shared[i]`, part by part, each part's sorted by name. Columns, not
    an object a pair: a SIMILAR_TO refresh describes 372,650 pairs at 10,000 documents."""

    scores: list[float]
    parts: list[tuple[float, ...]]
    shared: list[tuple[str, ...]]


@dataclass(frozen=True)
class SimilarZone:
    """A zone like the one asked about: its score and parts, what they share, and (when explained)
    each shared feature with its evidence on both sides, heaviest first."""

    zone: str
    zone_id: str
    score: float
    parts: dict[str, float]
    shared_mechanisms: tuple[str, ...]
    shared_categories: tuple[str, ...]
    shared_organisation_kinds: tuple[str, ...]
    shared_policy_kinds: tuple[str, ...]
    shared_wording: tuple[str, ...] = ()
    explanation: tuple[Explanation, ...] = ()
    explained: bool = True

    @property
    def shared(self) -> tuple[str, ...]:
        """Every shared feature but wording: mechanisms, categories, organisation and policy kinds."""
        return (*self.shared_mechanisms, *self.shared_categories, *self.shared_organisation_kinds,
                *self.shared_policy_kinds)

    def strongest(self, n: int = 3) -> tuple[Explanation, ...]:
        """The `n` shared features that give the most of the score (the explanation is heaviest first)."""
        return self.explanation[: max(n, 0)]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "zone": self.zone,
            "zone_id": self.zone_id,
            "score": self.score,
            "shared": list(self.shared),
            "shared_mechanisms": list(self.shared_mechanisms),
            "shared_categories": list(self.shared_categories),
            "shared_organisation_kinds": list(self.shared_organisation_kinds),
            "shared_policy_kinds": list(self.shared_policy_kinds),
        }
        if self.explained:
            out["shared_wording"] = list(self.shared_wording)
        out["parts"] = dict(self.parts)
        if self.explained:
            out["explanation"] = [e.to_dict() for e in self.explanation]
        return out


@dataclass(frozen=True)
class SimilarZones:
    """The zones most like `zone`, best first; `note` says why the list is empty when it is."""

    zone: str
    zone_id: str
    similar: tuple[SimilarZone, ...]
    note: Note | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape; a note comes as its code (`note_code`): the caller adds the words."""
        out: dict[str, Any] = {"zone": self.zone, "zone_id": self.zone_id,
                               "similar": [s.to_dict() for s in self.similar]}
        if self.note is not None:
            out["note_code"] = self.note
        return out
