"""Speed of the free-text extractor against plain jieba segmentation, on the bundled article.

    python -m bench.extraction_speed               # 1 MB of text (UTF-8), best of 5 runs each
    python -m bench.extraction_speed --size-mb 4 --runs 3

The text is the real bundled article (data/corpus/), as the extractor stores it: its byline once at
the head, its body repeated until the text reaches the size asked for, its source lines once at the
tail. In the same run, alternating, it times `loaders.text_extractor.extract_text` (the whole
pipeline: clean-up, metadata, sentences, zones, names, relations, resolution) and `jieba.lcut` on
the same text (default mode, HMM on), both warmed up first so that neither pays for loading its
dictionaries, and reports characters per second and their ratio (the aim is at least 0.5 of
jieba's speed). Results go to bench/results/extraction.json (or --output) and are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jieba

from govkg.loaders.text_extractor import extract_text
from govkg.resources import BUNDLED_CORPUS_DIR

ARTICLE = BUNDLED_CORPUS_DIR / "zhejiang-experimental-zones-2018.txt"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "extraction.json"
AIM = 0.5


def replicated_article(size_bytes: int) -> tuple[str, int]:
    """The article's stored text with its body repeated to at least `size_bytes` of UTF-8, and the
    number of copies of the body."""
    stored = extract_text(ARTICLE.read_text(encoding="utf-8"), str(ARTICLE)).documents[0].text
    head, rest = stored.split("\n", 1)
    body, tail = rest.split("\n来源:", 1)
    body += "\n"
    fixed = len((head + "\n" + "来源:" + tail).encode("utf-8"))
    copies = max(1, -(-(size_bytes - fixed) // len(body.encode("utf-8"))))
    return head + "\n" + body * copies + "来源:" + tail, copies


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def measure(size_mb: float, runs: int) -> dict[str, Any]:
    # Warm-up first: jieba loads its dictionary, then the extractor its lexicon (reported apart).
    jieba.setLogLevel(60)
    warm_jieba, _ = timed(lambda: jieba.lcut("城乡社区是社会治理的基本单元"))
    warm_extract, _ = timed(lambda: extract_text(ARTICLE.read_text(encoding="utf-8"), "warm-up.txt"))
    text, copies = replicated_article(int(size_mb * 1024 * 1024))
    extract_seconds: list[float] = []
    jieba_seconds: list[float] = []
    graph = None
    for _ in range(runs):  # alternating, so both see the same machine load
        seconds, graph = timed(lambda: extract_text(text, "benchmark.txt"))
        extract_seconds.append(seconds)
        seconds, tokens = timed(lambda: jieba.lcut(text))
        jieba_seconds.append(seconds)
    assert graph is not None
    characters = len(text)
    extract_cps = characters / min(extract_seconds)
    jieba_cps = characters / min(jieba_seconds)
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        },
        "text": {
            "source": str(ARTICLE.relative_to(ARTICLE.parents[2])),
            "body_copies": copies,
            "characters": characters,
            "utf8_bytes": len(text.encode("utf-8")),
        },
        "runs": runs,
        "warm_up_seconds": {"extract_text": round(warm_extract, 3), "jieba": round(warm_jieba, 3)},
        "extract_text": {
            "seconds": [round(s, 3) for s in extract_seconds],
            "characters_per_second": round(extract_cps),
            "nodes": len(graph.nodes),
            "edges": len(graph.edges),
        },
        "jieba_lcut": {
            "seconds": [round(s, 3) for s in jieba_seconds],
            "characters_per_second": round(jieba_cps),
            "tokens": len(tokens),
        },
        "ratio_to_jieba": round(extract_cps / jieba_cps, 3),
        "aim": AIM,
        "meets_aim": extract_cps / jieba_cps >= AIM,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size-mb", type=float, default=1.0, help="size of the text in MB of UTF-8 (default 1)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each, the best is kept (default 5)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    args = parser.parse_args(argv)
    results = measure(args.size_mb, max(1, args.runs))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = results["text"]
    print(
        f"text: the bundled article, body x{text['body_copies']}: "
        f"{text['characters']:,} characters, {text['utf8_bytes']:,} bytes of UTF-8"
    )
    print(
        f"extract_text: {results['extract_text']['characters_per_second']:,} characters/s "
        f"(best of {results['runs']}: {min(results['extract_text']['seconds']):.2f} s; "
        f"{results['extract_text']['nodes']} nodes, {results['extract_text']['edges']} edges)"
    )
    print(
        f"jieba.lcut:   {results['jieba_lcut']['characters_per_second']:,} characters/s "
        f"(best of {results['runs']}: {min(results['jieba_lcut']['seconds']):.2f} s)"
    )
    verdict = "meets" if results["meets_aim"] else "BELOW"
    print(f"ratio: {results['ratio_to_jieba']:.2f} of jieba's speed ({verdict} the aim of {AIM})")
    print(f"written to {args.output}")
    return results


if __name__ == "__main__":
    main()
