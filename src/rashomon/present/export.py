"""Exports: one JSON Lines file per record type, plus format-specific exporters.

An exporter is a function ``(store, out_dir) -> list[Path]``.  Built-ins and
plugins register the same way (see :mod:`rashomon.plugins`), so a new format
is added without touching this module.
"""

from __future__ import annotations

import csv
import inspect
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rashomon.layers import record_tables
from rashomon.store import Store

# entities, then every record table of the layer registry, in registry order
JSONL_TABLES = ("entities", *record_tables())


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows atomically (temp file then rename): a crash never leaves half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n


def write_dict_csv(path: Path, fieldnames: Sequence[str],
                   rows: Iterable[dict[str, Any]]) -> Path:
    """Write a header and one CSV row per dict, atomically (temp file then rename)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(fieldnames))
        w.writeheader()
        w.writerows(rows)
    tmp.replace(path)
    return path


def document_rows(store: Store) -> Iterable[dict[str, Any]]:
    """``documents.jsonl`` rows; near-duplicate links are added for convenience."""
    links: dict[str, list[dict[str, Any]]] = {}
    for nd in store.near_duplicates():
        links.setdefault(nd["doc_id"], []).append(
            {"doc_id": nd["other_id"], "similarity": nd["similarity"], "kind": nd["kind"]})
        links.setdefault(nd["other_id"], []).append(
            {"doc_id": nd["doc_id"], "similarity": nd["similarity"], "kind": nd["kind"]})
    for doc in store.iter_documents():
        row = doc.to_dict()
        row["near_duplicates"] = links.get(doc.id, [])
        yield row


def export_jsonl(store: Store, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    path = out_dir / "documents.jsonl"
    write_jsonl(path, document_rows(store))
    written.append(path)
    present = store.span_tables | store.corpus_tables | {"entities"}
    for table in JSONL_TABLES:
        path = out_dir / f"{table}.jsonl"
        # a table of a layer that has never run in this workspace exports empty
        write_jsonl(path, store.records(table) if table in present else [])
        written.append(path)
    return written


def export(store: Store, out_dir: str | Path, formats: list[str] | None = None,
           options: dict[str, Any] | None = None, notes: list[str] | None = None) -> list[Path]:
    """Run the named exporters (default: all registered) into ``out_dir``.

    ``options`` go to the exporters whose signature takes them (e.g.
    ``reviewer`` for ClaimReview).  An exporter that needs an option not given
    raises ``ValueError``: when it was named, that is the error; when it only
    ran as part of "all", it is skipped and a line is added to ``notes``.
    """
    from rashomon.plugins import exporters

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    registry = exporters()
    names = formats or list(registry)
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise ValueError(f"unknown export format(s) {unknown}; known: {sorted(registry)}")
    paths: list[Path] = []
    for name in names:
        fn = registry[name]
        params = inspect.signature(fn).parameters
        kwargs = {k: v for k, v in (options or {}).items() if k in params and v is not None}
        try:
            paths.extend(fn(store, out, **kwargs))
        except ValueError as exc:
            if formats:
                raise
            if notes is not None:
                notes.append(f"{name} skipped: {exc}")
    return paths
