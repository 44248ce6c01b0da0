"""Generic slot contradictions on made-up texts (invented places, people and outlets).

No profile is used anywhere here: the vocabulary is the shipped, conflict-neutral
``data/contradiction_lexicon.yaml``.
"""

from __future__ import annotations

from rashomon.compare.detectors import LexicalDetector, Scope, SlotDetector
from rashomon.compare.slots import load_lexicon, readings
from rashomon.compare.statements import build_statements, find_slot_contradictions, sentence_spans


def _doc(did, outlet, text, side="x", published="2031-05-04"):
    return {"id": did, "publisher": outlet, "side": side, "text": text, "published": published}


def _run(docs, quotes=(), story=True):
    statements = build_statements(docs, list(quotes))
    groups = [[d["id"] for d in docs]] if story else [[d["id"]] for d in docs]
    return find_slot_contradictions(statements, groups)


def _modes(text):
    return [(r.slot, r.pole, r.mode) for r in readings(text)]


# ------------------------------------------------------------------ modality guards

def test_slots_preventing_fearing_warning_and_calling_to_stop_assert_nothing():
    for text in (
        "This is the least the world must do to prevent genocide and ethnic cleansing.",
        "Aid groups warned of forced displacement from the Varnholm valley.",
        "The council called for an end to the expulsion of farmers from Orlund.",
        "Residents fear deportation if the talks fail.",
        "If the villagers were expelled, the mayor would resign.",
    ):
        modes = [m for s, _p, m in _modes(text) if s == "voluntariness"]
        assert modes and set(modes) == {"guarded"}, (text, modes)


def test_slots_questions_assert_nothing():
    assert readings("Was the exodus from Varnholm an ethnic cleansing?") == []


def test_slots_denials_and_reported_accusations_are_not_assertions():
    denied = _modes("The ministry fictitiously accused the army of ethnic cleansing.")
    assert ("voluntariness", "a", "denied") in denied
    reported = _modes("The opposition has alleged that the villagers were expelled.")
    assert ("voluntariness", "a", "reported") in reported
    negated = _modes("The targets were legitimate military sites and not civilians killed.")
    assert ("victim_status", "a", "denied") in negated


def test_slots_prevention_sentence_never_contradicts_a_departure_by_choice():
    docs = [_doc("d1", "Northern Herald", "Minister Anselm Drury said the world must act to "
                 "prevent war crimes and ethnic cleansing of Varnholm Ruritanians."),
            _doc("d2", "Southern Daily", "The Ruritanians of Varnholm left of their own free "
                 "will, officials said.")]
    assert _run(docs) == []


# ------------------------------------------------------------------ qualification slots

def test_slots_forced_vs_voluntary_departure_across_outlets():
    docs = [_doc("d1", "Northern Herald", "The Ruritanians of Varnholm were forcibly expelled "
                 "from their homes in May 2031.", side="north"),
            _doc("d2", "Southern Daily", "The Ruritanians of Varnholm decided to leave, "
                 "certainly by their own choice.", side="south")]
    out = _run(docs)
    assert [c.kind for c in out] == ["voluntary_vs_forced"]
    c = out[0]
    assert {c.a["outlet"], c.b["outlet"]} == {"Northern Herald", "Southern Daily"}
    assert c.status == "new" and 0 < c.confidence <= 1
    assert "voluntariness" in c.attrs["reason"] and c.attrs["slot"] == "voluntariness"
    triggers = {c.a["slots"]["trigger"], c.b["slots"]["trigger"]}
    assert "forcibly expelled" in triggers and ("own choice" in triggers
                                                 or "decided to leave" in triggers)
    for side, doc in ((c.a, docs[0] if c.a["doc_id"] == "d1" else docs[1]),
                      (c.b, docs[1] if c.b["doc_id"] == "d2" else docs[0])):
        assert doc["text"][side["start"]:side["end"]] == side["text"]
        s, e = side["slots"]["trigger_start"], side["slots"]["trigger_end"]
        assert doc["text"][s:e] == side["slots"]["trigger"]


