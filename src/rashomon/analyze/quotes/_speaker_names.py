"""Names inside a speaker phrase: the person a role noun introduces.

Helpers of :class:`rashomon.analyze.quotes._speakers.SpeakerResolver`, split out to
keep that module small.  They read the dependency parse and the parser's
entities only ("Its director, Noor Saleh, said"; "Spokesperson for the
Ministry … Leyla Abdullayeva"; "Secretary … Armen Grigoryan").
"""

from __future__ import annotations

import re
from typing import Any


def appositive_person(tok: Any, ents: Any = None) -> tuple[int, int] | None:
    """"Its director, Noor Saleh, said": the person named in apposition to a role noun.

    ``ents``: the Doc's entities when the caller holds them already.
    """
    for c in tok.rights:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            span = next((e for e in (tok.doc.ents if ents is None else ents)
                         if e.start <= c.i < e.end), None)
            if span is not None:
                return span.start_char, span.end_char
    return None


def trailing_name(tok: Any, lex: Any) -> tuple[int, int] | None:
    """"Spokesperson for the Ministry … Leyla Abdullayeva": the name closing a role phrase."""
    doc = tok.doc
    end = tok.right_edge.i
    run = []
    k = end
    while k > tok.i and doc[k].tag_ == "NNP" and doc[k].lemma_.lower() not in lex.roles \
            and doc[k].lemma_.lower() not in lex.bodies:
        run.append(doc[k])
        k -= 1
    if not run or k == tok.i and len(run) < 2 or doc[k].text in (")", "("):
        return None
    if len(run) < 2 and (doc[k].pos_ == "ADP" or run[0].ent_type_ in (
            "GPE", "LOC", "ORG", "NORP", "FAC")):
        return None  # "the President of X": X is a place or body, not the speaker
    run = run[:2][::-1]
    return run[0].idx, run[-1].idx + len(run[-1].text)


def titled(tok: Any, s: int, e: int, lex: Any) -> bool:
    """A proper name preceded by a role word in its phrase ("Secretary … Armen Grigoryan")."""
    if tok.tag_ != "NNP" or tok.lemma_.lower() in lex.bodies:
        return False
    return any(w.lemma_.lower() in lex.roles for w in tok.doc[tok.left_edge.i : tok.i])


def strip_acronym(name: str) -> str:
    name = re.sub(r"\s*\([A-Z][A-Za-z]{1,9}\)", "", name)
    return re.sub(r"^(the|The)\s+", "", name)
