"""The bundled demo corpus: it ingests, its metadata is complete, its hard cases exist.

The corpus is invented (two fictional states), so these checks guard the
*design* of the test material: every hard case the analysis layers are meant to
face is present, every contested name resolves to one place, and the corpus is
balanced between the two parties.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from rashomon.demo import corpus_dir
from rashomon.profiles import load_profile

CORPUS = corpus_dir()
MANIFEST = CORPUS / "manifest.yaml"
UNLISTED = "velmoran-courier-tollen-bridge.txt"  # outlet from chrome, date from text


def _article_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "manifest.yaml")


def _manifest_rows() -> list[dict]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data["items"] if isinstance(data, dict) else data


def _jsonl_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _plain(path: Path) -> str:
    """Readable text of a corpus file (tags and entities stripped from HTML)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        import html

        return html.unescape(re.sub(r"<[^>]+>", " ", raw))
    if path.suffix == ".jsonl":
        return "\n\n".join(item["text"] for item in _jsonl_items(path))
    return raw


def _all_text() -> str:
    return "\n\n".join(_plain(p) for p in _article_files())


def test_demo_corpus_ingests_without_error(fresh_db):
    try:
        import rashomon.ingest.readers  # noqa: F401
        from rashomon.ingest.pipeline import ingest
    except ImportError as exc:  # readers are another engineer's module
        pytest.skip(f"ingest readers not available yet: {exc}")
    profile = load_profile("demo")
    report = ingest(fresh_db, [str(CORPUS)], manifest=str(MANIFEST), profile=profile)
    assert report.errors == []
    docs = list(fresh_db.iter_documents())
    assert len(docs) == 14  # 13 files, one of them JSON Lines with two articles
    kinds = Counter(d.input_kind for d in docs)
    assert kinds["html"] == 1
    sides = Counter(d.side for d in docs)
    assert sides == {"velmora": 5, "dravenia": 5, "international": 4}
    # the syndicated copy of the wire story is linked to the original
    assert any(nd["kind"] == "near-duplicate" for nd in report.near_duplicates)
    # the one file without a manifest row: outlet from its chrome, date from its text
    courier = next(d for d in docs if d.source.endswith(UNLISTED))
    assert courier.publisher == "The Velmoran Courier"
    assert courier.published_inferred is True
    assert courier.published and courier.published.startswith("2024-12")
    assert len(courier.comments) == 4
    assert "Courier Morning Bulletin" not in courier.text
    for doc in docs:
        assert doc.text.strip()
        assert "Leave a Reply" not in doc.text


def test_demo_manifest_covers_every_file_but_one():
    rows = _manifest_rows()
    paths = {r["path"] for r in rows if "path" in r}
    urls = {r["url"] for r in rows}
    for f in _article_files():
        if f.name == UNLISTED:
            assert f.name not in paths
        elif f.suffix == ".jsonl":
            assert {item["url"] for item in _jsonl_items(f)} <= urls
        else:
            assert f.name in paths, f"{f.name} has no manifest row"
    assert paths <= {f.name for f in _article_files()}
    profile = load_profile("demo")
    for row in rows:
        assert "side" not in row, "sides come from the profile's source registry"
        for key in ("url", "title", "publisher", "author", "published", "language"):
            assert row.get(key), f"manifest row {row.get('path') or row['url']} lacks {key}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(row["published"]))
        assert ".example/" in row["url"]
        assert profile.source_for(row["publisher"]) is not None, row["publisher"]
    # the period crosses a year boundary, so undated "December 27" needs a year
    years = {str(r["published"])[:4] for r in rows}
    assert years == {"2024", "2025"}


def test_demo_jsonl_items_have_the_reader_fields():
    for f in _article_files():
        if f.suffix != ".jsonl":
            continue
        items = _jsonl_items(f)
        assert len(items) == 2
        for item in items:
            for key in ("id", "url", "title", "publisher", "author", "published", "text"):
                assert item.get(key), key


def test_demo_articles_are_300_to_900_words():
    counts: dict[str, int] = {}
    for f in _article_files():
        if f.suffix == ".jsonl":
            for item in _jsonl_items(f):
                counts[item["id"]] = len(item["text"].split())
        elif f.suffix == ".html":
            body = f.read_text(encoding="utf-8").split('class="story-body"')[1].split("</div>")[0]
            counts[f.name] = len(_plain_html(body).split())
        else:
            counts[f.name] = len(f.read_text(encoding="utf-8").split())
    assert len(counts) == 14
    for name, n in counts.items():
        assert 300 <= n <= 900, f"{name}: {n} words"


