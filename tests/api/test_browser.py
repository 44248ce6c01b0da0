"""The web UI in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Playwright never downloads a browser here: it launches the system executable.
Every page is loaded from a real ``rashomon serve`` over a workspace whose
every text field carries hostile markup; each payload would set
``window.__pwned`` or open a dialog if it ran.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.api.conftest import TOKEN, build_workspace, serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage"]
PAGES = ["/", "/search?q=checkpoint", "/documents", "/documents/dA", "/documents/dB",
         "/stories", "/stories/s1", "/stories/s2", "/contradictions?status=", "/framing",
         "/timeline", "/map", "/warnings", "/entities", "/entities/tollen", "/entities/ada-vell"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright (Python package) not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=60_000)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "b.db"
    build_workspace(db)
    with serve(db, "--token", TOKEN) as url:
        yield url


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    ctx.close()


def _not_pwned(pg) -> None:
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert pg.dialogs == []
    assert pg.locator("img[src='x']").count() == 0
    assert pg.locator("a[href^='javascript:'], [onerror], [onload]").count() == 0


def test_pages_render_and_hostile_text_never_runs(site, page, tmp_path):
    page.set_content("<html><body></body></html>")
    blank = len(page.screenshot())
    for path in PAGES:
        resp = page.goto(site + path, wait_until="networkidle")
        assert resp is not None and resp.status == 200, path
        _not_pwned(page)
        shot = page.screenshot(full_page=False)
        assert shot[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(shot) > 3 * blank and len(shot) > 15_000, f"{path} looks blank"
        assert len(page.inner_text("main")) > 40, path
        # our own scripts and styles obey the CSP (a violation is logged as an error)
        assert not [e for e in page.console_errors if "Content Security Policy" in e], path
    # the hostile strings are shown as text
    page.goto(site + "/documents/dA")
    assert "<script>window.__pwned=1</script>" in page.inner_text("#doc-title")
    assert "<img src=x" in page.inner_text("#doc-outlet")
    assert page.locator("a", has_text="original").count() == 0  # javascript: URL not linked
    assert "onerror" in page.inner_text("ul.comments")  # reader comments: text too
    _not_pwned(page)


def test_document_view_highlights_evidence(site, page):
    page.goto(site + "/documents/dA#r-q1")
    body = page.locator("#doc-body")
    assert body.locator(".hl-q").first.inner_text().startswith('"The checkpoint')
    assert body.locator(".hl-e").count() >= 1 and body.locator(".hl-m").count() >= 1
    page.uncheck("input[data-hl='q']")
    assert "show-q" not in (body.get_attribute("class") or "")
    _not_pwned(page)


def test_search_finds_a_document(site, page):
    page.goto(site + "/")
    page.fill("header form.quick input[name=q]", "illegal")
    page.press("header form.quick input[name=q]", "Enter")
    page.wait_for_url("**/search?q=illegal")
    hits = page.locator("ol.hits li.hit a")
    assert hits.count() == 1
    hits.first.click()
    page.wait_for_url("**/documents/dB")
    assert page.inner_text("#doc-title").startswith("Denial")
    _not_pwned(page)


def test_review_click_persists_after_reload(site, page):
    from playwright.sync_api import expect

    page.goto(site + "/contradictions?status=")
    box = page.locator("#x-x2 .review")
    box.locator("button[data-status=confirmed]").click()
    expect(box.locator(".msg")).to_contain_text("token")  # (the CSP forbids eval: no
    # wait_for_function strings on these pages)
    assert box.locator(".status").inner_text() == "new"  # refused without the token
    page.fill("#token", TOKEN)
    box.locator("input.note").fill("seen in both <b>sources</b>")
    box.locator("button[data-status=confirmed]").click()
    expect(box.locator(".msg")).to_have_text("saved")
    page.reload()
    assert page.locator("#x-x2 .review .status").inner_text() == "confirmed"
    page.goto(site + "/contradictions?status=confirmed")
    assert page.locator("#x-x2").count() == 1
    _not_pwned(page)


def test_warning_review_and_map(site, page):
    from playwright.sync_api import expect

    page.goto(site + "/warnings")
    page.fill("#token", TOKEN)
    page.locator("#w-w1 button[data-status=rejected]").click()
    expect(page.locator("#w-w1 .msg")).to_have_text("saved")
    page.reload()
    assert page.locator("#w-w1 .status").inner_text() == "rejected"
    page.goto(site + "/map", wait_until="networkidle")
    page.wait_for_selector("#map[data-loaded='1']")
    assert page.locator("#map path").count() > 100  # country outlines drawn offline
    page.locator("#map path.leaflet-interactive").last.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<script>window.__pwned=1</script>" in popup.inner_text()
    _not_pwned(page)
