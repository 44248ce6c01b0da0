"""`rashomon remove`: documents go with everything derived from them; the removal is audited."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rashomon import layers, pipeline
from rashomon.cli import main
from rashomon.layers import LayerSpec
from rashomon.model import Contradiction, Document, Entity, Mention, Story, stable_id
from rashomon.profiles import load_profile
from rashomon.store import Store, StoreError


def _doc(i: int, text: str, duplicate_of: str | None = None) -> Document:
    return Document(id=f"d{i}", source=f"s{i}.txt", text=text, title=f"T{i}",
                    duplicate_of=duplicate_of)


def _mention(doc: str, entity: str) -> Mention:
    return Mention(id=stable_id(doc, entity), doc_id=doc, start=0, end=4, entity_id=entity,
                   surface="Word")


def _fill(store: Store) -> None:
    store.put_document(_doc(1, "The bridge at Tollen was closed on Monday."))
    store.put_document(_doc(2, "A court ruled on the mine in Brask."))
    store.put_document(_doc(3, "The bridge at Tollen was closed on Monday.", duplicate_of="d1"))
    store.put_document(_doc(4, "The bridge at Tollen was closed on Monday.", duplicate_of="d1"))
    store.add_near_duplicate("d1", "d3", 1.0, "same-body")
    store.add_near_duplicate("d2", "d1", 0.6, "near-duplicate")
    store.put_entities([Entity(id="ner:place:tollen", kind="place", name="Tollen", origin="ner"),
                        Entity(id="ner:place:brask", kind="place", name="Brask", origin="ner"),
                        Entity(id="p:court", kind="org", name="Court", origin="profile")])
    for d, e in (("d1", "ner:place:tollen"), ("d2", "ner:place:brask")):
        store.replace_doc_records("entities", "v1", f"fp-{d}", d, {"mentions": [_mention(d, e)]})
    store.record_input("folder", "s1.txt", "ok", "d1")


def test_remove_takes_out_everything_derived(fresh_db):
    _fill(fresh_db)
    out = fresh_db.remove_documents(["d1"], reason="copyright request")
    assert out[0]["id"] == "d1" and out[0]["promoted"] == "d3"
    assert not fresh_db.has_document("d1")
    assert fresh_db.records("mentions", "d1") == []
    assert fresh_db.layer_fingerprint("entities", "d1") is None
    assert fresh_db.near_duplicates() == []
    assert {h["doc_id"] for h in fresh_db.search("Tollen")} == {"d3", "d4"}
    ents = {e["id"] for e in fresh_db.records("entities")}
    assert ents == {"ner:place:brask", "p:court"}  # profile entities stay; unmentioned ones go
    # the first copy is now the original (analysed next time), the other points to it
    assert fresh_db.get_document("d3").duplicate_of is None
    assert fresh_db.get_document("d4").duplicate_of == "d3"
    assert "d3" in fresh_db.document_ids(include_duplicates=False)
    # the other document is untouched
    assert len(fresh_db.records("mentions", "d2")) == 1
    audit = fresh_db.removals()
    assert [(a["doc_id"], a["reason"]) for a in audit] == [("d1", "copyright request")]
    assert audit[0]["derived"]["mentions"] == 1 and audit[0]["derived"]["search_index"] == 1
    assert fresh_db.conn.execute("SELECT status FROM inputs WHERE doc_id='d1'").fetchone()[0] \
        == "removed"
    assert fresh_db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(StoreError, match="no document"):
        fresh_db.remove_documents(["d1"])


def story_layer(ctx):
    docs = sorted({m["doc_id"] for m in ctx.store.records("mentions")})
    ctx.store.replace_corpus_records("stories", [Story(id="s", title="all", date=None,
                                                       doc_ids=docs)])


def pair_layer(ctx):
    """One contradiction per pair of documents with mentions (enough to follow reviews)."""
    ms = sorted(ctx.store.records("mentions"), key=lambda m: m["doc_id"])
    side = lambda m: {"doc_id": m["doc_id"], "start": m["start"], "end": m["end"],  # noqa: E731
                      "text": m["surface"]}
    ctx.store.replace_corpus_records("contradictions", [
        Contradiction(id=stable_id(a["id"], b["id"]), kind="k", story_id=None, confidence=0.5,
                      a=side(a), b=side(b)) for i, a in enumerate(ms) for b in ms[i + 1:]])


def test_pipeline_remove_recomputes_corpus_layers(fresh_db, monkeypatch):
    monkeypatch.setattr(layers, "LAYERS", [
        LayerSpec("stories", "v1", "corpus", f"{__name__}:story_layer", produces=("stories",)),
        LayerSpec("contradictions", "v1", "corpus", f"{__name__}:pair_layer",
                  produces=("contradictions",)),
    ])
    _fill(fresh_db)
    pipeline.run_corpus_layers(fresh_db, load_profile("demo"))
    assert fresh_db.records("stories")[0]["doc_ids"] == ["d1", "d2"]
    [pair] = fresh_db.records("contradictions")
    fresh_db.set_contradiction_status(pair["id"], "confirmed", "seen in both")
    res = pipeline.remove_documents(fresh_db, ["d2", "nothing-like-this"], load_profile("demo"))
    assert [r["id"] for r in res["removed"]] == ["d2"]
    assert res["errors"] == ["error: nothing-like-this: no document matches 'nothing-like-this'"]
    assert res["corpus_recomputed"]
    assert fresh_db.records("stories")[0]["doc_ids"] == ["d1"]
    # the contradiction stood on the removed document: it is gone, its review is kept
    assert fresh_db.records("contradictions") == []
    [orphan] = fresh_db.review_orphans()
    assert (orphan["record_id"], orphan["note"]) == (pair["id"], "seen in both")
    assert {orphan["snapshot"]["a"]["doc_id"], orphan["snapshot"]["b"]["doc_id"]} == {"d1", "d2"}


def test_cli_remove(tmp_path, monkeypatch):
    monkeypatch.setattr(layers, "LAYERS", [
        LayerSpec("stories", "v1", "corpus", f"{__name__}:story_layer", produces=("stories",)),
    ])
    db = str(tmp_path / "w.db")
    with Store(db) as s:
        _fill(s)
    run = CliRunner().invoke
    res = run(main, ["remove", "s2.txt", "--profile", "demo", "--db", db, "--json",
                     "--reason", "test"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [r["id"] for r in data["removed"]] == ["d2"] and data["corpus_recomputed"]
    res = run(main, ["remove", "d1", "zzz", "--profile", "demo", "--db", db])
    assert res.exit_code == 1
    assert "removed d1 (s1.txt)" in res.output and "error: zzz:" in res.output
    assert "now the original" in res.output
    res = run(main, ["remove", "--help"])
    assert res.exit_code == 0 and "--json" in res.output
    with Store(db) as s:
        assert [a["doc_id"] for a in s.removals()] == ["d2", "d1"]
        assert s.records("stories")[0]["doc_ids"] == []
