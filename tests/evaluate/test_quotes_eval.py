"""PolNeAR scorer: brat parsing on a hand-written pair, then a small real run."""

from __future__ import annotations

from rashomon.evaluate.quotes import _exact_matches, evaluate_quotes, parse_brat
from rashomon.model import Quote

TEXT = ("“We will win this election,” the senator said on Tuesday.\n\n"
        "Officials believe the count will take a week, a spokesman added.\n")
#        0         1         2         3         4         5
ANN = "\n".join([
    "T1\tContent 1 27\tWe will win this election,",
    "T2\tSource 29 40\tthe senator",
    "T3\tCue 41 45\tsaid",
    "T4\tAttribution 41 45\tsaid",
    "E1\tAttribution:T4 Content:T1 Source:T2 Cue:T3",
    "T5\tContent 83 102;104 110\tthe count will take a week",
    "T6\tSource 59 68\tOfficials",
    "T7\tCue 69 76\tbelieve",
    "E2\tAttribution:T7 Content:T5 Source:T6 Cue:T7",
])


def test_quotes_eval_parse_brat_discontinuous():
    atts = parse_brat(ANN)
    assert len(atts) == 2
    assert atts[0].content == [(1, 27)] and atts[0].source == [(29, 40)]
    assert atts[0].cue == [(41, 45)]
    assert atts[1].content == [(83, 102), (104, 110)]
    assert TEXT[59:68] == "Officials" and TEXT[69:76] == "believe"


def test_quotes_eval_tiny_corpus(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "doc1_ab12.ann").write_text(ANN, encoding="utf-8")
    res = evaluate_quotes(str(tmp_path))
    assert res["n_docs"] == 1 and res["n_gold"] == 2
    assert res["n_pred"] >= 1
    # the direct quote is found exactly, with its speaker and cue
    assert res["content_exact"]["precision"] > 0
    assert res["source_exact"]["accuracy"] > 0
    assert res["cue"]["recall"] > 0


def test_quotes_eval_polnear_dev_sample(eval_dir):
    dev = eval_dir / "polnear" / "dev"
    res = evaluate_quotes(str(dev), limit=5)
    assert res["n_docs"] == 5 and res["n_gold"] > 0 and res["n_pred"] > 0
    for key in ("content_exact", "content_overlap", "source_exact", "source_overlap", "cue"):
        for metric in ("precision", "recall", "f1"):
            assert 0.0 <= res[key][metric] <= 1.0
    assert res["content_overlap"]["f1"] >= res["content_exact"]["f1"]
    assert res["content_overlap"]["f1"] > 0.3


def test_quotes_eval_split_gold_matched_by_pieces():
    text = "“We will win,” she said. “Count every vote.”"
    gold = parse_brat("T1\tContent 1 13;26 43\tWe will win, Count every vote.\n"
                      "T2\tCue 19 23\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2")
    whole = Quote(id="q", doc_id="d", start=1, end=43, text=text[1:43], kind="direct",
                  attrs={"pieces": [[1, 13], [26, 43]]})
    assert _exact_matches(text, gold, [whole]) == 1
    first_only = Quote(id="q", doc_id="d", start=1, end=13, text=text[1:13], kind="direct")
    assert _exact_matches(text, gold, [first_only]) == 0
    hull_no_pieces = Quote(id="q", doc_id="d", start=1, end=43, text=text[1:43], kind="direct")
    assert _exact_matches(text, gold, [hull_no_pieces]) == 1  # the hulls agree
