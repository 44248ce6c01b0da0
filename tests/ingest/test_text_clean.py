"""Plain-text cleaning on hand-made pages: one kind of chrome at a time."""

from __future__ import annotations

import pytest

from rashomon.ingest.items import Cleaned
from rashomon.ingest.text_clean import clean_text

P1 = ("The talks between the two delegations ended without agreement on Tuesday, officials "
      "said, after three days of meetings in the capital.")
P2 = ("Both sides said they would meet again next month, but neither gave a date, and "
      "observers expect the dispute over the road to continue for some time.")
P3 = ("Local residents told reporters that shops had run short of flour and fuel during "
      "the week, and that prices in the market had doubled since the spring.")


def assert_covered(raw: str, cleaned: Cleaned) -> None:
    """Every non-space input character is in the body (same order) or in a removal."""
    for r in cleaned.removed:
        assert 0 <= r.start <= r.end <= len(raw)
        assert raw[r.start : r.end] == r.text
    mask = [False] * len(raw)
    for r in cleaned.removed:
        for k in range(r.start, r.end):
            mask[k] = True
    kept = "".join(c for k, c in enumerate(raw) if not mask[k] and not c.isspace())
    body = "".join(c for c in cleaned.text if not c.isspace())
    assert kept == body, "body differs from input minus removals (beyond whitespace)"
    assert cleaned.raw_text == raw
    for para in cleaned.text.split("\n\n") if cleaned.text else []:
        assert para.strip(), "empty paragraph"
        assert all(line == line.rstrip() for line in para.split("\n"))


def clean(raw: str) -> Cleaned:
    out = clean_text(raw)
    assert_covered(raw, out)
    return out


def reasons(c: Cleaned) -> list[str]:
    return [r.reason for r in c.removed]


def test_text_clean_plain_article_untouched():
    raw = f"{P1}\n\n{P2}\n\n{P3}\n"
    out = clean(raw)
    assert out.text == f"{P1}\n\n{P2}\n\n{P3}"
    assert out.removed == [] and out.comments == [] and out.references == []
    assert "title" not in out.meta


def test_text_clean_title_goes_to_meta():
    raw = f"Talks End Without a Deal\n\n{P1}\n\n{P2}\n"
    out = clean(raw)
    assert out.meta["title"] == "Talks End Without a Deal"
    assert reasons(out) == ["title"]
    assert out.text.startswith("The talks")


@pytest.mark.parametrize("line", [
    "Get the Example Courier in your inbox:",
    "Sign Up for Our Newsletters",
    "Get notified of the latest updates from ExampleNews.",
])
def test_text_clean_newsletter_prompts_removed_and_kept_as_clues(line):
    raw = f"{P1}\n\n{line}\n\n{P2}\n"
    out = clean(raw)
    assert line not in out.text
    assert reasons(out) == ["newsletter prompt"]
    assert line in out.meta["x_outlet_clues"]
    assert P1 in out.text and P2 in out.text


@pytest.mark.parametrize("line", [
    "Show More", "Back to top button", "Source link", "Exit mobile version", "Print",
    "Share this article", "Facebook Twitter WhatsApp", "Read more",
])
def test_text_clean_links_removed(line):
    out = clean(f"{P1}\n\n{P2}\n\n{line}\n")
    assert out.text == f"{P1}\n\n{P2}"
    assert reasons(out) == ["share/navigation link"]


def test_text_clean_site_icon_and_tagline():
    raw = (f"Site icon Example Digest\n\nA Road Reopens\n\nExample Digest - a story for you\n\n"
           f"{P1}\n\n{P2}\n")
    out = clean(raw)
    assert out.meta["title"] == "A Road Reopens"
    assert reasons(out) == ["site branding", "title", "site branding"]
    assert "Example Digest" in out.meta["x_outlet_clues"]
    assert out.text.startswith("The talks")


def test_text_clean_teaser_block_removed_whole():
    raw = (f"{P1}\n\n{P2}\n\nYou May Also Like\n\nCouncil Approves New Budget\n\n"
           "CITY — The council voted late on Monday to approve a budget that…\n\n"
           "Storm Closes Mountain Pass\n\nNORTH — Snow closed the pass for the second…\n")
    out = clean(raw)
    assert out.text == f"{P1}\n\n{P2}"
    assert reasons(out) == ["related-stories teaser"]
    assert "Storm Closes" in out.removed[0].text


def test_text_clean_subheading_kept_in_body():
    raw = f"{P1}\n\nWhat Comes Next\n\n{P2}\n\n{P3}\n"
    out = clean(raw)
    assert "What Comes Next" in out.text
    assert out.removed == []


def test_text_clean_comment_form_and_lone_star():
    raw = (f"{P1}\n\n{P2}\n\nLeave a Reply\n\nYour email address will not be published. "
           "Required fields are marked *\n\n\n*\n")
    out = clean(raw)
    assert out.text == f"{P1}\n\n{P2}"
    assert set(reasons(out)) == {"comment form"}


def test_text_clean_star_separator_in_body_kept():
    out = clean(f"{P1}\n\n*\n\n{P2}\n")
    assert "*" in out.text


