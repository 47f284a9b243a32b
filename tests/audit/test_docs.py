"""docs/audit.md must describe every field of the result and every CLI option (no drift)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from accord.audit import result as r
from accord.audit.result import SCHEMA_VERSION, AuditResult

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"
MODELS: list[type[BaseModel]] = [
    r.AuditResult,
    r.SourceInfo,
    r.LL144Section,
    r.RateTable,
    r.RateRow,
    r.UnknownCount,
    r.PublicSummary,
    r.PublicSummaryRow,
    r.EEOCSection,
    r.FourFifthsRow,
    r.Significance,
    r.FairnessTable,
    r.GroupMetrics,
]


def test_every_result_field_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"{model.__name__}.{name}"
        for model in MODELS
        for name in model.model_fields
        if f"`{name}`" not in text
    ]
    assert not missing, f"document these fields in docs/audit.md: {missing}"


def test_schema_version_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"version {SCHEMA_VERSION}" in text
    assert AuditResult.model_fields["schema_version"].default == SCHEMA_VERSION


def test_every_cli_option_is_documented() -> None:
    import typer.main

    from accord.cli.audit import app

    # A Typer app with one command is that command (it becomes a group under `accord audit`).
    bias = typer.main.get_command(app)
    assert bias.name == "bias"
    text = DOC.read_text(encoding="utf-8")
    options = [
        o
        for p in bias.params
        for o in p.opts
        if o.startswith("--") and not o.endswith("-completion")
    ]
    undocumented = [o for o in options if not re.search(re.escape(o) + r"\b", text)]
    assert not undocumented, f"document these options in docs/audit.md: {undocumented}"
