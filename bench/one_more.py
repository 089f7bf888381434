"""One more SYNTHETIC document into a store made by `govkg bench` (issue 15's daily load), timed by stage,
with the SIMILAR_TO refresh's parts and, with --check, whether the stored SIMILAR_TO equals a full
ranking of the same store (a full ranking takes as long as the refresh of a full load).

    python -m bench.run --step scale_large --mode full --workdir /tmp/simbench --result /tmp/simbench/r.json
    cp /tmp/simbench/scale-10000.lbdb* /tmp/one/        # the store and its .similarity state
    python -m bench.one_more --db /tmp/one/scale-10000.lbdb --document 10000 --check

`--document N` loads document N of `synthetic_corpus(N + 1)` (seed 2018): N = the store's document
count is the first one after the corpus. It changes the store it is given: the `govkg bench` step
`one_more` (bench/run.py) runs it on a copy of the scale_large store.
"""

from __future__ import annotations

import argparse
import functools
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["one_more"]


def one_more(db: Path, document: int, *, check: bool = False) -> dict[str, Any]:
    import govkg.graph.similarity as similarity
    import govkg.graph.similarity.answers as answers
    from govkg.bench.corpus import synthetic_corpus, write_corpus
    from govkg.graph.factory import StoreSettings, open_store
    from govkg.graph.similarity import SimilarityIndex
    from govkg.services.loading import load_paths

    parts: dict[str, float] = {}

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                parts[name] = round(parts.get(name, 0.0) + time.perf_counter() - start, 2)

        return run

    settings = StoreSettings(engine="embedded", db_path=db)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_corpus([synthetic_corpus(document + 1)[document]], Path(folder))
        stages: dict[str, float] = {}
        written: dict[str, int] = {}
        saved = {name: getattr(answers, name) for name in ("practice_graph", "profiles_from_graph", "rank_exact")}
        build, describe = SimilarityIndex.__dict__["build"], SimilarityIndex.__dict__["describe"]
        try:
            refresh = similarity.refresh_similarity  # what write_graph imports when it runs

            def counted(store: Any, top: int = 10) -> Any:
                summary = refresh(store, top)
                written.update(rows=summary.edges_created, unchanged=summary.edges_matched)
                return summary

            patches: list[tuple[object, str, Any]] = [
                *((answers, name, timed(part, saved[name])) for name, part in (
                    ("practice_graph", "read"), ("profiles_from_graph", "profiles"), ("rank_exact", "ranking"))),
                (SimilarityIndex, "build", classmethod(timed("index", build.__func__))),
                (SimilarityIndex, "describe", timed("describing", describe)),
                (similarity, "refresh_similarity", counted),
            ]  # fmt: skip
            for owner, name, value in patches:
                setattr(owner, name, value)
            start = time.perf_counter()
            load_paths(settings, paths, timer=stages.__setitem__)
            seconds = time.perf_counter() - start
        finally:
            restored: list[tuple[object, str, Any]] = [
                *((answers, name, func) for name, func in saved.items()),
                (SimilarityIndex, "build", build), (SimilarityIndex, "describe", describe),
                (similarity, "refresh_similarity", refresh),
            ]  # fmt: skip
            for owner, name, value in restored:
                setattr(owner, name, value)
    result: dict[str, Any] = {
        "document": document,
        "seconds": round(seconds, 2),
        "stages_seconds": {k: round(v, 2) for k, v in stages.items()},
        "similarity_parts_seconds": parts,
        "similar_to_rows": written.get("rows"),
        "similar_to_rewritten": (written["rows"] - written["unchanged"]) if written else None,
    }
    if check:
        with open_store(settings, read_only=True) as store:
            table = answers.full_similar_to_table(store, 10)
            made = table.columns
            want = sorted(zip(table.sources, table.targets, made["score"], made["parts"],
                              map(tuple, made["shared"]), strict=True))  # fmt: skip
            found = store.read(
                "MATCH (a:Zone)-[s:SIMILAR_TO]->(b:Zone) RETURN a.id AS a, b.id AS b, s.score AS score, "
                "s.parts AS parts, s.shared AS shared"
            ).records()
            got = sorted((r["a"], r["b"], r["score"], r["parts"], tuple(r["shared"] or ())) for r in found)
        result["equal_to_full_refresh"] = want == got
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store made by govkg bench (it is changed)")
    parser.add_argument("--document", type=int, required=True, help="which synthetic document to load")
    parser.add_argument("--check", action="store_true", help="compare the stored SIMILAR_TO with a full ranking")
    args = parser.parse_args()
    print(json.dumps(one_more(args.db, args.document, check=args.check), ensure_ascii=False))


if __name__ == "__main__":
    main()
