"""Text and JSON output of the gate.

Text: one line per violation, `file:line` first so editors and CI logs link to it, grouped by
system, then a summary with the count per policy. JSON: a versioned document for scripts.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.text import Text

from accord.gate.policy import DESCRIPTIONS, GateResult, Violation
from accord.gate.words import message

SCHEMA_VERSION = "1.0"
"""Of the `accord check -f json` document: bumped in the major part when a field is removed or
changes meaning, in the minor part when one is added."""

_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}


def where(v: Violation) -> str:
    """`file:line:column` for a file (editors and CI logs link it), `id@version` for a
    registry system."""
    if v.system.path is not None and v.location is not None:
        return f"{v.system.path}:{v.location[0]}:{v.location[1]}"
    return v.system.label


def render_text(result: GateResult, console: Console) -> str | None:
    """Styled on a terminal; plain text otherwise (a CI log or `-o`), returned for the
    caller to write, since styling tens of thousands of lines would dominate a large run."""
    lines: list[list[tuple[str, str]]] = []
    for sr in result.systems:
        if not sr.violations:
            continue
        lines.append(
            [(f"{sr.system.profile.name} ({sr.system.id})", "bold"), (f"  {sr.system.label}", "")]
        )
        for v in sr.violations:
            lines.append(
                [
                    ("  ", ""),
                    (v.level, _STYLE[v.level]),
                    (f" {where(v)}", ""),
                    (f" [{v.finding.rule_id}]", "dim"),
                    (f" {message(v)}", ""),
                ]
            )
    failing = sum(1 for s in result.systems if s.violations)
    counts = ", ".join(f"{name} {n}" for name, n in result.counts().items())
    lines.append(
        [
            ("FAIL" if failing else "ok", "bold red" if failing else "bold green"),
            (
                f": {failing} of {len(result.systems)} system(s) fail; "
                f"{len(result.violations)} violation(s) as of {result.as_of} ({counts})",
                "",
            ),
        ]
    )
    if not console.is_terminal:
        from accord.report.printable import printable

        return printable("\n".join("".join(text for text, _ in line) for line in lines))
    for line in lines:  # one line per violation, however long: never wrapped
        console.print(Text.assemble(*line), soft_wrap=True)
    return None


def to_data(result: GateResult) -> dict[str, Any]:
    from accord import __version__

    systems = []
    for sr in result.systems:
        systems.append(
            {
                "id": sr.system.id,
                "name": sr.system.profile.name,
                "source": str(sr.system.path) if sr.system.path else None,
                "version": sr.system.version,
                "passed": not sr.violations,
                "instruments_in_scope": [i.id for i in sr.in_scope()],
                "violations": [_violation(v) for v in sr.violations],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "accord_version": __version__,
        "as_of": str(result.as_of),
        "policies": [{"policy": str(p), "means": DESCRIPTIONS[p.name]} for p in result.policies],
        "passed": result.passed,
        "summary": {
            "systems": len(result.systems),
            "systems_failing": sum(1 for s in result.systems if s.violations),
            "violations": len(result.violations),
            "by_policy": result.counts(),
        },
        "systems": systems,
    }


def render_json(result: GateResult) -> str:
    return json.dumps(to_data(result), indent=2)


def _violation(v: Violation) -> dict[str, Any]:
    f = v.finding
    return {
        "rule_id": f.rule_id,
        "kind": f.kind,
        "title": f.title,
        "instrument": v.instrument.id,
        "jurisdiction": v.instrument.jurisdiction,
        "outcome": f.outcome,
        "status": f.status,
        "applies_from": str(f.applies_from) if f.applies_from else None,
        "citation": f.citation,
        "url": f.url,
        "confidence": f.confidence,
        "policies": [str(p) for p in v.policies],
        "level": v.level,
        "message": message(v),
        "location": (
            {
                "path": str(v.system.path),
                "line": v.location[0],
                "column": v.location[1],
                "field": v.location[2],
            }
            if v.location and v.system.path
            else None
        ),
    }
