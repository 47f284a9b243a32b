"""Regression tests for the fuzzing campaign of issue 8 (engine, profiles, rulebooks, init, CLI).

Each test names the failure it guards against. The audit's share lives in tests/audit/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT
from tests.helpers import input_error, write
from tests.synthetic_rulebook import write_rulebook

GOOD = "id: t\nname: T\nmarkets: [EU]\nroles: [provider]\n"
BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "id: t\nname: T\n"
)


# --- Denial of service ---------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["assess", "init --from", "init --answers", "rulebook"])
def test_alias_bomb_is_refused_fast_on_every_channel(cli, tmp_path, channel):
    bomb = write(tmp_path / "bomb.yaml", BOMB)
    start = time.perf_counter()
    if channel == "assess":
        r = cli("assess", bomb)
    elif channel == "init --from":
        r = cli("init", "--from", bomb)
    elif channel == "init --answers":
        r = cli("init", "--answers", bomb)
    else:
        book = write_rulebook(tmp_path / "books", 1)
        shutil.copy(bomb, book / "extra.yaml")
        r = cli("rules", "list", "--rulebooks", str(tmp_path / "books"))
    input_error(r, "expands too far through aliases")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo"])
def test_devices_and_fifos_are_refused_not_read(cli, tmp_path, target):
    link = tmp_path / "p.yaml"
    if target == "fifo":
        os.mkfifo(link)
    else:
        link.symlink_to(target)
    input_error(cli("assess", str(link)), "not a regular file")
    input_error(cli("init", "--answers", str(link)), "not a regular file")


def test_file_over_the_size_cap_is_refused(cli, tmp_path):
    from accord.files import MAX_TEXT_BYTES

    big = tmp_path / "big.yaml"
    big.write_text(GOOD + "# " + "x" * MAX_TEXT_BYTES + "\n")
    input_error(cli("assess", str(big)), "larger than 10 MiB")


def test_long_lists_are_capped_with_a_message(cli, tmp_path):
    from accord.profile.model import MAX_LIST_ITEMS

    markets = ["EU"] * (MAX_LIST_ITEMS + 1)
    p = write(tmp_path / "p.yaml", yaml.safe_dump({"id": "t", "name": "T", "markets": markets}))
    input_error(cli("assess", p), f"more than the {MAX_LIST_ITEMS}", "a list of 1001 items")


def test_output_grows_linearly_with_list_sizes(cli, tmp_path):
    """Trace lines name a long list by its deciding items and a count, never in full."""
    from accord import vocabulary

    codes = list(vocabulary.use_cases())

    def size(n: int) -> int:
        uses = (codes * (n // len(codes) + 1))[:n]
        p = write(tmp_path / f"p{n}.yaml", GOOD + yaml.safe_dump({"uses": uses}))
        r = cli("assess", p, "--as-of", "2026-11-27", "-f", "json")
        assert r.exit_code == 0, r.stderr
        return len(r.stdout)

    small, large = size(100), size(1000)
    assert large < 1.5 * small  # quadratic growth would make it about 100 times larger


def test_trace_shows_deciding_items_of_a_long_list_first():
    from accord.rules import conditions as c

    leaf = c.parse({"field": "uses", "matches": "employment"})
    uses = ["content.recommendation"] * 50 + ["employment.recruitment.screening"]
    lines = c.explain(leaf, {"uses": uses}, lambda r: c.Evaluation(None), lambda r: r)
    assert "employment.recruitment.screening" in lines[0]
    assert "and 46 more" in lines[0]
    assert lines[0].count("content.recommendation") == 4


def test_rule_tests_evaluate_only_the_rules_closure(tmp_path):
    """`rules test` on a 5,000-rule book took 637 s: every case evaluated every rule."""
    from accord.rules.harness import collect, run_states
    from accord.rules.loader import load_rules

    rs = load_rules([write_rulebook(tmp_path, 300).parent])
    case = next(c for c in collect(rs, ["synthetic"]) if c.rule_id == "synthetic.r299")
    states, _ = run_states(case, whole=False)
    assert set(states) == rs.closure("synthetic.r299")
    assert len(states) < 30 < len(rs.rules)
    whole, _ = run_states(case)
    assert states["synthetic.r299"].value == whole["synthetic.r299"].value


def test_rules_test_on_a_large_rulebook_takes_seconds(cli, tmp_path):
    write_rulebook(tmp_path, 2000)
    start = time.perf_counter()
    r = cli("rules", "test", "-i", "synthetic", "--rulebooks", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    assert "4002 passed, 0 failed" in r.stdout
    assert time.perf_counter() - start < 30  # was minutes; about 1 s here


def test_a_long_chain_of_rules_does_not_exhaust_the_stack(tmp_path):
    from accord.rules.loader import load_rules

    book = write_rulebook(tmp_path, 2)
    rules = yaml.safe_load((book / "rules.yaml").read_text())["rules"]
    template = rules[1]
    chain = [rules[0]]
    for i in range(3000):
        rule = json.loads(json.dumps(template))
        rule["id"] = f"synthetic.c{i}"
        rule["citation"]["article"] = str(i + 10)
        if i:
            rule["when"] = {"any": [rule["when"], {"rule": f"synthetic.c{i - 1}"}]}
        chain.append(rule)
    (book / "rules.yaml").write_text(yaml.safe_dump({"rules": chain}))
    rs = load_rules([tmp_path])
    assert len(rs.closure("synthetic.c2999")) == 3001


# --- Data loss -------------------------------------------------------------------------------


def test_init_checks_the_output_directory_before_asking(cli, tmp_path):
    r = cli("init", "-o", str(tmp_path / "missing" / "p.yaml"), input="my-id\n")
    input_error(r, "does not exist")
    assert "Short id" not in r.stderr  # no question was asked


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only directories")
def test_init_refuses_a_read_only_directory_before_asking(cli, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    input_error(cli("init", "-o", str(ro / "p.yaml"), input="x\n"), "not writable")


def test_init_output_that_is_a_directory(cli, tmp_path):
    input_error(cli("init", "-o", str(tmp_path), "--force"), "is a directory")


def test_init_never_overwrites_its_own_input(cli, tmp_path):
    answers = write(tmp_path / "a.yaml", "id: t\nname: T\nmarkets: [EU]\n")
    before = Path(answers).read_text()
    r = cli("init", "--answers", answers, "-o", answers, "--force")
    input_error(r, "is also an input")
    assert Path(answers).read_text() == before


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    from accord.errors import InputError
    from accord.files import write_atomic

    target = tmp_path / "p.yaml"
    target.write_text("old\n")

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(InputError, match="No space left"):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no temporary file left


def test_init_answers_are_all_checked_and_kept(cli, tmp_path):
    bad_size = write(tmp_path / "a1.yaml", "organisation.size: gigantic\n")
    input_error(cli("init", "--answers", bad_size), "a1.yaml:1:1", "organisation.size")
    bad_market = write(tmp_path / "a2.yaml", "markets: [XX]\n")
    input_error(cli("init", "--answers", bad_market), "a2.yaml", "'XX'")
    short = write(tmp_path / "a3.yaml", "size: large\n")
    input_error(cli("init", "--answers", short), "did you mean 'organisation.size'")
    # An answer to a question that is never asked is kept, not dropped.
    fine = write(
        tmp_path / "a4.yaml",
        "id: t\nname: T\nmarkets: [NO]\norganisation.name: Acme AS\n",
    )
    out = tmp_path / "out.yaml"
    r = cli("init", "--answers", fine, "-o", str(out), "--as-of", "2026-11-27")
    assert r.exit_code == 0, r.stderr
    data = yaml.safe_load(out.read_text())
    assert data["markets"] == ["NO"]  # Norway, not False
    assert data["organisation"]["name"] == "Acme AS"


def test_init_end_of_input_before_an_id_writes_nothing(cli, tmp_path):
    out = tmp_path / "p.yaml"
    input_error(cli("init", "-o", str(out), input=""), "nothing was written")
    assert not out.exists()


def test_sigint_at_an_init_prompt_exits_130_and_writes_nothing(tmp_path):
    out = tmp_path / "p.yaml"
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord", "init", "-o", str(out)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stderr is not None
    prompt = ""
    deadline = time.time() + 30
    while "Short id" not in prompt and time.time() < deadline:
        prompt += proc.stderr.read(1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted; nothing was written" in err
    assert "Traceback" not in err
    assert not out.exists()


# --- Security ------------------------------------------------------------------------------------


def test_escape_sequences_never_reach_the_terminal(cli, tmp_path):
    esc = write(tmp_path / "p.yaml", 'id: t\nname: "evil \\e[2J"\n')
    input_error(cli("assess", esc), "control character U+001B")
    missing = tmp_path / "evil\x1b[31m.yaml"
    r = cli("assess", str(missing))
    assert "\x1b" not in r.stderr and "\\x1b" in r.stderr


def test_markdown_escapes_profile_text(cli, tmp_path):
    p = write(tmp_path / "p.yaml", GOOD.replace("name: T", "name: <script>alert(1)</script>"))
    r = cli("assess", p, "-f", "markdown", "--as-of", "2026-11-27")
    assert r.exit_code == 0, r.stderr
    assert "<script>" not in r.stdout and "&lt;script&gt;" in r.stdout


def test_only_http_links_from_rulebooks(cli, tmp_path):
    book = write_rulebook(tmp_path / "books", 1)
    text = (book / "rules.yaml").read_text()
    (book / "rules.yaml").write_text(
        text.replace("url: https://example.org/synthetic-act", "url: javascript:alert(1)", 2)
    )
    profile = write(tmp_path / "p.yaml", GOOD + "technique: {interacts_with_people: true}\n")
    r = cli(
        "assess", profile, "-f", "markdown", "--exit-zero", "--rulebooks", str(tmp_path / "books")
    )
    assert r.exit_code == 0, r.stderr
    assert "(javascript:" not in r.stdout


def test_rich_markup_in_rulebook_data_is_printed_as_text(cli, tmp_path):
    book = write_rulebook(tmp_path / "books", 1)
    text = (book / "rules.yaml").read_text()
    (book / "rules.yaml").write_text(text.replace("article: '2'", "article: '2 [/b] [a]'"))
    r = cli("rules", "list", "-i", "synthetic", "--rulebooks", str(tmp_path / "books"))
    assert r.exit_code == 0, r.stderr
    assert "[/b]" in r.stdout and "[a]" in r.stdout


# --- Tracebacks that became messages ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("base: &b {id: t}\n<<: *b\nname: T\n", "merge keys"),
        ("id: t\nname: T\nx: &a [*a]\n", "recursive"),
        ("id: t\nname: T\norganisation: {annual_turnover_eur: !!float ''}\n", "invalid float"),
        ("id: t\nname: T\nversion: !!int ''\n", "invalid int"),
        ("id: t\nname: T\nlifecycle: {placed_on_market: !!timestamp yesterday}\n", "YYYY-MM-DD"),
        ("id: !!python/object/apply:os.system [echo]\nname: T\n", "unsupported YAML tag"),
        ("x: " + "[" * 999 + "]" * 999 + "\n", "nested deeper than 100 levels"),
        ("x: " + "{a: " * 500 + "1" + "}" * 500 + "\n", "nested deeper than 100 levels"),
    ],
)
def test_yaml_oddities_are_messages(cli, tmp_path, text, needle):
    input_error(cli("assess", write(tmp_path / "p.yaml", text)), needle)


def test_yaml_oddities_in_rulebooks_are_messages(cli, tmp_path):
    book = write_rulebook(tmp_path / "books", 1)
    (book / "extra.yaml").write_text("rules: &r [*r]\n")
    input_error(cli("rules", "lint", "--rulebooks", str(tmp_path / "books")), "recursive")


def test_rulebooks_option_naming_a_file(cli, tmp_path, monkeypatch):
    meta = write_rulebook(tmp_path, 1) / "instrument.yaml"
    input_error(cli("rules", "list", "--rulebooks", str(meta)), "is not a folder")
    monkeypatch.setenv("ACCORD_RULEBOOKS", str(meta))
    input_error(cli("rules", "list"), "is not a folder", "$ACCORD_RULEBOOKS")


def test_path_longer_than_the_system_allows(cli, tmp_path):
    long = str(tmp_path / ("a" * 300))
    input_error(cli("assess", long), "cannot open profile")
    input_error(cli("rules", "list", "--rulebooks", long), "cannot read rulebooks")


@pytest.mark.parametrize(
    "operand",
    [
        {"matches": {"a": "b"}},
        {"within": [["EU"]]},
        {"is": [1]},
        {"in": [{"a": 1}]},
        {"gt": float("nan")},
        {"gt": float("inf")},
        {"any_of": []},
    ],
)
def test_condition_operands_are_checked(operand):
    from accord.rules import conditions as c

    with pytest.raises(c.ConditionSyntaxError):
        c.parse({"field": "uses", **operand})


def test_stdout_on_a_full_disk(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "accord", "assess", str(EXAMPLES / "cv-screener.yaml")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
    assert r.returncode == 2
    assert "cannot write the output" in r.stderr and "Traceback" not in r.stderr


# --- Silently accepted ---------------------------------------------------------------------


def test_option_typos_are_errors_with_suggestions(cli):
    cv = str(EXAMPLES / "cv-screener.yaml")
    input_error(cli("assess", cv, "--framework", "nist-ai-rfm"), "did you mean 'nist-ai-rmf'")
    input_error(cli("assess", cv, "--scenario", "nope-nope"), "unknown scenario")
    input_error(cli("rules", "test", "-i", "nope"), "unknown instrument 'nope'")
    input_error(cli("rules", "list", "--kind", "obligaton"), "did you mean 'obligation'")
    input_error(cli("rules", "list", "-i", "eu-ai-ac"), "did you mean 'eu-ai-act'")


def _broken_book(tmp_path: Path, old: str, new: str) -> str:
    book = write_rulebook(tmp_path / "books", 1)
    for name in ("instrument.yaml", "rules.yaml"):
        path = book / name
        path.write_text(path.read_text().replace(old, new, 1))
    return str(tmp_path / "books")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("'2024-01-01': in_force", "'2024-01-01': banana", "unknown status 'banana'"),
        (
            "last_reviewed",
            "penalties: [{id: p, title: P, citation: {article: '1'}, "
            "fixed_max: .nan}]\nlast_reviewed",
            "not a number",
        ),
        (
            "last_reviewed",
            "penalties: [{id: p, title: P, citation: {article: '1'}, "
            "fixed_max: .inf}]\nlast_reviewed",
            "finite number",
        ),
        (
            "last_reviewed",
            "penalties: [{id: p, title: P, citation: {article: '1'}, "
            "fixed_max: -1000}]\nlast_reviewed",
            "greater than or equal to 0",
        ),
        ("status:\n  '2024-01-01': in_force", "status: {}", "at least one"),
    ],
)
def test_lint_is_the_gate_for_instrument_data(cli, tmp_path, old, new, needle):
    books = _broken_book(tmp_path, old, new)
    input_error(cli("rules", "lint", "--rulebooks", books), needle)
    p = write(tmp_path / "p.yaml", GOOD)
    input_error(cli("assess", p, "--rulebooks", books), needle)  # assess refuses it too


def test_lint_checks_test_profiles_and_assess_warns(cli, tmp_path):
    books = _broken_book(tmp_path, "profile: {}", "profile: {markets: [ATLANTIS]}")
    input_error(cli("rules", "lint", "--rulebooks", books), "invalid profile", "ATLANTIS")
    r = cli("assess", write(tmp_path / "p.yaml", GOOD), "--rulebooks", books)
    assert r.exit_code == 0
    assert "lint problem" in r.stderr and "ATLANTIS" in r.stderr


def test_dangling_instrument_file_is_reported(cli, tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "instrument.yaml").symlink_to(tmp_path / "gone.yaml")
    input_error(cli("rules", "list", "--rulebooks", str(tmp_path)), "symlink to a missing file")


def test_rule_files_without_an_instrument_are_reported(cli, tmp_path):
    write(tmp_path / "book" / "rules.yaml", "rules: []\n")
    input_error(cli("rules", "list", "--rulebooks", str(tmp_path)), "no instrument.yaml")


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("lifecycle: {placed_on_market: 0}\n", "write it as YYYY-MM-DD"),
        ("lifecycle: {placed_on_market: 20260101}\n", "write it as YYYY-MM-DD"),
        ("organisation: {annual_turnover_eur: .inf}\n", "finite number"),
        ("controls: [{id: bias-adit}]\n", "did you mean 'bias-audit'"),
    ],
)
def test_profile_values_that_used_to_pass(cli, tmp_path, extra, needle):
    input_error(cli("assess", write(tmp_path / "p.yaml", GOOD + extra)), needle)


def test_profile_schema_lists_codes_the_model_accepts():
    from accord import vocabulary
    from accord.schemas import profile_schema

    schema = profile_schema()
    established = schema["$defs"]["Organisation"]["properties"]["established_in"]["anyOf"][0]
    assert "DE" in established["enum"] and "ATLANTIS" not in established["enum"]
    assert set(schema["$defs"]["Control"]["properties"]["id"]["enum"]) == set(vocabulary.controls())
    assert schema["properties"]["markets"]["anyOf"][0]["maxItems"] == 1000


# --- Python API ---------------------------------------------------------------------------


def test_python_api_raises_only_accord_errors(tmp_path):
    from accord.engine import assess
    from accord.errors import AccordError
    from accord.profile import load_profile

    deep = write(tmp_path / "deep.yaml", "a: " + "[" * 5000 + "]" * 5000)
    rec = write(tmp_path / "rec.yaml", "a: &a [*a]\n")
    for path in (deep, rec, str(tmp_path), str(tmp_path / ("b" * 300)), "/dev/zero"):
        with pytest.raises(AccordError):
            load_profile(path)
    profile = load_profile(EXAMPLES / "cv-screener.yaml")
    assert assess(profile, "2026-11-27").as_of.isoformat() == "2026-11-27"
    with pytest.raises(AccordError, match="YYYY-MM-DD"):
        assess(profile, "27/11/2026")
    with pytest.raises(AccordError, match="unknown jurisdiction"):
        assess(profile, "2026-11-27", jurisdictions=["ATLANTIS"])
    with pytest.raises(AccordError, match="did you mean"):
        assess(profile, "2026-11-27", opt_in=["nist-ai-rfm"])


def test_output_is_deterministic(cli):
    cv = str(EXAMPLES / "cv-screener.yaml")
    for args in (
        ("assess", cv, "-f", "json", "--as-of", "2026-11-27"),
        ("compare", cv, "-f", "json", "--as-of", "2026-11-27"),
        ("landscape", "-f", "json"),
        ("rules", "list", "-f", "json"),
    ):
        first, second = cli(*args), cli(*args)
        assert first.exit_code in (0, 1) and not first.stderr, first.stderr
        assert (first.exit_code, first.stdout) == (second.exit_code, second.stdout)


def test_duplicate_presumption_and_carve_out_ids_are_refused():
    """A copy-pasted presumption silently replaced its twin before."""
    from pydantic import ValidationError

    from accord.rules.loader import builtin_rulebook_root
    from accord.rules.model import Instrument, Rule

    data = yaml.safe_load((builtin_rulebook_root() / "eu-ai-act" / "instrument.yaml").read_text())
    data["presumptions"].append(dict(data["presumptions"][0]))
    with pytest.raises(ValidationError, match="duplicate id"):
        Instrument.model_validate(data)
    rules = yaml.safe_load(
        (builtin_rulebook_root() / "eu-ai-act" / "ai-literacy.yaml").read_text()
    )["rules"]
    rule = rules[0]
    rule["unless"].append(dict(rule["unless"][0]))
    with pytest.raises(ValidationError, match="duplicate carve-out ids"):
        Rule.model_validate(rule)
