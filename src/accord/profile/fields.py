"""The catalogue of profile fields as dotted paths, derived from the model.

Rule lint, the questionnaire and the engine all need to know which fields exist, their type
and allowed values. Deriving them from the pydantic model keeps one source of truth.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from accord.profile.model import Profile

SKIP = frozenset({"id", "name", "description", "version", "controls"})


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: Literal["bool", "choice", "choices", "number", "integer", "date", "text", "codes"]
    choices: tuple[str, ...] = ()
    description: str = ""
    question: str = ""
    vocabulary: str | None = None  # "use-cases" or "jurisdictions" for code lists
    minimum: int | None = None
    maximum: int | None = None
    explicit_question: bool = False  # hand-written, i.e. a common fact worth asking early

    @property
    def is_list(self) -> bool:
        return self.kind in ("choices", "codes")


def _strip_optional(ann: Any) -> Any:
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return ann


def _spec(path: str, ann: Any, description: str, question: str) -> FieldSpec:
    ann = _strip_optional(ann)
    if typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    if typing.get_origin(ann) in (typing.Union, types.UnionType) and float in typing.get_args(ann):
        return FieldSpec(path, "number", (), description, question)  # a number or a bound
    origin = typing.get_origin(ann)
    if ann is bool:
        return FieldSpec(path, "bool", (), description, question)
    if origin is Literal:
        return FieldSpec(path, "choice", tuple(typing.get_args(ann)), description, question)
    if origin is list:
        (inner,) = typing.get_args(ann)
        inner = _strip_optional(inner)
        if typing.get_origin(inner) is Literal:
            return FieldSpec(path, "choices", tuple(typing.get_args(inner)), description, question)
        vocab = "use-cases" if path == "uses" else "jurisdictions"
        return FieldSpec(path, "codes", (), description, question, vocab)
    if ann is float:
        return FieldSpec(path, "number", (), description, question)
    if ann is int:
        return FieldSpec(path, "integer", (), description, question)
    if ann is dt.date:
        return FieldSpec(path, "date", (), description, question)
    if path.endswith("established_in"):
        return FieldSpec(path, "text", (), description, question, "jurisdictions")
    return FieldSpec(path, "text", (), description, question)


def _as_question(description: str, annotation: Any) -> str:
    """A question from a field description, for fields without a hand-written one."""
    if _strip_optional(annotation) is bool:
        return f"Is this true? {description}"
    return description.rstrip(".") + "?" if description else description


@cache
def profile_fields() -> dict[str, FieldSpec]:
    out: dict[str, FieldSpec] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            if not prefix and name in SKIP:
                continue
            path = f"{prefix}{name}"
            ann = _strip_optional(info.annotation)
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, path + ".")
                continue
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            desc = info.description or ""
            question = str(extra.get("question") or _as_question(desc, info.annotation))
            spec = _spec(path, info.annotation, desc, question)
            if extra.get("question"):
                spec = replace(spec, explicit_question=True)
            lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
            hi = next((m.le for m in info.metadata if hasattr(m, "le")), None)
            if lo is not None or hi is not None:
                spec = replace(spec, minimum=lo, maximum=hi)
            out[path] = spec

    walk(Profile, "")
    # Derived fact: ids of controls the profile says are implemented.
    out["controls.implemented"] = FieldSpec(
        "controls.implemented", "codes", (), "Ids of controls marked implemented.", ""
    )
    return out


def facts(profile: Profile) -> dict[str, Any]:
    """Flatten a profile into {dotted path: value}; absent or null values are simply missing."""
    data = profile.model_dump(exclude={"controls"}, exclude_none=True)
    flat: dict[str, Any] = {}

    def walk(obj: dict[str, Any], prefix: str) -> None:
        for key, value in obj.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = value

    walk(data, "")
    flat["controls.implemented"] = [c.id for c in profile.controls if c.status == "implemented"]
    return flat
