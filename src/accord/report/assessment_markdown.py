"""Markdown output of an assessment, for reports, pull requests and wikis."""

from __future__ import annotations

from accord.engine.result import Assessment, Finding
from accord.report.labels import OUTCOME, REPORTED, REVIEW, assumption_numbers, money, when
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
    ]
    for inst in a.instruments:
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
        if inst.binds_nothing and not show_all:
            out += ["No classification, prohibition or duty in it applies to this system.", ""]
            continue
        for title, shown in inst.sections(show_all):
            out += [f"### {title}", "", *_table(shown, a), ""]
        if inst.penalties:
            out += ["### Maximum penalty exposure", "", "| Tier | Maximum | How |", "|---|---|---|"]
            for p in inst.penalties:
                out.append(
                    f"| {_t(p.title)} ({_t(p.citation)}) | "
                    f"{money(p.max_amount, p.currency)} | {_t(p.formula)} |"
                )
            out.append("")
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
