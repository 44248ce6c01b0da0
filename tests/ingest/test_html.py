"""HTML extraction: body with paragraphs, metadata, audit trail, comments, fallback."""

from __future__ import annotations

from rashomon.ingest.html import extract_html, page_text

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Bridge reopens | Valley Courier</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="Valley Courier">
<meta property="article:published_time" content="2022-03-04T10:00:00Z">
<link rel="canonical" href="https://courier.example/bridge"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News section</a></li></ul></nav>
<article><h1>Bridge reopens after floods</h1>
<p>The old stone bridge over the river reopened on Friday after three weeks of repairs,
the county council said in a statement.</p>
<p>Engineers found cracks in two of the arches after the February floods and closed the
crossing to all traffic while they worked.</p>
<p>"We are glad to have it back," said the mayor, who crossed on foot with a group of
schoolchildren from the village.</p>
</article>
<aside class="sidebar"><p>Subscribe to our newsletter for the latest news.</p></aside>
<div id="comments" class="comments-area"><h3>2 comments</h3><ol class="comment-list">
<li class="comment even depth-1" id="comment-11"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Sam</b>
<span class="says">says:</span></div><div class="comment-metadata">March 4, 2022</div></footer>
<div class="comment-content"><p>Finally! The detour was awful.</p></div></article>
<ol class="children"><li class="comment odd depth-2" id="comment-12"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Kim</b></div></footer>
<div class="comment-content"><p>Agreed, it added half an hour.</p></div></article></li></ol>
</li></ol></div>
<script>var tracking = "should never appear";</script>
<footer><p>Copyright 2022 Valley Courier</p></footer></body></html>"""


def test_html_body_paragraphs_separated_by_blank_lines() -> None:
    ex = extract_html(PAGE)
    paras = ex.text.split("\n\n")
    assert any(p.startswith("The old stone bridge") for p in paras)
    assert any(p.startswith("Engineers found cracks") for p in paras)
    assert "\n" not in paras[-1]  # soft line breaks inside a <p> are collapsed
    assert "Subscribe" not in ex.text and "detour" not in ex.text and "tracking" not in ex.text


def test_html_metadata() -> None:
    meta = extract_html(PAGE, url="https://courier.example/bridge?ref=x").meta
    assert meta["author"] == "Jane Roe"
    assert meta["publisher"] == "Valley Courier"
    assert meta["published"] == "2022-03-04"
    assert meta["url"] == "https://courier.example/bridge"
    assert meta["language"] == "en"
    assert meta["x_extraction"].startswith("trafilatura")


def test_html_removed_blocks_point_into_page_text() -> None:
    ex = extract_html(PAGE)
    rendering = page_text(PAGE)
    texts = {r.text: r.reason for r in ex.removed}
    assert texts["Subscribe to our newsletter for the latest news."] == "html: outside main content"
    assert texts["Copyright 2022 Valley Courier"] == "html: outside main content"
    assert texts["Finally! The detour was awful."] == "html: reader comments"
    for r in ex.removed:
        assert rendering[r.start:r.end] == r.text
    assert not any("stone bridge" in r.text for r in ex.removed)
    assert "tracking" not in rendering


def test_html_comments_with_authors_and_threading() -> None:
    comments = extract_html(PAGE).comments
    assert [(c.index, c.author, c.text, c.parent) for c in comments] == [
        (0, "Sam", "Finally! The detour was awful.", None),
        (1, "Kim", "Agreed, it added half an hour.", 0),
    ]
    rendering = page_text(PAGE)
    assert rendering[comments[0].raw_start:comments[0].raw_end] == comments[0].text


def test_html_page_without_comments_has_none() -> None:
    page = PAGE.split('<div id="comments"')[0] + "</body></html>"
    assert extract_html(page).comments == []


def test_html_fallback_to_paragraphs_when_extractor_finds_nothing(monkeypatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    ex = extract_html(PAGE)
    assert ex.text.startswith("The old stone bridge")
    assert "fallback" in ex.meta["x_extraction"]


def test_html_garbage_input_gives_empty_text() -> None:
    for junk in ("", "   ", "<html></html>"):
        ex = extract_html(junk)
        assert ex.text == ""
