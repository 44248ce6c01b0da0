"""The static HTML report: one self-contained file that works offline.

Sections: a timeline of stories with side coverage, each story's accounts side
by side (with quotes), contradictions, the framing table, coverage blindspots,
an entity index, and a document view where any evidence span is highlighted.

Safety: all article text is untrusted and goes through ``html.escape``; the
page carries a Content-Security-Policy that forbids every network request
(no external scripts, styles, fonts or images), and article URLs are shown as
text, not fetched.  Links use fragments ``#doc=<id>&s=<start>&e=<end>``; a
small inline script shows that document and marks the span.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rashomon.profiles import Profile
from rashomon.store import Store

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")

# A neutral, colour-blind-safe palette assigned to sides in profile order;
# colours carry no meaning beyond "which side".
PALETTE = ["#4477AA", "#CCBB44", "#AA3377", "#228833", "#66CCEE", "#EE6677"]
UNKNOWN_COLOUR = "#BBBBBB"

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#263238;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;color:#cfd8dc}
nav{position:sticky;top:0;background:#eceff1;padding:6px 24px;border-bottom:1px solid #cfd8dc;z-index:2}
nav a{margin-right:14px;color:#263238;text-decoration:none;font-weight:600}
main{padding:8px 24px 60px;max-width:1300px}
h2{border-bottom:2px solid #cfd8dc;padding-bottom:4px;margin-top:36px}
.side{display:inline-block;padding:1px 7px;border-radius:9px;color:#fff;font-size:12px;margin-right:4px}
.timeline{position:relative;border-left:3px solid #90a4ae;margin-left:90px;padding-left:14px}
.tl-item{position:relative;margin:6px 0}
.tl-date{position:absolute;left:-108px;width:88px;text-align:right;color:#546e7a;font-size:13px}
.story{background:#fff;border:1px solid #dde3e6;border-radius:6px;margin:14px 0;padding:10px 14px}
.story h3{margin:0 0 6px;font-size:16px}
.accounts{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:10px}
.account{border-top:4px solid #999;background:#f7f9fa;padding:6px 9px;border-radius:3px}
.account h4{margin:2px 0 6px;font-size:13px}
.ev,.qt{margin:4px 0;font-size:14px}
.qt{border-left:3px solid #b0bec5;padding-left:7px;color:#37474f}
.meta{color:#607d8b;font-size:12px}
table{border-collapse:collapse;background:#fff;margin:8px 0}
td,th{border:1px solid #dde3e6;padding:4px 8px;vertical-align:top;font-size:13px}
th{background:#eceff1;text-align:left}
.contra{background:#fff;border:1px solid #e0c9c9;border-radius:6px;margin:10px 0;padding:8px 12px}
.contra .pair{display:grid;grid-template-columns:1fr 1fr;gap:10px}
.status-new{color:#8d6e00}.status-confirmed{color:#1b5e20}.status-rejected{color:#b71c1c}
#docview{background:#fff;border:2px solid #263238;border-radius:6px;padding:12px 16px;margin-top:20px}
#docview .body{white-space:pre-wrap;font-family:Georgia,serif;font-size:15px;max-height:70vh;overflow:auto}
mark{background:#ffe082;padding:1px 0}
.empty{color:#90a4ae;font-style:italic}
a.ev-link{color:inherit;text-decoration:none;border-bottom:1px dotted #78909c}
a.ev-link:hover{background:#fff3c4}
"""