def test_slots_departures_of_different_peoples_are_not_compared():
    docs = [_doc("d1", "Northern Herald", "In 1994 the Ruritanians of the district were "
                 "forcibly expelled."),
            _doc("d2", "Southern Daily", "This year the Osterlanders decided to leave by "
                 "their own choice.")]
    assert _run(docs) == []


def test_slots_illegal_checkpoint_vs_border_checkpoint_same_date():
    docs = [_doc("d1", "Northern Herald", "The illegal installation of a checkpoint on the "
                 "Kestrel road on 3 March 2031 cut the valley off."),
            _doc("d2", "Southern Daily", "A customs and border checkpoint was established "
                 "on the Kestrel road on 3 March 2031.")]
    out = _run(docs, story=False)
    assert [c.kind for c in out] == ["opposite_legal_qualification"]
    assert "checkpo" in out[0].attrs["reason"] or "same thing" in out[0].attrs["reason"]


def test_slots_illegal_and_legitimate_about_different_things_are_not_compared():
    docs = [_doc("d1", "Northern Herald", "Illegal logging on the Kestrel ridge continues."),
            _doc("d2", "Southern Daily", "The border checkpoint on the Kestrel ridge is "
                 "a legitimate measure.")]
    assert _run(docs, story=False) == []


def test_slots_staged_vs_genuine_protest():
    docs = [_doc("d1", "Northern Herald", "The authorities staged a show on 9 June 2031 "
                 "under the guise of an environmental protest on the Kestrel road."),
            _doc("d2", "Southern Daily", "Peaceful protests of eco-activists began on the "
                 "Kestrel road on 9 June 2031.")]
    out = _run(docs, story=False)
    assert [c.kind for c in out] == ["staged_vs_genuine"]


def test_slots_road_sealed_vs_trucks_passing_daily():
    docs = [_doc("d1", "Northern Herald", "Since June the Mirovan authorities have completely "
                 "sealed off the Kestrel road."),
            _doc("d2", "Southern Daily", "Relief trucks continue to pass through the Kestrel "
                 "road on a daily basis.")]
    out = _run(docs)
    assert [c.kind for c in out] == ["open_vs_closed"]
    deprived = [_doc("d3", "Eastern Post", "Residents have been deprived of unimpeded movement "
                     "along the Kestrel road.")]
    assert _run([docs[0], *deprived]) == []  # both say the road is closed


def test_slots_terrorists_vs_rebels_within_one_story():
    docs = [_doc("d1", "Capital Wire", "The interior minister said the terrorists who stormed "
                 "the Zelbrook monastery were trained abroad."),
            _doc("d2", "Valley Voice", "Local rebels stormed the Zelbrook monastery in what "
                 "residents call an uprising.")]
    out = _run(docs)
    assert "opposite_label" in [c.kind for c in out]
    other = [docs[0], _doc("d2", "Valley Voice", "Local rebels seized the Orlund bridge.")]
    assert _run(other, story=False) == []  # no shared story, date or thing: not compared


def test_slots_victim_status_and_manner_of_death_two_voices_in_one_passage():
    text = ("On 2 May 2031 soldiers shot dead a civilian shepherd near Orlund, the prosecutor "
            "said. The army said its patrol neutralized an armed attacker who opened fire "
            "in an exchange of fire.")
    quotes = [{"doc_id": "d1", "start": 0, "end": 76, "speaker": {"name": "Prosecutor"}},
              {"doc_id": "d1", "start": 87, "end": len(text), "speaker": {"name": "Army"}}]
    out = _run([_doc("d1", "Valley Voice", text)], quotes, story=False)
    kinds = {c.kind for c in out}
    assert "victim_status" in kinds
    for c in out:
        assert {c.a["speaker"], c.b["speaker"]} == {"Prosecutor", "Army"}


# ------------------------------------------------------------------ counts, times, agents

def test_slots_counts_of_one_toll():
    a = _doc("d1", "Capital Wire", "Three people were killed in the attack on the Zelbrook "
             "monastery.")
    b = _doc("d2", "Valley Voice", "Four people were killed in the attack on the Zelbrook "
             "monastery.")
    out = _run([a, b])
    assert [c.kind for c in out] == ["number_mismatch"]
    at_least = _doc("d2", "Valley Voice", "At least three people were killed in the attack on "
                    "the Zelbrook monastery.")
    four = _doc("d1", "Capital Wire", "Four people were killed in the attack on the Zelbrook "
                "monastery.")
    assert _run([four, at_least]) == []  # "at least 3" and 4 both hold


