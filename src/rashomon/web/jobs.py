"""Ingest jobs for the web API: one background worker, status kept in memory.

A job runs the same ingest pipeline as ``rashomon ingest`` (so the same safe
fetching: http(s) only, public addresses only unless the server was started
with ``--allow-private``, one deadline per fetch, size caps) and optionally
the analysis.  Jobs run one at a time in a single worker thread, so a burst of
requests queues instead of competing for the writer lock, and a slow fetch
never blocks the API's readers.
"""

from __future__ import annotations

import queue
import re
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rashomon.ingest.fetch import FetchOptions
from rashomon.ingest.items import META_FIELDS
from rashomon.store import Store

# What an uploaded file may be called: the readers pick the format by suffix.
UPLOAD_META = tuple(f for f in META_FIELDS if f != "url")
UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".xml", ".rss", ".atom")
MAX_JOBS_KEPT = 200


@dataclass
class Job:
    id: str
    urls: list[str]
    files: list[str]
    analyze: bool
    profile: str | None
    status: str = "queued"  # queued, running, done, failed
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    errors: list[str] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "urls": self.urls, "files": self.files,
                "analyze": self.analyze, "profile": self.profile, "created": self.created,
                "started": self.started, "finished": self.finished, "errors": self.errors,
                "result": self.result}


def safe_upload_name(name: str, index: int) -> str:
    """A plain file name for an uploaded item: no directories, a known suffix, short."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name.replace("\\", "/")).name).strip("._")
    suffix = next((s for s in UPLOAD_SUFFIXES if base.lower().endswith(s)), None)
    if suffix is None:
        raise ValueError(f"{name!r}: file name must end in one of {', '.join(UPLOAD_SUFFIXES)}")
    stem = base[: -len(suffix)][:80] or "upload"
    return f"{index:04d}-{stem}{suffix}"


class JobRunner:
    """Queue and run ingest jobs against one database."""

    def __init__(self, db: Path, allow_private: bool = False, fetch_timeout: float = 20.0,
                 max_bytes: int = 10_000_000) -> None:
        self.db = db
        self.fetch = FetchOptions(timeout=fetch_timeout, max_bytes=max_bytes,
                                  allow_private=allow_private)
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[tuple[Job, dict[str, str], dict[str, dict[str, str]]]] = \
            queue.Queue()
        # Uploaded files are kept beside the workspace (one folder per job): they are the
        # raw inputs the documents' ``source`` points to, as a file given to ingest is.
        self.uploads = db.parent / f"{db.name}-uploads"
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._work, name="rashomon-ingest", daemon=True)
        self._thread.start()

    def submit(self, urls: list[str], files: dict[str, str], analyze: bool,
               profile: str | None, meta: dict[str, dict[str, str]] | None = None) -> Job:
        """Queue a job; ``files`` maps safe names to their text, ``meta`` safe names to
        manifest fields (title, publisher, side, ...)."""
        job = Job(id=uuid.uuid4().hex[:16], urls=list(urls), files=sorted(files),
                  analyze=analyze, profile=profile)
        with self._lock:
            self.jobs[job.id] = job
            done = [j for j in self.jobs.values() if j.status in ("done", "failed")]
            for old in sorted(done, key=lambda j: j.created)[: max(0, len(self.jobs) - MAX_JOBS_KEPT)]:
                del self.jobs[old.id]
        self._queue.put((job, files, meta or {}))
        return job

    def _work(self) -> None:
        while True:
            job, files, meta = self._queue.get()
            job.status, job.started = "running", time.time()
            try:
                self._run(job, files, meta)
                job.status = "done"
            except Exception as exc:  # noqa: BLE001 - a failed job is reported, the worker goes on
                job.errors.append(f"error: job: {type(exc).__name__}: {exc}")
                job.result["traceback"] = traceback.format_exc(limit=5)
                job.status = "failed"
            finally:
                job.finished = time.time()

    def _run(self, job: Job, files: dict[str, str], meta: dict[str, dict[str, str]]) -> None:
        from rashomon.ingest.pipeline import ingest

        paths = list(job.urls)
        manifest = None
        if files:
            folder = self.uploads / job.id
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
                paths.append(str(folder / name))
            rows = [{"path": name, **fields} for name, fields in meta.items() if fields]
            if rows:
                manifest = str(folder / "manifest.yaml")
                Path(manifest).write_text(yaml.safe_dump(rows, allow_unicode=True),
                                          encoding="utf-8")
        with Store(self.db) as store:
            report = ingest(store, paths, manifest=manifest, fetch=self.fetch,
                            on_error=job.errors.append)
            job.result["ingest"] = report.to_dict()
            if job.analyze and (report.added or job.profile):
                job.result["analyze"] = _analyze(store, job.profile, job.errors.append)


def _analyze(store: Store, profile_ref: str | None, on_error: Any) -> dict[str, Any]:
    """Analyse what is stale, with the named profile or the one the corpus matches."""
    from rashomon.pipeline import analyze
    from rashomon.profiles import explain_choice, load_profile

    if profile_ref:
        profile = load_profile(profile_ref)
        note = None
    else:
        choice = explain_choice([d.text[:20000] for d in store.iter_documents()])
        profile, note = choice.profile, choice.message()
    report = analyze(store, profile, on_error=on_error)
    out = report.to_dict() if hasattr(report, "to_dict") else {"done": True}
    out["profile"] = profile.name
    if note:
        out["note"] = note
    return out
