"""A real ``rashomon serve`` process on 127.0.0.1 over a small hostile workspace.

The workspace is written through the Store (no analysis, no spaCy), with
hostile markup in every text field a page shows: titles, outlets, authors,
URLs, bodies, entity and speaker names, story titles, contradiction sides,
framing terms and warnings.  The server is started with ``--port 0`` and
announces its address on its first stdout line; every test talks HTTP to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from rashomon.model import (
    Actor,
    Claim,
    Comment,
    Contradiction,
    Document,
    Entity,
    Event,
    Mention,
    Quote,
    Story,
)
from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "t0ken-for-tests"
# Each payload would set window.__pwned (or open a dialog) if it ever ran.
EVIL = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
        '<svg onload="window.__pwned=3"></svg>"\'><a href="javascript:window.__pwned=4">x</a>')
EVIL_URL = "javascript:window.__pwned=5"


def _ns(**kw: object) -> SimpleNamespace:
    return SimpleNamespace(**kw)


def build_workspace(path: Path, warnings: bool = True) -> dict[str, str]:
    """Two documents from two camps, one of each record kind; returns the ids used."""
    t1 = ("Border guards closed the Tollen checkpoint on 3 May, the North Herald reported. "
          "Minister Ada Vell said: \"The checkpoint is legal.\" " + EVIL + " The road stayed shut.")
    t2 = ("Southern officials said the checkpoint was illegal and denied that guards had "
          "closed it in May. " + EVIL)
    with Store(path) as st:
        st.put_document(Document(id="dA", source="a.txt", text=t1, title="Checkpoint " + EVIL,
                                 publisher="North Herald " + EVIL, author="Reporter " + EVIL,
                                 url=EVIL_URL, published="2024-05-04", side="north",
                                 comments=[Comment(index=0, text="Reader: " + EVIL,
                                                   author="troll " + EVIL)]))
        st.put_document(Document(id="dB", source="b.txt", text=t2, title="Denial " + EVIL,
                                 publisher="South Courier", url="https://example.org/b",
                                 published="2024-05-05", side="south"))
        st.put_entities([Entity(id="tollen", kind="place", name="Tollen " + EVIL, lat=41.5,
                                lon=44.8, origin="profile"),
                         Entity(id="ada-vell", kind="person", name="Ada Vell " + EVIL)])
        i1 = t1.index("Border")
        e1 = Event(id="e1", doc_id="dA", start=i1, end=t1.index(" the North"),
                   sentence=t1[:t1.index(" the North")], cameo="191", plover="PROTEST",
                   goldstein=-6.5, date="2024-05-03", date_precision="day",
                   source_actor=Actor("Border guards " + EVIL),
                   place={"name": "Tollen " + EVIL, "entity_id": "tollen", "lat": 41.5,
                          "lon": 44.8})
        e2 = Event(id="e2", doc_id="dB", start=0, end=len(t2), sentence=t2, cameo="191",
                   plover="PROTEST", goldstein=-2.0, date="2024-05-04", date_precision="day",
                   modality={"negated": True})
        st.replace_doc_records("events", "v1", "f", "dA", {"events": [e1]})
        st.replace_doc_records("events", "v1", "f", "dB", {"events": [e2]})
        qs = t1.index('"The')
        q1 = Quote(id="q1", doc_id="dA", start=qs, end=qs + len('"The checkpoint is legal."'),
                   text='"The checkpoint is legal."', kind="direct",
                   speaker=Actor("Ada Vell " + EVIL, entity_id="ada-vell"))
        st.replace_doc_records("quotes", "v1", "f", "dA", {"quotes": [q1]})
        m1 = Mention(id="m1", doc_id="dA", start=t1.index("Tollen"), end=t1.index("Tollen") + 6,
                     entity_id="tollen", surface="Tollen", kind="place")
        st.replace_doc_records("entities", "v1", "f", "dA", {"mentions": [m1]})
        c1 = Claim(id="c1", doc_id="dA", start=qs, end=q1.end, text=q1.text, kind="qualification",
                   speaker=q1.speaker, outlet="North Herald " + EVIL, side="north", event_id="e1")
        c2 = Claim(id="c2", doc_id="dB", start=0, end=t2.index(" and denied"),
                   text=t2[:t2.index(" and denied")], kind="qualification", outlet="South Courier",
                   side="south", event_id="e2")
        st.replace_doc_records("claims", "v1", "f", "dA", {"claims": [c1]})
        st.replace_doc_records("claims", "v1", "f", "dB", {"claims": [c2]})
        st.replace_corpus_records("stories", [Story(
            id="s1", title="Closure of the checkpoint " + EVIL, date="2024-05-03",
            event_ids=["e1", "e2"], doc_ids=["dA", "dB"], sides=["north", "south"],
            attrs={"sources": ["North Herald " + EVIL, "South Courier"], "plover": "PROTEST"}),
            Story(id="s2", title="Only north", date="2024-05-03", event_ids=["e1"],
                  doc_ids=["dA"], sides=["north"], attrs={"sources": ["North Herald"]})])
        side = {"doc_id": "dA", "start": c1.start, "end": c1.end, "text": c1.text + EVIL,
                "speaker": "Ada Vell " + EVIL, "outlet": "North Herald " + EVIL, "side": "north",
                "claim_id": "c1"}
        other = {"doc_id": "dB", "start": c2.start, "end": c2.end, "text": c2.text,
                 "speaker": None, "outlet": "South Courier", "side": "south", "claim_id": "c2"}
        st.replace_corpus_records("contradictions", [
            Contradiction(id="x1", kind="qualification", story_id="s1", confidence=0.8, a=side,
                          b=other, attrs={"reason": "legal vs illegal " + EVIL}),
            Contradiction(id="x2", kind="negation", story_id="s1", confidence=0.5, a=other,
                          b=side)])
        st.replace_corpus_records("framing", [_ns(
            id="f1", kind="loaded_term", referent="checkpoint", label="the checkpoint " + EVIL,
            term="illegal checkpoint " + EVIL, side="south", source="South Courier", count=2,
            doc_ids=["dB"], examples=[{"doc_id": "dB", "start": 0, "end": 20,
                                       "text": t2[:20]}], attrs={})])
        st.replace_corpus_records("coverage", [_ns(
            id="cov1", kind="blindspot", story_id="s2", key="north", docs=1, events=1,
            attrs={"missing": ["south"], "title": "Only north"})])
        if warnings:
            st.ensure_record_tables([], ["warnings"])
            st.replace_corpus_records("warnings", [_ns(
                id="w1", kind="escalation", level="high", date="2024-05-04",
                title="Escalation near Tollen " + EVIL, story_id="s1", attrs={})])
    return {"doc": "dA", "event": "e1", "contradiction": "x1", "warning": "w1", "story": "s1"}


@contextmanager
def serve(db: Path, *args: str, timeout: float = 30.0) -> Iterator[str]:
    """Run ``rashomon serve`` on a free loopback port; yield its base URL; stop it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), RASHOMON_PROGRESS_SECONDS="0")
    env.pop("RASHOMON_TOKEN", None)
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a full pipe would block
    proc = subprocess.Popen([sys.executable, "-m", "rashomon.cli", "serve", "--db", str(db),
                             "--host", "127.0.0.1", "--port", "0", "--json", *args],
                            stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            proc.wait(timeout=10)
            errors.seek(0)
            raise RuntimeError(f"server did not start: {errors.read()[-3000:]}")
        url = json.loads(line)["url"].rstrip("/")
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(url + "/api", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                errors.seek(0)
                raise RuntimeError(f"server did not answer: {errors.read()[-3000:]}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        errors.seek(0)
        log = errors.read()
        errors.close()
        if "Traceback" in log:  # an exception inside the server fails the test that caused it
            raise AssertionError(f"server logged an exception:\n{log[-4000:]}")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web") / "web.db"
    build_workspace(db)
    return db


@pytest.fixture(scope="module")
def server(workspace: Path) -> Iterator[str]:
    """A server with a token (writes need it)."""
    with serve(workspace, "--token", TOKEN) as url:
        yield url
