"""The warnings and escalation layers on made-up texts in a real SQLite workspace."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rashomon.layers import CorpusContext, corpus_tables, span_tables
from rashomon.model import Actor, Document, Event, Quote
from rashomon.present.report import build_report
from rashomon.present.warnings import export_escalation_csv
from rashomon.profiles import load_profile
from rashomon.store import Store
from rashomon.warning import escalation_layer, list_warnings, review_warning, warnings_layer

PROFILE = """
name: test-ew
parties: [{id: north, name: North}, {id: south, name: South}]
actors:
  - {id: northland, name: Northland, kind: state, aliases: [Northlanders], side: north}
  - {id: southland, name: Southland, kind: state, aliases: [Southlanders], side: south}
sources:
  - {id: n-post, name: North Post, side: north}
  - {id: s-daily, name: South Daily, side: south}
  - {id: n-times, name: North Times, side: north}
warnings: {alert_z: 1.5, window: 3}
"""

TEXTS = {
    "n1": ("North Post", "2025-03-03",
           "A convoy with flour and medicine for the valley was turned back at the bridge. "
           "Aid groups called on both sides to prevent a famine."),
    "s1": ("South Daily", "2025-03-04",
           "Militiamen blocked a food convoy bound for the valley on Monday. "
           "\"The Northlanders are vermin,\" a militia leader shouted at the crowd."),
    "n2": ("North Times", "2025-03-05",
           "The ministry denies the so-called blockade of the valley. "
           "Leaders urged the council to prevent genocide."),
    "x1": ("Weather Weekly", "2025-03-05", "Rain is expected in the valley on Tuesday."),
}


def _fill(store: Store) -> dict[str, str]:
    store.ensure_record_tables(span_tables(), corpus_tables())
    ids = {}
    for key, (outlet, day, text) in TEXTS.items():
        doc = Document(id=f"doc-{key}", source=f"{key}.txt", text=text, publisher=outlet,
                       published=day)
        store.put_document(doc)
        ids[key] = doc.id
    # the militia leader speaks inside the quote of s1
    s1 = TEXTS["s1"][2]
    qs, qe = s1.index("The Northlanders"), s1.index(",\" a militia")
    store.replace_doc_records("quotes", "t", "t", ids["s1"], {"quotes": [Quote(
        id="q1", doc_id=ids["s1"], start=qs, end=qe, text=s1[qs:qe], kind="direct",
        speaker=Actor(name="a militia leader"))]})
    events = []
    for i, (key, day) in enumerate([("n1", "2025-03-03"), ("s1", "2025-03-04"),
                                    ("n2", "2025-03-05")]):
        text = TEXTS[key][2]
        end = text.index(".") + 1
        events.append((key, Event(id=f"e{i}", doc_id=ids[key], start=0, end=end,
                                  sentence=text[:end], cameo="191", plover="COERCE",
                                  goldstein=-9.5, date=day, date_precision="day",
                                  source_actor=Actor(name="X", country="NRT"),
                                  target_actor=Actor(name="Y", country="STH"))))
    for key, ev in events:
        store.replace_doc_records("events", "t", "t", ids[key], {"events": [ev]})
    return ids


@pytest.fixture
def workspace(tmp_path: Path):
    prof_path = tmp_path / "p.yaml"
    prof_path.write_text(PROFILE, encoding="utf-8")
    profile = load_profile(prof_path)
    store = Store(tmp_path / "w.db")
    ids = _fill(store)
    ctx = CorpusContext(store=store, profile=profile)
    warnings_layer(ctx)
    escalation_layer(ctx)
    yield store, profile, ids, ctx, tmp_path
    store.close()


def test_findings_carry_exact_evidence_voice_camp_strength_and_not_proof(workspace):
    store, _profile, ids, _ctx, _ = workspace
    docs = {d.id: d.text for d in store.iter_documents()}
    rows = list_warnings(store)
    assert rows, "no findings"
    for w in rows:
        assert w["not_proof"] and w["framework"] == "un-foa-2014"
        assert w["risk_factor"] == "RF" + w["indicator"].split(".")[0]
        for ev in w["evidence"]:
            assert docs[ev["doc_id"]][ev["start"]:ev["end"]] == ev["text"]
    blocked = list_warnings(store, indicator="13.8")
    assert len(blocked) == 1
    b = blocked[0]
    assert b["strength"] == "corroborated across camps" and b["camps"] == ["north", "south"]
    assert b["sources"] == 3 and b["first_seen"] == "2025-03-03"
    assert b["last_seen"] == "2025-03-05" and b["scope"] == "period:2025-W10"
    # the denial in n2 is evidence of a denial, not of the blockade
    assert ids["n2"] not in {e["doc_id"] for e in b["evidence"] if e.get("match_start")}
    denial = list_warnings(store, indicator="2.6")
    assert denial and denial[0]["evidence"][0]["doc_id"] == ids["n2"]
    assert denial[0]["basis"] == "statement"
    # the dehumanising words are the quoted militia leader's, reported by one camp
    hate = list_warnings(store, indicator="13.5")[0]
    ev = hate["evidence"][0]
    assert ev["speaker"] == "a militia leader" and ev["quoted"] and ev["camp"] == "south"
    assert hate["strength"] == "single source" and "a militia leader" in hate["not_proof"]
    assert "vermin" == docs[ev["doc_id"]][ev["match_start"]:ev["match_end"]]


def test_calls_to_prevent_and_unrelated_news_give_no_findings(workspace):
    store, _profile, ids, _ctx, _ = workspace
    rows = list_warnings(store)
    assert not [w for w in rows if w["indicator"] in ("2.1", "7.10")]  # "prevent genocide/famine"
    assert not any(e["doc_id"] == ids["x1"] for w in rows for e in w["evidence"])


def test_reviews_survive_reanalysis_and_filters_work(workspace):
    store, _profile, _ids, ctx, _ = workspace
    target = list_warnings(store, indicator="13.8")[0]
    out = review_warning(store, target["id"][:8], "confirmed", note="seen on video")
    assert out["status"] == "confirmed"
    warnings_layer(ctx)  # recomputation rewrites the table
    again = list_warnings(store, indicator="13.8")[0]
    assert again["id"] == target["id"]
    assert again["status"] == "confirmed" and again["note"] == "seen on video"
    assert [w["id"] for w in list_warnings(store, status="confirmed")] == [target["id"]]
    assert all(w["risk_factor"] == "RF13" for w in list_warnings(store, rf=13))
    review_warning(store, target["id"], "rejected", note="second look")
    warnings_layer(ctx)
    assert list_warnings(store, indicator="13.8")[0]["status"] == "rejected"


def test_escalation_index_and_csv(workspace):
    store, _profile, _ids, _ctx, tmp = workspace
    rows = store.records("escalation")
    allrow = [r for r in rows if r["dyad"] == "all"]
    assert len(allrow) == 1 and allrow[0]["events"] == 3 and allrow[0]["docs"] == 4
    assert allrow[0]["severe"] == 3 and allrow[0]["quad_shares"] == {"material_conflict": 1.0}
    assert allrow[0]["plover"] == {"COERCE": 3} and allrow[0]["cameo_root"] == {"19": 3}
    assert {r["dyad"] for r in rows} == {"all", "NRT|STH"}
    path = export_escalation_csv(store, tmp / "exp")[0]
    with path.open(encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert len(got) == 2 and got[0]["plover"] == "COERCE:3"


def test_escalation_z_scores_flag_a_jump_against_the_own_baseline():
    from rashomon.warning import escalation_index

    meta = {f"d{i}": {"id": f"d{i}", "published": f"2025-01-{1 + 7 * i:02d}"} for i in range(5)}
    evs = []
    for i, n in enumerate([1, 1, 1, 1, 6]):
        evs += [{"id": f"e{i}-{k}", "doc_id": f"d{i}", "cameo": "190", "plover": "ASSAULT",
                 "goldstein": -10.0, "modality": {}} for k in range(n)]
    evs.append({"id": "neg", "doc_id": "d0", "cameo": "190", "modality": {"negated": True}})
    pts = [p for p in escalation_index(evs, meta, alert_z=2.0) if p.dyad == "all"]
    assert [p.events for p in pts] == [1, 1, 1, 1, 6]  # the negated event does not count
    assert [p.alert for p in pts] == [False, False, False, False, True]
    assert pts[0].z is None and pts[-1].z > 2.0


def test_report_section_and_chart_respect_the_csp(workspace):
    store, profile, _ids, _ctx, _ = workspace
    html = build_report(store, profile)
    assert "id='warnings'" in html and "<mark>vermin</mark>" in html
    assert "Not proof:" in html
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)  # no inline event handlers
    assert len(re.findall(r"<script", html)) == len(re.findall(r"<script[^>]*>", html))
    assert " style=" not in html.split("<main>", 1)[1]


def test_cli_lists_and_reviews_in_a_real_process(workspace):
    store, _profile, _ids, _ctx, _tmp = workspace
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    db = str(store.path)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "rashomon.cli", *args, "--db", db],
                              capture_output=True, text=True, env=env, timeout=120)

    out = run("warnings", "--rf", "13", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and {r["risk_factor"] for r in rows} == {"RF13"}
    wid = next(r["id"] for r in rows if r["indicator"] == "13.8")
    rev = run("review-warning", wid, "rejected", "--note", "old footage", "--json")
    assert rev.returncode == 0, rev.stderr
    assert json.loads(rev.stdout)["status"] == "rejected"
    new = json.loads(run("warnings", "--status", "new", "--json").stdout)
    assert wid not in {r["id"] for r in new}
    bad = run("review-warning", "nosuchid", "confirmed")
    assert bad.returncode != 0 and "error" in bad.stderr.lower()
    esc = run("warnings", "--escalation", "--alert-z", "0", "--json")
    assert esc.returncode == 0 and json.loads(esc.stdout)
