"""Clustering metrics on toy clusterings with hand-computed values, and a small ECB+ run."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.evaluate.clustering import (
    _pub_date,
    adjusted_rand_index,
    b_cubed,
    ceaf_e,
    cluster_mentions,
    conll_f1,
    evaluate_clustering,
    lemma_baseline,
    max_assignment,
    muc,
)


def test_clustering_eval_b_cubed_known_values() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    pred = {"a": 1, "b": 2, "c": 2}
    s = b_cubed(gold, pred)
    assert s["p"] == pytest.approx(2 / 3) and s["r"] == pytest.approx(2 / 3)


def test_clustering_eval_muc_known_values() -> None:
    gold = {x: 0 for x in "abcd"}
    pred = {"a": 0, "b": 0, "c": 1, "d": 1}
    s = muc(gold, pred)
    assert s["r"] == pytest.approx(2 / 3) and s["p"] == 1.0
    assert s["f1"] == pytest.approx(0.8)


def test_clustering_eval_muc_singletons_score_nothing() -> None:
    gold = {"a": 0, "b": 1}
    assert muc(gold, gold)["f1"] == 0.0


def test_clustering_eval_ceaf_e_known_values() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    pred = {"a": 1, "b": 2, "c": 2}
    s = ceaf_e(gold, pred)
    assert s["p"] == pytest.approx(2 / 3) and s["r"] == pytest.approx(2 / 3)


def test_clustering_eval_hungarian_beats_greedy() -> None:
    assert max_assignment([[3, 2, 0], [2, 0, 0], [0, 0, 1]]) == pytest.approx(5)
    assert max_assignment([[1.0, 0.5]]) == pytest.approx(1.0)


def test_clustering_eval_perfect_and_ari() -> None:
    gold = {"a": 0, "b": 0, "c": 1, "d": 1}
    assert conll_f1(gold, gold)["conll_f1"] == pytest.approx(1.0)
    assert adjusted_rand_index(gold, gold) == pytest.approx(1.0)
    assert adjusted_rand_index(gold, {"a": 0, "b": 0, "c": 0, "d": 1}) == pytest.approx(0.0)


def test_clustering_eval_pub_date_free_text() -> None:
    assert str(_pub_date("December 15th, 2008, 7 : 35 am")) == "2008-12-15"
    assert _pub_date("no date here") is None


def _mention(mid: str, doc: str, lemma: str, ctx: list[str], sent: int = 0) -> dict:
    return {"mention_id": mid, "doc_id": doc, "sent_id": sent, "mention_head_lemma": lemma,
            "tokens_text": [lemma], "mention_context": ctx}


def test_clustering_eval_mentions_and_lemma_baseline() -> None:
    ms = [
        _mention("m1", "1_1ecb", "quake", "a strong quake struck the island".split()),
        _mention("m2", "1_2ecb", "quake", "the quake struck the island at dawn".split()),
        _mention("m3", "1_3ecb", "hire", "the team will hire a new coach".split()),
    ]
    pred = cluster_mentions(ms, lambda m: 0, 0.5)
    assert pred["m1"] == pred["m2"] != pred["m3"]
    base = lemma_baseline(ms, lambda m: 0)
    assert base["m1"] == base["m2"] != base["m3"]


@pytest.mark.slow
def test_clustering_eval_ecbplus_limited_run(eval_dir: Path) -> None:
    if not (eval_dir / "ecbplus" / "docs").is_dir():
        pytest.skip("ECB+ not present under ../shared/eval/ecbplus")
    r = evaluate_clustering(str(eval_dir), limit=3)
    assert r["protocol"]["tune_topics"] == "1-20"
    docs = r["documents"]["report"]
    assert docs["n_docs"] > 0 and 0.0 <= docs["f1"] <= 1.0
    rep = r["mentions"]["report"]
    assert set(rep) >= {"all_documents", "within_gold_topic", "lemma_baseline_all_documents"}
    for scores in rep.values():
        assert 0.0 < scores["conll_f1"] <= 1.0
    # blocking by predicted document clusters must not be worse than no blocking at all
    assert rep["lemma_baseline_predicted_doc_clusters"]["b3"]["p"] >= \
        rep["lemma_baseline_all_documents"]["b3"]["p"]
