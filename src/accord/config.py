"""Project defaults from `accord.toml` or `[tool.accord]` in `pyproject.toml`.

A team that always assesses for the same markets, with its own rulebooks, in JSON, says so once:

    # accord.toml (or the same keys under [tool.accord] in pyproject.toml)
    format = "markdown"
    jurisdictions = ["EU", "US-NY-NYC"]
    rulebooks = ["compliance/rulebooks"]   # relative to this file
    frameworks = ["nist-ai-rmf"]
    inventory = ["systems"]                # folders of profiles for check, gaps, portfolio
    db = "sqlite:///.accord/registry.db"   # the registry (or ACCORD_DB / --db)
    fail_on = ["prohibited", "unmet-now"]  # what `accord check` fails on (its default)
    control_costs = {bias-audit = 30}      # person-days, for `accord portfolio plan`

The nearest file upwards from the working directory is used (`accord.toml` first); options on
the command line still win. Unknown keys are errors, so a typo never silently does nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from accord.errors import InputError


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["text", "json", "markdown"] | None = None
    jurisdictions: list[str] = []
    rulebooks: list[str] = []
    frameworks: list[str] = []
    scenarios: list[str] = []
    inventory: list[str] = []
    db: str | None = None
    fail_on: list[str] = []
    control_costs: dict[str, float] = {}


def find_config(start: Path) -> Path | None:
    """The nearest `accord.toml`, or `pyproject.toml` with a [tool.accord] table, upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / "accord.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.accord]" in _read(pyproject):
            return pyproject
    return None


def load_config(path: Path) -> Config:
    import tomllib

    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("accord", {})
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(f"{path}: {problems}") from None
    base = path.parent
    rulebooks = [str(p if Path(p).is_absolute() else base / p) for p in config.rulebooks]
    inventory = [str(p if Path(p).is_absolute() else base / p) for p in config.inventory]
    return config.model_copy(update={"rulebooks": rulebooks, "inventory": inventory})


def default_map(config: Config) -> dict[str, Any]:
    """Click's default_map: per command, the parameter defaults the config sets."""
    common: dict[str, Any] = {}
    if config.format:
        common["fmt"] = config.format
    books = {"rulebooks": config.rulebooks} if config.rulebooks else {}
    chosen: dict[str, Any] = {}
    if config.frameworks:
        chosen["framework"] = config.frameworks
    if config.scenarios:
        chosen["scenario"] = config.scenarios
    markets = config.jurisdictions
    return {
        "assess": {**common, **books, **chosen, **({"jurisdiction": markets} if markets else {})},
        "compare": {**common, **books, **chosen, **({"markets": markets} if markets else {})},
        "landscape": {**common, **({"jurisdiction": markets} if markets else {})},
        "check": {
            **books,
            **({"jurisdiction": markets} if markets else {}),
            **({"fail_on": config.fail_on} if config.fail_on else {}),
            **({"fmt": config.format} if config.format in ("text", "json") else {}),
        },
        "rules": {name: dict(books) for name in ("list", "show", "lint", "test")}
        | {"list": {**books, **common}},
    }


def _read(path: Path) -> str:
    from accord.files import read_text

    return read_text(path, "config file")
