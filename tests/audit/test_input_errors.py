"""Inputs that used to give a traceback, a misleading message or lost data: now exit 2 with the
file (and line), before any work is done where the problem is the output."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_testdata import generate_rows, write_parquet

Cli = Callable[..., tuple[int, str, str]]
BASE = ["--outcome", "selected", "--sex", "sex", "--race", "race"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet(generate_rows(80, seed=4), tmp_path_factory.mktemp("in") / "d.parquet")


def fails(result: tuple[int, str, str], *needles: str) -> str:
    code, out, err = result
    assert code == 2, (out, err)
    assert "Traceback" not in err
    text = " ".join(err.split())
    for needle in needles:
        assert needle in text, (needle, err)
    return text


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "needle"),
    [("9999-12-31", "is in the future"), ("1899-12-31", "before 1900-01-01")],
)
def test_audit_date_out_of_range(cli: Cli, data: Path, date: str, needle: str) -> None:
    fails(cli("audit", "bias", data, *BASE, "--audit-date", date), needle)


def test_distribution_date_out_of_range(cli: Cli, data: Path) -> None:
    fails(cli("audit", "bias", data, *BASE, "--distribution-date", "9999-12-31"), "after 2100")


def _spec(tmp_path: Path, data: Path, audit: str, name: str = "audit.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        f"source: {{data: {data}}}\ncolumns: {{outcome: selected, sex: sex}}\naudit:\n{audit}",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("audit", "needles"),
    [
        ("  date: 2026-02-30\n", ["audit.yaml:4", "2026-02-30", "YYYY-MM-DD"]),
        ('  date: "2026-02-30"\n', ["audit.yaml:4", "day is out of range"]),
        ("  date: 20260101\n", ["audit.yaml:4", "write dates as YYYY-MM-DD"]),
        ("  date: 1850-01-01\n", ["audit.yaml:4", "before 1900"]),
        ("  distribution_date: 2026-13-01\n", ["audit.yaml:4", "2026-13-01"]),
    ],
)
def test_bad_dates_in_a_spec(
    cli: Cli, data: Path, tmp_path: Path, audit: str, needles: list[str]
) -> None:
    fails(cli("audit", "bias", "--spec", _spec(tmp_path, data, audit)), *needles)


def test_future_date_in_a_spec(cli: Cli, data: Path, tmp_path: Path) -> None:
    fails(cli("audit", "bias", "--spec", _spec(tmp_path, data, "  date: 9999-12-31\n")), "future")


# --- spec and map files -------------------------------------------------------------------


SPEC_TEXT = "columns: {outcome: selected, sex: sex}\n"

BAD_YAML: list[tuple[str, bytes, list[str]]] = [
    ("non-utf8", "columns: {outcome: sélected}\n".encode("latin-1"), ["not valid UTF-8"]),
    ("nul byte", b"columns: {outcome: selected}\n\x00\n", ["NUL byte"]),
    ("merge key", b"base: &b {outcome: selected}\ncolumns:\n  <<: *b\n", ["merge keys", ":3"]),
    ("duplicate key", b"columns: {sex: sex}\ncolumns: {sex: sex}\n", ["duplicate key", ":2"]),
    (
        "alias bomb",
        b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
        ["expands too far"],
    ),
    ("not a mapping", b"- just\n- a list\n", ["must be a YAML mapping"]),
    ("empty", b"   \n", ["is empty"]),
]


@pytest.mark.parametrize(("name", "raw", "needles"), BAD_YAML, ids=[c[0] for c in BAD_YAML])
@pytest.mark.parametrize("flag", ["--spec", "--map-file"])
def test_bad_spec_and_map_files(
    cli: Cli, data: Path, tmp_path: Path, name: str, raw: bytes, needles: list[str], flag: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(raw)
    fails(cli("audit", "bias", data, *BASE, flag, path), "bad.yaml", *needles)


def test_spec_that_is_a_device_or_directory(cli: Cli, data: Path, tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    fails(cli("audit", "bias", data, *BASE, "--spec", link), "not a regular file")
    fails(cli("audit", "bias", data, *BASE, "--map-file", tmp_path), "is a directory")


# --- data files ---------------------------------------------------------------------------


def test_ragged_csv_row_near_the_top_names_its_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        "sex,race,selected\nMale,White,true\nFemale,Asian\nMale,White,false\n", encoding="utf-8"
    )
    text = fails(cli("audit", "bias", path, *BASE), f"{path}:3:", "2 fields", "line 1 has 3")
    assert "'Female,Asian'" in text


def test_ragged_csv_row_far_down_names_its_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    lines = ["sex,race,selected", *["Male,White,true"] * 25_000, "Male,White,true,extra"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fails(cli("audit", "bias", path, *BASE), f"{path}:25002:", "4 fields")


def test_ragged_csv_through_ibis_names_its_line(tmp_path: Path) -> None:
    from accord.audit import run_bias_audit
    from accord.audit.spec import AuditSpec
    from accord.errors import AuditError

    path = tmp_path / "ragged.csv"
    path.write_text("sex,selected\nMale,true\nFemale,false,x\nMale,true\n", encoding="utf-8")
    spec = AuditSpec.model_validate(
        {"source": {"data": str(path)}, "columns": {"outcome": "selected", "sex": "sex"}}
    )
    with pytest.raises(AuditError, match=rf"{path}:3: this row has 3 fields"):
        run_bias_audit(spec, native=False)


@pytest.mark.parametrize("name", ["weird[1].csv", "star*.csv", "what?.csv"])
def test_existing_file_with_glob_characters_is_read_as_that_file(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text("sex,race,selected\nMale,White,true\nFemale,Asian,false\n", encoding="utf-8")
    # Decoys a glob reading of the name would pick up instead of (or as well as) the file.
    (tmp_path / "weird1.csv").write_text("sex,race,selected\n" + "Male,White,true\n" * 7)
    (tmp_path / "starX.csv").write_text("sex,race,selected\n" + "Male,White,true\n" * 7)
    (tmp_path / "whatX.csv").write_text("sex,race,selected\n" + "Male,White,true\n" * 7)
    code, out, err = cli("audit", "bias", path, *BASE, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["rows"] == 2
    assert doc["source"]["location"] == str(path)


def test_glob_patterns_still_work(cli: Cli, tmp_path: Path) -> None:
    for i in range(2):
        (tmp_path / f"part{i}.csv").write_text("sex,race,selected\nMale,White,true\n")
    code, out, err = cli("audit", "bias", tmp_path / "part*.csv", *BASE, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["rows"] == 2


# --- the output file ----------------------------------------------------------------------


def test_output_onto_the_input_data_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "applicants.csv"
    original = "sex,race,selected\nMale,White,true\nFemale,Asian,false\n"
    path.write_text(original, encoding="utf-8")
    fails(cli("audit", "bias", path, *BASE, "-o", path), "is also an input")
    assert path.read_text(encoding="utf-8") == original
    # Through a glob that matches it, too.
    fails(cli("audit", "bias", tmp_path / "*.csv", *BASE, "-o", path), "is also an input")
    assert path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize("which", ["--spec", "--map-file"])
def test_output_onto_the_spec_or_map_is_refused(
    cli: Cli, data: Path, tmp_path: Path, which: str
) -> None:
    path = tmp_path / "file.yaml"
    text = SPEC_TEXT if which == "--spec" else "sex: {Male: Male}\n"
    path.write_text(text, encoding="utf-8")
    fails(cli("audit", "bias", data, *BASE, which, path, "-o", path), "is also an input")
    assert path.read_text(encoding="utf-8") == text


def test_output_into_a_missing_directory_fails_before_the_audit(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import accord.audit.api as api

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the audit ran before the output was checked")

    monkeypatch.setattr(api, "run_bias_audit", never)
    target = tmp_path / "missing" / "out.json"
    fails(cli("audit", "bias", tmp_path / "any.parquet", *BASE, "-o", target), "does not exist")
    fails(cli("audit", "bias", tmp_path / "any.parquet", *BASE, "-o", tmp_path), "directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only directories")
def test_output_into_a_read_only_directory(cli: Cli, data: Path, tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        fails(cli("audit", "bias", data, *BASE, "-o", ro / "out.json"), "not writable")
    finally:
        ro.chmod(0o700)


def test_output_replaces_an_existing_file_whole(cli: Cli, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.accord-audit.json"
    target.write_text("x" * 100_000, encoding="utf-8")
    code, _, err = cli("audit", "bias", data, *BASE, "-o", target)
    assert code == 0, err
    assert json.loads(target.read_text(encoding="utf-8"))["kind"] == "accord.audit.bias"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_engine_interrupt_is_an_interrupt_not_bad_input() -> None:
    """Ctrl-C inside DuckDB raises its InterruptException: that must stay an interrupt (exit 130
    in the CLI), not become an input error (exit 2)."""
    from accord.audit.source import execute

    class InterruptException(Exception):  # named like duckdb.InterruptException
        pass

    def interrupted() -> None:
        raise InterruptException("INTERRUPT Error: Interrupted!")

    with pytest.raises(KeyboardInterrupt):
        execute("d.parquet", "counting by category", interrupted)