def test_slots_a_later_higher_toll_is_a_rising_toll_not_a_contradiction():
    early = _doc("d1", "Capital Wire", "Two police officers were injured in the attack on the "
                 "Zelbrook monastery.", published="2031-05-04")
    late = _doc("d2", "Valley Voice", "Three police officers were injured in the attack on "
                "the Zelbrook monastery.", published="2031-05-06")
    assert _run([early, late]) == []
    same_day = dict(late, published="2031-05-04")
    assert [c.kind for c in _run([early, same_day])] == ["number_mismatch"]


def test_slots_counts_of_different_groups_are_not_compared():
    a = _doc("d1", "Capital Wire", "Three attackers were killed at the Zelbrook monastery.")
    b = _doc("d2", "Valley Voice", "One police officer was killed at the Zelbrook monastery "
             "and four civilians were killed near it.")
    out = [c for c in _run([a, b]) if c.kind == "number_mismatch"]
    assert out == []


def test_slots_clock_time_of_one_closure():
    a = _doc("d1", "Capital Wire", "The Kestrel border crossing was closed at 8:57 after "
             "the shooting.")
    b = _doc("d2", "Valley Voice", "Police closed the Kestrel border crossing at 8:37 "
             "after the shooting.")
    out = _run([a, b])
    assert [c.kind for c in out] == ["time_mismatch"]
    assert "8:57" in out[0].attrs["reason"] and "8:37" in out[0].attrs["reason"]


def test_slots_day_of_one_happening():
    a = _doc("d1", "Capital Wire", "The protest on the Kestrel road began on 12 March 2031 "
             "with a few dozen people.")
    b = _doc("d2", "Valley Voice", "The protest on the Kestrel road began on 14 March 2031, "
             "organisers said.")
    out = _run([a, b])
    assert [c.kind for c in out] == ["date_mismatch"]
    assert _run([a, b], story=False) == []  # two stories: two protests, as far as we know
    same = dict(b, text=b["text"].replace("14 March", "12 March"))
    assert _run([a, same]) == []


def test_slots_organised_from_abroad_vs_a_local_group():
    a = _doc("d1", "Capital Wire", "The attack on the Zelbrook monastery was organised from "
             "Orlund, the minister said.")
    b = _doc("d2", "Valley Voice", "A local group carried out the attack on the Zelbrook "
             "monastery without any outside help.")
    out = _run([a, b])
    assert [c.kind for c in out] == ["responsibility"]


def test_slots_support_vs_non_recognition_is_not_a_contradiction():
    a = _doc("d1", "Capital Wire", "The attackers at Zelbrook were supported by Orlund.")
    b = _doc("d2", "Valley Voice", "Orlund will never recognise the Zelbrook authorities.")
    assert _run([a, b]) == []


def test_slots_distances_to_different_places_are_not_compared():
    det = LexicalDetector()

    def num(text, v):
        return {"id": text, "doc_id": text, "start": 0, "end": len(text), "text": text,
                "kind": "number", "slots": {"value": v, "surface": str(v), "unit": "km",
                                            "approx": False}}
    scope = Scope(key=("num", "km", "zelbrook"))
    assert det.detect(num("Zelbrook lies 14 km from the border.", 14),
                      num("Zelbrook lies 55 km from the capital.", 55), scope) == []


# ------------------------------------------------------------------ denials

def test_slots_denied_weapons_transfer_vs_asserted_illicit_flow():
    a = _doc("d1", "Northern Herald", "Officials say the Mirovan press spreads disinformation "
             "about alleged transfer of weapons along the Kestrel road.")
    b = _doc("d2", "Southern Daily", "The Kestrel road was misused for the illicit transfer "
             "of weapons and landmines.")
    out = _run([a, b], story=False)
    assert [c.kind for c in out] == ["denied_vs_asserted"]
    unrelated = _doc("d3", "Southern Daily", "The Kestrel road was repaved last spring.")
    assert _run([a, unrelated], story=False) == []


