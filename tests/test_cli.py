"""The CLI end to end on a small hand-written corpus: ingest, show, search, export, review."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
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


@pytest.fixture(autouse=True)
def _no_progress_lines(monkeypatch):
    """Off a terminal, long runs print progress to stderr, and CliRunner's ``output`` mixes
    stderr in; tests about other things parse ``stdout`` and switch the lines off."""
    monkeypatch.setenv("RASHOMON_PROGRESS_SECONDS", "0")


def _run(args: list[str], db: Path):
    return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)


def test_cli_ingest_json_and_rerun_is_idempotent(corpus, tmp_path):
    db = tmp_path / "w.db"
    first = _run(["ingest", str(corpus), "--json"], db)
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert len(data["added"]) == 2 and data["errors"] == []
    again = json.loads(_run(["ingest", str(corpus), "--json"], db).stdout)
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
    shown = json.loads(_run(["show", str(corpus / "b.txt"), "--json"], db).stdout)
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
    _run(["ingest", str(corpus)], tmp_path / "w.db")
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
    data = json.loads(res.stdout)
    assert data["analyze"]["analysed"] == 2
    assert data["analyze"]["counts"]["quotes"] >= 1
    quotes = [json.loads(x) for x in (out / "quotes.jsonl").read_text().splitlines()]
    q = next(q for q in quotes if "came to talk" in q["text"])
    assert q["speaker"]["name"] == "Ana Lopez" and q["kind"] == "direct"
    assert (out / "r.html").read_text().startswith("<!DOCTYPE html>")
    ents = json.loads(_run(["entities", "--json"], db).stdout)
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
    assert json.loads(_run(["contradictions", "--status", "confirmed", "--json"], db).stdout) == []
    _run(["review", "x1", "confirmed", "--note", "checked"], db)
    rows = json.loads(_run(["contradictions", "--status", "confirmed", "--json"], db).stdout)
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


# -- the CLI under mistakes (issue 8 item 9) -------------------------------------------------
# Real processes where the behaviour is about exit codes and the two output streams.

SRC = Path(__file__).resolve().parents[1] / "src"
READ_COMMANDS = [
    ["show", "abc"], ["search", "talks"], ["entities"], ["stories"], ["contradictions"],
    ["export", "--out", "exported"], ["report", "--out", "r.html", "--profile", "demo"],
    ["review", "x1", "confirmed"],
]


def _cli(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m rashomon.cli ARGS`` in ``cwd``, with this tree's package and no $RASHOMON_DB."""
    base = {k: v for k, v in os.environ.items() if k not in ("RASHOMON_DB", "RASHOMON_EVAL_DIR")}
    base["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", "rashomon.cli", *args], cwd=cwd,
                          env={**base, **env}, capture_output=True, text=True, timeout=300)


def _all_commands(group, prefix: list[str]) -> list[list[str]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out += _all_commands(cmd, [*prefix, name]) if hasattr(cmd, "commands") else [[*prefix, name]]
    return out


def test_cli_read_commands_on_a_missing_database_fail_and_create_nothing(tmp_path):
    for args in READ_COMMANDS:
        res = _cli([*args, "--db", "typo.db"], tmp_path)
        assert res.returncode == 1, (args, res.stdout, res.stderr)
        assert res.stdout == "" and "Traceback" not in res.stderr, args
        assert "typo.db: no such database" in res.stderr, (args, res.stderr)
        assert len(res.stderr.strip().splitlines()) == 1, (args, res.stderr)
        assert not (tmp_path / "typo.db").exists(), args
    # $RASHOMON_DB is checked the same way
    res = _cli(["stories"], tmp_path, RASHOMON_DB=str(tmp_path / "env-typo.db"))
    assert res.returncode == 1 and "env-typo.db: no such database" in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_read_commands_refuse_what_is_not_a_workspace(tmp_path):
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    (tmp_path / "empty.db").write_bytes(b"")
    (tmp_path / "folder.db").mkdir()
    (tmp_path / "text.db").write_text("not sqlite at all, just some words\n" * 20)
    cases = {"other.sqlite": "not a Rashomon database", "empty.db": "empty file",
             "text.db": "not a Rashomon database"}
    for name, why in cases.items():
        res = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / name)])
        assert res.exit_code == 1 and why in res.output, (name, res.output)
    res = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "folder.db")])
    assert res.exit_code == 2 and "is a directory" in res.output  # click's own check
    assert foreign.read_bytes() == before  # a read command never wrote to it
    assert (tmp_path / "empty.db").read_bytes() == b""


def test_cli_only_ingest_analyze_demo_create_a_database(corpus, tmp_path):
    res = CliRunner().invoke(main, ["analyze", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no such database" in res.output
    assert not (tmp_path / "none.db").exists()
    res = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(tmp_path / "new.db")])
    assert res.exit_code == 0 and (tmp_path / "new.db").exists()
    res = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "new.db"), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout) == []


