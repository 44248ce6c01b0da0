"""Contradiction detection over claim slots (no NLP needed)."""

from __future__ import annotations

from rashomon.compare.contradictions import find_contradictions
from rashomon.compare.detectors import LexicalDetector, Scope


def _claim(cid, doc, kind, slots, start=0, speaker=None, outlet="Outlet", side="a", event_id=None):
    return {"id": cid, "doc_id": doc, "start": start, "end": start + 40, "text": f"text of {cid}",
            "kind": kind, "slots": slots, "speaker": speaker, "outlet": outlet, "side": side,
            "event_id": event_id}


def _qual(cid, doc, pair, pole, term, about=None, obj=None, side="a", start=0):
    return _claim(cid, doc, "qualification",
                  {"pair": pair, "pole": pole, "qualifier": term, "term": term, "about": about,
                   "object": obj, "entities": []}, side=side, start=start)


KINDS = {"legality": {"name": "legality", "kind": "opposite_legal_qualification"},
         "voluntariness": {"name": "voluntariness", "kind": "voluntary_vs_forced"}}


def test_contradictions_opposite_legal_qualification_same_object():
    claims = [_qual("c1", "d1", "legality", "a", "illegal", obj="checkpoint"),
              _qual("c2", "d2", "legality", "b", "lawful", obj="checkpoint", side="b")]
    out = find_contradictions(claims, [], [LexicalDetector()], KINDS)
    assert len(out) == 1
    c = out[0]
    assert c.kind == "opposite_legal_qualification"
    assert {c.a["doc_id"], c.b["doc_id"]} == {"d1", "d2"}
    assert c.status == "new" and 0 < c.confidence <= 1
    assert c.a["text"] and c.b["text"]


def test_contradictions_same_pole_is_agreement_not_contradiction():
    claims = [_qual("c1", "d1", "legality", "a", "illegal", obj="checkpoint"),
              _qual("c2", "d2", "legality", "a", "unlawful", obj="checkpoint")]
    assert find_contradictions(claims, [], [LexicalDetector()], KINDS) == []


def test_contradictions_different_objects_without_story_are_not_compared():
    claims = [_qual("c1", "d1", "legality", "a", "illegal", obj="checkpoint"),
              _qual("c2", "d2", "legality", "b", "legitimate", obj="target")]
    assert find_contradictions(claims, [], [LexicalDetector()], KINDS) == []


def test_contradictions_voluntary_vs_forced_via_about_terms():
    claims = [_qual("c1", "d1", "voluntariness", "a", "ethnic cleansing", about="exodus"),
              _qual("c2", "d2", "voluntariness", "b", "own choice", about="leave")]
    out = find_contradictions(claims, [], [LexicalDetector()], KINDS)
    assert [c.kind for c in out] == ["voluntary_vs_forced"]


def test_contradictions_date_mismatch_near_dates_only():
    def dated(cid, doc, d, gran, d_end=None):
        return _claim(cid, doc, "date", {"date": d, "date_end": d_end or d, "granularity": gran,
                                          "decision": "order", "entities": ["court"],
                                          "timex": d})
    claims = [dated("c1", "d1", "2023-01-01", "month", "2023-01-31"),
              dated("c2", "d2", "2023-02-22", "day"),
              dated("c3", "d3", "2023-02-22", "day"),
              dated("c4", "d4", "2021-12-07", "day")]
    out = find_contradictions(claims, [], [LexicalDetector()], KINDS)
    pairs = {frozenset((c.a["claim_id"], c.b["claim_id"])) for c in out}
    assert pairs == {frozenset(("c1", "c2")), frozenset(("c1", "c3"))}
    assert all(c.kind == "date_mismatch" for c in out)


def test_contradictions_number_mismatch_respects_tolerance_and_approximation():
    def num(cid, doc, v, approx=False):
        return _claim(cid, doc, "number", {"value": v, "surface": str(v), "unit": "people",
                                            "entities": ["town"], "approx": approx})
    det = LexicalDetector()
    scope = Scope(key=("num", "people", "town"))
    assert det.detect(num("a", "d1", 12000), num("b", "d2", 3000), scope)
    assert not det.detect(num("a", "d1", 12000), num("b", "d2", 11500), scope)
    assert not det.detect(num("a", "d1", 12000, True), num("b", "d2", 9000), scope)


