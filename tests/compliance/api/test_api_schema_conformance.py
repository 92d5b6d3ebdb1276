"""The API matches its schema: schemathesis with all its checks, stateless and stateful,
against a live server.

``st run`` (the schemathesis command line) drives a live test server with a provider author's
token and that author's contract reference as the path's ``reference``; every check runs,
response schema conformance included, in the examples, coverage, fuzzing and stateful phases.
The in-process fuzzing in test_api_schemathesis.py and test_api_stateful.py goes further on
server errors and tenancy; this run is about the answers matching what the schema promises.
Bounded (examples per operation, a time budget) to stay around a minute.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from compliance import services
from tests.compliance.event_fixtures import with_terms

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
MAX_SECONDS = int(os.environ.get("SCHEMATHESIS_SECONDS", "45"))


def test_every_operation_matches_the_schema_with_all_checks(live_server, tenants, tmp_path):
    with_terms(tenants)
    _, secret = services.api_token_create(user=tenants.provider_author, name="schemathesis")
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        f'headers = {{ Authorization = "Token {secret}" }}\n'
        f"[parameters]\n"
        f'"path.reference" = "{tenants.contract.reference}"\n'
    )
    # The schema, fetched once with room for a slow machine, from the live server as served.
    schema = requests.get(
        live_server.url + "/api/schema/?format=json",
        headers={"Authorization": f"Token {secret}"},
        timeout=120,
    )
    assert schema.status_code == 200
    schema_file = tmp_path / "schema.json"
    schema_file.write_bytes(schema.content)
    st = Path(sys.executable).with_name("st")
    command = [
        str(st),
        "--config-file",
        str(config),
        "run",
        str(schema_file),
        "--url",
        live_server.url,
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(MAX_SECONDS),
        "--seed",
        "1",
        "--workers",
        "1",
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "30",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=MAX_SECONDS + 120, cwd=tmp_path)
    print(run.stdout[-20000:], run.stderr[-3000:])
    assert run.returncode == 0, run.stdout[-6000:]
