"""Compare analysed workspaces side by side (docs/evaluation.md, "Profile draft").

Usage: python scripts/compare_runs.py LABEL=DB [LABEL=DB ...]

For each workspace: the side of every document, stories told by two or more known
sides, contradictions (and how many across two known sides), framing rows by kind,
and entities: how many, and which of the first workspace's entity names the others
miss or add (a leaked name is one from a profile the corpus does not belong to).
"""

from __future__ import annotations

import sys
from collections import Counter

from rashomon.store import Store


def summary(db: str) -> dict:
    with Store(db) as s:
        stories = s.records("stories")
        contras = s.records("contradictions")
        framing = s.records("framing")
        ents = s.records("entities")
        mentions = s.records("mentions")
    used = {m["entity_id"] for m in mentions}
    both = [st for st in stories if len([x for x in st.get("sides", []) if x != "unknown"]) >= 2]
    across = [c for c in contras if (c["a"].get("side") or "unknown") != "unknown"
              and (c["b"].get("side") or "unknown") != "unknown"
              and c["a"].get("side") != c["b"].get("side")]
    sides = Counter(side for st in stories for side in st.get("sides", []))
    return {"stories": len(stories), "stories_both_camps": len(both),
            "contradictions": len(contras), "contradictions_across_sides": len(across),
            "framing": dict(Counter(r["kind"] for r in framing)),
            "sides_in_stories": dict(sides),
            "entity_names": {e["name"] for e in ents if e["id"] in used},
            "profile_entities": len([e for e in ents if e.get("origin") == "profile"
                                     and e["id"] in used])}


def main() -> None:
    runs = [a.split("=", 1) for a in sys.argv[1:]]
    res = {label: summary(db) for label, db in runs}
    first = runs[0][0]
    base = res[first]["entity_names"]
    for label, r in res.items():
        names = r.pop("entity_names")
        print(f"{label}: {r}")
        if label != first:
            print(f"  entity names only in {first}: {len(base - names)}, e.g. "
                  f"{sorted(base - names)[:12]}")
            print(f"  entity names only in {label}: {len(names - base)}, e.g. "
                  f"{sorted(names - base)[:12]}")


if __name__ == "__main__":
    main()
