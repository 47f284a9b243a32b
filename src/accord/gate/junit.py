"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One <testsuite> per system and one <testcase> per law that reaches it, so a CI dashboard reads
"cv-screener: EU AI Act passed, NYC LL144 failed" and tracks each pair over time. A failing
case lists every violation with its rule ids and policies.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from accord.gate.policy import GateResult, SystemResult
from accord.gate.words import message


def render(result: GateResult) -> str:
    """The report as XML text (UTF-8 declaration included)."""
    root = ET.Element("testsuites", name="accord check")
    total = failed = 0
    stamp = dt.datetime.combine(result.as_of, dt.time()).isoformat()
    for sr in result.systems:
        suite = _suite(sr, stamp)
        total += int(suite.get("tests", "0"))
        failed += int(suite.get("failures", "0"))
        root.append(suite)
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _suite(sr: SystemResult, stamp: str) -> ET.Element:
    system = sr.system
    suite = ET.Element("testsuite", name=system.id, timestamp=stamp)
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("system.name", system.profile.name),
        ("source", system.label),
        ("as_of", str(sr.assessment.as_of)),
    ):
        ET.SubElement(props, "property", name=name, value=value)
    cases = failures = 0
    for inst in sr.in_scope():
        mine = [v for v in sr.violations if v.instrument.id == inst.id]
        case = ET.SubElement(
            suite,
            "testcase",
            name=f"{inst.short_title} [{inst.jurisdiction}]",
            classname=f"{system.id}.{inst.id}",
            time="0",
        )
        if system.path is not None:
            case.set("file", str(system.path))
            lines = [v.location[0] for v in mine if v.location]
            if lines:
                case.set("line", str(min(lines)))
        cases += 1
        if mine:
            failures += 1
            policies = sorted({p for v in mine for p in v.policies}, key=lambda p: p.rank)
            rules = ", ".join(v.finding.rule_id for v in mine)
            failure = ET.SubElement(
                case,
                "failure",
                message=f"fails {', '.join(str(p) for p in policies)}: {rules}",
                type=",".join(str(p) for p in policies),
            )
            failure.text = "\n".join(
                f"[{v.finding.rule_id}] {message(v)}"
                + (f" ({system.label}:{v.location[0]})" if v.location else "")
                for v in mine
            )
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    suite.set("time", "0")
    return suite
