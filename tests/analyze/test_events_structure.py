"""The events stage's structure: word lists as data, the typed per-document state, the
trigger span of the event record, the one place events are assembled, the parameters.
All sentences are made up for the tests."""

from __future__ import annotations

import ast
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from rashomon.analyze.events._codes import EVENT_WORDS, code_set, code_table, word_set
from rashomon.analyze.events._coref import Coref, Resolution
from rashomon.analyze.events._doc import DocEvents
from rashomon.analyze.events._params import DEFAULT_PARAMS, EventParams
from rashomon.data import DataError, load
from rashomon.layers import DocContext
from rashomon.model import Document, Event, Mention, Span
from rashomon.profiles import Profile

EVENTS_SRC = Path(__file__).resolve().parents[2] / "src" / "rashomon" / "analyze" / "events"
PROFILE = Profile(name="test", path=None, data={}, fingerprint="test")


def test_events_word_lists_are_lower_case_words():
    data = load(EVENT_WORDS)
    assert data, "the word file has lists"
    for key in data:
        words = word_set(key)
        assert words and all(w == w.lower() and w.strip() == w for w in words), key
    # YAML 1.1 would read these as booleans unless quoted
    assert {"on", "off"} <= word_set("place_preps")
    assert "if" in word_set("condition_marks")


def test_events_word_list_errors_name_file_and_key():
    with pytest.raises(DataError, match=r"event_words\.yaml.*no_such_list"):
        word_set("no_such_list")
    with pytest.raises(DataError, match=r"event_lexicon\.yaml.*no_such_table"):
        code_table("no_such_table")


def test_events_code_tables_hold_cameo_codes_as_strings():
    for table in code_table("embedded_refine").values():
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in table.items())
    assert code_table("appeal_refine")["03"] == "022"  # not the integer 3
    assert "02" in code_set("appeal_roots") and "ASSAULT" in code_set("result_types")


def test_event_trigger_span_is_a_span_stored_under_the_old_keys():
    ev = Event(id="e", doc_id="d1", start=0, end=20, sentence="x", cameo="190", plover="ASSAULT",
               attrs={"trigger_lemma": "shell", "cameo_name": "fight"})
    assert ev.trigger_span is None
    ev.trigger_span = Span(doc_id="d1", start=7, end=15)
    record = ev.to_dict()
    assert list(record["attrs"])[:3] == ["trigger_start", "trigger_end", "trigger_lemma"]
    assert (record["attrs"]["trigger_start"], record["attrs"]["trigger_end"]) == (7, 15)
    assert "trigger_span" not in record
    assert Event.from_dict(record).trigger_span == Span(doc_id="d1", start=7, end=15)


def test_events_are_assembled_in_one_place():
    """Only the per-document state constructs ``Event`` records."""
    makers = []
    for path in sorted(EVENTS_SRC.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "Event":
                makers.append(path.name)
    assert makers == ["_doc.py"]


def test_events_state_has_no_dict_caches():
    """Per-document memos are declared attributes, not ``__dict__`` entries set on the fly."""
    for path in sorted(EVENTS_SRC.glob("*.py")):
        assert "__dict__" not in path.read_text(encoding="utf-8"), path.name


def _state(nlp, text, mentions=()):
    doc = Document(id="doc1", source="test", text=text, published="2022-05-20")
    ctx = DocContext(doc=doc, sdoc=nlp(text), profile=PROFILE)
    ctx.results.update({"mentions": list(mentions), "timexes": [], "quotes": []})
    return DocEvents(ctx)


def _mention(text, surface, kind, **attrs):
    start = text.index(surface)
    return Mention(id=f"m{start}", doc_id="doc1", start=start, end=start + len(surface),
                   entity_id=f"e{start}", surface=surface, kind=kind, attrs=attrs)


def test_events_doc_state_answers_per_sentence_like_a_scan(nlp):
    text = ("KORRIN — Police closed the Tollen Road near Vask on Monday.\n\n"
            "Residents of Vask protested in Dorn.")
    mentions = [_mention(text, "Tollen Road", "place", place_kind="route"),
                _mention(text, "Dorn", "place"), _mention(text, "Residents", "group")]
    state = _state(nlp, text, mentions)
    sents = list(state.sdoc.sents)
    for sent in sents:
        scan = [m for m in state.mentions if m.kind == "place"
                and sent.start_char <= m.start < sent.end_char]
        assert state.sentence_places(sent) == scan
        assert state.sentence_places(sent) is state.sentence_places(sent)  # memoised
    start, end = state.event_span(sents[0])
    assert text[start:].startswith("Police") and end == sents[0].end_char
    road = next(t for t in state.sdoc if t.text == "Tollen")
    assert state.place_at(road) and state.route_at(road) and not state.mention_at(road)
    assert state.pos_tags == [t.pos_ for t in state.sdoc]


def test_event_params_are_frozen_and_reach_coreference(nlp):
    with pytest.raises(FrozenInstanceError):
        DEFAULT_PARAMS.coref_max_gap = 1  # type: ignore[misc]
    text = "Mara Velt arrived in the capital on Monday. She condemned the raid."
    sdoc = nlp(text)
    mentions = [_mention(text, "Mara Velt", "person")]
    she = next(t for t in sdoc if t.text == "She")
    near = Coref(sdoc, mentions).resolve(she)
    assert isinstance(near, Resolution) and near.mention is mentions[0]
    short = replace(DEFAULT_PARAMS, coref_max_gap=10)
    assert isinstance(short, EventParams)
    assert Coref(sdoc, mentions, params=short).resolve(she) is None


# the events modules along the flow of one document (see the package docstring)
LAYER_ORDER = ["_params", "_codes", "_phrase", "_candidate", "_coref", "_actors", "_args",
               "_patterns", "_shapes", "_triggers", "_modality", "_letters", "_doc",
               "_setting", "_background", "_refine", "_appeals", "_acled", "_layer"]


def test_events_modules_import_only_modules_above_them():
    prefix = "rashomon.analyze.events."
    assert sorted(LAYER_ORDER) == sorted(p.stem for p in EVENTS_SRC.glob("_*.py")
                                         if p.stem != "__init__")
    upward = []
    for i, name in enumerate(LAYER_ORDER):
        tree = ast.parse((EVENTS_SRC / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(prefix):
                dep = node.module.removeprefix(prefix)
                if LAYER_ORDER.index(dep) >= i:
                    upward.append(f"{name} imports {dep}")
    assert upward == []
