"""Metadata read from the text itself: outlets, dates, credits and captions; manifests
for plain files.  Every text is made up (outlets and people invented; agency names
are public facts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rashomon import pipeline
from rashomon.ingest.chrome import CAPTION, CREDIT, is_credit, trailing_credit
from rashomon.ingest.items import RawItem
from rashomon.ingest.manifest import ManifestError, load_manifest
from rashomon.ingest.metadata import build_metadata, detect_outlet, detect_published
from rashomon.ingest.pipeline import ingest
from rashomon.ingest.readers import iter_items
from rashomon.ingest.text_clean import clean_text
from rashomon.profiles import load_profile, outlet_clues

TODAY = dt.date(2030, 1, 1)
LEAD = ("The council of the province met on Sunday and said it would review the budget that "
        "the governor had sent back to it after weeks of talks.")


def _meta(raw: str, profile=None, **given):
    return build_metadata(RawItem("x.txt", raw, meta=given), clean_text(raw), profile)


# -- outlets -------------------------------------------------------------------------------


@pytest.mark.parametrize("opening,outlet", [
    ("KORVAT, Velmora (AP) — ", "Associated Press"),
    ("Korvat, Sep 24 (EFE).- ", "EFE"),
    ("KORVAT, September 25. /TASS/. ", "TASS"),
    ("KORVAT, Oct 3 (Reuters) - ", "Reuters"),
    ("KORVAT (AFP) – ", "Agence France-Presse"),
])
def test_outlet_from_agency_dateline(opening, outlet):
    meta = _meta("Council reviews budget\n\n" + opening + LEAD + "\n\nMore text follows here.")
    assert meta["publisher"] == outlet
    assert meta["x_outlet_detected"] == outlet
    assert meta["x_publisher_confidence"] == 0.9
    assert opening.strip() in meta["x_publisher_evidence"]


def test_unknown_agency_in_dateline_is_kept_with_lower_confidence():
    guess = detect_outlet("KORVAT (Velmoran Wire) — " + LEAD)
    assert guess is not None and guess.name == "Velmoran Wire" and guess.via == "dateline"
    assert guess.confidence < 0.9


def test_outlet_from_byline_source_line_staff_credit_and_url():
    byline = _meta("Tension stays high\n\n/ Northvale Monitor By Ana Pell in Korvat "
                   "October 3, 2023\n\n" + LEAD)
    assert byline["publisher"] == "Northvale Monitor" and byline["author"] == "Ana Pell"
    assert byline["published"] == "2023-10-03" and byline["x_published_confidence"] == 0.9
    source = _meta("Premier blames the north\n\nSource: K-Radio 7\n\n" + LEAD)
    assert source["publisher"] == "K-Radio 7"
    assert source["x_publisher_evidence"].startswith("source line")
    staff = _meta("Budget returned\n\n" + LEAD + "\n\nLakeview Post's Jon Arden contributed to "
                  "this report.")
    assert staff["publisher"] == "Lakeview Post" and staff["x_publisher_confidence"] == 0.7
    url = _meta(LEAD, url="https://www.dailyexample.org/news/1")
    assert url["publisher"] == "dailyexample.org" and url["x_publisher_confidence"] == 0.5


def test_another_outlets_contribution_is_not_the_publisher():
    meta = _meta("Budget returned\n\n" + LEAD + "\n\nThe Associated Press contributed to this "
                 "report.")
    assert meta["publisher"] is None


def test_given_publisher_is_never_overridden_but_detection_is_kept():
    meta = _meta("KORVAT (AP) — " + LEAD, publisher="Valley Daily")
    assert meta["publisher"] == "Valley Daily"
    assert meta["x_publisher_evidence"] == "given with the input"
    assert meta["x_outlet_detected"] == "Associated Press"


def test_registry_matches_the_outlet_detected_in_text(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: t\nparties: [{id: p1, name: P1}, {id: p2, name: P2}]\n"
        "sources:\n  - {id: m, name: Northvale Monitor, aliases: [nvmonitor.example], side: p2}\n"
        "  - {id: w, name: Velmoran Wire, side: p1}\n", encoding="utf-8")
    prof = load_profile(path)
    meta = _meta("KORVAT (Velmoran Wire) — " + LEAD, prof)
    assert meta["x_source_id"] == "w" and meta["side"] == "p1"
    # at analyze time: a document without publisher is sided by what its text named
    assert prof.side_of({"publisher": None, "attrs": {"x_outlet_detected": "Northvale Monitor"}}) \
        == "p2"
    assert prof.side_of({"publisher": None, "url": "https://nvmonitor.example/a"}) == "p2"
    assert outlet_clues({"publisher": "A", "url": "http://www.b.example/x",
                         "x_outlet_detected": "C"}) == ["A", "b.example", "C"]


def test_no_profile_means_no_side_from_a_bundled_registry():
    meta = _meta("KORVAT (AP) — " + LEAD)
    assert meta["publisher"] == "Associated Press" and meta["side"] is None


# -- dates -----------------------------------------------------------------------------------


def test_dateline_date_with_and_without_year():
    full = detect_published("KORVAT, Oct 3, 2023 (Reuters) - " + LEAD, today=TODAY)
    assert full and full.date == dt.date(2023, 10, 3) and full.via == "dateline"
    assert full.confidence == 0.9
    # the year from the latest full date in the text; the dateline is on or after it
    text = ("KORVAT, January 4 (EFE).- " + LEAD + " The talks began on December 12, 2022.")
    g = detect_published(text, today=TODAY)
    assert g and g.date == dt.date(2023, 1, 4) and g.confidence == 0.7
    assert "year 2023" in g.evidence


def test_yearless_dateline_year_from_cited_year_and_weekday():
    # 2023-09-24 was a Sunday, 2024-09-24 a Tuesday: the lead's "on Sunday" picks 2023
    text = "Korvat, Sep 24 (EFE).- " + LEAD + " The pact was signed in 2023."
    g = detect_published(text, today=TODAY)
    assert g and g.date == dt.date(2023, 9, 24)
    text2 = ("Korvat, Sep 24 (EFE).- The council of the province met on Tuesday and said it "
             "would review the budget. The pact was signed in 2023.")
    g2 = detect_published(text2, today=TODAY)
    assert g2 and g2.date == dt.date(2024, 9, 24) and "tuesday" in g2.evidence


def test_yearless_dateline_without_any_year_is_declined_but_kept():
    meta = _meta("KORVAT, September 25. /TASS/. " + LEAD)
    assert meta["published"] is None
    assert meta["x_published_partial"] == "--09-25"
    assert "gives no year" in meta["published_evidence"]


def test_latest_date_fallback_has_lower_confidence():
    meta = _meta(LEAD + " The decree of 4 March 2021 was cited.")
    assert meta["published"] == "2021-03-04" and meta["x_published_confidence"] == 0.5


def test_weekday_resolved_against_the_dateline_date(fresh_db, tmp_path: Path):
    (tmp_path / "a.txt").write_text(
        "Council reviews budget\n\nKORVAT, Oct 3, 2023 (Reuters) - The council of the province "
        "met on Sunday and said it would review the budget that the governor sent back.\n",
        encoding="utf-8")
    ingest(fresh_db, [str(tmp_path)])
    pipeline.analyze(fresh_db, load_profile("generic"))
    timexes = fresh_db.records("timexes")
    sunday = [t for t in timexes if t["text"].lower().endswith("sunday")]
    assert sunday and sunday[0]["value_start"] == "2023-10-01"  # the Sunday before Oct 3


# -- captions and credits ------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "EFE-EPA/STR", "Tanjug/AP Photo/Visar Kryeziu", "AP Photo/Dorin Valsek", "Reuters/Ana Pell",
    "(AP Photo/Dorin Valsek)", "EPA-EFE", "AFP/Getty Images",
])
def test_credit_lines(line):
    assert is_credit(line)


@pytest.mark.parametrize("line", [
    "He said the 9/11 attacks changed everything.", "Yes/No", "Korvat/Velmora", "AP",
    "The council met on Sunday / Monday.", "Reuters", "Ana Pell/Jon Arden",
])
def test_not_credit_lines(line):
    assert not is_credit(line)


def test_trailing_credit_caption():
    cap = trailing_credit("Officers patrol near the bridge in Korvat, Sunday, Sept. 24, 2023. "
                          "(AP Photo/Dorin Valsek)")
    assert cap == ("Officers patrol near the bridge in Korvat, Sunday, Sept. 24, 2023.",
                   "AP Photo/Dorin Valsek")
    assert trailing_credit("The council (the upper house) met.") is None


ARTICLE = """Governor rejects the budget

