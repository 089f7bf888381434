"""How much a load's corrections cost on the embedded store (an ad-hoc measure behind the corrections
issue's closing note): the bundled case sheets loaded into a fresh store without and with three
corrections made on the extracted graph (reject, rename, re-type, as an upload's review makes them),
and the undo of one; two rounds (the first warms the tokenizer and the division tables).

Run: .venv/bin/python scripts/correction_load_cost.py"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from govkg.graph.corrections import Correction, Target, apply_corrections, make_correction
from govkg.graph.factory import StoreSettings
from govkg.loaders.extract import extract_paths
from govkg.resources import BUNDLED_CASES_DIR
from govkg.services.correcting import undo
from govkg.services.loading import load_paths


def review_corrections() -> list[Correction]:
    extracted = extract_paths([BUNDLED_CASES_DIR])
    first, second, third = sorted((n for n in extracted.nodes if n.label == "Mechanism"), key=lambda n: n.id)[:3]
    made: list[Correction] = []
    for action, node, value in (("reject", first, {}), ("rename", second, {"name": "改名"}),
                                ("retype", third, {"label": "Organisation"})):  # fmt: skip
        current = apply_corrections(extracted, made).graph
        made.append(make_correction(current, action, Target(node=node.id), value, author="measure",
                                    made_at=f"2026-12-04T00:00:0{len(made)}+00:00"))  # fmt: skip
    return made


def main() -> None:
    made = review_corrections()
    for round_number in (1, 2):
        for label, corrections in (("plain load", []), ("load with 3 corrections", made)):
            settings = StoreSettings(db_path=Path(tempfile.mkdtemp()) / "govkg.lbdb")
            start = time.perf_counter()
            load_paths(settings, [BUNDLED_CASES_DIR], corrections=corrections)
            print(f"round {round_number}: {label}: {time.perf_counter() - start:.2f} s")
            if corrections:
                start = time.perf_counter()
                undo(settings, corrections[-1].id)
                print(f"round {round_number}: undo one of them: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
