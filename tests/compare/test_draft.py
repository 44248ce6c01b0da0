"""Profile draft and check on made-up texts: camps, own words vs quotes, symmetry, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rashomon.compare.draft import (
    doc_views,
    draft_profile,
    induce_camps,
    loaded_terms,
    outlet_features,
)
from rashomon.compare.framing import quoted_spans, stopwords, term_hits
from rashomon.model import Document
from rashomon.profiles import load_profile
from rashomon.profiles.check import check_profile
from rashomon.store import Store

A_TEXT = ("The regime forces shelled the valley again. Residents said the regime forces "
          "blocked the convoy. The occupation of the valley continues, the council warned. ")
B_TEXT = ("Security units restored order in the valley. Officials said the security units "
          "escorted the convoy. The liberation of the valley continues, officials said. ")
WIRE = "Troops were in the valley. A convoy moved. Officials and residents spoke. "


def _corpus(store: Store, swap: bool = False) -> None:
    a, b = ("Alpha Daily", "Beta Times") if not swap else ("Beta Times", "Alpha Daily")
    for i in range(3):
        store.put_document(Document(id=f"a{i}", source=f"a{i}.txt", text=A_TEXT * 3,
                                    publisher=a))
        store.put_document(Document(id=f"b{i}", source=f"b{i}.txt", text=B_TEXT * 3,
                                    publisher=b))
    store.put_document(Document(id="w0", source="w0.txt", text=WIRE * 3, publisher="Wire"))


def test_camps_split_two_outlets_and_leave_the_wire_unassigned(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as s:
        _corpus(s)
        d = draft_profile(s)
    camps = {p["id"]: p["evidence"]["outlets"] for p in d["parties"]}
    assert sorted(map(tuple, camps.values())) == [("Alpha Daily",), ("Beta Times",)]
    assert d["draft"]["unassigned_outlets"] == ["Wire"]
    terms = {r["referent"]: [t["term"] for t in r["terms"]] for r in d["lexicon"]["loaded_terms"]}
    alpha = next(c for c, o in camps.items() if o == ["Alpha Daily"])
    assert "occupation" in terms[f"drafted-{alpha}"]
    assert "liberation" not in terms[f"drafted-{alpha}"]
    every = next(t for r in d["lexicon"]["loaded_terms"] for t in r["terms"])
    assert every["evidence"]["count"] >= 3 and every["evidence"]["examples"]


def test_a_wire_using_both_camps_words_fits_neither(tmp_path: Path) -> None:
    with Store(tmp_path / "m.db") as s:
        _corpus(s)
        s.put_document(Document(id="w1", source="w1.txt", text=A_TEXT + B_TEXT,
                                publisher="Other Wire"))
        d = draft_profile(s)
    assert d["draft"]["unassigned_outlets"] == ["Other Wire", "Wire"]


def test_swapping_the_outlets_swaps_the_camps(tmp_path: Path) -> None:
    out = []
    for i, swap in enumerate([False, True]):
        with Store(tmp_path / f"s{i}.db") as s:
            _corpus(s, swap)
            d = draft_profile(s)
        out.append({r["referent"]: sorted(t["term"] for t in r["terms"])
                    for r in d["lexicon"]["loaded_terms"]})
    assert out[0]["drafted-camp-1"] == out[1]["drafted-camp-2"]
    assert out[0]["drafted-camp-2"] == out[1]["drafted-camp-1"]


def test_quoted_words_belong_to_the_speaker_not_the_outlet() -> None:
    text = 'The mayor said "the occupation must end" on Monday. The convoy moved.'
    hits = term_hits(text, stopwords(), quoted_spans(text))
    own = {t for t, _s, _e, q in hits if not q}
    quoted = {t for t, _s, _e, q in hits if q}
    assert "occupation" in quoted and "occupation" not in own
    assert "convoy" in own


def test_quoted_use_does_not_make_a_loaded_term(tmp_path: Path) -> None:
    quoting = 'Residents said "the occupation is cruel" and "the occupation must end". '
    with Store(tmp_path / "q.db") as s:
        for i in range(3):
            s.put_document(Document(id=f"a{i}", source="a", text=(A_TEXT + quoting) * 2,
                                    publisher="Alpha"))
            s.put_document(Document(id=f"b{i}", source="b", text=(B_TEXT + quoting * 3) * 2,
                                    publisher="Beta"))
        views = doc_views(list(s.iter_documents()), [])
    stop = stopwords()
    camp_of, _axis = induce_camps(outlet_features(views, [], [], stop))
    terms = loaded_terms(views, camp_of, stop)
    beta = camp_of["Beta"]
    assert "occupation" not in [t["term"] for t in terms[beta]]
    alpha_occ = next(t for t in terms[camp_of["Alpha"]] if t["term"] == "occupation")
    assert alpha_occ["quoted"] > 0  # counted apart, as the quoted speaker's


def test_draft_loads_and_check_reports_line_and_key(tmp_path: Path) -> None:
    import yaml

    with Store(tmp_path / "d.db") as s:
        _corpus(s)
        d = draft_profile(s)
    path = tmp_path / "draft.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    prof = load_profile(path)
    assert {prof.side_of_source("Alpha Daily"), prof.side_of_source("Beta Times")} == {
        "camp-1", "camp-2"}
    assert [p for p in check_profile(path) if p.severity == "error"] == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nparties:\n  - {id: a, name: A}\nsources:\n  - id: s\n"
                   "    name: S\n    side: b\n  - {id: s, name: T}\n", encoding="utf-8")
    problems = [(p.line, p.key) for p in check_profile(bad)]
    assert (7, "sources[0].side") in problems
    assert (8, "sources[1].id") in problems


def test_cli_profile_check_and_draft_json(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store(db) as s:
        _corpus(s)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = tmp_path / "p.yaml"
    r = subprocess.run([sys.executable, "-m", "rashomon.cli", "profile", "draft", "--db", str(db),
                        "-o", str(out), "--json"], capture_output=True, text=True, env=env,
                       timeout=300, check=False)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["unassigned"] == ["Wire"] and summary["loaded_terms"] > 0
    r = subprocess.run([sys.executable, "-m", "rashomon.cli", "profile", "check", str(out),
                        "--json"], capture_output=True, text=True, env=env, timeout=120,
                       check=False)
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nparties: 3\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "rashomon.cli", "profile", "check", str(bad)],
                       capture_output=True, text=True, env=env, timeout=120, check=False)
    assert r.returncode == 1 and "line 2: parties: must be a list" in r.stderr


def test_generic_mode_compares_by_induced_camps(tmp_path: Path) -> None:
    """No profile: framing (and every corpus layer) sees the induced camps as sides."""
    from rashomon.compare.draft import camp_profile
    from rashomon.compare.framing import framing_layer
    from rashomon.layers import CorpusContext

    generic = load_profile("generic")
    with Store(tmp_path / "g.db") as s:
        _corpus(s)
        induced = camp_profile(s, generic)
        assert induced is not None
        sides = {induced.side_of(d) for d in s.iter_documents()}
        assert sides == {"camp-1", "camp-2", "unknown"}  # the wire stays unassigned
        framing_layer(CorpusContext(store=s, profile=induced))
        rows = s.records("framing")
    assert {r["side"] for r in rows} >= {"camp-1", "camp-2"}
    assert camp_profile(s, load_profile("demo")) is None  # a real profile keeps its sides


def test_block_and_continued_quotes_are_the_speakers_words() -> None:
    text = ("The senator answered, saying:\n\nThe plan is a disgrace to us all.\n\n"
            "Her aide wrote “the vote was rigged and\n“everyone knows it.”\nThe count ended.")
    spans = quoted_spans(text)

    def quoted(word: str) -> bool:
        pos = text.index(word)
        return any(a <= pos < b for a, b in spans)

    assert quoted("disgrace") and quoted("rigged") and quoted("everyone")
    assert not quoted("senator") and not quoted("count ended")


def test_generic_mode_contradictions_carry_the_induced_camps(tmp_path: Path) -> None:
    from rashomon.compare.contradictions import contradictions_layer
    from rashomon.compare.draft import camp_profile
    from rashomon.layers import CorpusContext, corpus_tables, span_tables

    shared = ("The shelling of Rivertown in the valley on Monday hit the market and the "
              "school near the bridge over the Vell river. ")
    a_extra = shared + "Three civilians were killed in the shelling of Rivertown on Monday."
    b_extra = shared + "Five civilians were killed in the shelling of Rivertown on Monday."
    with Store(tmp_path / "c.db") as s:
        s.ensure_record_tables(span_tables(), corpus_tables())
        for i in range(3):
            s.put_document(Document(id=f"a{i}", source=f"a{i}.txt", publisher="Alpha Daily",
                                    text=a_extra + " " + A_TEXT * 3))
            s.put_document(Document(id=f"b{i}", source=f"b{i}.txt", publisher="Beta Times",
                                    text=b_extra + " " + B_TEXT * 3))
        induced = camp_profile(s, load_profile("generic"))
        assert induced is not None
        contradictions_layer(CorpusContext(store=s, profile=induced))
        found = s.records("contradictions")
    across = [c for c in found if {c["a"]["side"], c["b"]["side"]} == {"camp-1", "camp-2"}]
    assert across, [(c["kind"], c["a"]["side"], c["b"]["side"]) for c in found]
