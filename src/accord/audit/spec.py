"""The audit spec: what data, which columns, which mappings, which exclusions.

One pydantic model describes an audit whether it comes from CLI flags, a small YAML file or the
Python API, so the three front doors cannot drift apart. A spec file is worth having because
an LL144 audit must be reproducible by someone else a year later.

```yaml
source: {data: applicants.parquet}
columns: {outcome: selected, score: score, sex: gender, race: ethnicity}
values: {sex: {M: Male, F: Female}}
exclusions:
  - {category: Native American or Alaska Native, reason: "1.6% of the data; too few to compare"}
audit: {data_period: "2025-01-01 to 2025-12-31", data_description: "historical applicants"}
```
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from accord.audit.categories import INTERSECTIONAL, RACE, SEX
from accord.errors import AuditError, ErrorCollector

#: Dates before this are refused everywhere: certainly typos, and outside what reports can print.
MIN_DATE = dt.date(1900, 1, 1)
#: The latest distribution date accepted (the audit date itself may not be in the future).
MAX_DISTRIBUTION_DATE = dt.date(2100, 12, 31)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, *, newlines: bool = True) -> str:
    """`text` with control characters (C0 such as ESC, DEL, C1, bidi overrides) shown as
    escapes like `\\x1b`, so that a data value or file name can never drive the terminal it is
    printed on. `newlines=False` escapes line breaks too (for one-line table cells)."""
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    return pattern.sub(lambda m: _escape_char(m.group()), text)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def input_error(message: str, hint: str | None = None) -> AuditError:
    """An AuditError whose text ends with a hint line, so every bad input says how to fix it."""
    text = f"{message}\n  hint: {hint}" if hint else message
    return AuditError(visible(text))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any, what: str = "date") -> dt.date:
    """A `datetime.date` (or datetime) or an ISO `YYYY-MM-DD` string, checked to be after 1900.

    Numbers are refused: pydantic would read `20260101` as seconds since 1970.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.match(text):
            raise ValueError(f"invalid {what} {value!r}: write dates as YYYY-MM-DD")
        try:
            value = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"invalid {what} {value!r}: {exc}") from None
    elif not isinstance(value, dt.date):
        raise ValueError(
            f"invalid {what} {value!r}: write dates as YYYY-MM-DD (a date or an ISO string)"
        )
    if value < MIN_DATE:
        raise ValueError(f"{what} {value.isoformat()} is before {MIN_DATE.isoformat()}")
    return value


def _optional_date(value: Any) -> Any:
    return None if value is None else parse_date(value)


def _distribution_date(value: Any) -> Any:
    day = _optional_date(value)
    if day is not None and day > MAX_DISTRIBUTION_DATE:
        raise ValueError(
            f"distribution date {day.isoformat()} is after {MAX_DISTRIBUTION_DATE.isoformat()}"
        )
    return day


DataType = Literal["historical", "test"]
Decision = Literal["hiring", "promotion"]