SCRIPT = """
(function(){
  var docs = JSON.parse(document.getElementById('docs-data').textContent);
  function cpToUnit(s, cp){var n=0,i=0;for(const ch of s){if(i>=cp)break;n+=ch.length;i++;}return n;}
  function show(){
    var h = location.hash.slice(1); if(!h.startsWith('doc=')) return;
    var p = new URLSearchParams(h); var id=p.get('doc'); var d=docs[id]; if(!d) return;
    var s=parseInt(p.get('s')||'-1'), e=parseInt(p.get('e')||'-1');
    var view=document.getElementById('docview'); view.hidden=false;
    document.getElementById('dv-title').textContent = d.title || id;
    document.getElementById('dv-meta').textContent = [d.publisher||'unknown outlet', d.side, d.published, d.source].filter(Boolean).join(' · ');
    var body=document.getElementById('dv-body'); body.textContent='';
    var t=d.text;
    if(s>=0 && e>s){
      var a=cpToUnit(t,s), b=cpToUnit(t,e);
      body.appendChild(document.createTextNode(t.slice(0,a)));
      var m=document.createElement('mark'); m.id='hl'; m.textContent=t.slice(a,b); body.appendChild(m);
      body.appendChild(document.createTextNode(t.slice(b)));
      view.scrollIntoView(); m.scrollIntoView({block:'center'});
    } else { body.textContent=t; view.scrollIntoView(); }
  }
  window.addEventListener('hashchange', show); show();
})();
"""


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _link(doc_id: str, start: int | None, end: int | None, label: str) -> str:
    frag = f"doc={_e(doc_id)}"
    if start is not None and end is not None:
        frag += f"&amp;s={int(start)}&amp;e={int(end)}"
    return f'<a class="ev-link" href="#{frag}">{label}</a>'


class _Sides:
    """Side labels and colours, assigned in profile order (then alphabetically)."""

    def __init__(self, profile: Profile, seen: set[str]) -> None:
        order = [p for p in profile.party_ids]
        order += sorted(s for s in seen if s not in order and s != "unknown")
        self.names = {p["id"]: p.get("name", p["id"]) for p in profile.parties}
        self.colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(order)}
        self.colour["unknown"] = UNKNOWN_COLOUR
        self.order = order + ["unknown"]

    def badge(self, side: str | None) -> str:
        side = side or "unknown"
        colour = self.colour.get(side, UNKNOWN_COLOUR)
        title = self.names.get(side, side)
        return f'<span class="side" style="background:{colour}" title="{_e(title)}">{_e(side)}</span>'


def build_report(store: Store, profile: Profile) -> str:
    """Render the whole report as one HTML string."""
    docs = {d.id: d for d in store.iter_documents()}
    side_of = {i: profile.side_of(d) for i, d in docs.items()}
    stories = sorted(store.records("stories"), key=lambda s: (s.get("date") or "9999", s["id"]))
    events = {e["id"]: e for e in store.records("events")}
    quotes = store.records("quotes")
    contradictions = store.records("contradictions")
    framing = store.records("framing")
    entities = store.records("entities")
    mentions = store.records("mentions")
    sides = _Sides(profile, set(side_of.values()))

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>Rashomon report: {_e(profile.name)}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>Rashomon report</h1><p>Profile {_e(profile.name)} · {len(docs)} documents · "
        f"{len({d.publisher for d in docs.values()})} outlets · {len(stories)} stories · "
        f"{len(contradictions)} contradictions. Every line links to its evidence.</p></header>",
        "<nav><a href='#timeline'>Timeline</a><a href='#stories'>Stories</a>"
        "<a href='#contradictions'>Contradictions</a><a href='#framing'>Framing</a>"
        "<a href='#coverage'>Coverage</a><a href='#entities'>Entities</a>"
        "<a href='#documents'>Documents</a></nav><main>",
    ]
    parts.append(_timeline(stories, sides))
    parts.append(_stories(stories, events, quotes, docs, side_of, sides))
    parts.append(_contradictions(contradictions, sides))
    parts.append(_framing(framing, sides))
    parts.append(_coverage(stories, sides))
    parts.append(_entities(entities, mentions, side_of, sides))
    parts.append(_documents(docs, side_of, sides))
    parts.append("<section id='docview' hidden><h3 id='dv-title'></h3><div class='meta' "
                 "id='dv-meta'></div><div class='body' id='dv-body'></div></section>")
    data = {i: {"text": d.text, "title": d.title, "publisher": d.publisher,
                "published": d.published, "side": side_of[i], "source": d.source}
            for i, d in docs.items()}
    # JSON inside <script> must not be able to close the element: escape '<'.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    parts.append(f"<script type='application/json' id='docs-data'>{payload}</script>")
    parts.append(f"<script>{SCRIPT}</script></main></body></html>")
    return "".join(parts)


def write_report(store: Store, profile: Profile, out: str | Path) -> Path:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(build_report(store, profile), encoding="utf-8")
    tmp.replace(path)
    return path


