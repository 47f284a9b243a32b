"""SARIF 2.1.0 output, so code-scanning tools (GitHub, GitLab, Azure DevOps) show each
violation as an alert on the profile line that triggers it.

One run; `tool.driver.rules` lists the rules that produced results with their citation, so
an alert links to the law it rests on. `partialFingerprints` depend on the system id and the
rule id only, so an alert keeps its identity across runs while the file is edited around it.
Systems read from the registry have no file: their results carry a logical location
`registry://<database>/<system>@<version>` instead.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from accord.gate.policy import GateResult, Violation
from accord.gate.words import message

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "accordSystemRule/v1"


def render(result: GateResult, *, base: Path, registry: str | None = None) -> dict[str, Any]:
    """The SARIF log as data. File URIs are relative to `base` (the repository root, so code
    scanning can map them) when the file is under it, absolute `file:` URIs otherwise."""
    from accord import __version__

    rules: dict[str, dict[str, Any]] = {}
    results = []
    for v in result.violations:
        f = v.finding
        if f.rule_id not in rules:
            rules[f.rule_id] = _rule(v)
        results.append(_result(v, base, registry))
    index = {rid: i for i, rid in enumerate(rules)}
    for r in results:
        r["ruleIndex"] = index[r["ruleId"]]
    driver: dict[str, Any] = {
        "name": "accord",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": list(rules.values()),
    }
    if (home := information_uri()) is not None:
        driver["informationUri"] = home
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"SRCROOT": {"uri": base.resolve().as_uri() + "/"}},
        "results": results,
        "properties": {
            "asOf": str(result.as_of),
            "policies": [str(p) for p in result.policies],
            "systems": len(result.systems),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def information_uri() -> str | None:
    """The project's home page from the package metadata (`[project.urls]` in
    pyproject.toml); none is invented when it is not declared."""
    from importlib import metadata

    try:
        urls = metadata.metadata("accord").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    found = dict(u.split(", ", 1) for u in urls if ", " in u)
    for label in ("Homepage", "homepage", "Repository", "Source", "Documentation"):
        if label in found:
            return found[label]
    return None


def _rule(v: Violation) -> dict[str, Any]:
    f, inst = v.finding, v.instrument
    rule: dict[str, Any] = {
        "id": f.rule_id,
        "name": _pascal(f.rule_id),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f"{f.summary or f.title} ({f.citation})"},
        "defaultConfiguration": {"level": v.level},
        "properties": {
            "citation": f.citation,
            "instrument": inst.id,
            "instrumentTitle": inst.short_title,
            "jurisdiction": inst.jurisdiction,
            "confidence": f.confidence,
            "kind": f.kind,
            "theme": f.theme,
            "tags": ["compliance", "ai-regulation", inst.jurisdiction, f.kind],
        },
    }
    if f.url:
        rule["helpUri"] = f.url
        rule["help"] = {"text": f"{f.title}. Source: {f.citation}, {f.url}"}
    return rule


def _pascal(rule_id: str) -> str:
    """SARIF's `name` is an identifier-like form of the id: eu-ai-act.art5 -> EuAiActArt5."""
    return "".join(w[:1].upper() + w[1:] for w in rule_id.replace(".", "-").split("-") if w)


def _result(v: Violation, base: Path, registry: str | None) -> dict[str, Any]:
    f, system = v.finding, v.system
    location: dict[str, Any]
    if system.path is not None:
        uri, base_id = _file_uri(system.path, base)
        artifact: dict[str, Any] = {"uri": uri}
        if base_id:
            artifact["uriBaseId"] = base_id
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if v.location is not None:
            line, column, _ = v.location
            physical["region"] = {"startLine": line, "startColumn": column}
        location = {"physicalLocation": physical}
    else:
        location = {}
    logical = {
        "name": v.location[2] if v.location else system.id,
        "fullyQualifiedName": _logical_name(v, registry),
        "kind": "resource",
    }
    location["logicalLocations"] = [logical]
    key = f"{system.id}\0{f.rule_id}"
    return {
        "ruleId": f.rule_id,
        "level": v.level,
        "kind": "fail",
        "message": {"text": message(v)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: hashlib.sha256(key.encode()).hexdigest()},
        "properties": {
            "system": system.id,
            "systemName": system.profile.name,
            "instrument": v.instrument.id,
            "jurisdiction": v.instrument.jurisdiction,
            "policies": [str(p) for p in v.policies],
            "outcome": f.outcome,
            "status": f.status,
            **({"appliesFrom": str(f.applies_from)} if f.applies_from else {}),
            **({"field": v.location[2]} if v.location else {}),
            **({"version": system.version} if system.version is not None else {}),
        },
    }


def _file_uri(path: Path, base: Path) -> tuple[str, str | None]:
    absolute = path.resolve()
    try:
        rel = absolute.relative_to(base.resolve())
    except ValueError:
        return absolute.as_uri(), None
    return quote(rel.as_posix()), "SRCROOT"


def _logical_name(v: Violation, registry: str | None) -> str:
    system = v.system
    if system.path is not None:
        field = v.location[2] if v.location else "id"
        return f"{system.id}.{field}"
    version = f"@{system.version}" if system.version is not None else ""
    return f"registry://{registry_label(registry)}/{quote(system.id)}{version}"


def registry_label(url: str | None) -> str:
    """The database a registry system came from, without driver or credentials:
    `127.0.0.1:5432/test` for PostgreSQL, the file path for SQLite."""
    if not url:
        return "registry"
    scheme, _, rest = url.partition("://")
    if scheme.startswith("sqlite"):
        return quote(rest.lstrip("/") or "memory", safe="/._-~")
    hostpart = rest.rsplit("@", 1)[-1]  # drop user:password@
    return quote(hostpart.split("?", 1)[0], safe="/:._-~")
