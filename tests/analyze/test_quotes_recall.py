"""Attribution shapes added for recall (quote_shapes): hand-made sentences."""

from __future__ import annotations

from rashomon.analyze.quotes._layer import find_quote_segments

from .quote_helpers import run_quotes as _run
from .quote_helpers import with_cue as _with_cue


def test_quotes_doubled_apostrophes_pair_as_marks():
    text = "''We will win this state easily,'' the senator said. ''Then we go on.''"
    segs = find_quote_segments(text)
    assert [text[s.cstart : s.cend] for s in segs] == [
        "We will win this state easily,", "Then we go on."]


def test_quotes_split_quote_joins_across_abbreviated_title(nlp):
    text = ("''The economy is weaker than it looks,'' said Sen. Mara Venn, a member of the "
            "budget committee. ''Wages have not moved in years.''")
    q = _with_cue(_run(nlp, text), "said")
    assert q.kind == "direct" and len(q.attrs["pieces"]) == 2
    assert text[q.end - 5 : q.end] == "ears."


def test_quotes_question_mark_then_bare_cue_clause(nlp):
    text = "“Can we really win the state this year?” the campaign manager asked. Nobody knew."
    q = _with_cue(_run(nlp, text), "asked")
    assert q.text == "Can we really win the state this year?"


def test_quotes_parenthetical_cue_inside_content(nlp):
    text = "Many of the closures, he said, have involved public courses in the region."
    q = _with_cue(_run(nlp, text), "said")
    assert q.text.startswith("Many of the closures") and q.text.endswith("region")
    assert [text[a:b] for a, b in q.attrs["pieces"]] == [
        "Many of the closures", "have involved public courses in the region"]


def test_quotes_nominal_cue_with_possessor(nlp):
    text = "His call for a statewide ban on new coal plants drew protests."
    q = _with_cue(_run(nlp, text), "call")
    assert q.text == "a statewide ban on new coal plants"
    assert q.speaker is not None and text[q.speaker.start : q.speaker.end] == "His"


def test_quotes_nominal_claim_that_clause(nlp):
    text = "The claim that the new tax would pay for itself has been repeated for years."
    q = _with_cue(_run(nlp, text), "claim")
    assert q.text == "that the new tax would pay for itself"


def test_quotes_poll_as_source(nlp):
    text = "The senator leads by three points in a new statewide poll."
    q = _with_cue(_run(nlp, text), "in")
    assert q.text == "The senator leads by three points"
    assert "poll" in text[q.speaker.start : q.speaker.end]


def test_quotes_question_put_to_speaker(nlp):
    text = "Asked whether she would run again, the mayor said she had not decided."
    q = _with_cue(_run(nlp, text), "Asked")
    assert q.text == "whether she would run again" and q.speaker is None


def test_quotes_called_object_predicate(nlp):
    text = "Mr. Ubben called the chief executive \"incredibly driven\" on Monday."
    q = _with_cue(_run(nlp, text), "called")
    assert q.text.startswith("the chief executive") and "incredibly driven" in q.text


def test_quotes_made_it_clear_idiom(nlp):
    text = "The governor made it clear that he would veto the bill."
    q = _with_cue(_run(nlp, text), "made it clear")
    assert q.text == "that he would veto the bill"


def test_quotes_dateline_cut_from_content(nlp):
    text = "LOS ANGELES, Feb. 2 (UPI) — The band's next record is almost complete, its label said."
    q = _with_cue(_run(nlp, text), "said")
    assert q.text == "The band's next record is almost complete"


def test_quotes_speaker_span_keeps_apposition(nlp):
    text = "The plan will fail, said Jon Alterman, an analyst at a research center in the capital."
    q = _with_cue(_run(nlp, text), "said")
    assert q.speaker.name == "Jon Alterman"
    assert text[q.speaker.start : q.speaker.end].endswith("in the capital")


def test_quotes_speaker_span_keeps_quantifier(nlp):
    text = "About 9 percent said the economy was their top issue."
    q = _with_cue(_run(nlp, text), "said")
    assert text[q.speaker.start : q.speaker.end] == "About 9 percent"


