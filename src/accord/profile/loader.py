"""Load a profile from YAML and report every problem with file, line, column and a fix."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from accord.errors import ErrorCollector, ProfileError
from accord.profile.model import Profile
from accord.yamlfile import YamlDocument, load

_HINTS = {
    "bool_parsing": "use true or false, or leave the field out if you do not know",
    "bool_type": "use true or false, or leave the field out if you do not know",
    "date_parsing": "use a date as YYYY-MM-DD, e.g. 2026-08-02",
    "date_from_datetime_parsing": "use a date as YYYY-MM-DD, e.g. 2026-08-02",
    "date_type": "use a date as YYYY-MM-DD, e.g. 2026-08-02",
    "float_parsing": "use a number, e.g. 2.5e24",
    "float_type": "use a number, e.g. 2.5e24",
    "int_parsing": "use a whole number, e.g. 250",
    "list_type": "use a list, e.g. [provider, deployer], or [] for none",
    "string_type": "use text, e.g. my-system",
    "model_type": "use a mapping of fields (key: value lines indented below)",
    "dict_type": "use a mapping of fields (key: value lines indented below)",
    "greater_than_equal": "use a number that is zero or more",
    "string_pattern_mismatch": "use lower-case letters, digits, '.', '_' or '-', e.g. cv-screener",
}


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Names of the fields allowed at the mapping that contains `loc`'s last element."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        ann = field.annotation
        current = _model_in(ann)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _shown(value: Any, limit: int = 80) -> str:
    """The offending input, short: a mapping by name, a long list or text cut with a count."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list) and len(value) > 5:
        return f"a list of {len(value)} items"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def validation_problems(
    exc: ValidationError, doc: YamlDocument | None, model: type[BaseModel], prefix: tuple = ()
) -> ErrorCollector:
    """Turn pydantic errors into located, actionable problems."""
    errors = ErrorCollector()
    for item in exc.errors():
        loc = tuple(str(p) if not isinstance(p, int) else p for p in item["loc"])
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        where = doc.location(prefix + loc) if doc else None
        kind = item["type"]
        if kind == "extra_forbidden":
            allowed = _fields_at(model, loc)
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else None
            if allowed:
                shown = ", ".join(allowed[:12]) + (" ..." if len(allowed) > 12 else "")
                hint = (hint + " " if hint else "") + f"allowed here: {shown}"
            errors.add(f"unknown field {dotted!r}", where, hint)
            continue
        if kind == "missing":
            errors.add(f"required field {dotted!r} is missing", where, f"add e.g. `{loc[-1]}: ...`")
            continue
        value = item.get("input")
        shown_value = _shown(value)
        msg = item["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        errors.add(f"{dotted}: {msg} (got {shown_value})", where, _HINTS.get(kind))
    return errors


def profile_from_dict(
    data: Any, doc: YamlDocument | None = None, source: str = "<profile>"
) -> Profile:
    """Validate plain data as a profile; `doc` supplies positions for error messages."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ProfileError(
            f"{source}: a profile must be a mapping of fields (got {kind})",
        )
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, doc, Profile)
        n = len(problems.problems)
        raise ProfileError(
            f"{source}: {n} problem{'s' if n != 1 else ''} in profile", problems.problems
        ) from None


def load_profile(path: str | Path) -> Profile:
    doc = load(path, "profile", ProfileError)
    return profile_from_dict(doc.data, doc, str(path))
