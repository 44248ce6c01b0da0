"""ClaimReview JSON-LD (schema.org) for reviewed contradictions and the claims they stand on.

Fact-checking tools (Google Fact Check Tools, ClaimBuster, the Duke Reporters'
Lab feed) read ``ClaimReview``: one review of one claim, with the claim's
author (who said it) and appearance (where it was published), a rating with a
human-readable ``alternateName``, and the reviewing organisation as
``author``.  A contradiction that an analyst reviewed covers two claims, so it
gives one ClaimReview per claim; each names the other claim's outlet in its
explanation.  Unreviewed contradictions (status ``new``) are not exported:
a ClaimReview is a human judgement, not a detector's guess.

Ratings are worded neutrally (the claim is disputed by another account, or the
analyst found no contradiction); nothing here says which side is right.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from rashomon.store import Store

ENV_REVIEWER = "RASHOMON_REVIEWER"
ENV_REVIEWER_URL = "RASHOMON_REVIEWER_URL"
PERSON_KINDS = {"person"}
RATINGS = {
    "confirmed": "Disputed by another account",
    "rejected": "No contradiction found",
}


class ReviewerMissing(ValueError):
    """ClaimReview needs the reviewing organisation (``--reviewer`` or $RASHOMON_REVIEWER)."""


def _speaker(side: dict[str, Any], entities: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ent = entities.get(side.get("speaker_entity") or "")
    name = side.get("speaker") or (ent or {}).get("name")
    if not name:  # no named speaker: the outlet speaks in its own voice
        return {"@type": "Organization", "name": side.get("outlet") or "unknown outlet"}
    kind = "Person" if (ent or {}).get("kind", "person") in PERSON_KINDS else "Organization"
    return {"@type": kind, "name": name}


def _appearance(doc: dict[str, Any] | None, side: dict[str, Any]) -> dict[str, Any]:
    doc = doc or {}
    out: dict[str, Any] = {"@type": "CreativeWork"}
    if doc.get("url"):
        out["url"] = doc["url"]
    if doc.get("title"):
        out["headline"] = doc["title"]
    if doc.get("published"):
        out["datePublished"] = doc["published"]
    outlet = side.get("outlet") or doc.get("publisher")
    if outlet:
        out["publisher"] = {"@type": "Organization", "name": outlet}
    return out


def claim_reviews(store: Store, reviewer: str, reviewer_url: str | None = None
                  ) -> list[dict[str, Any]]:
    """One ClaimReview per claim of each reviewed contradiction, oldest review first."""
    if not reviewer:
        raise ReviewerMissing("claimreview: set the reviewing organisation with --reviewer "
                              f"or ${ENV_REVIEWER}")
    if "contradictions" not in store.corpus_tables:
        return []
    reviews = store.latest_reviews()
    docs = store.doc_meta()
    entities = {e["id"]: e for e in store.records("entities")}
    author: dict[str, Any] = {"@type": "Organization", "name": reviewer}
    if reviewer_url:
        author["url"] = reviewer_url
    out = []
    for rec in store.records("contradictions"):
        review = reviews.get(rec["id"])
        if review is None or review["status"] not in RATINGS:
            continue
        for mine, other in (("a", "b"), ("b", "a")):
            side, opp = rec.get(mine) or {}, rec.get(other) or {}
            doc = docs.get(side.get("doc_id") or "")
            item: dict[str, Any] = {"@type": "Claim", "author": _speaker(side, entities),
                                    "appearance": _appearance(doc, side)}
            if doc and doc.get("published"):
                item["datePublished"] = doc["published"]
            why = (rec.get("attrs") or {}).get("reason") or rec.get("kind")
            other_source = opp.get("outlet") or opp.get("speaker") or "another source"
            explanation = (f"{RATINGS[review['status']]}: {other_source} reports "
                           f"\u201c{opp.get('text', '').strip()}\u201d ({why}).")
            cr: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "identifier": f"{rec['id']}:{mine}",
                "datePublished": str(review["at"])[:10],
                "author": author,
                "claimReviewed": (side.get("text") or "").strip(),
                "itemReviewed": item,
                "reviewRating": {"@type": "Rating", "alternateName": RATINGS[review["status"]],
                                 "ratingExplanation": explanation},
            }
            if review.get("note"):
                cr["reviewBody"] = review["note"]
            out.append(cr)
    return out


def export_claimreview(store: Store, out_dir: Path, reviewer: str | None = None,
                       reviewer_url: str | None = None) -> list[Path]:
    """``claimreview.jsonld``: a JSON-LD array of ClaimReview objects.

    The reviewer defaults to ``$RASHOMON_REVIEWER`` (and its URL to
    ``$RASHOMON_REVIEWER_URL``); without one, :class:`ReviewerMissing`.
    """
    reviewer = reviewer or os.environ.get(ENV_REVIEWER)
    reviewer_url = reviewer_url or os.environ.get(ENV_REVIEWER_URL)
    items = claim_reviews(store, reviewer or "", reviewer_url)
    path = Path(out_dir) / "claimreview.jsonld"
    tmp = path.with_suffix(".jsonld.tmp")
    tmp.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return [path]