def _timeline(stories: list[dict[str, Any]], sides: _Sides) -> str:
    out = ["<h2 id='timeline'>Timeline of stories</h2>"]
    shown = [s for s in stories if not s.get("attrs", {}).get("singleton") or len(s.get("sides", [])) > 1]
    if not shown:
        shown = stories
    if not shown:
        return out[0] + "<p class='empty'>No stories yet: run `rashomon analyze`.</p>"
    out.append("<div class='timeline'>")
    for s in shown[:400]:
        badges = "".join(sides.badge(x) for x in s.get("sides", []))
        out.append(f"<div class='tl-item'><span class='tl-date'>{_e(s.get('date') or '?')}</span>"
                   f"<a href='#story-{_e(s['id'])}'>{_e(s.get('title'))}</a> {badges} "
                   f"<span class='meta'>{len(s.get('doc_ids', []))} docs</span></div>")
    out.append("</div>")
    return "".join(out)


def _stories(stories: list[dict[str, Any]], events: dict[str, dict[str, Any]],
             quotes: list[dict[str, Any]], docs: dict[str, Any], side_of: dict[str, str],
             sides: _Sides) -> str:
    out = ["<h2 id='stories'>Stories: each account side by side</h2>"]
    quotes_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in quotes:
        quotes_by_doc[q["doc_id"]].append(q)
    multi = [s for s in stories if len(s.get("doc_ids", [])) > 1] or stories
    if not multi:
        out.append("<p class='empty'>No stories.</p>")
    for s in multi[:300]:
        out.append(f"<div class='story' id='story-{_e(s['id'])}'><h3>{_e(s.get('title'))}</h3>"
                   f"<div class='meta'>{_e(s.get('date'))}"
                   f"{(' – ' + _e(s['date_end'])) if s.get('date_end') and s.get('date_end') != s.get('date') else ''}"
                   f" · sides: {''.join(sides.badge(x) for x in s.get('sides', []))}</div>"
                   "<div class='accounts'>")
        by_side: dict[str, list[dict[str, Any]]] = defaultdict(list)
        shown_quotes: set[str] = set()
        for eid in s.get("event_ids", []):
            ev = events.get(eid)
            if ev:
                by_side[side_of.get(ev["doc_id"], "unknown")].append(ev)
        for side in sorted(by_side, key=lambda x: sides.order.index(x) if x in sides.order else 99):
            colour = sides.colour.get(side, UNKNOWN_COLOUR)
            out.append(f"<div class='account' style='border-top-color:{colour}'>"
                       f"<h4>{sides.badge(side)} {_e(sides.names.get(side, side))}</h4>")
            for ev in by_side[side]:
                d = docs.get(ev["doc_id"])
                pub = d.publisher if d else None
                mod = ev.get("modality") or {}
                flags = [k for k in ("negated", "hypothetical", "demanded") if mod.get(k)]
                rep = mod.get("reported_by")
                out.append(
                    "<div class='ev'>" + _link(ev["doc_id"], ev["start"], ev["end"], _e(ev["sentence"]))
                    + f"<div class='meta'>{_e(pub or 'unknown outlet')} · {_e(ev.get('plover'))}"
                    f" / CAMEO {_e(ev.get('cameo'))}"
                    + (f" · {_e(', '.join(flags))}" if flags else "")
                    + (f" · reported by {_e(rep)}" if rep and rep != "outlet" else "")
                    + "</div></div>")
                near = [q for q in quotes_by_doc.get(ev["doc_id"], [])
                        if q["id"] not in shown_quotes
                        and q["start"] < ev["end"] + 300 and ev["start"] - 300 < q["end"]]
                for q in near[:3]:
                    shown_quotes.add(q["id"])
                    sp = (q.get("speaker") or {}).get("name") or "unattributed"
                    out.append("<div class='qt'>" + _link(q["doc_id"], q["start"], q["end"],
                                                           "“" + _e(q["text"][:400]) + "”")
                               + f"<div class='meta'>{_e(sp)} ({_e(q.get('kind'))})</div></div>")
            out.append("</div>")
        out.append("</div></div>")
    return "".join(out)


