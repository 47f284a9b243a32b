"""JSON Schemas of the public formats, generated from the models (one source of truth)."""

from __future__ import annotations

from typing import Any


def profile_schema() -> dict[str, Any]:
    from accord import vocabulary
    from accord.profile.model import MAX_LIST_ITEMS, Profile

    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Accord AI-system profile"
    props = schema["properties"]
    props["uses"]["anyOf"][0]["items"] = {"enum": list(vocabulary.use_cases())}
    codes = list(vocabulary.jurisdictions()) + list(vocabulary.jurisdiction_aliases())
    props["markets"]["anyOf"][0]["items"] = {"enum": codes}
    org = schema["$defs"]["Organisation"]["properties"]["established_in"]
    org["anyOf"][0] = {"type": "string", "enum": codes}
    schema["$defs"]["Control"]["properties"]["id"]["enum"] = list(vocabulary.controls())
    _cap_lists(schema, MAX_LIST_ITEMS)
    return schema


def _cap_lists(node: Any, cap: int) -> None:
    """Every array in the schema gets the profile's list cap as `maxItems`."""
    if isinstance(node, dict):
        if node.get("type") == "array":
            node.setdefault("maxItems", cap)
        for value in node.values():
            _cap_lists(value, cap)
    elif isinstance(node, list):
        for value in node:
            _cap_lists(value, cap)


def assessment_schema() -> dict[str, Any]:
    from accord.engine.result import SCHEMA_VERSION, Assessment

    schema = Assessment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Accord assessment, schema version {SCHEMA_VERSION}"
    return schema
