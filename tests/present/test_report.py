"""The HTML report: content, escaping, offline safety, and a real headless-browser check."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rashomon.model import Actor, Contradiction, Document, Event, Mention, Quote, Story
from rashomon.present.report import build_report, write_report
from rashomon.profiles import load_profile

EVIL = 'Attack</script><script>alert("x")</script><img src=x onerror=alert(1)> on the pass.'

PROFILE = """
name: tiny
parties: [{id: north, name: North}, {id: south, name: South}]
sources:
  - {id: n1, name: North Herald, side: north, type: state media}
  - {id: s1, name: South Courier, side: south, type: state media}
"""


@pytest.fixture
def filled(fresh_db, tmp_path):
    prof_path = tmp_path / "p.yaml"
    prof_path.write_text(PROFILE)
    profile = load_profile(prof_path)
    t1 = "Soldiers of the South closed the pass on 3 May. " + EVIL
    t2 = "Northern troops did not close anything, the ministry said."
    fresh_db.put_document(Document(id="dA", source="a.txt", text=t1, publisher="North Herald",
                                   title="Pass <closed>", published="2024-05-04"))
    fresh_db.put_document(Document(id="dB", source="b.txt", text=t2, publisher="South Courier",
                                   title="Denial", published="2024-05-05"))
    e1 = Event(id="e1", doc_id="dA", start=0, end=47, sentence=t1[:47], cameo="191",
               plover="PROTEST", source_actor=Actor("Soldiers of the South"))
    e2 = Event(id="e2", doc_id="dB", start=0, end=len(t2), sentence=t2, cameo="191",
               plover="PROTEST", modality={"negated": True, "reported_by": "the ministry"})
    fresh_db.replace_doc_records("events", "v1", "f", "dA", {"events": [e1]})
    fresh_db.replace_doc_records("events", "v1", "f", "dB", {"events": [e2]})
    q = Quote(id="q1", doc_id="dB", start=0, end=43, text=t2[:43], kind="indirect",
              speaker=Actor("the ministry"))
    fresh_db.replace_doc_records("quotes", "v1", "f", "dB", {"quotes": [q]})
    m = Mention(id="m1", doc_id="dA", start=t1.index("pass"), end=t1.index("pass") + 4,
                entity_id="pass", surface="pass", kind="place")
    fresh_db.replace_doc_records("entities", "v1", "f", "dA", {"mentions": [m]})
    fresh_db.replace_corpus_records("stories", [Story(
        id="s1", title="Closure of the pass", date="2024-05-03", event_ids=["e1", "e2"],
        doc_ids=["dA", "dB"], sides=["north", "south"])])
    fresh_db.replace_corpus_records("contradictions", [Contradiction(
        id="x1", kind="negation", story_id="s1", confidence=0.6,
        a={"doc_id": "dA", "start": 0, "end": 47, "text": t1[:47], "speaker": None,
           "outlet": "North Herald", "side": "north"},
        b={"doc_id": "dB", "start": 0, "end": len(t2), "text": t2, "speaker": "the ministry",
           "outlet": "South Courier", "side": "south"})])
    return fresh_db, profile


def test_report_contains_every_section(filled):
    store, profile = filled
    page = build_report(store, profile)
    for anchor in ("timeline", "stories", "contradictions", "framing", "coverage", "entities",
                   "documents", "docview"):
        assert f"id='{anchor}'" in page
    assert "Closure of the pass" in page
    assert "negation" in page and "the ministry" in page
    assert "#doc=dA&amp;s=0&amp;e=47" in page


def test_report_escapes_untrusted_text(filled):
    store, profile = filled
    page = build_report(store, profile)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "Pass &lt;closed&gt;" in page
    # the embedded JSON cannot close its <script> element
    data = page.split("id='docs-data'>", 1)[1].split("</script>", 1)[0]
    assert "<" not in data


def test_report_makes_no_external_requests(filled):
    store, profile = filled
    page = build_report(store, profile)
    assert "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    return exe


CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage"]


@pytest.mark.browser
def test_report_in_headless_chromium_highlights_evidence(filled, tmp_path):
    exe = _chromium()
    store, profile = filled
    path = write_report(store, profile, tmp_path / "report.html")
    url = path.resolve().as_uri() + "#doc=dA&s=0&e=47"
    profile_dir = tmp_path / "chrome-profile"
    dom = subprocess.run([exe, *CHROME_FLAGS, f"--user-data-dir={profile_dir}",
                          "--virtual-time-budget=3000", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    mark = re.search(r'<mark id="hl">(.*?)</mark>', dom.stdout, re.S)
    assert mark, "the evidence span was not highlighted"
    assert mark.group(1) == "Soldiers of the South closed the pass on 3 May."
    # the hostile text stays text: no element was created from it
    assert "<img src=\"x\"" not in dom.stdout and "<script>alert" not in dom.stdout
    shot = tmp_path / "report.png"
    res = subprocess.run([exe, *CHROME_FLAGS, f"--user-data-dir={profile_dir}",
                          "--window-size=1280,2000", f"--screenshot={shot}", url],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    data = Path(shot).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def _csp(page: str) -> dict[str, list[str]]:
    """The page's Content-Security-Policy as directive -> sources, read from the parsed DOM."""
    import lxml.html

    meta = lxml.html.fromstring(page).xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert len(meta) == 1
    out = {}
    for part in meta[0].get("content").split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


