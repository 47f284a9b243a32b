"""`accord audit ...` commands (bias and fairness audits).

Only option parsing and presentation live here; the audit itself is `accord.audit`. Heavy
libraries (Ibis, DuckDB, pyarrow, scipy) are imported inside the command so that
`accord --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from accord.audit.spec import AuditSpec

app = typer.Typer(
    help="Bias and fairness audits that run where the data lives.", no_args_is_help=True
)


class Format(StrEnum):
    """Report formats for standard output."""

    text = "text"
    json = "json"
    markdown = "markdown"


class DataType(StrEnum):
    """Historical data (collected while the AEDT was used) or test data (6 RCNY 5-300)."""

    historical = "historical"
    test = "test"


class Decision(StrEnum):
    """The employment decision the AEDT assists: who the counts count."""

    hiring = "hiring"
    promotion = "promotion"


_COLUMNS = "Columns"
_SOURCE = "Source"
_REPORT = "Report"
_LL144 = "LL144 summary facts"


@app.command()
def bias(
    data: Annotated[
        str | None,
        typer.Argument(
            help="Parquet/CSV/DuckDB/SQLite path or glob, or an Ibis URL "
            "(duckdb:///f.duckdb, sqlite:///f.db, postgres://...).",
            show_default=False,
        ),
    ] = None,
    spec_file: Annotated[
        Path | None,
        typer.Option(
            "--spec", help="YAML audit spec; flags override its values.", rich_help_panel=_SOURCE
        ),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option(help="Table to audit in a database source.", rich_help_panel=_SOURCE),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            help="SQL query to audit instead of a table (files are table `data`).",
            rich_help_panel=_SOURCE,
        ),
    ] = None,
    csv_delimiter: Annotated[
        str | None,
        typer.Option(help="CSV field delimiter (default: comma).", rich_help_panel=_SOURCE),
    ] = None,
    csv_no_header: Annotated[
        bool,
        typer.Option(
            "--csv-no-header",
            help="CSV has no header row (columns: column0, ...).",
            rich_help_panel=_SOURCE,
        ),
    ] = False,
    csv_encoding: Annotated[
        str | None, typer.Option(help="CSV encoding (default: utf-8).", rich_help_panel=_SOURCE)
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(help="Selected yes/no column (boolean or 0/1).", rich_help_panel=_COLUMNS),
    ] = None,
    score: Annotated[
        str | None,
        typer.Option(help="Numeric score column (LL144 scoring rates).", rich_help_panel=_COLUMNS),
    ] = None,
    truth: Annotated[
        str | None, typer.Option(help="Ground-truth label column.", rich_help_panel=_COLUMNS)
    ] = None,
    prediction: Annotated[
        str | None,
        typer.Option(
            help="Predicted label column (default: the outcome).", rich_help_panel=_COLUMNS
        ),
    ] = None,
    sex: Annotated[str | None, typer.Option(help="Sex column.", rich_help_panel=_COLUMNS)] = None,
    race: Annotated[
        str | None, typer.Option(help="Race/ethnicity column.", rich_help_panel=_COLUMNS)
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(
            help="Another category as NAME=COLUMN (repeatable).", rich_help_panel=_COLUMNS
        ),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option(
            help="YAML value mappings onto categories (sex:, race:, categories:).",
            rich_help_panel=_COLUMNS,
        ),
    ] = None,
    exclude_category: Annotated[
        list[str] | None,
        typer.Option(
            help="Category (<2% of data) to leave out of impact ratios (repeatable).",
            rich_help_panel=_LL144,
        ),
    ] = None,
    exclude_reason: Annotated[
        list[str] | None,
        typer.Option(
            help="Stated reason for each --exclude-category (required).", rich_help_panel=_LL144
        ),
    ] = None,
    audit_date: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="Audit date (default: today).", rich_help_panel=_LL144
        ),
    ] = None,
    data_period: Annotated[
        str | None, typer.Option(help="Period the data covers.", rich_help_panel=_LL144)
    ] = None,
    data_description: Annotated[
        str | None, typer.Option(help="Source and explanation of the data.", rich_help_panel=_LL144)
    ] = None,
    data_type: Annotated[
        DataType | None,
        typer.Option(
            help="Historical or test data (default: historical).",
            rich_help_panel=_LL144,
            show_default=False,
        ),
    ] = None,
    test_data_explanation: Annotated[
        str | None,
        typer.Option(
            help="Why historical data was not used; how the test data was made.",
            rich_help_panel=_LL144,
        ),
    ] = None,
    aedt: Annotated[
        str | None, typer.Option(help="Name of the AEDT audited.", rich_help_panel=_LL144)
    ] = None,
    distribution_date: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Date the employer began using the AEDT.",
            rich_help_panel=_LL144,
        ),
    ] = None,
    auditor: Annotated[
        str | None, typer.Option(help="The independent auditor.", rich_help_panel=_LL144)
    ] = None,
    decision: Annotated[
        Decision | None,
        typer.Option(
            help="Hiring (applicants) or promotion (candidates for promotion); default hiring.",
            rich_help_panel=_LL144,
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Report on stdout.", rich_help_panel=_REPORT)
    ] = Format.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Save the result: JSON evidence file (Markdown if *.md).",
            rich_help_panel=_REPORT,
        ),
    ] = None,
    summary_only: Annotated[
        bool,
        typer.Option(
            "--summary-only",
            help="Only the LL144 public summary (text and Markdown).",
            rich_help_panel=_REPORT,
        ),
    ] = False,
    fail_on_flag: Annotated[
        bool,
        typer.Option(
            help="Exit 1 when a category is under the EEOC four-fifths rule of thumb.",
            rich_help_panel=_REPORT,
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress display.", rich_help_panel=_REPORT)
    ] = False,
) -> None:
    """Audit selection/scoring rates (NYC LL144), EEOC four-fifths and fairness metrics.

    One grouped count runs on the data's engine (DuckDB for files); every metric is computed
    from the counts. Exit codes: 0 ok, 1 four-fifths flags with --fail-on-flag, 2 bad input.
    """
    from rich.text import Text

    from accord.audit.api import run_bias_audit
    from accord.audit.render import print_report, print_warnings, to_markdown
    from accord.audit.spec import input_error
    from accord.cli.console import err, out

    spec = _build_spec(
        spec_file=spec_file,
        overrides={
            "source": {
                "data": data,
                "table": table,
                "query": query,
                "csv": {
                    "delimiter": csv_delimiter,
                    "header": False if csv_no_header else None,
                    "encoding": csv_encoding,
                },
            },
            "columns": {
                "outcome": outcome,
                "score": score,
                "truth": truth,
                "prediction": prediction,
                "sex": sex,
                "race": race,
            },
            "audit": {
                "date": audit_date.date() if audit_date else None,
                "data_period": data_period,
                "data_description": data_description,
                "data_type": data_type.value if data_type else None,
                "test_data_explanation": test_data_explanation,
                "aedt": aedt,
                "distribution_date": distribution_date.date() if distribution_date else None,
                "auditor": auditor,
                "decision": decision.value if decision else None,
            },
        },
        categories=category or [],
        map_file=map_file,
        excludes=exclude_category or [],
        reasons=exclude_reason or [],
    )
    if summary_only and not (spec.columns.sex or spec.columns.race):
        raise input_error(
            "--summary-only needs an LL144 summary, which needs a sex or race/ethnicity column.",
            "pass --sex COL and --race COL (LL144 needs both)",
        )
    if output:
        # Before any work: never overwrite an input (the data, the spec, the map file), and
        # fail now on a missing or read-only directory rather than after the whole audit.
        from accord import files
        from accord.audit.source import local_paths

        inputs = [*local_paths(spec.source), *(p for p in (spec_file, map_file) if p)]
        files.check_writable(output, force=True, inputs=inputs, what="audit result")
    # The spinner goes to stderr, and only on a terminal; JSON runs stay machine-quiet.
    show_progress = not quiet and err.is_terminal and output_format is not Format.json
    with _progress(err, show_progress) as progress:
        result = run_bias_audit(spec, progress=progress)

    if output_format is Format.json:
        print(result.to_json())
    elif output_format is Format.markdown:
        print(to_markdown(result, summary_only=summary_only), end="")
    else:
        print_report(result, out, summary_only=summary_only)
    if output:
        from accord import files
        from accord.audit.render import plain

        text = (
            to_markdown(result, summary_only=summary_only)
            if output.suffix.lower() == ".md"
            else result.to_json() + "\n"
        )
        files.write_atomic(output, text)  # the old file or the complete new one, never half
        err.print(Text(f"saved {plain(str(output))}"))
    # Warnings go to stderr, whatever the format: stdout is the report (or the JSON document,
    # which also carries them in its `warnings` field), and may be published as it is.
    print_warnings(result, err)
    if fail_on_flag and result.eeoc_four_fifths_rule_of_thumb.flagged():
        n = len(result.eeoc_four_fifths_rule_of_thumb.flagged())
        err.print(f"{n} categor{'y' if n == 1 else 'ies'} under the EEOC four-fifths rule of thumb")
        raise typer.Exit(1)


def _merge(base: dict[str, object], overrides: dict[str, object]) -> dict[str, object]:
    """Overlay flag values on the spec file's, skipping flags that were not given (None)."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict):
            current = merged.get(key)
            merged[key] = _merge(current if isinstance(current, dict) else {}, value)
        elif value is not None:
            merged[key] = value
    return merged


