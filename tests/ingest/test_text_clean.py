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


# -- bylines, titles and header chrome ------------------------------------------------


@pytest.mark.parametrize("line,author", [
    ("Posted by Jane Example", "Jane Example"),
    ("Posted by Jane Example on 5 May 2024", "Jane Example"),
    ("Posted on 5 May 2024 by Jane Example", "Jane Example"),
    ("Written by Jane Example | Example Courier", "Jane Example"),
    ("By Jane Example and Bo Sample", "Jane Example and Bo Sample"),
    ("by JANE EXAMPLE", "JANE EXAMPLE"),
])
def test_text_clean_byline_variants_are_author_not_title(line, author):
    raw = f"Talks End Without a Deal\n\n{line}\n\n{P1}\n\n{P2}\n"
    out = clean(raw)
    assert out.meta["author"] == author
    assert out.meta["title"] == "Talks End Without a Deal"
    assert reasons(out) == ["title", "author byline/bio"]


def test_text_clean_byline_before_title():
    out = clean(f"Posted by Jane Example\n\nTalks End Without a Deal\n\n{P1}\n\n{P2}\n")
    assert out.meta["title"] == "Talks End Without a Deal"
    assert reasons(out) == ["author byline/bio", "title"]


def test_text_clean_by_phrase_in_body_is_not_a_byline():
    line = "By Wednesday morning the camp had grown"
    out = clean(f"Talks End\n\n{P1}\n\n{line}\n\n{P2}\n")
    assert line in out.text and "author" not in out.meta


def test_text_clean_title_is_first_substantial_line_not_chrome():
    raw = (f"EXAMPLE COURIER | World\n\nRoad Reopens After Talks\n\nPrint this article\n\n"
           f"Email this article\n\n{P1}\n\n{P2}\n")
    out = clean(raw)
    assert out.meta["title"] == "Road Reopens After Talks"
    assert reasons(out) == ["site branding", "title", "share/navigation link"]
    assert "EXAMPLE COURIER" in out.meta["x_outlet_clues"]
    assert out.text == f"{P1}\n\n{P2}"


@pytest.mark.parametrize("kicker", ["Updated: Monday 15 January 2025, 10:04 GMT", "Review",
                                    "Politics"])
def test_text_clean_date_line_or_kicker_is_never_the_title(kicker):
    out = clean(f"{kicker}\n\nRoad Reopens After Talks\n\n{P1}\n\n{P2}\n")
    assert out.meta["title"] == "Road Reopens After Talks"
    assert [r.text for r in out.removed if r.reason == "title"] == ["Road Reopens After Talks"]


def test_text_clean_title_starting_with_from_is_a_title():
    out = clean(f"From Crisis to Collapse\n\n{P1}\n\n{P2}\n")
    assert out.meta["title"] == "From Crisis to Collapse"
    assert "x_syndicated_from" not in out.meta


def test_text_clean_names_caption_between_title_and_text():
    cap = "Minister Ann Example and Bo Sample"
    raw = (f"Talks Stall Again\n\n{cap}\n\nWESTTOWN — Minister Ann Example met Bo Sample on "
           f"Monday. {P1}\n\n{P2}\n")
    out = clean(raw)
    assert out.meta["title"] == "Talks Stall Again"
    assert reasons(out) == ["title", "photo caption"]


def test_text_clean_photo_credit_under_title():
    out = clean(f"Talks Stall\n\nPhoto: Jane Example / Example Agency\n\n{P1}\n\n{P2}\n")
    assert reasons(out) == ["title", "photo caption"]


# -- share links, newsletters, syndication -------------------------------------------------


def test_text_clean_share_block_of_single_services():
    raw = f"{P1}\n\n{P2}\n\nShare this:\n\nFacebook\n\nX\n\nEmail\n\nWhatsApp\n"
    out = clean(raw)
    assert out.text == f"{P1}\n\n{P2}"
    assert reasons(out) == ["share/navigation link"]


def test_text_clean_lone_service_word_mid_body_kept():
    out = clean(f"{P1}\n\nX\n\n{P2}\n")
    assert "\n\nX\n\n" in out.text and out.removed == []


@pytest.mark.parametrize("line", [
    "Sign up for the Example Courier daily briefing",
    "Enter your email to receive new posts from Example Courier.",
    "Enter your email address to subscribe to this blog",
    "Subscribe to our evening newsletter",
    "Never miss a story from Example Courier",
])
def test_text_clean_subscription_prompts(line):
    out = clean(f"{P1}\n\n{P2}\n\n{line}\n")
    assert out.text == f"{P1}\n\n{P2}"
    assert reasons(out) == ["newsletter prompt"]
    assert line in out.meta["x_outlet_clues"]


