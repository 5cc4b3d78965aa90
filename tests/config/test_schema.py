"""The OpenAPI schema: served, with interactive docs, every error status declared."""

import re

import pytest
import yaml
from drf_spectacular.drainage import GENERATOR_STATS

UNSAFE = {"post", "patch", "put", "delete"}
THROTTLED = {
    "/api/reviews/{id}/vote/",
    "/api/reviews/{id}/close/",
    "/api/conditions/{id}/resolve/",
    "/api/rebaseline-requests/{id}/decide/",
}


@pytest.fixture
def schema(db, client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in UNSAFE | {"get"}:
                yield path, method, operation


def test_the_schema_generates_without_a_warning_or_an_error(db, client):
    """As `manage.py spectacular --validate --fail-on-warn` would: an enum name collision, a
    field whose type cannot be inferred or a view without a serializer fails here."""
    GENERATOR_STATS.reset()
    assert client.get("/api/schema/").status_code == 200
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)


def test_the_docs_page_is_served(db, client):
    assert client.get("/api/docs/").status_code == 200


def test_the_docs_page_loads_nothing_from_another_host(db, client):
    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r'url: "([^"]+)"', html)

    assert "swagger-ui" in html
    assert assets
    assert not [a for a in assets if a.startswith(("http://", "https://", "//"))], assets


def test_every_operation_declares_its_errors_in_the_one_format(schema):
    for path, method, operation in operations(schema):
        declared = set(operation["responses"])
        expected = {"400", "404", "503"}
        if operation.get("security") != [{}] and path != "/api/auth/token/":
            expected |= {"401", "403"}
        if method in UNSAFE:
            expected |= {"409", "415"}
        if path in THROTTLED:
            expected.add("429")
        assert expected <= declared, (method, path, declared)
        error = operation["responses"]["404"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/Error"}, (method, path)


def test_the_state_is_read_only_in_every_request_body(schema):
    for name, component in schema["components"]["schemas"].items():
        if name.endswith("Request") and "UseCase" in name:
            assert "state" not in component.get("properties", {}), name


def test_main_operations_carry_examples(schema):
    for path, method in [
        ("/api/use-cases/", "post"),
        ("/api/use-cases/{id}/submit/", "post"),
        ("/api/reviews/{id}/vote/", "post"),
        ("/api/reviews/{id}/close/", "post"),
        ("/api/readings/", "post"),
    ]:
        operation = schema["paths"][path][method]
        bodies = [
            *operation.get("requestBody", {}).get("content", {}).values(),
            *(
                content
                for response in operation["responses"].values()
                for content in response.get("content", {}).values()
            ),
        ]
        assert any("examples" in body for body in bodies), (method, path)


def test_rebaselining_documents_its_kinds_with_examples(schema):
    component = schema["components"]["schemas"]["RebaselineInputRequest"]
    create = schema["paths"]["/api/rebaseline-requests/"]["post"]
    examples = create["requestBody"]["content"]["application/json"]["examples"]

    assert {"kind", "use_case", "metric"} <= set(component["properties"])
    assert schema["components"]["schemas"]["RebaselineKindEnum"]["enum"] == [
        "change",
        "add",
        "retire",
    ]
    assert {example["value"].get("kind", "change") for example in examples.values()} == {
        "change",
        "add",
        "retire",
    }