# ------------------------------------------------------------------ voices and plumbing

def test_slots_an_outlet_quoting_the_other_side_is_not_its_own_claim():
    text = ('The Herald reported the visit. "The villagers were forcibly expelled," the '
            'Mirovan envoy said. The villagers of Varnholm left voluntarily, the Herald wrote.')
    start = text.index('"') + 1
    quotes = [{"doc_id": "d1", "start": start, "end": text.index(',"'),
               "speaker": {"name": "Mirovan envoy", "entity_id": "envoy"}}]
    statements = build_statements([_doc("d1", "Herald", text)], quotes)
    voices = {(s["voice"], r.term) for s in statements for r in s["readings"]}
    assert ("envoy", "forcibly expelled") in voices
    assert ("outlet:Herald", "forcibly expelled") not in voices


def test_slots_sentence_spans_cover_the_text():
    text = "First one. Second “quoted.” Third?\nFourth line"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second “quoted.”", "Third?",
                                             "Fourth line"]


def test_slots_detector_works_on_plain_claims_too():
    det = SlotDetector()

    def claim(cid, doc, text):
        return {"id": cid, "doc_id": doc, "start": 0, "end": len(text), "text": text}
    a = claim("c1", "d1", "The Ruritanians of Varnholm were forcibly expelled.")
    b = claim("c2", "d2", "The Ruritanians of Varnholm left voluntarily.")
    out = det.detect(a, b, Scope(key=("story", "s1"), story_id="s1"))
    assert [f.kind for f in out] == ["voluntary_vs_forced"]
    assert set(out[0].attrs["spans"]) == {"c1", "c2"}


def test_slots_profile_qualifiers_respect_the_same_guards():
    text = "The least the world must do is prevent genocide and ethnic cleansing."
    i = text.index("ethnic cleansing")
    a = {"id": "c1", "doc_id": "d1", "start": 100, "end": 100 + len(text), "text": text,
         "kind": "qualification",
         "slots": {"pair": "voluntariness", "pole": "a", "qualifier": "ethnic cleansing",
                   "about": "ethnic cleansing", "q_start": 100 + i, "q_end": 100 + i + 16}}
    text_b = "The villagers left by their own choice."
    j = text_b.index("own choice")
    b = {"id": "c2", "doc_id": "d2", "start": 0, "end": len(text_b), "text": text_b,
         "kind": "qualification",
         "slots": {"pair": "voluntariness", "pole": "b", "qualifier": "own choice",
                   "about": "leave", "q_start": j, "q_end": j + 10}}
    scope = Scope(key=("qual", "voluntariness", "about"),
                  pairs={"voluntariness": {"kind": "voluntary_vs_forced"}})
    assert LexicalDetector().detect(a, b, scope) == []
    asserted = dict(a, text=text.replace("The least the world must do is prevent",
                                         "They carried out"))
    k = asserted["text"].index("ethnic cleansing")
    asserted["slots"] = dict(a["slots"], q_start=100 + k, q_end=100 + k + 16)
    assert [f.kind for f in LexicalDetector().detect(asserted, b, scope)] == \
        ["voluntary_vs_forced"]


def test_slots_decisions_of_two_courts_are_not_one_misdated_decision():
    def dated(cid, text, d):
        return {"id": cid, "doc_id": cid, "start": 0, "end": len(text), "text": text,
                "kind": "date", "slots": {"decision": "judicial", "date": d, "date_end": d,
                                          "granularity": "day", "timex": d}}
    det = LexicalDetector()
    scope = Scope(key=("date", "judicial"))
    a = dated("a", "The order of the Supreme Court of Ruritania of 3 March 2031.", "2031-03-03")
    b = dated("b", "The ruling of the Osterland Court of Appeal of 4 April 2031.", "2031-04-04")
    assert det.detect(a, b, scope) == []
    c = dated("c", "The Supreme Court of Ruritania ordered it on 4 April 2031.", "2031-04-04")
    assert [f.kind for f in det.detect(a, c, scope)] == ["date_mismatch"]