def test_contradictions_same_speaker_same_doc_is_skipped():
    sp = {"name": "Minister", "entity_id": "min"}
    a = _qual("c1", "d1", "legality", "a", "illegal", obj="checkpoint")
    b = _qual("c2", "d1", "legality", "b", "lawful", obj="checkpoint", start=100)
    a["speaker"] = b["speaker"] = sp
    assert find_contradictions([a, b], [], [LexicalDetector()], KINDS) == []


def test_contradictions_in_one_document_between_two_speakers():
    a = _qual("c1", "d1", "force", "a", "shot dead", obj="man", start=100)
    b = _qual("c2", "d1", "force", "b", "self-defense", obj="man", start=600)
    a["speaker"] = {"name": "Prosecutor's Office", "entity_id": "pros"}
    b["speaker"] = {"name": "Defence Ministry", "entity_id": "mod"}
    out = find_contradictions([a, b], [], [LexicalDetector()], {"force": {"kind": "incompatible_account"}})
    assert [c.kind for c in out] == ["incompatible_account"]
    assert {out[0].a["speaker"], out[0].b["speaker"]} == {"Prosecutor's Office", "Defence Ministry"}


def test_contradictions_negation_within_a_story():
    def act(cid, doc, pol):
        return _claim(cid, doc, "action", {"action": "ASSAULT", "polarity": pol,
                                            "trigger": "fire"}, event_id=f"e{cid}")
    stories = [{"id": "s1", "event_ids": ["ec1", "ec2"]}]
    out = find_contradictions([act("c1", "d1", "positive"), act("c2", "d2", "negative")],
                              stories, [LexicalDetector()], KINDS)
    assert [(c.kind, c.story_id) for c in out] == [("negation", "s1")]


def test_contradictions_ids_are_deterministic_and_order_free():
    claims = [_qual("c1", "d1", "legality", "a", "illegal", obj="checkpoint"),
              _qual("c2", "d2", "legality", "b", "lawful", obj="checkpoint")]
    one = find_contradictions(claims, [], [LexicalDetector()], KINDS)
    two = find_contradictions(list(reversed(claims)), [], [LexicalDetector()], KINDS)
    assert [c.to_dict() for c in one] == [c.to_dict() for c in two]


def test_contradictions_one_per_sentence_pair_and_mixed_sentences_skipped():
    a1 = _qual("c1", "d1", "legality", "a", "illegal", obj="checkpoint")
    a2 = _qual("c1b", "d1", "legality", "a", "unlawful", obj="checkpoint")  # same sentence
    b = _qual("c2", "d2", "legality", "b", "lawful", obj="checkpoint")
    out = find_contradictions([a1, a2, b], [], [LexicalDetector()], KINDS)
    assert len(out) == 1
    b["slots"]["mixed"] = True
    assert find_contradictions([a1, b], [], [LexicalDetector()], KINDS) == []


def test_contradictions_story_scoped_pairs_need_a_shared_story():
    pairs = {"target": {"name": "target", "kind": "incompatible_account", "scope": "story"}}
    a = _qual("c1", "d1", "target", "a", "civilians", obj="civilian")
    b = _qual("c2", "d2", "target", "b", "military targets", obj="civilian", start=3000)
    assert find_contradictions([a, b], [], [LexicalDetector()], pairs) == []
    a["event_id"], b["event_id"] = "e1", "e2"
    stories = [{"id": "s1", "event_ids": ["e1", "e2"]}]
    out = find_contradictions([a, b], stories, [LexicalDetector()], pairs)
    assert [(c.kind, c.story_id) for c in out] == [("incompatible_account", "s1")]


