"""`accord init`: build a profile by answering only the questions that matter."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from accord.errors import InputError

_AMBIGUOUS = re.compile(r"^(?i:y|n|yes|no|on|off|true|false|null|~)$")
"""Text that a YAML 1.1 reader would take for a boolean or null: written quoted."""

MAX_ANSWER_CHARS = 64 * 1024
"""Longest answer line read from stdin; a longer one is refused rather than read whole."""


class Interrupted(InputError):
    """Ctrl-C after the partial profile was saved (--save-partial): exit 130, with a message
    that says what was written."""

    exit_code = 130


def init_command(
    from_: Path = typer.Option(
        None,
        "--from",
        help="Start from a partial profile. Its comments and layout are kept in the output.",
    ),
    output: Path = typer.Option(None, "--output", "-o", help="Write the profile here."),
    answers: Path = typer.Option(
        None,
        "--answers",
        help="Answer from a YAML file {field.path: value} (non-interactive). Every answer is "
        "checked and kept, asked about or not.",
    ),
    as_of: str = typer.Option(None, "--as-of", help="Assess as of this date (YYYY-MM-DD)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
    save_partial: bool = typer.Option(
        False,
        "--save-partial",
        help="If input ends or Ctrl-C stops the questions, still write the answers given so "
        "far (the exit code stays non-zero).",
    ),
) -> None:
    """Ask the most decisive open question, re-assess, repeat; then write the profile.

    Common facts come first, most decisive first; rare facts (banned practices, unusual
    situations) are then asked together in one checklist; last, the organisation's size and
    turnover where a possible fine depends on them. Questions go to stderr, so the profile
    alone reaches stdout when there is no --output. An empty answer means "don't know"; an
    answer that does not fit the question is asked again at a terminal and stops the command
    when answers are piped in. End of input (exit 2) and Ctrl-C (exit 130) write nothing
    unless --save-partial is given. The output file is checked before the first question and
    written atomically at the end.
    """
    from accord.cli.options import parse_date
    from accord.files import check_writable
    from accord.profile.loader import profile_from_dict
    from accord.questionnaire.session import Questionnaire
    from accord.rules.loader import load_rules

    date = parse_date(as_of)
    inputs = [p for p in (from_, answers) if p]
    if output:
        check_writable(output, force=force, inputs=inputs, what="profile")
    run = _Run(output=output)
    draft: dict[str, Any] = {}
    if from_:
        run.source_text, draft = _read_from(from_)
    given: dict[str, Any] | None = None
    if answers:
        given = _read_answers(answers, draft, run.changed)
    if given is None:
        _ask_identity(draft, run)
    sources = " with ".join(str(p) for p in inputs) or "the answers"
    profile_from_dict(draft, source=sources)  # check the starting point before any question
    q = Questionnaire(draft, load_rules(), date)
    complete = True
    try:
        if given is None:
            complete = _interview(q, run)
        run.changed.update(q.answered)
    except KeyboardInterrupt:
        if not save_partial:
            raise  # exit 130, "interrupted; nothing was written"
        run.changed.update(q.answered)
        left = len(q.unknown())
        where = run.finish(q, partial=True)
        raise Interrupted(
            f"interrupted; wrote the partial profile {where} "
            f"({_plural(left, 'question')} left unanswered)"
        ) from None
    if complete and given is None:
        run.check_no_answers_left()
    if not complete:
        left = len(q.unknown())
        if not save_partial:
            raise InputError(
                f"input ended with {_plural(left, 'question')} left unanswered; nothing was "
                "written (use --save-partial to keep the answers given so far)"
            )
        where = run.finish(q, partial=True)
        raise InputError(
            f"input ended before all questions were answered; wrote the partial profile "
            f"{where} ({_plural(left, 'question')} left unanswered)"
        )
    run.finish(q, partial=False, answers=answers if given is not None else None)
    _report_assumptions(q)


@dataclass
class _Run:
    """What one `accord init` run read and changed, and how to write its result."""

    output: Path | None
    source_text: str | None = None  # the --from text, already checked by accord.yamlfile
    changed: set[str] = field(default_factory=set)  # fields set by answers or prompts
    lines_read: int = 0
    interactive: bool = field(default_factory=lambda: _interactive())

    def prompt(self, text: str) -> str | None:
        """One line from stdin after a prompt on stderr; None at end of input. Ctrl-C is not
        caught here: it ends the command (exit 130) before anything is written."""
        from accord.cli.console import err

        err.print(f"{text}: ", end="", markup=False)
        line = sys.stdin.readline(MAX_ANSWER_CHARS + 1)
        if not line:
            err.print()
            return None
        self.lines_read += 1
        if len(line) > MAX_ANSWER_CHARS and not line.endswith("\n"):
            raise InputError(
                f"answer on line {self.lines_read} of the input is longer than "
                f"{MAX_ANSWER_CHARS:,} characters; nothing was written"
            )
        answer = line.rstrip("\r\n")
        if not self.interactive:  # piped: show the answer, as a terminal would have
            err.print(answer, markup=False)
        return answer

    def check_no_answers_left(self, limit: int = 1000) -> None:
        """With piped answers, more answers than questions means they were out of step with
        the questions (an answer meant for one question was taken by another): refuse."""
        if self.interactive:
            return
        for _ in range(limit):
            line = sys.stdin.readline(MAX_ANSWER_CHARS + 1)
            if not line:
                return
            self.lines_read += 1
            if line.strip():
                raise InputError(
                    f"the questions ended but the input has more answers (line "
                    f"{self.lines_read}: {line.strip()[:40]!r}), so answers and questions were "
                    "out of step; nothing was written (use --answers FILE to answer by field "
                    "name)"
                )

    def finish(self, q: Any, *, partial: bool, answers: Path | None = None) -> str:
        """Write the profile (atomically to --output, or to stdout) and say what was done."""
        from accord.cli.console import err
        from accord.files import write_atomic

        text = _profile_text(q.profile(), self.source_text, self.changed)
        if self.output:
            write_atomic(self.output, text)
            where = f"to {self.output}"
        else:
            sys.stdout.write(text)
            where = "to stdout"
        if partial:
            return where
        unknown = q.unknown()
        if answers is not None:
            done = f"{_plural(len(self.changed - {'id', 'name'}), 'answer')} from {answers}"
        else:
            asked = _plural(q.prompts, "question")
            done = f"{asked} asked, {_plural(len(q.answered), 'fact')} answered"
        shown = ", ".join(unknown[:6]) + (
            f" and {len(unknown) - 6} more" if len(unknown) > 6 else ""
        )
        left = f"{len(unknown)} left unknown" + (f": {shown}" if unknown else "")
        head = f"wrote {self.output}" if self.output else "profile written to stdout"
        err.print(f"{head} ({done}; {left})", markup=False)
        return where


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _interactive() -> bool:
    """A person at a terminal (re-ask on a bad answer) rather than piped answers (stop)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _ask_identity(draft: dict[str, Any], run: _Run) -> None:
    """Ask the id and name a profile needs, if the draft has none; checked like any answer."""
    from accord.errors import ProfileError
    from accord.profile.loader import profile_from_dict

    for key, question in (
        (
            "id",
            "Short id for the system [lower-case letters, digits, '.', '_', '-'; e.g. cv-screener]",
        ),
        ("name", "Name of the system [any text]"),
    ):
        while key not in draft:
            raw = run.prompt(question)
            if raw is None:
                raise InputError(
                    f"input ended before the system's {key} was given; nothing was written"
                )
            if not raw.strip():
                continue
            trial = {"id": "x", "name": "x", key: raw.strip()}
            try:
                profile_from_dict(trial, source="answer")
            except ProfileError as exc:
                reason = _reason(exc)
                if not run.interactive:
                    raise InputError(
                        f"answer on line {run.lines_read} of the input, {raw!r}, is not a valid "
                        f"{key}: {reason}; nothing was written"
                    ) from None
                from accord.cli.console import err

                err.print(f"  not understood: {reason}; please answer again", markup=False)
                continue
            draft[key] = raw.strip()
            run.changed.add(key)


