"""Per-document token columns: the fast candidate picks must agree with the token rules.

The quote rules pick candidate tokens from arrays read once per parse
instead of walking every Token; these tests hold the arrays to the Token
attributes and the picks to the full per-token tests they replace.
"""

from __future__ import annotations

from rashomon.analyze.quotes._cues import load_cues
from rashomon.analyze.quotes._marks import find_quote_segments
from rashomon.analyze.token_columns import token_columns

_TEXT = (
    "According to officials, the talks failed. The minister said that Talks would resume, "
    "and Ms. Lee SAID she was asked whether \"the plan\" works.\n\n"
    "In her view, the deal seemed to waver; critics called it “a disgrace” and see it as "
    "weak. His Call for calm, which Mr. Roe urged (MoD), was ignored — a survey shows."
)


def test_quotes_columns_match_token_attributes(nlp):
    sdoc = nlp(_TEXT)
    cols = token_columns(sdoc)
    assert cols.orth == [t.text for t in sdoc]
    assert cols.lower == [t.lower_ for t in sdoc]
    assert cols.lemma == [t.lemma_.lower() for t in sdoc]
    assert cols.pos == [t.pos_ for t in sdoc]
    assert cols.tag == [t.tag_ for t in sdoc]
    assert cols.dep == [t.dep_ for t in sdoc]
    assert token_columns(sdoc) is cols  # read once per parse


def test_quotes_columns_lemma_and_value_lookups(nlp):
    sdoc = nlp(_TEXT)
    cols = token_columns(sdoc)
    wanted = {"say", "call", "see"}
    assert cols.with_lemma(wanted) == [t.i for t in sdoc if t.lemma_.lower() in wanted]
    assert cols.with_lemma({"no-such-lemma"}) == []
    assert cols.where(cols.lower, "the") == [t.i for t in sdoc if t.lower_ == "the"]
    assert cols.where(cols.lower, "no-such-word") == []


def test_quotes_columns_empty_document(nlp):
    cols = token_columns(nlp(""))
    assert cols.orth == [] and cols.with_lemma({"say"}) == [] and cols.where(cols.dep, "x") == []


def test_quotes_cue_candidates_cover_every_cue(nlp):
    lex = load_cues()
    sdoc = nlp(_TEXT)
    cands = lex.cue_candidates(sdoc)
    assert cands == sorted(set(cands))
    for loose in (False, True):
        accepted = [t.i for t in sdoc if lex.is_cue(t, loose=loose)]
        assert accepted, "the sample text has cues"
        assert set(accepted) <= set(cands)


def test_quotes_segments_skip_to_marks_alike():
    # marks at paragraph starts and ends, next to other marks, doubled apostrophes:
    # the output the character-by-character scan gave before it jumped between marks
    text = '“A b c\n\n“D e” and "f g" x ”\n"\n\n«h» „i“ \'\'j\'\' end'
    got = [(s.start, s.end, s.cstart, s.cend, s.closed, s.paragraphs)
           for s in find_quote_segments(text)]
    assert got == [(0, 13, 1, 12, True, 2), (18, 23, 19, 22, True, 1),
                   (28, 34, 31, 33, True, 2), (37, 40, 39, 39, True, 1)]
