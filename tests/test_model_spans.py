"""Secondary spans are typed in code and stored flat, as they always were."""

from __future__ import annotations

import json

from rashomon.model import Quote, Span
from rashomon.store import Store


def test_span_keys_round_trip():
    span = Span(doc_id="d", start=3, end=7)
    assert span.to_keys("q") == {"q_start": 3, "q_end": 7}
    assert Span.from_keys("d", {"q_start": 3, "q_end": 7, "x": 1}, "q") == span
    assert Span.from_keys("d", {"q_start": 3}, "q") is None


def test_quote_cue_is_a_span_stored_under_the_old_keys(tmp_path):
    text = 'He said "go".'
    q = Quote(id="q", doc_id="d", start=8, end=12, text=text[8:12], kind="direct", cue="said")
    assert q.cue_span is None
    q.cue_span = Span(doc_id="d", start=3, end=7)
    assert (q.cue_start, q.cue_end) == (3, 7) and q.cue_span.text_in(text) == "said"
    stored = q.to_dict()
    assert list(stored)[:11] == ["id", "doc_id", "start", "end", "text", "kind", "speaker",
                                 "cue", "cue_start", "cue_end", "attrs"]
    assert Quote.from_dict(json.loads(json.dumps(stored))).cue_span == q.cue_span
    with Store(tmp_path / "w.db") as store:
        store.replace_doc_records("quotes", "1", "f", "d", {"quotes": [q]})
        row = store.records("quotes")[0]
        typed = store.records_as("quotes", Quote)
    assert typed == [q] and typed[0].cue_span == Span(doc_id="d", start=3, end=7)
    assert (row["cue_start"], row["cue_end"]) == (3, 7) and "cue_span" not in row
    q.cue_span = None
    assert (q.cue_start, q.cue_end) == (None, None)