def _contradictions(rows: list[dict[str, Any]], sides: _Sides) -> str:
    out = ["<h2 id='contradictions'>Contradictions</h2>",
           "<p class='meta'>Pairs of claims that cannot both be true, or that qualify one fact in "
           "opposite ways, grouped by dispute. Each is a lead for review, not a verdict; set a "
           "status with <code>rashomon review ID confirmed|rejected</code>.</p>"]
    if not rows:
        out.append("<p class='empty'>None found.</p>")
        return "".join(out)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in rows:
        groups[(c.get("attrs") or {}).get("group") or c["id"]].append(c)
    ordered = sorted(groups.values(), key=lambda g: (-max(c["confidence"] for c in g), g[0]["kind"]))
    for group in ordered[:200]:
        first = group[0]
        slots = first["a"].get("slots") or {}
        subject = slots.get("about") or slots.get("object") or slots.get("decision") \
            or slots.get("unit") or ""
        voices = {(x.get("speaker") or x.get("outlet") or "outlet", x.get("side"))
                  for c in group for x in (c["a"], c["b"])}
        badges = "".join(sides.badge(s) for s in sorted({v[1] or "unknown" for v in voices}))
        out.append(f"<div class='contra'><b>{_e(first['kind'])}</b>"
                   + (f" about <i>{_e(subject)}</i>" if subject else "")
                   + f" <span class='meta'>{len(group)} pair(s) · {len(voices)} voices</span> "
                   + badges)
        for i, c in enumerate(group[:50]):
            if i == 2:
                out.append(f"<details><summary>{len(group) - 2} more pair(s)</summary>")
            out.append(_contradiction_pair(c, sides))
        if len(group) > 2:
            out.append("</details>")
        out.append("</div>")
    return "".join(out)


def _contradiction_pair(c: dict[str, Any], sides: _Sides) -> str:
    status = c.get("status", "new")
    parts = [f"<div id='contra-{_e(c['id'])}' style='margin-top:8px'>"
             f"<span class='meta'>confidence {_e(c.get('confidence'))} · "
             f"<span class='status-{_e(status)}'>{_e(status)}</span> · {_e(c['id'])}"
             f"{' · story ' + _e(c['story_id']) if c.get('story_id') else ''} · "
             f"{_e((c.get('attrs') or {}).get('reason'))}</span><div class='pair'>"]
    for side_key in ("a", "b"):
        x = c[side_key]
        who = x.get("speaker") or "the outlet itself"
        parts.append("<div>" + sides.badge(x.get("side")) + " "
                     + _link(x["doc_id"], x.get("start"), x.get("end"), _e(x.get("text", "")[:500]))
                     + f"<div class='meta'>said by {_e(who)} · in "
                     f"{_e(x.get('outlet') or 'unknown outlet')}</div></div>")
    parts.append("</div></div>")
    return "".join(parts)


def _framing(rows: list[dict[str, Any]], sides: _Sides) -> str:
    out = ["<h2 id='framing'>Framing: which words each side uses</h2>"]
    if not rows:
        return out[0] + "<p class='empty'>No framing data.</p>"
    by_ref: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_ref[(r.get("kind", ""), r.get("referent") or "")].append(r)
    seen_sides = sorted({r.get("side") or "unknown" for r in rows},
                        key=lambda x: sides.order.index(x) if x in sides.order else 99)
    for (kind, ref), items in sorted(by_ref.items()):
        label = items[0].get("label") or ref
        out.append(f"<h3>{_e(label)} <span class='meta'>({_e(kind)})</span></h3><table><tr><th>term</th>"
                   + "".join(f"<th>{sides.badge(s)}</th>" for s in seen_sides) + "<th>example</th></tr>")
        terms: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for r in items:
            terms[r.get("term", "")][r.get("side") or "unknown"] = r
        for term, per_side in sorted(terms.items(), key=lambda kv: -sum(int(v.get("count", 0)) for v in kv[1].values())):
            cells = []
            example = ""
            for s in seen_sides:
                r = per_side.get(s)
                cells.append(f"<td>{int(r.get('count', 0)) if r else ''}</td>")
                if r and not example and r.get("examples"):
                    ex = r["examples"][0]
                    example = _link(ex["doc_id"], ex.get("start"), ex.get("end"), _e(ex.get("text", "")[:160]))
            out.append(f"<tr><td><b>{_e(term)}</b></td>{''.join(cells)}<td>{example}</td></tr>")
        out.append("</table>")
    return "".join(out)


