"""The Python API: run a bias audit and get the same result object the CLI prints and saves.

    from accord.audit import bias_audit
    result = bias_audit("applicants.parquet", outcome="selected", sex="gender", race="race")
    result.save("audit.accord-audit.json")

Order of work: open the source, check the columns, run the median and the grouped count on the
engine, then build every table from the counts in Python.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from accord.audit.categories import INTERSECTIONAL, RACE, SEX, mapper_for
from accord.audit.counts import Counts, Progress, collect
from accord.audit.eeoc import four_fifths
from accord.audit.fairness import fairness_table
from accord.audit.grouping import label_cells
from accord.audit.ll144 import (
    ExclusionTracker,
    groupings,
    ll144_section,
    missing_fact_warning,
    rate_table,
)
from accord.audit.result import AuditResult, LL144Section, SourceInfo
from accord.audit.source import Source, from_table, open_source
from accord.audit.spec import AuditSpec, input_error, parse_date, validation_error
from accord.errors import AuditError

if TYPE_CHECKING:
    import ibis.expr.types as ir


def run_bias_audit(
    spec: AuditSpec | Mapping[str, Any],
    *,
    table: ir.Table | None = None,
    progress: Progress | None = None,
    today: dt.date | str | None = None,
    native: bool = True,
) -> AuditResult:
    """Run the audit described by `spec` (on `table` if given, else on `spec.source`).

    `spec` is an AuditSpec or a mapping of the same shape as the YAML spec; dates may be
    `datetime.date` objects or ISO `YYYY-MM-DD` strings. `native=False` sends file sources
    through Ibis instead of straight to DuckDB; results are identical (tested), only slower to
    start. Bad input of any kind raises AuditError (an accord.errors.AccordError).
    """
    spec = _as_spec(spec)
    today = _as_date(today, "today")
    if table is not None and not _is_ibis_table(table):
        raise AuditError(f"table must be an Ibis table expression, not {type(table).__name__}.")
    if progress is not None and not callable(progress):
        raise AuditError(f"progress must be a function of one string, not {type(progress)}.")
    spec.check()
    audit_date = check_audit_date(spec.audit.date or today or dt.date.today(), today)
    if progress:
        progress("opening the data")
    source: Source = (
        from_table(table, spec.source.data)
        if table is not None
        else open_source(spec.source, native=native)
    )
    counts = collect(source, spec, progress)
    mappers = {dim: mapper_for(dim, spec.value_map(dim)) for dim in counts.dimensions}
    _check_user_maps(counts.cells, counts.dimensions, mappers, spec, source.location)
    cells = label_cells(counts, mappers)
    exclusions = ExclusionTracker(spec.exclusions, mappers)
    ll144 = ll144_section(counts, cells, mappers, spec, exclusions, source.location, audit_date)
    others = [d for d in counts.dimensions if d not in (SEX, RACE)]
    kinds = [
        k for k, on in (("selection", counts.has_outcome), ("scoring", counts.has_score)) if on
    ]
    other_tables = [
        rate_table(cells, d, kind, mappers, exclusions) for kind in kinds for d in others
    ]
    exclusions.check_all_matched()
    fairness = []
    if counts.has_classification:
        fairness = [
            fairness_table(cells, g, mappers) for g in [*groupings(counts.dimensions), *others]
        ]
    tables = (ll144.selection + ll144.scoring if ll144 else []) + other_tables
    return AuditResult(
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        accord_version=_version(),
        audit_date=audit_date,
        data_period=spec.audit.data_period,
        source=SourceInfo(
            location=source.location,
            backend=source.backend,
            kind=source.kind,
            table=source.table_name,
            query=source.query,
        ),
        columns=spec.columns,
        rows=counts.rows,
        ll144=ll144,
        eeoc_four_fifths_rule_of_thumb=four_fifths(tables),
        other_categories=other_tables,
        fairness=fairness,
        warnings=_warnings(spec, counts, tables, audit_date, today, ll144, exclusions),
    )


def check_audit_date(day: dt.date, today: dt.date | None = None) -> dt.date:
    """The audit date must be a real past or present day: from 1900 and not after today."""
    latest = today or dt.date.today()
    if day > latest:
        raise input_error(
            f"The audit date {day.isoformat()} is in the future (today is {latest.isoformat()}).",
            "give the date the audit was done, as YYYY-MM-DD (--audit-date or audit.date)",
        )
    return parse_date(day, "audit date")  # also checks the lower bound


def _as_date(value: Any, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value, what)
    except ValueError as exc:
        raise input_error(str(exc)) from None


def _as_spec(spec: Any) -> AuditSpec:
    if isinstance(spec, AuditSpec):
        return spec
    if isinstance(spec, Mapping):
        try:
            return AuditSpec.model_validate(dict(spec))
        except ValidationError as exc:
            raise validation_error(exc, "audit spec") from None
    raise AuditError(
        f"spec must be an AuditSpec (see load_spec) or a mapping, not {type(spec).__name__}."
    )


def _is_ibis_table(value: Any) -> bool:
    try:
        import ibis.expr.types as ir
    except ImportError:  # pragma: no cover - Ibis is a dependency
        return False
    return isinstance(value, ir.Table)


def bias_audit(
    data: str | os.PathLike[str] | ir.Table,
    *,
    outcome: str | None = None,
    score: str | None = None,
    truth: str | None = None,
    prediction: str | None = None,
    sex: str | None = None,
    race: str | None = None,
    categories: dict[str, str] | None = None,
    progress: Progress | None = None,
    **spec_fields: Any,
) -> AuditResult:
    """Convenience wrapper: columns as keywords; `data` is a path, glob, URL or Ibis table.

    Other spec sections (`values`, `exclusions`, `audit`, `source`) may be passed as keywords
    with the same shape as in the YAML spec (dates as `datetime.date` or ISO strings). Bad input
    of any kind raises AuditError (an accord.errors.AccordError).
    """
    columns = {
        "outcome": outcome,
        "score": score,
        "truth": truth,
        "prediction": prediction,
        "sex": sex,
        "race": race,
        "categories": {} if categories is None else categories,
    }
    source_arg = spec_fields.pop("source", None)
    if source_arg is not None and not isinstance(source_arg, Mapping):
        raise AuditError(f"source must be a mapping, not {type(source_arg).__name__}.")
    source = dict(source_arg or {})
    table = None
    if isinstance(data, str | os.PathLike):
        source["data"] = os.fspath(data)
    elif _is_ibis_table(data):
        table = data
    else:
        raise AuditError(
            "data must be a path, glob or URL (str or os.PathLike) or an Ibis table, "
            f"not {type(data).__name__}."
        )
    try:
        spec = AuditSpec.model_validate({"source": source, "columns": columns, **spec_fields})
    except ValidationError as exc:
        raise validation_error(exc, "audit") from None
    return run_bias_audit(spec, table=table, progress=progress)


def _check_user_maps(
    cells: Any, dims: tuple[str, ...], mappers: Any, spec: AuditSpec, location: str
) -> None:
    """A user mapping none of whose values occur in the data is almost surely a mistake."""
    for i, dim in enumerate(dims):
        user = spec.value_map(dim)
        if not user:
            continue
        raw_values = {c.key[i] for c in cells}
        unused = mappers[dim].unused_user_keys(raw_values)
        if len(unused) == len(user):
            col = dict(spec.dimensions())[dim]
            shown = ", ".join(repr(v) for v in sorted(map(str, raw_values))[:10])
            raise input_error(
                f"The value mapping for {dim} maps nothing: none of its values occur in column "
                f"{col!r} of {location}.",
                f"values in the data include {shown}",
            )


def _warnings(
    spec: AuditSpec,
    counts: Counts,
    tables: list[Any],
    audit_date: dt.date,
    today: dt.date | None,
    ll144: LL144Section | None = None,
    exclusions: ExclusionTracker | None = None,
) -> list[str]:
    """Human-readable warnings, in a fixed order (values named are sorted, never set-ordered)."""
    dims = counts.dimensions
    out = []
    if SEX not in dims or RACE not in dims:
        out.append(
            "LL144 requires sex, race/ethnicity and intersectional tables; "
            "give both --sex and --race for a complete LL144 audit."
        )
    if counts.has_score:
        missing = sum(c.n - c.n_scored for c in counts.cells)
        if missing:
            out.append(
                f"{missing:,} rows have no usable score (null, NaN or infinite); they are left "
                "out of the median and the scoring rates (rows_without_score)."
            )
    if counts.has_outcome:
        missing = sum(c.n - c.n_outcome for c in counts.cells)
        if missing:
            out.append(
                f"{missing:,} rows have no outcome (null); they are left out of the selection "
                "rates (rows_without_outcome)."
            )
    for t in tables:
        if t.unknown.unmapped:
            values = ", ".join(repr(v) for v in list(t.unknown.unmapped_values)[:5])
            out.append(
                f"{t.rate_kind}/{t.dimension}: {t.unknown.unmapped:,} individuals have unmapped "
                f"category values ({values}); counted as unknown. Map them with --map-file."
            )
        for r in t.rows:
            if r.count == 0 and r.exclusion_reason:
                out.append(f"{t.rate_kind}/{t.dimension}: {r.category!r} has {r.exclusion_reason}.")
        if t.total and t.unknown.count == t.total:
            out.append(f"{t.rate_kind}/{t.dimension}: every individual has an unknown category.")
        if t.dimension != INTERSECTIONAL and len([r for r in t.rows if r.count]) == 1:
            out.append(f"{t.rate_kind}/{t.dimension}: only one category has individuals.")
    if (today or dt.date.today()) - audit_date > dt.timedelta(days=365):
        out.append(
            "The audit date is more than a year ago; LL144 requires an audit under a year old."
        )
    if exclusions is not None:
        out += exclusions.empty_only()
    info = spec.audit
    if ll144 is not None:
        out += [missing_fact_warning(name) for name in ll144.public_summary.missing_fields]
    elif info.data_type == "test" and not info.test_data_explanation:
        out.append(missing_fact_warning("test_data_explanation"))
    if info.data_type == "historical" and info.test_data_explanation:
        out.append(
            "A test-data explanation is given but the data type is historical, so it is not "
            "published; if the audit used test data, pass --data-type test (audit.data_type)."
        )
    return list(dict.fromkeys(out))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:
        return "0+unknown"
