"""The rules that turn cues into one ACLED sub-event type.

Each rule reads one criterion of the ACLED codebook and proposes candidates
with a score = the salience of the phrase that triggered it (see ``_cues``)
plus a *specificity* bonus.  The codebook codes an event by the most specific
thing the report says: the means of remote violence before the bare fact of an
attack, a seizure of weapons before the weapons themselves, demonstrators'
own violence before the force used against them.  The bonuses encode that
order; the dependency parse decides who did what to whom (the subject of a
capture verb tells a government's regained territory from a non-state
actor's gain; the object of an attack tells a battle from violence against
civilians; the object of a seizure verb tells disrupted weapons use from use).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rashomon.analyze.acled._cues import Cue, by_group, subtree_ids

STATE = ("actors.police", "actors.military")
NONSTATE = ("actors.rebels", "actors.militia", "actors.gunmen")
ARMED = (*STATE, *NONSTATE, "actors.armed_target")
MEANS = {"means.chemical": ("CHEM_WEAP", 0.5), "means.suicide": ("SUIC_BOMB", 0.5),
         "means.air": ("AIR_STRIKE", 0.4), "means.grenade": ("GRENADE", 0.42),
         "means.shelling": ("ART_MISS_ATTACK", 0.3), "means.remote": ("REM_EXPLOS", 0.32)}
#: specificity bonus per rule (see module docstring for the order they encode)
BONUS = {"DISR_WEAP": 0.36, "territory": 0.3, "HQ_ESTABLISHED": 0.35, "protest": 0.28,
         "MOB_VIOL": 0.35, "PROPERTY_DISTRUCT": 0.18, "SEX_VIOL": 0.45, "ABDUCT_DISSAP": 0.3,
         "ARREST": 0.1, "AGREEMENT": 0.2, "CHANGE_TO_GROUP_ACT": 0.02, "OTHER": -0.15,
         "violence": 0.08, "NATURAL_DISASTER": 0.35, "MAN_MADE_DISASTER": 0.25,
         "ATTRIB": 0.4, "DIPLO": 0.22, "ORG_CRIME": 0.2}
_OBJ_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "dative", "obj", "pobj"}
_OBJ_PREPS = {"of", "over", "to", "into", "on", "towards", "toward", "against", "at", "upon"}
_CAPTURE_PREPS = {"of", "over"}
_CAPTURE_NOUNS = {"capture", "seizure", "takeover", "recapture", "liberation", "fall"}
_AT_PREPS = {"during", "at", "amid", "in", "while", "outside", "near"}
_STRONG_ATTRIB = {"responsibility", "responsible", "behind", "blame", "accuse", "accusation",
                  "involvement", "involve",
                  "allegation", "attribute", "culprit", "perpetrate", "unsubstantiated"}
_STRONG_DIPLO = {"sanction", "diplomat", "diplomatic", "ambassador", "embassy", "envoy",
                 "consulate", "tie", "security", "resolution", "summit", "foreign",
                 "retaliatory", "bilateral", "department", "assembly"}
_STRONG_MANMADE = {"spill", "leak", "leakage", "crash", "collision", "derail", "derailment",
                   "collapse", "capsize", "aground", "shipwreck", "poisoning", "contaminate",
                   "contamination", "stampede", "accident", "accidental", "accidentally",
                   "meltdown", "blowout", "nitrate", "loose", "pollution"}
_STRONG_PROTEST_VIOLENCE = {"molotov", "stone", "rock", "pelt", "petrol", "firebomb", "bottle",
                            "projectile", "stone-pelting"}
_PROTEST_FORCE_TOOLS = {"tear", "teargas", "water", "pepper", "rubber", "pepper-spray", "stun"}


@dataclass
class Candidate:
    """One proposed sub-event code with its score and the cues that support it."""

    code: str
    score: float
    trigger: Cue
    evidence: dict[str, list[Cue]] = field(default_factory=dict)


def verb_of(tok: Any) -> Any:
    """The verb a phrase hangs from (the phrase itself when it is a verb or a root)."""
    t = tok
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return tok


def _subjects(verb: Any) -> list[Any]:
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "csubj", "expl")]
    for c in verb.children:
        if c.dep_ == "agent":
            subs.extend(g for g in c.children if g.dep_ == "pobj")
    if not subs and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return _subjects(verb.head)
    if not subs and verb.dep_ == "acl":  # "militants backed by X", "fighters seizing" -> noun
        subs = [verb.head]
    return subs


def _objects(head: Any, preps: set[str] | None = None) -> list[Any]:
    """Direct objects, passive subjects and objects of object-like prepositions."""
    preps = _OBJ_PREPS if preps is None else preps
    out = []
    for c in head.children:
        if c.dep_ in _OBJ_DEPS - {"pobj"}:
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ in preps:
            out.extend(g for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prt":  # phrasal verb: "took over the town" parses the object as its child
            out.extend(g for g in c.children if g.dep_ in ("dobj", "pobj"))
    return out


_MOD_DEPS = {"compound", "amod", "nmod", "nummod", "det", "poss", "npadvmod", "quantmod"}


def _head_ids(tokens: Iterable[Any]) -> set[int]:
    """Each token with its modifiers, but not its prepositional phrases or clauses.

    "security forces in a crackdown on militants" -> security forces: the actor
    is the head noun, not everyone mentioned around it.
    """
    ids: set[int] = set()
    stack = list(tokens)
    while stack:
        t = stack.pop()
        ids.add(t.i)
        stack.extend(c for c in t.children if c.dep_ in _MOD_DEPS)
        if t.dep_ != "conj":
            stack.extend(c for c in t.children if c.dep_ == "conj")
    return ids


def _ids(tokens: Iterable[Any]) -> set[int]:
    ids: set[int] = set()
    for t in tokens:
        ids |= subtree_ids(t)
    return ids


def _ids_tokens(head: Any, objs: list[Any]) -> list[Any]:
    """The tokens of ``objs``' subtrees (what a verb acts on)."""
    doc = head.doc
    return [doc[i] for i in sorted(_ids(objs))]