def _coverage(stories: list[dict[str, Any]], sides: _Sides) -> str:
    out = ["<h2 id='coverage'>Coverage and blindspots</h2>"]
    all_sides = sorted({s for st in stories for s in st.get("sides", [])},
                       key=lambda x: sides.order.index(x) if x in sides.order else 99)
    known = [s for s in all_sides if s != "unknown"]
    if len(known) < 2:
        return out[0] + "<p class='empty'>Fewer than two sides in the corpus: no blindspots.</p>"
    blind = [s for s in stories if len([x for x in s.get("sides", []) if x != "unknown"]) == 1]
    counts = Counter(next(x for x in s["sides"] if x != "unknown") for s in blind)
    out.append("<table><tr><th>side</th><th>stories it reports</th><th>only it reports</th></tr>")
    for side in known:
        n = sum(1 for s in stories if side in s.get("sides", []))
        out.append(f"<tr><td>{sides.badge(side)}</td><td>{n}</td><td>{counts.get(side, 0)}</td></tr>")
    out.append("</table><h3>Stories reported by one side only</h3><ul>")
    for s in blind[:300]:
        out.append(f"<li><a href='#story-{_e(s['id'])}'>{_e(s.get('title'))}</a> "
                   f"{''.join(sides.badge(x) for x in s.get('sides', []))} <span class='meta'>{_e(s.get('date'))}</span></li>")
    out.append("</ul>")
    return "".join(out)


def _entities(entities: list[dict[str, Any]], mentions: list[dict[str, Any]],
              side_of: dict[str, str], sides: _Sides) -> str:
    out = ["<h2 id='entities'>Entity index</h2>"]
    per: dict[str, dict[str, Any]] = {}
    for m in mentions:
        e = per.setdefault(m["entity_id"], {"n": 0, "surfaces": Counter(), "sides": Counter(),
                                            "first": m})
        e["n"] += 1
        e["surfaces"][m["surface"]] += 1
        e["sides"][side_of.get(m["doc_id"], "unknown")] += 1
    names = {e["id"]: e for e in entities}
    if not per:
        return out[0] + "<p class='empty'>No mentions.</p>"
    out.append("<table><tr><th>entity</th><th>kind</th><th>mentions</th><th>by side</th>"
               "<th>names used</th></tr>")
    for eid, info in sorted(per.items(), key=lambda kv: -kv[1]["n"])[:1000]:
        ent = names.get(eid, {})
        first = info["first"]
        label = _link(first["doc_id"], first["start"], first["end"], _e(ent.get("name") or eid))
        by_side = " ".join(f"{sides.badge(s)}{n}" for s, n in info["sides"].most_common())
        surf = ", ".join(f"{_e(s)} ({n})" for s, n in info["surfaces"].most_common(8))
        out.append(f"<tr><td>{label}</td><td>{_e(ent.get('kind') or first.get('kind'))}</td>"
                   f"<td>{info['n']}</td><td>{by_side}</td><td>{surf}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _documents(docs: dict[str, Any], side_of: dict[str, str], sides: _Sides) -> str:
    out = ["<h2 id='documents'>Documents</h2><table><tr><th>document</th><th>outlet</th>"
           "<th>side</th><th>published</th><th>comments</th><th>references</th></tr>"]
    for i, d in sorted(docs.items(), key=lambda kv: (kv[1].published or "", kv[0])):
        pub = _e(d.published) + (" (inferred)" if d.published_inferred else "")
        out.append(f"<tr><td>{_link(i, None, None, _e(d.title or d.source))}</td>"
                   f"<td>{_e(d.publisher or 'unknown')}</td><td>{sides.badge(side_of[i])}</td>"
                   f"<td>{pub}</td><td>{len(d.comments)}</td><td>{len(d.references)}</td></tr>")
    out.append("</table>")
    return "".join(out)
