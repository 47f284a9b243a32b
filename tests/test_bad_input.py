"""Every kind of bad input gets a clear message and exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOOD = "id: t\nname: T\nmarkets: [EU]\n"


def write(tmp_path: Path, text: str | bytes, name: str = "p.yaml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def assert_input_error(result, *needles: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    text = result.stderr + result.stdout
    for needle in needles:
        assert needle in text, (needle, text)


PROFILE_CASES = {
    "malformed yaml": ("id: t\nname: [unclosed\n", ["malformed YAML", ":3:"]),
    "wrong type": (
        GOOD + "technique:\n  interacts_with_people: maybe\n",
        ["technique.interacts_with_people", "true or false", ":5:"],
    ),
    "unknown field": (
        GOOD + "markts: [EU]\n",
        ["unknown field 'markts'", "did you mean 'markets'"],
    ),
    "unknown nested field": (
        GOOD + "technique:\n  gpai: true\n",
        ["unknown field 'technique.gpai'", "gpai_model"],
    ),
    "bad date": (
        GOOD + "lifecycle:\n  placed_on_market: 2026-13-01\n",
        ["2026-13-01", "YYYY-MM-DD"],
    ),
    "impossible date": (
        GOOD + "lifecycle:\n  placed_on_market: 2026-02-30x\n",
        ["lifecycle.placed_on_market", "YYYY-MM-DD"],
    ),
    "unknown taxonomy code": (
        GOOD + "uses: [employment.screening]\n",
        ["unknown use-case code", "employment.recruitment.screening"],
    ),
    "unknown jurisdiction": (
        "id: t\nname: T\nmarkets: [EU, XX]\n",
        ["unknown jurisdiction code 'XX'"],
    ),
    "bad enum value": (GOOD + "organisation:\n  size: huge\n", ["organisation.size", "'huge'"]),
    "negative number": (
        GOOD + "technique:\n  training_compute_flop: -5\n",
        ["training_compute_flop", "zero or more"],
    ),
    "missing required id": ("name: T\n", ["required field 'id'"]),
    "list instead of mapping": ("- a\n- b\n", ["must be a mapping"]),
    "duplicate key": (GOOD + "markets: [US]\n", ["duplicate key 'markets'"]),
    "empty file": ("", ["empty"]),
    "comments only": ("# nothing here\n", ["no data"]),
    "binary file": (b"\x00\x01\x02\x03PNG", ["binary"]),
    "not utf-8": (b"id: t\nname: \xff\xfe\n", ["UTF-8"]),
}


@pytest.mark.parametrize("case", list(PROFILE_CASES), ids=list(PROFILE_CASES))
def test_bad_profiles(cli, tmp_path, case):
    text, needles = PROFILE_CASES[case]
    result = cli("assess", write(tmp_path, text), "--as-of", "2026-11-27")
    assert_input_error(result, *needles)


def test_every_problem_is_reported_at_once(cli, tmp_path):
    text = GOOD + "markts: [EU]\norganisation:\n  size: huge\nuses: [nope]\n"
    result = cli("assess", write(tmp_path, text))
    assert_input_error(result, "3 problems", "markts", "size", "nope")


def test_directory_instead_of_file(cli, tmp_path):
    assert_input_error(cli("assess", str(tmp_path)), "is a directory")


def test_missing_file(cli, tmp_path):
    assert_input_error(cli("assess", str(tmp_path / "nope.yaml")), "no such profile")


def test_bad_as_of_date(cli):
    assert_input_error(
        cli("assess", "examples/spam-filter.yaml", "--as-of", "27/11/2026"),
        "not a date",
        "YYYY-MM-DD",
    )


def test_unknown_jurisdiction_option(cli):
    assert_input_error(
        cli("assess", "examples/spam-filter.yaml", "-j", "ATLANTIS"),
        "unknown jurisdiction 'ATLANTIS'",
    )


def test_unknown_format_is_a_usage_error(cli):
    result = cli("assess", "examples/spam-filter.yaml", "--format", "pdf")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_unknown_rule_id(cli):
    assert_input_error(cli("rules", "show", "eu-ai-act.nope"), "no rule 'eu-ai-act.nope'")


RULEBOOK_CASES = {
    "cycle": ["rule cycle", "x-act.a", "x-act.b"],
    "missing-citation": ["citation", "x-act.a"],
    "unknown-ref": ["unknown rule reference 'x-act.nowhere'"],
    "unknown-field": [
        "unknown profile field 'technique.interacts_with_peple'",
        "technique.interacts_with_people",
    ],
    "no-tests": ["has no test cases"],
    "dup-id": ["duplicate rule id 'x-act.a'"],
    "bad-theme": ["unknown theme 'vibes'"],
    "presumption-no-reason": ["`presume` needs a `presume_reason`"],
    "presumption-hides-duty": ["presumption x-act.exception#obvious hides obligation x-act.duty"],
}


@pytest.mark.parametrize("case", list(RULEBOOK_CASES), ids=list(RULEBOOK_CASES))
def test_bad_rulebooks(cli, case):
    result = cli("rules", "lint", "--rulebooks", str(DATA / "bad" / case))
    assert_input_error(result, "rules.yaml", *RULEBOOK_CASES[case])


def test_bad_rulebook_also_stops_assess(cli):
    result = cli("assess", "examples/spam-filter.yaml", "--rulebooks", str(DATA / "bad" / "cycle"))
    assert_input_error(result, "rule cycle")


def test_rulebook_folder_that_does_not_exist(cli, tmp_path):
    assert_input_error(
        cli("rules", "lint", "--rulebooks", str(tmp_path / "nope")), "does not exist"
    )
