"""A batch with bad inputs through the CLI: one error line each, good ones stored, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rashomon.cli import main
from rashomon.store import Store


def _article(n: int) -> str:
    return (f"Report number {n}. The regional council met on Monday to discuss the harvest.\n\n"
            f"Officials said that {n} villages had asked for help with irrigation, and the "
            f"council agreed to send engineers within two weeks.\n")



def _batch(root: Path, closed_port: int) -> tuple[list[str], int]:
    """Write good and bad inputs; return CLI arguments and the number of bad items."""
    (root / "good1.txt").write_text(_article(1), encoding="utf-8")
    (root / "good2.html").write_text(
        "<html><body><article><p>" + _article(2).replace("\n\n", "</p><p>")
        + "</p></article></body></html>", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 20)
    (root / "undecodable.txt").write_bytes(b"caf\x81 \x8d\x90 text")
    (root / "huge.txt").write_text("word " * 5000)
    (root / "mixed.jsonl").write_text(
        json.dumps({"text": _article(3), "title": "Three"}) + "\n{broken json\n"
        + json.dumps({"text": _article(4)}) + "\n", encoding="utf-8")
    url = f"http://127.0.0.1:{closed_port}/article"
    return [str(root), url], 6


def _run(args: list[str], db: Path):
    return CliRunner().invoke(main, ["ingest", *args, "--db", str(db), "--max-bytes", "10000",
                                     "--timeout", "3", "--allow-private"])


def test_bad_input_one_error_line_each_and_good_ones_stored(tmp_path: Path, closed_port: int) -> None:
    src = tmp_path / "in"
    src.mkdir()
    args, n_bad = _batch(src, closed_port)
    db = tmp_path / "ws.db"
    result = _run(args, db)
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == n_bad, result.stderr
    joined = "\n".join(errors)
    for needle in ("empty.txt: empty file", "binary.txt: binary", "undecodable.txt: not text",
                   "huge.txt: too large", "mixed.jsonl#2: malformed JSON", "unreachable"):
        assert needle in joined, needle
    with Store(db) as store:
        assert store.document_count() == 4  # good1, good2, jsonl lines 1 and 3
        ids = sorted(d.id for d in store.iter_documents())
        statuses = dict(store.conn.execute(
            "SELECT status, count(*) FROM inputs GROUP BY status").fetchall())
    assert statuses == {"ok": 4, "error": n_bad}

    # Rerun: nothing stored is lost, same documents and ids, same errors again.
    again = _run(args, db)
    assert again.exit_code == 1
    assert "0 added, 4 already stored" in again.stdout
    with Store(db) as store:
        assert sorted(d.id for d in store.iter_documents()) == ids


def test_bad_input_good_batch_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_article(10))
    result = _run([str(tmp_path / "a.txt")], tmp_path / "ws.db")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout
    assert result.stderr.strip() == "" or "error:" not in result.stderr
