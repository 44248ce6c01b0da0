"""Readers: every input kind becomes RawItems, every bad input one ItemError."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rashomon.ingest.items import ItemError, RawItem
from rashomon.ingest.manifest import ManifestError, load_manifest
from rashomon.ingest.readers import FetchOptions, ReadError, decode_bytes, iter_items

ARTICLE = "The council met on Monday.\n\nIt approved the new budget after a long debate.\n"
PAGE = ("<html lang='en'><head><meta charset='utf-8'><title>T</title></head><body><article>"
        "<p>The council met on Monday and approved the new budget after a long debate.</p>"
        "</article></body></html>")
FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire</title><language>en</language>
<item><title>First story</title><link>https://wire.example/1</link>
<author>ann@wire.example (Ann Lee)</author>
<pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate>
<description>&lt;p&gt;The first story body, long enough to read.&lt;/p&gt;</description></item>
<item><title>Second story</title><link>https://wire.example/2</link>
<description>Second story body.</description></item>
<item><title>No body</title><link>https://wire.example/3</link></item>
</channel></rss>"""


def _items(paths, **kw):
    return list(iter_items([str(p) for p in paths], **kw))


def test_readers_text_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    with gzip.open(tmp_path / "c.htm.gz", "wt", encoding="utf-8") as fh:
        fh.write(PAGE)
    (tmp_path / "d.md").write_text("# Title\n\nBody text here.", encoding="utf-8")
    items = _items([tmp_path])
    assert [Path(i.source).name for i in items] == ["a.txt", "b.html", "c.htm.gz", "d.md"]
    assert all(isinstance(i, RawItem) for i in items)
    assert [i.kind for i in items] == ["text", "html", "html", "text"]
    assert items[0].content == ARTICLE
    assert len(items[0].raw_bytes_hash) == 64
    assert items[1].raw_bytes_hash == items[2].raw_bytes_hash  # gz hashed on its content


def test_readers_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "z.txt").write_text(ARTICLE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE + "x")
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ARTICLE)
    names = [Path(i.source).relative_to(tmp_path).as_posix() for i in _items([tmp_path])]
    assert names == ["sub/a.txt", "z.txt"]


def test_readers_glob_and_missing_path(tmp_path: Path) -> None:
    for n in ("1", "2"):
        (tmp_path / f"art{n}.txt").write_text(ARTICLE + n)
    items = _items([tmp_path / "art*.txt", tmp_path / "nope.txt", tmp_path / "zz*.txt"])
    assert [Path(i.source).name for i in items[:2]] == ["art1.txt", "art2.txt"]
    assert isinstance(items[2], ItemError) and "no such file" in items[2].message
    assert isinstance(items[3], ItemError) and "no files match" in items[3].message


def test_readers_jsonl_lines_are_items_and_bad_lines_are_errors(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First body.", "title": "One", "publisher": "P", "side": "x"}),
        "{not json",
        "",
        json.dumps({"html": PAGE, "url": "https://e.example/2"}),
        json.dumps({"title": "no body"}),
        json.dumps(["a list"]),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items([tmp_path / "batch.jsonl"])
    assert [i.item for i in items] == ["1", "2", "4", "5", "6"]
    ok = [i for i in items if isinstance(i, RawItem)]
    bad = [i for i in items if isinstance(i, ItemError)]
    assert [i.kind for i in ok] == ["text", "html"]
    assert ok[0].meta == {"title": "One", "publisher": "P", "side": "x"}
    assert ok[1].meta["url"] == "https://e.example/2"
    assert "malformed JSON" in bad[0].message
    assert "no non-empty 'text' or 'html'" in bad[1].message
    assert "not a JSON object" in bad[2].message


def test_readers_feed_entries_with_metadata(tmp_path: Path) -> None:
    (tmp_path / "wire.rss").write_text(FEED, encoding="utf-8")
    (tmp_path / "wire2.xml").write_text(FEED, encoding="utf-8")  # sniffed
    items = _items([tmp_path / "wire.rss"])
    first, second, third = items
    assert first.kind == "html" and "first story body" in first.content
    assert first.meta["url"] == "https://wire.example/1"
    assert first.meta["title"] == "First story"
    assert first.meta["publisher"] == "Example Wire"
    assert first.meta["published"] == "2024-03-05"
    assert "Ann Lee" in first.meta["author"]
    assert second.item == "https://wire.example/2"
    assert isinstance(third, ItemError) and "without content" in third.message
    assert len(_items([tmp_path / "wire2.xml"])) == 3


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin.txt", bytes([0x81, 0x8d, 0x41, 0xff, 0xfe, 0x90]), "not text"),
        ("ctrl.txt", bytes(range(1, 9)) * 50, "binary"),
    ],
)
def test_readers_bad_files_are_one_error_each(tmp_path: Path, name, data, needle) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(ARTICLE)
    items = _items([tmp_path / name, tmp_path / "good.txt"])
    assert isinstance(items[0], ItemError) and needle in items[0].message
    assert "\n" not in items[0].line()
    assert isinstance(items[1], RawItem)


