"""Published classification examples as an accuracy corpus.

Each case is a real example from public guidance (a Commission guideline, a recital, a
regulator's FAQ, a statute's listed exclusion), its source, a plain-language description, the
profile a user would write from that description alone, and the outcome the source gives.
Scoring a case against the engine says whether Accord gives the answer a lawyer reading the
source would give: definite and right, merely "possible", or wrong.

Third-party rulebook authors can keep their own corpus in the same format and score it with
`python -m accord.rules.corpus DIR`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.errors import RulebookError
from accord.rules.model import Outcome

Verdict = Literal["right", "possible", "wrong"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CorpusSource(_Strict):
    id: str
    title: str
    url: str
    published: dt.date | None = None
    note: str | None = None


class CorpusCase(_Strict):
    id: str
    locator: str = Field(description="Where in the source: section, paragraph, page.")
    url: str | None = Field(None, description="When the case comes from another document.")
    description: str = Field(description="The system in plain words, as its owner would say.")
    outcome_in_source: str = Field(description="What the source concludes, paraphrased.")
    profile: dict[str, Any]
    expect: dict[str, Outcome]
    as_of: dt.date | None = None
    depends_on: str | None = Field(
        None,
        description="For a source that says 'it depends': the profile field it depends on. The "
        "expected outcome is then 'possible' and the field must be among the open facts.",
    )
    confidence: Literal["explicit", "derived"] = "explicit"
    note: str | None = None


class CorpusFile(_Strict):
    source: CorpusSource
    as_of: dt.date = Field(description="Default assessment date for the file's cases.")
    cases: list[CorpusCase]


@dataclass
class CaseScore:
    case: CorpusCase
    source: str
    verdict: Verdict
    got: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)  # presumptions the expected rules rest on
    hidden: dict[str, list[str]] = field(default_factory=dict)  # duties a presumption removed


def load_corpus(paths: Iterable[Path]) -> list[tuple[CorpusFile, Path]]:
    from pydantic import ValidationError

    from accord.profile.loader import validation_problems
    from accord.yamlfile import load

    out = []
    for path in paths:
        doc = load(path, "corpus file", RulebookError)
        try:
            out.append((CorpusFile.model_validate(doc.data), path))
        except ValidationError as exc:
            problems = validation_problems(exc, doc, CorpusFile).problems
            raise RulebookError(f"{path}: invalid corpus file", problems) from None
    return out


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def score_case(case: CorpusCase, source: str, as_of: dt.date, strict: bool = False) -> CaseScore:
    from accord.engine.evaluate import evaluate_all
    from accord.profile.fields import facts
    from accord.profile.loader import profile_from_dict
    from accord.rules.lint import hidden_duties
    from accord.rules.loader import load_rules

    rs = load_rules()
    profile = profile_from_dict({"id": "corpus-case", "name": case.id, **case.profile}, case.id)
    flat = facts(profile)
    date = case.as_of or as_of
    states = evaluate_all(rs, flat, date, strict=strict)
    verdict: Verdict = "right"
    score = CaseScore(case, source, verdict)
    if not strict:
        score.hidden = hidden_duties(
            rs, states, lambda flip: evaluate_all(rs, flat, date, flip=flip)
        )
    for rid, want in case.expect.items():
        if rid not in states:
            raise RulebookError(f"corpus case {case.id}: unknown rule {rid!r}")
        st = states[rid]
        score.got[rid] = st.outcome
        score.assumed = sorted(set(score.assumed) | st.assumed)
        if st.outcome == want:
            if want == "possible" and case.depends_on and case.depends_on not in st.unknowns:
                score.problems.append(
                    f"{rid}: possible, but not because of {case.depends_on} "
                    f"(open: {', '.join(sorted(st.unknowns)) or 'none'})"
                )
                verdict = "wrong"
            continue
        if st.outcome == "possible":
            open_facts = ", ".join(sorted(st.unknowns)) or "none"
            score.problems.append(f"{rid}: possible, expected {want} (open: {open_facts})")
            verdict = "possible" if verdict == "right" else verdict
        else:
            score.problems.append(f"{rid}: {st.outcome}, expected {want}")
            verdict = "wrong"
    score.verdict = verdict
    return score


def score_corpus(folder: Path, strict: bool = False) -> list[CaseScore]:
    scores = []
    for cf, _ in load_corpus(corpus_files(folder)):
        scores += [score_case(c, cf.source.id, cf.as_of, strict) for c in cf.cases]
    return scores


def summary(scores: Sequence[CaseScore]) -> dict[str, Counter]:
    """Verdict counts per source, plus `all`."""
    out: dict[str, Counter] = {"all": Counter()}
    for s in scores:
        out.setdefault(s.source, Counter())[s.verdict] += 1
        out["all"][s.verdict] += 1
    return out


def accuracy_page(folder: Path) -> str:
    """docs/accuracy.md: the corpus figures with and without presumptions, and every miss."""
    scores = score_corpus(folder)
    strict = score_corpus(folder, strict=True)
    files = load_corpus(corpus_files(folder))
    titles = {cf.source.id: (cf.source.title, cf.source.url) for cf, _ in files}
    by_default, by_strict = summary(scores), summary(strict)

    def pct(counts: Counter) -> str:
        n = sum(counts.values())
        return f"{100 * counts['right'] / n:.0f}%" if n else "-"

    lines = [
        "# Accuracy on published examples",
        "",
        "<!-- generated by `make docs` (python -m accord.docs_gen); do not edit -->",
        "",
        "How often Accord gives the answer that official guidance gives, on real published",
        "examples. Each case in `tests/corpus/` names its source and locator, describes the",
        "system in plain words, and carries the profile a user would write from that",
        "description alone: the profiles were written blind, by writers who saw only the",
        "README, the examples, `accord schema profile` and `accord vocab`, never the rulebooks",
        "or the expected outcome. A case is *right* when every expected rule outcome matches",
        "and is definite (or, where the source itself says it depends, is `possible` because",
        "of the fact the source names); *possible* when an expected definite outcome stayed",
        "open; *wrong* when a definite outcome contradicts the source.",
        "",
        "Reproduce with `python -m accord.rules.corpus tests/corpus` (add `--strict` for the",
        "pure three-valued view); `make test` enforces at least 95% right and none wrong.",
        "",
        "| Source | Cases | Right | Possible | Wrong | Right (strict) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for sid in sorted(k for k in by_default if k != "all"):
        c, st = by_default[sid], by_strict[sid]
        title, url = titles[sid]
        lines.append(
            f"| [{title}]({url}) | {sum(c.values())} | {c['right']} ({pct(c)}) | "
            f"{c['possible']} | {c['wrong']} | {st['right']} ({pct(st)}) |"
        )
    c, st = by_default["all"], by_strict["all"]
    lines.append(
        f"| **All** | **{sum(c.values())}** | **{c['right']} ({pct(c)})** | "
        f"**{c['possible']}** | **{c['wrong']}** | **{st['right']} ({pct(st)})** |"
    )
    rests = sum(1 for s in scores if s.assumed)
    depends = [s for s in scores if s.case.depends_on]
    lines += [
        "",
        f"{rests} of {len(scores)} cases reach their answer through at least one stated,",
        "rebuttable presumption (listed in every assessment under *Assumptions*). No",
        "presumption removes a duty or ban on any corpus profile: each is also checked by",
        "taking it the other way.",
        "",
        "## Cases the source says depend on a fact",
        "",
    ]
    lines += [
        f"- `{s.case.id}` ({s.case.locator}): depends on `{s.case.depends_on}`; "
        f"Accord: {s.verdict}."
        for s in depends
    ] or ["None."]
    lines += ["", "## Cases not answered right", ""]
    misses = [s for s in scores if s.verdict != "right"]
    lines += [
        f"- **{s.verdict}** `{s.case.id}` ({s.case.locator}): " + "; ".join(s.problems)
        for s in misses
    ] or ["None."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m accord.rules.corpus DIR [--strict]`: score a corpus, list what is not right."""
    import sys

    args = list(argv if argv is not None else sys.argv[1:])
    strict = "--strict" in args
    folder = Path(next((a for a in args if not a.startswith("--")), "tests/corpus"))
    scores = score_corpus(folder, strict)
    for s in scores:
        if s.verdict != "right":
            print(f"{s.verdict.upper():8} {s.case.id}: " + "; ".join(s.problems))
    for source, counts in summary(scores).items():
        n = sum(counts.values())
        print(
            f"{source:40} {n:4} cases  right {counts['right']:4}  possible "
            f"{counts['possible']:4}  wrong {counts['wrong']:4}  "
            f"({100 * counts['right'] / n:.0f}% right)"
        )
    return 0 if not any(s.verdict == "wrong" for s in scores) else 1


if __name__ == "__main__":
    raise SystemExit(main())
