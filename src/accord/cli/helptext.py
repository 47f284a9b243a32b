"""Option types in `--help` as people read them: DATE, CODE, PATH, not `<list[str]>`.

Typer shows a parameter's Python type (`<bool>`, `<list[Path]>`) where no metavar is given.
Flags need no type at all, and a value's type is shown in upper case as click does. This is
the one place that adjusts Typer's help; tests/test_cli.py checks every command's help.
"""

from __future__ import annotations

import re
from typing import Any

_LIST = re.compile(r"^<list\[(.+)\]>(\.\.\.)?$")
_ONE = re.compile(r"^<(.+)>(\.\.\.)?$")
_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "path": "PATH", "Path": "PATH"}


def readable(shown: str | None) -> str | None:
    """`<list[str]>` -> `TEXT`, `<path>` -> `PATH`, `<a|b>` -> `[a|b]`; others unchanged."""
    if not shown:
        return shown
    match = _LIST.match(shown) or _ONE.match(shown)
    if not match:
        return shown
    inner = match.group(1)
    if "%" in inner:
        return "DATE"
    if "|" in inner:
        return f"[{inner}]"
    return _NAMES.get(inner, inner.upper())


def install() -> None:
    """Patch Typer's option and argument classes once (idempotent)."""
    from typer import core

    for cls in (core.TyperOption, core.TyperArgument):
        original = cls.display_type_rich
        if getattr(original, "_accord", False):
            continue

        def display_type_rich(self: Any, ctx: Any, _original: Any = original) -> str | None:
            if getattr(self, "is_flag", False):
                return None
            if self.metavar is not None:
                return self.metavar
            return readable(_original(self, ctx))

        display_type_rich._accord = True  # type: ignore[attr-defined]
        cls.display_type_rich = display_type_rich  # type: ignore[method-assign]