def _read_from(path: Path) -> tuple[str, dict[str, Any]]:
    """The --from text and its data, read once and checked by accord.yamlfile exactly as
    `accord.yamlfile.load` checks any profile (regular file, size, UTF-8, aliases, tags,
    depth). The same text is later re-read for round-trip writing."""
    import copy

    from accord.errors import ProfileError
    from accord.yamlfile import load

    doc = load(path, "profile", ProfileError)
    if not isinstance(doc.data, dict):
        raise ProfileError(f"{path}: a profile must be a mapping of fields")
    text = doc.text
    return text, copy.deepcopy(doc.data)


def _read_answers(path: Path, draft: dict[str, Any], changed: set[str]) -> dict[str, Any]:
    """Every answer in the file, checked and applied to `draft` before any question, so none
    is silently dropped and an invalid one is reported with the file's name."""
    from accord.choices import check_names
    from accord.errors import ProfileError
    from accord.profile.fields import profile_fields
    from accord.questionnaire.session import coerce, set_path
    from accord.yamlfile import load

    doc = load(path, "answers file", InputError)
    if not isinstance(doc.data, dict):
        raise InputError(f"{path}: expected a mapping of field paths to answers")
    given = {str(k): v for k, v in doc.data.items()}
    # Derived facts (e.g. controls.implemented, computed from `controls`) are not answers.
    fields = {k: v for k, v in profile_fields().items() if v.question}
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
            changed.add(key)
            continue
        if raw is None:
            continue  # "don't know"
        try:
            value = coerce(fields[key], raw)
        except ValueError as exc:
            where = doc.location((key,))
            raise ProfileError(f"{where}: {key}: {exc}") from None
        set_path(draft, key, value)
        changed.add(key)
    for key, default in (("id", "my-ai-system"), ("name", "My AI system")):
        if key not in draft:
            draft[key] = default
            changed.add(key)
    return given