def _within(cues: list[Cue], ids: set[int]) -> list[Cue]:
    return [c for c in cues if c.root.i in ids]


def _actor_groups(cues: list[Cue], ids: set[int]) -> set[str]:
    return {c.group for c in cues if c.group.startswith("actors.") and c.root.i in ids}


def _cand(out: list[Candidate], code: str, cue: Cue, bonus: float, **evidence: list[Cue]) -> None:
    out.append(Candidate(code, round(cue.salience + bonus, 4), cue,
                         {"trigger": [cue], **{k: v for k, v in evidence.items() if v}}))


def candidates(cues: list[Cue], doc: Any) -> list[Candidate]:
    """Every candidate type the text supports (unsorted)."""
    g = by_group(cues)
    actors = [c for c in cues if c.group.startswith("actors.")]
    out: list[Candidate] = []
    consumed = _disrupted_weapons(g, cues, out)
    _means(g, consumed, actors, out)
    _territory(g, cues, actors, doc, out)
    _bases(g, cues, actors, out)
    _protests(g, cues, actors, out)
    _civilian_harm(g, cues, actors, out)
    _strategic(g, actors, out)
    _violence(g, actors, out)
    _outside_acled(g, cues, out)
    return out


def _disrupted_weapons(g: dict[str, list[Cue]], cues: list[Cue], out: list[Candidate]
                       ) -> set[int]:
    """A seizure/find/interception/defusal whose object is a weapon; returns consumed means.

    The codebook's "disrupted weapons use" is about weapons that were *not*
    used: so a grenade that was found is no grenade attack.
    """
    consumed: set[int] = set()
    weaponish = [c for c in cues if c.group == "weapons" or c.group.startswith("means.")]
    for cue in g.get("outcomes.seize", []) + g.get("outcomes.arrest", []):
        if cue.group == "outcomes.arrest" and cue.root.lemma_ not in ("intercept",):
            continue
        head = cue.root
        objs = _objects(head)
        if head.dep_ in ("amod", "acl"):  # "weapons seized", "a shell found in a field"
            objs.append(head.head)
        ids = _ids(objs)
        hits = _within(weaponish, ids)
        crime = [c for c in g.get("non_acled.org_crime", []) if c.root.i in ids]
        if crime and not hits:  # drugs or contraband seized: organised crime
            _cand(out, "ORG_CRIME", cue, BONUS["ORG_CRIME"] + 0.05, outcome=[cue, *crime])
            continue
        if hits:
            consumed |= {c.root.i for c in hits if c.group.startswith("means.")}
            _cand(out, "DISR_WEAP", cue, BONUS["DISR_WEAP"], outcome=[cue], means=hits)
    for cue in g.get("outcomes.cache", []):
        _cand(out, "DISR_WEAP", cue, BONUS["DISR_WEAP"] - 0.08, outcome=[cue])
    return consumed