def test_text_clean_syndication_credit_under_title():
    raw = f"Road Reopens After Talks\n\nFrom Example Wire\n\n{P1}\n\n{P2}\n"
    out = clean(raw)
    assert reasons(out) == ["title", "syndication credit"]
    assert out.meta["x_syndicated_from"] == "Example Wire"
    assert "From Example Wire" not in out.meta.get("x_outlet_clues", [])


@pytest.mark.parametrize("line,name", [
    ("Distributed by Example Wire. All rights reserved.", "Example Wire"),
    ("This article was originally published by The Example Times.", "The Example Times"),
    ("Republished with permission from Example Wire.", "Example Wire"),
    ("Originally published on Example Science.", "Example Science"),
])
def test_text_clean_syndication_credit_at_end(line, name):
    out = clean(f"{P1}\n\n{P2}\n\n{line}\n")
    assert out.text == f"{P1}\n\n{P2}"
    assert reasons(out) == ["syndication credit"]
    assert out.meta["x_syndicated_from"] == name
    assert "x_outlet_clues" not in out.meta


def test_text_clean_source_line_in_body_is_kept():
    out = clean(f"{P1}\n\nSource: Example Bank\n\n{P2}\n")
    assert "Source: Example Bank" in out.text and "x_syndicated_from" not in out.meta


def test_text_clean_copyright_line_is_branding():
    out = clean(f"{P1}\n\n{P2}\n\n© 2024 Example Courier. All rights reserved.\n")
    assert reasons(out) == ["site branding"]
    assert "Example Courier" in out.meta["x_outlet_clues"]


# -- credits and bios at the end ---------------------------------------------------------


def test_text_clean_wire_credit_line():
    line = "(Reporting by Jane Example in Westtown; editing by Bo Sample)"
    out = clean(f"{P1}\n\n{P2}\n\n{line}\n")
    assert out.text == f"{P1}\n\n{P2}"
    assert reasons(out) == ["author byline/bio"]
    assert out.meta["x_credit_line"] == line
    assert out.meta["author"] == "Jane Example"


def test_text_clean_top_byline_wins_over_credit_line():
    out = clean(f"Talks End\n\nBy Bo Sample\n\n{P1}\n\n{P2}\n\n(Reporting by Jane Example)\n")
    assert out.meta["author"] == "Bo Sample"


def test_text_clean_bio_of_the_bylined_author_at_end():
    bio = "Jane Example writes about regional politics. Her column appears on Mondays."
    out = clean(f"Talks End\n\nby Jane Example\n\n{P1}\n\n{P2}\n\n{bio}\n\nSubscribe\n")
    assert out.text == f"{P1}\n\n{P2}"
    assert out.meta["author_bio"] == bio
    assert reasons(out) == ["title", "author byline/bio", "author byline/bio",
                            "newsletter prompt"]


def test_text_clean_last_paragraph_about_someone_else_is_kept():
    last = "Ali Example is the mayor of the town and has held the post since 2019."
    out = clean(f"Talks End\n\nBy Jane Example\n\n{P1}\n\n{P2}\n\n{last}\n")
    assert last in out.text and "author_bio" not in out.meta


def test_text_clean_about_the_author_block():
    bio = "Jane Example is a reporter based in the capital."
    out = clean(f"{P1}\n\n{P2}\n\nAbout the author\n\n{bio}\n")
    assert out.text == f"{P1}\n\n{P2}"
    assert out.meta["author_bio"] == bio and out.meta["author"] == "Jane Example"


# -- footnotes without a separator ------------------------------------------------------


def test_text_clean_footnotes_before_share_links_and_comments():
    raw = (f"{P1}[1]\n\n{P2}[2]\n\n[1] The list is held by the council.\n\n"
           "[2] Counts from the pass; lower than either government's.\n\n"
           "Share this:\n\nFacebook\n\nEmail\n\n1 Comment\n\n  1. Thanks for this.\n")
    out = clean(raw)
    assert [r.label for r in out.references] == ["1", "2"]
    assert out.text == f"{P1}[1]\n\n{P2}[2]"
    assert len(out.comments) == 1


def test_text_clean_footnotes_followed_by_unknown_short_line_when_markers_used():
    raw = f"{P1}[1]\n\n{P2}[2]\n\n[1] First note.\n\n[2] Second note.\n\nTags: talks, roads\n"
    out = clean(raw)
    assert [r.text for r in out.references] == ["First note.", "Second note."]
    assert "Tags: talks, roads" in out.text


def test_text_clean_unmarked_bracket_lines_before_short_line_are_kept():
    raw = f"{P1}\n\n{P2}\n\n[1] First aside.\n\n[2] Second aside.\n\nTags: talks, roads\n"
    out = clean(raw)
    assert out.references == [] and "[1] First aside." in out.text


def test_text_clean_chrome_vocabulary_rejects_yaml_booleans():
    from rashomon.ingest.chrome import Chrome

    with pytest.raises(ValueError, match="non-string"):
        Chrome({"share_services": ["facebook", True]})
