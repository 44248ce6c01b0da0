"""Run the registered analysis layers over the evidence base.

Document layers run per document, in registry order, over one spaCy parse per
document; the parse is streamed in batches with ``nlp.pipe``.  A document is
re-analysed only when its layers are stale: the fingerprint of a layer's run
covers the layer version, the profile and the document text.  Each layer's
output for a document is swapped in one transaction.  Corpus layers then run
over everything stored.

Two guards keep one item from costing the others:

* a document longer than :func:`max_chars` (``$RASHOMON_MAX_CHARS``, default
  :data:`DEFAULT_MAX_CHARS`) is not parsed: it stays stored, is marked "not
  analysed: too large" with a message, and every other document is analysed;
* a whole run holds the workspace's writer lock
  (:meth:`~rashomon.store.Store.writer_lock`), so a second ``ingest`` or
  ``analyze`` on the same database waits, saying so, instead of computing
  corpus layers from a half-seen store.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rashomon.layers import (
    CorpusContext,
    DocContext,
    LayerSpec,
    available_layers,
    corpus_tables,
    record_classes,
    span_tables,
)
from rashomon.model import Document, Record
from rashomon.profiles import Profile
from rashomon.store import Store

# Analysis time and memory grow with a document's length, and faster than
# linearly on dense text (bench/bench_large_doc.py, one core, en_core_web_sm,
# demo-corpus text repeated: 50k characters 0.97 GB / 16 s, 200k 1.46 GB /
# 79 s, 400k 2.1 GB / 178 s; a 2.9M-character text took 11 GB).  200k keeps
# one document near 1.5 GB; news articles are 10 to 100 times shorter.
DEFAULT_MAX_CHARS = 200_000
ENV_MAX_CHARS = "RASHOMON_MAX_CHARS"
TOO_LARGE = "too_large"


def max_chars(value: int | None = None) -> int:
    """The size limit of one analysed document: argument, then ``$RASHOMON_MAX_CHARS``, then default."""
    if value is not None:
        return value
    env = os.environ.get(ENV_MAX_CHARS)
    if env:
        try:
            return int(env.replace("_", ""))
        except ValueError as exc:
            raise ValueError(f"${ENV_MAX_CHARS} must be a whole number of characters, "
                             f"not {env!r}") from exc
    return DEFAULT_MAX_CHARS


@dataclass
class AnalyzeReport:
    analysed: int = 0
    skipped_fresh: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    too_large: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysed": self.analysed,
            "skipped_fresh": self.skipped_fresh,
            "errors": self.errors,
            "notes": self.notes,
            "counts": self.counts,
            "too_large": self.too_large,
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
    limit_chars: int | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> AnalyzeReport:
    """Run every available layer; return what was done.

    :param progress: wraps the document stream, given (iterable, total).
    :param limit_chars: documents longer than this are stored but not analysed
        (default :func:`max_chars`).
    :param on_wait: told once if another process holds the writer lock.
    """
    with store.writer_lock(on_wait=on_wait):
        return _analyze(store, profile, model, batch_size, n_process, force, progress, on_error,
                        corpus, max_chars(limit_chars))


def _analyze(store: Store, profile: Profile, model: str | None, batch_size: int, n_process: int,
             force: bool, progress: Callable[[Iterable[Any], int], Iterable[Any]] | None,
             on_error: Callable[[str], None] | None, corpus: bool, limit: int) -> AnalyzeReport:
    report = AnalyzeReport()
    doc_layers = []
    for spec, fn, why in available_layers("document"):
        if fn is None:
            report.notes.append(f"layer {spec.name} not available ({why})")
        else:
            doc_layers.append((spec, fn))
    specs = [s for s, _ in doc_layers]
    store.ensure_record_tables(span_tables(), corpus_tables())
    from rashomon.analyze.nlp import pick_model

    model_name = pick_model(model) if any(s.needs_nlp for s in specs) else "none"
    _register_profile_entities(store, profile)

    ids = store.document_ids(include_duplicates=False)
    todo = _stale_docs(store, ids, specs, profile, model_name, force, report, limit)
    if specs:
        stream: Iterable[tuple[Document, Any]] = _parsed(todo, specs, model, batch_size, n_process,
                                                         limit)
        if progress:
            stream = progress(stream, len(ids))
        marked = {r["doc_id"] for r in store.not_analysed()}
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
                    if doc.id in marked:
                        store.clear_not_analysed(doc.id)
                report.analysed += 1
            except Exception as exc:  # a bad document must not stop the run
                line = f"error: {doc.id} ({doc.source}): {type(exc).__name__}: {exc}"
                report.errors.append(line)
                if on_error:
                    on_error(line)
    _store_discovered_entities(store)
    if corpus:
        run_corpus_layers(store, profile, report)
    report.counts.update(store.record_counts(span_tables() + corpus_tables()))
    return report


def remove_documents(store: Store, refs: Iterable[str], profile: Profile | None,
                     reason: str | None = None,
                     on_wait: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Take documents out with everything derived from them; recompute the corpus layers.

    ``refs`` are ids, unique id prefixes, sources or URLs; one that names no
    document is an error line and the others are still removed.  The
    per-document part is :meth:`~rashomon.store.Store.remove_documents`; the
    corpus layers (stories, contradictions, framing, coverage) are then rerun
    over what remains, under the same writer lock, so no reader sees a story or
    contradiction that stands on a removed document.  With ``profile=None``
    the corpus layers are left for the next ``analyze`` (which always reruns
    them).
    """
    result: dict[str, Any] = {"removed": [], "errors": [], "corpus_recomputed": False}
    with store.writer_lock(on_wait=on_wait):
        ids: list[str] = []
        for ref in refs:
            try:
                doc_id = store.resolve_document_id(ref)
            except Exception as exc:
                result["errors"].append(f"error: {ref}: {exc}")
                continue
            if doc_id not in ids:
                ids.append(doc_id)
        if ids:
            result["removed"] = store.remove_documents(ids, reason)
            _store_discovered_entities(store)  # names and aliases without the removed mentions
        if ids and profile is not None:
            run_corpus_layers(store, profile)
            result["corpus_recomputed"] = True
    return result


