"""`accord init`: build a profile by answering only the questions that matter."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer


def init_command(
    from_: Path = typer.Option(None, "--from", help="Start from a partial profile."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the profile here."),
    answers: Path = typer.Option(
        None,
        "--answers",
        help="Answer from a YAML file {field.path: value} (non-interactive). Every answer is "
        "checked and kept, asked about or not.",
    ),
    as_of: str = typer.Option(None, "--as-of", help="Assess as of this date (YYYY-MM-DD)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Ask the top-ranked open question, re-assess, repeat; then write the profile.

    Questions go to stderr, so the profile alone reaches stdout when there is no --output.
    An empty answer means "don't know"; end of input (Ctrl-D) stops and keeps what was
    answered; Ctrl-C stops and writes nothing. The output file is checked before the first
    question and written atomically at the end.
    """
    from accord.cli.options import parse_date
    from accord.errors import InputError, ProfileError
    from accord.files import check_writable, write_atomic
    from accord.profile.loader import profile_from_dict
    from accord.questionnaire.session import Questionnaire
    from accord.rules.loader import load_rules
    from accord.yamlfile import load

    date = parse_date(as_of)
    inputs = [p for p in (from_, answers) if p]
    if output:
        check_writable(output, force=force, inputs=inputs, what="profile")
    draft: dict[str, Any] = {}
    if from_:
        doc = load(from_, "profile", ProfileError)
        if not isinstance(doc.data, dict):
            raise ProfileError(f"{from_}: a profile must be a mapping of fields")
        draft = doc.data
    given: dict[str, Any] | None = _read_answers(answers, draft) if answers else None
    if given is None:
        for key, question in (
            ("id", "Short id for the system (e.g. cv-screener)"),
            ("name", "Name of the system"),
        ):
            while key not in draft:
                raw = _prompt(question)
                if raw is None:
                    raise InputError(
                        f"input ended before the system's {key} was given; nothing was written"
                    )
                if raw.strip():
                    draft[key] = raw.strip()
    sources = " with ".join(str(p) for p in inputs) or "the answers"
    profile_from_dict(draft, source=sources)  # check the starting point before any question
    q = Questionnaire(draft, load_rules(), date)
    if given is None:
        _interview(q)
    else:
        while (question := q.next_question()) is not None:  # count what stays unknown
            q.asked.add(question.field)
    profile = q.profile()
    text = _to_yaml(profile)
    answered = len(given) if given is not None else len(q.answered)
    unknown = len(q.asked - set(q.answered) - set(given or {}))
    from accord.cli.console import err

    if output:
        write_atomic(output, text)
        err.print(f"wrote {output} ({answered} answers, {unknown} left unknown)", markup=False)
    else:
        sys.stdout.write(text)
    _report_assumptions(q)


def _read_answers(path: Path, draft: dict[str, Any]) -> dict[str, Any]:
    """Every answer in the file, checked and applied to `draft` before any question, so none
    is silently dropped and an invalid one is reported with the file's name."""
    from accord.choices import check_names
    from accord.errors import InputError, ProfileError
    from accord.profile.fields import profile_fields
    from accord.questionnaire.session import coerce, set_path
    from accord.yamlfile import load

    doc = load(path, "answers file", InputError)
    if not isinstance(doc.data, dict):
        raise InputError(f"{path}: expected a mapping of field paths to answers")
    given = {str(k): v for k, v in doc.data.items()}
    fields = profile_fields()
    for key in given:
        if key not in fields and key not in ("id", "name"):
            full = [f for f in fields if f.endswith("." + key)]
            if len(full) == 1:
                raise InputError(f"{path}: unknown field {key!r}; did you mean {full[0]!r}?")
    try:
        check_names(given, [*fields, "id", "name"], "field", "accord schema profile")
    except InputError as exc:
        raise InputError(f"{path}: {exc.message}") from None
    for key, raw in given.items():
        if key in ("id", "name"):
            draft[key] = raw
            continue
        if raw is None:
            continue  # "don't know"
        try:
            value = coerce(fields[key], raw)
        except ValueError as exc:
            where = doc.location((key,))
            raise ProfileError(f"{where}: {key}: {exc}") from None
        set_path(draft, key, value)
    draft.setdefault("id", "my-ai-system")
    draft.setdefault("name", "My AI system")
    return given


def _interview(q: Any) -> None:
    """Ask until no open question is left or input ends; invalid answers are asked again."""
    from accord.cli.console import err
    from accord.errors import ProfileError
    from accord.profile.fields import profile_fields
    from accord.questionnaire.session import SKIP, coerce

    while (question := q.next_question()) is not None:
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
            raw = _prompt(f"{question.question}{hint}")
            if raw is None:  # end of input: keep what was answered
                return
            if not raw.strip():
                answer: Any = SKIP
                break
            try:
                coerce(profile_fields()[question.field], raw)
            except ValueError as exc:
                err.print(f"  not understood: {exc}", markup=False)
                continue
            answer = raw
            break
        try:
            q.answer(question, answer)
        except ProfileError as exc:
            err.print(f"  {exc}", markup=False)
            q.asked.discard(question.field)


def _prompt(text: str) -> str | None:
    """One line from stdin after a prompt on stderr; None at end of input. Ctrl-C is not
    caught here: it ends the command (exit 130) before anything is written."""
    from accord.cli.console import err

    err.print(f"{text}: ", end="", markup=False)
    line = sys.stdin.readline()
    if not line:
        err.print()
        return None
    return line.rstrip("\n")


def _to_yaml(profile: Any) -> str:
    import yaml

    return yaml.safe_dump(
        profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        | {"id": profile.id, "name": profile.name},
        sort_keys=False,
        allow_unicode=True,
    )


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