def _means(g: dict[str, list[Cue]], consumed: set[int], actors: list[Cue],
           out: list[Candidate]) -> None:
    """Remote violence by its means: chemical, suicide, air, grenade, shelling, explosive."""
    for cue in g.get("means.air_vehicle", []):
        t = cue.root
        acting = t.dep_ in ("nsubj", "csubj") or (t.dep_ == "pobj" and t.head.lower_ == "by") \
            or (t.dep_ in ("compound", "amod", "nmod") and t.head.lemma_ in (
                "strike", "attack", "raid", "bombing", "bombardment", "missile", "rocket", "fire"))
        if acting and t.i not in consumed:
            _cand(out, "AIR_STRIKE", cue, MEANS["means.air"][1] - 0.05, means=[cue])
    for cue in g.get("means.blast", []):
        # an explosion with no device named: a bomb, unless the scene is industrial
        # and no attacker is named (that is a man-made disaster)
        industrial = any(_same_sentence(i, cue) for i in g.get("non_acled.industrial", []))
        armed = any(a.group in NONSTATE for a in actors)
        named = any(grp.startswith("means.") and grp not in ("means.blast", "means.firearm")
                    for grp in g)
        if cue.root.i not in consumed and not named and (armed or not industrial):
            _cand(out, "REM_EXPLOS", cue, MEANS["means.remote"][1] - 0.12, means=[cue])
    for group, (code, bonus) in MEANS.items():
        for cue in g.get(group, []):
            if cue.root.i in consumed:
                continue
            if group == "means.remote" and cue.root.pos_ == "VERB" and cue.root.lemma_ == "bomb":
                # a verb "bombed" with no device named is aerial bombing
                _cand(out, "AIR_STRIKE", cue, 0.22, means=[cue])
                continue
            verb = verb_of(cue.root)
            subj_ids = _head_ids(_subjects(verb)) | _head_ids(
                g2 for c2 in cue.root.children if c2.dep_ == "prep" and c2.lower_ == "by"
                for g2 in c2.children if g2.dep_ == "pobj")
            if group in ("means.shelling", "means.remote") and any(
                    c.root.i in subj_ids for c in g.get("means.air_vehicle", [])):
                # "jets pounded", "warplanes fired missiles": the aircraft is the means
                _cand(out, "AIR_STRIKE", cue, MEANS["means.air"][1], means=[cue])
                continue
            who = _actor_groups(actors, _ids(_subjects(verb)))
            _cand(out, code, cue, bonus, means=[cue],
                  participants=[a for a in actors if a.group in who])


def _actor_class(groups: set[str]) -> str | None:
    if any(a in groups for a in NONSTATE):
        return "nonstate"
    if any(a in groups for a in STATE):
        return "state"
    return None


def _territory(g: dict[str, list[Cue]], cues: list[Cue], actors: list[Cue], doc: Any,
               out: list[Candidate]) -> None:
    """Territory changing hands; the subject's actor type tells who gained it."""
    places = g.get("places", [])
    place_ids = {c.root.i for c in places}
    people = {c.root.i for c in actors
              if c.group != "actors.armed_target" and c.root.i not in place_ids}
    peaceful = bool(g.get("outcomes.peaceful"))
    for cue in g.get("outcomes.capture", []) + g.get("outcomes.regain", []):
        verb = cue.root
        if verb.dep_ == "amod":
            continue  # "the occupied city" describes a place, it reports no capture
        if verb.lemma_ == "fall":
            _fell_to(cue, places, actors, doc, out)
            continue
        if verb.pos_ != "VERB" and verb.lemma_ not in _CAPTURE_NOUNS:
            continue  # "handed over control of": the noun is no capture
        objs = _objects(verb, _CAPTURE_PREPS)
        heads = {o.i for o in objs}
        # the place must be what was taken (the object's head phrase, or what
        # "control"/"ground" is of), not a word in a clause about it
        ids = _head_ids(objs) | _ids(o for o in objs if o.lemma_ in ("control", "ground", "hold",
                                                                     "possession", "part"))
        place_hit = bool([c for c in places if c.root.i in ids] or [
            i for i in heads if doc[i].ent_type_ in ("GPE", "LOC", "FAC")]
            or "ground" in cue.text.lower())
        if heads & people:
            _people_taken(cue, actors, heads, out)
            continue
        if not place_hit:
            continue
        who = _actor_groups(actors, _head_ids(_subjects(verb)))
        kind = _actor_class(who)
        if kind is None and verb.lemma_ in ("fall",):
            kind = _actor_class(_actor_groups(actors, ids))
        if kind is None:
            kind = "state" if cue.group == "outcomes.regain" else _actor_class(
                {a.group for a in actors})
        code = ("NON_VIOL_TERRIT_TRANSFER" if peaceful else
                "NON_STATE_ACTOR_OVERTAKES_TER" if kind == "nonstate" else "GOV_REGAINS_TERIT")
        _cand(out, code, cue, BONUS["territory"],
              outcome=[cue], participants=[a for a in actors if a.group in who])
    for cue in g.get("outcomes.withdraw", []):
        if peaceful:
            _cand(out, "NON_VIOL_TERRIT_TRANSFER", cue, BONUS["territory"], outcome=[cue])


