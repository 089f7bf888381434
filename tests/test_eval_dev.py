"""The extractor on the development set: 24 case texts with hand-written gold, kept beside the
checkout (../shared/corpus/dev in CI). Thresholds are floors under the figures measured when they
were set (`govkg eval ../shared/corpus/dev`), so a change that makes extraction worse fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo import PROJECT_ROOT

from govkg.loaders.evaluation import Evaluation, evaluate_paths

DEV_SET = PROJECT_ROOT.parent / "shared" / "corpus" / "dev"

# category -> (precision floor, recall floor); None: not checked. The floors are issue 10's targets
# (zones .93/.93, mechanisms P .75 R .85, organisations R .75, policies R .90, pairs R .75) or, where
# the issue sets none, just under the figures measured when they were set (parts 1.00/.61, adoptions
# .68/.53; precision of organisations .97, policies .96, pairs .96), so a change that makes extraction
# worse fails here.
FLOORS: dict[str, tuple[float | None, float | None]] = {
    "zones": (0.93, 0.93),
    "mechanisms": (0.75, 0.85),
    "parts": (0.90, 0.55),
    "organisations": (0.90, 0.75),
    "policies": (0.90, 0.90),
    "pairs": (0.90, 0.75),
    "adoptions": (0.60, 0.45),
}


@pytest.fixture(scope="module")
def dev_evaluation() -> Evaluation:
    if not DEV_SET.is_dir():
        pytest.skip(f"the development set is not beside the checkout ({DEV_SET}); CI lays it there")
    return evaluate_paths([DEV_SET])


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_dev_set_scores_stay_above_their_floors(dev_evaluation: Evaluation, category: str) -> None:
    score = dev_evaluation.totals[category]
    precision_floor, recall_floor = FLOORS[category]
    if precision_floor is not None:
        assert score.precision is not None and score.precision >= precision_floor, (category, score.to_dict(False))
    if recall_floor is not None:
        assert score.recall is not None and score.recall >= recall_floor, (category, score.to_dict(False))


def test_every_dev_text_is_scored(dev_evaluation: Evaluation) -> None:
    texts = sorted(p.name for p in Path(DEV_SET).glob("*.txt"))
    assert sorted(Path(d.document).name for d in dev_evaluation.documents) == texts
