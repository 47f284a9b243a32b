"""Portfolio planning: table, calendar, harmonised control plan (checked against brute force),
divergence index, and the `accord portfolio` commands on the examples and on bad input."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import vocabulary
from accord.cli.main import app
from accord.errors import InputError
from accord.portfolio.divergence import divergence
from accord.portfolio.duties import Duty
from accord.portfolio.plan import build_plan, min_cost_cover, resolve_costs
from tests.helpers import input_error

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 29)
# A small portfolio for the format and option tests: three systems, five markets between them.
FEW = [
    str(EXAMPLES / f"{n}.yaml") for n in ("cv-screener", "frontier-model-ny", "companion-chatbot")
]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Assessment results are cached on disk by default: keep them out of the repository."""
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "cache"))


def duty(
    system: str,
    jurisdiction: str,
    rule: str,
    controls: tuple[str, ...],
    theme: str = "t",
    checks: tuple[tuple[str, str], ...] = (),
) -> Duty:
    return Duty(
        system_id=system,
        system_name=system.upper(),
        jurisdiction=jurisdiction,
        instrument=f"law-{jurisdiction.lower()}",
        short_title=f"Law {jurisdiction}",
        rule_id=rule,
        title=f"duty {rule}",
        theme=theme,
        controls=controls,
        status="applicable",
        checks=checks,
    )


# -- the exact solver against brute force ---------------------------------------------------


def brute_cover(sets: list[frozenset], cost: dict) -> float:
    """The cheapest hitting set by trying every subset of keys (the oracle)."""
    keys = sorted({k for s in sets for k in s}, key=repr)
    best = float("inf")
    for r in range(len(keys) + 1):
        for pick in itertools.combinations(keys, r):
            chosen = set(pick)
            if all(s & chosen for s in sets):
                best = min(best, sum(cost[k] for k in chosen))
    return best


def test_min_cost_cover_matches_brute_force_on_random_instances() -> None:
    rng = random.Random(11)
    for _ in range(30):
        n = rng.randint(1, 10)
        keys = [f"c{i}" for i in range(n)]
        cost = {k: rng.choice([0, 1, 2, 3, 5, 8, 13, 2.5]) for k in keys}
        sets = [
            frozenset(rng.sample(keys, rng.randint(1, min(4, n))))
            for _ in range(rng.randint(1, 15))
        ]
        chosen = min_cost_cover(sets, cost)
        assert all(s & chosen for s in sets), "the plan must cover every set"
        assert sum(cost[k] for k in chosen) == pytest.approx(brute_cover(sets, cost))