def _fell_to(cue: Cue, places: list[Cue], actors: list[Cue], doc: Any,
             out: list[Candidate]) -> None:
    """ "The town fell to X": the place is the subject, the gainer the object of "to"."""
    verb = cue.root
    subj = _ids(_subjects(verb))
    if not ([c for c in places if c.root.i in subj]
            or any(doc[i].ent_type_ in ("GPE", "LOC", "FAC") for i in subj)):
        return
    gainers = _ids(_objects(verb, {"to", "into"}))
    kind = _actor_class(_actor_groups(actors, gainers))
    code = "GOV_REGAINS_TERIT" if kind == "state" else "NON_STATE_ACTOR_OVERTAKES_TER"
    _cand(out, code, cue, BONUS["territory"], outcome=[cue])


def _people_taken(cue: Cue, actors: list[Cue], heads: set[int], out: list[Candidate]) -> None:
    """People captured or taken: an arrest by state forces, an abduction by anyone else."""
    if cue.root.lemma_ not in ("capture", "seize", "take"):
        return
    who = _actor_class(_actor_groups(actors, _head_ids(_subjects(cue.root))))
    if who == "state":
        _cand(out, "ARREST", cue, BONUS["ARREST"] - 0.05, outcome=[cue])
    elif who == "nonstate":
        _cand(out, "ABDUCT_DISSAP", cue, BONUS["ABDUCT_DISSAP"] - 0.1, outcome=[cue])


def _bases(g: dict[str, list[Cue]], cues: list[Cue], actors: list[Cue],
           out: list[Candidate]) -> None:
    bases = g.get("outcomes.base", []) + g.get("actors.armed_target", [])
    for cue in g.get("outcomes.establish", []):
        hits = _within(bases, _ids(_objects(cue.root)))
        if hits:
            who = _actor_groups(actors, _ids(_subjects(cue.root)))
            if who and not (set(who) & set(ARMED)):
                continue
            _cand(out, "HQ_ESTABLISHED", cue, BONUS["HQ_ESTABLISHED"], outcome=[cue, *hits])


def _same_sentence(a: Cue, b: Cue) -> bool:
    return a.root.sent.start == b.root.sent.start


