"""JSON output of an assessment, following the versioned schema in accord.engine.result.

By default only what concerns the system is listed: findings that apply or may apply, with
their traces. `show_all` adds the rules that do not apply (their traces only with `verbose`
too), so the default document stays small enough to read and diff.
"""

from __future__ import annotations

from accord.engine.result import Assessment, Finding


def render(assessment: Assessment, show_all: bool = False, verbose: bool = False) -> str:
    return listed(assessment, show_all, verbose).model_dump_json(indent=2)


def listed(a: Assessment, show_all: bool = False, verbose: bool = False) -> Assessment:
    """A copy of `a` holding what the chosen listing shows (`listing` says which)."""

    def keep(fs: list[Finding]) -> list[Finding]:
        out = []
        for f in fs:
            if f.outcome != "does_not_apply":
                out.append(f)
            elif show_all:
                out.append(f if verbose else f.model_copy(update={"trace": []}))
        return out

    instruments = []
    for inst in a.instruments:
        update: dict = {
            "classifications": keep(inst.classifications),
            "prohibitions": keep(inst.prohibitions),
            "obligations": keep(inst.obligations),
        }
        if inst.in_scope == "does_not_apply" and not (show_all and verbose):
            update["scope_trace"] = []
        instruments.append(inst.model_copy(update=update))
    listing = "all" if show_all else "relevant"
    return a.model_copy(update={"instruments": instruments, "listing": listing})
