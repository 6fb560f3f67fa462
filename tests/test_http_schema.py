"""The whole OpenAPI spec, fuzzed (schemathesis) against the app on a loaded demo street: no
request a client can send gets a 5xx, and every response — answers, downloads and refusals —
matches what the spec declares for it (status, content type, body). Examples are bounded so
that CI stays short (12 for each operation and way of drawing, a third with ``--fuzz quick``);
ORGNET_SCHEMA_EXAMPLES asks for another number."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks

from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.graph.connection import Database
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import Settings

from .dump import database_with

ASKED = os.environ.get("ORGNET_SCHEMA_EXAMPLES")
_TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def demo(engine: EmbeddedEngine, settings: Settings, scratch: Path) -> Iterator[Database]:
    from orgnet.loaders.generate import generate_scenario, load_scenario

    folder = scratch / "demo"
    if not folder.exists():
        generate_scenario(load_scenario("demo"), folder, seed=1)
    with database_with(settings, folder) as db:
        yield db


@pytest.fixture(scope="module")
def api_schema(
    demo: Database, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> schemathesis.BaseSchema:
    home = tmp_path_factory.mktemp("schema-api")
    # An analyst who may read personal data (so that every answer, clear and audited, is
    # exercised); uploads answer 403 to it, which keeps the demo as loaded.
    _, _TOKEN["analyst"] = Keys(home).create(role="analyst", jurisdiction="all", personal_data=True)
    app = create_app(settings.model_copy(update={"orgnet_api_home": home}))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.mark.fuzz
def test_no_5xx_and_every_response_matches_the_spec(
    api_schema: schemathesis.BaseSchema, examples: Callable[[int], int]
) -> None:
    drawn = int(ASKED) if ASKED else examples(12)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 18  # every question, entities, search, uploads, health
    statuses: list[int] = []
    asked = [(o, mode) for o in operations for mode in schemathesis.GenerationMode]
    for operation, mode in asked:
        if mode is schemathesis.GenerationMode.NEGATIVE and operation.method.upper() == "POST":
            continue  # a body that is not multipart is refused before it is read; it is tested

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=drawn,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def exercise(case: schemathesis.Case) -> None:
            response = case.call_and_validate(
                headers={"X-API-Key": _TOKEN["analyst"]}, checks=CHECKS
            )
            statuses.append(response.status_code)

        try:
            exercise()
        except Unsatisfiable:
            # Nothing to make invalid: an operation without parameters (healthz, readyz).
            assert mode is schemathesis.GenerationMode.NEGATIVE and not operation.query

    assert len(statuses) >= drawn // 3 * len(asked)
    assert {200, 422} <= set(statuses), sorted(set(statuses))
