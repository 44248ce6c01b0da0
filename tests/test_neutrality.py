"""Neutrality by construction: swap the parties and the outputs swap with them.

The demo corpus and its profile are mirrored (every name of party A exchanged
with party B's counterpart, see ``rashomon.demo.swap``), the whole pipeline
runs on both, and stories, contradictions and framing of the mirror must be
exactly the mirror of the original's: same records, with names and side
labels exchanged.  Document ids are content hashes and so differ; records are
compared through their documents' (swapped) source paths and their texts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rashomon.demo import corpus_dir
from rashomon.demo.swap import make_swapper, swap_pairs_of, swap_parties
from rashomon.ingest.pipeline import ingest
from rashomon.pipeline import analyze
from rashomon.profiles import BUNDLED_DIR, load_profile
from rashomon.store import Store

pytestmark = pytest.mark.slow


def _run(tmp: Path, profile_path: Path, corpus: Path) -> dict[str, Any]:
    store = Store(tmp / "w.db")
    manifest = corpus / "manifest.yaml"
    report = ingest(store, [str(corpus)], manifest=str(manifest) if manifest.exists() else None)
    assert report.errors == []
    profile = load_profile(profile_path)
    analyze(store, profile)
    docs = {d.id: d for d in store.iter_documents()}
    out = {
        "docs": docs,
        "stories": store.records("stories"),
        "contradictions": store.records("contradictions"),
        "framing": store.records("framing"),
        "events": {e["id"]: e for e in store.records("events")},
        "sides": {i: profile.side_of(d) for i, d in docs.items()},
    }
    store.close()
    return out


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory):
    base = tmp_path_factory.mktemp("neutral")
    profile_path = BUNDLED_DIR / "demo.yaml"
    swapped_profile, swapped_corpus = swap_parties(profile_path, corpus_dir(), base / "mirror")
    (base / "a").mkdir()
    (base / "b").mkdir()
    original = _run(base / "a", profile_path, corpus_dir())
    mirror = _run(base / "b", swapped_profile, swapped_corpus)
    import yaml

    pairs = swap_pairs_of(yaml.safe_load(profile_path.read_text(encoding="utf-8")))
    swap = make_swapper(pairs)
    parties = [p["id"] for p in load_profile(profile_path).parties]
    side_map = {parties[0]: parties[1], parties[1]: parties[0]}
    return original, mirror, swap, side_map


def _src(run: dict[str, Any], doc_id: str) -> str:
    return Path(run["docs"][doc_id].source.split("#")[0]).name + (
        "#" + run["docs"][doc_id].source.split("#")[1] if "#" in run["docs"][doc_id].source else "")


def _title_words(title: str) -> str:
    """Title as a bag of words: names are listed alphabetically, so after a swap the
    same participants may come in another order (and the commas with them)."""
    return " ".join(sorted(title.replace(",", " ").split()))


def _story_keys(run, swap=None, side_map=None):
    swap = swap or (lambda s: s)
    side_map = side_map or {}
    keys = Counter()
    for s in run["stories"]:
        keys[(
            s.get("date"), s.get("date_end"),
            tuple(sorted(swap(_src(run, d)) for d in s["doc_ids"])),
            tuple(sorted(side_map.get(x, x) for x in s.get("sides", []))),
            tuple(sorted(swap(run["events"][e]["sentence"]) for e in s["event_ids"])),
            _title_words(swap(s.get("title") or "")),
        )] += 1
    return keys


def _contra_keys(run, swap=None, side_map=None):
    swap = swap or (lambda s: s)
    side_map = side_map or {}
    keys = Counter()
    for c in run["contradictions"]:
        ends = frozenset(
            (swap(_src(run, x["doc_id"])), swap(x["text"]), swap(x.get("speaker") or ""),
             side_map.get(x.get("side"), x.get("side")))
            for x in (c["a"], c["b"]))
        keys[(c["kind"], c["confidence"], ends)] += 1
    return keys


def _framing_keys(run, swap=None, side_map=None):
    swap = swap or (lambda s: s)
    side_map = side_map or {}
    keys = Counter()
    for r in run["framing"]:
        keys[(r.get("kind"), swap(r.get("referent") or ""), swap(r.get("term") or ""),
              side_map.get(r.get("side"), r.get("side")), swap(r.get("source") or ""),
              r.get("count"))] += 1
    return keys


def test_neutrality_stories_mirror(mirrored):
    original, mirror, swap, side_map = mirrored
    assert original["stories"], "the demo corpus should yield stories"
    assert _story_keys(original, swap, side_map) == _story_keys(mirror)


def test_neutrality_contradictions_mirror(mirrored):
    original, mirror, swap, side_map = mirrored
    assert original["contradictions"], "the demo corpus should yield contradictions"
    assert _contra_keys(original, swap, side_map) == _contra_keys(mirror)


def test_neutrality_framing_mirrors(mirrored):
    original, mirror, swap, side_map = mirrored
    assert original["framing"], "the demo corpus should yield framing rows"
    assert _framing_keys(original, swap, side_map) == _framing_keys(mirror)


def test_neutrality_sides_swap_with_the_documents(mirrored):
    original, mirror, swap, side_map = mirrored
    a = {swap(_src(original, i)): side_map.get(s, s) for i, s in original["sides"].items()}
    b = {_src(mirror, i): s for i, s in mirror["sides"].items()}
    assert a == b
    assert set(a.values()) >= set(side_map)

