"""JSON output of an assessment, following the versioned schema in accord.engine.result."""

from __future__ import annotations

from accord.engine.result import Assessment


def render(assessment: Assessment) -> str:
    return assessment.model_dump_json(indent=2)
