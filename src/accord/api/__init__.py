"""Accord's REST API (FastAPI) under /api/v1.

`create_app` is the one entry point; FastAPI is imported only when it is called, so the CLI
never pays for it at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from accord.rules.ruleset import RuleSet

__all__ = ["create_app"]


def create_app(ruleset: RuleSet | None = None) -> FastAPI:
    """The API application; `ruleset` defaults to the built-in rulebooks, loaded on first use."""
    from accord.api.app import build

    return build(ruleset)
