"""Ingest orchestration: read → clean → metadata → identity → store → near-duplicates.

Each article is stored in its own transaction together with the record of its
input, so a crash loses at most the article in flight and a rerun skips what
is already stored.  Bad items produce one error line each; the batch goes on.

Every item is isolated: reading, cleaning and storing one item happen inside
their own guard, so any failure (a known bad input or an unexpected bug)
costs that item only.  Per-item cost is bounded by :class:`Limits`.

Ids: an item's id is its manifest/JSON ``id`` when given, else a hash of its
content.  The same id with the same content is "unchanged" (reruns are
idempotent).  The same id with *different* content is never dropped or
overwritten silently: the later item fails with an error line naming the
document that holds the id, nothing stored is changed, and the exit code is
non-zero.  Give the item its own id (or remove the old document) and rerun.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.ingest.clean import clean
from rashomon.ingest.dedup import NearDupIndex
from rashomon.ingest.items import ItemError, ItemRefused, Limits, RawItem, safe_name
from rashomon.ingest.manifest import ManifestError
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


def make_document(raw: RawItem, profile: Profile | None = None,
                  limits: Limits | None = None) -> Document:
    """Clean one raw item into a Document (no store access: testable alone).

    Raises ItemRefused when the item breaks a :class:`Limits` limit or has no
    article text; the limits are checked before the costly steps they guard.
    """
    lim = limits or Limits()
    if raw.kind == "html" and len(raw.content) > lim.max_html_bytes:
        raise ItemRefused(f"HTML page too large: {len(raw.content)} characters > limit "
                          f"{lim.max_html_bytes} (--max-html-bytes)")
    cleaned = clean(raw, lim)
    if not cleaned.text.strip():
        raise ItemRefused("no article text left after cleaning (empty or all boilerplate)")
    if len(cleaned.text) > lim.max_chars:
        raise ItemRefused(f"article text too large: {len(cleaned.text)} characters > limit "
                          f"{lim.max_chars} (--max-chars); split it or raise the limit")
    dropped = max(0, len(cleaned.comments) - lim.max_comments)
    if dropped:
        cleaned.comments = cleaned.comments[:lim.max_comments]
        cleaned.meta["x_comments_dropped"] = dropped
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


def same_content(a: Document, b: Document) -> bool:
    """Whether two documents with one id are the same article (rerun, or a copy)."""
    return a.raw_hash == b.raw_hash or a.text == b.text


@holds_writer_lock
def ingest(
    store: Store,
    paths: Iterable[str],
    manifest: str | None = None,
    profile: Profile | None = None,
    fetch: FetchOptions | None = None,
    on_error: Callable[[str], None] | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    limits: Limits | None = None,
) -> IngestReport:
    """Ingest every article found under ``paths`` into ``store``.

    :param manifest: CSV or YAML file of per-item metadata (url, title, ...).
        A manifest that cannot be used at all is one error and nothing is read
        (reading without the user's metadata would store items a rerun then
        skips); an invalid row fails only the item it names.
    :param profile: conflict profile, used to recognise outlets in site chrome.
    :param fetch: input size cap and network limits.
    :param on_error: called with each one-line error as it happens.
    :param progress: wraps the item stream (a progress bar in the CLI).
    :param limits: per-item limits (HTML size, text size, comments, attributes).
    """
    report = IngestReport()
    index = NearDupIndex()
    for doc in store.iter_documents():
        index.add(doc.id, doc.text)
    db = str(getattr(store, "path", ":memory:"))
    own_files = [db + suffix for suffix in ("", "-wal", "-shm", "-journal", ".lock")] \
        if db != ":memory:" else []
    items: Iterable[RawItem | ItemError] = iter_items(list(paths), manifest=manifest, fetch=fetch,
                                                      skip=own_files)
    if progress:
        items = progress(items)
    try:
        for item in items:
            if isinstance(item, ItemError):
                _fail(store, report, item, on_error)
                continue
            try:
                _ingest_one(store, item, profile, limits, index, report)
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
                _fail(store, report, ItemError(item.source, _describe(exc), item.item), on_error)
    except ManifestError as exc:
        _fail(store, report, ItemError(manifest or "manifest", _manifest_reason(exc, manifest)),
              on_error)
    return report


def _manifest_reason(exc: ManifestError, manifest: str | None) -> str:
    """The ManifestError message without its leading file name (the error line has it)."""
    msg = str(exc)
    prefix = f"{manifest}: "
    for p in (prefix, f"{Path(manifest)}: " if manifest else prefix):
        if msg.startswith(p):
            msg = msg[len(p):]
    return msg + "; nothing was read"


def _ingest_one(store: Store, item: RawItem, profile: Profile | None, limits: Limits | None,
                index: NearDupIndex, report: IngestReport) -> None:
    """Clean, check and store one item (raises with a one-line reason when it fails)."""
    doc = make_document(item, profile, limits)
    found = store.documents_by_id([doc.id])
    if found:
        if not same_content(found[0], doc):
            raise ItemRefused(
                f"id {doc.id!r} is already used by a different document (from "
                f"{found[0].source}); not stored: give this item its own id")
        report.unchanged.append(doc.id)
        store.record_input(item.source, item.item, "ok", doc.id)
        return
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


def _describe(exc: BaseException) -> str:
    """One line for an item's failure; unexpected exceptions are named by type."""
    if isinstance(exc, RecursionError):
        return "nested too deeply to process"
    if isinstance(exc, MemoryError):
        return "out of memory while processing"
    msg = (str(exc).splitlines() or [""])[0][:300]
    if isinstance(exc, ItemRefused):
        return msg
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _fail(store: Store, report: IngestReport, err: ItemError,
          on_error: Callable[[str], None] | None) -> None:
    """Report one failed item and record it in the store's input log.

    The line is reported even when recording it fails (a locked or full
    database): the user must see every failure.
    """
    line = err.line()
    report.errors.append(line)
    if on_error:
        on_error(line)
    try:
        store.record_input(safe_name(err.source, 4096), safe_name(err.item, 500), "error", None,
                           safe_name(err.message, 2000))
    except Exception as exc:  # noqa: BLE001 - the error line above is what matters
        extra = ItemError(err.source, f"could not record this error in the store ({exc})",
                          err.item).line()
        report.errors.append(extra)
        if on_error:
            on_error(extra)
