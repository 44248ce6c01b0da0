"""The REST API against a real ``rashomon serve`` process on 127.0.0.1."""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from rashomon.layers import record_tables
from rashomon.store import Store
from tests.api.conftest import EVIL, ROOT, TOKEN, build_workspace, serve

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_index_lists_every_registry_table_and_warnings(server):
    kinds = httpx.get(server + "/api").json()["kinds"]
    for table in (*record_tables(), "documents", "entities", "warnings"):
        assert table in kinds
    assert kinds["events"]["count"] == 2 and kinds["warnings"]["count"] == 1
    spec = httpx.get(server + "/openapi.json").json()
    for table in kinds:
        assert f"/api/{table}" in spec["paths"] and f"/api/{table}/{{item_id}}" in spec["paths"]
    assert "/api/contradictions/{item_id}/review" in spec["paths"]
    assert "/api/warnings/{item_id}/review" in spec["paths"] and "/api/ingest" in spec["paths"]


def test_filter_sort_paginate_facet(server):
    page = httpx.get(server + "/api/events", params={"plover": "PROTEST", "sort": "-date",
                                                      "facet": ["camp", "outlet"]}).json()
    assert page["total"] == 2
    assert [e["id"] for e in page["items"]] == ["e2", "e1"]  # newest first
    assert page["facets"]["camp"] == {"north": 1, "south": 1}
    assert page["items"][1]["place_name"].startswith("Tollen") and page["items"][1]["lat"] == 41.5
    north = httpx.get(server + "/api/events", params={"camp": "north"}).json()
    assert [e["id"] for e in north["items"]] == ["e1"] and north["items"][0]["outlet"].startswith(
        "North Herald")
    neg = httpx.get(server + "/api/events", params={"negated": "true"}).json()
    assert [e["id"] for e in neg["items"]] == ["e2"]
    low = httpx.get(server + "/api/events", params={"goldstein_max": -5}).json()
    assert [e["id"] for e in low["items"]] == ["e1"]
    dated = httpx.get(server + "/api/events", params={"date_from": "2024-05-04"}).json()
    assert [e["id"] for e in dated["items"]] == ["e2"]
    p1 = httpx.get(server + "/api/contradictions", params={"limit": 1, "sort": "-confidence"})
    p2 = httpx.get(server + "/api/contradictions", params={"limit": 1, "offset": 1,
                                                            "sort": "-confidence"})
    assert p1.json()["total"] == 2 and p1.json()["items"][0]["id"] == "x1"
    assert p2.json()["items"][0]["id"] == "x2"
    by_camp = httpx.get(server + "/api/stories", params={"camp": "south"}).json()
    assert [s["id"] for s in by_camp["items"]] == ["s1"]
    text = httpx.get(server + "/api/claims", params={"q": "ILLEGAL"}).json()
    assert [c["id"] for c in text["items"]] == ["c2"]
    assert httpx.get(server + "/api/events", params={"sort": "nope"}).status_code == 422
    assert httpx.get(server + "/api/events", params={"limit": 0}).status_code == 422


def test_item_evidence_is_cut_from_the_document(server, workspace):
    with Store(workspace) as st:
        text_a = st.get_document("dA").text
        text_b = st.get_document("dB").text
    x = httpx.get(server + "/api/contradictions/x1").json()
    roles = {e["role"]: e for e in x["evidence"]}
    assert set(roles) == {"a", "b"}
    assert roles["a"]["text"] == text_a[roles["a"]["start"]:roles["a"]["end"]]
    assert roles["b"]["text"] == text_b[roles["b"]["start"]:roles["b"]["end"]]
    assert roles["b"]["outlet"] == "South Courier" and roles["b"]["camp"] == "south"
    story = httpx.get(server + "/api/stories/s1").json()
    assert {(e["role"], e["record_id"]) for e in story["evidence"]} == {("event", "e1"),
                                                                       ("event", "e2")}
    doc = httpx.get(server + "/api/documents/dA").json()
    assert doc["item"]["text"] == text_a
    assert {e["role"] for e in doc["evidence"]} == {"quotes", "events", "claims", "mentions"}
    for e in doc["evidence"]:
        assert e["text"] == text_a[e["start"]:e["end"]]
    assert httpx.get(server + "/api/events/nope").status_code == 404
    assert httpx.get(server + "/api/documents/nope").status_code == 404


