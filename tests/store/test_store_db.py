"""The store: migrations, documents, search, record swaps, review statuses."""

from __future__ import annotations

import sqlite3

import pytest

from rashomon.model import Contradiction, Document, Mention
from rashomon.store import Store, StoreError, resolve_db_path


def _doc(i: int, text: str = "The road was closed on Monday.") -> Document:
    return Document(id=f"d{i}", source=f"src{i}.txt", text=text, title=f"Title {i}")


def test_store_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "w.db"
    with Store(path) as s:
        v = s.schema_version
        assert v >= 1
    with Store(path) as s:  # reopening applies nothing new
        assert s.schema_version == v
        names = [r[0] for r in s.conn.execute("SELECT name FROM _migrations")]
        assert names[:2] == ["0001_initial", "0002_fts_keyed_by_rowid"]


def test_store_migration_from_first_schema_keeps_search(tmp_path):
    """A workspace made by schema 0001 upgrades and its documents stay searchable."""
    import sqlite3 as sq

    from rashomon.store import migrations

    path = tmp_path / "old.db"
    conn = sq.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    migrations._initial(conn)
    conn.execute("INSERT INTO _migrations(name) VALUES ('0001_initial')")
    conn.execute("INSERT INTO documents(id, source, text, data) VALUES ('d1', 's', "
                 "'an old bridge story', '{}')")
    conn.close()
    with Store(path) as s:
        assert s.schema_version == len(migrations.MIGRATIONS)
        assert [h["doc_id"] for h in s.search("bridge")] == ["d1"]


