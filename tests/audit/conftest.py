"""Shared fixtures for the audit tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import generate_rows, write_parquet


@pytest.fixture(scope="session")
def rows() -> list[dict[str, Any]]:
    return generate_rows(3000)


@pytest.fixture(scope="session")
def parquet_file(tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]) -> Path:
    return write_parquet(rows, tmp_path_factory.mktemp("pq") / "applicants.parquet")


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Any]:
    """Run `accord ...` through main() and return (exit code, stdout, stderr)."""
    from accord.cli.main import main

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.argv", ["accord", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