def _interview(q: Any, run: _Run) -> bool:
    """Ask until nothing is left (True) or input ends (False). An answer that does not fit
    its question is asked again at a terminal; with piped answers it stops the command, since
    every later answer would land on the wrong question."""
    from accord.cli.console import err
    from accord.errors import ProfileError
    from accord.profile.fields import profile_fields
    from accord.questionnaire.session import Checklist, hint

    while (step := q.next_step()) is not None:
        if isinstance(step, Checklist):
            err.print("Do any of these apply? Most systems have none of them.", markup=False)
            for n, text in enumerate(step.statements(), 1):
                err.print(f"  {n:>2}. {text}", markup=False)
            question = "Numbers of those that apply (e.g. 1,3), or none"
            form = "[?N = not sure of item N; Enter = don't know]"
        else:
            question = step.question
            form = hint(profile_fields()[step.field])
        while True:
            raw = run.prompt(f"{question} {form}")
            if raw is None:
                return False
            try:
                if isinstance(step, Checklist):
                    q.answer_checklist(step, raw)
                else:
                    q.answer(step, raw)
                break
            except (ValueError, ProfileError) as exc:
                reason = _reason(exc)
                if not run.interactive:
                    asked = "the checklist" if isinstance(step, Checklist) else step.field
                    raise InputError(
                        f"answer on line {run.lines_read} of the input, {raw!r}, does not fit "
                        f"{asked}: {reason}. Nothing was written: piped answers must follow the "
                        "questions in order (use --answers FILE to answer by field name)"
                    ) from None
                err.print(f"  not understood: {reason}; please answer again", markup=False)
    return True


def _reason(exc: Exception) -> str:
    """Why an answer was refused, without the field name the caller already shows."""
    problems = getattr(exc, "problems", None)
    text = problems[0].message if problems else getattr(exc, "message", None) or str(exc)
    head, sep, rest = text.partition(": ")
    return rest if sep and re.fullmatch(r"[a-z_][a-z0-9_.]*", head) else text


