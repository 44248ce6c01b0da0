"""Schemathesis against the live server's /openapi.json: every operation, bounded examples.

The server runs with a token, so generated writes are answered 401 (their
accepted paths are covered by test_api.py); reads get generated filters,
sorts, pages and ids.  Each response must be no server error and must match
the status codes, content types and schemas the OpenAPI document declares.
(The operations are walked here rather than with schemathesis' pytest
plugin, whose lazy fixture loader does not run under this pytest.)
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 6  # per operation: bounded, the whole walk takes seconds


def test_api_matches_its_openapi(server):
    schema = schemathesis.openapi.from_url(server + "/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 30  # list + item per kind, search, geo, reviews, ingest, jobs
    for op in operations:

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(timeout=20)

        check()
