"""Adding a document changes only the corpus records it takes part in; reviews stay attached."""

from __future__ import annotations

import pytest

from rashomon import pipeline
from rashomon.demo import corpus_dir
from rashomon.ingest.pipeline import ingest
from rashomon.profiles import load_profile
from rashomon.store import Store


def _contradictions(store: Store) -> dict[str, dict]:
    keys = dict(store.conn.execute("SELECT id, review_key FROM contradictions").fetchall())
    return {keys[r["id"]]: r for r in store.records("contradictions")}


@pytest.mark.slow
def test_adding_a_document_keeps_unrelated_records_and_every_review(tmp_path):
    prof = load_profile("demo")
    files = sorted(p for p in corpus_dir().iterdir() if p.name != "manifest.yaml")
    manifest = str(corpus_dir() / "manifest.yaml")
    held = next(f for f in files if "checkpoint" in f.name)  # a near-copy of another article
    with Store(tmp_path / "w.db") as s:
        ingest(s, [str(f) for f in files if f != held], manifest=manifest)
        pipeline.analyze(s, prof)
        before = _contradictions(s)
        stories_before = {r["id"]: r for r in s.records("stories")}
        framing_before = {r["id"]: r for r in s.records("framing")}
        assert before
        for c in before.values():
            s.set_contradiction_status(c["id"], "confirmed", "reviewed before the addition")
        known = set(s.document_ids())
        ingest(s, [str(held)], manifest=manifest)
        new = set(s.document_ids()) - known
        assert len(new) == 1
        pipeline.analyze(s, prof)
        after = _contradictions(s)
        stories_after = {r["id"]: r for r in s.records("stories")}
        framing_after = {r["id"]: r for r in s.records("framing")}
        orphans = s.review_orphans()
        new_sides = {prof.side_of(s.get_document(d)) for d in new}

    for key, c in before.items():
        assert key in after, f"contradiction {c['id']} between earlier documents was evicted"
        assert after[key]["status"] == "confirmed"
        same = {k: v for k, v in c.items() if k not in ("status", "story_id", "attrs")}
        assert {k: after[key][k] for k in same} == same
    assert orphans == []
    assert any({c["a"]["doc_id"], c["b"]["doc_id"]} & new for c in after.values())
    # a story that changed is one the new document now takes part in
    story_of_event = {e: sid for sid, st in stories_after.items() for e in st["event_ids"]}
    for sid, st in stories_before.items():
        if stories_after.get(sid) == st:
            continue
        now = {story_of_event.get(e) for e in st["event_ids"]} - {None}
        assert any(set(stories_after[n]["doc_ids"]) & new for n in now), st["title"]
    # counted framing rows (loaded terms, toponyms) change only where the new document counts;
    # "distinctive" rows rank a side's own words against a fixed background, so only the
    # new document's side may move: every other side's rows stay byte-identical
    others = [r for r in framing_before.values()
              if r["kind"] == "distinctive" and r["side"] not in new_sides]
    assert others, "the check needs distinctive rows of a side the new document is not on"
    for row in others:
        assert framing_after.get(row["id"]) == row, row["term"]
    assert {r["id"] for r in framing_after.values() if r["kind"] == "distinctive"
            and r["side"] not in new_sides} == {r["id"] for r in others}
    for fid, row in framing_before.items():
        if row["kind"] != "distinctive" and framing_after.get(fid) != row:
            assert set(framing_after[fid]["doc_ids"]) & new, row["term"]