def test_contradictions_story_scoped_pair_in_one_passage_between_two_voices():
    pairs = {"force": {"name": "force", "kind": "incompatible_account", "scope": "story"}}
    a = _qual("c1", "d1", "force", "a", "captured", obj="man", start=100)
    b = _qual("c2", "d1", "force", "b", "self-defense", obj="serviceman", start=500)
    a["speaker"] = {"name": "Prosecutor", "entity_id": "pros"}
    b["speaker"] = {"name": "Ministry", "entity_id": "mod"}
    out = find_contradictions([a, b], [], [LexicalDetector()], pairs)
    assert [c.kind for c in out] == ["incompatible_account"]
    b["doc_id"] = "d2"  # in another document, without a shared story, no comparison
    assert find_contradictions([a, b], [], [LexicalDetector()], pairs) == []


class _UnprunedLexical(LexicalDetector):
    """Same rules; not the exact built-in type, so every candidate pair is judged."""


def _random_claims(rng, n_docs: int = 6, per_doc: int = 12) -> list[dict]:
    """Claims of every kind with colliding slots, some sharing sentences and stories."""
    out = []
    for d in range(n_docs):
        for k in range(per_doc):
            kind = rng.choice(["qualification", "date", "number", "action", "other"])
            start = rng.choice([0, 100, 900, 1600, 2400]) + 10 * rng.randrange(3)
            if kind == "qualification":
                slots = {"pair": rng.choice(["legality", "voluntariness"]),
                         "pole": rng.choice("ab"), "qualifier": "q", "negated": rng.random() < .2,
                         "about": rng.choice([None, "exodus"]),
                         "object": rng.choice([None, "checkpoint", "road"]),
                         "entities": rng.sample(["e1", "e2", "e3"], 2)}
            elif kind == "date":
                day = rng.choice(["2023-01-05", "2023-02-01", "2023-02-03", "2022-11-30"])
                slots = {"date": day, "date_end": day, "granularity": "day",
                         "decision": rng.choice(["order", "judicial"]), "entities": ["court"],
                         "timex": day}
            elif kind == "number":
                slots = {"value": rng.choice([10, 12, 30, 100]), "unit": rng.choice(["killed",
                                                                                      "people"]),
                         "surface": "n", "approx": rng.random() < .3, "entities": ["e1"]}
            elif kind == "action":
                slots = {"action": rng.choice(["fire", "block"]), "trigger": "t",
                         "polarity": rng.choice(["positive", "negative", None])}
            else:
                slots = {}
            speaker = rng.choice([None, {"name": "Spokesman", "entity_id": None},
                                  {"name": "Minister", "entity_id": "p1"}])
            ev = f"ev{rng.randrange(8)}" if rng.random() < 0.7 else None
            out.append(_claim(f"c{d}_{k}", f"d{d}", kind, slots, start=start, speaker=speaker,
                              side=rng.choice("ab"), event_id=ev))
    return out


def test_contradictions_pruned_pairs_give_identical_output():
    import random

    kinds = {**KINDS, "voluntariness": {**KINDS["voluntariness"], "scope": "story"}}
    for seed in range(6):
        rng = random.Random(seed)
        claims = _random_claims(rng)
        stories = [{"id": f"s{i}", "event_ids": [f"ev{2 * i}", f"ev{2 * i + 1}"]}
                   for i in range(4)]
        fast = find_contradictions(claims, stories, [LexicalDetector()], kinds)
        full = find_contradictions(claims, stories, [_UnprunedLexical()], kinds)
        assert fast, "the random corpus should hold some contradictions"
        assert [c.to_dict() for c in fast] == [c.to_dict() for c in full]


def test_contradictions_records_do_not_share_evidence_dicts():
    claims = [_qual("c1", "d1", "legality", "a", "illegal", obj="checkpoint"),
              _qual("c2", "d2", "legality", "b", "lawful", obj="checkpoint", side="b"),
              _qual("c3", "d3", "legality", "b", "legal", obj="checkpoint", side="b")]
    out = find_contradictions(claims, [], [LexicalDetector()], KINDS)
    assert len(out) == 2
    sides = [c.a if c.a["claim_id"] == "c1" else c.b for c in out]
    assert [s["claim_id"] for s in sides] == ["c1", "c1"]
    sides[0]["slots"]["pole"] = "changed"
    assert sides[1]["slots"]["pole"] == "a"
    assert claims[0]["slots"]["pole"] == "a"
