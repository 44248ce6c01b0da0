"""`eval stories`: the BASIL loader, the scores and the date baseline, on a made-up folder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rashomon.compare.grouping import ArticleText
from rashomon.evaluate.stories import basil_part, by_date, evaluate_stories, load_basil, pairwise

SHARED_BASIL = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "basil"


def _write(folder: Path, year: str, name: str, **fields: object) -> None:
    (folder / "articles" / year).mkdir(parents=True, exist_ok=True)
    (folder / "articles" / year / f"{name}.json").write_text(json.dumps(fields), encoding="utf-8")


@pytest.fixture()
def fake_basil(tmp_path: Path) -> Path:
    stories = {
        "t-dam": ("2019-03-04", "Kestrin Dam", "the Kestrin Dam on the Oru River failed near "
                  "Velmora; Governor Anika Dral said 14 were missing"),
        "t-ferry": ("2019-03-05", "Morning Tern", "the ferry Morning Tern sank off Port Halvik; "
                    "captain Jorin Vass said 52 were rescued"),
    }
    for uuid, (day, title, body) in stories.items():
        for n, outlet in enumerate(("a", "b", "c"), 1):
            _write(tmp_path, day[:4], f"{uuid}_{n}", title=f"{title} report {outlet}",
                   date=day, source=outlet, **{"triplet-uuid": uuid},
                   **{"body-paragraphs": [[f"Outlet {outlet} reports that {body}."],
                                          ["More follows."]]})
    return tmp_path


def test_loader_reads_title_body_date_and_gold(fake_basil: Path):
    rows = load_basil(fake_basil)
    assert len(rows) == 6
    art, gold = rows[0]
    assert gold in {"t-dam", "t-ferry"}
    assert art.published == date(2019, 3, 4) or art.published == date(2019, 3, 5)
    assert "More follows." in art.text and "\n\n" in art.text


def test_pairwise_scores():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert pairwise(gold, {"a": 0, "b": 0, "c": 1, "d": 1}) == {"p": 1.0, "r": 1.0, "f1": 1.0}
    everything = pairwise(gold, dict.fromkeys(gold, 0))
    assert everything["r"] == 1.0 and everything["p"] == pytest.approx(2 / 6, abs=1e-3)
    assert pairwise(gold, {k: k for k in gold})["f1"] == 0.0


def test_date_baseline_chains_within_a_day_and_leaves_undated_alone():
    arts = [ArticleText("a", "", "", date(2020, 1, 1)), ArticleText("b", "", "", date(2020, 1, 2)),
            ArticleText("c", "", "", date(2020, 1, 9)), ArticleText("d", "", "", None),
            ArticleText("e", "", "", None)]
    labels = by_date(arts)
    assert labels["a"] == labels["b"] != labels["c"]
    assert len({labels["d"], labels["e"], labels["a"], labels["c"]}) == 4


def test_split_is_stable_and_uses_both_parts():
    assert basil_part("t-dam") == basil_part("t-dam")
    assert {basil_part(f"story-{k}") for k in range(20)} == {"A", "B"}


def test_evaluate_on_made_up_folder(fake_basil: Path):
    result = evaluate_stories(str(fake_basil))
    assert result["articles"] == 6 and result["stories"] == 2
    parts = [v for k, v in result.items() if k.startswith("part_")]
    assert parts and sum(p["articles"] for p in parts) == 6
    for p in parts:
        assert p["dated"]["f1"] == 1.0 and p["undated"]["f1"] == 1.0


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_BASIL.is_dir(), reason="../shared/eval/basil is absent")
def test_basil_dev_holds_its_targets():
    result = evaluate_stories(str(SHARED_BASIL))
    for part in ("part_A", "part_B"):
        assert result[part]["dated"]["f1"] >= 0.95
        assert result[part]["undated"]["f1"] >= 0.80
