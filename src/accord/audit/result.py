"""The audit result: one model for the CLI, the Python API and the saved evidence file.

The JSON form carries `schema_version`, so a registry that stores it as evidence (and a
regulator's reviewer a year later) can read it without guessing. Bump the minor version when
fields are added, the major version when a field changes meaning or disappears; docs/audit.md
lists every field and a test checks that the list stays complete.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.audit.spec import ColumnSpec, DataType, Decision, validation_error
from accord.errors import AuditError

SCHEMA_VERSION = "1.1"
RESULT_KIND = "accord.audit.bias"

#: The one sentence every human-facing output prints next to a four-fifths flag.
EEOC_LABEL = (
    "EEOC four-fifths rule of thumb (Uniform Guidelines, 29 CFR 1607.4(D)). "
    "This is not an LL144 threshold: NYC Local Law 144 sets no impact-ratio threshold."
)
FOUR_FIFTHS = 0.8

RateKind = Literal["selection", "scoring"]

#: Largest saved result read back (a result is a few hundred KB even for many categories).
MAX_RESULT_BYTES = 256 * 1024 * 1024

# JSON escapes C0 controls itself; DEL, C1 controls and bidi overrides are legal raw in JSON but
# can drive a terminal, so the document spells them as \u escapes (the same data once parsed).
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnknownCount(_Model):
    """Individuals left out of a table because their category is unknown, and why."""

    count: int = Field(description="Individuals not included because of unknown category")
    missing: int = Field(0, description="Null or blank category value")
    declared: int = Field(0, description="Value says or is mapped to 'unknown'")
    unmapped: int = Field(0, description="Value not recognised and not mapped")
    unmapped_values: dict[str, int] = Field(
        default_factory=dict, description="Raw unmapped values with their counts"
    )


class RateRow(_Model):
    """One category of an LL144 table."""

    category: str
    count: int = Field(description="Individuals in the category (applicants or candidates)")
    positives: int = Field(description="Selected, or scored above the sample median")
    rate: float | None = Field(description="Selection or scoring rate; null if count is 0")
    impact_ratio: float | None = Field(
        description="Rate / highest rate; null if empty, excluded, or the highest rate is 0"
    )
    share_of_data: float | None = Field(
        description="count / table total (including unknown), for the 2% exclusion rule"
    )
    excluded_from_impact_ratio: bool = False
    exclusion_reason: str | None = None


class RateTable(_Model):
    """A selection-rate or scoring-rate table for one dimension (LL144 §5-301(b), (c))."""

    dimension: str = Field(description="sex, race_ethnicity, intersectional, or a custom name")
    rate_kind: RateKind
    rows: list[RateRow]
    total: int = Field(description="Individuals in the audit population, unknown included")
    unknown: UnknownCount
    reference_categories: list[str] = Field(
        description="Categories with the highest rate (impact ratio 1.0)"
    )


class PublicSummaryRow(_Model):
    """One line of the published table."""

    table: str
    rate_kind: RateKind
    category: str
    count: int
    rate: float | None
    impact_ratio: float | None
    excluded_from_impact_ratio: bool
    exclusion_reason: str | None


class PublicSummary(_Model):
    """The LL144 public summary (6 RCNY 5-303(a)), with the facts it is built from.

    Published (text and Markdown): `audit_date`, `aedt`, `distribution_date`, `auditor`,
    `data_type`, `data_description`, `data_period`, `test_data_explanation` (test data only),
    `unknown_category_count` and `rows`. Kept as evidence but not published: `valid_until`,
    `data_source` (where the data was read from), `number_of_individuals`, `missing_fields`.
    """

    audit_date: dt.date = Field(description="Date of the most recent bias audit")
    valid_until: dt.date = Field(
        description="Audit date + 1 year: the audit must be under a year old"
    )
    aedt: str | None = Field(description="Name of the AEDT the summary is about")
    auditor: str | None = Field(None, description="The independent auditor")
    distribution_date: dt.date | None = Field(
        description="Date the employer or employment agency began using the AEDT (5-300)"
    )
    data_source: str = Field(description="Where the data was read from (not published)")
    data_description: str | None = Field(description="Source and explanation of the data")
    data_type: DataType
    test_data_explanation: str | None
    data_period: str | None
    decision: Decision = Field(
        "hiring", description="hiring (applicants) or promotion (candidates for promotion)"
    )
    number_of_individuals: int = Field(description="Individuals assessed by the AEDT")
    unknown_category_count: dict[str, int] = Field(
        description="Per table, individuals not included because of unknown category"
    )
    missing_fields: list[str] = Field(
        default_factory=list,
        description="Facts the summary needs that were not given (see REQUIRED_FACTS)",
    )
    rows: list[PublicSummaryRow]


class LL144Section(_Model):
    """NYC Local Law 144 tables: sex, race/ethnicity and their intersection."""

    selection: list[RateTable] = Field(default_factory=list)
    scoring: list[RateTable] = Field(default_factory=list)
    median_score: float | None = Field(description="Median score of the whole scored sample")
    rows_without_outcome: int = Field(0, description="Rows with a null outcome (not included)")
    rows_without_score: int = Field(0, description="Rows with a null score (not included)")
    public_summary: PublicSummary


class Significance(_Model):
    """A two-sided test of a category's rate against the reference category's."""

    test: Literal["two-proportion z-test", "Fisher's exact test"]
    statistic: float | None = Field(description="z for the z-test, the odds ratio for Fisher")
    p_value: float
    significant_at_0_05: bool


class FourFifthsRow(_Model):
    """One category checked against the EEOC rule of thumb."""

    table: str = Field(description="e.g. selection/sex")
    category: str
    count: int
    rate: float | None
    rate_ci95: tuple[float, float] | None = Field(description="Wilson 95% interval")
    reference_category: str | None
    impact_ratio: float | None
    eeoc_rule_of_thumb_flag: bool | None = Field(
        description="impact ratio < 0.8 (EEOC rule of thumb; not an LL144 threshold)"
    )
    significance: Significance | None


class EEOCSection(_Model):
    """EEOC four-fifths checks: a screening heuristic, labelled as such wherever it appears."""

    label: str = EEOC_LABEL
    threshold: float = FOUR_FIFTHS
    rows: list[FourFifthsRow] = Field(default_factory=list)

    def flagged(self) -> list[FourFifthsRow]:
        """Rows under four-fifths."""
        return [r for r in self.rows if r.eeoc_rule_of_thumb_flag]


class GroupMetrics(_Model):
    """Classification metrics for one group (fairlearn names)."""

    count: int
    tp: int
    fp: int
    tn: int
    fn: int
    selection_rate: float | None
    true_positive_rate: float | None
    false_positive_rate: float | None
    positive_predictive_value: float | None


class FairnessTable(_Model):
    """fairlearn's MetricFrame vocabulary, computed from counts for one grouping."""

    dimension: str
    by_group: dict[str, GroupMetrics]
    overall: GroupMetrics = Field(description="Over the rows of by_group (known category)")
    difference: dict[str, float | None] = Field(description="max - min over groups, per metric")
    ratio: dict[str, float | None] = Field(description="min / max over groups, per metric")
    demographic_parity_difference: float | None
    demographic_parity_ratio: float | None
    equalized_odds_difference: float | None
    equalized_odds_ratio: float | None
    equal_opportunity_difference: float | None
    unknown_count: int = Field(description="Classified rows with unknown category (not included)")


