"""Ingest orchestration: read → clean → metadata → identity → store → near-duplicates.

Each article is stored in its own transaction together with the record of its
input, so a crash loses at most the article in flight and a rerun skips what
is already stored.  Bad items produce one error line each; the batch goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rashomon.ingest.clean import clean
from rashomon.ingest.dedup import NearDupIndex
from rashomon.ingest.items import ItemError, RawItem
from rashomon.ingest.metadata import build_metadata
from rashomon.ingest.readers import FetchOptions, iter_items
from rashomon.model import Document
from rashomon.profiles import Profile
from rashomon.store import Store, holds_writer_lock


@dataclass
class IngestReport:
    """What an ingest run did, for the CLI's summary and ``--json``."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    near_duplicates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "near_duplicates": self.near_duplicates,
        }


def doc_id_for(raw: RawItem) -> str:
    """Stable content-hash id: the same input always gets the same id.

    The hash covers the raw content (not the cleaned body), so a copy of an
    article that differs only by its comments is a separate document that the
    near-duplicate index links to the first.
    """
    if raw.meta.get("id"):
        return str(raw.meta["id"])
    digest = raw.raw_bytes_hash or hashlib.sha256(raw.content.encode("utf-8")).hexdigest()
    return "d" + digest[:15]


def make_document(raw: RawItem, profile: Profile | None = None) -> Document:
    """Clean one raw item into a Document (no store access: testable alone)."""
    cleaned = clean(raw)
    if not cleaned.text.strip():
        raise ValueError("no article text left after cleaning (empty or all boilerplate)")
    meta = build_metadata(raw, cleaned, profile)
    return Document(
        id=doc_id_for(raw),
        source=raw.source if not raw.item else f"{raw.source}#{raw.item}",
        text=cleaned.text,
        title=meta.get("title"),
        publisher=meta.get("publisher"),
        author=meta.get("author"),
        url=meta.get("url"),
        published=meta.get("published"),
        published_inferred=bool(meta.get("published_inferred")),
        published_evidence=meta.get("published_evidence"),
        language=meta.get("language"),
        side=meta.get("side"),
        input_kind=raw.kind,
        raw_hash=raw.raw_bytes_hash or hashlib.sha256(raw.content.encode("utf-8")).hexdigest(),
        comments=cleaned.comments,
        references=cleaned.references,
        removed=cleaned.removed,
        attrs={k: v for k, v in meta.items() if k.startswith("x_") or k in ("author_bio",)},
    )


@holds_writer_lock
def ingest(
    store: Store,
    paths: Iterable[str],
    manifest: str | None = None,
    profile: Profile | None = None,
    fetch: FetchOptions | None = None,
    on_error: Callable[[str], None] | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> IngestReport:
    """Ingest every article found under ``paths`` into ``store``.

    :param manifest: CSV or YAML file of per-item metadata (url, title, ...).
    :param profile: conflict profile, used to recognise outlets in site chrome.
    :param on_error: called with each one-line error as it happens.
    :param progress: wraps the item stream (a progress bar in the CLI).
    """
    report = IngestReport()
    index = NearDupIndex()
    for doc in store.iter_documents():
        index.add(doc.id, doc.text)
    items: Iterable[RawItem | ItemError] = iter_items(list(paths), manifest=manifest, fetch=fetch)
    if progress:
        items = progress(items)
    for item in items:
        if isinstance(item, ItemError):
            _fail(store, report, item, on_error)
            continue
        try:
            doc = make_document(item, profile)
        except Exception as exc:  # one bad article must not stop the batch
            _fail(store, report, ItemError(item.source, _describe(exc), item.item), on_error)
            continue
        existing = store.has_document(doc.id)
        if existing:
            report.unchanged.append(doc.id)
            store.record_input(item.source, item.item, "ok", doc.id)
            continue
        dupes = index.query(doc.text)
        dupes = [(other, sim) for other, sim in dupes if other != doc.id]
        if dupes:
            best = max(dupes, key=lambda d: d[1])
            if best[1] >= 0.999:
                doc.duplicate_of = best[0]
        with store.transaction():
            store.put_document(doc)
            store.record_input(item.source, item.item, "ok", doc.id)
            for other, sim in dupes:
                kind = "same-body" if sim >= 0.999 else "near-duplicate"
                store.add_near_duplicate(doc.id, other, sim, kind)
                report.near_duplicates.append(
                    {"doc_id": doc.id, "other_id": other, "similarity": round(sim, 3), "kind": kind}
                )
        index.add(doc.id, doc.text)
        report.added.append(doc.id)
    return report


def _describe(exc: Exception) -> str:
    msg = str(exc) or type(exc).__name__
    return msg.splitlines()[0][:300]


def _fail(store: Store, report: IngestReport, err: ItemError,
          on_error: Callable[[str], None] | None) -> None:
    line = err.line()
    report.errors.append(line)
    store.record_input(err.source, err.item, "error", None, err.message)
    if on_error:
        on_error(line)
