"""`docker-compose.yml` is a valid Compose file and keeps the promises of the official Airflow 3 one.

The real stack (images built here, the DAG run through it) is `make compose-test`; these checks are
offline and fast, so every `make test` holds the file to the specification.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]
SCHEMA = PROJECT / "tests" / "data" / "compose-spec" / "compose-spec.json"
AIRFLOW_SERVICES = ("airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker", "airflow-warehouse-worker")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_the_compose_file_follows_the_compose_specification(compose) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_the_specification_check_can_fail(compose) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(compose))
    broken["services"]["redis"]["restart_policy"] = "always"  # not a service property
    broken["services"]["postgres"]["depends_on"] = {"redis": {"condition": "when-it-likes"}}
    assert len(list(jsonschema.Draft7Validator(schema).iter_errors(broken))) >= 2


def test_airflow_containers_run_as_the_host_user_and_wait_for_what_they_need(compose) -> None:
    services = compose["services"]
    for name in AIRFLOW_SERVICES:
        service = services[name]
        depends = service["depends_on"]
        assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert service["user"] == "${AIRFLOW_UID:-50000}:0", name  # can write a host-owned warehouse/
            assert depends["airflow-init"]["condition"] == "service_completed_successfully", name
            assert "healthcheck" in service, name
    for worker in ("airflow-worker", "airflow-warehouse-worker"):
        assert services[worker]["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"
    assert all("healthcheck" in services[name] for name in ("postgres", "redis"))


def test_secrets_come_from_the_environment_and_are_shared(compose) -> None:
    env = compose["services"]["airflow-scheduler"]["environment"]
    for key in ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY"):
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", env[key]), f"{key} must come from .env, without a default"
        assert all(compose["services"][name]["environment"][key] == env[key] for name in AIRFLOW_SERVICES)
    assert "change-me" not in (PROJECT / "docker-compose.yml").read_text()
    example = (PROJECT / ".env.example").read_text()
    for variable in ("POSTGRES_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET", "AIRFLOW_API_SECRET_KEY", "BASE_IMAGE"):
        assert re.search(rf"^{variable}=", example, re.M), variable
    assert ".env" in (PROJECT / ".gitignore").read_text().split()


def test_only_the_warehouse_worker_writes_the_duckdb_file(compose) -> None:
    services = compose["services"]

    def warehouse_mounts(name: str) -> list[str]:
        return [v for v in services[name].get("volumes", []) if v.split(":")[0] == "./warehouse"]

    assert warehouse_mounts("airflow-warehouse-worker") == ["./warehouse:/opt/news/warehouse"]
    assert warehouse_mounts("airflow-apiserver") == ["./warehouse:/opt/news/warehouse:ro"]  # readers
    for name in ("airflow-worker", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"):
        assert warehouse_mounts(name) == [], name
    assert "--queues warehouse" in services["airflow-warehouse-worker"]["command"]
    assert "--queues default" in services["airflow-worker"]["command"]
    ui = services["airflow-apiserver"]["ports"]
    assert ui == ["127.0.0.1:8080:8080"]  # the UI on loopback only


def test_the_build_context_leaves_out_local_state_and_installs_the_lock_as_locked() -> None:
    ignored = (PROJECT / ".dockerignore").read_text().split()
    for path in (".venv", ".git", ".airflow", "warehouse", ".env"):
        assert path in ignored, path
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert re.search(r"^ARG BASE_IMAGE=", dockerfile, re.M)
    assert "uv sync --locked" in dockerfile
    assert "pip install" not in dockerfile.replace('pip install --no-cache-dir "uv==', "")  # nothing re-pinned
