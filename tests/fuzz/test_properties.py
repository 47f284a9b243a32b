"""Property-based tests (Hypothesis) over the ways users feed Accord data.

The corpus next door pins down known bad inputs; these tests generate new ones. Each property
states a contract from the docs, so a failure is either a bug or a contract the docs do not
state:

(a) any text or bytes given as a profile either loads or raises the documented error class;
(b) every profile valid under the published JSON Schema loads, survives a YAML round trip, and
    assesses without exceptions and deterministically;
(c) `accord init --answers` ends with exit 0 or 2, and with 0 its profile holds every answer;
(d) a bias audit on any small table either raises AccordError or returns counts that an
    independent pandas computation reproduces;
(e) rule conditions (the rulebooks' small language) parse or raise their syntax error, and
    what parses survives the round trip through `to_data`.

Example counts come from the Hypothesis profile in conftest.py (small in `make test`, large in
`make fuzz`); `budget()` scales the slow properties down from there.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from accord.errors import AccordError, InputError, ProfileError
from accord.rules.conditions import LEAF_OPS
from tests.fuzz.conftest import FUZZ

AS_OF = "2026-11-27"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def budget(default: int, fuzz: int) -> Any:
    """Settings for a slow property: `default` examples in `make test`, `fuzz` in `make fuzz`."""
    return settings(
        max_examples=fuzz if FUZZ else default,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- (a) arbitrary text and bytes --------------------------------------------------------------

# Pieces of YAML that exercise every branch of the reader: structure, anchors and aliases,
# merge keys, tags, typed scalars, escapes, directives and document markers.
YAML_PIECES = [
    "id: t\n",
    "name: T\n",
    "markets: [EU]\n",
    "organisation:\n",
    "  size: small\n",
    "- ",
    "  ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "\n",
    "\t",
    "#c\n",
    "'",
    '"',
    "&a ",
    "*a",
    "&b [*a, *a]\n",
    "<<: ",
    "!!python/name:os.system ",
    "!!binary ",
    "!!set ",
    "!!float ''",
    "!!timestamp x",
    "!custom ",
    ".nan",
    ".inf",
    "1e999",
    "2026-02-30",
    "20260101",
    "~",
    "null",
    "yes",
    "NO",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "|\n",
    ">-\n",
    '"\\e[2J"',
    '"\\x9b"',
    '"\\0"',
    "\\u202e",
    "\ufeff",
    "é",
    "0x1F",
    "0o17",
    "+.5",
]
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=8)), max_size=40).map(
    "".join
)


def _check_parse(text: str) -> None:
    from accord.yamlfile import parse

    try:
        parse(text, "fuzz.yaml")
    except InputError as exc:
        assert str(exc).startswith("fuzz.yaml"), str(exc)  # every YAML error names the file


@given(yaml_text)
def test_yaml_parse_raises_only_input_errors(text: str) -> None:
    _check_parse(text)


def _load_profile_bytes(raw: bytes) -> Any:
    """load_profile on a real file: returns the Profile or the ProfileError it raised."""
    from accord.profile import load_profile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "p.yaml"
        path.write_bytes(raw)
        try:
            return load_profile(path)
        except ProfileError as exc:  # the documented error; anything else fails the test
            assert str(path) in str(exc), str(exc)
            return exc


def _record(outcome: Any) -> Any:
    """Tell Hypothesis' statistics (--hypothesis-show-statistics) what kind of outcome this
    was, so a run shows whether inputs reach the model or stop at the YAML layer."""
    event(f"refused: {_kind_of(str(outcome))}" if isinstance(outcome, ProfileError) else "loaded")
    return outcome


def _kind_of(message: str) -> str:
    """A coarse class of an error message, for Hypothesis' statistics (--hypothesis-show-
    statistics shows how often each class was reached)."""
    kinds = ("malformed YAML", "UTF-8", "NUL", "empty", "no data", "mapping", "duplicate key",
             "tag", "alias", "control character", "invalid", "problem")  # fmt: skip
    for kind in kinds:
        if kind.casefold() in message.casefold():
            return kind
    return "other"


@given(yaml_text)
def test_profile_loader_on_yaml_text(text: str) -> None:
    _record(_load_profile_bytes(text.encode("utf-8")))


@given(st.binary(max_size=200))
def test_profile_loader_on_random_bytes(raw: bytes) -> None:
    _record(_load_profile_bytes(raw))


EXAMPLE_TEXTS = sorted(p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.yaml"))


# Values that are each valid somewhere in a profile and wrong almost everywhere else.
JUNK_VALUES = [
    "EU", "[EU, XX]", "true", "maybe", "yes", "NO", "~", "[]", "{}", "0", "-1", "1.5", "1e999",
    ".nan", "2026-02-30", "2026-01-01", "20260101", '"> 1e23"', '"\\e[2J"', "[employment]",
    "small", "[provider]", "{id: bias-audit}", "*a", "&a x", "!!binary eA==", "[[EU]]",
]  # fmt: skip


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    """A real example profile with a few lines changed: a value swapped for one that belongs
    elsewhere, a line deleted or duplicated, a key misspelt or a few characters edited. Most
    results stay valid YAML, so the errors come from the model and vocabularies."""
    lines = draw(st.sampled_from(EXAMPLE_TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        op = draw(st.sampled_from(["value", "value", "delete", "duplicate", "key", "chars"]))
        if op == "value" and ": " in line:
            lines[i] = line.split(": ", 1)[0] + ": " + draw(st.sampled_from(JUNK_VALUES))
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "key" and ":" in line:
            key, rest = line.split(":", 1)
            lines[i] = key.rstrip("s") + draw(st.sampled_from(["e", "_", "s", ""])) + ":" + rest
        else:
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(YAML_PIECES)) + line[at + 1 :]
        if not lines:
            break
    return "\n".join(lines) + "\n"


@budget(default=25, fuzz=1500)
@given(mutated_example())
def test_mutated_examples_load_or_fail_cleanly_and_assess(text: str) -> None:
    from accord.engine import assess

    loaded = _record(_load_profile_bytes(text.encode("utf-8")))
    if not isinstance(loaded, ProfileError):
        assess(loaded, AS_OF)  # whatever loads must assess


def test_the_helpers_let_other_exceptions_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helpers above must not swallow everything, or (a) could never fail: a broken
    profile gives ProfileError, a good one a Profile, and any other exception escapes."""
    from accord.profile import Profile

    assert isinstance(_load_profile_bytes(b"id: [\n"), ProfileError)
    assert isinstance(_load_profile_bytes(b"id: t\nname: T\n"), Profile)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr("accord.yamlfile.parse", broken)
    with pytest.raises(ValueError):
        _check_parse("a: 1\n")


