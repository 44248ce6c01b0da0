"""Run the registered analysis layers over the evidence base.

Document layers run per document, in registry order, over one spaCy parse per
document; the parse is streamed in batches with ``nlp.pipe``.  A document is
re-analysed only when its layers are stale: the fingerprint of a layer's run
covers the layer version, the profile and the document text.  Each layer's
output for a document is swapped in one transaction.  Corpus layers then run
over everything stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rashomon.layers import CorpusContext, DocContext, LayerSpec, available_layers
from rashomon.model import Document, Record
from rashomon.profiles import Profile
from rashomon.store import Store

# table name -> record class, to rebuild stored records for downstream layers
_RECORD_CLASSES: dict[str, str] = {
    "mentions": "Mention",
    "timexes": "TimeExpr",
    "quotes": "Quote",
    "events": "Event",
    "claims": "Claim",
}


@dataclass
class AnalyzeReport:
    analysed: int = 0
    skipped_fresh: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysed": self.analysed,
            "skipped_fresh": self.skipped_fresh,
            "errors": self.errors,
            "notes": self.notes,
            "counts": self.counts,
        }


def fingerprint(spec: LayerSpec, profile: Profile, doc: Document, model: str,
                text_hash: str | None = None) -> str:
    """What a layer's stored output for ``doc`` depends on, hashed.

    :param text_hash: ``text_digest(doc)`` when the caller has it already (the
        text is hashed once per document, not once per layer).
    """
    payload = json.dumps([spec.versioned_name, profile.fingerprint, model, doc.id, doc.published,
                          text_hash or text_digest(doc)])
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def text_digest(doc: Document) -> str:
    return hashlib.sha256(doc.text.encode()).hexdigest()


def _stale(store: Store, specs: list[LayerSpec], profile: Profile, doc: Document, model: str) -> bool:
    digest = text_digest(doc)
    return any(store.layer_fingerprint(s.name, doc.id) != fingerprint(s, profile, doc, model, digest)
               for s in specs)


def analyze(
    store: Store,
    profile: Profile,
    model: str | None = None,
    batch_size: int = 16,
    n_process: int = 1,
    force: bool = False,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
    on_error: Callable[[str], None] | None = None,
    corpus: bool = True,
) -> AnalyzeReport:
    """Run every available layer; return what was done.

    :param progress: wraps the document stream, given (iterable, total).
    """
    report = AnalyzeReport()
    doc_layers = []
    for spec, fn, why in available_layers("document"):
        if fn is None:
            report.notes.append(f"layer {spec.name} not available ({why})")
        else:
            doc_layers.append((spec, fn))
    specs = [s for s, _ in doc_layers]
    from rashomon.analyze.nlp import pick_model

    model_name = pick_model(model) if any(s.needs_nlp for s in specs) else "none"
    _register_profile_entities(store, profile)

    ids = store.document_ids(include_duplicates=False)
    todo = _stale_docs(store, ids, specs, profile, model_name, force, report)
    if specs:
        stream: Iterable[tuple[Document, Any]] = _parsed(todo, specs, model, batch_size, n_process)
        if progress:
            stream = progress(stream, len(ids))
        for doc, sdoc in stream:
            ctx = DocContext(doc=doc, sdoc=sdoc, profile=profile)
            digest = text_digest(doc)
            try:
                # one transaction per document: all its layers' records land together
                with store.transaction():
                    for spec, fn in doc_layers:
                        out = fn(ctx)
                        ctx.results.update(out)
                        store.replace_doc_records(spec.name, spec.version,
                                                  fingerprint(spec, profile, doc, model_name,
                                                              digest),
                                                  doc.id, out)
                report.analysed += 1
            except Exception as exc:  # a bad document must not stop the run
                line = f"error: {doc.id} ({doc.source}): {type(exc).__name__}: {exc}"
                report.errors.append(line)
                if on_error:
                    on_error(line)
    _store_discovered_entities(store)
    if corpus:
        run_corpus_layers(store, profile, report)
    for table in ("mentions", "timexes", "quotes", "events", "claims"):
        report.counts[table] = store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    for table in ("stories", "contradictions", "framing"):
        report.counts[table] = store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return report


def run_corpus_layers(store: Store, profile: Profile, report: AnalyzeReport | None = None,
                      options: dict[str, Any] | None = None) -> None:
    ctx = CorpusContext(store=store, profile=profile, options=options or {})
    for spec, fn, why in available_layers("corpus"):
        if fn is None:
            if report is not None:
                report.notes.append(f"layer {spec.name} not available ({why})")
            continue
        fn(ctx)


def _stale_docs(store: Store, ids: list[str], specs: list[LayerSpec], profile: Profile,
                model: str, force: bool, report: AnalyzeReport, chunk: int = 64) -> Iterator[Document]:
    """Documents needing analysis, loaded a chunk at a time so memory stays flat."""
    for i in range(0, len(ids), chunk):
        for doc in store.documents_by_id(ids[i:i + chunk]):
            if force or _stale(store, specs, profile, doc, model):
                yield doc
            else:
                report.skipped_fresh += 1


def _parsed(docs: Iterable[Document], specs: list[LayerSpec], model: str | None, batch_size: int,
            n_process: int) -> Iterator[tuple[Document, Any]]:
    if not any(s.needs_nlp for s in specs):
        for d in docs:
            yield d, None
        return
    from rashomon.analyze.nlp import load_nlp

    nlp = load_nlp(model)
    for sdoc, doc in nlp.pipe(((d.text, d) for d in docs), as_tuples=True,
                              batch_size=batch_size, n_process=n_process):
        yield doc, sdoc


def _register_profile_entities(store: Store, profile: Profile) -> None:
    try:
        from rashomon.analyze.entities import profile_entities
    except ImportError:
        return
    store.put_entities(profile_entities(profile))


def _store_discovered_entities(store: Store) -> None:
    """Entities found outside the profile (gazetteer, NER) are stored from their mentions."""
    try:
        from rashomon.analyze.entities import discovered_entities
    except ImportError:
        return
    store.put_entities(discovered_entities(store))


def load_records(store: Store, table: str, doc_id: str | None = None) -> list[Record]:
    """Stored records of one table rebuilt as model objects."""
    import rashomon.model as m

    cls = getattr(m, _RECORD_CLASSES[table])
    return [cls.from_dict(r) for r in store.records(table, doc_id)]
