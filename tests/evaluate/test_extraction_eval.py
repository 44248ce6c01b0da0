"""Extraction eval on a few real benchmark pages (skips without ../shared/eval)."""

from __future__ import annotations

from collections import Counter

from rashomon.evaluate.extraction import evaluate_extraction, prf, tokens


def test_extraction_eval_token_scores_by_hand() -> None:
    p, r, f, overlap = prf(tokens("the cat sat the"), tokens("The cat, the dog"))
    assert overlap == 3 and p == 0.75 and r == 0.75 and f == 0.75
    assert prf(Counter(), Counter())[:3] == (1.0, 1.0, 1.0)
    assert prf(Counter(), tokens("gold"))[:3] == (0.0, 0.0, 0.0)


def test_extraction_eval_on_benchmark_pages(eval_dir) -> None:
    res = evaluate_extraction(str(eval_dir / "article-extraction"), limit=5)
    assert res["n"] == 5
    assert res["trafilatura_reference_f1"] == 0.958
    assert 0.85 <= res["f1"] <= 1.0
    assert 0.85 <= res["f1_micro"] <= 1.0
    assert res["empty"] == 0