def _protests(g: dict[str, list[Cue]], cues: list[Cue], actors: list[Cue],
              out: list[Candidate]) -> None:
    """Demonstrations, typed by who used violence and how.

    Demonstrators' own violence makes a violent demonstration; lethal force on
    peaceful demonstrators is excessive force; dispersal, tear gas or arrests
    without lethal force are an intervention; otherwise the protest was peaceful.
    """
    protests = [p for p in g.get("actors.protesters", []) if not _purpose_only(p)]
    tools = [c for c in g.get("outcomes.intervention", [])
             if c.root.lower_.split("-")[0] in _PROTEST_FORCE_TOOLS
             or c.text.lower().split()[0] in _PROTEST_FORCE_TOOLS]
    if not protests and not tools:
        return
    anchor = max(protests or tools, key=lambda c: c.salience)
    violent = []
    means_ids = {c.root.lemma_.lower() for grp, cs in g.items()
                 if grp.startswith("means.") and grp != "means.firearm" for c in cs}
    for c in g.get("outcomes.protest_violence", []) + g.get("outcomes.loot", []):
        if _negative_prefix(c.root):
            continue
        thrown = {t.lemma_.lower() for t in _ids_tokens(c.root, _objects(c.root))}
        if thrown & means_ids:
            continue  # a grenade or bomb thrown is that means' attack, not a riot
        strong = c.root.lemma_.lower() in _STRONG_PROTEST_VIOLENCE or bool(
            thrown & _STRONG_PROTEST_VIOLENCE and c.root.lemma_ in ("throw", "hurl"))
        if c.group == "outcomes.loot":
            # looting is the demonstrators' violence only when they do it
            if _head_ids(_subjects(verb_of(c.root))) & {p.root.i for p in protests}:
                violent.append(c)
            continue
        near = [p for p in protests if _same_sentence(p, c)
                and (p.root.i in subtree_ids(verb_of(c.root)) or c.root.i in subtree_ids(p.root)
                     or p.root.head.i == c.root.head.i)]
        if strong or near:
            violent.append(c)
    protest_ids = {p.root.i for p in protests}
    lethal = []
    for c in g.get("outcomes.lethal", []) + g.get("violence.attack", []):
        if not any(_same_sentence(p, c) for p in protests):
            continue
        explicit = c.group == "outcomes.lethal" and c.root.lemma_ not in ("kill", "die", "shoot")
        victims = _ids(_objects(c.root)) | (_head_ids(_subjects(c.root))
                                            if c.root.lemma_ == "die" else set())
        if (explicit and c.group == "outcomes.lethal") or victims & protest_ids:
            lethal.append(c)
    interv = [c for c in g.get("outcomes.intervention", [])
              if c in tools or (any(_same_sentence(p, c) for p in protests) and (
                  c.root.lemma_ not in ("detain", "arrest") or _arrest_at_protest(c, protests)
                  or "actors.protesters" in _actor_groups(protests, _ids(_objects(c.root)))))]
    if violent:
        code, ev = "VIOL_DEMONSTR", violent
    elif lethal:
        code, ev = "FORCE_AGAINST_PROTEST", lethal
    elif interv:
        code, ev = "PROTEST_WITH_INTER", interv
    else:
        code, ev = "PEACE_PROTEST", []
    bonus = BONUS["protest"] + (0.05 if code != "PEACE_PROTEST" else 0.0)
    if not protests:  # tear gas or water cannon alone: someone was being dispersed
        bonus -= 0.1
    # what was done at the protest may be the main clause ("police opened fire on
    # protesters"): the most central of the protest and its outcome anchors it
    anchor = max([anchor, *ev], key=lambda c: c.salience)
    _cand(out, code, anchor, bonus, outcome=ev, participants=protests)


_GATHER = {"gather", "assemble", "march", "rally", "take", "come", "converge", "turn", "walk",
           "stage", "hold", "demonstrate", "strike", "block", "occupy", "camp"}


def _purpose_only(cue: Cue) -> bool:
    """ "The ministry summoned the ambassador to protest the incident": a protest as
    someone's purpose, not a gathering (unless people gathered or marched to protest)."""
    t = cue.root
    return t.pos_ == "VERB" and t.dep_ in ("xcomp", "advcl") and t.head.lemma_ not in _GATHER


def _negative_prefix(tok: Any) -> bool:
    """ "non-violent": the word is negated by a prefix the tokenizer split off."""
    doc = tok.doc
    return tok.lower_.startswith("non") or (
        tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "non")


def _arrest_at_protest(cue: Cue, protests: list[Cue]) -> bool:
    """An arrest whose clause places it at a protest ("detained during a rally")."""
    ids = subtree_ids(cue.root)
    for p in protests:
        if p.root.i not in ids:
            continue
        t = p.root
        while t.i != cue.root.i and t.head.i != t.i:
            if t.dep_ == "relcl" or (t.dep_ == "prep" and t.lower_ not in _AT_PREPS):
                return False
            t = t.head
        return True
    return False