def test_report_csp_allows_only_its_own_script_and_style_by_hash(filled):
    import base64
    import hashlib

    import lxml.html

    store, profile = filled
    page = build_report(store, profile)
    policy = _csp(page)
    assert policy["default-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    tree = lxml.html.fromstring(page)

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    scripts = [s for s in tree.iter("script") if s.get("type") != "application/json"]
    assert len(scripts) == 1 and policy["script-src"] == [sha(scripts[0].text)]
    styles = list(tree.iter("style"))
    assert len(styles) == 1 and policy["style-src"] == [sha(styles[0].text)]
    # no event-handler or style attributes anywhere: the policy would block them
    for el in tree.iter():
        if isinstance(el.tag, str):
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
            assert "style" not in el.attrib, el.tag


def test_report_templates_autoescape():
    from rashomon.present.report import environment

    env = environment()
    assert env.autoescape is True
    out = env.from_string("<p title='{{ x }}'>{{ x }}</p>").render(x=EVIL)
    assert "<script>" not in out and "<img" not in out and "&#39;" not in EVIL


# Payloads that would each set a marker attribute on <html> if they ran.
INJECTED = (
    "<script>document.documentElement.setAttribute('data-pwned-script','1')</script>"
    "<img src='data:,' onerror=\"document.documentElement.setAttribute('data-pwned-img','1')\">"
    "<svg onload=\"document.documentElement.setAttribute('data-pwned-svg','1')\"></svg>"
)


def _dump_dom(exe: str, path: Path, fragment: str, profile_dir: Path) -> str:
    url = path.resolve().as_uri() + fragment
    res = subprocess.run([exe, *CHROME_FLAGS, f"--user-data-dir={profile_dir}",
                          "--virtual-time-budget=3000", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def _html_tag(dom: str) -> str:
    """The serialised ``<html ...>`` start tag, where the payloads leave their markers."""
    found = re.search(r"<html[^>]*>", dom)
    assert found, dom[:500]
    return found.group(0)


@pytest.mark.browser
def test_report_csp_blocks_markup_that_bypassed_escaping(filled, tmp_path):
    """Defence in depth: with escaping deliberately bypassed, injected script does not run.

    The payloads are put into the rendered page raw, as an escaping bug would.  The
    same page without its policy is the control: there the payloads do run, so the
    check can tell the two apart.  The page's own script still works (the evidence
    span is highlighted).
    """
    exe = _chromium()
    store, profile = filled
    page = build_report(store, profile)
    assert page.count("<main>") == 1
    hostile = page.replace("<main>", "<main>" + INJECTED, 1)
    guarded = tmp_path / "guarded.html"
    guarded.write_text(hostile, encoding="utf-8")
    dom = _dump_dom(exe, guarded, "#doc=dA&s=0&e=47", tmp_path / "chrome-a")
    assert "data-pwned" not in _html_tag(dom), "an injected payload ran despite the policy"
    assert "<svg" in dom and "<img" in dom  # the markup is there, it just did not run
    mark = re.search(r'<mark id="hl">(.*?)</mark>', dom, re.S)
    assert mark and mark.group(1) == "Soldiers of the South closed the pass on 3 May."
    assert re.search(r'<h3 id="dv-title">Pass &lt;closed&gt;</h3>', dom)

    control = tmp_path / "control.html"
    control.write_text(re.sub(r"<meta http-equiv='Content-Security-Policy'[^>]*>", "", hostile),
                       encoding="utf-8")
    dom = _dump_dom(exe, control, "#doc=dA&s=0&e=47", tmp_path / "chrome-b")
    for marker in ("data-pwned-script", "data-pwned-img", "data-pwned-svg"):
        assert marker in _html_tag(dom), f"control: {marker} did not run, so the check proves nothing"


def _story_page(filled, tmp_path):
    """The filled store with a two-level story: a third article (a round-up), facts, omissions."""
    from rashomon.compare.coverage import CoverageRow

    store, profile = filled
    t3 = "The North Herald digest: the pass, the harvest and the weather."
    store.put_document(Document(id="dC", source="c.txt", text=t3, publisher="North Herald",
                                title="Digest", published="2024-05-06"))
    store.replace_corpus_records("stories", [Story(
        id="s1", title="Closure of the pass", date="2024-05-03", event_ids=["e1", "e2"],
        doc_ids=["dA", "dB", "dC"], sides=["north", "south"],
        attrs={"level": "documents",
               "alignment": [{"id": "g1", "title": "Protest at the pass", "event_ids": ["e1"]},
                             {"id": "g2", "title": "Denial by the ministry",
                              "event_ids": ["e2"]}],
               "documents": [{"id": "dA", "role": "member"}, {"id": "dB", "role": "member"},
                             {"id": "dC", "role": "round-up"}]})])
    store.replace_corpus_records("coverage", [CoverageRow(
        id="c1", kind="omission", story_id="s1", key="south", docs=1,
        attrs={"fact_id": "g1", "fact": "Protest at the pass", "told_by": ["north"],
               "event_ids": ["e1"]})])
    return store, profile


def test_report_story_page_outlets_side_by_side_by_camp(filled, tmp_path):
    import lxml.html

    store, profile = _story_page(filled, tmp_path)
    tree = lxml.html.fromstring(build_report(store, profile))
    (story,) = tree.xpath("//div[@id='story-s1']")
    columns = story.xpath(".//div[contains(concat(' ', @class, ' '), ' account ')]")
    assert [c.xpath("string(h4)").split()[-1] for c in columns] == ["North", "South"]
    north, south = columns
    assert [o.xpath("string(h5)") for o in north.xpath(".//div[@class='outlet']")] == [
        "North Herald"]
    titles = [a.text_content() for a in north.xpath(".//div[@class='art']/a")]
    assert titles == ["Pass <closed>", "Digest"]  # both North Herald articles, oldest first
    assert "round-up" in north.xpath("string(.//div[@class='art'][2])")
    assert north.xpath("string(.//span[@class='fact'])") == "fact 1"
    assert south.xpath("string(.//span[@class='fact'])") == "fact 2"
    left = south.xpath(".//div[@class='left-out']//li")
    assert [li.text_content().split(" (")[0].strip() for li in left] == ["Protest at the pass"]
    assert not north.xpath(".//div[@class='left-out']")
    assert "3 articles" in story.xpath("string(div[@class='meta'])")


@pytest.mark.browser
def test_report_story_page_article_link_opens_the_article(filled, tmp_path):
    exe = _chromium()
    store, profile = _story_page(filled, tmp_path)
    path = write_report(store, profile, tmp_path / "r.html")
    dom = _dump_dom(exe, path, "#doc=dC", tmp_path / "chrome-story")
    assert re.search(r'<h3 id="dv-title">Digest</h3>', dom)
    assert "the pass, the harvest and the weather" in dom
