"""Reviews live apart from generated records: re-attached by spans, orphans kept, migrated."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from rashomon.cli import main
from rashomon.model import Contradiction
from rashomon.store import Store, migrations


def _side(doc: str, start: int, text: str = "a sentence") -> dict:
    return {"doc_id": doc, "start": start, "end": start + 20, "text": text, "speaker": None,
            "outlet": "O", "side": "x"}


def _contra(cid: str, a=("d1", 0), b=("d2", 50), kind="date_mismatch") -> Contradiction:
    return Contradiction(id=cid, kind=kind, story_id=None, confidence=0.5,
                         a=_side(*a), b=_side(*b))


def test_review_reattaches_to_new_record_on_same_spans(fresh_db):
    fresh_db.replace_corpus_records("contradictions", [_contra("x1"), _contra("x2", b=("d3", 9))])
    fresh_db.set_contradiction_status("x1", "confirmed", "court record")
    # a recomputation gives the same two spans another id (e.g. a new detector version)
    fresh_db.replace_corpus_records("contradictions", [_contra("x9"), _contra("x2", b=("d3", 9))])
    got = {c["id"]: c["status"] for c in fresh_db.records("contradictions")}
    assert got == {"x9": "confirmed", "x2": "new"}
    assert [r["note"] for r in fresh_db.review_log("x9")] == ["court record"]
    assert fresh_db.review_orphans() == []


def test_review_of_vanished_record_is_kept_listed_and_comes_back(fresh_db):
    fresh_db.replace_corpus_records("contradictions", [_contra("x1"), _contra("x2", b=("d3", 9))])
    fresh_db.set_contradiction_status("x1", "rejected", "different bridges")
    fresh_db.replace_corpus_records("contradictions", [_contra("x2", b=("d3", 9))])
    orphans = fresh_db.review_orphans()
    assert [(o["record_id"], o["status"], o["note"]) for o in orphans] == \
        [("x1", "rejected", "different bridges")]
    assert orphans[0]["snapshot"]["a"]["doc_id"] == "d1"
    assert fresh_db.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    # an orphan can be reviewed again by its old id; the log keeps both entries
    fresh_db.set_contradiction_status("x1", "confirmed", "on second thought")
    assert len(fresh_db.review_log("x1")) == 2
    # the target comes back in a later run: the latest review is re-attached
    fresh_db.replace_corpus_records("contradictions", [_contra("x1"), _contra("x2", b=("d3", 9))])
    assert {c["id"]: c["status"] for c in fresh_db.records("contradictions")}["x1"] == "confirmed"
    assert fresh_db.review_orphans() == []


def test_review_key_is_order_free_and_kind_specific():
    a, b = _side("d1", 0), _side("d2", 50)
    assert migrations.review_key("k", a, b) == migrations.review_key("k", b, a)
    assert migrations.review_key("k", a, b) != migrations.review_key("other", a, b)


def _schema_0002(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, fn in migrations.MIGRATIONS[:2]:
        fn(conn)
        conn.execute("INSERT INTO _migrations(name) VALUES (?)", (name,))
    return conn


def test_migration_carries_existing_reviews_over(tmp_path):
    path = tmp_path / "old.db"
    conn = _schema_0002(path)
    for cid, status in (("x1", "confirmed"), ("x2", "rejected"), ("x3", "new")):
        rec = _contra(cid, b=("d2", {"x1": 50, "x2": 60, "x3": 70}[cid])).to_dict()
        rec["status"] = status
        conn.execute("INSERT INTO contradictions(id, data, status) VALUES (?,?,?)",
                     (cid, json.dumps(rec), status))
    # x1 reviewed with a note; x2's status predates the log; xgone was reviewed, then vanished
    conn.execute("INSERT INTO contradiction_reviews(contradiction_id, status, note)"
                 " VALUES ('x1', 'confirmed', 'seen'), ('xgone', 'rejected', 'old note')")
    conn.close()
    with Store(path) as s:
        got = {c["id"]: c["status"] for c in s.records("contradictions")}
        assert got == {"x1": "confirmed", "x2": "rejected", "x3": "new"}
        assert [r["note"] for r in s.review_log("x1")] == ["seen"]
        assert [(o["record_id"], o["note"]) for o in s.review_orphans()] == [("xgone", "old note")]
        # after the next recomputation the carried-over reviews still hold
        s.replace_corpus_records("contradictions", [_contra("y1", b=("d2", 50)),
                                                    _contra("y2", b=("d2", 60))])
        assert {c["id"]: c["status"] for c in s.records("contradictions")} == \
            {"y1": "confirmed", "y2": "rejected"}
        assert not s.conn.execute("SELECT 1 FROM sqlite_master WHERE name="
                                  "'contradiction_reviews'").fetchone()


def test_cli_review_and_orphans(tmp_path):
    db = str(tmp_path / "w.db")
    with Store(db) as s:
        s.replace_corpus_records("contradictions", [_contra("x1"), _contra("x2", b=("d3", 9))])
    run = CliRunner().invoke
    res = run(main, ["review", "x1", "confirmed", "--note", "ok", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["status"] == "confirmed"
    with Store(db) as s:
        s.replace_corpus_records("contradictions", [_contra("x2", b=("d3", 9))])
    res = run(main, ["review", "--orphans", "--db", db, "--json"])
    assert res.exit_code == 0
    assert [o["record_id"] for o in json.loads(res.output)] == ["x1"]
    res = run(main, ["review", "--orphans", "--db", db])
    assert "x1  [confirmed]" in res.output and "note: ok" in res.output
    res = run(main, ["review", "--db", db])
    assert res.exit_code == 2 and "--orphans" in res.output
    res = run(main, ["review", "x1", "--log", "--db", db, "--json"])
    assert [r["status"] for r in json.loads(res.output)] == ["confirmed"]


def test_set_record_review_returns_the_whole_record(tmp_path):
    from rashomon.layers import corpus_tables, span_tables
    from rashomon.model import Story
    from rashomon.store import Store

    with Store(tmp_path / "r.db") as s:
        s.ensure_record_tables(span_tables(), corpus_tables())
        s.replace_corpus_records("stories", [Story(id="st1", title="Convoy stopped",
                                                   date="2025-01-03", doc_ids=["d1"])])
        got = s.set_record_review("story", "stories", "st1", "confirmed", "checked")
        # plain fields live in columns, not in the JSON extras: they must come back too
        assert got["title"] == "Convoy stopped" and got["date"] == "2025-01-03"
        assert got["status"] == "confirmed" and got["note"] == "checked"
        assert s.latest_record_reviews("story")["st1"]["status"] == "confirmed"