def _civilian_harm(g: dict[str, list[Cue]], cues: list[Cue], actors: list[Cue],
                   out: list[Candidate]) -> None:
    """Mobs, looting, sexual violence, abduction and arrests."""
    for cue in g.get("actors.mob", []):
        _cand(out, "MOB_VIOL", cue, BONUS["MOB_VIOL"], participants=[cue])
    for cue in g.get("outcomes.loot", []):
        _cand(out, "PROPERTY_DISTRUCT", cue, BONUS["PROPERTY_DISTRUCT"], outcome=[cue])
    for cue in g.get("outcomes.sexual", []):
        _cand(out, "SEX_VIOL", cue, BONUS["SEX_VIOL"], outcome=[cue])
    for cue in g.get("outcomes.abduct", []):
        _cand(out, "ABDUCT_DISSAP", cue, BONUS["ABDUCT_DISSAP"], outcome=[cue])
    protests = g.get("actors.protesters", [])
    weaponish = {c.root.i for c in cues if c.group == "weapons" or c.group.startswith("means.")}
    for cue in g.get("outcomes.arrest", []):
        objs = _ids(_objects(cue.root))
        if cue.root.lemma_ == "intercept" and objs & weaponish:
            continue
        victims = _actor_groups(actors, objs)
        who = _actor_groups(actors, _ids(_subjects(cue.root)))
        crime = [c for c in g.get("non_acled.org_crime", [])
                 if c.root.i in objs or (_same_sentence(c, cue) and c.salience >= 0.75)]
        if crime:  # the police catching smugglers or traffickers: organised crime
            _cand(out, "ORG_CRIME", cue, BONUS["ORG_CRIME"] + 0.05, outcome=[cue, *crime])
            continue
        if _arrest_at_protest(cue, protests) or "actors.protesters" in victims:
            _cand(out, "PROTEST_WITH_INTER", cue, BONUS["protest"] + 0.05, outcome=[cue],
                  participants=protests)
            continue
        if cue.root.lemma_ in ("capture", "raid") and not victims:
            continue
        if _actor_class(who) == "nonstate":  # non-state actors do not arrest: they abduct
            _cand(out, "ABDUCT_DISSAP", cue, BONUS["ABDUCT_DISSAP"] - 0.1, outcome=[cue])
            continue
        _cand(out, "ARREST", cue, BONUS["ARREST"], outcome=[cue],
              participants=[a for a in actors if a.group in who | victims])


def _strategic(g: dict[str, list[Cue]], actors: list[Cue], out: list[Candidate]) -> None:
    for cue in g.get("strategic.agreement", []):
        _cand(out, "AGREEMENT", cue, BONUS["AGREEMENT"], outcome=[cue])
    for cue in g.get("strategic.group_change", []):
        verb = verb_of(cue.root)
        ids = _ids(_subjects(verb)) | _ids(_objects(verb)) | subtree_ids(cue.root)
        armed = _actor_groups(actors, ids) & set(ARMED)
        _cand(out, "CHANGE_TO_GROUP_ACT", cue,
              BONUS["CHANGE_TO_GROUP_ACT"] + (0.0 if armed else -0.35), outcome=[cue],
              participants=[a for a in actors if a.group in armed and a.root.i in ids])
    for cue in g.get("strategic.other", []):
        _cand(out, "OTHER", cue, BONUS["OTHER"], outcome=[cue])


def _violence(g: dict[str, list[Cue]], actors: list[Cue], out: list[Candidate]) -> None:
    """Attacks and fighting: a battle between armed actors, or violence against civilians."""
    means = [c for grp, cs in g.items() if grp.startswith("means.") and grp != "means.firearm"
             for c in cs]
    armed_anywhere = any(a.group in ARMED and a.group != "actors.armed_target" for a in actors) \
        or bool(g.get("means.firearm"))
    protest_ids = {c.root.i for c in g.get("actors.protesters", []) + g.get("actors.mob", [])}
    protest_sents = {c.root.sent.start for c in g.get("actors.protesters", [])}

    def penalty(cue: Cue) -> float:
        # the codebook codes by the means when one is named: a bare "attack" or
        # "killed" next to a grenade or an IED is that means' event
        p = 0.3 if any(_same_sentence(m, cue) for m in means) else 0.0
        if any(cue.root.sent.start == doc_sent for doc_sent in protest_sents):
            p += 0.3  # force used on demonstrators: the protest rule types it
        return p + (0.0 if armed_anywhere else 0.3)

    for cue in g.get("violence.clash", []):
        if subtree_ids(cue.root) & protest_ids:
            continue  # demonstrators fighting police: a riot, typed by the protest rule
        _cand(out, "ARMED_CLASH", cue, BONUS["violence"] + 0.04 - penalty(cue),
              participants=actors)
    for cue in g.get("violence.attack", []):
        head = cue.root
        objs = _objects(head) or [o for o in _objects(verb_of(head)) if o.i != head.i]
        targets = _actor_groups(actors, _ids(objs))
        attackers = _actor_groups(actors, _head_ids(_subjects(verb_of(head))))
        armed_target = bool(targets & set(ARMED))
        civil_target = "actors.civilians" in targets
        ev = [a for a in actors if a.group in targets | attackers]
        pen = penalty(cue)
        if attackers and attackers <= {"actors.civilians", "actors.mob"} and cue.root.pos_ == "VERB":
            # residents or villagers attacking people: an unorganised crowd, mob violence
            _cand(out, "MOB_VIOL", cue, BONUS["violence"] + 0.1 - pen, participants=ev)
            continue
        if armed_target and not civil_target:
            _cand(out, "ARMED_CLASH", cue, BONUS["violence"] - pen, participants=ev)
        elif civil_target:
            _cand(out, "ATTACK", cue, BONUS["violence"] + 0.02 - pen, participants=ev)
        elif attackers & set(ARMED):
            _cand(out, "ATTACK", cue, BONUS["violence"] - 0.05 - pen, participants=ev)
        else:
            _cand(out, "ATTACK", cue, BONUS["violence"] - 0.12 - pen, participants=ev)