AuditDate = Annotated[dt.date | None, BeforeValidator(_optional_date)]
DistributionDate = Annotated[dt.date | None, BeforeValidator(_distribution_date)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CsvOptions(_Model):
    """How to read a CSV file. Explicit, because sniffing a dialect hides ragged rows."""

    delimiter: str = ","
    header: bool = True
    encoding: str = "utf-8"

    @field_validator("encoding")
    @classmethod
    def _text_encoding(cls, v: str) -> str:
        """A text codec Python knows (rot13 and the like are not text encodings)."""
        import codecs

        try:
            info = codecs.lookup(v)
        except (LookupError, TypeError):
            raise ValueError(f"unknown text encoding {v!r} (e.g. utf-8, latin-1, cp1252)") from None
        if not getattr(info, "_is_text_encoding", True):
            raise ValueError(f"{v!r} is not a text encoding (e.g. utf-8, latin-1, cp1252)")
        return v

    @field_validator("delimiter")
    @classmethod
    def _one_char(cls, v: str) -> str:
        if v == "\\t":
            return "\t"
        if len(v) != 1:
            raise ValueError("delimiter must be a single character (use '\\t' for tab)")
        return v


class SourceSpec(_Model):
    """Where the rows live: a path, a glob, or an Ibis connection URL plus a table or query."""

    data: str | None = Field(None, description="Path, glob or URL (duckdb://, sqlite://, ...)")
    table: str | None = Field(None, description="Table name inside a database source")
    query: str | None = Field(None, description="SQL query run on the source's engine")

    @field_validator("query")
    @classmethod
    def _query_not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("the query is empty; give a SELECT or leave the query out")
        return v

    csv: CsvOptions = Field(default_factory=CsvOptions)


class ColumnSpec(_Model):
    """Which columns hold what. Only the category columns and one of outcome/score are required."""

    outcome: str | None = Field(None, description="Selected yes/no (boolean or 0/1)")
    score: str | None = Field(None, description="Numeric score, for LL144 scoring rates")
    truth: str | None = Field(None, description="Ground-truth label (boolean or 0/1)")
    prediction: str | None = Field(
        None, description="Predicted label; defaults to the outcome when truth is given"
    )
    sex: str | None = None
    race: str | None = Field(None, description="Race/ethnicity column")
    categories: dict[str, str] = Field(
        default_factory=dict, description="Other category name -> column"
    )


class ValueMaps(_Model):
    """Raw value -> category label. Map a value to null (~) to declare it unknown."""

    sex: dict[str, str | None] = Field(default_factory=dict)
    race: dict[str, str | None] = Field(default_factory=dict)
    categories: dict[str, dict[str, str | None]] = Field(default_factory=dict)

    @field_validator("sex", "race", mode="before")
    @classmethod
    def _stringify_keys(cls, v: Any) -> Any:
        return {str(k): val for k, val in v.items()} if isinstance(v, dict) else v

    @field_validator("categories", mode="before")
    @classmethod
    def _stringify_nested(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        return {
            name: {str(k): val for k, val in m.items()} if isinstance(m, dict) else m
            for name, m in v.items()
        }


class Exclusion(_Model):
    """LL144 §5-301(d): a category under 2% of the data may be left out of impact ratios.

    Only with a stated reason; the category's count and rate are still reported.
    """

    category: str
    reason: str = Field(min_length=1)
    table: str | None = Field(
        None, description="sex, race_ethnicity, intersectional or another category; all if omitted"
    )

    @field_validator("reason")
    @classmethod
    def _real_reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("an exclusion needs a stated reason")
        return v.strip()


class AuditInfo(_Model):
    """Facts the LL144 public summary must carry, which the data cannot supply.

    Each has a flag of the same name (`--auditor`, `--data-type`, ...); flags override the spec.
    """

    date: AuditDate = Field(None, description="Date of the bias audit; defaults to today")
    data_period: str | None = Field(None, description="Period the data covers")
    data_description: str | None = Field(None, description="Source and explanation of the data")
    data_type: DataType = Field(
        "historical",
        description="historical (collected while the AEDT was used) or test data (5-300, 5-302)",
    )
    test_data_explanation: str | None = Field(
        None,
        description="Why historical data was not used and how the test data was generated and "
        "obtained (5-302(b)); needed when data_type is test",
    )
    aedt: str | None = Field(None, description="Name of the automated employment decision tool")
    distribution_date: DistributionDate = Field(
        None, description="Date the employer or employment agency began using the AEDT (5-300)"
    )
    auditor: str | None = Field(None, description="The independent auditor who did the audit")
    decision: Decision = Field(
        "hiring",
        description="Employment decision the AEDT assists: hiring (applicants) or promotion "
        "(candidates for promotion)",
    )

    @field_validator("data_period", "data_description", "test_data_explanation", "aedt", "auditor")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        """A blank fact is a missing fact, so that it is reported as missing."""
        return v.strip() or None if isinstance(v, str) else v


class AuditSpec(_Model):
    """Everything needed to rerun an audit."""

    source: SourceSpec = Field(default_factory=SourceSpec)
    columns: ColumnSpec = Field(default_factory=ColumnSpec)
    values: ValueMaps = Field(default_factory=ValueMaps)
    exclusions: list[Exclusion] = Field(default_factory=list)
    audit: AuditInfo = Field(default_factory=AuditInfo)

    def effective_prediction(self) -> str | None:
        """The prediction column, falling back to the outcome when ground truth is given."""
        if self.columns.prediction:
            return self.columns.prediction
        return self.columns.outcome if self.columns.truth else None

    def dimensions(self) -> list[tuple[str, str]]:
        """(dimension name, column) pairs in a stable order: sex, race, then the others."""
        dims: list[tuple[str, str]] = []
        if self.columns.sex:
            dims.append((SEX, self.columns.sex))
        if self.columns.race:
            dims.append((RACE, self.columns.race))
        dims.extend(self.columns.categories.items())
        return dims

    def value_map(self, dimension: str) -> dict[str, str | None]:
        """The user's value mapping for one dimension."""
        if dimension == SEX:
            return self.values.sex
        if dimension == RACE:
            return self.values.race
        return self.values.categories.get(dimension, {})

    def check(self) -> None:
        """Cross-field checks that pydantic cannot express field by field."""
        problems = ErrorCollector()
        c = self.columns
        if not (c.outcome or c.score or c.truth):
            problems.add(
                "no outcome, score or ground-truth column given",
                hint="pass --outcome COL for selection rates or --score COL for scoring rates",
            )
        if not self.dimensions():
            problems.add(
                "no category column given",
                hint="pass --sex COL and --race COL (LL144 needs both), or --category NAME=COL",
            )
        if c.truth and not self.effective_prediction():
            problems.add("--truth needs --prediction or --outcome to compare against")
        for name in c.categories:
            if name in (SEX, RACE, INTERSECTIONAL, "race", "sex"):
                problems.add(
                    f"category name {name!r} is reserved",
                    hint="use --sex / --race for those, or pick another name",
                )
        if self.source.table and self.source.query:
            problems.add("give either a table or a query, not both")
        problems.raise_if_any(AuditError, "The audit options are incomplete or inconsistent.")


def validation_error(exc: ValidationError, what: str, doc: Any = None) -> AuditError:
    """Turn pydantic's error into an AuditError listing every problem (with its line when the
    values came from a YAML document)."""
    problems = ErrorCollector()
    for e in exc.errors():
        loc = tuple(e["loc"])
        field_path = ".".join(str(p) for p in loc) or "(top level)"
        hint = "see docs/audit.md for the spec format" if e["type"] == "extra_forbidden" else None
        where = doc.location(loc) if doc is not None else None
        problems.add(visible(f"{field_path}: {e['msg']}"), where, hint)
    source = f" {doc.path}" if doc is not None else ""
    return AuditError(visible(f"The {what}{source} is invalid."), problems.problems)


def load_yaml_mapping(path: str | Path, what: str) -> Any:
    """Read a YAML file that must hold a mapping, through Accord's safe YAML reader (regular
    files only, size cap, alias budget, no merge keys, UTF-8, line and column in every error)."""
    from accord import yamlfile

    if not isinstance(path, str | os.PathLike):
        raise AuditError(f"The {what} path must be a string or a path, not {type(path).__name__}.")
    doc = yamlfile.load(path, what, AuditError)
    if not isinstance(doc.data, dict):
        raise AuditError(
            visible(
                f"{doc.location(())}: the {what} must be a YAML mapping "
                f"(key: value lines), not {type(doc.data).__name__}"
            )
        )
    return doc


def load_spec(path: str | Path) -> AuditSpec:
    """Load an audit spec from YAML, reporting every problem with its line and column.

    Raises only AuditError (an AccordError) for a bad path, file or spec.
    """
    doc = load_yaml_mapping(path, "audit spec")
    try:
        spec = AuditSpec.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(exc, "audit spec", doc) from None
    # A relative data path in a spec means "next to the spec", so specs can travel with data.
    data_path = spec.source.data
    if data_path and "://" not in data_path and not Path(data_path).is_absolute():
        spec.source.data = str(Path(path).parent / data_path)
    return spec


def load_value_maps(path: str | Path) -> ValueMaps:
    """Load a value-mapping file: `{sex: {...}, race: {...}, categories: {name: {...}}}`."""
    doc = load_yaml_mapping(path, "value map file")
    try:
        return ValueMaps.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(exc, "value map file", doc) from None