def test_readers_size_cap(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 1000)
    (tmp_path / "big.jsonl").write_text(json.dumps({"text": "word " * 1000}) + "\n"
                                        + json.dumps({"text": "small"}) + "\n")
    items = _items([tmp_path / "big.txt", tmp_path / "big.jsonl"], fetch=FetchOptions(max_bytes=500))
    assert isinstance(items[0], ItemError) and "too large" in items[0].message
    assert isinstance(items[1], ItemError) and items[1].item == "1"
    assert isinstance(items[2], RawItem) and items[2].content == "small"


def test_readers_decode_fallbacks() -> None:
    assert decode_bytes("café".encode()) == "café"
    assert decode_bytes("\ufeffcafé".encode()) == "café"
    assert decode_bytes("café".encode("utf-16")) == "café"
    assert decode_bytes("caf\xe9 \u201cok\u201d".encode("cp1252")) == "caf\xe9 \u201cok\u201d"
    html = '<html><head><meta charset="koi8-r"></head><body>Привет</body></html>'
    assert "Привет" in decode_bytes(html.encode("koi8-r"), html=True)
    with pytest.raises(ReadError):
        decode_bytes(b"abc\x00def")


def test_readers_url_list_txt_is_fetched(tmp_path: Path) -> None:
    # Port 9 on localhost is closed: each URL gives one error, nothing else breaks.
    (tmp_path / "list.txt").write_text("http://127.0.0.1:9/a\n\nhttp://127.0.0.1:9/b\n")
    items = _items([tmp_path / "list.txt"], fetch=FetchOptions(timeout=2, allow_private=True))
    assert [i.source for i in items] == ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]
    assert all(isinstance(i, ItemError) and "unreachable" in i.message for i in items)


def test_readers_manifest_overrides_metadata(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"text": "x y z", "url": "https://e.example/b", "title": "orig"}) + "\n")
    (tmp_path / "m.csv").write_text(
        "path,url,title,publisher,published,side\n"
        "docs/a.txt,,Manifest title,Pub A,2023-01-02,north\n"
        ",https://e.example/b,Better title,,,\n", encoding="utf-8")
    items = _items([tmp_path], manifest=str(tmp_path / "m.csv"))
    assert len(items) == 2  # the manifest itself is not read as an article
    a = next(i for i in items if i.source.endswith("a.txt"))
    b = next(i for i in items if i.source.endswith("b.jsonl"))
    assert a.meta == {"title": "Manifest title", "publisher": "Pub A",
                      "published": "2023-01-02", "side": "north"}
    assert b.meta["title"] == "Better title"


def test_manifest_yaml_shapes_and_errors(tmp_path: Path) -> None:
    y = tmp_path / "m.yaml"
    y.write_text("items:\n  - path: a.txt\n    published: 2023-05-01\n    title: T\n")
    assert load_manifest(y) == [{"path": "a.txt", "published": "2023-05-01", "title": "T"}]
    y.write_text("- url: https://e.example/x\n  x_note: kept\n")
    assert load_manifest(y) == [{"url": "https://e.example/x", "x_note": "kept"}]
    y.write_text("- url: https://e.example/x\n  unknown: refused\n")
    with pytest.raises(ManifestError, match="unknown field"):
        load_manifest(y)
    for text, needle in [("a: [1, 2\n", "bad YAML"), ("- title: no key\n", "neither"),
                         ("just a string\n", "list of mappings"), ("", "empty")]:
        y.write_text(text)
        with pytest.raises(ManifestError, match=needle):
            load_manifest(y)
    c = tmp_path / "m.csv"
    c.write_text("title,author\nx,y\n")
    with pytest.raises(ManifestError, match="'path' or 'url'"):
        load_manifest(c)
    with pytest.raises(ManifestError, match="not found"):
        load_manifest(tmp_path / "missing.csv")
