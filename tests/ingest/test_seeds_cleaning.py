"""Cleaning and metadata on the five real seed pages (skipped when ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.ingest.items import RawItem
from rashomon.ingest.metadata import build_metadata
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