class SourceInfo(_Model):
    """Where the data came from, as shown in the report (passwords redacted)."""

    location: str
    backend: str
    kind: str
    table: str | None = None
    query: str | None = None


class AuditResult(_Model):
    """Everything one `accord audit bias` run found."""

    schema_version: str = SCHEMA_VERSION
    kind: str = RESULT_KIND
    generated_at: dt.datetime
    accord_version: str
    audit_date: dt.date
    data_period: str | None
    source: SourceInfo
    columns: ColumnSpec
    rows: int = Field(description="Rows in the audited table")
    ll144: LL144Section | None = Field(description="Null when neither sex nor race is given")
    eeoc_four_fifths_rule_of_thumb: EEOCSection
    other_categories: list[RateTable] = Field(default_factory=list)
    fairness: list[FairnessTable] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        """The versioned JSON document."""
        text = self.model_dump_json(indent=2)
        return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

    def save(self, path: str | Path) -> Path:
        """Write the JSON evidence file atomically (the old file or the complete new one, never
        a truncated one) and return its path. Raises AccordError if it cannot be written."""
        from accord import files

        if not isinstance(path, str | os.PathLike):
            raise AuditError(f"path must be a string or a path, not {type(path).__name__}.")
        target = Path(path)
        files.write_atomic(target, self.to_json() + "\n")
        return target

    @classmethod
    def load(cls, path: str | Path) -> AuditResult:
        """Read a saved result back (e.g. to attach it to a system as evidence).

        Raises AuditError (an AccordError) for a missing, unreadable or invalid file.
        """
        from accord import files

        if not isinstance(path, str | os.PathLike):
            raise AuditError(f"path must be a string or a path, not {type(path).__name__}.")
        text = files.read_text(path, "audit result", AuditError, limit=MAX_RESULT_BYTES)
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise validation_error(exc, f"audit result {path}") from None

    def tables(self) -> list[RateTable]:
        """All rate tables, LL144 first."""
        out: list[RateTable] = []
        if self.ll144:
            out += self.ll144.selection + self.ll144.scoring
        return out + self.other_categories
