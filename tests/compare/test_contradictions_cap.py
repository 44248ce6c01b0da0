"""The per-group cap: adding a document never evicts contradictions between other documents."""

from __future__ import annotations

from rashomon.compare.contradictions import MAX_GROUP, find_contradictions
from rashomon.compare.detectors import LexicalDetector

KINDS = {"legality": {"name": "legality", "kind": "opposite_legal_qualification"}}


def _qual(i: int, doc: str, pole: str) -> dict:
    return {"id": f"c{i:04d}", "doc_id": doc, "start": 0, "end": 40, "text": f"text {i}",
            "kind": "qualification", "speaker": None, "outlet": f"O{doc}", "side": pole,
            "event_id": None,
            "slots": {"pair": "legality", "pole": pole, "qualifier": "illegal" if pole == "a"
                      else "lawful", "term": "x", "about": None, "object": "checkpoint",
                      "entities": []}}


def _group(n: int) -> tuple[list[dict], dict[str, int]]:
    """``n`` claims about one object, alternating poles, one document each, stored in order."""
    claims = [_qual(i + 100, f"d{i + 100:04d}", "a" if i % 2 else "b") for i in range(n)]
    return claims, {c["doc_id"]: rank for rank, c in enumerate(claims)}


def _keyed(found) -> dict[str, tuple]:
    return {c.id: (c.kind, c.a["doc_id"], c.b["doc_id"], c.confidence) for c in found}


def test_cap_keeps_earlier_documents_when_a_document_is_added():
    claims, order = _group(MAX_GROUP + 10)
    before = _keyed(find_contradictions(claims, [], [LexicalDetector()], KINDS, doc_order=order))
    assert before
    # the new document's claim has the smallest id and doc id: a cap by id would take it first
    new = _qual(1, "d0001", "a")
    order_after = {**order, "d0001": len(order)}
    after = _keyed(find_contradictions(claims + [new], [], [LexicalDetector()], KINDS,
                                       doc_order=order_after))
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    unrelated = {k for k in changed if "d0001" not in (after.get(k) or before[k])[1:3]}
    assert unrelated == set()
    assert set(before) <= set(after)


def test_cap_is_deterministic_and_bounds_the_group():
    claims, order = _group(MAX_GROUP + 40)
    one = _keyed(find_contradictions(claims, [], [LexicalDetector()], KINDS, doc_order=order))
    two = _keyed(find_contradictions(list(reversed(claims)), [], [LexicalDetector()], KINDS,
                                     doc_order=order))
    assert one == two
    docs = {d for v in one.values() for d in v[1:3]}
    # only the first MAX_GROUP stored documents are compared in this group
    assert docs <= {c["doc_id"] for c in claims[:MAX_GROUP]}
    assert len(docs) == MAX_GROUP


def test_small_groups_are_unaffected_by_storage_order():
    claims, order = _group(20)
    reverse = {d: len(order) - r for d, r in order.items()}
    assert _keyed(find_contradictions(claims, [], [LexicalDetector()], KINDS, doc_order=order)) \
        == _keyed(find_contradictions(claims, [], [LexicalDetector()], KINDS, doc_order=reverse))
