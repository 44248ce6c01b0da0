"""Document metadata: precedence, publisher matching, language and inferred dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rashomon.ingest.items import Cleaned, RawItem
from rashomon.ingest.metadata import (
    build_metadata,
    detect_language,
    find_dates,
    infer_published,
    normalise_date,
)
from rashomon.ingest.text_clean import clean_text
from rashomon.model import Reference
from rashomon.profiles import load_profile

TODAY = dt.date(2030, 1, 1)
EN = ("The committee met on Monday and said that it would publish the report, which has been "
      "delayed for weeks, as soon as the members agree on the final text.")


@pytest.fixture
def profile(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: t\nparties: [{id: p1, name: P1}, {id: p2, name: P2}]\n"
        "sources:\n"
        "  - {id: c, name: Example Courier, aliases: [the Courier, courier.example], side: p1}\n"
        "  - {id: g, name: Example Gazette, aliases: [ExampleGazette], side: p2}\n",
        encoding="utf-8")
    return load_profile(path)


def _cleaned(text: str = EN, **meta) -> Cleaned:
    return Cleaned(text=text, raw_text=text, meta=meta)


def test_metadata_raw_meta_wins_over_cleaner(profile):
    raw = RawItem("x", EN, meta={"title": "Given", "author": "A. Writer", "published": "2021-03-04",
                                 "publisher": "Example Gazette", "language": "en-GB"})
    meta = build_metadata(raw, _cleaned(title="Seen", author="Someone",
                                        x_outlet_clues=["Get the Courier in your inbox"]), profile)
    assert meta["title"] == "Given" and meta["author"] == "A. Writer"
    assert meta["published"] == "2021-03-04" and meta["published_inferred"] is False
    assert meta["publisher"] == "Example Gazette"
    assert meta["side"] == "p2"
    assert meta["language"] == "en"


def test_metadata_cleaner_fills_gaps_and_publisher_from_clues(profile):
    meta = build_metadata(RawItem("x", EN), _cleaned(
        title="Seen", author="Someone", author_bio="Someone writes.",
        x_outlet_clues=["Get the Courier in your inbox:"]), profile)
    assert meta["title"] == "Seen" and meta["author"] == "Someone"
    assert meta["author_bio"] == "Someone writes."
    assert meta["publisher"] == "Example Courier" and meta["side"] == "p1"
    assert "Get the Courier" in meta["x_publisher_evidence"]
    assert meta["x_outlet_clues"] == ["Get the Courier in your inbox:"]


def test_metadata_publisher_from_url_domain(profile):
    raw = RawItem("x", EN, meta={"url": "https://www.courier.example/2021/story"})
    meta = build_metadata(raw, _cleaned(), profile)
    assert meta["publisher"] == "Example Courier"


def test_metadata_given_side_kept(profile):
    raw = RawItem("x", EN, meta={"side": "p2"})
    meta = build_metadata(raw, _cleaned(x_outlet_clues=["the Courier"]), profile)
    assert meta["side"] == "p2" and meta["publisher"] == "Example Courier"


def test_metadata_no_clue_no_publisher(profile):
    meta = build_metadata(RawItem("x", EN), _cleaned(), profile)
    assert meta["publisher"] is None and meta["side"] is None


@pytest.mark.parametrize("text,lang", [
    (EN, "en"),
    ("Le comité s'est réuni lundi et a dit qu'il publierait le rapport dans les jours qui "
     "viennent, mais les membres ne sont pas encore d'accord sur le texte.", "fr"),
    ("Der Ausschuss hat sich am Montag getroffen und gesagt, dass der Bericht bald "
     "veröffentlicht wird, aber die Mitglieder sind sich nicht einig.", "de"),
    ("El comité se reunió el lunes y dijo que publicará el informe pronto, pero los "
     "miembros no están de acuerdo con el texto final de la propuesta.", "es"),
    ("Комитет собрался в понедельник и заявил, что опубликует доклад, как только члены "
     "договорятся о тексте, но это было не так просто.", "ru"),
    ("Հանձնաժողովը երկուշաբթի հավաքվեց և հայտարարեց, որ զեկույցը կհրապարակվի", "hy"),
    ("ok", None),
])
def test_metadata_language_detected(text, lang):
    assert detect_language(text) == lang


def test_metadata_language_from_text_when_missing(profile):
    assert build_metadata(RawItem("x", EN), _cleaned(), profile)["language"] == "en"


@pytest.mark.parametrize("value,iso", [
    ("2023-09-04T10:00:00Z", "2023-09-04"),
    ("Mar 4, 2009", "2009-03-04"),
    ("Tue, 16 Dec 2008 13:45:00 GMT", "2008-12-16"),
    (dt.date(2020, 1, 2), "2020-01-02"),
    ("", None),
])
def test_metadata_normalise_date(value, iso):
    assert normalise_date(value) == iso


def test_metadata_find_dates_kinds():
    text = ("On 24 May the envoy wrote; talks on March 13 and 27, 2023 and on 02.10.2023 "
            "followed the January 2021 visit. You may see him in May.")
    refs = {r.text: r for r in find_dates(text)}
    assert refs["24 May"].granularity == "monthday"
    assert refs["March 13 and 27, 2023"].date == dt.date(2023, 3, 27)
    assert refs["02.10.2023"].date == dt.date(2023, 10, 2)
    assert refs["January 2021"].granularity == "month"
    assert not any(r.text.lower() == "may" for r in find_dates("You may go."))


def test_metadata_infer_latest_date_and_undated_refinement():
    text = ("The deal of 26 November 2021 was reaffirmed on November 30, 2021. On December 7 "
            "the ministers met again; on January 11 they had first spoken.")
    got = infer_published(text, today=TODAY)
    assert got.date == dt.date(2021, 12, 7)
    assert "'26 November 2021'" not in got.evidence
    assert "November 30, 2021" in got.evidence and "December 7" in got.evidence


def test_metadata_infer_ignores_future_deadline():
    text = ("The decree was signed on 28 September, 2023. All bodies will be dissolved before "
            "January 1, 2024, officials said.")
    got = infer_published(text, today=TODAY)
    assert got.date == dt.date(2023, 9, 28)
    assert "ignored deadline/plan 'January 1, 2024'" in got.evidence


def test_metadata_infer_notes_present_tense_outlier():
    text = ("Talks were held on September 25, 2023 and on October 1, 2023. As of October 3, 2003 "
            "the government has supplied 40 tons of flour.")
    got = infer_published(text, today=TODAY)
    assert got.date == dt.date(2023, 10, 1)
    assert "implausible 'October 3, 2003'" in got.evidence


def test_metadata_infer_drops_isolated_latest_typo():
    text = ("Meetings took place on 1 March 2021, 5 May 2021, 9 July 2022, 3 January 2023 "
            "and 12 June 2023. Aid arrived on 4 June 2029.")
    got = infer_published(text, today=TODAY)
    assert got.date == dt.date(2023, 6, 12)
    assert "outlier '4 June 2029'" in got.evidence


def test_metadata_infer_ongoing_duration_since_dated_start():
    text = ("The protest started on December 12, 2022, and the checkpoint appeared on "
            "April 23, 2023. For almost eight months now, people cannot travel.")
    got = infer_published(text, today=TODAY)
    assert got.date == dt.date(2023, 8, 12)
    assert "since 2022-12-12" in got.evidence


def test_metadata_infer_duration_needs_matching_start():
    text = ("Talks started on 3 May 2021 and ended on 4 June 2021. The almost 30-year-long "
            "occupation shaped the region.")
    got = infer_published(text, today=TODAY)
    assert got.date == dt.date(2021, 6, 4)


def test_metadata_infer_nothing_without_dates():
    assert infer_published("No dates at all, only on Monday.", today=TODAY) is None


def test_metadata_infer_uses_references_not_comments():
    cleaned = Cleaned(text="It happened on 3 March 2022.", raw_text="",
                      references=[Reference("1", "Report, 9 April 2022 – https://x.example")])
    meta = build_metadata(RawItem("x", ""), cleaned, None)
    assert meta["published"] == "2022-04-09" and meta["published_inferred"] is True


@pytest.mark.parametrize("prefix,lo,hi", [
    ("000", "2023-09-01", "2023-09-30"),
    ("001", "2023-08-01", "2023-08-31"),
    ("002", "2023-05-20", "2023-06-15"),
    ("003", "2021-12-01", "2021-12-31"),
    ("004", "2023-10-01", "2023-10-15"),
])
def test_metadata_seed_dates(seeds_dir, prefix, lo, hi):
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    raw = path.read_text(encoding="utf-8")
    meta = build_metadata(RawItem(str(path), raw), clean_text(raw), None)
    assert lo <= meta["published"] <= hi
    assert meta["published_inferred"] is True
    assert meta["published_evidence"].startswith("latest dated reference")


@pytest.mark.parametrize("sentence", [
    "The film missed its November 22, 2013 release date.",
    "He was due to be released in June 2014 after his sentence.",
    "Elections are scheduled for 5 October 2013 in the capital.",
])
def test_metadata_infer_target_dates_do_not_count(sentence):
    got = infer_published(f"The vote took place on 3 March 2012. {sentence}", today=TODAY)
    assert got.date == dt.date(2012, 3, 3)


@pytest.fixture
def unknown_profile(tmp_path: Path):
    path = tmp_path / "u.yaml"
    path.write_text(
        "name: u\nparties: [{id: p1, name: P1}, {id: p2, name: P2}]\n"
        "sources:\n"
        "  - {id: agg, name: Example Aggregator, aliases: [aggregator.example], side: unknown}\n"
        "  - {id: wire, name: Example Wire, aliases: [wire.example], side: p1}\n",
        encoding="utf-8")
    return load_profile(path)


def test_metadata_registry_side_unknown_gives_none(unknown_profile):
    meta = build_metadata(RawItem("x", EN, meta={"url": "https://aggregator.example/a"}),
                          _cleaned(), unknown_profile)
    assert meta["publisher"] == "Example Aggregator"
    assert meta["side"] is None


def test_metadata_given_side_unknown_falls_back_to_registry(unknown_profile):
    raw = RawItem("x", EN, meta={"side": "Unknown", "publisher": "Example Wire"})
    assert build_metadata(raw, _cleaned(), unknown_profile)["side"] == "p1"
    raw = RawItem("x", EN, meta={"side": "unknown"})
    assert build_metadata(raw, _cleaned(), unknown_profile)["side"] is None


def test_metadata_syndicated_source_matched_but_not_publisher(unknown_profile):
    meta = build_metadata(RawItem("x", EN), _cleaned(x_syndicated_from="Example Wire"),
                          unknown_profile)
    assert meta["x_syndicated_from"] == "Example Wire"
    assert meta["x_syndicated_source_id"] == "wire"
    assert meta["publisher"] is None and meta["side"] is None


# A hand-made text whose only full date carries a one-digit year typo.
_LONE_TYPO = ("The market reopened on January 10, 2015, traders said. Prices fell on December 3 "
              "and again on December 17. At a briefing last Tuesday the mayor said the 2024 "
              "harvest had been poor. On 8 January the port was closed.")


def test_metadata_infer_declines_lone_typo_date_conflicting_with_cited_year():
    got = infer_published(_LONE_TYPO, today=TODAY)
    assert got is not None and got.date is None
    assert "declined" in got.evidence and "'January 10, 2015'" in got.evidence
    assert "2015 -> 2024" not in got.evidence and "2015 -> 2025" in got.evidence


def test_metadata_lone_typo_gives_no_published_date_but_evidence():
    meta = build_metadata(RawItem("x", ""), _cleaned(_LONE_TYPO), None)
    assert meta["published"] is None and meta["published_inferred"] is False
    assert meta["published_evidence"].startswith("declined")


def test_metadata_lone_date_kept_when_cited_years_are_plans():
    text = _LONE_TYPO.replace("the 2024 harvest had been poor", "the 2025 target will be met")
    got = infer_published(text, today=TODAY)
    assert got.date is not None and got.date.year == 2015


def test_metadata_lone_date_kept_when_no_typo_explains_the_cited_year():
    text = _LONE_TYPO.replace("2024 harvest", "2021 harvest")  # 2015 -> 2021 is two digits
    got = infer_published(text, today=TODAY)
    assert got.date is not None and got.date.year == 2015


def test_metadata_lone_date_kept_without_yearless_references():
    text = ("The market reopened on January 10, 2015, traders said. The mayor said the 2024 "
            "harvest had been poor.")
    got = infer_published(text, today=TODAY)
    assert got.date == dt.date(2015, 1, 10)


def test_metadata_two_full_dates_are_not_second_guessed():
    text = _LONE_TYPO.replace("On 8 January", "On 8 January 2015")
    got = infer_published(text, today=TODAY)
    assert got.date is not None and got.date.year == 2015
