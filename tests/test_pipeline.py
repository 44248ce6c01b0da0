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