# --- Writing the profile ---------------------------------------------------------------------


def _profile_text(profile: Any, source_text: str | None, changed: set[str]) -> str:
    """The profile as YAML: the --from text with the answers merged in (comments, order and
    layout kept) where there is one, else a plain dump. Either way the text is read back and
    must give exactly this profile."""
    plain = _plain_yaml(profile)
    if source_text is None:
        return plain
    try:
        text = _round_trip(source_text, profile, changed)
    except Exception as exc:  # ruamel may refuse what libyaml read; never lose the answers
        _warn_layout(f"{type(exc).__name__}: {exc}")
        return plain
    if not _same_profile(text, profile):
        _warn_layout("the merged text did not read back as the same profile")
        return plain
    return text


def _warn_layout(why: str) -> None:
    from accord.cli.console import err

    err.print(
        f"warning: could not keep the layout and comments of --from ({why}); "
        "writing a plain profile instead",
        markup=False,
    )


def _plain_yaml(profile: Any) -> str:
    import yaml

    return yaml.safe_dump(
        profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        | {"id": profile.id, "name": profile.name},
        sort_keys=False,
        allow_unicode=True,
    )


def _same_profile(text: str, profile: Any) -> bool:
    from accord.errors import AccordError
    from accord.profile.loader import profile_from_dict
    from accord.yamlfile import parse

    try:
        again = profile_from_dict(parse(text, "<output>").data, source="<output>")
    except AccordError:
        return False
    return again.model_dump(mode="json") == profile.model_dump(mode="json")


def _yaml_value(name: str, value: Any) -> Any:
    """A profile value as the YAML it is written as: dates as dates, whole numbers without
    '.0', short lists in flow style like the examples."""
    import datetime as dt

    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from accord.profile.fields import profile_fields

    spec = profile_fields().get(name)
    if spec is not None and spec.kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str) and _AMBIGUOUS.match(value):
        return DoubleQuotedScalarString(value)  # `no` is text in YAML 1.2, false in 1.1
    if isinstance(value, list):
        seq = CommentedSeq(_yaml_value("", v) for v in value)
        seq.fa.set_flow_style()
        return seq
    return value


def _round_trip(source_text: str, profile: Any, changed: set[str]) -> str:
    """Merge the changed fields into the --from text with ruamel.yaml's round-trip mode."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from accord.questionnaire.session import changed_fields, get_path

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-wrap a line the user wrote
    yaml.indent(**_indentation(source_text))
    data = yaml.load(source_text)
    if not isinstance(data, CommentedMap):
        raise ValueError("the document is not a mapping")
    values = profile.model_dump(mode="json", exclude_none=True)
    for name in changed_fields(changed):
        value = get_path(values, name)
        if value is None:
            continue
        parts = name.split(".")
        node = data
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = CommentedMap()
                node[part] = child
            node = child
        if not parts[:-1] and parts[-1] in ("id", "name") and parts[-1] not in node:
            node.insert(0 if parts[-1] == "id" else min(1, len(node)), parts[-1], value)
            continue
        node[parts[-1]] = _yaml_value(name, value)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _indentation(text: str) -> dict[str, int]:
    """The indentation the file uses, so that re-written lines keep it: nested mappings (the
    first indented key) and block lists (`- item` under its key, with the dash's offset)."""
    import itertools

    mapping = 2
    for line in text.splitlines():
        m = re.match(r"^( +)[^\s#-][^:#]*:", line)
        if m:
            mapping = len(m.group(1))
            break
    sequence, offset = mapping, 0
    for before, line in itertools.pairwise(text.splitlines()):
        m = re.match(r"^( *)- ", line)
        key = re.match(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$", before)
        if m and key:
            offset = max(0, len(m.group(1)) - len(key.group(1)))
            sequence = offset + 2
            break
    return {"mapping": mapping, "sequence": sequence, "offset": offset}


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
