"""JSON Schemas of the public formats, generated from the models (one source of truth)."""

from __future__ import annotations

from typing import Any


def profile_schema() -> dict[str, Any]:
    from accord import vocabulary
    from accord.profile.model import Profile

    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Accord AI-system profile"
    props = schema["properties"]
    props["uses"]["anyOf"][0]["items"] = {"enum": list(vocabulary.use_cases())}
    codes = list(vocabulary.jurisdictions()) + list(vocabulary.jurisdiction_aliases())
    props["markets"]["anyOf"][0]["items"] = {"enum": codes}
    return schema


def assessment_schema() -> dict[str, Any]:
    from accord.engine.result import SCHEMA_VERSION, Assessment

    schema = Assessment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Accord assessment, schema version {SCHEMA_VERSION}"
    return schema
