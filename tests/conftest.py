"""Shared fixtures: run the real CLI in-process and load example profiles."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True, scope="session")
def _private_result_cache(tmp_path_factory):
    """Cached results go to a temporary folder, never into the checkout's .accord/cache (and a
    stale cache from a developer's runs can never make a test pass)."""
    import os

    folder = tmp_path_factory.mktemp("accord-cache")
    old = os.environ.get("ACCORD_CACHE_DIR")
    os.environ["ACCORD_CACHE_DIR"] = str(folder)
    yield
    if old is None:
        os.environ.pop("ACCORD_CACHE_DIR", None)
    else:
        os.environ["ACCORD_CACHE_DIR"] = old


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `accord ARGS` through the real entry point (error mapping included)."""

    def run(*args: str, input: str | None = None) -> CliResult:
        from accord.cli.main import main

        monkeypatch.setattr(sys, "argv", ["accord", *args])
        if input is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def ruleset():
    from accord.rules.loader import load_rules

    return load_rules()


def example(name: str):
    from accord.profile import load_profile

    return load_profile(EXAMPLES / f"{name}.yaml")
