"""PLOVER evaluation harness: split, scoring and a limited run on the gold file."""

from __future__ import annotations

import json

from rashomon.evaluate.events import evaluate_events, split_of


def test_events_eval_split_is_deterministic_and_balanced():
    ids = [f"REC-{i}" for i in range(400)]
    halves = [split_of(i) for i in ids]
    assert halves == [split_of(i) for i in ids]
    assert 150 < halves.count("dev") < 250


def test_events_eval_on_hand_made_file(tmp_path):
    data = [
        {"id": "DOC", "event": "DOCUMENT"},
        {"id": "A1", "event": "FIGHT", "text": "Israeli troops attacked Palestinian militants.",
         "source": [{"actorText": "Israeli troops", "code": "ISR", "sector": "MIL"}],
         "target": [{"actorText": "Palestinian militants", "code": "PSE", "sector": "REB"}]},
        {"id": "A2", "event": "DEMAND", "text": "Egypt urged Sudan to release the prisoners.",
         "source": [{"actorText": "Egypt", "code": "EGY"}],
         "target": [{"actorText": "Sudan", "code": "SDN"}]},
    ]
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    res = evaluate_events(str(path))
    assert res["all"]["n"] == 2
    assert res["all"]["type_accuracy"] == 1.0
    assert res["all"]["source_country"] == 1.0 and res["all"]["target_country"] == 1.0
    assert res["all"]["source_sector"] == 1.0
    assert res["dev"]["n"] + res["test"]["n"] == 2
    # event-level counts: every predicted event beyond the gold one is false
    n_pred = res["all"]["predicted_events"]
    assert n_pred >= 2
    assert res["all"]["event_recall"] == 1.0
    assert res["all"]["event_precision"] == round(2 / n_pred, 3)
    assert res["all"]["false_events_per_100"] == round(100 * (n_pred - 2) / 2, 1)


def test_events_eval_limit_run_on_gold(eval_dir):
    res = evaluate_events(str(eval_dir / "plover" / "PLOVER_GSR_CAMEO.txt"), limit=30)
    assert res["all"]["n"] == 30
    assert 0.0 <= res["all"]["type_accuracy"] <= 1.0
    assert res["all"]["type_accuracy"] > 0.2  # far above chance among 16 types
