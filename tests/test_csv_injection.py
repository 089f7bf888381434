"""No CSV the project writes lets a spreadsheet run a formula from loaded text (issue 11): a text
cell starting with = + - @, a tab or a carriage return gets a leading apostrophe; numbers stay."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from govkg.app.results import csv_bytes
from govkg.cli.output import to_csv
from govkg.graph.export import export_csv, spreadsheet_safe
from govkg.graph.model import GraphDocument

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_formula_starts_are_neutralised_and_plain_text_is_not() -> None:
    assert [spreadsheet_safe(h) for h in HOSTILE] == ["'" + h for h in HOSTILE]
    assert spreadsheet_safe("枫桥经验") == "枫桥经验"
    assert spreadsheet_safe("") == ""


def test_graph_export_neutralises_names(tmp_path: Path, small_graph: GraphDocument) -> None:
    small_graph.nodes[0].name = HOSTILE[0]
    export_csv(small_graph, tmp_path)
    with (tmp_path / "nodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert "'" + HOSTILE[0] in names and HOSTILE[0] not in names


def test_query_results_neutralise_text_but_keep_numbers() -> None:
    text = to_csv(["name", "n"], [[HOSTILE[3], -5], ["枫桥", 2.5]])
    rows = list(csv.reader(text.splitlines()))
    assert rows[1] == ["'" + HOSTILE[3], "-5"] and rows[2] == ["枫桥", "2.5"]
    frame = pd.DataFrame({"name": [HOSTILE[0], "枫桥"], "n": [-1, 3]})
    downloaded = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert downloaded[1].startswith("'=") and downloaded[1].endswith(",-1") and downloaded[2] == "枫桥,3"
