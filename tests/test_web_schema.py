"""Property-based tests of the REST API from its own OpenAPI schema (schemathesis, in process).

Schemathesis reads /openapi.json from the ASGI app and, for every API operation, sends
generated requests (valid and invalid parameters, odd strings, boundaries) to an app over a
small database filled by the real pipeline. No answer may be a server error (5xx).

The same check against a live server, with the full schemathesis CLI and more examples:
``python bench/web_schema_check.py``.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck  # noqa: E402  (hypothesis comes with it)
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 30
ARTICLE = """title: Brazil offers talks
outlet: Test Wire
published: 2023-03-06

Brazil proposed peace talks between Russia and Ukraine on March 3, 2023.

Ukraine rejected the Brazilian offer on March 5, 2023.
"""
ARTICLE_2 = """title: Norway offers to host talks
outlet: Nordic Wire
published: 2023-05-10

Norway proposed talks between Colombia and the ELN rebels in Oslo on May 8, 2023.

Colombia rejected the Norwegian proposal on May 10, 2023.
"""

CALLS: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Iterator[Any]:
    from detente.ingest import ingest
    from detente.store import open_store
    from detente.web import create_app

    root = tmp_path_factory.mktemp("schema")
    for name, text in (("a.txt", ARTICLE), ("b.txt", ARTICLE_2)):
        (root / name).write_text(text, encoding="utf-8")
    db = root / "schema.db"
    store = open_store(db)
    try:
        report = ingest([str(root / "a.txt"), str(root / "b.txt")], store, settings)
        assert report.ok and len(report.stored) == 2, report
        assert store.count_episodes() >= 1 and store.count_events() >= 2
    finally:
        store.close()
    app = create_app(Path(db), allowed_hosts=("testserver",))  # the test client's host
    with warnings.catch_warnings():  # starlette's test client asks for httpx2
        warnings.simplefilter("ignore")
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                     suppress_health_check=list(HealthCheck))
def test_no_api_operation_answers_a_server_error(case: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = case.call()
    CALLS[case.operation.label] += 1
    STATUSES[response.status_code] += 1
    case.validate_response(response, checks=[not_a_server_error])


def test_every_operation_was_exercised(request: pytest.FixtureRequest) -> None:
    """Runs after the generated tests (same module): each of the API's operations got
    cases, and none answered 5xx."""
    if not CALLS:
        pytest.skip("the generated tests were deselected")
    expected = {"GET /api/episodes", "GET /api/episodes/{episode_id}", "GET /api/documents",
                "GET /api/documents/{doc_id}", "GET /api/events", "GET /api/claims",
                "GET /api/disagreements", "GET /api/jobs/{job_id}", "GET /api/search",
                "POST /api/ingest", "GET /api/episodes/{episode_id}/cite",
                "GET /api/events/{event_id}", "GET /api/claims/{claim_id}",
                "GET /api/charts/{name}"}
    assert set(CALLS) == expected, CALLS
    assert all(n >= 5 for n in CALLS.values()), CALLS
    assert not any(status >= 500 for status in STATUSES), STATUSES
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"schemathesis: {sum(CALLS.values())} cases over {len(CALLS)} "
                            f"operations; statuses {dict(sorted(STATUSES.items()))}")
