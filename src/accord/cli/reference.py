"""`accord schema` and `accord vocab`: the machine-readable reference."""

from __future__ import annotations

from enum import StrEnum

import typer


class SchemaName(StrEnum):
    profile = "profile"
    assessment = "assessment"


class VocabName(StrEnum):
    use_cases = "use-cases"
    jurisdictions = "jurisdictions"
    roles = "roles"
    themes = "themes"
    controls = "controls"


def schema_command(
    which: SchemaName = typer.Argument(SchemaName.profile, help="profile or assessment"),
) -> None:
    """Print the JSON Schema of profiles (for editor autocompletion) or of assessment JSON."""
    import json

    from accord.schemas import assessment_schema, profile_schema

    data = profile_schema() if which is SchemaName.profile else assessment_schema()
    print(json.dumps(data, indent=2))


def vocab_command(
    which: VocabName = typer.Argument(..., help="Which controlled vocabulary to list."),
) -> None:
    """List a controlled vocabulary with descriptions."""
    from rich.table import Table

    from accord import vocabulary
    from accord.cli.console import out

    table = Table(expand=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("Code", no_wrap=True)
    table.add_column("Description", ratio=1, overflow="fold")
    if which is VocabName.jurisdictions:
        for j in vocabulary.jurisdictions().values():
            table.add_row(
                j.code, f"{j.name} ({j.kind}" + (f", in {j.parent}" if j.parent else "") + ")"
            )
    else:
        source = {
            VocabName.use_cases: vocabulary.use_cases,
            VocabName.roles: vocabulary.roles,
            VocabName.themes: vocabulary.themes,
            VocabName.controls: vocabulary.controls,
        }[which]()
        for code, desc in source.items():
            table.add_row(code, desc)
    out.print(table)