def _outside_acled(g: dict[str, list[Cue]], cues: list[Cue], out: list[Candidate]) -> None:
    """Diplomacy, claims of responsibility, organised crime and disasters."""
    actor_ids = {c.root.i for c in cues if c.group.startswith("actors.")
                 or c.group.startswith("violence.")}
    for cue in g.get("non_acled.natural", []):
        if cue.root.pos_ == "VERB" and (_head_ids(_subjects(cue.root)) & actor_ids
                                        or cue.root.lemma_ == "storm"):
            continue  # "protests erupted", "gunmen stormed": people, not nature
        _cand(out, "NATURAL_DISASTER", cue, BONUS["NATURAL_DISASTER"], outcome=[cue])
    industrial = g.get("non_acled.industrial", [])
    attackers = [c for c in cues if c.group in NONSTATE or c.group in
                 ("means.suicide", "means.grenade", "means.air", "means.shelling")]
    for cue in g.get("non_acled.man_made", []):
        strong = cue.root.lemma_.lower() in _STRONG_MANMADE or any(
            w.lower() in _STRONG_MANMADE for w in cue.text.split())
        if strong:
            _cand(out, "MAN_MADE_DISASTER", cue, BONUS["MAN_MADE_DISASTER"], outcome=[cue])
        elif any(_same_sentence(i, cue) for i in industrial) and not attackers:
            _cand(out, "MAN_MADE_DISASTER", cue, BONUS["MAN_MADE_DISASTER"] - 0.05,
                  outcome=[cue])
    attrib = g.get("non_acled.attribution", [])
    if any(c.root.lemma_.lower() in _STRONG_ATTRIB or "responsib" in c.text.lower()
           for c in attrib):
        abuse = {c.root.i for grp in ("outcomes.sexual", "outcomes.abduct", "outcomes.loot")
                 for c in g.get(grp, [])}
        for cue in attrib:
            if cue.root.lemma_ in ("accuse", "accusation", "allege", "allegation") and \
                    subtree_ids(verb_of(cue.root)) & abuse:
                continue  # an allegation of abuse reports the abuse (coded as such)
            # a claim or denial is the report only when it is the main predicate
            # (or what someone "said"); "an attack later claimed by X" is an attack
            verb = verb_of(cue.root)
            deep = verb.dep_ not in ("ROOT", "ccomp", "conj", "xcomp") or (
                verb.dep_ != "ROOT" and verb.head.dep_ not in ("ROOT",))
            _cand(out, "ATTRIB", cue, BONUS["ATTRIB"] - (0.3 if deep else 0.0), outcome=[cue])
    for cue in g.get("non_acled.diplomacy", []):
        strong = any(t.lemma_.lower() in _STRONG_DIPLO for t in cue.root.doc[cue.start:cue.end])
        _cand(out, "DIPLO", cue, BONUS["DIPLO"] - (0.0 if strong else 0.3), outcome=[cue])
    for cue in g.get("non_acled.org_crime", []):
        _cand(out, "ORG_CRIME", cue, BONUS["ORG_CRIME"], outcome=[cue])