def test_search_with_facets(server):
    hits = httpx.get(server + "/api/search", params={"q": "illegal"}).json()
    assert [h["doc_id"] for h in hits["items"]] == ["dB"]
    assert hits["facets"]["camp"] == {"south": 1}
    both = httpx.get(server + "/api/search", params={"q": "checkpoint", "camp": "north"}).json()
    assert [h["doc_id"] for h in both["items"]] == ["dA"]
    assert both["facets"]["camp"] == {"north": 1, "south": 1}
    # not FTS5 syntax: searched as plain words, and the answer says so
    loose = httpx.get(server + "/api/search", params={"q": '"illegal'}).json()
    assert [h["doc_id"] for h in loose["items"]] == ["dB"]
    assert "bad search query" in loose["note"]
    assert httpx.get(server + "/api/search", params={"q": "illegal"}).json()["note"] is None


def test_reviews_need_the_token_and_persist(server, workspace):
    url = server + "/api/contradictions/x1/review"
    body = {"status": "confirmed", "note": "checked " + EVIL}
    assert httpx.post(url, json=body).status_code == 401
    assert httpx.post(url, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = httpx.post(url, json=body, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert httpx.get(server + "/api/contradictions/x1").json()["item"]["status"] == "confirmed"
    confirmed = httpx.get(server + "/api/contradictions", params={"status": "confirmed"}).json()
    assert [c["id"] for c in confirmed["items"]] == ["x1"]
    with Store(workspace) as st:  # the store's own review log has it, note kept verbatim
        log = st.review_log("x1")
    assert log[-1]["status"] == "confirmed" and log[-1]["note"] == "checked " + EVIL
    bad = httpx.post(url, json={"status": "maybe"}, headers=AUTH)
    assert bad.status_code == 422
    gone = httpx.post(server + "/api/contradictions/nope/review", json=body, headers=AUTH)
    assert gone.status_code == 404


def test_warning_review(server, workspace):
    url = server + "/api/warnings/w1/review"
    assert httpx.post(url, json={"status": "rejected"}).status_code == 401
    r = httpx.post(url, json={"status": "rejected", "note": "false alarm"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert httpx.get(server + "/api/warnings/w1").json()["item"]["status"] == "rejected"
    with Store(workspace) as st:
        assert st.latest_record_reviews("warning")["w1"]["note"] == "false alarm"
    assert httpx.post(server + "/api/warnings/nope/review", json={"status": "new"},
                      headers=AUTH).status_code == 404


def test_security_headers_host_check_and_body_cap(server):
    r = httpx.get(server + "/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "default-src 'none'" in csp and r.headers["x-content-type-options"] == "nosniff"
    assert httpx.get(server + "/api", headers={"Host": "evil.example"}).status_code == 400
    # a body announced over the cap is refused before it is read (raw socket: no client
    # library sends a Content-Length it does not mean to honour)
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST /api/ingest HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
                     "Content-Length: 30000000\r\n\r\n{".encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 413")


def _wait_job(url: str, job_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(f"{url}/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = (b"<html><head><title>Local page</title></head><body><article><p>"
                + b"A local article about the mountain road and its reopening. " * 12
                + b"</p></article></body></html>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_site():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/article"
    srv.shutdown()
    srv.server_close()


def test_ingest_job_files_and_private_urls_refused(server, workspace, local_site):
    body = {"files": [{"name": "../../etc/new-article.txt",
                       "content": "Uploaded report on the bridge. " * 20,
                       "meta": {"publisher": "Field Notes", "side": "north",
                                "published": "2024-05-06"}}],
            "urls": [local_site]}
    assert httpx.post(server + "/api/ingest", json=body).status_code == 401
    r = httpx.post(server + "/api/ingest", json=body, headers=AUTH)
    assert r.status_code == 202
    job = _wait_job(server, r.json()["id"])
    assert job["status"] == "done"
    assert len(job["result"]["ingest"]["added"]) == 1  # the file; the loopback URL refused
    assert any("127.0.0.1" in e and ("private" in e or "loopback" in e or "refus" in e)
               for e in job["errors"]), job["errors"]
    hits = httpx.get(server + "/api/search", params={"q": "uploaded"}).json()
    assert [h["doc_id"] for h in hits["items"]] == job["result"]["ingest"]["added"]
    doc = httpx.get(server + "/api/documents/" + hits["items"][0]["doc_id"]).json()["item"]
    assert (doc["publisher"], doc["side"], doc["published"]) == ("Field Notes", "north",
                                                                 "2024-05-06")
    # the upload is kept beside the workspace (no directories from its name) as the source
    kept = workspace.parent / f"{workspace.name}-uploads" / job["id"] / "0000-new-article.txt"
    assert doc["source"] == str(kept) and kept.read_text().startswith("Uploaded report")
    bad_meta = {"files": [{"name": "a.txt", "content": "text", "meta": {"colour": "red"}}]}
    assert httpx.post(server + "/api/ingest", json=bad_meta, headers=AUTH).status_code == 400
    bad = httpx.post(server + "/api/ingest", json={"files": [{"name": "x.exe", "content": "y"}]},
                     headers=AUTH)
    assert bad.status_code == 400
    assert httpx.post(server + "/api/ingest", json={}, headers=AUTH).status_code == 400


def test_ingest_job_private_url_with_flag(tmp_path, local_site):
    db = tmp_path / "w.db"
    build_workspace(db, warnings=False)
    with serve(db, "--allow-private") as url:  # no token: writes open on this server
        r = httpx.post(url + "/api/ingest", json={"urls": [local_site]})
        assert r.status_code == 202
        job = _wait_job(url, r.json()["id"])
        assert job["status"] == "done" and len(job["result"]["ingest"]["added"]) == 1, job
        hits = httpx.get(url + "/api/search", params={"q": "reopening"}).json()
        assert hits["total"] == 1
        # a workspace without a warnings table serves an empty list, not an error
        w = httpx.get(url + "/api/warnings")
        assert w.status_code == 200 and w.json()["total"] == 0
        assert "No early warnings" in httpx.get(url + "/warnings").text


def test_serve_refuses_a_missing_workspace(tmp_path):
    r = subprocess.run([sys.executable, "-m", "rashomon.cli", "serve", "--db",
                        str(tmp_path / "none.db"), "--port", "0"], capture_output=True, text=True,
                       timeout=60, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin"})
    assert r.returncode != 0 and "none.db" in r.stderr
    assert not Path(tmp_path / "none.db").exists()


@pytest.mark.parametrize("path", ["/", "/search?q=checkpoint", "/documents", "/documents/dA",
                                  "/stories", "/stories/s1", "/contradictions", "/framing",
                                  "/timeline", "/map", "/warnings", "/entities",
                                  "/entities/tollen"])
def test_pages_escape_hostile_text(server, path):
    r = httpx.get(server + path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<script>window" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert 'href="javascript:' not in page and "href='javascript:" not in page
    assert "<script>" not in page  # only <script src=...> elements, never inline code


@pytest.mark.slow
def test_ingest_job_with_analysis(tmp_path):
    db = tmp_path / "a.db"
    build_workspace(db, warnings=False)
    text = ("HALVAST, 20 January - Police closed the Tollen Bridge road on Monday, the agency "
            "reported. The minister said the closure was temporary.")
    with serve(db) as url:
        r = httpx.post(url + "/api/ingest", json={"analyze": True, "profile": "generic", "files": [
            {"name": "field.txt", "content": text, "meta": {"publisher": "Field Agency",
                                                          "side": "north"}}]})
        job = _wait_job(url, r.json()["id"], timeout=300)
        assert job["status"] == "done" and not job["errors"], job
        assert job["result"]["analyze"]["profile"] == "generic"
        added = job["result"]["ingest"]["added"][0]
        events = httpx.get(url + "/api/events", params={"doc_id": added}).json()
        assert events["total"] >= 1 and events["items"][0]["outlet"] == "Field Agency"