def test_slots_lexicon_is_conflict_neutral_data():
    lex = load_lexicon()
    assert {s.name for s in lex.slots} >= {"legal_status", "voluntariness", "authenticity",
                                           "access", "label", "victim_status",
                                           "manner_of_death"}


# ------------------------------------------------------------------ symmetry and the layer

_SWAP = {"Mirovan": "Osterlin", "Osterlin": "Mirovan", "Varnholm": "Kessdale",
         "Kessdale": "Varnholm", "Ruritanians": "Brennlanders", "Brennlanders": "Ruritanians",
         "Northern Herald": "Southern Daily", "Southern Daily": "Northern Herald",
         "north": "south", "south": "north"}


def _swap(text):
    import re
    rx = re.compile("|".join(sorted(map(re.escape, _SWAP), key=len, reverse=True)))
    return rx.sub(lambda m: _SWAP[m.group(0)], text)


def _keys(out, swap=lambda s: s):
    return sorted((c.kind, c.confidence, tuple(sorted(
        (swap(s["side"]), swap(s["outlet"]), swap(s["text"]), s["slots"].get("trigger"))
        for s in (c.a, c.b)))) for c in out)


def test_slots_swapping_the_parties_swaps_the_outputs():
    docs = [
        _doc("d1", "Northern Herald", "The Ruritanians of Varnholm were forcibly expelled by "
             "Mirovan troops. The Mirovan army sealed off the Kessdale road on 3 March 2031. "
             "Officials call reports of weapons transfer along the Kessdale road "
             "disinformation about alleged transfer of weapons.", side="north"),
        _doc("d2", "Southern Daily", "The Ruritanians of Varnholm left voluntarily. Trucks "
             "continue to pass through the Kessdale road, the Osterlin mayor said. The "
             "Kessdale road was used for the illicit transfer of weapons.", side="south"),
        _doc("d3", "Southern Daily", "The Brennlanders of Kessdale were forcibly expelled by "
             "Osterlin troops.", side="south"),
        _doc("d4", "Northern Herald", "The Brennlanders of Kessdale left of their own free "
             "will.", side="north"),
    ]
    swapped = [dict(d, text=_swap(d["text"]), publisher=_swap(d["publisher"]),
                    side=_swap(d["side"])) for d in docs]
    one, two = _run(docs), _run(swapped)
    assert one, "the fixture must contain disagreements"
    assert _keys(two) == _keys(one, _swap)


def test_slots_layer_writes_generic_contradictions_to_the_store(tmp_path):
    from rashomon.compare.contradictions import contradictions_layer
    from rashomon.layers import CorpusContext
    from rashomon.model import Document, Quote
    from rashomon.profiles import load_profile
    from rashomon.store import Store

    prof = tmp_path / "none.yaml"
    prof.write_text("name: none\nparties: []\nactors: []\nplaces: []\nsources: []\n")
    store = Store(tmp_path / "w.db")
    text_a = ('The envoy spoke. "The Ruritanians of Varnholm were forcibly expelled," the '
              'Mirovan envoy said.')
    text_b = "The Ruritanians of Varnholm decided to leave by their own choice."
    store.put_document(Document(id="da", source="a.txt", text=text_a, title="Varnholm",
                                publisher="Northern Herald"))
    store.put_document(Document(id="db", source="b.txt", text=text_b, title="Varnholm",
                                publisher="Southern Daily"))
    q0 = text_a.index('"') + 1
    store.replace_doc_records("quotes", "t", "t", "da", {"quotes": [Quote(
        id="q1", doc_id="da", start=q0, end=text_a.index(',"'), text="", kind="direct",
        speaker=None)]})
    contradictions_layer(CorpusContext(store=store, profile=load_profile(prof)))
    rows = store.records("contradictions")
    assert [r["kind"] for r in rows] == ["voluntary_vs_forced"]
    assert rows[0]["status"] == "new" and rows[0]["attrs"]["source"] == "generic"
    contradictions_layer(CorpusContext(store=store, profile=load_profile(prof)))
    assert store.records("contradictions") == rows  # a rerun is idempotent
    store.close()