# --- (b) profiles generated from the published JSON Schema -------------------------------------

TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), max_size=12
)  # the schema cannot say "no control characters"; the model refuses them (corpus: text-*)
BOUNDS = st.sampled_from(["> 1e23", ">= 1e25", "< 1e24", "1e23..1e24", "<= 5e25", "1e20..1e20"])


def from_schema(node: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A strategy for instances of a JSON Schema node, for the constructs the profile schema
    uses: $ref, anyOf, enum, object, array (maxItems), string (pattern, format date), number,
    integer (minimum/maximum), boolean and null."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return from_schema(root["$defs"][name], root)
    if "anyOf" in node:
        return st.one_of([from_schema(n, root) for n in node["anyOf"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        props = {k: from_schema(v, root) for k, v in node.get("properties", {}).items()}
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {k: v for k, v in props.items() if k in required},
            optional={k: v for k, v in props.items() if k not in required},
        )
    if kind == "array":
        items = from_schema(node.get("items", {}), root)
        return st.lists(items, max_size=min(4, node.get("maxItems", 4)))
    if kind == "string":
        if node.get("format") == "date":
            return st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).map(dt.date.isoformat)
        if "pattern" in node:
            # The compute bound's pattern admits any non-space operand ("> abc"); the model
            # wants numbers, so draw bounds people write (corpus: number-garbage-bound).
            if "\\.\\." in node["pattern"]:
                return BOUNDS
            return st.from_regex(re.compile(node["pattern"]), fullmatch=True).filter(
                lambda s: len(s) < 30
            )
        return TEXT
    if kind in ("number", "integer"):
        lo, hi = node.get("minimum"), node.get("maximum")
        if kind == "integer":
            return st.integers(lo if lo is not None else -(10**6), hi if hi is not None else 10**9)
        return st.floats(lo, hi, allow_nan=False, allow_infinity=False) | st.integers(0, 10**6)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise AssertionError(f"schema construct not covered: {node}")


_SCHEMA: dict[str, Any] = {}


def profile_schema() -> dict[str, Any]:
    from accord.schemas import profile_schema as build

    if not _SCHEMA:
        _SCHEMA.update(build())
    return _SCHEMA


@st.composite
def schema_profiles(draw: st.DrawFn) -> dict[str, Any]:
    schema = profile_schema()
    data = draw(from_schema(schema, schema))
    # Keep the identity plain so failures are easy to read.
    return {**data, "id": draw(st.sampled_from(["t", "cv-screener", "x.y_z-1"])), "name": "T"}


@budget(default=30, fuzz=1000)
@given(schema_profiles())
def test_schema_valid_profiles_load_round_trip_and_assess_deterministically(
    data: dict[str, Any],
) -> None:
    """The schema is what editors and other tools validate profiles against, so it must not
    promise more than the loader accepts; and assessment output must not depend on anything
    but the profile (set order, object identity...)."""
    import jsonschema

    from accord.engine import assess
    from accord.profile import profile_from_dict
    from accord.report.assessment_json import render

    schema = profile_schema()
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    profile = profile_from_dict(data)  # schema-valid must load: no ProfileError
    dumped = yaml.safe_dump(profile.model_dump(mode="json", exclude_none=True))
    again = profile_from_dict(yaml.safe_load(dumped))
    assert again == profile, dumped
    first = render(assess(profile, AS_OF))
    assert render(assess(again, AS_OF)) == first  # deterministic, and the copy is the same


WRONG = st.one_of(
    st.text(max_size=6), st.integers(), st.floats(), st.booleans(), st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["\x1b[2J", "2026-02-30", "XX", "> nan", "1e999", "employment.nope"]),
)  # fmt: skip


@budget(default=30, fuzz=2000)
@given(schema_profiles(), st.data())
def test_corrupted_profiles_fail_with_profile_error_only(data: dict[str, Any], draw: Any) -> None:
    """One value of a valid profile replaced by junk (or a junk key added): the loader must
    still answer with a Profile or a ProfileError, and its message must name the field."""
    from accord.profile import profile_from_dict

    section = draw.draw(st.sampled_from(sorted(data)))
    junk = draw.draw(WRONG)
    if isinstance(data[section], dict) and data[section] and draw.draw(st.booleans()):
        field = draw.draw(st.sampled_from(sorted(data[section])))
        data = {**data, section: {**data[section], field: junk}}
        name = f"{section}.{field}"
    else:
        data = {**data, section: junk}
        name = section
    note(f"{name} = {junk!r}")
    try:
        profile_from_dict(data)
        event("accepted")
    except ProfileError as exc:
        event("refused")
        assert name.split(".")[0] in str(exc), str(exc)


# --- (c) init answers -----------------------------------------------------------------------


def _vocab(name: str) -> list[str]:
    from accord import vocabulary

    if name == "use-cases":
        return sorted(vocabulary.use_cases())
    return sorted(vocabulary.jurisdictions())


@st.composite
def answer(draw: st.DrawFn, spec: Any) -> tuple[Any, Any]:
    """(what the answers file says, the value the profile must then hold), in the forms the
    docs allow: native YAML values or the text a person types at the prompt."""
    kind = spec.kind
    if kind == "bool":
        value = draw(st.booleans())
        raw = draw(st.sampled_from([value, "yes" if value else "no", "y" if value else "n"]))
        return raw, value
    if kind == "choice":
        i = draw(st.integers(0, len(spec.choices) - 1))
        return draw(st.sampled_from([spec.choices[i], str(i + 1)])), spec.choices[i]
    if kind in ("choices", "codes"):
        pool = list(spec.choices) if kind == "choices" else _vocab(spec.vocabulary or "")
        value = draw(st.lists(st.sampled_from(pool), max_size=3, unique=True))
        text = ", ".join(value) if value else "none"
        return draw(st.sampled_from([value, text])), value
    if kind == "number":
        value = float(draw(st.integers(0, 10**12)))
        return draw(st.sampled_from([value, str(value)])), value
    if kind == "integer":
        lo = spec.minimum if spec.minimum is not None else 0
        value = draw(st.integers(lo, spec.maximum if spec.maximum is not None else 10**6))
        return draw(st.sampled_from([value, str(value)])), value
    if kind == "date":
        value = draw(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))
        return draw(st.sampled_from([value, value.isoformat()])), value
    if spec.vocabulary == "jurisdictions":
        value = draw(st.sampled_from(_vocab("jurisdictions")))
        return value, value
    value = draw(TEXT.filter(str.strip).map(str.strip))
    return value, value


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, tuple[Any, Any]]:
    from accord.profile.fields import profile_fields

    fields = {p: s for p, s in profile_fields().items() if p != "controls.implemented"}
    paths = draw(st.lists(st.sampled_from(sorted(fields)), max_size=6, unique=True))
    out = {p: draw(answer(fields[p])) for p in paths}
    if draw(st.booleans()):  # sometimes one answer nobody could accept
        bad = draw(st.sampled_from(sorted(fields)))
        out[bad] = (draw(WRONG), None)
    return out


