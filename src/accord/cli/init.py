"""`accord init`: build a profile by answering only the questions that matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def init_command(
    from_: Path = typer.Option(None, "--from", help="Start from a partial profile."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the profile here."),
    answers: Path = typer.Option(
        None, "--answers", help="Answer from a YAML file {field.path: value} (non-interactive)."
    ),
    as_of: str = typer.Option(None, "--as-of", help="Assess as of this date (YYYY-MM-DD)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Ask the top-ranked open question, re-assess, repeat; then write the profile."""
    import yaml

    STOP = object()

    from accord.cli.console import err
    from accord.cli.options import parse_date
    from accord.errors import InputError, ProfileError
    from accord.profile.fields import profile_fields
    from accord.questionnaire.session import SKIP, Questionnaire
    from accord.rules.loader import load_rules
    from accord.yamlfile import load

    if output and output.exists() and not force:
        raise InputError(f"{output}: already exists; use --force to overwrite")
    draft: dict[str, Any] = {}
    if from_:
        doc = load(from_, "profile", ProfileError)
        if not isinstance(doc.data, dict):
            raise ProfileError(f"{from_}: a profile must be a mapping of fields")
        draft = doc.data
    given: dict[str, Any] | None = None
    if answers:
        doc = load(answers, "answers file", InputError)
        if not isinstance(doc.data, dict):
            raise InputError(f"{answers}: expected a mapping of field paths to answers")
        given = {str(k): v for k, v in doc.data.items()}
        unknown = [k for k in given if k not in profile_fields() and k not in ("id", "name")]
        if unknown:
            raise InputError(f"{answers}: unknown fields {', '.join(unknown)}")
        draft.setdefault("id", given.get("id", "my-ai-system"))
        draft.setdefault("name", given.get("name", "My AI system"))
    else:
        if "id" not in draft:
            draft["id"] = typer.prompt("Short id for the system (e.g. cv-screener)")
        if "name" not in draft:
            draft["name"] = typer.prompt("Name of the system")
    q = Questionnaire(draft, load_rules(), parse_date(as_of))
    q.profile()  # validate the starting point before asking anything

    def ask(question) -> Any:
        if given is not None:
            return given.get(question.field, SKIP)
        hint = {
            "bool": " [y/n, Enter = don't know]",
            "choice": " ["
            + " / ".join(f"{i}={c}" for i, c in enumerate(question.choices, 1))
            + "]",
            "choices": f" [comma-separated: {', '.join(question.choices)}; or none]",
            "codes": " [comma-separated codes; or none]",
            "date": " [YYYY-MM-DD]",
        }.get(question.kind, "")
        while True:
            try:
                raw = typer.prompt(f"{question.question}{hint}", default="", show_default=False)
            except (typer.Abort, EOFError):
                return STOP
            if not raw.strip():
                return SKIP
            try:
                from accord.questionnaire.session import coerce

                coerce(profile_fields()[question.field], raw)
                return raw
            except ValueError as exc:
                err.print(f"  not understood: {exc}")

    while True:
        question = q.next_question()
        if question is None:
            break
        raw = ask(question)
        if raw is STOP:  # end of input: keep what was answered
            break
        try:
            q.answer(question, raw)
        except ProfileError as exc:
            if given is not None:
                raise
            err.print(f"  {exc}")
            q.asked.discard(question.field)
    profile = q.profile()
    text = yaml.safe_dump(
        profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        | {"id": profile.id, "name": profile.name},
        sort_keys=False,
        allow_unicode=True,
    )
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(
            f"wrote {output} ({len(q.answered)} answers, {len(q.asked) - len(q.answered)} "
            "left unknown)"
        )
    else:
        print(text, end="")
    _report_assumptions(q)


def _report_assumptions(q: Any) -> None:
    """Say which presumptions the finished profile's answers rest on, and how to rebut them."""
    from accord.cli.console import err
    from accord.engine import assess

    result = assess(q.profile(), q.as_of, ruleset=q.ruleset, explain=False)
    if not result.assumptions:
        return
    err.print(f"{len(result.assumptions)} assumption(s) taken where the profile is silent:")
    for x in result.assumptions:
        fields = ", ".join(x.rebut) or "the facts behind it"
        err.print(f"  - assuming {x.assumption} (answer {fields} if wrong)", markup=False)
