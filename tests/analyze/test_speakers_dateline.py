"""A dateline that the parser takes for the subject is not the speaker."""

from rashomon.analyze.quotes._layer import extract_quotes
from rashomon.model import Document


def test_speakers_dateline_is_skipped_for_the_name_after_it(nlp):
    text = ("NORTHPORT, 13 January — Foreign Minister Alma Rennick told the envoy that "
            "residents had left of their own free will.")
    quotes = extract_quotes(Document(id="d", source="s", text=text), nlp(text), [])
    assert quotes, "the indirect quote should be found"
    speaker = quotes[0].speaker.name
    assert "NORTHPORT" not in speaker and "Rennick" in speaker


def test_speakers_dateline_after_a_title_line_is_recognised(nlp):
    """Datelines open a line, not only the document: a headline may come first."""
    from rashomon.text import is_dateline

    text = ("Talks stall over the river road\n"
            "NORTHPORT, 13 January — Foreign Minister Alma Rennick told the envoy that "
            "residents had left of their own free will.")
    sdoc = nlp(text)
    flags = {t.text: is_dateline(t) for t in sdoc}
    assert flags["NORTHPORT"] and not flags["Rennick"] and not flags["Talks"]
    quotes = extract_quotes(Document(id="d", source="s", text=text), sdoc, [])
    assert quotes and "NORTHPORT" not in quotes[0].speaker.name