@budget(default=6, fuzz=200)
@given(answer_sets())
def test_init_answers_end_in_0_or_2_and_keep_every_answer(cli, answers) -> None:
    """Every answer is checked and kept, asked about or not (the --answers help text): a run
    either refuses the file or writes a profile holding each value given."""
    from accord.profile import profile_from_dict
    from accord.profile.fields import facts

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "answers.yaml"
        path.write_text(yaml.safe_dump({k: raw for k, (raw, _) in answers.items()}), "utf-8")
        result = cli("init", "--answers", str(path), "--as-of", AS_OF)
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 2), result.stderr
    event(f"exit {result.exit_code}")
    if result.exit_code == 2:
        assert "error:" in result.stderr
        return
    got = facts(profile_from_dict(yaml.safe_load(result.stdout)))
    for path_, (_, expected) in answers.items():
        if expected is None:
            continue  # the junk answer was accepted as some value: fine if the model took it
        assert got.get(path_) == expected, (path_, got.get(path_), expected)


# --- (d) audit tables -------------------------------------------------------------------------

SEX = {"Male": "Male", "M": "Male", "Female": "Female", "F": "Female", "female": "Female"}
RACE = {
    "White": "White",
    "Asian": "Asian",
    "Black": "Black or African American",
    "Hispanic": "Hispanic or Latino",
}
UNKNOWN = {None: "missing", "": "missing", "Decline to state": "declared", "Martian": "unmapped"}
SCORES = st.one_of(
    st.integers(0, 5).map(float),
    st.sampled_from([math.nan, math.inf, -math.inf, None, 2.5]),
)

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from([*SEX, *UNKNOWN]),
        st.sampled_from([*RACE, *UNKNOWN]),
        st.sampled_from([True, False, None]),
        SCORES,
    ),
    min_size=1,
    max_size=40,
)


