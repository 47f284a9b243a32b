"""A generated rulebook of any size, for scale tests and `bench/rulebook_scale.py`.

Rules form layers: each reads the scope rule and, with some probability, one earlier rule, so
dependency chains are realistic (a few levels deep) and every rule has a test both ways.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml


def write_rulebook(folder: Path, n_rules: int, seed: int = 11) -> Path:
    """Write an instrument `synthetic` with `n_rules` rules (plus its scope rule) to `folder`."""
    rng = random.Random(seed)
    book = folder / "synthetic"
    book.mkdir(parents=True, exist_ok=True)
    url = "https://example.org/synthetic-act"
    (book / "instrument.yaml").write_text(
        yaml.safe_dump(
            {
                "id": "synthetic",
                "jurisdiction": "EU",
                "title": "Synthetic act for scale tests",
                "short_title": "Synthetic act",
                "citation": "Synthetic act",
                "status": {"2024-01-01": "in_force"},
                "scope_rule": "synthetic.scope",
                "last_reviewed": "2026-11-27",
                "sources": [{"title": "Synthetic", "url": url}],
                "test_base": {"markets": ["EU"], "roles": ["provider"]},
            }
        )
    )
    rules = [
        {
            "id": "synthetic.scope",
            "kind": "scope",
            "title": "In scope",
            "when": {"field": "markets", "within": "EU"},
            "citation": {"article": "1", "url": url},
            "theme": "scope",
            "tests": [
                {"name": "in", "profile": {}, "expect": "applies"},
                {"name": "out", "profile": {"markets": ["US"]}, "expect": "does_not_apply"},
            ],
        }
    ]
    flags = ["technique.interacts_with_people", "technique.gpai_model", "technique.open_source"]
    for i in range(n_rules):
        flag = flags[i % len(flags)]
        when: dict = {"field": flag, "is": True}
        if i and rng.random() < 0.3:
            when = {"any": [when, {"rule": f"synthetic.r{rng.randrange(i)}"}]}
        rules.append(
            {
                "id": f"synthetic.r{i}",
                "kind": "obligation",
                "title": f"Duty {i}",
                "summary": "A generated duty.",
                "roles": ["provider"],
                "when": when,
                "citation": {"article": str(i + 2), "url": url},
                "theme": "transparency",
                "tests": [
                    {"name": "on", "profile": _set(flag, True), "expect": "applies"},
                    {"name": "off", "profile": {"markets": ["US"]}, "expect": "does_not_apply"},
                ],
            }
        )
    (book / "rules.yaml").write_text(yaml.safe_dump({"rules": rules}, sort_keys=False))
    return book


def _set(path: str, value: object) -> dict:
    head, _, rest = path.partition(".")
    return {head: _set(rest, value) if rest else value}
