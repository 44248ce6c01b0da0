"""Cleaning and metadata on whole pages: the five real seeds (skipped when ../shared is
absent) and the bundled demo corpus (invented outlets, always available)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rashomon.demo import corpus_dir
from rashomon.ingest.items import RawItem
from rashomon.ingest.metadata import build_metadata
from rashomon.ingest.pipeline import make_document
from rashomon.ingest.readers import iter_items
from rashomon.ingest.text_clean import clean_text
from rashomon.profiles import load_profile

from .test_text_clean import assert_covered

PROFILE_YAML = """
name: test-outlets
parties:
  - {id: side_a, name: Side A}
  - {id: side_b, name: Side B}
sources:
  - id: mirror
    name: Armenian Mirror-Spectator
    aliases: [Mirror-Spectator, the Mirror, mirrorspectator.com]
    side: side_a
  - id: massis
    name: Massis Post
    aliases: [MassisPost, massispost.com]
    side: side_a
  - id: weekly
    name: Armenian Weekly
    aliases: [armenianweekly.com]
    side: side_a
  - id: digest
    name: Occasional Digest
    aliases: [occasionaldigest.com]
    side: side_b
"""

# seed prefix -> chrome lines that must not survive, body sentences that must.
SEEDS = {
    "000": {
        "chrome": ["Get the Mirror in your inbox", "Get the Mirror-Spectator Weekly in your inbox",
                   "Artsakh Foreign Minister Hopes for Concrete Steps"],
        "body": ["WATERTOWN — When Foreign Minister of the Artsakh",
                 "Since June 15, only the Red Cross has been allowed",
                 "He summed up: “This is not a one-day exercise."],
    },
    "001": {
        "chrome": ["1 comment", "Artsakh wants peace", "Leave a Reply", "Required fields",
                   "Sign Up for Our Newsletters", "Get notified", "You May Also Like",
                   "Four Armenians Convicted", "Former Environment Minister Wanted"],
        "body": ["The President of Artsakh has sent an urgent appeal",
                 "  • I call for intensified efforts to actively raise awareness",
                 "    • ensure that your governments consider and impose sanctions",
                 "before it becomes too late."],
    },
    "002": {
        "chrome": ["Show More", "Back to top"],
        "body": ["On 24 May, Artsakh’s Foreign Minister Sergey Ghazaryan",
                 "more than 5-month-long blockade",
                 "ethnic cleansing and crimes against humanity."],
    },
    "003": {
        "chrome": ["Lillian Avedian", "16 Comments", "diplomatic corps", "Leave a Reply",
                   "Your email address", "Negotiations between Armenia and Azerbaijan stalled"],
        "body": ["The OSCE Minsk Group co-chairs have called on Armenia",
                 "The meeting between Armenian Foreign Minister Ararat Mirzoyan",
                 "Indeed, on December 6 Aliyev demanded",
                 "recorded the incident as a “violation of the ceasefire regime” by Azerbaijan."],
    },
    "004": {
        "chrome": ["Site icon", "a story for you", "Source link", "Exit mobile version",
                   "Tabib Huseynov", "https://", "the Influence of Ethnic Interest Groups"],
        "body": ["From a theoretical point of view, any armed conflict has a life cycle.",
                 "Autonomous Oblast[1] (NKAO)",
                 "As of October 3, 2003 Azerbaijani government has supplied",
                 "public support are desperately required."],
    },
}


def _seed(seeds_dir: Path, prefix: str) -> str:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    path = tmp_path_factory.mktemp("prof") / "outlets.yaml"
    path.write_text(PROFILE_YAML, encoding="utf-8")
    return load_profile(path)


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seeds_cleaning_chrome_gone_body_kept(seeds_dir, prefix):
    raw = _seed(seeds_dir, prefix)
    out = clean_text(raw)
    assert_covered(raw, out)
    for chrome in SEEDS[prefix]["chrome"]:
        assert chrome not in out.text, chrome
    for sentence in SEEDS[prefix]["body"]:
        assert sentence in out.text, sentence
    assert "\n\n\n" not in out.text


def test_seeds_cleaning_comments_001(seeds_dir):
    out = clean_text(_seed(seeds_dir, "001"))
    assert len(out.comments) == 1
    assert out.comments[0].text.startswith("Artsakh wants peace.")
    assert out.comments[0].text.endswith("once and for all.")
    assert out.comments[0].parent is None


def test_seeds_cleaning_comments_003(seeds_dir):
    out = clean_text(_seed(seeds_dir, "003"))
    # 8 numbered comments; replies under comments 1 (two), 2, 5 and 7.
    top = [c for c in out.comments if c.parent is None]
    replies = [c for c in out.comments if c.parent is not None]
    assert len(top) == 8 and len(replies) == 5
    by_parent = {}
    for r in replies:
        by_parent.setdefault(out.comments[r.parent].text[:20], []).append(r)
    assert len(by_parent["Azerbaijan’s “diplom"]) == 2
    reply = next(c for c in replies if c.text.startswith("I see that a reply"))
    assert "\n\nI wouldn’t be surprised" in reply.text
    assert not any("Leave a Reply" in c.text for c in out.comments)


def test_seeds_cleaning_references_004(seeds_dir):
    out = clean_text(_seed(seeds_dir, "004"))
    assert [r.label for r in out.references] == [str(i) for i in range(1, 18)]
    assert "the Influence of Ethnic Interest Groups" in out.references[1].text
    assert out.references[2].url.startswith("https://moderndiplomacy.eu/")
    assert out.meta["title"] == "Closing the circle: starting from scratch"


def test_seeds_cleaning_author_003(seeds_dir):
    out = clean_text(_seed(seeds_dir, "003"))
    assert out.meta["author"] == "Lillian Avedian"
    assert "assistant editor" in out.meta["author_bio"]


def test_seeds_cleaning_captions(seeds_dir):
    reasons_000 = [r.text for r in clean_text(_seed(seeds_dir, "000")).removed
                   if r.reason == "photo caption"]
    assert reasons_000 == ["Artsakh Foreign Minister Sergey Ghazaryan"]
    reasons_003 = [r.text for r in clean_text(_seed(seeds_dir, "003")).removed
                   if r.reason == "photo caption"]
    assert reasons_003 == ["Armenian Foreign Minister Ararat Mirzoyan and his Azerbaijani "
                           "counterpart Jeyhun Bayramov"]


@pytest.mark.parametrize("prefix,publisher,side", [
    ("000", "Armenian Mirror-Spectator", "side_a"),
    ("001", "Massis Post", "side_a"),
    ("002", None, None),  # the page names no outlet
    ("003", "Armenian Weekly", "side_a"),
    ("004", "Occasional Digest", "side_b"),
])
def test_seeds_cleaning_publisher_matched(seeds_dir, profile, prefix, publisher, side):
    raw = _seed(seeds_dir, prefix)
    meta = build_metadata(RawItem(prefix, raw), clean_text(raw), profile)
    assert meta["publisher"] == publisher
    assert meta["side"] == side
    assert meta["language"] == "en"


# -- the bundled demo corpus (invented outlets; always available) ------------------------

DEMO = corpus_dir()
DEMO_UNLISTED = "velmoran-courier-tollen-bridge.txt"
# file -> (title, author seen on the page or None, chrome that must leave the body)
DEMO_PAGES: dict[str, tuple[str, str | None, list[str]]] = {
    "2024-12-04-velmora-herald-greyhorn.txt": (
        "Dravenian Activists Seal Off Greyhorn Pass, Cutting Aurenne Off From Velmora", None,
        ["Share this", "Back to top", "You May Also Like", "Apple Growers", "in which…"]),
    "2024-12-18-meridian-wire-checkpoint.txt": (
        "Dravenia opens checkpoint on disputed mountain road; Velmora protests", "Tobias Wren",
        ["By Tobias Wren", "(Reporting by"]),
    "2024-12-19-lakemoor-gazette-checkpoint.txt": (
        "Checkpoint goes up on disputed mountain road", None,
        ["LAKEMOOR GAZETTE", "From Meridian Wire", "Print this article", "Email this article",
         "Distributed by", "All rights reserved", "Sign up for", "3 Comments", "Name *"]),
    "2024-12-29-dravenian-observer-tollen-bridge.txt": (
        "Guard at Tollen Bridge acted in self-defence, Defence Ministry says", None,
        ["Share this article", "\nPrint", "Related", "Korrin marathon", "National Gallery"]),
    "2025-01-10-meridian-wire-court-order.txt": (
        "Court orders free passage over Greyhorn Pass as families leave highland town",
        "Tobias Wren", ["By Tobias Wren", "(Reporting by"]),
    "2025-01-15-ridgeline-diary-open-letter.txt": (
        "An Open Letter From the Highlands", "Ada Lindrow",
        ["Posted by", "[1] The full list", "[3] Correction", "Share this", "Facebook",
         "Email", "2 Comments"]),
    "2025-01-20-plainsong-journal-court.txt": (
        "What the Court Actually Said About the Kavrath Road", "Rika Tamm",
        ["by Rika Tamm", "writes about politics", "Subscribe", "Enter your email",
         "Back to top"]),
    "2025-01-22-velmora-herald-convoy.txt": (
        "League Flour Convoy Turned Back Below Tollen Bridge", "Lena Varro", ["By Lena Varro"]),
    "2025-01-23-dravenia-today-relief-column.txt": (
        "Relief column for Kaldor villages stopped by Velmoran militiamen", "Jana Pell",
        ["By Jana Pell"]),
    "2025-01-24-meridian-wire-convoys.txt": (
        "Two aid convoys blocked in the highlands as threats against League force mount",
        "Tobias Wren", ["By Tobias Wren"]),
    DEMO_UNLISTED: (
        "Aurenne Buries a Driver Taken at the Tollen Bridge Checkpoint", "Matteo Grell",
        ["Get the Courier", "Matteo Grell", "4 Comments", "Leave a Reply"]),
}
# Chrome phrases no cleaned demo document may keep, whatever its input kind.
GENERIC_CHROME = ["Share this", "Back to top", "Leave a Reply", "Sign up", "Subscribe",
                  "Enter your email", "Posted by", "Distributed by", "Print this", "Email this",
                  "You May Also Like", "Comments\n", "All rights reserved", "Reporting by"]


def test_seeds_cleaning_demo_covers_every_text_file():
    assert {p.name for p in DEMO.glob("*.txt")} == set(DEMO_PAGES)


@pytest.mark.parametrize("name", sorted(DEMO_PAGES))
def test_seeds_cleaning_demo_page(name):
    raw = (DEMO / name).read_text(encoding="utf-8")
    out = clean_text(raw)
    assert_covered(raw, out)
    title, author, chrome = DEMO_PAGES[name]
    assert out.meta.get("title") == title
    assert out.meta.get("author") == author
    for line in chrome:
        assert line not in out.text, line
    assert title not in out.text
    first, last = out.text.split("\n\n")[0], out.text.split("\n\n")[-1]
    assert len(first.split()) >= 20, first
    assert re.sub(r"\[\d+\]$", "", last).endswith((".", '"', "”", "?", "!")), last
    clues = " ".join(out.meta.get("x_outlet_clues", []))
    assert "Meridian" not in clues  # a syndication credit never names the publisher


def test_seeds_cleaning_demo_ridgeline_references():
    raw = (DEMO / "2025-01-15-ridgeline-diary-open-letter.txt").read_text(encoding="utf-8")
    out = clean_text(raw)
    assert [r.label for r in out.references] == ["1", "2", "3"]
    assert out.references[0].text.startswith("The full list of signatories")
    assert out.references[2].text.endswith("sent a revised list.")
    for ref in out.references:
        assert raw[ref.raw_start : ref.raw_end].endswith(ref.text)
    assert "with our notes at the end.[1]" in out.text  # inline markers stay
    assert [(c.index, c.parent) for c in out.comments] == [(0, None), (1, 0), (2, None)]


def test_seeds_cleaning_demo_lakemoor_syndicated_copy():
    out = clean_text((DEMO / "2024-12-19-lakemoor-gazette-checkpoint.txt").read_text("utf-8"))
    assert out.meta["x_syndicated_from"] == "Meridian Wire"
    assert [r.reason for r in out.removed].count("syndication credit") == 2
    assert [(c.index, c.parent) for c in out.comments] == [(0, None), (1, 0), (2, None)]
    assert out.text.startswith("TOLLEN BRIDGE, Sarren Highlands (Meridian Wire) —")


def test_seeds_cleaning_demo_ingest_with_manifest():
    """The whole ingest path (text, HTML, JSON Lines) with the manifest and demo profile."""
    manifest = yaml.safe_load((DEMO / "manifest.yaml").read_text(encoding="utf-8"))["items"]
    rows = {r.get("path") or r["url"]: r for r in manifest}
    profile = load_profile("demo")
    items = [it for it in iter_items([str(DEMO)], manifest=str(DEMO / "manifest.yaml"))]
    assert not [it for it in items if not isinstance(it, RawItem)]
    assert len(items) == 14
    for item in items:
        doc = make_document(item, profile)
        row = rows.get(Path(item.source).name) or rows.get(item.meta.get("url"))
        for phrase in GENERIC_CHROME:
            assert phrase not in doc.text, (item.source, phrase)
        assert doc.side in ("velmora", "dravenia", "international"), item.source
        if row is None:  # the unlisted page: outlet from its chrome, date from its text
            assert doc.publisher == "The Velmoran Courier"
            assert doc.published_inferred and doc.published.startswith("2024-12")
            continue
        assert (doc.title, doc.author, doc.publisher) == (
            row["title"], row["author"], row["publisher"]), item.source
        assert doc.published == str(row["published"]) and not doc.published_inferred


@pytest.mark.parametrize("name,publisher", [
    ("2024-12-19-lakemoor-gazette-checkpoint.txt", "Lakemoor Gazette"),
    ("2025-01-20-plainsong-journal-court.txt", "Plainsong Journal"),
    (DEMO_UNLISTED, "The Velmoran Courier"),
])
def test_seeds_cleaning_demo_publisher_from_chrome_without_manifest(name, publisher):
    raw = (DEMO / name).read_text(encoding="utf-8")
    meta = build_metadata(RawItem(name, raw), clean_text(raw), load_profile("demo"))
    assert meta["publisher"] == publisher
