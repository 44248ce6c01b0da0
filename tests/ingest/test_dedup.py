"""Near-duplicate index: exact copies score 1.0, edited copies high, others absent."""

from __future__ import annotations

import random

from rashomon.ingest.dedup import NearDupIndex


def _article(seed: int, n: int = 250) -> str:
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(2000)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def test_dedup_identical_normalised_text_scores_one() -> None:
    ix = NearDupIndex()
    text = _article(1)
    ix.add("a", text)
    assert ix.query(text) == [("a", 1.0)]
    assert ix.query("  " + text.upper().replace(" ", " ,\n ") + "!") == [("a", 1.0)]


def test_dedup_edited_copy_is_near_but_below_one() -> None:
    ix = NearDupIndex()
    text = _article(2)
    ix.add("a", text)
    words = text.split()
    words[120] = "changed"
    hits = ix.query(" ".join(words) + " extra closing line")
    assert [h[0] for h in hits] == ["a"]
    assert 0.8 <= hits[0][1] < 1.0


def test_dedup_unrelated_text_is_not_reported() -> None:
    ix = NearDupIndex()
    for i in range(50):
        ix.add(f"d{i}", _article(100 + i))
    assert ix.query(_article(999)) == []
    assert ix.query("") == []


def test_dedup_short_texts_and_threshold() -> None:
    ix = NearDupIndex(threshold=0.5)
    ix.add("s", "Short note.")
    assert ix.query("short NOTE") == [("s", 1.0)]
    ix.add("s", "ignored second add with same id")
    assert len(ix) == 1


def test_dedup_many_documents_results_sorted() -> None:
    ix = NearDupIndex()
    base = _article(7).split()
    for i in range(5):
        w = list(base)
        for j in range(i):
            w[10 + 40 * j] = f"edit{j}"
        ix.add(f"v{i}", " ".join(w))
    hits = ix.query(" ".join(base))
    assert hits[0] == ("v0", 1.0)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