def _expected_table(df: Any, column: str, labels: dict[str, str], rate: str, median: float):
    """Counts per category, computed independently with pandas from the documented rules."""
    if rate == "selection":
        rows = df[df["selected"].notna()]
        hit = rows["selected"].astype(bool)
    else:
        rows = df[df["usable"]]
        hit = rows["score"] > median
    category = rows[column].map(lambda v: labels.get(v))
    out = {}
    for label in set(labels.values()):
        mine = category == label
        out[label] = (int(mine.sum()), int((hit & mine).sum()))
    return out, int(category.isna().sum()), len(rows)


@budget(default=25, fuzz=1000)
@given(rows_strategy)
def test_audit_counts_match_an_independent_computation(rows) -> None:
    """Nulls, NaN and infinite scores, unknown and unmapped categories in any mix: the counts,
    the median and the rates follow docs/audit.md exactly, recomputed here with pandas."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from accord.audit import bias_audit

    df = pd.DataFrame(rows, columns=["sex", "race", "selected", "score"])
    table = pa.table(
        {
            "sex": pa.array(df["sex"], pa.string()),
            "race": pa.array(df["race"], pa.string()),
            "selected": pa.array(df["selected"], pa.bool_()),
            "score": pa.array(df["score"], pa.float64(), from_pandas=False),
        }
    )
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.parquet"
        pq.write_table(table, path)
        try:
            result = bias_audit(path, outcome="selected", score="score", sex="sex", race="race")
        except AccordError as exc:
            event("refused")
            # The only refusals a well-typed table may get: nothing to compute on.
            assert re.search(r"no usable|no rows|no outcome", str(exc)), str(exc)
            return
    event("audited")
    df["usable"] = df["score"].map(lambda s: s is not None and math.isfinite(s))
    median = float(df.loc[df["usable"], "score"].median()) if df["usable"].any() else math.nan
    ll = result.ll144
    assert result.rows == len(df)
    assert ll.rows_without_outcome == int(df["selected"].isna().sum())
    assert ll.rows_without_score == int((~df["usable"]).sum())
    if df["usable"].any():
        assert ll.median_score == pytest.approx(median)
    for t in ll.selection + ll.scoring:
        if t.dimension not in ("sex", "race_ethnicity"):
            continue
        column, labels = ("sex", SEX) if t.dimension == "sex" else ("race", RACE)
        want, unknown, total = _expected_table(df, column, labels, t.rate_kind, median)
        assert (t.total, t.unknown.count) == (total, unknown), t.dimension
        got = {r.category: (r.count, r.positives) for r in t.rows if r.count}
        assert got == {k: v for k, v in want.items() if v[0]}, (t.rate_kind, t.dimension)
        rates = {r.category: r.rate for r in t.rows if r.count and r.rate is not None}
        top = max(rates.values(), default=0)
        for r in t.rows:
            if r.count and r.rate is not None:
                assert r.rate == pytest.approx(r.positives / r.count)
                if top > 0 and not r.excluded_from_impact_ratio:
                    assert r.impact_ratio == pytest.approx(r.rate / top)


CSV_CELLS = st.one_of(
    st.sampled_from(["true", "false", "0", "1", "2", "", "NaN", "inf", "M", "F", "Male", '"x,y"']),
    st.text(st.sampled_from('ab,;"\r 01.-eNaTrufls\\\x00é\x1b'), max_size=6),
)
csv_lines = st.lists(
    st.one_of(st.tuples(CSV_CELLS, CSV_CELLS).map(",".join), CSV_CELLS), max_size=8
)  # mostly two fields, like the header; sometimes one (a ragged row)


@budget(default=15, fuzz=1000)
@given(csv_lines)
def test_audit_on_random_csv_raises_only_accord_errors(lines: list[str]) -> None:
    """Any CSV at all: the audit answers or raises AccordError (ragged rows, bad types...)."""
    from accord.audit import bias_audit

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.csv"
        path.write_text("a,b\n" + "\n".join(lines), "utf-8")
        try:
            bias_audit(path, outcome="a", sex="b")
            event("audited")
        except AccordError as exc:
            first = str(exc).replace(str(path), "t.csv").splitlines()[0]
            event(f"refused: {re.sub(r'[0-9]+', 'N', first)[:50]}")


# --- (e) rule conditions --------------------------------------------------------------------

CONDITION_KEYS = ["all", "any", "not", "rule", "applying", "field", *LEAF_OPS]
FIELDS = ["uses", "markets", "organisation.size", "organisation.annual_turnover_eur",
          "technique.gpai_model", "lifecycle.placed_on_market", "context.settings"]  # fmt: skip
NUMBER = st.one_of(st.integers(0, 10**25), st.floats(0, 1e30), st.sampled_from([1e999, math.nan]))
GOOD_LEAVES = st.one_of(
    st.fixed_dictionaries({"field": st.just("technique.gpai_model"), "is": st.booleans()}),
    st.fixed_dictionaries(
        {"field": st.just("uses"), "matches": st.sampled_from(["employment", "biometrics"])}
    ),
    st.fixed_dictionaries({"field": st.just("markets"), "within": st.sampled_from(["EU", "US"])}),
    st.fixed_dictionaries({"field": st.just("organisation.annual_turnover_eur"), "gt": NUMBER}),
    st.fixed_dictionaries(
        {"field": st.just("lifecycle.placed_on_market"), "lte": st.dates().map(str)}
    ),
    st.fixed_dictionaries(
        {"field": st.just("organisation.size"), "in": st.lists(st.sampled_from(["small", "large"]))}
    ),
    st.fixed_dictionaries({"rule": st.just("x-act.a")}, optional={"applying": st.booleans()}),
)
JUNK_LEAVES = st.one_of(
    st.sampled_from([*FIELDS, "EU", "employment", "small", "2026-01-01", "x-act.a", "", "nan"]),
    st.booleans(), st.none(), st.integers(-3, 10**25), st.floats(), st.dates(),
    st.dictionaries(st.sampled_from(CONDITION_KEYS), st.sampled_from(FIELDS), max_size=3),
)  # fmt: skip
condition_data = st.recursive(
    st.one_of(GOOD_LEAVES, GOOD_LEAVES, JUNK_LEAVES),
    lambda inner: st.one_of(
        st.fixed_dictionaries({"all": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"any": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"not": inner}),
        st.lists(inner, max_size=3),
    ),
    max_leaves=8,
)


@given(condition_data)
def test_conditions_parse_or_raise_syntax_errors_and_round_trip(data: Any) -> None:
    """The generated rule docs write conditions back out through `to_data`
    (accord/rules/docs.py); what they write must mean what the rulebook said."""
    from accord.rules import conditions

    try:
        parsed = conditions.parse(data)
    except conditions.ConditionSyntaxError:
        event("refused")
        return
    event("parsed")
    assert conditions.parse(conditions.to_data(parsed)) == parsed


@pytest.mark.parametrize("data", [[], {"not": None}, {"any": [[]]}, {"any": [None]}])
def test_empty_and_null_conditions_are_refused(data: Any) -> None:
    """`[]` and a nested `~` once parsed as "always" or "never"; they are refused now."""
    from accord.rules import conditions

    with pytest.raises(conditions.ConditionSyntaxError):
        conditions.parse(data)


def test_a_missing_condition_means_always_and_round_trips() -> None:
    from accord.rules import conditions

    parsed = conditions.parse(None)
    assert parsed is conditions.TRUE
    assert conditions.parse(conditions.to_data(parsed)) == parsed
