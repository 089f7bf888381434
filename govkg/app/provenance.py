"""The provenance a reader sees beside a fact's evidence: "corrected by NAME on DATE (action)" for each
kept correction the fact rests on (graph/correction_index.py says which), in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from govkg.app.language import t_each
from govkg.graph.corrections import Correction
from govkg.i18n import tr

__all__ = ["provenance"]


def provenance(kept: Iterable[Correction]) -> str:
    """"corrected by NAME on DATE (action)" for each correction, in the reader's language."""

    def said(c: Correction) -> str:
        return t_each("correct.provenance", lambda lang: {
            "author": c.author, "date": c.made_at[:10], "action": tr(f"corrections.action.{c.action}", lang)})

    return "; ".join(said(c) for c in kept)