def _plain_html(fragment: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_demo_profile_loads_and_is_consistent():
    profile = load_profile("demo")
    assert profile.party_ids == ["velmora", "dravenia"]
    ids = [x["id"] for x in [*profile.actors, *profile.places]]
    assert len(ids) == len(set(ids)), "ids must be unique across actors and places"
    allowed_sides = {*profile.party_ids, "international"}
    for src in profile.sources:
        assert src["side"] in allowed_sides
        assert src.get("type")
    by_side = Counter(s["side"] for s in profile.sources)
    assert by_side["velmora"] == by_side["dravenia"] == 4
    for party in profile.party_ids:
        types = {s["type"] for s in profile.sources if s["side"] == party}
        assert "state media" in types and "blog" in types
    # one person's role changes in the middle of the covered period
    marden = next(a for a in profile.actors if a["id"] == "ilsa-marden")
    first, second = marden["roles"]
    assert str(first["end"]) == "2025-01-05" and str(second["start"]) == "2025-01-06"
    for term in profile.lexicon["loaded_terms"]:
        assert len(term["terms"]) == 2
    assert {q["name"] for q in profile.lexicon["qualifier_pairs"]} >= {"legality", "voluntariness"}


def _alias_index() -> dict[str, str]:
    profile = load_profile("demo")
    index: dict[str, str] = {}
    for place in profile.places:
        for alias in [place["name"], *place["aliases"]]:
            index[alias] = place["id"]
    return index


def test_demo_place_aliases_used_by_the_corpus_resolve():
    index = _alias_index()
    text = _all_text()
    # contested names: each side's name is an alias of one place
    assert index["Sarren Highlands"] == index["Kaldor Highlands"] == index["Kaldor"]
    assert index["Aurenne"] == index["Gorvat"]
    assert index["Vessen Road"] == index["Kavrath Road"] == index["Greyhorn Pass"]
    # every named road, pass, district, bridge or highland in the text is a known alias
    named = set(re.findall(r"\b[A-Z][a-z]+ (?:Road|Pass|Highlands|Bridge|district)\b", text))
    assert named, "the corpus names its places"
    unknown = sorted(n for n in named if n not in index)
    assert unknown == []
    used = {alias for alias in index if re.search(r"\b" + re.escape(alias) + r"\b", text)}
    assert {"Sarren", "Kaldor", "Aurenne", "Gorvat", "Vessen Road", "Kavrath Road",
            "Greyhorn Pass", "Tollen Bridge", "Halvast", "Korrin"} <= used


def test_demo_swap_terms_are_all_profile_names():
    """Completeness of the swap mapping: every swapped term names something in the profile."""
    profile = load_profile("demo")
    names = set()
    for item in [*profile.actors, *profile.places, *profile.sources]:
        names.add(item["name"])
        names.update(item["aliases"])
        if item.get("country"):
            names.add(item["country"])
    words = {w for n in names for w in re.findall(r"[A-Za-z]+", n)}
    for a, b in profile.data["swap"]:
        for term in (a, b):
            assert term in names or term in words, f"swap term {term!r} is not a profile name"
    # every person with a side has a counterpart in the mapping
    swapped = {t for pair in profile.data["swap"] for t in pair}
    for actor in profile.actors:
        if actor["kind"] == "person" and actor.get("side"):
            assert actor["name"] in swapped, actor["name"]


HARD_CASES: dict[str, list[str]] = {
    # one incident in opposite terms: road closure
    "2024-12-04-velmora-herald-greyhorn.txt": [
        "It is a blockade of a civilian population",
        "the siege of Aurenne",
        '," Foreign Minister Ilsa Marden told reporters',  # direct quote with cue after
        "According to the ministry, the mission's commander",
        "on December 3",
        "two days before the camp appeared",
    ],
    "2024-12-04-dravenia-today-sit-in.html": [
        "The eco-protest began on Tuesday morning",
        "Environmental sit-in on Kavrath Road",
        "the Kaldor Highlands",
        "said Miro Dask",
        "The Defence Ministry of Dravenia said",
        '<meta property="article:published_time"',
        '<meta property="og:site_name" content="Dravenia Today">',
    ],
    # the checkpoint: illegal vs lawful; the wire uses both names
    "2024-12-18-meridian-wire-checkpoint.txt": [
        "the town of Aurenne (called Gorvat by Dravenia)",
        "which Velmorans call the Vessen Road and Dravenians the Kavrath Road",
        "a mountain district known in Dravenia as Kaldor",
        "the post was a lawful border and customs post",
        "said that the checkpoint was illegal",
        "according to Open Roads Watch",
        "he said, adding that",  # "he" must resolve to Piet Harlan
        "Since December 3",
    ],
    "2024-12-19-lakemoor-gazette-checkpoint.txt": ["3 Comments", "    • The League controls"],
    # the driver's death: abducted and killed vs self-defence; two-paragraph quote
    UNLISTED: [
        "He was abducted and killed for carrying medicine.",
        "the illegal checkpoint on Tollen Bridge",
        "on Friday, December 27",
        "since December 3, 2024",
        'not like his papers.\n\n"Our children ask',
        "Get the Courier Morning Bulletin in your inbox:",
        "Matteo Grell\n\nMatteo Grell\n\nMatteo Grell is a senior correspondent",
        "4 Comments",
    ],
    "2024-12-29-dravenian-observer-tollen-bridge.txt": [
        "acted in self-defence when he shot a Velmoran driver",
        "this provocateur",
        "the other guards at the post did not fire",
        "The Defence Ministry of Dravenia said on Saturday",
        "A lawful border and customs post does not become illegal",
    ],
    # date of the court order, numbers of departures, role change
    "2025-01-10-meridian-wire-court-order.txt": [
        "The order of 8 January",
        "about 12,000 people have left",
        "Dravenian authorities put the number at about 3,000",
        "Aurenne, known in Dravenia as Gorvat",
        "who replaced Ilsa Marden on Monday when she was promoted to deputy prime minister",
        "According to Quist,",
    ],
    "2025-01-13-agency-wires.jsonl": [
        "about 12,000 Velmorans had been forced out of Aurenne",
        "called the departures ethnic cleansing",
        "were doing so of their own free will",
        "about 3,000 rather than",
        "Velmora could launch an offensive in the highlands if it concluded",
        "Deputy Prime Minister Ilsa Marden",
        "the Concordat Court's order of 8 January",
    ],
    # an appeal to several addressees with different demands; footnotes; comments
    "2025-01-15-ridgeline-diary-open-letter.txt": [
        "To the Caldera League: we urge you",
        "To the Concordat Court of Justice: we ask you",
        "To the Government of Dravenia: we demand that you",
        "To the Government of Velmora: we call on you",
        "Two days later, the first families",
        "[1] The full list of signatories",
        "2 Comments",
    ],
    # date mismatch (December vs 8 January), implausible typo date, "last Tuesday"
    "2025-01-20-plainsong-journal-court.txt": [
        "When the judges ruled in December",
        "on January 10, 2015",
        "at a briefing last Tuesday",
        "Those who left did so voluntarily",
        "The so-called community council in Gorvat",
        "the lawful border post at Tollen Bridge",
        'the evidence.\n\n"If Halvast wants an investigation',
    ],
}


@pytest.mark.parametrize("name", sorted(HARD_CASES))
def test_demo_hard_case_phrases_exist(name):
    raw = (CORPUS / name).read_text(encoding="utf-8")
    text = raw if name.endswith((".txt", ".html")) else _plain(CORPUS / name)
    missing = [p for p in HARD_CASES[name] if p not in text]
    assert missing == []


def test_demo_both_parties_use_loaded_terms():
    """Balance: each party's outlets use their own side of every framing contrast."""
    profile = load_profile("demo")
    side_of = {s["name"]: s["side"] for s in profile.sources}
    texts: dict[str, str] = {"velmora": "", "dravenia": ""}
    rows = {r.get("path") or r["url"]: r for r in _manifest_rows()}
    for f in _article_files():
        if f.suffix == ".jsonl":
            for item in _jsonl_items(f):
                side = side_of[item["publisher"]]
                texts[side] += "\n" + item["text"]
            continue
        publisher = rows[f.name]["publisher"] if f.name in rows else "The Velmoran Courier"
        side = side_of[publisher]
        if side in texts:
            texts[side] += "\n" + _plain(f)
    # in the demo lexicon the first term of each referent is Velmora's framing, the second
    # Dravenia's; each side's outlets must use their own framing at least once
    for ref in profile.lexicon["loaded_terms"]:
        for side, term in zip(("velmora", "dravenia"), ref["terms"], strict=True):
            low = texts[side].lower()
            assert any(p.rstrip("*").lower() in low for p in term["patterns"]), (
                f"{ref['referent']}: no {side} outlet says {term['term']!r}"
            )
