"""Hostile inputs, each class against a real SQLite store: one error line per bad item,
good items stored, the batch goes on, nothing stored is lost or silently replaced."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import main
from rashomon.ingest.html import cap_attributes, extract_html
from rashomon.ingest.items import ItemError, Limits
from rashomon.ingest.pipeline import ingest
from rashomon.ingest.readers import FetchOptions, iter_items, url_problem
from rashomon.store import Store


def _article(n: int | str) -> str:
    return (f"Dispatch {n} from the river district\n\n"
            f"Officials in district {n} said on Tuesday that the water supply had been "
            f"restored after repairs to the main pipe, and the council would meet again.\n\n"
            f"Residents of district {n} queued at the distribution points, and the mayor said "
            f"the maintenance budget would be reviewed before the winter session.\n")


def _ingest(tmp_path: Path, paths: list[str], **kw):
    lines: list[str] = []
    (tmp_path / ".db").mkdir(exist_ok=True)  # hidden: never read as input
    with Store(tmp_path / ".db" / "ws.db") as store:
        report = ingest(store, paths, on_error=lines.append, **kw)
        docs = {d.id: d for d in store.iter_documents()}
    return report, lines, docs


def _bodies(docs) -> str:
    return "\n".join(d.text for d in docs.values())


def test_hostile_jsonl_lines_each_fail_alone(tmp_path: Path) -> None:
    good = [json.dumps({"text": _article(f"good{i}")}).encode() for i in range(3)]
    bad = [
        b'{"text": "\\ud800 lone surrogate escaped"}',
        b'{"text": "ok", "title": "\\udfff"}',
        b'{"text": "raw surrogate \xed\xa0\x80 bytes"}',
        b'{"text": "x", "id": ' + b"7" * 6000 + b"}",
        b'{"text": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
        b'{"a": ' * 30_000 + b"1" + b"}" * 30_000,
        b"[1, 2]",
        b'{"text": 5}',
        b"\xff\xfe\x00 binary",
    ]
    lines = [good[0], *bad[:5], good[1], *bad[5:], good[2]]
    (tmp_path / "mixed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    report, errors, docs = _ingest(tmp_path, [str(tmp_path / "mixed.jsonl")])
    assert len(report.added) == 3
    assert len(errors) == len(bad) == len(report.errors)
    body = _bodies(docs)
    assert all(f"good{i}" in body for i in range(3))
    joined = "\n".join(errors)
    for needle in ("#2: field 'text' holds a lone UTF-16 surrogate",
                   "#3: field 'title' holds a lone UTF-16 surrogate",
                   "#4: line is not UTF-8 text", "#5: malformed JSON (a number with too many digits)",
                   "#6: malformed JSON (nested too deeply)", "#8: malformed JSON (nested too deeply)"):
        assert needle in joined, (needle, joined)


def test_hostile_long_lines_are_bounded(tmp_path: Path) -> None:
    """A line over the cap, and a file with no newline at all, are refused without loading."""
    big = json.dumps({"text": "word " * 5000}).encode()
    (tmp_path / "long.jsonl").write_bytes(big + b"\n" + json.dumps({"text": _article(1)}).encode())
    (tmp_path / "nonl.jsonl").write_bytes(b"x" * 50_000)
    report, errors, _ = _ingest(tmp_path, [str(tmp_path)], fetch=FetchOptions(max_bytes=10_000))
    assert len(report.added) == 1
    assert sorted(e.split(": ")[1] for e in errors) == [
        f"{tmp_path / 'long.jsonl'}#1", f"{tmp_path / 'nonl.jsonl'}#1"]
    assert all("line too large" in e for e in errors)


def test_hostile_ten_megabyte_single_lines(tmp_path: Path) -> None:
    """Real 10 MB lines at the default cap: refused while streaming, the next line is read."""
    with open(tmp_path / "big.jsonl", "wb") as fh:
        fh.write(b'{"text": "' + b"word " * 2_100_000 + b'"}\n')
        fh.write(json.dumps({"text": _article("after")}).encode() + b"\n")
    (tmp_path / "big.txt").write_bytes(b"word " * 2_100_000)
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)])
    assert len(report.added) == 1 and "after" in _bodies(docs)
    assert sorted(e.split(": ", 2)[2].split(":")[0] for e in errors) == [
        "line too large", "too large"]


def test_hostile_fifty_thousand_reader_comments(tmp_path: Path) -> None:
    """50k numbered reader comments: stored with the first --max-comments, the rest counted."""
    text = (_article("talk") + "\n50000 comments\n\n"
            + "".join(f"{i % 999 + 1}. Reader comment number {i}\n" for i in range(50_000)))
    (tmp_path / "talk.txt").write_text(text)
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)])
    assert not errors and len(report.added) == 1
    doc = next(iter(docs.values()))
    assert len(doc.comments) == 5000 and doc.attrs["x_comments_dropped"] == 45_000
    assert "Reader comment" not in doc.text


def test_hostile_workspace_database_in_the_input_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_article("a"))
    with Store(tmp_path / "rashomon.db") as store:
        first = ingest(store, [str(tmp_path)])
        again = ingest(store, [str(tmp_path)])
    assert len(first.added) == 1 and not first.errors and not again.errors


def test_hostile_file_names_are_escaped_and_stored(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path)
    for name, n in ((b"caf\xe9.txt", 1), (b"new\nerror: forged.txt", 2), (b"esc\x1b[31m.txt", 3)):
        with open(os.path.join(root, name), "wb") as fh:
            fh.write(_article(f"named{n}").encode())
    with open(os.path.join(root, b"bad\nerror: forged.txt.html"), "wb") as fh:
        fh.write(b"\x00\x01\x02" * 100)
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)])
    assert len(report.added) == 3
    sources = sorted(d.source for d in docs.values())
    assert any(s.endswith("caf\\xe9.txt") for s in sources), sources
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith(f"error: {tmp_path}/bad\\nerror: forged.txt.html: binary")


def test_hostile_files_of_every_kind(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(_article("alpha"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.md").write_bytes(b"\x7fELF\x02\x01\x01\x00" * 50)
    (tmp_path / "random.html").write_bytes(bytes(range(256)) * 20)
    os.symlink("loop_b.txt", tmp_path / "loop_a.txt")
    os.symlink("loop_a.txt", tmp_path / "loop_b.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "bad.urls").write_text(
        "http://[::1\nhttp://host:99999/\nhttp://\nftp://x.example/f\nhttp://a b/\n"
        "https://xn--a.xn--/\n")
    (tmp_path / "z.txt").write_text(_article("omega"))
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)],
                                   fetch=FetchOptions(timeout=2))
    assert sorted(d.text.split()[1] for d in docs.values()) == ["alpha", "omega"] or \
        {"alpha", "omega"} <= set(_bodies(docs).split())
    assert len(report.added) == 2
    reasons = {e.split(": ")[1].rsplit("/", 1)[-1]: e for e in errors}
    assert "empty file" in reasons["empty.txt"]
    assert "binary" in reasons["binary.md"]
    assert "random.html" in reasons
    assert "symbolic links" in reasons["loop_a.txt"] and "loop_b.txt" in reasons
    assert "not a regular file" in reasons["zero.txt"]
    assert "not a regular file" in reasons["fifo.txt"]
    url_lines = [e for e in errors if "bad.urls#" in e]
    assert len(url_lines) == 6, url_lines  # one per line, each validated before any fetch
    assert len(errors) == 13


@pytest.mark.parametrize("url", ["http://[::1", "http://h:99999/", "http://", "https://?q",
                                 "javascript:alert(1)", "http://a b/", "http://h:0/",
                                 "http://\x00/", "https://xn--a.xn--/"])
def test_hostile_url_lines_are_refused(url: str) -> None:
    assert url_problem(url)


def test_hostile_url_good_shapes_pass() -> None:
    for url in ("http://example.org/a?b=c#d", "https://[::1]:8443/x", "https://例え.jp/"):
        assert url_problem(url) is None, url


def test_hostile_html_many_attributes_and_comments_are_bounded(tmp_path: Path) -> None:
    attrs = " ".join(f'data-a{i}="v{i}"' for i in range(100_000))
    page = (f"<html><body><article {attrs}><p>{_article('attrs')}</p></article>"
            "</body></html>")
    capped, cut = cap_attributes(page, 256)
    assert cut == 100_000 - 256 and len(capped) < 10_000
    comments = "".join(f"<li class='comment'><div class='comment-author'>R{i}</div>"
                       f"<div class='comment-content'><p>Comment number {i}.</p></div></li>"
                       for i in range(3000))
    page2 = (f"<html><body><article><p>{_article('talk')}</p></article>"
             f"<div class='comments'><ol>{comments}</ol></div></body></html>")
    ex = extract_html(page2, max_comments=100)
    assert len(ex.comments) == 100 and ex.meta["x_comments_dropped"] == 2900
    assert ex.comments[99].text == "Comment number 99."
    (tmp_path / "a.html").write_text(page)
    (tmp_path / "b.html").write_text(page2)
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)], limits=Limits(max_comments=10))
    assert not errors and len(report.added) == 2
    by_src = {Path(d.source).name: d for d in docs.values()}
    assert by_src["a.html"].attrs["x_attributes_dropped"] == 100_000 - 256
    assert len(by_src["b.html"].comments) == 10
    assert by_src["b.html"].attrs["x_comments_dropped"] == 2990


def test_hostile_limits_refuse_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(_article("big") * 50)
    (tmp_path / "page.html").write_text("<p>" + _article("page") + "</p>" + " " * 5000)
    (tmp_path / "lines.txt").write_text("x\n" * 2000)
    (tmp_path / "ok.txt").write_text(_article("ok"))
    limits = Limits(max_chars=5000, max_html_bytes=4000, max_lines=1000)
    report, errors, _ = _ingest(tmp_path, [str(tmp_path)], limits=limits)
    assert len(report.added) == 1
    joined = "\n".join(errors)
    assert "big.txt: article text too large" in joined
    assert "page.html: HTML page too large" in joined
    assert "lines.txt: too many lines: 2000 > limit 1000" in joined


def test_hostile_same_id_different_text_is_refused_never_dropped(tmp_path: Path) -> None:
    rows = [{"id": "a1", "text": _article("first")}, {"id": "a1", "text": _article("second")},
            {"id": "a1", "text": _article("first")}, {"id": "b2", "text": _article("other")}]
    (tmp_path / "ids.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    args = ["ingest", str(tmp_path / "ids.jsonl"), "--db", str(tmp_path / "ws.db")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1
    assert "ids.jsonl#2: id 'a1' is already used by a different document" in errors[0]
    assert "2 added, 1 already stored, 1 failed" in result.stdout
    with Store(tmp_path / "ws.db") as store:
        assert "first" in store.get_document("a1").text
        assert store.document_count() == 2
    # Same id, same content: idempotent on a rerun (still refusing the conflicting line).
    again = CliRunner().invoke(main, args)
    assert "0 added, 3 already stored, 1 failed" in again.stdout
    with Store(tmp_path / "ws.db") as store:
        assert "first" in store.get_document("a1").text


def test_hostile_manifest_rows_fail_only_their_items(tmp_path: Path) -> None:
    for name in ("ok", "baddate", "unknown", "dup", "list", "sameid"):
        (tmp_path / f"{name}.txt").write_text(_article(name))
    (tmp_path / "m.yaml").write_text(
        "- {path: ok.txt, id: doc-ok, published: '2024-03-01', x_note: kept}\n"
        "- {path: baddate.txt, published: '2023-02-30'}\n"
        "- {path: unknown.txt, publishd: '2023-01-01'}\n"
        "- {path: dup.txt, title: one}\n"
        "- {path: dup.txt, title: two}\n"
        "- {path: list.txt, title: [a, b]}\n"
        "- {path: sameid.txt, id: doc-ok}\n"
        "- {title: names nothing}\n")
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)], manifest=str(tmp_path / "m.yaml"))
    assert sorted(docs) == ["doc-ok"]
    assert docs["doc-ok"].published == "2024-03-01" and docs["doc-ok"].attrs["x_note"] == "kept"
    joined = "\n".join(errors)
    assert len(errors) == 6, joined
    assert "m.yaml#row 8: row has neither 'path' nor 'url'" in joined
    assert "baddate.txt: manifest" in joined and "'published' is not a date" in joined
    assert "unknown field(s) 'publishd'" in joined
    assert "names the same path as row 4" in joined
    assert "must be a single value" in joined
    assert "sameid.txt: id 'doc-ok' is already used by a different document" in joined


@pytest.mark.parametrize("text, needle", [
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nitems:\n  - path: a.txt\n    title: *c\n",
     "aliases"),
    ("- path: a.txt\n  title: " + "[" * 5000 + "]" * 5000 + "\n", "bad YAML"),
])
def test_hostile_unusable_manifest_is_one_error_and_nothing_read(
        tmp_path: Path, text: str, needle: str) -> None:
    (tmp_path / "a.txt").write_text(_article("a"))
    (tmp_path / "m.yaml").write_text(text)
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)], manifest=str(tmp_path / "m.yaml"))
    assert not docs and len(errors) == 1
    assert errors[0].startswith(f"error: {tmp_path / 'm.yaml'}: ") and needle in errors[0]
    assert errors[0].endswith("nothing was read")


def test_hostile_manifest_python_tags_are_plain_data(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_article("a"))
    (tmp_path / "m.yaml").write_text(
        "- path: a.txt\n  title: !!python/object/apply:os.system ['touch pwned']\n")
    report, errors, docs = _ingest(tmp_path, [str(tmp_path)], manifest=str(tmp_path / "m.yaml"))
    assert not docs and len(errors) == 1 and "must be a single value" in errors[0]
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_hostile_reader_bug_fails_one_input_only(tmp_path: Path, monkeypatch) -> None:
    """An unexpected exception inside a reader costs that input, not the batch."""
    from rashomon.ingest import readers

    real = readers.decode_bytes

    def flaky(data: bytes, *a, **kw) -> str:
        if b"explode" in data:
            raise RuntimeError("boom")
        return real(data, *a, **kw)

    monkeypatch.setattr(readers, "decode_bytes", flaky)
    (tmp_path / "a.txt").write_text(_article("a") + "explode")
    (tmp_path / "b.txt").write_text(_article("b"))
    items = list(iter_items([str(tmp_path)]))
    assert isinstance(items[0], ItemError) and "RuntimeError: boom" in items[0].message
    assert not isinstance(items[1], ItemError)


def test_hostile_cli_limits_and_summary(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_article("a") * 20)
    (tmp_path / "b.txt").write_text(_article("b"))
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                                       "--db", str(tmp_path / "w.db"), "--max-chars", "3000"])
    assert result.exit_code == 1
    assert "a.txt: article text too large" in result.stderr
    assert "1 added, 0 already stored, 1 failed" in result.stdout
    ok = CliRunner().invoke(main, ["ingest", str(tmp_path / "b.txt"), "--db",
                                   str(tmp_path / "w.db"), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["unchanged"]