def random_duties(rng: random.Random) -> tuple[list[Duty], dict[str, float]]:
    """Up to 3 systems x 3 jurisdictions, with at most 10 candidate (system, control) keys."""
    systems = [f"s{i}" for i in range(rng.randint(1, 3))]
    per_system = max(1, 10 // len(systems))
    controls = [f"k{i}" for i in range(per_system)]
    costs = {c: float(rng.randint(1, 9)) for c in controls}
    out = []
    for s in systems:
        for j in rng.sample(["EU", "KR", "US-CO"], rng.randint(1, 3)):
            for r in range(rng.randint(1, 4)):
                ctl = tuple(rng.sample(controls, rng.randint(1, min(3, len(controls)))))
                checks = tuple((c, "in_place") for c in ctl if rng.random() < 0.1)
                out.append(duty(s, j, f"{s}.{j}.{r}", ctl, checks=checks))
    return out, costs


def test_plan_is_optimal_and_naive_plan_is_per_jurisdiction_on_random_portfolios() -> None:
    rng = random.Random(2026)
    for _ in range(30):
        duties, costs = random_duties(rng)
        free = {(d.system_id, c) for d in duties for c, state in d.checks if state == "in_place"}

        def price(s: str, c: str, free: set = free, costs: dict = costs) -> float:
            return 0.0 if (s, c) in free else costs[c]

        sets = [frozenset((d.system_id, c) for c in d.controls) for d in duties]
        keys = {k for s in sets for k in s}
        assert len(keys) <= 10
        optimum = brute_cover(sets, {k: price(*k) for k in keys})
        naive = 0.0
        for (s, j), _ in itertools.groupby(sorted((d.system_id, d.jurisdiction) for d in duties)):
            group = [
                frozenset(d.controls) for d in duties if (d.system_id, d.jurisdiction) == (s, j)
            ]
            naive += brute_cover(group, {c: price(s, c) for g in group for c in g})
        plan = build_plan(duties, AS_OF, costs)
        assert plan.total_cost == pytest.approx(optimum)
        assert plan.naive_cost == pytest.approx(naive)
        assert plan.saving == pytest.approx(naive - optimum) and plan.saving >= -1e-9
        chosen = {(sp.system_id, c.control) for sp in plan.systems for c in sp.controls}
        assert all(s & chosen for s in sets)


def test_naive_plan_pays_a_shared_control_once_per_market() -> None:
    """Hand-made: control A (10) is needed in three markets; US-CO also accepts B (3)."""
    duties = [
        duty("cv", "EU", "eu.1", ("A",)),
        duty("cv", "KR", "kr.1", ("A",)),
        duty("cv", "US-CO", "co.1", ("A", "B")),
        duty("cv", "US-CO", "co.2", ()),
    ]
    plan = build_plan(duties, AS_OF, {"A": 10, "B": 3})
    # Harmonised: A once covers all three markets. Naive: A in EU, A in KR, B (cheaper) in CO.
    assert plan.total_cost == 10
    assert plan.naive_cost == 23
    assert plan.naive_by_jurisdiction == {"EU": 10, "KR": 10, "US-CO": 3}
    assert plan.saving == 13 and plan.saving_percent == 56.5
    [sp] = plan.systems
    assert [(c.control, c.cost, c.jurisdictions) for c in sp.controls] == [
        ("A", 10, ["EU", "KR", "US-CO"])
    ]
    assert [u.rule_id for u in plan.uncovered] == ["co.2"]
    assert plan.duties == 3


def test_controls_in_place_cost_nothing_unless_expired_for_some_duty() -> None:
    done = (("A", "in_place"),)
    plan = build_plan(
        [duty("cv", "EU", "e", ("A",), checks=done), duty("cv", "KR", "k", ("A",), checks=done)],
        AS_OF,
        {"A": 10},
    )
    assert (plan.total_cost, plan.naive_cost) == (0, 0)
    assert plan.systems[0].controls[0].in_place
    expired = build_plan(
        [
            duty("cv", "EU", "e", ("A",), checks=done),
            duty("cv", "KR", "k", ("A",), checks=(("A", "expired"),)),
        ],
        AS_OF,
        {"A": 10},
    )
    assert expired.total_cost == 10 and not expired.systems[0].controls[0].in_place


def test_every_catalogue_control_has_a_cost_and_overrides_are_checked() -> None:
    costs = vocabulary.control_costs()
    assert set(costs) == set(vocabulary.controls())
    assert all(c > 0 for c in costs.values())
    assert resolve_costs({"bias-audit": 30})["bias-audit"] == 30
    with pytest.raises(InputError, match="did you mean 'bias-audit'"):
        resolve_costs({"bias-audti": 3})
    with pytest.raises(InputError, match="not a cost"):
        resolve_costs({"bias-audit": -1})
    with pytest.raises(InputError, match="no cost for control"):
        build_plan([duty("s", "EU", "r", ("nope",))], AS_OF, {})


# -- divergence -----------------------------------------------------------------------------


def test_divergence_identical_disjoint_symmetric_and_hand_computed() -> None:
    same = [duty("a", "EU", "1", ("x",)), duty("a", "KR", "2", ("x",))]
    d = divergence(same, {"a": {"EU", "KR"}}, AS_OF)
    assert d.matrix == [[0.0, 0.0], [0.0, 0.0]]
    apart = [duty("a", "EU", "1", ("x",)), duty("a", "KR", "2", ("y",))]
    assert divergence(apart, {"a": {"EU", "KR"}}, AS_OF).pairs[0].distance == 1.0
    # Hand-computed: system a has EU {(t,x),(t,y)} and KR {(t,x)}: 1 shared of 2 -> 0.5;
    # system b has EU {(t,x),(u,z)}, KR {(u,z),(t,w),(t,v)}: 1 of 4 -> 0.75 on its own.
    # Pooled: (1 + 3) differing / (2 + 4) in either = 4/6.
    duties = [
        duty("a", "EU", "1", ("x", "y")),
        duty("a", "KR", "2", ("x",)),
        duty("b", "EU", "3", ("x",)),
        duty("b", "EU", "4", ("z",), theme="u"),
        duty("b", "KR", "5", ("z",), theme="u"),
        duty("b", "KR", "6", ("w", "v")),
    ]
    d = divergence(duties, {"a": {"EU", "KR"}, "b": {"EU", "KR"}}, AS_OF)
    assert d.jurisdictions == ["EU", "KR"]
    assert d.matrix[0][1] == d.matrix[1][0] == pytest.approx(4 / 6)
    assert (d.pairs[0].shared, d.pairs[0].total, d.pairs[0].systems) == (2, 6, 2)
    # A system sold only in the EU does not count for EU-KR; one sold in both with no KR duty
    # counts fully (everything it must do in the EU is extra there).
    only_eu = divergence(
        [*same, duty("c", "EU", "7", ("q",))], {"a": {"EU", "KR"}, "c": {"EU"}}, AS_OF
    )
    assert only_eu.pairs[0].distance == 0.0
    both = divergence(
        [*same, duty("c", "EU", "7", ("q",))], {"a": {"EU", "KR"}, "c": {"EU", "KR"}}, AS_OF
    )
    assert both.pairs[0].distance == pytest.approx(1 / 2)
    # Nested markets: Italy's duties include the EU's, so IT only differs by what it adds.
    nested = divergence(
        [duty("a", "EU", "1", ("x",)), duty("a", "EU", "2", ("y",)), duty("a", "IT", "3", ("z",))],
        {"a": {"EU", "IT"}},
        AS_OF,
    )
    assert nested.pairs[0].distance == pytest.approx(1 / 3)


def test_divergence_matrix_on_examples_is_symmetric_with_zero_diagonal() -> None:
    from accord.portfolio.duties import jurisdictions_of, plan_duties

    systems, results = assessments()
    duties = plan_duties(results)
    known = {x.jurisdiction for x in duties}
    markets = {s.id: jurisdictions_of(s.profile.markets, known) for s in systems}
    d = divergence(duties, markets, AS_OF).model_dump()
    m = d["matrix"]
    for i, row in enumerate(m):
        assert row[i] == 0
        for j, v in enumerate(row):
            assert v == m[j][i]
            assert v is None or 0 <= v <= 1
    assert {"EU", "US-CA", "KR"} <= set(d["jurisdictions"])
    # Italy's duties include the EU's: it only differs by what Italian law adds.
    eu_it = next(p for p in d["pairs"] if {p["a"], p["b"]} == {"EU", "IT"})
    assert eu_it["distance"] < 0.1
    result = runner.invoke(app, ["portfolio", "divergence", *FEW, "--as-of", str(AS_OF)])
    assert result.exit_code == 0 and "Pairs by divergence" in result.output
    csv_out = runner.invoke(
        app, ["portfolio", "divergence", *FEW, "--as-of", str(AS_OF), "-f", "csv"]
    ).output
    assert csv_out.splitlines()[0] == "a,b,distance,systems,shared,total"


# -- table and calendar ---------------------------------------------------------------------


@functools.cache
def assessments():  # the examples and their assessments, made once
    from accord.engine.batch import assess_many
    from accord.inventory import load_folder

    systems = load_folder([EXAMPLES])
    return systems, assess_many([s.profile for s in systems], AS_OF)


def test_table_cells_are_the_verdict_lines_summed_per_jurisdiction() -> None:
    from accord.portfolio.table import build_table

    systems, results = assessments()
    table = build_table(results)
    assert len(table.rows) == len(systems) == 18
    for row, a in zip(table.rows, results, strict=True):
        for c in row.cells:
            lines = [
                v
                for v in a.verdict
                if v.jurisdiction == c.jurisdiction and v.in_scope != "does_not_apply"
            ]
            assert c.duties_now == sum(v.duties_now for v in lines)
            assert c.gaps == sum(v.gaps for v in lines)
            dates = [v.next_date for v in lines if v.next_date]
            assert c.next_date == (min(dates) if dates else None)
    for total, j in zip(table.totals, table.jurisdictions, strict=True):
        cells = [c for r in table.rows for c in r.cells if c.jurisdiction == j]
        assert total.duties_upcoming == sum(c.duties_upcoming for c in cells)
        assert total.systems == len(cells)
    cv = table.cell("cv-screener", "US-NY-NYC")
    assert cv is not None and cv.classes == ["AEDT"] and cv.duties_now == 7
    assert table.cell("cv-screener", "US-CO").next_date == dt.date(2027, 1, 1)
    assert table.total.systems == 18


def test_calendar_round_trips_through_icalendar(tmp_path: Path) -> None:
    import icalendar

    out = tmp_path / "deadlines.ics"
    result = runner.invoke(
        app, ["portfolio", "calendar", str(EXAMPLES), "--as-of", str(AS_OF), "--ics", str(out)]
    )
    assert result.exit_code == 0, result.output
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    # Oracle: every upcoming binding duty's date, grouped by (date, system, instrument).
    _, results = assessments()
    expected = {
        (f.applies_from, a.profile_id, inst.id)
        for a in results
        for inst in a.instruments
        for f in inst.obligations + inst.prohibitions
        if f.binding and f.outcome == "applies" and f.status == "upcoming" and f.applies_from
    }
    starts = {
        (
            e.decoded("dtstart"),
            str(e["description"]).split("(")[1].split(")")[0],
            str(e["categories"].cats[1]),
        )
        for e in events
        if "Duties that apply" in str(e["description"])
    }
    assert starts == expected and expected
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(e.decoded("dtstart") > AS_OF for e in events)
    renewal = [e for e in events if "renew bias-audit" in str(e["summary"])]
    assert [r.decoded("dtstart") for r in renewal] == [
        dt.date(2027, 3, 15)
    ]  # audit of 2026-03-15, 1y
    # Stable: the same inputs give the same file, so subscribed calendars update in place.
    from accord.portfolio.calendar import calendar_events, to_ics

    assert to_ics(calendar_events(results), AS_OF).encode() == out.read_bytes()


# -- the commands ---------------------------------------------------------------------------


def test_portfolio_defaults_to_the_table_in_every_format() -> None:
    for args in (["portfolio", *FEW], ["portfolio", "table", *FEW]):
        result = runner.invoke(app, [*args, "--as-of", str(AS_OF)])
        assert result.exit_code == 0, result.output
        assert "cv-screener" in result.output and "Total" in result.output
    data = json.loads(
        runner.invoke(app, ["portfolio", *FEW, "--as-of", str(AS_OF), "-f", "json"]).output
    )
    assert [r["system_id"] for r in data["rows"]] == [
        "cv-screener",
        "frontier-model-ny",
        "companion-chatbot",
    ]
    md = runner.invoke(app, ["portfolio", *FEW, "--as-of", str(AS_OF), "-f", "markdown"]).output
    assert md.splitlines()[2].startswith("| System | EU |")
    csv_out = runner.invoke(app, ["portfolio", *FEW, "--as-of", str(AS_OF), "-f", "csv"]).output
    assert csv_out.splitlines()[0].startswith("system_id,system_name,jurisdiction")
    assert any(line.startswith("TOTAL,,all,") for line in csv_out.splitlines())


def test_plan_on_examples_saves_over_the_naive_plan(tmp_path: Path) -> None:
    from accord.portfolio.duties import plan_duties

    _, results = assessments()
    plan = build_plan(plan_duties(results), AS_OF, resolve_costs()).model_dump()
    assert 0 < plan["total_cost"] < plan["naive_cost"]
    assert plan["saving"] == plan["naive_cost"] - plan["total_cost"]
    cv = next(s for s in plan["systems"] if s["system_id"] == "cv-screener")
    audit = next(c for c in cv["controls"] if c["control"] == "bias-audit")
    assert audit["in_place"] and audit["cost"] == 0  # the example's audit is dated and valid

    # A horizon leaves out later duties; config overrides change the costs.
    def plan_of(*before: str, after: tuple[str, ...] = ()) -> dict:
        args = [*before, "portfolio", "plan", *FEW, "--as-of", str(AS_OF), "-f", "json", *after]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    few = plan_of()
    assert plan_of(after=("--within", "0d"))["duties"] < few["duties"]
    config = tmp_path / "accord.toml"
    config.write_text("control_costs = {ai-literacy-programme = 50}\n")
    dear = plan_of("--config", str(config))
    assert dear["costs"]["ai-literacy-programme"] == 50 and dear["total_cost"] > few["total_cost"]
    text = runner.invoke(app, ["portfolio", "plan", *FEW, "--as-of", str(AS_OF)]).output
    assert "Naive plan" in text and "saving" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["portfolio", "/no/such/folder"], "no such file"),
        (["portfolio", "plan", str(EXAMPLES), "--within", "3q"], "not a period"),
        (["portfolio", str(EXAMPLES), "--as-of", "2026-13-01"], "not a date"),
        (["portfolio", "divergence", str(EXAMPLES), "-j", "XX"], "unknown jurisdiction"),
        (["portfolio", "calendar", str(EXAMPLES), "-o", "/no/such/dir/d.ics"], "/no/such/dir"),
    ],
)
def test_bad_input_exits_2(cli, args: list[str], message: str) -> None:
    input_error(cli(*args), message)


def test_bad_config_cost_and_bad_output_write_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    config = tmp_path / "accord.toml"
    config.write_text("control_costs = {bias-audti = 3}\n")
    out = tmp_path / "plan.json"
    proc = subprocess.run(
        [sys.executable, "-m", "accord", "portfolio", "plan", FEW[0], "-o", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2 and "did you mean 'bias-audit'" in proc.stderr
    assert not out.exists() and "Traceback" not in proc.stderr


def test_plan_json_on_stdout_is_clean_of_solver_output(tmp_path: Path) -> None:
    """HiGHS prints a banner from C code when created; the plan must keep stdout parseable."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "accord",
            "portfolio",
            "plan",
            *FEW,
            "--as-of",
            str(AS_OF),
            "-f",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["naive_cost"] > 0
    assert "HiGHS" not in proc.stdout


def test_cli_start_does_not_import_solver_or_calendar_libraries() -> None:
    code = (
        "import sys, accord.cli.main\n"
        "print(sorted(m for m in ('highspy', 'icalendar', 'numpy') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr
