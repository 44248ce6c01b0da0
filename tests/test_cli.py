"""The CLI end to end on a small hand-written corpus: ingest, show, search, export, review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import main

ARTICLE_A = """Bridge talks collapse

Negotiators from Northland and Southland left the bridge talks on Monday without an agreement.

"We came to talk and they came to shout," said Ana Lopez, a Northland delegate.

Get the Northern Ledger in your inbox:

The talks were due to resume on June 3.
"""

ARTICLE_B = """Southland blames Northland for failed talks

Southland's foreign ministry said on Tuesday that Northland had walked out of the bridge talks.

Share this:
Facebook
Twitter

3 Comments

  1. Typical. They never wanted a deal.

    • Agreed.

  2. Both sides are to blame.
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return d


def _run(args: list[str], db: Path):
    return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)


def test_cli_ingest_json_and_rerun_is_idempotent(corpus, tmp_path):
    db = tmp_path / "w.db"
    first = _run(["ingest", str(corpus), "--json"], db)
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert len(data["added"]) == 2 and data["errors"] == []
    again = json.loads(_run(["ingest", str(corpus), "--json"], db).output)
    assert again["added"] == [] and sorted(again["unchanged"]) == sorted(data["added"])


def test_cli_ingest_reports_bad_items_and_exits_nonzero(corpus, tmp_path):
    (corpus / "empty.txt").write_text("")
    res = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(tmp_path / "w.db")])
    assert res.exit_code == 1
    assert "2 added" in res.output
    assert "empty.txt" in res.output


def test_cli_show_removed_comments_and_json(corpus, tmp_path):
    db = tmp_path / "w.db"
    _run(["ingest", str(corpus)], db)
    shown = json.loads(_run(["show", str(corpus / "b.txt"), "--json"], db).output)
    assert "Share this" not in shown["text"] and "Typical" not in shown["text"]
    assert [c["text"].startswith("Typical") for c in shown["comments"]][0]
    assert any(c["parent"] == 0 for c in shown["comments"])
    removed = _run(["show", shown["id"][:8], "--removed"], db).output
    assert "reader comments" in removed
    comments = _run(["show", shown["id"], "--comments"], db).output
    assert "reply to #0" in comments


def test_cli_search_ranks_with_snippets(corpus, tmp_path):
    db = tmp_path / "w.db"
    _run(["ingest", str(corpus)], db)
    out = _run(["search", "bridge talks", "--json"], db).output
    hits = json.loads(out)
    assert len(hits) == 2 and all("[" in h["snippet"] for h in hits)
    bad = CliRunner().invoke(main, ["search", '"unclosed', "--db", str(db)])
    assert bad.exit_code != 0 and "bad search query" in bad.output


def test_cli_export_documents_fields(corpus, tmp_path):
    db = tmp_path / "w.db"
    _run(["ingest", str(corpus)], db)
    out = tmp_path / "out"
    res = _run(["export", "--out", str(out), "--format", "jsonl"], db)
    assert res.exit_code == 0
    rows = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    need = {"id", "source", "title", "publisher", "author", "url", "published",
            "published_inferred", "language", "text", "comments", "references", "removed"}
    assert all(need <= set(r) for r in rows)
    b = next(r for r in rows if r["source"].endswith("b.txt"))
    assert b["title"] == "Southland blames Northland for failed talks"
    assert all({"start", "end", "reason", "text"} <= set(x) for x in b["removed"])
    for name in ("mentions", "quotes", "events", "stories", "contradictions", "framing"):
        assert (out / f"{name}.jsonl").exists()


def test_cli_review_unknown_contradiction_is_a_clear_error(corpus, tmp_path):
    res = CliRunner().invoke(main, ["review", "x123", "confirmed", "--db", str(tmp_path / "w.db")])
    assert res.exit_code != 0 and "matches 0 contradictions" in res.output


def test_cli_db_from_environment(corpus, tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("RASHOMON_DB", str(db))
    res = CliRunner().invoke(main, ["ingest", str(corpus)])
    assert res.exit_code == 0 and db.exists()


@pytest.mark.slow
def test_cli_analyze_writes_exports_and_report(corpus, tmp_path):
    db = tmp_path / "w.db"
    out = tmp_path / "out"
    res = _run(["analyze", str(corpus), "--out", str(out), "--report", str(out / "r.html"),
                "--profile", "demo", "--json"], db)
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["analyze"]["analysed"] == 2
    assert data["analyze"]["counts"]["quotes"] >= 1
    quotes = [json.loads(x) for x in (out / "quotes.jsonl").read_text().splitlines()]
    q = next(q for q in quotes if "came to talk" in q["text"])
    assert q["speaker"]["name"] == "Ana Lopez" and q["kind"] == "direct"
    assert (out / "r.html").read_text().startswith("<!DOCTYPE html>")
    ents = json.loads(_run(["entities", "--json"], db).output)
    assert isinstance(ents, list)


def test_cli_contradictions_list_and_review(tmp_path):
    from rashomon.model import Contradiction
    from rashomon.store import Store

    db = tmp_path / "w.db"
    with Store(db) as store:
        store.replace_corpus_records("contradictions", [Contradiction(
            id="x1", kind="date_mismatch", story_id=None, confidence=0.5,
            a={"doc_id": "d1", "start": 0, "end": 5, "text": "order of 8 January",
               "speaker": None, "outlet": "A", "side": "p1"},
            b={"doc_id": "d2", "start": 0, "end": 5, "text": "ruled in December",
               "speaker": "judge", "outlet": "B", "side": "p2"})])
    listed = _run(["contradictions", "--kind", "date_mismatch"], db).output
    assert "x1" in listed and "ruled in December" in listed
    assert json.loads(_run(["contradictions", "--status", "confirmed", "--json"], db).output) == []
    _run(["review", "x1", "confirmed", "--note", "checked"], db)
    rows = json.loads(_run(["contradictions", "--status", "confirmed", "--json"], db).output)
    assert [r["id"] for r in rows] == ["x1"]


def test_cli_stories_list(tmp_path):
    from rashomon.model import Story
    from rashomon.store import Store

    db = tmp_path / "w.db"
    with Store(db) as store:
        store.replace_corpus_records("stories", [
            Story(id="s1", title="Protest at the pass", date="2024-12-03", sides=["p1", "p2"]),
            Story(id="s2", title="Talks", date="2024-12-05", sides=["p1"])])
    out = _run(["stories", "--both-sides"], db).output
    assert "Protest at the pass" in out and "Talks" not in out
