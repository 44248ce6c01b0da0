"""ACLED evaluation harness: split, scoring, baseline and a run on a made-up TSV."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from rashomon.evaluate.acled import baseline, evaluate_acled, load_rows, score, split_of

ROWS = [
    ("1", "Warplanes bombed the village of Amberley, killing three people.", "AIR_STRIKE"),
    ("2", "Police fired tear gas to disperse protesters outside the court.", "PROTEST_WITH_INTER"),
    ("3", "Thousands of demonstrators marched peacefully through the city.", "PEACE_PROTEST"),
    ("4", "The foreign ministry expelled two diplomats over the dispute.", "DIPLO"),
    ("5", "A strong earthquake struck the coastal region on Monday.", "NATURAL_DISASTER"),
    ("6", "Police seized rifles and ammunition during a search of the house.", "DISR_WEAP"),
]


def _tsv(tmp_path, rows=ROWS, extra=""):
    path = tmp_path / "dev.tsv"
    lines = ["id\tEventSnippet\tSubType"] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_split_is_deterministic_and_balanced():
    halves = [split_of(str(i)) for i in range(600)]
    assert halves == [split_of(str(i)) for i in range(600)]
    assert 240 < halves.count("tune") < 360


def test_score_counts_untyped_against_recall():
    res = score(["AIR_STRIKE", "AIR_STRIKE", "DIPLO"], ["AIR_STRIKE", None, "AIR_STRIKE"])
    air = res["per_class"]["AIR_STRIKE"]
    assert air["p"] == 0.5 and air["r"] == 0.5 and air["n"] == 2
    assert res["coverage"] == round(2 / 3, 3)
    assert res["macro_f1_acled25"] == 0.5  # only AIR_STRIKE of the ACLED classes is present
    assert res["accuracy"] == round(1 / 3, 3)


def test_baseline_first_match_wins():
    assert baseline("A grenade and a rocket hit the post.") == "GRENADE"
    assert baseline("Nothing of note happened.") is None


def test_bad_rows_are_reported_and_skipped(tmp_path, capsys):
    path = _tsv(tmp_path, extra="7\t\tAIR_STRIKE\n")
    rows = load_rows(str(path))
    assert len(rows) == len(ROWS)
    assert "error:" in capsys.readouterr().err


def test_evaluate_on_made_up_file(tmp_path):
    res = evaluate_acled(str(_tsv(tmp_path)))
    assert res["heldout_typer_n"] + res["tune_typer_n"] == len(ROWS)
    for half in ("heldout", "tune"):
        if res[f"{half}_typer_n"]:
            assert res[f"{half}_typer_accuracy"] == 1.0
            assert res[f"{half}_typer_coverage"] == 1.0
    assert res["heldout_typer_per_class"] or res["tune_typer_per_class"]


def test_cli_eval_acled_json(tmp_path):
    path = _tsv(tmp_path)
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-m", "rashomon.cli", "eval", "acled", "--data",
                          str(path), "--json"], capture_output=True, text=True, env=env,
                         timeout=300, check=True)
    data = json.loads(out.stdout)
    assert data["heldout_typer_n"] + data["tune_typer_n"] == len(ROWS)