def test_store_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("RASHOMON_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(tmp_path / "x.db") == tmp_path / "x.db"
    monkeypatch.delenv("RASHOMON_DB")
    assert resolve_db_path(None).name == "rashomon.db"


def test_store_put_and_get_document_roundtrip(fresh_db):
    d = _doc(1)
    assert fresh_db.put_document(d) is True
    assert fresh_db.put_document(d) is False
    got = fresh_db.get_document("d1")
    assert got == d
    assert fresh_db.get_document("src1.txt").id == "d1"
    assert fresh_db.document_count() == 1


def test_store_get_document_errors_are_clear(fresh_db):
    fresh_db.put_document(_doc(10))
    fresh_db.put_document(_doc(11))
    with pytest.raises(StoreError, match="several"):
        fresh_db.get_document("d1")
    with pytest.raises(StoreError, match="no document"):
        fresh_db.get_document("zzz")


def test_store_search_ranks_and_snippets(fresh_db):
    fresh_db.put_document(_doc(1, "A checkpoint was installed on the mountain road."))
    fresh_db.put_document(_doc(2, "Talks resumed. The checkpoint, the checkpoint again."))
    fresh_db.put_document(_doc(3, "Nothing relevant here."))
    hits = fresh_db.search("checkpoint")
    assert [h["doc_id"] for h in hits] == ["d2", "d1"]
    assert "[checkpoint]" in hits[0]["snippet"]
    with pytest.raises(StoreError, match="bad search query"):
        fresh_db.search('"unbalanced')


def test_store_search_index_follows_updates(fresh_db):
    fresh_db.put_document(_doc(1, "alpha"))
    fresh_db.put_document(_doc(1, "beta"))
    assert fresh_db.search("alpha") == []
    assert len(fresh_db.search("beta")) == 1


def test_store_replace_doc_records_swaps_atomically(fresh_db):
    fresh_db.put_document(_doc(1))
    m1 = Mention(id="m1", doc_id="d1", start=0, end=3, entity_id="e", surface="The")
    m2 = Mention(id="m2", doc_id="d1", start=4, end=8, entity_id="e", surface="road")
    fresh_db.replace_doc_records("entities", "v1", "fp1", "d1", {"mentions": [m1, m2]})
    assert [r["id"] for r in fresh_db.records("mentions")] == ["m1", "m2"]
    fresh_db.replace_doc_records("entities", "v1", "fp2", "d1", {"mentions": [m2]})
    assert [r["id"] for r in fresh_db.records("mentions", "d1")] == ["m2"]
    assert fresh_db.layer_fingerprint("entities", "d1") == "fp2"


def test_store_failed_transaction_leaves_store_unchanged(fresh_db):
    fresh_db.put_document(_doc(1))
    with pytest.raises(RuntimeError):
        with fresh_db.transaction():
            fresh_db.put_document(_doc(2))
            raise RuntimeError("crash in the middle")
    assert fresh_db.document_count() == 1
    assert fresh_db.search("closed")[0]["doc_id"] == "d1"


def test_store_review_status_survives_rerun(fresh_db):
    c = Contradiction(id="x1", kind="date_mismatch", story_id=None, confidence=0.5,
                      a={"doc_id": "d1"}, b={"doc_id": "d2"})
    fresh_db.replace_corpus_records("contradictions", [c])
    fresh_db.set_contradiction_status("x1", "confirmed", "checked the court record")
    fresh_db.replace_corpus_records("contradictions", [c])  # a rerun of the layer
    assert fresh_db.records("contradictions")[0]["status"] == "confirmed"
    assert fresh_db.review_log("x1")[0]["note"] == "checked the court record"
    with pytest.raises(StoreError, match="status must be"):
        fresh_db.set_contradiction_status("x1", "maybe")


def test_store_rejects_non_database_file(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        Store(bad)


def test_store_integrity_after_many_writes(fresh_db):
    for i in range(50):
        fresh_db.put_document(_doc(i, f"text number {i}"))
    ok = fresh_db.conn.execute("PRAGMA integrity_check").fetchone()[0]
    assert ok == "ok"
    assert isinstance(fresh_db.conn, sqlite3.Connection)


def test_store_record_json_is_canonical():
    """Stored data is the record's fields as sorted-key JSON, UTF-8 kept, nested records inline."""
    import json

    from rashomon.model import Actor, Quote
    from rashomon.store.db import _dump

    q = Quote(id="q", doc_id="d", start=0, end=5, text="«Çа» \"x\"", kind="direct",
              speaker=Actor(name="Ана", entity_id="e1"), attrs={"b": [1, 2.5], "a": None})
    expected = json.dumps(q.to_dict(), ensure_ascii=False, sort_keys=True)
    assert _dump(q) == expected
    assert _dump({"z": q.speaker, "a": (1, 2)}) == json.dumps(
        {"z": q.speaker.to_dict(), "a": [1, 2]}, ensure_ascii=False, sort_keys=True)


def test_store_loads_many_equals_one_by_one():
    import json

    from rashomon.store.db import _loads_many

    rows = ['{"a": [1, 2, {"b": "x,]"}]}', '"s"', "3.5", "null", '[]', '{"k": "\\u00e9"}']
    assert _loads_many(rows) == [json.loads(r) for r in rows]
    assert _loads_many([]) == []


def test_store_records_come_back_in_order_with_their_data(fresh_db):
    fresh_db.put_document(_doc(1))
    ms = [Mention(id=f"m{i}", doc_id="d1", start=10 - i, end=12 - i, entity_id="e",
                  surface="ро", attrs={"i": i}) for i in range(3)]
    fresh_db.replace_doc_records("entities", "v1", "fp", "d1", {"mentions": ms})
    got = fresh_db.records("mentions", "d1")
    assert [r["id"] for r in got] == ["m2", "m1", "m0"]  # by start
    assert got[0] == ms[2].to_dict()


def test_store_corpus_records_replace_in_one_statement(fresh_db):
    from rashomon.model import Story

    stories = [Story(id=f"s{i}", title=f"t{i}", date=None, doc_ids=[f"d{i}"]) for i in range(3)]
    fresh_db.replace_corpus_records("stories", stories)
    fresh_db.replace_corpus_records("stories", stories[1:])
    assert [r["id"] for r in fresh_db.records("stories")] == ["s1", "s2"]
    assert fresh_db.records("stories")[0] == stories[1].to_dict()
