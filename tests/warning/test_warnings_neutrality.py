"""Neutrality of the early-warning layers: swap the parties, the findings swap with them.

The demo corpus and its profile are mirrored (rashomon.demo.swap); the whole
pipeline runs on both.  Every finding of the mirror must be the original's
finding with names and camps exchanged: same indicator, period, strength,
number of sources, evidence sentences and speakers.  The demo corpus holds
invented cases for every camp (a dehumanising statement, a blocked food convoy,
a threat against peacekeepers), so the test would catch a rule that fires for
one party's wording only.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from rashomon.demo import corpus_dir
from rashomon.demo.swap import make_swapper, swap_pairs_of, swap_parties
from rashomon.ingest.pipeline import ingest
from rashomon.pipeline import analyze
from rashomon.profiles import BUNDLED_DIR, load_profile
from rashomon.store import Store

pytestmark = pytest.mark.slow


def _run(tmp: Path, profile_path: Path, corpus: Path) -> dict[str, Any]:
    store = Store(tmp / "w.db")
    ingest(store, [str(corpus)], manifest=str(corpus / "manifest.yaml"))
    analyze(store, load_profile(profile_path))
    out = {"docs": {d.id: d for d in store.iter_documents()},
           "warnings": store.records("warnings"), "escalation": store.records("escalation")}
    store.close()
    return out


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory):
    base = tmp_path_factory.mktemp("ew-neutral")
    profile_path = BUNDLED_DIR / "demo.yaml"
    swapped_profile, swapped_corpus = swap_parties(profile_path, corpus_dir(), base / "mirror")
    (base / "a").mkdir()
    (base / "b").mkdir()
    original = _run(base / "a", profile_path, corpus_dir())
    mirror = _run(base / "b", swapped_profile, swapped_corpus)
    swap = make_swapper(swap_pairs_of(yaml.safe_load(profile_path.read_text(encoding="utf-8"))))
    parties = [p["id"] for p in load_profile(profile_path).parties]
    return original, mirror, swap, {parties[0]: parties[1], parties[1]: parties[0]}


def _keys(run, swap=lambda s: s, side_map=None):
    side_map = side_map or {}
    keys = Counter()
    for w in run["warnings"]:
        evidence = tuple(sorted(
            (swap(Path(run["docs"][e["doc_id"]].source.split("#")[0]).name),
             swap(e["text"]), swap(e.get("speaker") or ""),
             side_map.get(e["camp"], e["camp"]), e["mode"]) for e in w["evidence"]))
        keys[(w["indicator"], w["scope"], w["strength"], w["sources"], w["basis"],
              tuple(sorted(side_map.get(c, c) for c in w["camps"])), evidence)] += 1
    return keys


def test_warning_findings_mirror(mirrored):
    original, mirror, swap, side_map = mirrored
    assert len(original["warnings"]) >= 10
    assert _keys(original, swap, side_map) == _keys(mirror)


def test_invented_cases_are_found_for_every_party_camp(mirrored):
    original, _mirror, _swap, side_map = mirrored
    camps_of = {}
    for w in original["warnings"]:
        for e in w["evidence"]:
            camps_of.setdefault(w["indicator"], set()).add(e["camp"])
    for indicator in ("13.5", "13.8", "14.5"):  # dehumanising, supplies blocked, threats
        assert set(side_map) <= camps_of.get(indicator, set()), indicator


def test_escalation_index_mirrors(mirrored):
    original, mirror, _swap, _side_map = mirrored

    def rows(run):
        return sorted((r["period"], r["events"], r["docs"], r["severe"], r["z"])
                      for r in run["escalation"] if r["dyad"] == "all")

    assert rows(original) and rows(original) == rows(mirror)