def test_text_clean_comments_with_replies():
    raw = (f"{P1}\n\n{P2}\n\n3 Comments\n\n"
           "  1. First reader thinks the talks failed.\n"
           "    And adds a second line.\n\n"
           "    • A reply to the first reader.\n\n"
           "    • Another reply.\n\n"
           "      With a second paragraph.\n\n"
           "  2. Second reader disagrees.\n\n"
           "Leave a Reply\n")
    out = clean(raw)
    assert out.text == f"{P1}\n\n{P2}"
    assert [(c.index, c.parent) for c in out.comments] == [(0, None), (1, 0), (2, 0), (3, None)]
    assert out.comments[0].text == ("First reader thinks the talks failed.\n"
                                    "And adds a second line.")
    assert out.comments[2].text == "Another reply.\n\nWith a second paragraph."
    for c in out.comments:
        assert raw[c.raw_start : c.raw_end].startswith(c.text.split("\n")[0])
    assert "reader comments" in reasons(out)
    assert "comment form" in reasons(out)


def test_text_clean_comment_count_in_header_is_not_a_block():
    raw = f"Talks End\n\n2 comments\n\n{P1}\n\n{P2}\n"
    out = clean(raw)
    assert out.comments == []
    assert P1 in out.text and P2 in out.text


def test_text_clean_footnotes_with_wrapped_note():
    raw = (f"{P1}[1]\n\n{P2}[2]\n\n"
           "[1] Smith, J. Roads and borders. Example Press, 3 May 2020 – https://example.org/a.pdf\n\n"
           "[2]Doe, A. “Borders and the Influence of\n\n"
           "the Weather.” Journal of Examples, 2019.\n\n"
           "Source link\n")
    out = clean(raw)
    assert [r.label for r in out.references] == ["1", "2"]
    assert out.references[0].url == "https://example.org/a.pdf"
    assert out.references[1].text.endswith("the Weather.” Journal of Examples, 2019.")
    assert f"{P1}[1]" in out.text  # inline markers stay in the body
    assert "Smith" not in out.text and "Journal" not in out.text
    assert "footnotes/endnotes" in reasons(out)


def test_text_clean_numbered_notes_after_heading():
    raw = f"{P1}\n\n{P2}\n\nNotes\n\n1. First note.\n2. Second note, 2020.\n"
    out = clean(raw)
    assert [r.text for r in out.references] == ["First note.", "Second note, 2020."]
    assert out.text == f"{P1}\n\n{P2}"


def test_text_clean_numbered_list_in_body_is_not_notes():
    raw = f"{P1}\n\n1. The first demand.\n2. The second demand.\n\n{P2}\n"
    out = clean(raw)
    assert out.references == []
    assert "1. The first demand." in out.text


def test_text_clean_bracket_lines_followed_by_body_are_kept():
    raw = f"{P1}\n\n[1] An editor's aside in the middle.\n\n{P2}\n"
    out = clean(raw)
    assert out.references == []
    assert "[1] An editor's aside" in out.text


def test_text_clean_byline_and_bio_at_end():
    raw = (f"{P1}\n\n{P2}\n\nJane Example\n\nJane Example\n\n"
           "Jane Example is the deputy editor of the Example Courier. She covers regional "
           "politics.\n")
    out = clean(raw)
    assert out.meta["author"] == "Jane Example"
    assert out.meta["author_bio"].startswith("Jane Example is the deputy editor")
    assert out.text == f"{P1}\n\n{P2}"
    assert reasons(out) == ["author byline/bio"]
    assert out.meta["author_bio"] in out.meta["x_outlet_clues"]


def test_text_clean_by_line_at_top():
    out = clean(f"Talks End\n\nBy Jane Example\n\n{P1}\n\n{P2}\n")
    assert out.meta["author"] == "Jane Example"
    assert out.meta["title"] == "Talks End"


def test_text_clean_last_paragraph_about_a_person_is_kept():
    last = "Ali Example is the mayor of the town and has held the post since 2019."
    out = clean(f"{P1}\n\n{P2}\n\n{last}\n")
    assert last in out.text
    assert "author" not in out.meta


def test_text_clean_caption_repeated_in_next_paragraph():
    cap = "Foreign Minister Ann Example and her counterpart Bo Sample"
    raw = (f"Talks Stall\n\n{P1}\n\n{cap}\n\nThe meeting between {cap} was expected "
           f"to take place on Friday in the capital of a third country.\n\n{P2}\n")
    out = clean(raw)
    assert reasons(out) == ["title", "photo caption"]
    assert f"The meeting between {cap}" in out.text


def test_text_clean_name_kicker_before_title():
    raw = (f"Minister Ann Example\n\nMinister Hopes for Progress\n\n"
           f"WESTTOWN — Minister Ann Example said on Monday she expected progress. {P1}\n\n{P2}\n")
    out = clean(raw)
    assert out.meta["title"] == "Minister Hopes for Progress"
    assert reasons(out) == ["photo caption", "title"]


def test_text_clean_bullets_keep_structure():
    raw = (f"{P1}\n\nto the council\n\n  • first request to the council;\n"
           "    • a nested request;\n  • second request.\n\n" + P2 + "\n")
    out = clean(raw)
    assert "  • first request to the council;\n    • a nested request;" in out.text


def test_text_clean_whitespace_normalised():
    raw = f"{P1}   \r\n\r\n\r\n  {P2}\u00a0\u00a0\n"
    out = clean(raw)
    assert out.text == f"{P1}\n\n{P2}"


def test_text_clean_empty_and_chrome_only():
    assert clean("").text == ""
    out = clean("Show More\n\nBack to top\n")
    assert out.text == ""
    assert len(out.removed) == 1
