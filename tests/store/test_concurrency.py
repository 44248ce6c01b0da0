"""Two real processes on one workspace: the second waits on the writer lock, no work is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rashomon.demo import corpus_dir
from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys, time
from pathlib import Path
from rashomon.store import Store
db, held, release = sys.argv[1:4]
with Store(db) as s, s.writer_lock():
    Path(held).write_text("held")
    deadline = time.time() + 60
    while not Path(release).exists() and time.time() < deadline:
        time.sleep(0.05)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _rashomon(*args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rashomon.cli", *args], env=_env(),
                            stdout=subprocess.PIPE, stderr=log.open("w"), text=True)


def _wait_for(pred, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while not pred():
        if time.time() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _links(store: Store) -> set[tuple[str, str]]:
    return {(r["doc_id"], r["other_id"]) for r in store.near_duplicates()}


def _sequential_links(tmp_path: Path, a: Path, b: Path) -> set[tuple[str, str]]:
    """The near-duplicate links of the same two batches ingested one after the other."""
    from rashomon.ingest.pipeline import ingest

    with Store(tmp_path / "reference.db") as s:
        ingest(s, [str(a)])
        ingest(s, [str(b)])
        links = _links(s)
        ids = {d.source.rsplit("/", 1)[-1]: d.id for d in s.iter_documents()}
    assert tuple(sorted((ids["first.txt"], ids["edited.txt"]))) in links  # across batches
    return links


def _two_batches(tmp_path: Path) -> tuple[Path, Path, str]:
    """Batch a holds an article, batch b a lightly edited copy of it (a near-duplicate)."""
    texts = sorted(p for p in corpus_dir().glob("*.txt"))
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    base = texts[0].read_text(encoding="utf-8")
    (a / "first.txt").write_text(base, encoding="utf-8")
    (a / "other.txt").write_text(texts[1].read_text(encoding="utf-8"), encoding="utf-8")
    edited = base.rsplit("\n", 2)[0] + "\n\nThis copy adds one closing line of its own.\n"
    (b / "edited.txt").write_text(edited, encoding="utf-8")
    (b / "third.txt").write_text(texts[2].read_text(encoding="utf-8"), encoding="utf-8")
    return a, b, "near-duplicate"


def test_second_ingest_waits_on_the_lock_and_loses_nothing(tmp_path):
    a, b, _ = _two_batches(tmp_path)
    db = tmp_path / "w.db"
    Store(db).close()
    held, release = tmp_path / "held", tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(held), str(release)],
                              env=_env())
    try:
        _wait_for(held.exists)
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        procs = [_rashomon("ingest", str(a), "--db", str(db), log=logs[0]),
                 _rashomon("ingest", str(b), "--db", str(db), log=logs[1])]
        # both say why they wait, and neither has stored anything yet
        _wait_for(lambda: all("waiting for another rashomon process" in p.read_text()
                              for p in logs))
        with Store(db) as s:
            assert s.document_count() == 0
        release.write_text("go")
        for p in procs:
            p.communicate(timeout=120)
            assert p.returncode == 0, [log.read_text() for log in logs]
    finally:
        release.write_text("go")
        holder.wait(timeout=60)
    with Store(db) as s:
        assert s.document_count() == 4
        assert _links(s) == _sequential_links(tmp_path, a, b)


def test_two_concurrent_ingests_keep_every_near_duplicate_link(tmp_path):
    """Started together (no holder): whichever runs second sees the first's documents."""
    a, b, _ = _two_batches(tmp_path)
    db = tmp_path / "w.db"
    Store(db).close()
    procs = [_rashomon("ingest", str(a), "--db", str(db), log=tmp_path / "a.log"),
             _rashomon("ingest", str(b), "--db", str(db), log=tmp_path / "b.log")]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    with Store(db) as s:
        assert s.document_count() == 4
        assert _links(s) == _sequential_links(tmp_path, a, b)


@pytest.mark.slow
def test_two_concurrent_analyze_runs_leave_a_consistent_store(tmp_path):
    """Two `analyze` processes with real layers: every document analysed, corpus layers current."""
    a, b, _ = _two_batches(tmp_path)
    db = tmp_path / "w.db"
    Store(db).close()
    procs = [_rashomon("analyze", str(a), "--db", str(db), "--profile", "demo",
                       log=tmp_path / "a.log"),
             _rashomon("analyze", str(b), "--db", str(db), "--profile", "demo",
                       log=tmp_path / "b.log")]
    for p in procs:
        p.communicate(timeout=300)
        assert p.returncode == 0, (tmp_path / "a.log").read_text()
    from rashomon import pipeline
    from rashomon.profiles import load_profile

    with Store(db) as s:
        assert s.document_count() == 4
        assert _links(s) == _sequential_links(tmp_path, a, b)
        stored = {t: s.records(t) for t in ("stories", "contradictions", "framing", "coverage")}
        rep = pipeline.analyze(s, load_profile("demo"))
        assert rep.analysed == 0  # nothing was left stale by the interleaving
        again = {t: s.records(t) for t in stored}
    assert again == stored  # the corpus layers were computed from the final store


def test_lock_of_a_killed_process_is_released(tmp_path):
    """kill -9 of the writer frees the lock: the next run starts at once."""
    import signal

    a, _, _ = _two_batches(tmp_path)
    db = tmp_path / "w.db"
    Store(db).close()
    held, release = tmp_path / "held", tmp_path / "never"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(held), str(release)],
                              env=_env())
    _wait_for(held.exists)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    log = tmp_path / "a.log"
    p = _rashomon("ingest", str(a), "--db", str(db), log=log)
    p.communicate(timeout=120)
    assert p.returncode == 0
    assert "waiting" not in log.read_text()
    with Store(db) as s:
        assert s.document_count() == 2
