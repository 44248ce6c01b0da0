"""Kill ingest with SIGKILL mid-run: the store stays sound, a rerun completes it exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N = 300


def _article(i: int) -> str:
    return (f"Dispatch {i} from the northern district\n\n"
            f"Officials in town number {i} said on Tuesday that the water supply had been "
            f"restored after repairs to the main pipe, which burst {i % 7 + 2} days ago.\n\n"
            f"Residents queued at {i % 5 + 3} distribution points, and the mayor said the "
            f"council would review the maintenance budget for pipe number {i * 13}.\n")


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # schema not created yet, or busy
        return 0


def _cmd(src: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "rashomon.cli", "ingest", str(src), "--db", str(db)]


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_kill_rerun_store_sound_and_complete(tmp_path: Path) -> None:
    src = tmp_path / "articles"
    src.mkdir()
    for i in range(N):
        (src / f"a{i:04d}.txt").write_text(_article(i), encoding="utf-8")
    db = tmp_path / "ws.db"
    env = {**os.environ, "TQDM_DISABLE": "1"}
    proc = subprocess.Popen(_cmd(src, db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    killed = False
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if _count(db) >= 10:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.02)
    proc.wait(timeout=30)

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = con.execute("SELECT id, source, text, data FROM documents").fetchall()
    stored_before = len(rows)
    assert killed, "ingest finished before it could be killed; raise N"
    assert stored_before < N, "the kill came too late to test anything"
    for doc_id, source, text, data in rows:  # every stored row is a complete document
        assert text.strip()
        assert isinstance(json.loads(data), dict)  # the extras of a complete document
        assert con.execute("SELECT count(*) FROM documents_fts_docsize WHERE id="
                           "(SELECT rowid FROM documents WHERE id=?)", (doc_id,)).fetchone()[0] == 1
        assert con.execute("SELECT status FROM inputs WHERE source=? AND item=''",
                           (source,)).fetchone()[0] == "ok"
    con.close()

    rerun = subprocess.run(_cmd(src, db), capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{N - stored_before} added, {stored_before} already stored" in rerun.stdout

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == N
    assert con.execute("SELECT count(DISTINCT source) FROM documents").fetchone()[0] == N
    assert con.execute("SELECT count(*) FROM documents_fts_docsize").fetchone()[0] == N
    con.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    con.close()
