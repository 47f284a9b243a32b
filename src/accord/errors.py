"""One root exception for everything Accord reports to a user.

Front ends map these to exit codes (CLI) or HTTP statuses (web) in one place each, so the
core only has to say *what* went wrong and *where*, never how to present it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Location:
    """A place in a user's file, so every message can point at the offending line."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass
class Problem:
    """One finding inside an input error; an input error can carry many."""

    message: str
    location: Location | None = None
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class AccordError(Exception):
    """Root of all errors Accord raises on purpose.

    `code` is a stable machine-readable slug; `exit_code` and `http_status` let each front end
    translate without a lookup table of its own.
    """

    code: str = "accord_error"
    exit_code: int = 2
    http_status: int = 400

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "problems": [
                {
                    "message": p.message,
                    "location": str(p.location) if p.location else None,
                    "hint": p.hint,
                }
                for p in self.problems
            ],
        }


class InputError(AccordError):
    """The user gave us something we cannot use: bad file, bad value, bad option."""

    code = "input_error"


class ProfileError(InputError):
    """A profile file failed to load or validate."""

    code = "profile_error"


class RulebookError(InputError):
    """A rulebook failed to load, validate or lint."""

    code = "rulebook_error"


class AuditError(InputError):
    """A bias audit could not run on the given data or options."""

    code = "audit_error"


class LandscapeError(InputError):
    """The landscape data file failed to load or validate."""

    code = "landscape_error"


class NotFoundError(AccordError):
    """A named thing (rule, system, jurisdiction) does not exist."""

    code = "not_found"
    http_status = 404


@dataclass
class ErrorCollector:
    """Gathers problems so a loader can report every mistake at once, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, location: Location | None = None, hint: str | None = None) -> None:
        self.problems.append(Problem(message, location, hint))

    def raise_if_any(self, exc_type: type[AccordError], message: str) -> None:
        if self.problems:
            raise exc_type(message, self.problems)
