"""Party swap: the mirror corpus and profile used by the neutrality test."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rashomon.demo import corpus_dir
from rashomon.demo.swap import (
    SwapError,
    build_mapping,
    make_swapper,
    swap_pairs_of,
    swap_parties,
    swap_text,
)
from rashomon.profiles import BUNDLED_DIR, load_profile

DEMO_PROFILE = BUNDLED_DIR / "demo.yaml"


def _demo_pairs() -> list[list[str]]:
    return swap_pairs_of(yaml.safe_load(DEMO_PROFILE.read_text(encoding="utf-8")))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_swap_parties_twice_restores_corpus_and_profile_exactly(tmp_path):
    p1, c1 = swap_parties(DEMO_PROFILE, corpus_dir(), tmp_path / "once")
    p2, c2 = swap_parties(p1, c1, tmp_path / "twice")
    assert _files(c1) != _files(corpus_dir())
    assert _files(c2) == _files(corpus_dir())
    assert p2.read_bytes() == DEMO_PROFILE.read_bytes()


def test_swap_parties_swaps_party_ids_and_source_sides(tmp_path):
    profile_out, _ = swap_parties(DEMO_PROFILE, corpus_dir(), tmp_path / "out")
    original, mirrored = load_profile(DEMO_PROFILE), load_profile(profile_out)
    assert mirrored.party_ids == list(reversed(original.party_ids))
    other = {"velmora": "dravenia", "dravenia": "velmora"}
    side_after = {s["name"]: s["side"] for s in mirrored.sources}
    # the registry entry (and hence the articles) of Velmora's state broadcaster now belongs
    # to Dravenia under Dravenia's outlet name: names and sides move together
    assert original.sources[0]["name"] == "Velmora Herald"
    assert original.sources[0]["side"] == "velmora"
    assert mirrored.sources[0]["name"] == "Dravenia Today"
    assert mirrored.sources[0]["side"] == "dravenia"
    assert side_after["Velmora Herald"] == "velmora"
    assert side_after["Meridian Wire"] == "international"
    for before, after in zip(original.sources, mirrored.sources, strict=True):
        assert after["side"] == other.get(before["side"], before["side"])
        assert after["type"] == before["type"]
    # persons keep their entry, roles and dates; names, ids and sides are exchanged
    marden_entry = next(a for a in mirrored.actors if a["name"] == "Halina Brost"
                        and len(a.get("roles", [])) == 2)
    assert marden_entry["id"] == "halina-brost"
    assert marden_entry["side"] == "dravenia" and marden_entry["country"] == "XDR"
    assert marden_entry["roles"][1]["title"] == "Deputy Prime Minister of Dravenia"


def test_swap_text_sample_sentence():
    pairs = _demo_pairs()
    before = ("Velmoran Foreign Minister Ilsa Marden said Dravenia's checkpoint near "
              "Aurenne (called Gorvat by Dravenians) was illegal, the Velmora Herald reported.")
    after = ("Dravenian Foreign Minister Halina Brost said Velmora's checkpoint near "
             "Gorvat (called Aurenne by Velmorans) was illegal, the Dravenia Today reported.")
    assert swap_text(before, pairs) == after
    assert swap_text(after, pairs) == before


def test_swap_longest_first_word_boundaries_and_case_forms():
    swap = make_swapper(_demo_pairs())
    assert swap("Velmorans") == "Dravenians"  # not "Draveniaans"
    assert swap("Velmora Herald") == "Dravenia Today"  # not "Dravenia Herald"
    assert swap("https://velmora-herald.example/x") == "https://dravenia-today.example/x"
    assert swap("2024-12-04-velmora-herald-greyhorn.txt") == "2024-12-04-dravenia-today-greyhorn.txt"
    assert swap("HALVAST — Officials") == "KORRIN — Officials"
    assert swap("anselm-corvel") == "tomas-kervan"
    assert swap("Velmorana and Sarrenese") == "Velmorana and Sarrenese"  # inside longer words
    assert swap("the Greyhorn Pass and Tollen Bridge") == "the Greyhorn Pass and Tollen Bridge"


def test_swap_rejects_conflicting_or_degenerate_pairs():
    with pytest.raises(SwapError):
        build_mapping([["Alpha", "Beta"], ["Alpha", "Gamma"]])
    with pytest.raises(SwapError):
        build_mapping([["Alpha", "Alpha"]])
    with pytest.raises(SwapError):
        build_mapping([["Alpha"]])


def test_swap_parties_exchanges_party_ids_not_covered_by_the_mapping(tmp_path):
    profile = tmp_path / "tiny.yaml"
    profile.write_text(
        "name: tiny\n"
        "parties:\n  - {id: north, name: Northland}\n  - {id: south, name: Southland}\n"
        "actors:\n"
        "  - {id: n-gov, name: Northland, kind: state, aliases: [Northland], side: north}\n"
        "  - {id: s-gov, name: Southland, kind: state, aliases: [Southland], side: south}\n"
        "sources:\n  - {id: n-news, name: North News, side: north, type: blog}\n"
        "swap:\n  - [Northland, Southland]\n  - [North News, South News]\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Northland accused Southland, North News said.\n", encoding="utf-8")
    p_out, c_out = swap_parties(profile, corpus, tmp_path / "out")
    mirrored = load_profile(p_out)
    assert mirrored.party_ids == ["south", "north"]
    assert {a["name"]: a["side"] for a in mirrored.actors} == {"Southland": "south",
                                                               "Northland": "north"}
    assert mirrored.sources[0] == {"id": "n-news", "name": "South News", "side": "south",
                                   "type": "blog", "aliases": []}
    assert (c_out / "a.txt").read_text(encoding="utf-8") == (
        "Southland accused Northland, South News said.\n"
    )


def test_swap_mirrored_manifest_points_at_mirrored_files(tmp_path):
    _, c_out = swap_parties(DEMO_PROFILE, corpus_dir(), tmp_path / "out")
    rows = yaml.safe_load((c_out / "manifest.yaml").read_text(encoding="utf-8"))["items"]
    for row in rows:
        if "path" in row:
            assert (c_out / row["path"]).is_file(), row["path"]
    publishers = {r["publisher"] for r in rows}
    assert "Dravenia Today" in publishers and "Velmora Herald" in publishers


def test_swap_parties_refuses_to_write_into_the_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(ValueError):
        swap_parties(DEMO_PROFILE, corpus, corpus / "mirror")


def test_swap_reaches_names_inside_json_lines_text(tmp_path):
    """Names after a JSON "\\n" escape are swapped: the mirror JSONL equals the swapped text."""
    import json

    _, c_out = swap_parties(DEMO_PROFILE, corpus_dir(), tmp_path / "out")
    pairs = _demo_pairs()
    src = corpus_dir() / "2025-01-13-agency-wires.jsonl"
    original = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()]
    mirrored = [json.loads(line) for line in
                (c_out / src.name).read_text(encoding="utf-8").splitlines()]
    for before, after in zip(original, mirrored, strict=True):
        assert after["text"] == swap_text(before["text"], pairs)
        assert after["publisher"] == swap_text(before["publisher"], pairs)
    assert "Brost said that the Concordat Court" in original[1]["text"]
    assert "Marden said that the Concordat Court" in mirrored[1]["text"]