def test_quotes_urge_keeps_addressee_with_infinitive(nlp):
    text = "The governor urged lawmakers to pass the budget before the recess."
    q = _with_cue(_run(nlp, text), "urged")
    assert q.text == "lawmakers to pass the budget before the recess"


def test_quotes_call_on_keeps_addressee_with_infinitive(nlp):
    text = "The senator has called on the agency to release the inspection reports."
    q = _with_cue(_run(nlp, text), "called on")
    assert q.text == "the agency to release the inspection reports"


def test_quotes_object_cue_drops_time_adjunct(nlp):
    text = "The union endorsed the mayor in November."
    q = _with_cue(_run(nlp, text), "endorsed")
    assert q.text == "the mayor"


def test_quotes_object_cue_keeps_reason_phrase(nlp):
    text = "She blamed the council for the delays."
    q = _with_cue(_run(nlp, text), "blamed")
    assert q.text == "the council for the delays"


def test_quotes_which_clause_comment_cut_from_content(nlp):
    text = ("The mayor said the program had expanded beyond the founding families, "
            "which provided its early funding.")
    q = _with_cue(_run(nlp, text), "said")
    assert q.text == "the program had expanded beyond the founding families"


def test_quotes_light_verb_stance_noun(nlp):
    text = "The chairman expressed confidence that the party could still come together."
    quotes = _run(nlp, text)
    q = _with_cue(quotes, "expressed")
    assert q.text == "that the party could still come together"
    assert len([x for x in quotes if x.start == q.start and x.end == q.end]) == 1


def test_quotes_raising_verb_clause_without_source(nlp):
    text = "The frontrunner seemed to be losing ground in the northern counties."
    q = _with_cue(_run(nlp, text), "seemed")
    assert q.text.startswith("The frontrunner") and q.text.endswith("counties")
    assert q.speaker is None and q.attrs["cue_type"] == "raising"
    assert [text[a:b] for a, b in q.attrs["pieces"]] == [
        "The frontrunner", "be losing ground in the northern counties"]


def test_quotes_raising_verb_with_empty_it(nlp):
    text = "It appears that the new tax will not pass this year."
    q = _with_cue(_run(nlp, text), "It appears")
    assert q.text == "that the new tax will not pass this year"


def test_quotes_raising_verb_not_for_relative_subject(nlp):
    text = "The report, which appeared to surprise everyone, was released on Friday."
    assert not [q for q in _run(nlp, text) if q.attrs.get("cue_type") == "raising"]


def test_quotes_short_reply_after_cue(nlp):
    text = "Asked whether she would run again, the mayor shook her head and said, \"No.\""
    q = _with_cue(_run(nlp, text), "said")
    assert q.kind == "direct" and q.text == "No."


def test_quotes_short_quote_mid_sentence_stays_scare_quote(nlp):
    text = "He described the plan as \"very bold\" in his remarks to the committee on Monday."
    assert not [q for q in _run(nlp, text) if q.text == "very bold"]


def test_quotes_learned_talk_about(nlp):
    text = "The candidate talked about the cost of child care at the rally."
    q = _with_cue(_run(nlp, text), "talked")
    assert q.text.startswith("the cost of child care")


def test_quotes_poll_setting_drops_leading_connective(nlp):
    text = "But the governor fell to ten percent in a new poll."
    q = _with_cue(_run(nlp, text), "in")
    assert q.text == "the governor fell to ten percent"


# --- round 2: content boundaries -------------------------------------------------------


def _pieces(q, text: str) -> list[str]:
    return [text[a:b] for a, b in q.attrs.get("pieces") or [[q.start, q.end]]]


def test_quotes_split_quote_one_cue_token_read_twice(nlp):
    text = "''Our firm, with local workers,'' he added, ''builds a lot of things here.''"
    quotes = _run(nlp, text)
    assert len(quotes) == 1
    assert _pieces(quotes[0], text) == ["Our firm, with local workers,",
                                        "builds a lot of things here."]


def test_quotes_split_quote_short_whole_sentence_after_cue(nlp):
    text = ("\"I should hope so,\" Tilda Marsh said after the meeting last month. "
            "\"I don't know, exactly.\"")
    q = _with_cue(_run(nlp, text), "said")
    assert _pieces(q, text)[-1] == "I don't know, exactly."


