"""The Python API raises only AccordError subclasses for bad input, and takes dates as
`datetime.date` or ISO strings.

Before the fix `bias_audit` leaked pydantic's ValidationError, AttributeError and ValueError;
`load_spec` leaked UnicodeDecodeError, ValueError and yaml's ReaderError; `AuditResult.load`
leaked ValidationError and FileNotFoundError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import generate_rows, write_parquet

from accord.audit import AuditResult, bias_audit, load_spec, run_bias_audit
from accord.audit.spec import AuditSpec
from accord.errors import AccordError, AuditError

COLS: dict[str, Any] = {"outcome": "selected", "sex": "sex", "race": "race"}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet(generate_rows(60, seed=6), tmp_path_factory.mktemp("api") / "d.parquet")


BAD_CALLS: list[tuple[str, Callable[[Path], Any]]] = [
    ("data of a wrong type", lambda d: bias_audit(123, **COLS)),  # type: ignore[arg-type]
    ("data None", lambda d: bias_audit(None, **COLS)),  # type: ignore[arg-type]
    ("column of a wrong type", lambda d: bias_audit(str(d), outcome=1, sex="sex")),  # type: ignore[arg-type]
    ("categories not a dict", lambda d: bias_audit(str(d), outcome="selected", categories="x")),  # type: ignore[arg-type]
    ("unknown keyword", lambda d: bias_audit(str(d), **COLS, colour="red")),
    ("source not a mapping", lambda d: bias_audit(str(d), **COLS, source="x")),
    ("values of a wrong shape", lambda d: bias_audit(str(d), **COLS, values={"sex": [1]})),
    ("impossible date", lambda d: bias_audit(str(d), **COLS, audit={"date": "2026-02-30"})),
    ("date as a number", lambda d: bias_audit(str(d), **COLS, audit={"date": 20260101})),
    ("future date", lambda d: bias_audit(str(d), **COLS, audit={"date": "9999-12-31"})),
    ("date before 1900", lambda d: bias_audit(str(d), **COLS, audit={"date": dt.date(1850, 1, 1)})),
    ("bad exclusion", lambda d: bias_audit(str(d), **COLS, exclusions=[{"category": "x"}])),
    ("missing file", lambda d: bias_audit(str(d.parent / "nope.parquet"), **COLS)),
    ("NUL in path", lambda d: bias_audit("a\x00b.parquet", **COLS)),
    ("path too long", lambda d: bias_audit("x" * 5000 + ".parquet", **COLS)),
    ("missing column", lambda d: bias_audit(str(d), outcome="nope", sex="sex")),
    ("spec not a spec", lambda d: run_bias_audit("audit.yaml")),  # type: ignore[arg-type]
    ("spec mapping invalid", lambda d: run_bias_audit({"columns": {"colour": "red"}})),
    ("table not a table", lambda d: run_bias_audit(AuditSpec(), table="t")),  # type: ignore[arg-type]
    ("today not a date", lambda d: run_bias_audit(AuditSpec(), today="yesterday")),
    ("progress not callable", lambda d: run_bias_audit(AuditSpec(), progress=3)),  # type: ignore[arg-type]
    ("load_spec None", lambda d: load_spec(None)),  # type: ignore[arg-type]
    ("load_spec missing", lambda d: load_spec(d.parent / "none.yaml")),
    ("load_spec directory", lambda d: load_spec(d.parent)),
    ("load result missing", lambda d: AuditResult.load(d.parent / "none.json")),
    ("load result not JSON", lambda d: AuditResult.load(d)),
    ("load result None", lambda d: AuditResult.load(None)),  # type: ignore[arg-type]
    ("save result None", lambda d: _result(d).save(None)),  # type: ignore[arg-type]
    ("save into missing dir", lambda d: _result(d).save(d.parent / "no" / "r.json")),
]


def _result(data: Path) -> AuditResult:
    return bias_audit(str(data), **COLS)


@pytest.mark.parametrize(("name", "call"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_raises_accord_errors_only(
    data: Path, name: str, call: Callable[[Path], Any]
) -> None:
    with pytest.raises(AccordError) as info:
        call(data)
    assert str(info.value).strip()


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("columns: {outcome: sélected}\n".encode("latin-1"), "not valid UTF-8"),
        (b"columns: {outcome: selected}\x00\n", "NUL byte"),
        (b"columns: [unclosed\n", "malformed YAML"),
        (b"audit: {date: 2026-02-30}\n", "spec.yaml:1"),
        (b"audit:\n  date: '2026-02-30'\n", "spec.yaml:2"),
        (b"columns:\n  colour: red\n", "spec.yaml:2"),
        (b"- a\n- b\n", "must be a YAML mapping"),
        (b"columns: !!python/object:os.system {}\n", "spec.yaml:1"),
    ],
)
def test_load_spec_raises_audit_error_with_location(
    tmp_path: Path, raw: bytes, needle: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(raw)
    with pytest.raises(AuditError) as info:
        load_spec(path)
    assert needle in str(info.value)


def test_load_result_with_a_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"schema_version": "1.0", "kind": "accord.audit.bias"}', encoding="utf-8")
    with pytest.raises(AuditError, match="is invalid"):
        AuditResult.load(path)


def test_dates_as_date_or_iso_string(data: Path) -> None:
    as_text = bias_audit(str(data), **COLS, audit={"date": "2026-01-05"})
    as_date = bias_audit(str(data), **COLS, audit={"date": dt.date(2026, 1, 5)})
    as_datetime = bias_audit(str(data), **COLS, audit={"date": dt.datetime(2026, 1, 5, 9, 30)})
    assert as_text.audit_date == as_date.audit_date == as_datetime.audit_date == dt.date(2026, 1, 5)
    spec = {"source": {"data": str(data)}, "columns": COLS}
    on_a_day = run_bias_audit(spec, today="2026-03-01")
    assert on_a_day.audit_date == dt.date(2026, 3, 1)
    assert on_a_day.ll144 is not None
    assert on_a_day.ll144.public_summary.valid_until == dt.date(2027, 3, 1)


def test_path_objects_are_accepted(data: Path, tmp_path: Path) -> None:
    result = bias_audit(data, **COLS)
    saved = result.save(tmp_path / "r.accord-audit.json")
    assert AuditResult.load(saved) == result
    assert [p.name for p in tmp_path.iterdir()] == ["r.accord-audit.json"]
