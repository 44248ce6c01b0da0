"""The layer runner: order, staleness, per-document failure isolation, corpus layers."""

from __future__ import annotations

import pytest

from rashomon import layers, pipeline
from rashomon.layers import LayerSpec
from rashomon.model import Document, Mention, Story, stable_id
from rashomon.profiles import load_profile

CALLS: list[str] = []


def upper_layer(ctx):
    CALLS.append(ctx.doc.id)
    if "BOOM" in ctx.doc.text:
        raise ValueError("cannot handle this document")
    first = ctx.doc.text.split()[0]
    return {"mentions": [Mention(id=stable_id(ctx.doc.id, 0), doc_id=ctx.doc.id, start=0,
                                 end=len(first), entity_id="first-word", surface=first)]}


def story_layer(ctx):
    docs = sorted({m["doc_id"] for m in ctx.store.records("mentions")})
    ctx.store.replace_corpus_records("stories", [Story(id="s", title="all", date=None,
                                                       doc_ids=docs)])


@pytest.fixture
def fake_layers(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(layers, "LAYERS", [
        LayerSpec("upper", "v1", "document", f"{__name__}:upper_layer", produces=("mentions",)),
        LayerSpec("stories", "v1", "corpus", f"{__name__}:story_layer"),
        LayerSpec("missing", "v1", "corpus", "rashomon.no_such_module:x"),
    ])
    monkeypatch.setattr(pipeline, "_register_profile_entities", lambda store, profile: None)
    monkeypatch.setattr(pipeline, "_store_discovered_entities", lambda store: None)


def _docs(store, *texts):
    for i, t in enumerate(texts):
        store.put_document(Document(id=f"d{i}", source=f"s{i}", text=t))


def test_pipeline_runs_layers_and_skips_fresh_documents(fresh_db, fake_layers):
    _docs(fresh_db, "Alpha text.", "Beta text.")
    prof = load_profile("demo") if "demo" in _bundled() else _tiny_profile(fresh_db)
    rep = pipeline.analyze(fresh_db, prof)
    assert rep.analysed == 2 and rep.errors == []
    assert sorted(m["surface"] for m in fresh_db.records("mentions")) == ["Alpha", "Beta"]
    assert fresh_db.records("stories")[0]["doc_ids"] == ["d0", "d1"]
    assert any("missing" in n for n in rep.notes)
    CALLS.clear()
    rep2 = pipeline.analyze(fresh_db, prof)
    assert CALLS == [] and rep2.skipped_fresh == 2
    rep3 = pipeline.analyze(fresh_db, prof, force=True)
    assert rep3.analysed == 2


def test_pipeline_bad_document_does_not_stop_the_run(fresh_db, fake_layers):
    _docs(fresh_db, "Alpha text.", "BOOM goes this one.", "Gamma text.")
    prof = _tiny_profile(fresh_db)
    errors: list[str] = []
    rep = pipeline.analyze(fresh_db, prof, on_error=errors.append)
    assert rep.analysed == 2
    assert len(rep.errors) == 1 and "d1" in rep.errors[0] and "cannot handle" in rep.errors[0]
    assert errors == rep.errors
    assert sorted(m["doc_id"] for m in fresh_db.records("mentions")) == ["d0", "d2"]


def test_pipeline_changed_text_is_reanalysed(fresh_db, fake_layers):
    _docs(fresh_db, "Alpha text.")
    prof = _tiny_profile(fresh_db)
    pipeline.analyze(fresh_db, prof)
    fresh_db.put_document(Document(id="d0", source="s0", text="Omega text."))
    CALLS.clear()
    pipeline.analyze(fresh_db, prof)
    assert CALLS == ["d0"]
    assert [m["surface"] for m in fresh_db.records("mentions")] == ["Omega"]


def _bundled():
    from rashomon.profiles import bundled_profile_names

    return bundled_profile_names()


def _tiny_profile(store):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "tiny.yaml"
    path.write_text("name: tiny\nparties: []\n")
    return load_profile(path)


def test_pipeline_fingerprint_with_precomputed_text_hash_is_the_same():
    spec = LayerSpec("upper", "v1", "document", f"{__name__}:upper_layer")
    profile = load_profile("demo")
    doc = Document(id="d", source="s", text="Some text é.", published="2024-01-02")
    fp = pipeline.fingerprint(spec, profile, doc, "m")
    assert pipeline.fingerprint(spec, profile, doc, "m", pipeline.text_digest(doc)) == fp
    assert pipeline.fingerprint(spec, profile, Document(id="d", source="s", text="Other."),
                                "m") != fp


def test_pipeline_too_large_document_is_marked_and_never_blocks_others(fresh_db, fake_layers,
                                                                      monkeypatch):
    _docs(fresh_db, "Alpha text.", "Huge " * 40, "Gamma text.")
    prof = _tiny_profile(fresh_db)
    rep = pipeline.analyze(fresh_db, prof, limit_chars=100)
    assert rep.analysed == 2 and rep.errors == []
    assert [t["doc_id"] for t in rep.too_large] == ["d1"]
    assert "d1" not in CALLS
    marked = fresh_db.not_analysed()
    assert [(m["doc_id"], m["status"]) for m in marked] == [("d1", "too_large")]
    assert "not analysed: too large (200 characters, limit 100)" in marked[0]["message"]
    assert any("not analysed: too large" in n for n in rep.notes)
    # the limit comes from the environment too; raising it analyses the document and clears it
    monkeypatch.setenv(pipeline.ENV_MAX_CHARS, "1_000")
    rep = pipeline.analyze(fresh_db, prof)
    assert rep.analysed == 1 and rep.too_large == []
    assert fresh_db.not_analysed() == []
    # lowering it again drops the now-stale records of that document
    rep = pipeline.analyze(fresh_db, prof, limit_chars=50)
    assert fresh_db.records("mentions", "d1") == []
    assert fresh_db.layer_fingerprint("upper", "d1") is None
    monkeypatch.setenv(pipeline.ENV_MAX_CHARS, "lots")
    with pytest.raises(ValueError, match="RASHOMON_MAX_CHARS"):
        pipeline.analyze(fresh_db, prof)


@pytest.mark.slow
def test_pipeline_document_over_parser_limit_with_real_layers(fresh_db):
    """A 3.1M-character document used to make every later analyze fail (spaCy's max_length)."""
    fresh_db.put_document(Document(id="big", source="big.txt",
                                   text="The checkpoint at the bridge was closed. " * 76_000))
    fresh_db.put_document(Document(id="small", source="small.txt",
                                   text="Velmora said on Monday that the bridge was closed."))
    rep = pipeline.analyze(fresh_db, load_profile("demo"))
    assert rep.errors == [] and rep.analysed == 1
    assert [t["doc_id"] for t in rep.too_large] == ["big"]
    assert fresh_db.records("mentions", "big") == []
    assert fresh_db.records("mentions", "small")
    assert fresh_db.document_count() == 2


def test_registry_is_consistent_and_lists_every_table():
    layers.check_layers()
    assert "coverage" in layers.corpus_tables()
    assert layers.span_tables() == ("mentions", "timexes", "quotes", "events", "claims")
    import rashomon.model as m

    for table, cls in layers.record_classes().items():
        assert hasattr(m, cls), (table, cls)
    from rashomon.present.export import JSONL_TABLES

    assert set(JSONL_TABLES) == {"entities", *layers.record_tables()}


@pytest.mark.parametrize("specs, message", [
    ([LayerSpec("b", "v1", "document", "x:y", requires=("a",)),
      LayerSpec("a", "v1", "document", "x:y")], "requires 'a', which is registered after it"),
    ([LayerSpec("b", "v1", "document", "x:y", requires=("nope",))],
     "requires 'nope', which is not registered"),
    ([LayerSpec("s", "v1", "corpus", "x:y"),
      LayerSpec("d", "v1", "document", "x:y", requires=("s",))],
     "document layer 'd' requires corpus layer 's'"),
    ([LayerSpec("a", "v1", "document", "x:y", produces=("t",)),
      LayerSpec("b", "v1", "document", "x:y", produces=("t",))], "already written by 'a'"),
    ([LayerSpec("a", "v1", "document", "x:y"), LayerSpec("a", "v2", "document", "x:y")],
     "registered twice"),
    ([LayerSpec("a", "v1", "sentence", "x:y")], "scope must be"),
])
def test_registry_check_names_the_problem(specs, message):
    with pytest.raises(layers.LayerError, match=message):
        layers.check_layers(specs)


def test_layer_needing_an_unavailable_layer_is_skipped_with_a_note(fresh_db, monkeypatch):
    monkeypatch.setattr(layers, "LAYERS", [
        LayerSpec("upper", "v1", "document", f"{__name__}:upper_layer", produces=("mentions",)),
        LayerSpec("gone", "v1", "corpus", "rashomon.no_such_module:x"),
        LayerSpec("after", "v1", "corpus", f"{__name__}:story_layer", requires=("gone",)),
    ])
    got = {s.name: why for s, fn, why in layers.available_layers("corpus")}
    assert "ModuleNotFoundError" in got["gone"]
    assert got["after"] == "requires unavailable layer(s) gone"


def test_analyze_fails_on_start_for_a_broken_registry(fresh_db, monkeypatch):
    monkeypatch.setattr(layers, "LAYERS", [
        LayerSpec("b", "v1", "document", f"{__name__}:upper_layer", requires=("a",)),
    ])
    _docs(fresh_db, "Alpha text.")
    with pytest.raises(layers.LayerError, match="layer 'b' requires 'a'"):
        pipeline.analyze(fresh_db, _tiny_profile(fresh_db))
    assert fresh_db.records("mentions") == []
