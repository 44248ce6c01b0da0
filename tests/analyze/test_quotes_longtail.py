"""Round-4 recall rules: learned shapes for hand-lexicon verbs, "as X said", "said so"."""

from __future__ import annotations

from .quote_helpers import run_quotes as _run
from .quote_helpers import with_cue as _with_cue


def test_quotes_longtail_mentioned_object_is_content(nlp):
    text = "The governor also mentioned the closure of the northern border crossing."
    q = _with_cue(_run(nlp, text), "mentioned")
    assert q.text == "the closure of the northern border crossing"
    assert q.speaker is not None and "governor" in q.speaker.name


def test_quotes_longtail_mentioned_without_object_is_no_cue(nlp):
    text = "The governor mentioned it was late, then the meeting ended."
    quotes = _run(nlp, text)
    assert all(q.text != "The governor" for q in quotes)
    text = "As mentioned above, the meeting ended early."
    assert not [q for q in _run(nlp, text) if q.cue == "mentioned"]


def test_quotes_longtail_as_source_reported_main_clause(nlp):
    text = ("As the local newspaper reported, the council will vote on the budget next week.")
    q = _with_cue(_run(nlp, text), "reported")
    assert q.text == "the council will vote on the budget next week"
    assert q.speaker is not None and "newspaper" in q.speaker.name


def test_quotes_longtail_as_clause_after_main_clause_is_not_content(nlp):
    text = "The council voted on the budget as the mayor said it would."
    quotes = _run(nlp, text)
    assert all(q.text != "The council voted on the budget" for q in quotes)


def test_quotes_longtail_said_so_and_said_yes(nlp):
    text = "Half of the voters said so last month."
    q = _with_cue(_run(nlp, text), "said")
    assert q.text == "so"
    text = "Asked whether he would run again, the senator said no."
    q = _with_cue(_run(nlp, text), "said")
    assert q.text == "no"


def test_quotes_longtail_act_idioms_are_no_cue(nlp):
    """"called attention to", "called an election": acts, not speech or a stance."""
    for text in ("The mayor called attention to the state of the bridges.",
                 "The prime minister called an election for the spring."):
        assert not [q for q in _run(nlp, text) if q.cue.startswith("call")], text
    text = "The mayor called the closure a disgrace."
    assert [q for q in _run(nlp, text) if q.cue.startswith("call")]


def test_quotes_longtail_according_at_end_of_text_is_harmless(nlp):
    from rashomon.analyze.quotes._cues import load_cues

    sdoc = nlp("They acted according")
    assert load_cues().speaker_of(sdoc[-1]) is None
    assert load_cues().cue_extent(sdoc[-1]) == (sdoc[-1].idx, len(sdoc.text))
    assert _run(nlp, "They acted according") == []