KORVAT, Velmora (AP) — Governor Ilsa Marden rejected the provincial budget on Sunday, saying it was unfair to the northern districts and would not pass.

Officers stand guard outside the council building in Korvat, Velmora, Sunday, Sept. 24, 2023. (AP Photo/Dorin Valsek)

EFE-EPA/STR

"This budget punishes the north and I will not sign it," Marden said on Sunday.

Tanjug/AP Photo/Dorin Valsek

The council said it would meet again next week to discuss the governor's objections.
"""


def test_credits_and_captions_cut_with_reason_and_kept():
    cleaned = clean_text(ARTICLE)
    assert "STR" not in cleaned.text and "Valsek" not in cleaned.text
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["EFE-EPA/STR"] == CREDIT
    assert reasons["Tanjug/AP Photo/Dorin Valsek"] == CREDIT
    assert any(r.reason == CAPTION and "Officers stand guard" in r.text for r in cleaned.removed)
    assert cleaned.meta["x_credits"] == ["AP Photo/Dorin Valsek", "EFE-EPA/STR",
                                         "Tanjug/AP Photo/Dorin Valsek"]
    assert cleaned.meta["x_captions"][0].startswith("Officers stand guard")
    for r in cleaned.removed:  # the audit trail points into the input
        assert ARTICLE[r.start:r.end] == r.text


def test_credits_never_become_places_speakers_or_events(fresh_db, tmp_path: Path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingest(fresh_db, [str(tmp_path)])
    pipeline.analyze(fresh_db, load_profile("generic"))
    surfaces = {m["surface"] for m in fresh_db.records("mentions")}
    assert "STR" not in surfaces and not any("Valsek" in s for s in surfaces)
    speakers = [(q.get("speaker") or {}).get("name") or "" for q in fresh_db.records("quotes")]
    assert speakers and not any("Valsek" in s for s in speakers)
    for ev in fresh_db.records("events"):
        assert "Officers stand guard" not in str(ev) and "Valsek" not in str(ev)


# -- manifests for plain files -------------------------------------------------------------


def test_manifest_aliases_and_globs(tmp_path: Path):
    (tmp_path / "wire").mkdir()
    for name in ("wire/w1.txt", "wire/w2.txt", "north-1.txt", "north-2.txt"):
        (tmp_path / name).write_text(LEAD, encoding="utf-8")
    (tmp_path / "m.csv").write_text(
        "file,outlet,date,camp,language,url\n"
        "north-1.txt,Northvale Monitor,2023-10-03,camp-2,en,https://nv.example/1\n"
        "north-*.txt,Northvale Monitor,,camp-2,en,\n"
        "wire/*.txt,Velmoran Wire,,,en,\n", encoding="utf-8")
    items = {Path(i.source).name: i.meta
             for i in iter_items([str(tmp_path)], manifest=str(tmp_path / "m.csv"))}
    assert items["north-1.txt"] == {"publisher": "Northvale Monitor", "published": "2023-10-03",
                                    "side": "camp-2", "language": "en",
                                    "url": "https://nv.example/1"}
    assert items["north-2.txt"] == {"publisher": "Northvale Monitor", "side": "camp-2",
                                    "language": "en"}
    assert items["w1.txt"]["publisher"] == items["w2.txt"]["publisher"] == "Velmoran Wire"


def test_manifest_yaml_glob_and_bad_rows(tmp_path: Path):
    y = tmp_path / "m.yaml"
    y.write_text("- {path: 'a-*.txt', outlet: X, camp: c1}\n", encoding="utf-8")
    assert load_manifest(y) == [{"path": "a-*.txt", "publisher": "X", "side": "c1"}]
    y.write_text("- {path: 'a-*.txt', id: one}\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="cannot give them one 'id'"):
        load_manifest(y)
    y.write_text("- {path: a.txt, date: 2023-01-01, published: 2023-01-02}\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="given twice"):
        load_manifest(y)
    c = tmp_path / "m.csv"
    c.write_text("path,date,published\na.txt,2023-01-01,2023-01-02\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="given twice"):
        load_manifest(c)


# -- the text's references to its own reporting, and background dates ----------------------


def test_outlet_from_self_reference_needs_a_clear_lead():
    text = (LEAD + "\n\nA senior official told the Lakeview Post that the plan would fail. "
            "The governor's office did not respond to the Lakeview Post's request for comment.")
    guess = detect_outlet(text)
    assert guess and guess.name == "Lakeview Post" and guess.via == "self-reference"
    assert guess.confidence == 0.5
    # one "told X" is a citation, not a signature; nor is a name that is not outlet-shaped
    assert detect_outlet(LEAD + " He told the Lakeview Post he would stay.") is None
    assert detect_outlet(LEAD + " The files were obtained by Ana Pell and seen by Ana Pell.") \
        is None


def test_background_date_is_declined_when_the_lead_reports_recent_days():
    text = ("The council met on Wednesday and said it would review the budget that the "
            "governor sent back.\n\nThe province has been short of money since the floods of "
            "May 3, 2011, officials said.")
    meta = _meta(text)
    assert meta["published"] is None and meta["x_published_after"] == "2011-05-03"
    assert "background" in meta["published_evidence"]
    # kept when the date falls on the lead's weekday (2011-05-04 was a Wednesday)
    kept = _meta(text.replace("May 3, 2011", "May 4, 2011"))
    assert kept["published"] == "2011-05-04"
