"""The published JSON Schema of each event type's payload, one file per type and version
(``<type>.v<version>.json``, JSON Schema 2020-12), and the OpenAPI 3.1 ``webhooks`` built
from them (a drf-spectacular postprocessing hook, so the served schema documents what a
receiver gets).

A new event type registers itself (core.events) and ships its schema file here;
tests/integrations/test_event_schemas.py fails for a registered type without one.
"""

import json
from functools import cache
from pathlib import Path

from core.events import PAYLOAD_VERSION, event_types

HERE = Path(__file__).parent
HEADERS = (
    ("X-Flywheel-Event", "The event type."),
    ("X-Flywheel-Delivery", "The event's id (the payload's id): de-duplicate on it."),
    ("X-Flywheel-Timestamp", "Unix seconds when this attempt was signed."),
    (
        "X-Flywheel-Signature",
        'sha256=<hex>: HMAC-SHA256 keyed with the endpoint\'s secret over "<timestamp>.<body>".',
    ),
)


def schema_path(event_type: str, version: int = PAYLOAD_VERSION) -> Path:
    return HERE / f"{event_type}.v{version}.json"


@cache
def event_schema(event_type: str, version: int = PAYLOAD_VERSION) -> dict:
    """The JSON Schema of an event type's payload (FileNotFoundError for none)."""
    return json.loads(schema_path(event_type, version).read_text())


def _component_name(event_type: str) -> str:
    return "".join(part.title() for part in event_type.split("_")) + f"EventV{PAYLOAD_VERSION}"


def openapi_webhooks(result, generator, request, public):
    """Add every event type with a schema as an OpenAPI 3.1 webhook (a POST Flywheel sends),
    its payload as a component schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    webhooks = result.setdefault("webhooks", {})
    for event_type in event_types():
        if not schema_path(event_type.code).exists():
            continue
        schema = {
            k: v for k, v in event_schema(event_type.code).items() if k not in {"$schema", "$id"}
        }
        name = _component_name(event_type.code)
        schemas[name] = schema
        webhooks[event_type.code] = {
            "post": {
                "operationId": f"webhook_{event_type.code}",
                "summary": event_type.label,
                "description": schema["description"],
                "tags": ["webhooks"],
                "parameters": [
                    {
                        "name": header,
                        "in": "header",
                        "required": True,
                        "description": text,
                        "schema": {"type": "string"},
                    }
                    for header, text in HEADERS
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                },
                "responses": {
                    "2XX": {
                        "description": "Received. Any other answer is logged; 5xx, 429 and "
                        "no answer are retried with back-off."
                    }
                },
            }
        }
    return result