def test_cli_json_errors_are_json_on_stdout_for_every_command(tmp_path):
    # command errors, in real processes: stdout is one JSON object, stderr holds no text error
    for args in READ_COMMANDS:
        res = _cli([*args, "--db", "typo.db", "--json"], tmp_path)
        assert res.returncode == 1, args
        data = json.loads(res.stdout)
        assert data["kind"] == "error" and data["exit_code"] == 1, args
        assert data["error"].startswith("typo.db: no such database"), args
        assert res.stderr == "", (args, res.stderr)
    # usage errors: missing argument, bad value, unknown command
    for args, needle in [(["show", "--json"], "Missing argument 'DOC'"),
                         (["search", "q", "--limit", "many", "--json"], "'many' is not a valid"),
                         (["nosuch", "--json"], "No such command 'nosuch'")]:
        res = _cli(args, tmp_path)
        assert res.returncode == 2 and res.stderr == "", args
        data = json.loads(res.stdout)
        assert data["kind"] == "usage" and needle in data["error"], (args, data)
        assert data["usage"].startswith("Usage: ")
    # every command, including ones added later: an unknown option under --json
    for path in _all_commands(main, []):
        res = CliRunner().invoke(main, [*path, "--no-such-option", "--json"])
        assert res.exit_code == 2, path
        data = json.loads(res.stdout)
        assert data["kind"] == "usage" and "--no-such-option" in data["error"], path
    # without --json the same mistake stays a text line on stderr
    res = _cli(["show"], tmp_path)
    assert res.returncode == 2 and res.stdout == "" and "Missing argument" in res.stderr


def test_cli_json_item_errors_are_json_lines_on_stderr(corpus, tmp_path):
    (corpus / "empty.txt").write_text("")
    (corpus / "line\nbreak.txt").write_text("")
    res = _cli(["ingest", str(corpus), "--db", "w.db", "--json"], tmp_path)
    assert res.returncode == 1
    report = json.loads(res.stdout)
    assert len(report["added"]) == 2 and len(report["errors"]) == 2
    lines = [json.loads(x) for x in res.stderr.splitlines()]
    assert len(lines) == 2 and all(set(x) == {"error"} for x in lines)
    assert any("empty.txt" in x["error"] for x in lines)
    # a search the FTS engine rejects: a JSON error, exit 1
    res = _cli(["search", '"unclosed', "--db", "w.db", "--json"], tmp_path)
    assert res.returncode == 1 and "bad search query" in json.loads(res.stdout)["error"]


def test_cli_report_json_summarises_what_was_written(corpus, tmp_path):
    db = tmp_path / "w.db"
    _run(["ingest", str(corpus)], db)
    res = _cli(["report", "--db", str(db), "--out", "out/r.html", "--profile", "demo", "--json"],
               tmp_path)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    written = tmp_path / "out" / "r.html"
    assert data["path"] == "out/r.html" and data["bytes"] == written.stat().st_size
    assert data["profile"] == "demo"
    assert data["counts"]["documents"] == 2 and data["counts"]["stories"] == 0
    assert set(data["counts"]) >= {"documents", "stories", "contradictions", "framing"}
    assert written.read_text().startswith("<!DOCTYPE html>")


def test_cli_profile_name_is_bundled_even_beside_a_same_named_folder(corpus, tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "caucasus").mkdir()
    db = tmp_path / "w.db"
    _run(["ingest", str(corpus)], db)
    for name in ("demo", "caucasus"):
        res = _cli(["report", "--db", str(db), "--profile", name, "--json"], tmp_path)
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout)["profile"] == name
    # a local file must look like a path; a folder given as a path is a clear error
    res = _cli(["report", "--db", str(db), "--profile", "./demo"], tmp_path)
    assert res.returncode == 1 and "demo: not a file" in res.stderr
    (tmp_path / "mine").write_text("name: mine\n")
    res = _cli(["report", "--db", str(db), "--profile", "mine"], tmp_path)
    assert res.returncode == 1 and "write ./mine" in res.stderr
    res = _cli(["report", "--db", str(db), "--profile", "./mine", "--json"], tmp_path)
    assert res.returncode == 0 and json.loads(res.stdout)["profile"] == "mine"


@pytest.mark.slow
def test_cli_demo_runs_beside_profile_folders_and_reports_progress_when_piped(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "caucasus").mkdir()
    res = _cli(["demo", "--out", "out", "--json"], tmp_path, RASHOMON_PROGRESS_SECONDS="0.2")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["profile"] == "demo" and data["analyze"]["analysed"] >= 10
    assert (tmp_path / "out" / "report.html").is_file()
    # off a terminal: periodic progress lines (JSON under --json), no tqdm bar redraws
    lines = [json.loads(x) for x in res.stderr.splitlines()]
    ticks = [x for x in lines if x.get("progress") == "analyze" and "finished" not in x]
    assert ticks and "\r" not in res.stderr
    assert lines[-1]["progress"] == "analyze" and lines[-1]["finished"] is True
    # the same run in text mode prints "analyze: ..." lines
    res = _cli(["demo", "--out", "out2"], tmp_path, RASHOMON_PROGRESS_SECONDS="0.2")
    assert res.returncode == 0
    assert any(x.startswith("analyze: ") and x.endswith("s") for x in res.stderr.splitlines())
    assert "analyze: done, " in res.stderr


