"""Profiles: loading, validation, outlet matching, the side of a document."""

from __future__ import annotations

import pytest

from rashomon.profiles import (
    GENERIC,
    MIN_DISTINCT,
    MIN_DOC_SHARE,
    ProfileError,
    bundled_profile_names,
    choose_profile,
    explain_choice,
    load_profile,
    resolve_profile,
    specific_names,
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
        assert p.fingerprint
        if n != GENERIC:
            assert p.parties and p.sources


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
    names = specific_names(demo)[:3]
    assert choose_profile([f"News from {names[0]}, {names[1]} and {names[2]}. "]).name == "demo"


# An invented third conflict: it names real countries and international bodies that the
# bundled profiles also know, and generic institutions, but none of their own places.
OTHER_CONFLICT = [
    "Police in Marovia said gunmen attacked a patrol near Kestrel Ford. Russia, Turkey, "
    "the EU and NATO called for calm; the Security Council will meet.",
    "The Foreign Ministry of Marovia blamed a militia from Oster Vale. The diaspora "
    "protested in Brussels and the United Nations sent an envoy.",
    "Officials in Kestrel Ford buried three officers; Amnesty International asked for an "
    "inquiry and Antony Blinken spoke to the president.",
]


def test_profiles_other_conflict_gets_the_generic_profile_with_reasons():
    choice = explain_choice(OTHER_CONFLICT)
    assert choice.profile.name == GENERIC and not choice.applied
    assert choice.best in bundled_profile_names()
    assert choice.score < MIN_DOC_SHARE
    msg = choice.message()
    assert "generic mode" in msg and "--profile" in msg


def test_profiles_choice_reports_score_and_matched_names():
    texts = ["Shelling near Stepanakert; the Lachin corridor stayed closed, Baku said.",
             "In Stepanakert, residents queued; Artsakh officials spoke of the Lachin corridor.",
             "A column left Goris for the Lachin corridor; Stepanakert waited."]
    choice = explain_choice(texts)
    assert choice.applied and choice.profile.name == "caucasus"
    assert choice.score == 1.0 and choice.distinct >= MIN_DISTINCT
    matched = dict(choice.matched)
    assert matched["stepanakert"] == 3 and matched["lachin corridor"] == 3
    assert "caucasus" in choice.message() and "stepanakert x3" in choice.message()


def test_profiles_one_document_with_a_stray_name_is_not_enough():
    texts = OTHER_CONFLICT + ["A columnist compared the crisis with Stepanakert and Baku."]
    assert explain_choice(texts).profile.name == GENERIC


def test_profiles_specific_names_leave_out_countries_igos_third_parties_and_generic_words():
    names = set(specific_names(load_profile("caucasus")))
    assert {"Stepanakert", "Lachin corridor"} <= names or "Stepanakert" in names
    for weak in ("Armenia", "Azerbaijan", "Security Council", "Diaspora", "Brussels",
                 "Antony Blinken", "United Nations"):
        assert weak not in names


def test_profiles_generic_profile_carries_no_conflict_knowledge():
    generic = load_profile(GENERIC)
    assert generic.parties == [] and generic.actors == [] and generic.places == []
    assert generic.sources == [] and not generic.lexicon
    assert generic.side_of({"publisher": "Anything"}) == "unknown"


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
