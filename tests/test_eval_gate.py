"""Eval gate: cheap runs of every evaluation must stay at or above their committed floors.

Each ``rashomon eval`` has a small fixed sample here (the first pages, texts,
records or topics of the ``../shared/eval`` dev data), scored through the
``rashomon.evaluate`` modules exactly as the command scores the full sets.
``tests/eval_baseline.json`` pins what those samples scored when the baseline
was written: a figure that drops more than ``tolerance`` below its floor (or
rises above a ceiling, for error rates) fails the test, so a quality
regression fails CI even when every unit test still passes.  The sample sizes
are pinned too: floors measured on another sample would mean nothing.

When quality improves, raise the floors on purpose:
``PYTHONPATH=src python tests/test_eval_gate.py --update`` reruns the samples
and rewrites the baseline (review the diff before committing it).
The whole gate takes about 20 s; it skips with a reason without ../shared/eval.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASELINE = Path(__file__).with_name("eval_baseline.json")
EVAL = ROOT.parent / "shared" / "eval"


def _extraction(data: Path, sample: dict[str, Any]) -> dict[str, Any]:
    from rashomon.evaluate.extraction import evaluate_extraction

    return evaluate_extraction(str(data / "article-extraction"), **sample)


def _quotes(data: Path, sample: dict[str, Any]) -> dict[str, Any]:
    from rashomon.evaluate.quotes import evaluate_quotes

    return evaluate_quotes(str(data / "polnear" / "dev"), **sample)


def _events(data: Path, sample: dict[str, Any]) -> dict[str, Any]:
    from rashomon.evaluate.events import evaluate_events

    # the records' own "dev" half only; the "test" half stays held out of the gate
    return evaluate_events(str(data / "plover" / "PLOVER_GSR_CAMEO.txt"), **sample)["dev"]


def _clustering(data: Path, sample: dict[str, Any]) -> dict[str, Any]:
    from rashomon.evaluate.clustering import evaluate_clustering

    return evaluate_clustering(str(data / "ecbplus"), **sample)


def _stories(data: Path, sample: dict[str, Any]) -> dict[str, Any]:
    from rashomon.evaluate.stories import evaluate_stories

    return evaluate_stories(str(data / "basil"), **sample)


def _acled(data: Path, sample: dict[str, Any]) -> dict[str, Any]:
    from rashomon.evaluate.acled import evaluate_acled

    return evaluate_acled(str(data / "case21" / "dev.tsv"), **sample)


RUNS: dict[str, Callable[[Path, dict[str, Any]], dict[str, Any]]] = {
    "extraction": _extraction, "quotes": _quotes, "events": _events, "clustering": _clustering,
    "stories": _stories, "acled": _acled,
}


def figure(result: dict[str, Any], path: str) -> Any:
    """A figure by dotted path, e.g. ``mentions.report.all_documents.conll_f1``."""
    value: Any = result
    for key in path.split("."):
        value = value[key]
    return value


def regressions(result: dict[str, Any], pins: dict[str, Any], tolerance: float) -> list[str]:
    """Every pinned figure that fell below its floor, rose above its ceiling, or whose
    sample size changed; empty when the run holds the line."""
    bad = []
    for path, want in pins.get("sizes", {}).items():
        if figure(result, path) != want:
            bad.append(f"{path}: sample size {figure(result, path)}, baseline {want}")
    for path, floor in pins.get("floors", {}).items():
        got = figure(result, path)
        if got is None or got < floor - tolerance:
            bad.append(f"{path}: {got} < floor {floor} (tolerance {tolerance})")
    for path, ceiling in pins.get("ceilings", {}).items():
        got = figure(result, path)
        if got is None or got > ceiling + tolerance * max(1.0, abs(ceiling)):
            bad.append(f"{path}: {got} > ceiling {ceiling}")
    return bad


def _baseline() -> dict[str, Any]:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_eval_gate_covers_every_eval_command() -> None:
    # a new `rashomon eval X` without a floor here fails, so none goes ungated
    from rashomon.cli import main

    commands = set(main.commands["eval"].commands)  # type: ignore[attr-defined]
    assert commands == set(_baseline()["evals"]) == set(RUNS)


def test_eval_gate_catches_a_regression() -> None:
    pins = {"sizes": {"n": 3}, "floors": {"f1": 0.8, "deep.score": 0.5},
            "ceilings": {"errors": 10.0}}
    ok = {"n": 3, "f1": 0.797, "deep": {"score": 0.6}, "errors": 10.0}
    assert regressions(ok, pins, 0.005) == []
    worse = {"n": 3, "f1": 0.79, "deep": {"score": None}, "errors": 12.0}
    assert len(regressions(worse, pins, 0.005)) == 3
    assert regressions({**ok, "n": 4}, pins, 0.005) == ["n: sample size 4, baseline 3"]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_eval_gate(name: str, eval_dir: Path) -> None:
    base = _baseline()
    pins = base["evals"][name]
    result = RUNS[name](eval_dir, pins["sample"])
    bad = regressions(result, pins, base["tolerance"])
    assert not bad, f"eval {name} regressed on its gate sample:\n  " + "\n  ".join(bad)


def update(data: Path = EVAL) -> None:
    """Rerun every sample and write its current figures as the new floors and ceilings."""
    base = _baseline()
    for name, pins in base["evals"].items():
        result = RUNS[name](data, pins["sample"])
        for kind in ("sizes", "floors", "ceilings"):
            pins[kind] = {p: figure(result, p) for p in pins.get(kind, {})}
        print(name, json.dumps(pins))
    BASELINE.write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python tests/test_eval_gate.py --update")
    update()
