"""Markdown output of an assessment, for reports, pull requests and wikis."""

from __future__ import annotations

from accord.engine.result import Assessment, Finding
from accord.report.labels import (
    OUTCOME,
    REPORTED,
    REVIEW,
    assumption_numbers,
    control_note,
    findings_summary,
    money,
    when,
)
from accord.report.markdown import cell as _cell
from accord.report.markdown import link
from accord.report.markdown import text as _t


def _table(findings: list[Finding], a: Assessment) -> list[str]:
    lines = ["| Rule | Result | When | Citation |", "|---|---|---|---|"]
    numbers = assumption_numbers(a)
    for f in findings:
        title = _t(f.title)
        if f.needs_review:
            title += f" **({REVIEW})**"
        elif f.confidence == "reported":
            title += f" *({REPORTED})*"
        if not f.binding:
            title += " *(non-binding)*"
        if f.outcome == "possible" and f.unknowns:
            title += f" — depends on {', '.join(f'`{u}`' for u in f.unknowns[:4])}"
        refs = [str(numbers[pid]) for pid in f.assumptions if pid in numbers]
        if refs and f.outcome != "does_not_apply":
            title += f" (assumes {', '.join(refs)})"
        control = control_note(f)
        if control:
            title += f" — {'**' + _t(control) + '**' if f.gap else _t(control)}"
        cite = link(f.citation, f.url)
        lines.append(
            f"| {_cell(title)} | {OUTCOME[f.outcome]} | {when(f, a.as_of)} | {_cell(cite)} |"
        )
    return lines


def render(a: Assessment, show_all: bool = False) -> str:
    out = [
        f"# Assessment: {_t(a.profile_name)}",
        "",
        f"Profile `{_t(a.profile_id)}`, as of {a.as_of}. Accord {a.accord_version}, "
        f"schema {a.schema_version}.",
        "",
        *_verdict(a),
    ]
    skipped = [i for i in a.instruments if i.in_scope == "does_not_apply"]
    for inst in a.instruments:
        if not show_all and (inst in skipped or inst.binds_nothing):
            continue  # summed up in the verdict
        out += [
            f"## {_t(inst.short_title)} ({inst.jurisdiction})",
            "",
            f"{_t(inst.law_version)}. In scope: **{OUTCOME[inst.in_scope]}**."
            + ("" if inst.binding else " Non-binding framework."),
            "",
        ]
        for x in inst.caveats:
            tag = "" if x.confidence == "confirmed" else f" ({x.confidence})"
            out += [f"> **Caution:** {_t(x.text)}{tag}", ""]
        if inst.in_scope == "does_not_apply":
            out += [f"- {_t(line.strip())}" for line in inst.scope_trace] + [""]
            continue
        for title, shown in inst.sections(show_all):
            out += [f"### {title}", "", *_table(shown, a), ""]
        if inst.penalties:
            out += ["### Maximum penalty exposure", "", "| Tier | Maximum | How |", "|---|---|---|"]
            for p in inst.penalties:
                out.append(
                    f"| {_t(p.title)} ({_t(p.citation)}) | "
                    f"{money(p.max_amount, p.currency, p.formula)} | {_t(p.formula)} |"
                )
            out.append("")
    if skipped and not show_all:
        names = ", ".join(f"{_t(i.short_title)} ({i.jurisdiction})" for i in skipped)
        out += [f"Not in scope: {names} (`--all` shows why).", ""]
    if a.assumptions:
        out += [
            "## Assumptions",
            "",
            "Presumed where the profile is silent; answer the named fields if one is wrong.",
            "",
        ]
        for n, x in enumerate(a.assumptions, 1):
            cite = f" ({x.citation})" if x.citation else ""
            rebut = ", ".join(f"`{r}`" for r in x.rebut) or "the facts behind it"
            out.append(
                f"{n}. Assuming {_t(x.assumption)}{_t(cite)}. {_t(x.reason)} "
                f"Answer {rebut}; {len(x.findings)} finding(s) rest on it."
            )
        out.append("")
    elif a.strict:
        out += ["Strict mode: no presumptions taken.", ""]
    if a.open_questions:
        out += ["## Open questions", ""]
        out += [f"- {_t(q.question)} (`{q.field}`)" for q in a.open_questions[:10]]
        out.append("")
    return "\n".join(out)


def _verdict(a: Assessment) -> list[str]:
    """One table row per instrument that binds something; the rest in two lines."""
    lines = [v for v in a.verdict if v.in_scope != "does_not_apply"]
    active = [v for v in lines if not v.settled_nothing_binding]
    idle = [v for v in lines if v.settled_nothing_binding]
    out = ["## Verdict", ""]
    if active:
        out += ["| Jurisdiction | Instrument | Verdict |", "|---|---|---|"]
        out += [
            f"| {v.jurisdiction} | {_cell(_t(v.short_title))} | {_cell(_t(v.text))} |"
            for v in active
        ]
        out.append("")
    else:
        out += ["Nothing binding applies to this system in the selected jurisdictions.", ""]
    if idle:
        names = ", ".join(f"{_t(v.short_title)} ({v.jurisdiction})" for v in idle)
        out += [f"In scope, nothing binding: {names}.", ""]
    findings = findings_summary(a)
    if findings:
        out += [f"**Findings:** {_t(findings)}.", ""]
    return out