def test_quotes_unquoted_lead_words_before_comma_set_cue_are_no_piece(nlp):
    text = "Of course, the mayor said, “I did not know him that well, but I did know him.”"
    q = _with_cue(_run(nlp, text), "said")
    assert _pieces(q, text) == ["I did not know him that well, but I did know him."]


def test_quotes_framing_phrase_before_comma_set_cue_is_no_piece(nlp):
    text = ("On the subject of the budget, the minister added, “We will not raise "
            "taxes this year.”")
    q = _with_cue(_run(nlp, text), "added")
    assert q.text == "We will not raise taxes this year."


def test_quotes_writer_lead_in_makes_a_mixed_quote(nlp):
    text = ("Crowds came. The people of the valley “deserve someone who is with them "
            "every day,” the governor said.")
    q = _with_cue(_run(nlp, text), "said")
    assert q.kind == "mixed"
    assert q.text.startswith("The people of the valley “deserve")


def test_quotes_light_verb_stance_noun_gives_that_clause(nlp):
    text = "Several leaders expressed concern that the businessman was encouraging violence."
    q = _with_cue(_run(nlp, text), "expressed")
    assert q.text == "that the businessman was encouraging violence"


def test_quotes_coordinated_that_clauses_stay_together(nlp):
    text = ("She believes there are no good options, but that sometimes the lesser of two "
            "evils will have to do.")
    q = _with_cue(_run(nlp, text), "believes")
    assert q.text.endswith("the lesser of two evils will have to do")


def test_quotes_passive_cue_takes_its_subject_as_first_piece(nlp):
    text = "The birth of the child is expected to coincide with the conventions."
    q = _with_cue(_run(nlp, text), "expected")
    assert _pieces(q, text) == ["The birth of the child", "to coincide with the conventions"]


def test_quotes_passive_cue_with_empty_it_keeps_clause_only(nlp):
    text = "It was widely reported that the firm paid $100 million for the site."
    quotes = _run(nlp, text)
    assert all(not q.text.startswith("It was") for q in quotes)


def test_quotes_according_to_between_commas_splits_the_clause(nlp):
    text = "Fundraising, according to the campaign, has surged in the same period."
    q = _with_cue(_run(nlp, text), "according to")
    assert _pieces(q, text) == ["Fundraising", "has surged in the same period"]


def test_quotes_colon_elaboration_stays_in_content(nlp):
    text = "China hopes to reap benefits of its own: to create new markets for its goods. Then."
    q = _with_cue(_run(nlp, text), "hopes")
    assert q.text.endswith("to create new markets for its goods")


def test_quotes_colon_then_capital_starts_a_new_sentence(nlp):
    text = "He praised the new plan: It would cut costs for families."
    q = _with_cue(_run(nlp, text), "praised")
    assert q.text == "the new plan"


def test_quotes_comma_set_cue_after_head_runs_on(nlp):
    text = ("The effects are difficult to predict, many economists say, because there is "
            "little precedent.")
    q = _with_cue(_run(nlp, text), "say")
    assert _pieces(q, text) == ["The effects are difficult to predict",
                                "because there is little precedent"]


def test_quotes_relative_pronoun_is_part_of_reported_clause(nlp):
    text = ("The policy changes, which officials said will go into effect in the next few "
            "months, will not apply to everyone.")
    q = _with_cue(_run(nlp, text), "said")
    assert _pieces(q, text) == ["which", "will go into effect in the next few months"]


def test_quotes_writer_clause_before_comma_set_cue_is_no_piece(nlp):
    text = "When asked about this, the mayor commented, “The proposal is questionable at best.”"
    q = _with_cue(_run(nlp, text), "commented")
    assert q.text == "The proposal is questionable at best."


def test_quotes_in_phrase_after_object_stays_in_content(nlp):
    text = "Local farmers backed the new canal plan in large numbers."
    q = _with_cue(_run(nlp, text), "backed")
    assert q.text == "the new canal plan in large numbers"


def test_quotes_in_phrase_naming_the_medium_is_cut(nlp):
    text = "The mayor praised the new canal plan in a statement."
    q = _with_cue(_run(nlp, text), "praised")
    assert q.text == "the new canal plan"