def _build_spec(
    *,
    spec_file: Path | None,
    overrides: dict[str, object],
    categories: list[str],
    map_file: Path | None,
    excludes: list[str],
    reasons: list[str],
) -> AuditSpec:
    """The effective spec: the YAML file (if any) with the command-line flags on top."""
    from pydantic import ValidationError

    from accord.audit.spec import (
        AuditSpec,
        input_error,
        load_spec,
        load_value_maps,
        validation_error,
    )

    base = load_spec(spec_file).model_dump(exclude_unset=True) if spec_file else {}
    data = _merge(base, overrides)
    columns = data.setdefault("columns", {})
    assert isinstance(columns, dict)
    for item in categories:
        name, sep, col = item.partition("=")
        if not sep or not name.strip() or not col.strip():
            raise input_error(
                f"--category {item!r} is not NAME=COLUMN.", "e.g. --category age_band=age_group"
            )
        columns.setdefault("categories", {})[name.strip()] = col.strip()
    if map_file:
        maps = load_value_maps(map_file).model_dump()
        values = data.setdefault("values", {})
        assert isinstance(values, dict)
        for key in ("sex", "race"):
            values[key] = {**values.get(key, {}), **maps[key]}
        values["categories"] = {**values.get("categories", {}), **maps["categories"]}
    if excludes or reasons:
        if not reasons:
            raise input_error(
                "--exclude-category needs --exclude-reason.",
                "LL144 allows excluding a category under 2% of the data only with a stated reason",
            )
        if not excludes or (len(reasons) != len(excludes) and len(reasons) != 1):
            raise input_error(
                f"Got {len(excludes)} --exclude-category and {len(reasons)} --exclude-reason.",
                "give one reason per excluded category, in the same order (or one for all)",
            )
        pairs = zip(
            excludes, reasons * len(excludes) if len(reasons) == 1 else reasons, strict=True
        )
        exclusions = data.setdefault("exclusions", [])
        assert isinstance(exclusions, list)
        exclusions += [{"category": c, "reason": r} for c, r in pairs]
    try:
        spec = AuditSpec.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, "combination of options and spec") from None
    if not spec.source.data:
        raise input_error(
            "No data given.", "pass DATA (a path, glob or URL) or set source.data in --spec"
        )
    return spec


@contextmanager
def _progress(console: object, enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner with elapsed time on stderr while the engine works."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from accord.audit.render import plain

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),  # stages name columns: data, not markup
        TimeElapsedColumn(),
        console=console,
        transient=True,  # type: ignore[arg-type]
    ) as bar:
        task = bar.add_task("starting", total=None)

        def update(stage: str) -> None:
            bar.update(task, description=plain(stage))

        yield update
