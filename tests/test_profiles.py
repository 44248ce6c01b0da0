"""Profiles: loading, validation, outlet matching, the side of a document."""

from __future__ import annotations

import pytest

from rashomon.profiles import (
    ProfileError,
    bundled_profile_names,
    choose_profile,
    load_profile,
    resolve_profile,
)

YAML = """
name: t
parties: [{id: p1, name: One}, {id: p2, name: Two}]
sources:
  - {id: s1, name: The Daily Lantern, aliases: [Lantern, lantern.example], side: p1}
  - {id: s2, name: Weekly Echo, side: p2}
  - {id: s3, name: Reposter, side: unknown}
documents:
  - match: {title: "An op-ed*"}
    side: p2
"""


@pytest.fixture
def prof(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(YAML)
    return load_profile(path)


def test_profiles_bundled_profiles_load():
    names = bundled_profile_names()
    assert {"caucasus", "demo"} <= set(names)
    for n in names:
        p = load_profile(n)
        assert p.parties and p.sources and p.fingerprint


def test_profiles_source_matching_prefers_longest_alias(prof):
    assert prof.source_for("Read more at lantern.example/news")["id"] == "s1"
    assert prof.source_for("Weekly Echo staff")["id"] == "s2"
    assert prof.source_for("nothing here") is None


def test_profiles_side_of_document_precedence(prof):
    assert prof.side_of({"side": "p2", "publisher": "The Daily Lantern"}) == "p2"
    assert prof.side_of({"publisher": "The Daily Lantern"}) == "p1"
    assert prof.side_of({"publisher": "Reposter", "title": "An op-ed on roads"}) == "p2"
    assert prof.side_of({"publisher": "Reposter"}) == "unknown"
    assert prof.side_of({"side": "unknown", "publisher": "Weekly Echo"}) == "p2"
    assert prof.side_of({}) == "unknown"


@pytest.mark.parametrize("text,err", [
    ("parties: 3", "must be a list"),
    ("actors: [{id: a}]", "needs at least"),
    ("places: [{id: a, name: A}, {id: a, name: B}]", "duplicate"),
    ("actors: [{id: a, name: A, aliases: x}]", "aliases"),
    ("- just a list", "mapping"),
    ("a: [unclosed", "not valid YAML"),
])
def test_profiles_bad_files_give_clear_errors(tmp_path, text, err):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=err):
        load_profile(path)


def test_profiles_unknown_name_lists_the_bundled_ones():
    with pytest.raises(ProfileError, match="caucasus"):
        load_profile("no-such-profile")


def test_profiles_choose_profile_by_names_in_text():
    assert choose_profile(["Talks in Stepanakert and Baku about the Lachin corridor."]).name == "caucasus"
    demo = load_profile("demo")
    place = demo.places[0]["name"]
    assert choose_profile([f"News from {place}. " * 3]).name == "demo"


def test_profiles_side_lookup_matches_side_of(prof):
    meta = {"d1": {"id": "d1", "publisher": "The Daily Lantern"},
            "d2": {"id": "d2", "publisher": "Reposter", "title": "An op-ed on roads"}}
    side_of = prof.side_lookup(meta)
    assert side_of(meta["d1"]) == "p1" and side_of(meta["d2"]) == "p2"
    assert side_of({"id": "elsewhere", "publisher": "Weekly Echo"}) == "p2"


def test_profiles_bundled_name_wins_over_local_file_or_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo").mkdir()
    (tmp_path / "caucasus").write_text("name: local\n")
    assert load_profile("demo").name == load_profile(resolve_profile("demo")).name
    assert resolve_profile("demo").parent == resolve_profile("caucasus").parent
    assert resolve_profile("caucasus").name == "caucasus.yaml"
    # a local file is reached by a reference that looks like a path
    assert load_profile("./caucasus").name == "local"
    (tmp_path / "demo.yaml").write_text(YAML)
    assert load_profile("demo.yaml").name == "t"
    assert load_profile(tmp_path / "caucasus").name == "local"  # a Path is always a path


def test_profiles_reference_errors_are_clear(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain").write_text(YAML)
    cases = {"nosuch": "not a bundled profile", "plain": "write ./plain",
             "./folder": "not a file", "missing.yml": "no such profile file",
             "sub/missing": "no such profile file"}
    for ref, why in cases.items():
        with pytest.raises(ProfileError, match=why):
            load_profile(ref)
