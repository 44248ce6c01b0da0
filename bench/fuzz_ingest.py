"""Fuzz ingest with hostile inputs mixed with good articles; report what broke.

Generates at least ``--hostile`` hostile inputs (files, JSON Lines lines, feed
entries, URL-list lines, manifest rows) spread over ``--batches`` folders, each
folder also holding good articles (plain text, HTML, JSON Lines lines, feed
entries, gzip, and files whose *names* are hostile).  Each folder is ingested
by ``rashomon.ingest.pipeline.ingest`` into a fresh SQLite store in its own
child process, so peak RSS (``os.wait4``) is per batch.  A few extra runs use
hostile manifests (YAML alias bomb, deep nesting, bad rows).

Reported:

* tracebacks: exceptions that escaped ``ingest`` or killed a child;
* good items lost: good articles not stored (each carries a unique marker);
* silent losses: an id given twice with different text where the second was
  neither refused with an error line nor stored;
* malformed error lines: any reported line that is not one printable
  ``error: <item>: <reason>`` line;
* the slowest item overall and the slowest item under 1 MB, and peak RSS.

Targets: 0 tracebacks, 0 good items lost, 0 silent losses, no item under
1 MB over 10 s, peak RSS under 1 GB.

Run: ``python bench/fuzz_ingest.py`` (``--hostile 10000 --batches 20 --seed 1``
are the defaults; ``--json`` prints the figures as JSON).  It takes a few
minutes on one core and needs about 60 MB of temporary disk.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

WORDS = ("council minister village road river talks agreement statement officials border "
         "aid convoy report delegation meeting capital province water school hospital "
         "election budget market farmers bridge vote committee court ruling").split()

# -- good articles -----------------------------------------------------------


def good_text(marker: str, rng: random.Random) -> str:
    """A news-shaped article carrying a unique marker word."""
    paras = [f"Report {marker} on the {rng.choice(WORDS)} {rng.choice(WORDS)}"]
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(25, 45))]
        paras.append(" ".join(words).capitalize() + f", said officials in {marker}.")
    return "\n\n".join(paras) + "\n"


def good_html(marker: str, rng: random.Random) -> str:
    body = "".join(f"<p>{p}</p>" for p in good_text(marker, rng).split("\n\n")[1:])
    return (f"<html><head><title>Report {marker}</title></head><body><nav>Home | World</nav>"
            f"<article><h1>Report {marker}</h1>{body}</article></body></html>")


# -- hostile content ---------------------------------------------------------

SURROGATE_JSON = ['"\\ud800"', '"\\udfff tail"', '"x\\udbff"', '"\\ud83d"']


def hostile_jsonl_lines(rng: random.Random, marker: str) -> list[bytes]:
    """Hostile JSON Lines lines (each one input)."""
    deep = 100_000
    text = good_text(marker, rng)
    t = json.dumps(text)
    lines = [
        b'{"text": ' + rng.choice(SURROGATE_JSON).encode() + b"}",
        b'{"text": ' + t.encode() + b', "title": ' + rng.choice(SURROGATE_JSON).encode() + b"}",
        b'{"text": "' + b"abc \xed\xa0\x80 def" + b'"}',  # raw surrogate bytes
        b'{"text": "caf\xe9 latin-1"}',
        b'{"text": ' + t.encode() + b', "id": ' + b"9" * rng.randint(4400, 20000) + b"}",
        b'{"text": ' + t.encode() + b', "published": ' + b"1" * 5000 + b"}",
        b'{"text": ' + t.encode() + b', "x": 1e99999}',
        b'{"text": ' + b"[" * deep + b"]" * deep + b"}",
        b'{"text": ' + t.encode() + b', "title": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b"[" * deep,
        b'{"text": "unterminated',
        b"[1, 2, 3]", b'"just a string"', b"42", b"null", b"true",
        b'{"text": 12345}', b'{"text": ["a", "b"]}', b'{"text": {"x": 1}}', b'{"text": ""}',
        b'{"text": "   \\n\\t  "}',
        b'{"html": "<div ' + b" ".join(b"a%d=1" % i for i in range(3000)) + b'>x</div>"}',
        b'{"text": ' + t.encode() + b', "id": "line\\nbreak\\u0000\\u001b[31m"}',
        b'{"text": ' + t.encode() + b', "id": "' + b"i" * 20000 + b'"}',
        b'{"text": ' + t.encode() + b', "url": "http://[::1"}',
        b'{"text": ' + t.encode() + b', "published": "2023-02-30"}',
        b'{"text": ' + t.encode() + b', "published": "' + b"9" * 3000 + b'"}',
        b"\x00\x00\x00\x00",
        bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 400))),
        b'{"text": "' + "\u202e\u0000\u0007".encode() + b'"}',
        b"\xef\xbb\xbf" + b'{"text": "bom then nothing"',
        b'{"text": NaN}', b'{"text": Infinity}',
        b'{"text": "x", "text": 1}',
    ]
    return lines


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Random byte-level damage to a good input."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        op = rng.random()
        if not b:
            break
        i = rng.randrange(len(b))
        if op < 0.3:
            b[i] = rng.getrandbits(8)
        elif op < 0.5:
            del b[i:i + rng.randint(1, 50)]
        elif op < 0.7:
            b[i:i] = rng.choice([b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"<", b"&#0;", b"\r",
                                 b"\x1b[2J", b"{", b"]]>", b"\\ud800", b"\xc3"])
        else:
            del b[i:]
    return bytes(b)


def html_many_attributes(n: int) -> str:
    attrs = " ".join(f'data-a{i}="v{i}"' for i in range(n))
    return f"<html><body><div {attrs}><p>{'Text of the page. ' * 20}</p></div></body></html>"


def html_comments(n: int, rng: random.Random) -> str:
    items = "".join(f"<li class='comment' id='comment-{i}'><div class='comment-author'>Reader {i}"
                    f"</div><div class='comment-content'><p>Comment {i} on the "
                    f"{rng.choice(WORDS)}.</p></div></li>" for i in range(n))
    return (f"<html><body><article>{good_html('c', rng)}</article><div class='comments'>"
            f"<ol class='commentlist'>{items}</ol></div></body></html>")


def hostile_files(rng: random.Random, k: int) -> list[tuple[str, bytes]]:
    """(file name, bytes) hostile single-file inputs; ``k`` varies the mix per batch."""
    text = good_text(f"h{k}", rng)
    out: list[tuple[str, bytes]] = [
        ("empty.txt", b""), ("empty.html", b""), ("empty.jsonl", b""), ("blank.txt", b" \n\t\n"),
        ("elf.txt", b"\x7fELF\x02\x01\x01\x00" * 64),
        ("png.html", b"\x89PNG\r\n\x1a\n" + os.urandom(2000)),
        ("random.md", os.urandom(rng.randint(10, 5000))),
        ("random.jsonl", os.urandom(rng.randint(10, 5000))),
        ("random.rss", os.urandom(rng.randint(10, 5000))),
        ("nul.txt", text.encode()[:200] + b"\x00" * 50 + text.encode()[200:]),
        ("latin1.txt", text.replace("officials", "fonctionnaires é").encode("latin-1")),
        ("utf16nobom.txt", text.encode("utf-16-le")),
        ("utf16odd.txt", b"\xff\xfe" + text.encode("utf-16-le")[:-1]),
        ("controls.txt", ("\x01\x02\x03\x04" * 500).encode()),
        ("truncated.txt.gz", gzip.compress(text.encode())[:40]),
        ("notgzip.txt.gz", b"this is not gzip at all"),
        ("gzbinary.html.gz", gzip.compress(os.urandom(3000))),
    ]
    heavy: list[tuple[str, bytes]] = [
        ("entities.html", ("<p>" + "&amp;&#x0;&#xD800;&bogus;" * 20000 + "</p>").encode()),
        ("unterminated.html", ("<a" * 200_000).encode()),
        ("quotes.html", ('<div a="' + "x" * 200_000).encode()),
        ("nested.html", ("<div>" * 50_000 + "text" + "</div>" * 50_000).encode()),
        ("tables.html", ("<table>" + "<tr><td>cell</td></tr>" * 20_000 + "</table>").encode()),
        ("paragraphs.html", ("".join(f"<p>menu item {i}</p>" for i in range(20_000))).encode()),
        ("script.html", b"<html><script>" + b"var a=1;" * 50_000 + b"</script></html>"),
        ("charset.html", b"<meta charset='x-no-such'><p>" + text.encode() + b"</p>"),
        ("xmldecl.html", b"<?xml version='1.0' encoding='utf-16'?><p>" + text.encode() + b"</p>"),
        ("bomb.rss", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
         + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                    for i in range(8))
         + b']><rss><channel><item><description>&i;</description></item></channel></rss>'),
        ("xxe.rss", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b"<rss><channel><item><description>&x;</description></item></channel></rss>"),
        ("broken.rss", b"<rss><channel><item><description>open"),
        ("noentries.atom", b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>"),
        ("names.txt", ("Alpha Beta\n" * 30_000 + "\n" + "Alpha Beta said " + text).encode()),
        ("notes.txt", (text + "\n" + "".join(f"[{i % 999 + 1}] note {i}\n" for i in range(30_000))
                       + "\nclosing paragraph " + text).encode()),
        ("markers.txt", ("Oblast[1] " * 50_000 + "\n[1] the note\n").encode()),
        ("comments.txt", (text + "\n50 comments\n\n"
                          + "".join(f"{i % 999 + 1}. Reader comment {i}\n" for i in range(30_000))
                          ).encode()),
        ("share.txt", ("Share\nFacebook\nTwitter\n" * 20_000 + text).encode()),
        ("longword.txt", ("x" * 900_000).encode()),
        ("longline.txt", (" ".join(rng.choice(WORDS) for _ in range(150_000))).encode()),
        ("byline.txt", ("By " + ", ".join(["Ann Lee Moor"] * 20_000) + "\n\n" + text).encode()),
        ("credit.txt", (text + "\n(Reporting by " + "Ann Lee; " * 30_000).encode()),
        ("brackets.txt", ("[" * 300_000).encode()),
        ("crlf.txt", ("\r" * 300_000 + text).encode()),
        ("combining.txt", ("a" + "\u0301" * 200_000).encode()),
        ("bidi.txt", ("\u202e\u2066" * 50_000 + text).encode()),
        ("lines1mb.txt", b"x\n" * 499_999),
        ("lines.txt", "\n".join(f"{i}" for i in range(90_000)).encode()),
        ("manyblank.txt", ("\n" * 500_000 + text).encode()),
        ("bad.urls", b"http://[::1\nhttp://host:99999/\nhttp://\nhttps://?q\nftp://x.example/f\n"
         b"javascript:alert(1)\nhttp://a b.example/\nhttp://ex\x01ample.com/\nhttp://[zz]/x\n"
         b"http://host:-1/\nhttp://" + b"a" * 10000 + b".example/\nhttps://xn--a.xn--/\n"),
    ]
    out += [
        ("badlist.txt", b"http://[::1\nhttp://host:0/\nhttps://user@:80/\n"),
        ("bytes.urls", b"http://\xff\xfe/\n"),
    ]
    if k % 5 == 0:  # the costly ones (each takes seconds) in every fifth batch
        out += heavy
    if k % 5 == 2:
        out += [("attrs100k.html", html_many_attributes(100_000).encode()),
                ("comments5k.html", html_comments(5_000, rng).encode())]
    if k == 0:
        out += [("line10mb.txt", (" ".join(["word"] * 1_999_999)).encode()),
                ("over.txt", b"a" * 10_000_001),
                ("bomb.txt.gz", gzip.compress(b"\0" * 200_000_000, compresslevel=1)),
                ("line10mb.jsonl", json.dumps({"text": "word " * 1_999_000}).encode() + b"\n"
                 + b'{"text": "' + b"a" * 10_500_000 + b'"}\n'),
                ("nonewline.jsonl", b"x" * 12_000_000)]
    return out


def special_files(root: Path) -> int:
    """Symlink loops, dangling links, a FIFO, a directory named like a file. Returns the count."""
    made = 0
    pairs = [("loop_a.txt", "loop_b.txt"), ("loop_b.txt", "loop_a.txt"),
             ("self.txt", "self.txt"), ("dangling.html", "does-not-exist.html"),
             ("zero.txt", "/dev/zero"), ("urandom.html", "/dev/urandom")]
    for name, target in pairs:
        try:
            os.symlink(target, root / name)
            made += 1
        except OSError:
            pass
    (root / "dir.txt").mkdir()
    (root / "dir.txt" / "inner.bin").write_bytes(b"\x00\x01")
    made += 1
    try:
        os.mkfifo(root / "fifo.txt")
        made += 1
    except (OSError, AttributeError):
        pass
    try:
        os.symlink("..", root / "up")  # a loop through a folder symlink (not followed)
    except OSError:
        pass
    return made


# -- batch generation --------------------------------------------------------


def make_batch(root: Path, k: int, rng: random.Random, hostile_target: int, n_good: int
               ) -> dict[str, Any]:
    """Write one batch folder; return its good markers and hostile-input count."""
    root.mkdir(parents=True)
    good: list[str] = []
    hostile = 0
    conflicts: list[dict[str, str]] = []

    def marker() -> str:
        m = f"zq{k:02d}x{len(good):04d}"
        good.append(m)
        return m

    for name, data in hostile_files(rng, k):
        (root / name).write_bytes(data)
        hostile += 1
    hostile += special_files(root)
    # Good files, some with hostile names (the content is fine, so they must be stored).
    bad_names = [b"caf\xe9-latin1.txt", b"new\nline.txt", b"esc\x1b[31m.txt", b"tab\tname.txt",
                 b"\xff\xfe.md", b"quote\"'.txt", b"back\\slash.txt", b"\xed\xa0\x80.txt"]
    n_kinds = 0
    while len(good) < n_good:
        m = marker()
        kind = n_kinds % 6
        n_kinds += 1
        if kind == 0:
            (root / f"good_{m}.txt").write_text(good_text(m, rng), encoding="utf-8")
        elif kind == 1:
            (root / f"good_{m}.html").write_text(good_html(m, rng), encoding="utf-8")
        elif kind == 2:
            with gzip.open(root / f"good_{m}.txt.gz", "wt", encoding="utf-8") as fh:
                fh.write(good_text(m, rng))
        elif kind == 3 and bad_names:
            name = bad_names.pop()
            path = os.path.join(os.fsencode(root), name)
            with open(path, "wb") as fh:
                fh.write(good_text(m, rng).encode("utf-8"))
        elif kind == 4:
            entries = "".join(
                f"<item><title>Entry {m}</title><link>https://feed.example/{m}</link>"
                f"<description>{good_text(m, rng)}</description></item>" for _ in range(1))
            bad_entries = "<item><title>No body</title></item>" \
                          "<item><description>&lt;div a=1 " + "b=2 " * 500 + "&gt;</description></item>"
            hostile += 2
            (root / f"feed_{m}.rss").write_text(
                f"<?xml version='1.0'?><rss><channel><title>Feed</title>{entries}{bad_entries}"
                "</channel></rss>", encoding="utf-8")
        else:
            (root / f"good_{m}.md").write_text(good_text(m, rng), encoding="utf-8")
    # JSON Lines files: hostile lines around good lines, plus id conflicts.
    n_lines_target = max(0, hostile_target - hostile)
    file_no = 0
    while n_lines_target > 0:
        lines: list[bytes] = []
        for _ in range(3):
            m = marker()
            lines.append(json.dumps({"text": good_text(m, rng), "title": f"T {m}"}).encode())
        # Same id twice: the first is good, the second (other text) must be refused.
        m = marker()
        cid = f"conflict-{k}-{file_no}"
        lines.append(json.dumps({"id": cid, "text": good_text(m, rng)}).encode())
        second = good_text(f"other{k}x{file_no}", rng)
        lines.append(json.dumps({"id": cid, "text": second}).encode())
        conflicts.append({"id": cid, "first": m, "second": f"other{k}x{file_no}"})
        hostile += 1
        n_lines_target -= 1
        hostile_lines = hostile_jsonl_lines(rng, f"j{k}x{file_no}")
        rng.shuffle(hostile_lines)
        take = hostile_lines[:min(len(hostile_lines), n_lines_target)]
        # Random damage to good lines too.
        for _ in range(min(10, max(0, n_lines_target - len(take)))):
            take.append(mutate(json.dumps({"text": good_text("mut", rng)}).encode(), rng)
                        .replace(b"\n", b" ").replace(b"zq", b"mu"))
        for line in take:
            lines.insert(rng.randrange(len(lines) + 1), line.replace(b"\n", b"\\n"))
        hostile += len(take)
        n_lines_target -= len(take)
        (root / f"mixed_{file_no:03d}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
        file_no += 1
    return {"good": good, "hostile": hostile, "conflicts": conflicts}


MANIFEST_CASES: dict[str, Callable[[Path], tuple[str, int]]] = {}


def manifest_case(fn: Callable[[Path], tuple[str, int]]) -> Callable[[Path], tuple[str, int]]:
    MANIFEST_CASES[fn.__name__] = fn
    return fn


@manifest_case
def alias_bomb(root: Path) -> tuple[str, int]:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("items:\n  - path: good.txt\n    title: *a8")
    (root / "m.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "m.yaml", 1


@manifest_case
def deep_yaml(root: Path) -> tuple[str, int]:
    (root / "m.yaml").write_text("- path: good.txt\n  title: " + "[" * 20_000 + "]" * 20_000
                                 + "\n", encoding="utf-8")
    return "m.yaml", 1


@manifest_case
def python_tag(root: Path) -> tuple[str, int]:
    (root / "m.yaml").write_text("- path: good.txt\n  title: !!python/object/apply:os.system"
                                 " ['echo pwned']\n", encoding="utf-8")
    return "m.yaml", 1


@manifest_case
def bad_rows(root: Path) -> tuple[str, int]:
    rows = [
        "- {path: bad1.txt, published: '2023-02-30'}",
        "- {path: bad2.txt, published: 2023-13-45}",
        "- {path: bad3.txt, publishd: '2023-01-01'}",
        "- {path: bad4.txt, title: [a, b]}",
        "- {path: bad5.txt, id: '" + "x" * 500 + "'}",
        "- {path: bad6.txt, title: one}",
        "- {path: bad6.txt, title: two}",
        "- {title: names nothing}",
        "- {path: bad7.txt, published: " + "9" * 5000 + "}",
        "- {path: good.txt, title: Fine, published: '2024-03-01', x_note: kept}",
    ]
    (root / "m.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return "m.yaml", 8


@manifest_case
def csv_unknown_column(root: Path) -> tuple[str, int]:
    (root / "m.csv").write_text("path,title,colour\ngood.txt,T,red\n", encoding="utf-8")
    return "m.csv", 1


@manifest_case
def csv_huge_field(root: Path) -> tuple[str, int]:
    (root / "m.csv").write_text("path,title\ngood.txt," + "t" * 300_000 + "\n", encoding="utf-8")
    return "m.csv", 1


# -- the worker (one batch, one process) -------------------------------------


def run_worker(src: str, db: str, out: str, manifest: str | None) -> None:
    """Ingest one folder into a fresh store, timing each item; write results as JSON."""
    from rashomon.ingest.items import ItemError
    from rashomon.ingest.pipeline import ingest
    from rashomon.store import Store

    timings: list[tuple[float, int, str]] = []

    def timed(items: Iterable[Any]) -> Iterator[Any]:
        it = iter(items)
        while True:
            t0 = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            yield item
            t2 = time.perf_counter()
            if isinstance(item, ItemError):
                size = _file_size(item.source)
                name = item.where()
            else:
                size = len(item.content.encode("utf-8", "surrogatepass"))
                name = f"{item.source}#{item.item}" if item.item else item.source
            timings.append((t2 - t0, size, name[:200].encode("utf-8", "backslashreplace")
                            .decode("utf-8")))

    lines: list[str] = []
    result: dict[str, Any] = {"traceback": None}
    try:
        with Store(db) as store:
            report = ingest(store, [src], manifest=manifest, on_error=lines.append,
                            progress=timed)
            texts = [d.text for d in store.iter_documents()]
            ids = {d.id: d.text for d in store.iter_documents()}
        result.update(added=len(report.added), unchanged=len(report.unchanged),
                      errors=len(report.errors))
    except BaseException as exc:  # noqa: BLE001 - the bench counts these
        import traceback

        result["traceback"] = "".join(traceback.format_exception(exc))[-3000:]
        texts, ids = [], {}
    result["lines"] = lines
    result["texts_blob"] = "\n\u0000\n".join(texts)
    result["ids"] = {k: v for k, v in ids.items() if k.startswith("conflict-")}
    result["timings"] = sorted(timings, reverse=True)[:20]
    result["n_timed"] = len(timings)
    Path(out).write_text(json.dumps(result), encoding="utf-8")


def _file_size(source: str) -> int:
    try:
        return os.path.getsize(source)
    except (OSError, ValueError):
        return 0


# -- the parent --------------------------------------------------------------


def spawn(src: Path, db: Path, out: Path, manifest: Path | None, timeout: float
          ) -> tuple[dict[str, Any], int, float]:
    """Run one worker; return (its result, peak RSS in KiB, wall seconds)."""
    cmd = [sys.executable, __file__, "--worker", str(src), str(db), str(out)]
    if manifest:
        cmd.append(str(manifest))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = t0 + timeout
    status = None
    rusage = None
    while time.perf_counter() < deadline:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    else:
        proc.kill()
        _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status) if status is not None else -1
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    wall = time.perf_counter() - t0
    if out.exists():
        res = json.loads(out.read_text(encoding="utf-8"))
    else:
        res = {"traceback": f"worker died (exit {proc.returncode}): {stderr[-2000:]}",
               "lines": [], "texts_blob": "", "ids": {}, "timings": [], "n_timed": 0}
    return res, rusage.ru_maxrss if rusage else 0, wall


def check_lines(lines: list[str]) -> list[str]:
    """Reported lines that break the one-printable-line format."""
    bad = []
    for ln in lines:
        if not ln.startswith("error: ") or "\n" in ln or "\r" in ln or not ln.isprintable():
            bad.append(ln[:200])
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hostile", type=int, default=10_000, help="hostile inputs (at least)")
    ap.add_argument("--good", type=int, default=400, help="good articles in total")
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=900, help="per-batch limit (s)")
    ap.add_argument("--keep", help="generate into this folder and keep it")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        src, db, out, *man = args.worker
        run_worker(src, db, out, man[0] if man else None)
        return

    rng = random.Random(args.seed)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fuzz_ingest_"))
    totals: dict[str, Any] = {"hostile_inputs": 0, "good_items": 0, "good_lost": 0,
                              "tracebacks": 0, "silent_losses": 0, "bad_lines": 0,
                              "error_lines": 0, "items_timed": 0, "batches": 0}
    slowest: list[tuple[float, int, str]] = []
    peak_kib = 0
    wall_total = 0.0
    details: list[str] = []
    per_batch = args.hostile // args.batches + 1
    for k in range(args.batches):
        root = base / f"batch{k:02d}"
        info = make_batch(root / "in", k, rng, per_batch, max(6, args.good // args.batches))
        res, rss, wall = spawn(root / "in", root / "ws.db", root / "out.json", None, args.timeout)
        totals["batches"] += 1
        totals["hostile_inputs"] += info["hostile"]
        totals["good_items"] += len(info["good"])
        blob = res["texts_blob"]
        lost = [m for m in info["good"] if m not in blob]
        totals["good_lost"] += len(lost)
        if lost:
            details.append(f"batch {k}: good items lost: {lost[:5]}")
        for c in info["conflicts"]:
            stored = res["ids"].get(c["id"], "")
            refused = any(c["id"] in ln and "already used" in ln for ln in res["lines"])
            if c["first"] not in stored or not refused:
                totals["silent_losses"] += 1
        if res["traceback"]:
            totals["tracebacks"] += 1
            details.append(f"batch {k}: traceback: {res['traceback'][-800:]}")
        bad = check_lines(res["lines"])
        totals["bad_lines"] += len(bad)
        details += [f"batch {k}: malformed line: {b!r}" for b in bad[:3]]
        totals["error_lines"] += len(res["lines"])
        totals["items_timed"] += res["n_timed"]
        slowest += [tuple(t) for t in res["timings"]]
        peak_kib = max(peak_kib, rss)
        wall_total += wall
        print(f"batch {k:2d}: {info['hostile']:5d} hostile, {len(info['good']):3d} good, "
              f"lost {len(lost)}, {len(res['lines']):5d} error lines, {wall:6.1f} s, "
              f"peak RSS {rss / 1024:6.0f} MB", file=sys.stderr, flush=True)
    for name, case in MANIFEST_CASES.items():
        root = base / f"manifest_{name}"
        (root / "in").mkdir(parents=True)
        (root / "in" / "good.txt").write_text(good_text(f"man{name}", rng), encoding="utf-8")
        for i in range(1, 8):
            (root / "in" / f"bad{i}.txt").write_text(good_text(f"badrow{i}", rng),
                                                     encoding="utf-8")
        mname, n_bad = case(root / "in")
        res, rss, wall = spawn(root / "in", root / "ws.db", root / "out.json",
                               root / "in" / mname, args.timeout)
        totals["hostile_inputs"] += n_bad
        totals["tracebacks"] += bool(res["traceback"])
        if res["traceback"]:
            details.append(f"manifest {name}: traceback: {res['traceback'][-800:]}")
        bad = check_lines(res["lines"])
        totals["bad_lines"] += len(bad)
        totals["error_lines"] += len(res["lines"])
        if name == "bad_rows":  # the one valid row's item must be stored, the others refused
            totals["good_items"] += 1
            if f"man{name}" not in res["texts_blob"]:
                totals["good_lost"] += 1
                details.append("manifest bad_rows: the validly described item was lost")
            if any(f"badrow{i}" in res["texts_blob"] for i in range(1, 8)):
                details.append("manifest bad_rows: an item with an invalid row was stored")
        elif not res["lines"]:
            details.append(f"manifest {name}: no error reported")
        peak_kib = max(peak_kib, rss)
        wall_total += wall
        print(f"manifest {name}: {len(res['lines'])} error lines, {wall:.1f} s, "
              f"peak RSS {rss / 1024:.0f} MB", file=sys.stderr, flush=True)
    slowest.sort(reverse=True)
    under_1mb = [t for t in slowest if t[1] < 1_000_000]
    figures = {
        **totals,
        "slowest_item": {"seconds": round(slowest[0][0], 2), "bytes": slowest[0][1],
                         "item": slowest[0][2]} if slowest else None,
        "slowest_item_under_1mb": {"seconds": round(under_1mb[0][0], 2),
                                   "bytes": under_1mb[0][1],
                                   "item": under_1mb[0][2]} if under_1mb else None,
        "peak_rss_mb": round(peak_kib / 1024),
        "wall_seconds": round(wall_total),
        "targets_met": (totals["tracebacks"] == 0 and totals["good_lost"] == 0
                        and totals["silent_losses"] == 0 and totals["bad_lines"] == 0
                        and (not under_1mb or under_1mb[0][0] <= 10)
                        and peak_kib / 1024 < 1024),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:24s} {value}")
        print("slowest items:")
        for sec, size, name in slowest[:8]:
            print(f"  {sec:7.2f} s  {size:>10d} B  {name}")
    for d in details[:30]:
        print(d, file=sys.stderr)


if __name__ == "__main__":
    main()
