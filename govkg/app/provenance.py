"""The provenance a reader sees beside a fact's evidence: "corrected by NAME on DATE (action)" for each
kept correction the fact rests on (graph/correction_index.py says which), in the reader's language.

`provenance_text`, `feature_corrections` and `corrected_away` are pure (the language is given); `provenance` words it in
the language of this run."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from govkg.app.language import language
from govkg.graph.correction_index import corrections_touching
from govkg.graph.corrections import Correction
from govkg.i18n import pair, tr

__all__ = ["corrected_away", "feature_corrections", "provenance", "provenance_text"]

_SEPARATORS = {"zh": "；", "en": "; "}


def provenance_text(kept: Iterable[Correction], lang: str) -> str:
    """"corrected by NAME on DATE (action)" for each correction, oldest first, in language mode `lang`
    ("zh", "en", or "both": the Chinese list, then the English one); "" for none. DATE is the UTC day."""
    corrections = list(kept)
    if not corrections:
        return ""

    def said(c: Correction, one: str) -> str:
        return tr("correct.provenance", one, author=c.author, date=c.made_at[:10],
                  action=tr(f"corrections.action.{c.action}", one))  # fmt: skip

    halves = {one: sep.join(said(c, one) for c in corrections) for one, sep in _SEPARATORS.items()}
    return pair(halves["zh"], halves["en"], lang)


def provenance(kept: Iterable[Correction]) -> str:
    """`provenance_text` in the reader's language mode."""
    return provenance_text(kept, language())


def feature_corrections(kept: Sequence[Correction], mechanism: str, zones: Iterable[str]) -> list[Correction]:
    """The kept corrections, in their order, behind a mechanism as the similar-zones page compares it:
    those concerning the mechanism node or one of the `zones`' adoption of it (ADOPTS)."""
    wanted = {c.id for c in corrections_touching(kept, node_id=mechanism)}
    for zone in zones:
        wanted.update(c.id for c in corrections_touching(kept, edge_key=("ADOPTS", zone, mechanism)))
    return [c for c in kept if c.id in wanted]


def corrected_away(kept: Iterable[Correction], node: str, present: Collection[tuple[str, str, str]]
                   ) -> list[Correction]:  # fmt: skip
    """The kept corrections, in their order, of relationships of `node` that are no longer there (not in
    `present`, the keys of its relationships now): rejected, or re-attached elsewhere. The node page
    lists them, since their evidence is no longer shown there."""
    return [c for c in kept if c.target.edge is not None and node in c.target.edge[1:] and c.target.edge not in present]
