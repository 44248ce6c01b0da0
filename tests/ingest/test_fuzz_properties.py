"""Property tests (hypothesis) for every reader and the manifest parser.

The properties are the ingest contract: whatever the bytes, a reader yields
RawItems and ItemErrors and never raises; every RawItem holds valid Unicode;
every error is one printable line; a manifest either parses or fails with
ManifestError; a batch through a real store never raises and accounts for
every item.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.ingest.items import ItemError, RawItem, safe_name
from rashomon.ingest.manifest import ManifestError, read_manifest
from rashomon.ingest.pipeline import ingest
from rashomon.ingest.readers import FetchOptions, iter_items, url_problem
from rashomon.store import Store

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["text", "html", "id", "title", "url", "published",
                                       "side", "x"]) | st.text(max_size=5), children,
                      max_size=5),
    max_leaves=12,
)
# Hostile fragments that random generation rarely finds on its own.
SPICE = [b"\\ud800", b"\xed\xa0\x80", b"9" * 5000, b"[" * 3000, b"\x00", b"\xff\xfe", b"\r",
         b"<", b"&#0;", b'"', b"{", b"\xef\xbb\xbf", b"\n"]
spicy_bytes = st.lists(st.binary(max_size=40) | st.sampled_from(SPICE), max_size=12).map(b"".join)


def _read(name: str, data: bytes, **kw) -> list[RawItem | ItemError]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        return list(iter_items([str(path)], fetch=FetchOptions(timeout=1, max_bytes=50_000),
                               **kw))


def _check(items: list[RawItem | ItemError]) -> None:
    assert items, "every input yields at least one item or error"
    for it in items:
        assert isinstance(it, RawItem | ItemError)
        if isinstance(it, RawItem):
            it.content.encode("utf-8")  # valid Unicode, storable
            assert it.content.strip()
            json.dumps(it.meta, ensure_ascii=False).encode("utf-8")
        else:
            line = it.line()
            assert line.startswith("error: ") and line.isprintable()


@FAST
@given(st.lists(json_values, max_size=6))
def test_property_jsonl_any_json_values(values: list) -> None:
    data = b"\n".join(json.dumps(v).encode() for v in values)
    _check(_read("a.jsonl", data + b"\n"))


@FAST
@given(st.lists(spicy_bytes, max_size=6))
def test_property_jsonl_any_bytes_lines(lines: list[bytes]) -> None:
    _check(_read("a.jsonl", b"\n".join(lines)))


@FAST
@given(spicy_bytes, st.sampled_from(["a.txt", "a.md", "a.html", "a.htm", "a.xhtml", "a.text",
                                     "a.rss", "a.atom", "a.xml", "a.dat", "a.urls"]))
def test_property_single_files_any_bytes(data: bytes, name: str) -> None:
    items = _read(name, data)
    _check(items)
    if not name.endswith((".rss", ".atom", ".xml", ".dat", ".urls", ".txt")):
        assert len(items) == 1


@FAST
@given(st.lists(st.text(max_size=30) | st.sampled_from([
    "<item><description>body text</description></item>", "<item>", "</item>",
    "<![CDATA[", "]]>", "&amp;", "&bogus;", "<!ENTITY a 'b'>", "\x00"]), max_size=10))
def test_property_feeds(parts: list[str]) -> None:
    data = ("<?xml version='1.0'?><rss><channel>" + "".join(parts) + "</channel></rss>")
    _check(_read("f.rss", data.encode("utf-8", "surrogatepass")))


@FAST
@given(st.lists(st.text(max_size=40) | st.sampled_from([
    "http://[::1", "http://h:99999/", "http://", "https://?q", "ftp://x/", "http://a b/",
    "http://xn--/", "https://x.example/\x00"]), min_size=1, max_size=6))
def test_property_url_list_lines_validated_before_fetch(lines: list[str]) -> None:
    """Lines that are not fetchable URLs fail one by one, each naming its line; nothing raises.

    Fetchable lines are left out so the test never touches the network.
    """
    lines = [part for ln in lines for part in (ln.splitlines() or [""])]  # \x85, \u2028...
    bad = [ln for ln in lines if ln.strip() and not ln.strip().startswith("#")
           and url_problem(ln.strip())]
    kept = [ln for ln in lines if ln in bad or not ln.strip() or ln.strip().startswith("#")]
    items = _read("l.urls", "\n".join(kept).encode("utf-8", "surrogatepass"))
    _check(items)
    if bad and all(isinstance(i, ItemError) and i.item for i in items):
        assert len(items) == len(bad)


@FAST
@given(st.text())
def test_property_url_problem_never_raises(url: str) -> None:
    problem = url_problem(url)
    if problem is None:
        assert url.lower().startswith(("http://", "https://"))


@FAST
@given(st.text())
def test_property_safe_name_is_one_printable_line(name: str) -> None:
    out = safe_name(name)
    assert out.isprintable() and "\n" not in out
    out.encode("utf-8")


manifest_rows = st.lists(st.dictionaries(
    st.sampled_from(["path", "url", "id", "title", "published", "side", "x_y", "other"])
    | st.text(max_size=6),
    st.text(max_size=20) | st.integers() | st.lists(st.text(max_size=3), max_size=2)
    | st.sampled_from(["2023-02-30", "2024-01-05", "9" * 500, "yesterday", "a.txt"]),
    max_size=5), max_size=6)


@FAST
@given(manifest_rows)
def test_property_manifest_yaml_rows(rows: list[dict]) -> None:
    import yaml

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m.yaml"
        path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
        try:
            parsed = read_manifest(path)
        except ManifestError as exc:
            assert str(exc)
            return
        assert len(parsed.rows) == len(rows)
        for n, row in parsed.rows:
            if n not in parsed.problems:
                assert row.get("path") or row.get("url")
                assert all(isinstance(v, str) for v in row.values())


@FAST
@given(st.text(max_size=300), st.sampled_from(["m.yaml", "m.csv", "m.txt"]))
def test_property_manifest_any_text(text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            read_manifest(path)
        except ManifestError:
            pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["txt", "html", "jsonl", "md"]), spicy_bytes
                          | st.text(max_size=400).map(lambda t: t.encode("utf-8", "replace"))),
                min_size=1, max_size=5))
def test_property_batch_through_store_accounts_for_every_item(files: list) -> None:
    good = ("The council met on Monday and agreed to repair the bridge before winter, "
            "officials said after a long debate in the town hall.\n")
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in"
        src.mkdir()
        for i, (ext, data) in enumerate(files):
            (src / f"f{i}.{ext}").write_bytes(data)
        (src / "zz_good.txt").write_text(good, encoding="utf-8")
        lines: list[str] = []
        with Store(Path(d) / "ws.db") as store:
            report = ingest(store, [str(src)], on_error=lines.append)
            texts = [doc.text for doc in store.iter_documents()]
            inputs = store.conn.execute("SELECT count(*) FROM inputs").fetchone()[0]
        assert lines == report.errors and all(ln.isprintable() for ln in lines)
        assert any("bridge before winter" in t for t in texts)  # the good one is never lost
        outcomes = len(report.added) + len(report.unchanged) + len(report.errors)
        assert outcomes >= len(os.listdir(src))  # every file accounted for, at least once
        assert inputs >= 1
