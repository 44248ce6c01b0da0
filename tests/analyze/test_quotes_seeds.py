"""Quotes layer on the real seed pages: the main quotes carry their speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.analyze.quotes._layer import extract_quotes
from rashomon.ingest.items import RawItem
from rashomon.ingest.pipeline import make_document
from rashomon.model import Document


def _document(path: Path) -> Document:
    """The seed page cleaned exactly as ingest cleans it."""
    return make_document(RawItem(str(path), path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def seed_quotes(seeds_dir, nlp):
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = _document(path)
        out[path.name[:3]] = (doc, extract_quotes(doc, nlp(doc.text)))
    return out


def _speaker_of(quotes, fragment: str) -> str | None:
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote contains {fragment!r}"
    return hits[0].speaker.name if hits[0].speaker else None


@pytest.mark.parametrize("seed, fragment, speaker", [
    ("000", "Azerbaijan is trying to reach its genocidal goal", "Ghazaryan"),
    ("000", "As you know on August 8, 2023", "Ghazaryan"),
    ("000", "This was a serious blow to the international community", "Ghazaryan"),
    ("000", "This very step is the most expressive sign", "Ghazaryan"),
    ("000", "This is not a one-day exercise", "Ghazaryan"),
    ("003", "Throughout the decades of negotiations", "Lavrov"),
    ("003", "I think that Azerbaijan is not displaying", "Grigoryan"),
    ("003", "The politics of military blackmail", "Poghosyan"),
    ("003", "the visit to Artsakh was a pretext", "Poghosyan"),
    ("003", "Armenia has seen that", "Aliyev"),
    ("003", "The man tried to seize the weapon", "Ministry of Defense"),
    ("004", "a direct act of an ethnic cleansing", "Pashinyan"),
    ("004", "if they accept Azerbaijani citizenship", "Hajiyev"),
    ("004", "Azerbaijan respects their freedom of movement", "Hajiyev"),
    ("001", "to take decisive and effective measures", "Arayik Harutyunyan"),
    ("001", "to activate the early warning mechanism", "Arayik Harutyunyan"),
    ("002", "since the signing of the Trilateral Statement", "Ghazaryan"),
])
def test_quotes_seeds_speakers(seed_quotes, seed, fragment, speaker):
    _, quotes = seed_quotes[seed]
    name = _speaker_of(quotes, fragment)
    assert name is not None and speaker in name


def test_quotes_seeds_kinds_and_offsets(seed_quotes):
    for doc, quotes in seed_quotes.values():
        for q in quotes:
            assert doc.text[q.start : q.end] == q.text
            assert q.kind in ("direct", "indirect", "mixed")
    kinds = {q.kind for _, qs in seed_quotes.values() for q in qs}
    assert kinds == {"direct", "indirect", "mixed"}
    _, q003 = seed_quotes["003"]
    mod = next(q for q in q003 if "The man tried" in q.text)
    assert mod.kind == "direct" and mod.cue == "wrote"
    assert mod.text.startswith("The man tried") and not mod.text.startswith("“")


def test_quotes_seeds_scare_quotes_not_direct(seed_quotes):
    _, q004 = seed_quotes["004"]
    assert not any(q.kind == "direct" and q.text in ("state minister", "post") for q in q004)


def test_quotes_seeds_first_person_appeal_resolves_to_signer(seed_quotes):
    _, q001 = seed_quotes["001"]
    firsts = [q for q in q001 if q.attrs.get("speaker_text", "").lower() in ("i", "we")]
    assert len(firsts) >= 10
    assert all(q.speaker.name == "Arayik Harutyunyan" for q in firsts)
    assert {q.attrs["speaker_via"] for q in firsts} == {"signer"}
