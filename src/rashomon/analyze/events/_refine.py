"""Refinements of event candidates: codes that depend on a carrier verb, a preposition
or an embedded action; announced and obligated actions; infinitives that did not
happen; and the country of an uncoded actor from its sentence.

The code tables are data (``future_intent``, ``embedded_refine``, ``appeal_refine`` in
``data/event_lexicon.yaml``); the functions here say when each applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._candidate import Candidate
from rashomon.analyze.events._codes import CodeInfo, code_table, lexicon, word_set
from rashomon.analyze.events._patterns import vowed_force
from rashomon.analyze.events._phrase import action_text
from rashomon.model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token


def context_countries(hits: list[tuple[int, str]], source: Actor | None,
                      target: Actor | None) -> list[str]:
    """An uncoded actor with a role ("the president", "rebels") takes the one country the
    sentence names outside both actors, unless that is the other actor's country: news
    names the country of an unnamed office holder nearby ("the president ... in Chad")."""
    todo = [(role, a) for role, a in (("source", source), ("target", target))
            if a is not None and a.country is None and a.entity_id is None]
    if not todo:
        return []
    spans = [(a.start or 0, a.end or 0) for a in (source, target) if a is not None]
    codes = {code for start, code in hits
             if not any(a <= start < b for a, b in spans)}
    others = {a.country for a in (source, target) if a is not None and a.country}
    codes -= others
    if len(codes) != 1:
        return []
    code = next(iter(codes))
    for _, a in todo:
        a.country = code
    return [role for role, _ in todo]


def be_to(tok: Token) -> bool:
    """"The president is to visit Brazil": a scheduled action, announced, not done."""
    return (tok.dep_ == "xcomp" and tok.head.lemma_ == "be"
            and any(ch.dep_ == "aux" and ch.tag_ == "TO" for ch in tok.children)
            and not any(ch.dep_ == "neg" for ch in tok.head.children))


def noun_code(c: Candidate) -> str:
    """A noun's code refined by its carrier verb or its target preposition ("lodged a
    protest with X" is a complaint; "strikes on X" are military), see the lexicon's
    ``noun_light_codes`` / ``noun_prep_codes``."""
    lex = lexicon()
    key = c.lemma
    if c.light is not None and not c.light_is_frame:
        by_light = (lex.get("noun_light_codes") or {}).get(key)
        if by_light and c.light.lemma_.lower() in by_light:
            return str(by_light[c.light.lemma_.lower()])
    by_prep = (lex.get("noun_prep_codes") or {}).get(key)
    if by_prep:
        for ch in c.tok.children:
            if ch.dep_ == "prep" and ch.lower_ in by_prep:
                return str(by_prep[ch.lower_])
    return c.code


def unrealised_infinitive(c: Candidate, by_tok: dict[int, Candidate]) -> bool:
    """A to-infinitive that is only the content or purpose of something else did not
    happen as told: "a request to interrogate detainees", "a plan to attack", "opened
    fire to disperse the crowd" (the firing is the event, the dispersal its aim)."""
    tok = c.tok
    if not _to_infinitive(tok):
        return False
    if tok.dep_ == "acl":
        return True
    if tok.dep_ == "xcomp":
        # "used tear gas to disperse", "cooperate to encourage": the aim of a verb of
        # means or joint action; "to help support": inside another purpose clause
        h = tok.head
        return h.lemma_.lower() in word_set("purpose_heads") or (
            h.dep_ in ("advcl", "acl") and _to_infinitive(h))
    if tok.dep_ != "advcl":
        return False
    h = tok.head
    for _ in range(4):
        if h.i in by_tok:
            return True
        if h.head.i == h.i:
            break
        h = h.head
    return False


def _to_infinitive(tok: Token) -> bool:
    return any(ch.dep_ == "aux" and ch.tag_ == "TO" for ch in tok.children)


def demand_code(root: str) -> str:
    """The REQUEST code of a demand whose action has CAMEO root ``root`` (100: unspecified)."""
    return str(code_table("embedded_refine")["REQUEST"].get(root, "100"))


def refine_by_embedded(c: Candidate, embedded: Candidate, info: CodeInfo, action: str,
                       mod: dict[str, Any], attrs: dict[str, Any]) -> str:
    """The code of an embedding trigger given the action it absorbed: an appeal or
    request for X, an agreement or threat to do X, a rejection of X, a protest demanding
    X, a claim of responsibility for X (then X is the event)."""
    code = c.code
    eroot = embedded.code[:2]
    refine = code_table("embedded_refine")
    if info.plover == "REQUEST" or code.startswith("02"):
        mod["demanded"] = True
        attrs.update({"demanded_action": action, "demanded_cameo": embedded.code})
        table = code_table("appeal_refine") if code.startswith("02") else refine["REQUEST"]
        code = table.get(eroot, code)
    elif info.plover == "AGREE" and vowed_force(c.tok, embedded.tok, embedded.code,
                                                refine["VOW"]):
        code = refine["VOW"][eroot]
    elif info.plover in refine:
        code = refine[info.plover].get(eroot, code)
    elif info.plover == "PROTEST":
        attrs.update({"demanded_action": action, "demanded_cameo": embedded.code})
    elif code.startswith("015"):
        # "X claimed responsibility for the bombing": X did it, by its own account
        attrs["claimed_responsibility"] = True
        code = embedded.code
    if info.plover == "REJECT" and eroot == "12":
        code = c.code
    return code


def as_intent(code: str, info: CodeInfo, attrs: dict[str, Any]) -> str:
    """An announced action is intent (cooperation) or a threat (force, sanctions); the
    announced code is kept in ``attrs["future_of"]``."""
    intent = code_table("future_intent").get(info.plover or "")
    if not intent:
        return code
    attrs["future_of"] = code
    return str(intent)


def obligation_speaker(c: Candidate) -> Token | None:
    """Subject of the reporting verb over an obligation ("X said Y must Z"), else None."""
    carrier = c.light if c.light is not None else c.tok
    if not any(a.lower_ == "must" for a in carrier.children if a.dep_ == "aux"):
        return None
    head = carrier.head
    if carrier.dep_ != "ccomp" or head.lemma_.lower() not in set(lexicon()["reporting_verbs"]):
        return None
    return next((ch for ch in head.children if ch.dep_ == "nsubj"), None)


def as_demand(c: Candidate, code: str, mod: dict[str, Any], attrs: dict[str, Any]) -> str:
    """"X said Y must do Z": X demands Z of Y (PLOVER REQUEST)."""
    attrs.update({"demanded_action": action_text(c.tok), "demanded_cameo": code})
    mod["demanded"] = True
    return demand_code(code[:2])