def test_cli_progress_off_a_terminal_prints_a_line_every_interval(monkeypatch, capsys):
    from rashomon.cli import _Progress

    monkeypatch.setenv("RASHOMON_PROGRESS_SECONDS", "0.05")

    def slow(n: int):
        for i in range(n):
            time.sleep(0.05)
            yield i

    bar = _Progress("work")
    assert list(bar(slow(8), 8)) == list(range(8))
    err = capsys.readouterr().err.splitlines()
    ticks = [x for x in err if x.startswith("work: ") and "/8 docs (" in x]
    assert len(ticks) >= 2, err
    counts = [int(x.split()[1].split("/")[0]) for x in ticks]
    assert counts == sorted(counts)
    assert err[-1].startswith("work: done, 8 docs in ")
    # phases reported as messages (eval clustering) are printed at once and repeated while slow
    with _Progress("phases") as bar:
        bar.say("tuning")
        time.sleep(0.2)
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "phases: tuning" and any("tuning (still working" in x for x in err)
    # a run shorter than the interval prints nothing; 0 switches the lines off
    monkeypatch.setenv("RASHOMON_PROGRESS_SECONDS", "5")
    assert list(_Progress("quick")(range(3))) == [0, 1, 2]
    monkeypatch.setenv("RASHOMON_PROGRESS_SECONDS", "0")
    assert list(_Progress("off")(slow(3))) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_cli_progress_on_a_terminal_is_tqdm(corpus, tmp_path):
    import fcntl
    import pty
    import struct

    termios = pytest.importorskip("termios")  # POSIX terminals only

    for i in range(30):
        (corpus / f"n{i}.txt").write_text(f"Note {i}\n\nTalks resumed on day {i} at the bridge.\n")
    master, slave = pty.openpty()
    # a real terminal has a size; tqdm draws nothing on a zero-column one
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        env = {k: v for k, v in os.environ.items() if k != "RASHOMON_DB"}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH"))
                                            if p)
        env["RASHOMON_PROGRESS_SECONDS"] = "0.001"
        proc = subprocess.Popen([sys.executable, "-m", "rashomon.cli", "ingest", str(corpus),
                                 "--db", str(tmp_path / "w.db")], stderr=slave,
                                stdout=subprocess.PIPE, env=env, text=True)
        os.close(slave)  # the child holds the only copy: reads end with EIO when it exits
        slave = -1
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = proc.stdout.read()
        proc.wait(timeout=300)
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)
    term = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0 and "32 added" in out
    assert "\r" in term and "ingest:" in term  # tqdm redraws its bar in place
    assert " docs, " not in term  # and the off-terminal lines are not printed


def test_cli_eval_finds_shared_data_beside_the_checkout(eval_dir, tmp_path):
    # started from an unrelated folder: the data is found beside the checkout
    res = _cli(["eval", "events", "--limit", "3", "--json"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["all"]["n"] == 3
    # $RASHOMON_EVAL_DIR wins, and a wrong one is an error, not a silent fallback
    res = _cli(["eval", "events", "--limit", "3", "--json"], tmp_path,
               RASHOMON_EVAL_DIR=str(eval_dir))
    assert res.returncode == 0 and json.loads(res.stdout)["all"]["n"] == 3
    res = _cli(["eval", "events", "--json"], tmp_path, RASHOMON_EVAL_DIR=str(tmp_path / "none"))
    assert res.returncode == 1
    assert "RASHOMON_EVAL_DIR" in json.loads(res.stdout)["error"]
    res = _cli(["eval", "quotes", "--data", "missing/dir"], tmp_path)
    assert res.returncode == 1 and "missing/dir: not found" in res.stderr


def test_cli_eval_clustering_reports_phases(eval_dir, tmp_path):
    if not (eval_dir / "ecbplus" / "docs").is_dir():
        pytest.skip("ECB+ not in ../shared/eval")
    res = _cli(["eval", "clustering", "--limit", "1", "--json"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert "mentions" in json.loads(res.stdout)
    messages = [json.loads(x).get("message") for x in res.stderr.splitlines()]
    assert any(m and m.startswith("tuning document threshold") for m in messages)
    assert any(m and m.startswith("reporting on") for m in messages)


def test_cli_analyze_without_a_matching_profile_runs_generic_and_says_so(tmp_path):
    corpus = tmp_path / "marovia"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Police in Marovia said gunmen attacked a patrol near Kestrel "
                                  "Ford on Sunday. Russia and the EU called for calm.\n")
    (corpus / "b.txt").write_text("Officials in Kestrel Ford buried two officers on Tuesday; "
                                  "the Security Council will meet.\n")
    res = _cli(["analyze", str(corpus), "--db", str(tmp_path / "w.db"), "--json"], tmp_path,
               RASHOMON_PROGRESS_SECONDS="0")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["profile"] == "generic"
    assert out["profile_choice"]["applied"] is False and out["profile_choice"]["score"] == 0
    notes = [json.loads(line)["note"] for line in res.stderr.splitlines()
             if line.startswith("{") and "note" in line]
    assert any("generic mode" in n for n in notes)