def run_corpus_layers(store: Store, profile: Profile, report: AnalyzeReport | None = None,
                      options: dict[str, Any] | None = None) -> None:
    options = options or {}
    if not profile.parties and options.get("induce_camps", True):
        # generic mode: compare by camps induced from the corpus (rashomon.compare.draft)
        from rashomon.compare.draft import camp_profile

        induced = camp_profile(store, profile)
        if induced is not None:
            profile = induced
            if report is not None:
                report.notes.append("generic mode: sides are camps induced from the corpus: "
                                    + "; ".join(p["name"] for p in induced.parties))
    ctx = CorpusContext(store=store, profile=profile, options=options)
    for spec, fn, why in available_layers("corpus"):
        if fn is None:
            if report is not None:
                report.notes.append(f"layer {spec.name} not available ({why})")
            continue
        fn(ctx)


def _stale_docs(store: Store, ids: list[str], specs: list[LayerSpec], profile: Profile,
                model: str, force: bool, report: AnalyzeReport, limit: int,
                chunk: int = 64) -> Iterator[Document]:
    """Documents needing analysis, loaded a chunk at a time so memory stays flat.

    A document over ``limit`` characters is marked "not analysed: too large"
    (once; the mark and a note are repeated in every report) and not yielded.
    """
    tables = [t for s in specs for t in s.produces]
    for i in range(0, len(ids), chunk):
        for doc in store.documents_by_id(ids[i:i + chunk]):
            if len(doc.text) > limit:
                _too_large(store, doc, limit, tables, report)
            elif force or _stale(store, specs, profile, doc, model):
                yield doc
            else:
                report.skipped_fresh += 1


def _too_large(store: Store, doc: Document, limit: int, tables: list[str],
               report: AnalyzeReport) -> None:
    message = (f"not analysed: too large ({len(doc.text):,} characters, limit {limit:,}); "
               f"raise ${ENV_MAX_CHARS} to analyse it, or `rashomon remove {doc.id}`")
    store.mark_not_analysed(doc.id, TOO_LARGE, message, tables)
    report.too_large.append({"doc_id": doc.id, "source": doc.source, "chars": len(doc.text),
                             "limit": limit})
    report.notes.append(f"{doc.id} ({doc.source}): {message}")


def _parsed(docs: Iterable[Document], specs: list[LayerSpec], model: str | None, batch_size: int,
            n_process: int, limit: int) -> Iterator[tuple[Document, Any]]:
    if not any(s.needs_nlp for s in specs):
        for d in docs:
            yield d, None
        return
    from rashomon.analyze.nlp import load_nlp

    nlp = load_nlp(model)
    # documents over the limit never get here; a limit raised past the parser's
    # own is the user's informed choice (memory), not a reason to fail the batch
    nlp.max_length = max(nlp.max_length, limit + 1)
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

    cls = getattr(m, record_classes()[table])
    return [cls.from_dict(r) for r in store.records(table, doc_id)]
