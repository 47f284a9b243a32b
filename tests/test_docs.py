"""Generated docs are up to date (run `make docs` to refresh them)."""

from __future__ import annotations

from accord.docs_gen import DOCS, generated


def test_generated_docs_are_up_to_date():
    stale = []
    for path, text in generated().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path.relative_to(DOCS.parent)))
    assert not stale, f"stale generated docs (run `make docs`): {stale}"


def test_no_orphan_rulebook_pages():
    pages = {p for p in generated() if p.parent == DOCS / "rules"}
    orphans = [p.name for p in (DOCS / "rules").glob("*.md") if p not in pages]
    assert not orphans, f"pages for rulebooks that no longer exist: {orphans}"


def test_every_cli_command_is_documented():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in ("accord assess", "accord init", "accord rules lint", "accord audit bias"):
        assert f"## `{command}`" in text
