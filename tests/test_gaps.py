"""`accord gaps`: duties that bind now or within a horizon with no valid evidence.

Oracles: the engine's own `gap` flag (a duty that applies now with no control in place) for
systems without evidence records; the rule's dates and the horizon arithmetic for upcoming
duties; hashlib for changed files; the csv module for the CSV output.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil

import pytest
import yaml

from tests.conftest import EXAMPLES
from tests.helpers import input_error, write

AS_OF = dt.date(2026, 11, 29)

LL144 = {
    "id": "screener",
    "name": "Screener",
    "markets": ["US-NY-NYC"],
    "roles": ["deployer"],
    "organisation": {
        "name": "Screen Co",
        "employer_or_employment_agency": True,
        "established_in": "US-NY",
    },
    "technique": {"infers_from_inputs": True},
    "uses": ["employment.recruitment.screening"],
    "decisions": {
        "about_people": True,
        "consequential_domains": ["employment"],
        "output_role": "principal",
        "substantially_assists": True,
    },
}
AUDIT_DUTY = "us-nyc-ll144.bias-audit"


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    """Results cached by the commands go to a temporary folder, not the repository."""
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(tmp_path / "cache"))


def _system(profile: dict, evidence=(), owner=None, path=None):
    from accord.inventory import System
    from accord.profile import profile_from_dict

    return System(
        profile=profile_from_dict(profile), evidence=tuple(evidence), owner=owner, path=path
    )


def _record(**kw):
    from accord.inventory import EvidenceRecord

    kw.setdefault("system_id", "screener")
    kw.setdefault("control", "bias-audit")
    kw.setdefault("location", "https://example.com/audit.pdf")
    return EvidenceRecord(**kw)


def _gaps(systems, as_of=AS_OF, **kw):
    from accord.gaps import find_gaps

    return find_gaps(systems, as_of, **kw)


def _by_rule(report, system="screener"):
    return {g.rule_id: g for g in report.gaps if g.system == system}


# --- evidence: profile controls and evidence records -------------------------------------


def test_without_evidence_the_audit_duty_is_a_gap_now():
    report = _gaps([_system(LL144)])
    gap = _by_rule(report)[AUDIT_DUTY]
    assert gap.status == "now" and gap.due == AS_OF and gap.when == "now"
    assert gap.reason == "no evidence"
    assert "bias-audit" in gap.controls
    assert gap.owner == "Screen Co"  # the organisation, as no owner was recorded


def test_implemented_control_with_fresh_date_closes_the_gap():
    control = {"id": "bias-audit", "status": "implemented", "date": "2026-03-15"}
    report = _gaps([_system({**LL144, "controls": [control]})])
    assert AUDIT_DUTY not in _by_rule(report)
    # ...but only that control's duties: the others stay
    assert "us-nyc-ll144.notice" in _by_rule(report)


def test_fresh_evidence_record_closes_the_gap_and_owner_wins():
    record = _record(date=dt.date(2026, 3, 15), covers=[AUDIT_DUTY])
    report = _gaps([_system(LL144, [record], owner="Jane Roe")])
    gaps = _by_rule(report)
    assert AUDIT_DUTY not in gaps
    # `covers` names one rule: the other duties of the same control are still open
    others = [g for g in gaps.values() if "bias-audit" in g.controls]
    assert others, "LL144 has more than one duty met by a bias audit"
    assert all(g.owner == "Jane Roe" for g in gaps.values())


def test_record_with_empty_covers_counts_for_every_duty_of_its_control():
    record = _record(date=dt.date(2026, 3, 15))
    gaps = _by_rule(_gaps([_system(LL144, [record])]))
    assert not [g for g in gaps.values() if g.controls == ["bias-audit"]]


def test_record_for_another_control_does_not_count():
    record = _record(control="human-oversight", date=dt.date(2026, 3, 15))
    assert AUDIT_DUTY in _by_rule(_gaps([_system(LL144, [record])]))


@pytest.mark.parametrize("source", ["profile", "record"])
def test_expired_evidence_is_a_gap_due_when_it_expired(source):
    # LL144: a bias audit counts for one year; done 2025-09-01, it counted through 2026-09-01
    if source == "profile":
        control = {"id": "bias-audit", "status": "implemented", "date": "2025-09-01"}
        system = _system({**LL144, "controls": [control]})
    else:
        system = _system(LL144, [_record(date=dt.date(2025, 9, 1))])
    gap = _by_rule(_gaps([system]))[AUDIT_DUTY]
    assert gap.status == "now"
    assert gap.expired_on == dt.date(2026, 9, 2)
    assert gap.due == dt.date(2026, 9, 2)
    assert "expired on 2026-09-02" in gap.reason and "valid until 2026-09-01" in gap.reason
    # the same evidence on a date within its year: no gap
    assert AUDIT_DUTY not in _by_rule(_gaps([system], as_of=dt.date(2026, 8, 31)))


def test_record_valid_until_shorter_than_the_law_wins():
    record = _record(date=dt.date(2026, 3, 15), valid_until=dt.date(2026, 6, 30))
    gap = _by_rule(_gaps([_system(LL144, [record])]))[AUDIT_DUTY]
    assert gap.expired_on == dt.date(2026, 7, 1)


def test_record_dated_after_the_assessment_date_proves_nothing_yet():
    record = _record(date=dt.date(2027, 1, 10))
    gap = _by_rule(_gaps([_system(LL144, [record])]))[AUDIT_DUTY]
    assert "after 2026-11-29" in gap.reason and gap.due == AS_OF


def test_changed_evidence_file_is_reported_and_does_not_count(tmp_path):
    evidence = tmp_path / "audit.pdf"
    evidence.write_bytes(b"the audit, as signed")
    sha = hashlib.sha256(evidence.read_bytes()).hexdigest()
    record = _record(date=dt.date(2026, 3, 15), location=str(evidence), sha256=sha)
    system = _system(LL144, [record])
    assert AUDIT_DUTY not in _by_rule(_gaps([system]))  # unchanged: counts
    evidence.write_bytes(b"the audit, quietly edited")
    gap = _by_rule(_gaps([system]))[AUDIT_DUTY]
    assert gap.changed_files == [str(evidence)]
    assert "evidence file changed: sha mismatch" in gap.reason


def test_relative_evidence_is_found_next_to_the_profile(tmp_path):
    (tmp_path / "ev").mkdir()
    (tmp_path / "ev" / "a.pdf").write_bytes(b"one")
    record = _record(
        date=dt.date(2026, 3, 15), location="ev/a.pdf", sha256=hashlib.sha256(b"two").hexdigest()
    )
    system = _system(LL144, [record], path=tmp_path / "p.yaml")
    assert _by_rule(_gaps([system]))[AUDIT_DUTY].changed_files == ["ev/a.pdf"]


def test_audit_result_file_gives_the_evidence_its_date(tmp_path):
    # The record says 2024 (long expired), the `accord audit bias -o` result it points at says
    # 2026-03-15: the audit date is what counts.
    from accord.audit.result import AuditResult

    result = EXAMPLES / "audits" / "2026-03-bias-audit.json"
    assert AuditResult.load(result).audit_date == dt.date(2026, 3, 15)
    record = _record(date=dt.date(2024, 1, 1), location=str(result))
    assert AUDIT_DUTY not in _by_rule(_gaps([_system(LL144, [record])]))
    # ...and after its year it has expired, on the day after the audit date plus one year
    later = _by_rule(_gaps([_system(LL144, [record])], as_of=dt.date(2027, 4, 1)))
    assert later[AUDIT_DUTY].expired_on == dt.date(2027, 3, 16)


def test_without_records_gaps_now_are_exactly_the_engines_gaps(ruleset):
    """Oracle: the engine's own `gap` flag, for every example."""
    from accord.engine import assess
    from accord.inventory import load_folder

    systems = load_folder([EXAMPLES])
    report = _gaps(systems, ruleset=ruleset)
    for s in systems:
        a = assess(s.profile, AS_OF, ruleset=ruleset, explain=False)
        expected = {f.rule_id for f in a.findings() if f.gap}
        assert {g.rule_id for g in report.gaps if g.system == s.id} == expected, s.id
    assert all(g.status == "now" for g in report.gaps)
    assert report.systems == len(systems)


# --- horizon -----------------------------------------------------------------------------


def _cv():
    from accord.inventory import load_folder

    return load_folder([EXAMPLES / "cv-screener.yaml"])


def test_horizon_includes_a_duty_starting_within_it_and_excludes_a_far_one(ruleset):
    from accord.engine import assess

    systems = _cv()
    a = assess(systems[0].profile, AS_OF, ruleset=ruleset, explain=False)
    upcoming = {
        f.rule_id: f.applies_from
        for f in a.findings()
        if f.kind == "obligation"
        and f.binding
        and f.outcome == "applies"
        and f.status == "upcoming"
        and not f.controls_in_place
    }
    assert upcoming and min(upcoming.values()) == dt.date(2027, 1, 1)  # Colorado, in the data
    none = _gaps(systems, ruleset=ruleset, within="30d")  # to 2026-12-29
    assert not [g for g in none.gaps if g.status == "upcoming"]
    some = _gaps(systems, ruleset=ruleset, within="60d")  # to 2027-01-28
    assert some.horizon_end == dt.date(2027, 1, 28)
    got = {g.rule_id: g for g in some.gaps if g.status == "upcoming"}
    expected = {r for r, d in upcoming.items() if d <= dt.date(2027, 1, 28)}
    assert set(got) == expected and expected
    assert all(g.due == g.applies_from == dt.date(2027, 1, 1) for g in got.values())
    assert all(g.when == "due 2027-01-01" for g in got.values())
    # sorted by due date: every gap due now comes before the upcoming ones
    dues = [g.due for g in some.gaps]
    assert dues == sorted(dues)


def test_evidence_that_expires_before_an_upcoming_duty_starts_does_not_close_it(ruleset):
    from accord.engine import assess

    systems = _cv()
    a = assess(systems[0].profile, AS_OF, ruleset=ruleset, explain=False)
    duty = next(
        f
        for f in a.findings()
        if f.status == "upcoming"
        and f.outcome == "applies"
        and f.controls == ["document-retention"]
    )
    base = systems[0]

    def with_record(valid_until):
        record = _record(
            system_id=base.id,
            control="document-retention",
            date=dt.date(2026, 10, 1),
            valid_until=valid_until,
        )
        return [type(base)(profile=base.profile, path=base.path, evidence=(record,))]

    short = _gaps(with_record(dt.date(2026, 12, 31)), ruleset=ruleset, within="60d")
    gap = _by_rule(short, base.id)[duty.rule_id]
    assert "before the duty applies" in gap.reason
    long = _gaps(with_record(dt.date(2027, 12, 31)), ruleset=ruleset, within="60d")
    assert duty.rule_id not in _by_rule(long, base.id)


@pytest.mark.parametrize(
    ("text", "norm"), [("180d", "180d"), ("12w", "84d"), ("6m", "6m"), ("1y", "1y"), ("90", "90d")]
)
def test_horizon_periods(text, norm):
    from accord.gaps import horizon_end, parse_horizon

    assert parse_horizon(text) == norm
    assert horizon_end(AS_OF, parse_horizon("12w")) == AS_OF + dt.timedelta(days=84)


# --- CLI ---------------------------------------------------------------------------------


def test_cli_exit_codes_and_summary(cli, tmp_path):
    r = cli("gaps", str(EXAMPLES / "cv-screener.yaml"), "--as-of", "2026-11-29")
    assert r.exit_code == 1
    assert "12 gap(s) in 1 of 1 system(s) as of 2026-11-29: 12 now" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 100
    ok = cli("gaps", str(EXAMPLES / "cv-screener.yaml"), "--as-of", "2026-11-29", "--exit-zero")
    assert ok.exit_code == 0
    control = {"id": "bias-audit", "status": "implemented", "date": "2026-03-15"}
    clean = dict(LL144, markets=["US-NY-NYC"], controls=[control])
    path = write(tmp_path / "p.yaml", yaml.safe_dump(clean))
    r = cli("gaps", path, "--as-of", "2026-11-29", "-j", "US-NY-NYC", "-f", "json")
    assert r.exit_code == 1  # notice duties still open
    assert AUDIT_DUTY not in r.stdout


def test_cli_no_gap_exits_zero(cli, tmp_path):
    # Nothing applies before the law does: LL144's duties start on 2023-07-05
    path = write(tmp_path / "p.yaml", yaml.safe_dump(LL144))
    r = cli("gaps", path, "--as-of", "2023-01-01", "-j", "US-NY-NYC")
    assert r.exit_code == 0, r.stdout
    assert r.stdout.startswith("No gaps")


def test_csv_parses_back_to_the_json_rows(cli):
    from accord.gaps import CSV_COLUMNS

    args = ("gaps", str(EXAMPLES), "--as-of", "2026-11-29", "--within", "180d")
    as_json = json.loads(cli(*args, "-f", "json").stdout)
    as_csv = list(csv.DictReader(io.StringIO(cli(*args, "-f", "csv").stdout)))
    assert as_json["schema_version"] == "1.0"
    assert len(as_csv) == len(as_json["gaps"]) > 100
    assert list(as_csv[0]) == CSV_COLUMNS
    for row, gap in zip(as_csv, as_json["gaps"], strict=True):
        for col in CSV_COLUMNS:
            value = gap[col]
            value = " ".join(value) if isinstance(value, list) else value
            assert row[col] == ("" if value is None else str(value)), (col, row, gap)
    assert {g["status"] for g in as_json["gaps"]} == {"now", "upcoming"}


def test_csv_defuses_spreadsheet_formulas():
    from accord.gaps import to_csv

    system = _system(LL144, owner='=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(to_csv(_gaps([system])))))
    assert rows and all(r["owner"].startswith("'=") for r in rows)


def test_markdown_and_output_file(cli, tmp_path):
    out = tmp_path / "gaps.md"
    r = cli(
        "gaps",
        str(EXAMPLES / "cv-screener.yaml"),
        "--as-of",
        "2026-11-29",
        "-f",
        "markdown",
        "-o",
        str(out),
    )
    assert r.exit_code == 1 and r.stdout == ""
    text = out.read_text()
    assert text.startswith("# Gaps as of 2026-11-29")
    assert "| due | status | system | owner |" in text
    assert "us-nyc-ll144.public-summary" in text


def test_system_ids_select_from_the_config_inventory(cli, tmp_path, monkeypatch):
    systems = tmp_path / "systems"
    systems.mkdir()
    for name in ("cv-screener", "spam-filter"):
        shutil.copy(EXAMPLES / f"{name}.yaml", systems)
    shutil.copytree(EXAMPLES / "audits", systems / "audits")
    write(tmp_path / "accord.toml", 'inventory = ["systems"]\n')
    monkeypatch.chdir(tmp_path)
    every = json.loads(cli("gaps", "--as-of", "2026-11-29", "-f", "json").stdout)
    assert every["systems"] == 2
    one = json.loads(cli("gaps", "cv-screener", "--as-of", "2026-11-29", "-f", "json").stdout)
    assert one["systems"] == 1 and {g["system"] for g in one["gaps"]} == {"cv-screener"}
    input_error(cli("gaps", "cv-screner", "--as-of", "2026-11-29"), "cv-screner", "cv-screener")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--within", "soon"], ["--within", "180d"]),
        (["--as-of", "2026-13-01"], ["--as-of"]),
        (["-j", "XX"], ["jurisdiction"]),
        (["-f", "xml"], ["xml"]),
    ],
)
def test_bad_options_exit_two(cli, args, needles):
    input_error(cli("gaps", str(EXAMPLES / "cv-screener.yaml"), *args), *needles)


def test_bad_inputs_exit_two_and_write_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    bad = write(tmp_path / "bad" / "p.yaml", "id: x\nname: X\nmarkets: [NOWHERE]\n")
    out = tmp_path / "out.json"
    input_error(cli("gaps", bad, "-o", str(out)), "NOWHERE")
    assert not out.exists()
    # a name that is neither a file nor a known system, and nothing to pick it from
    input_error(cli("gaps", "no-such-system"), "no-such-system")
    # no arguments, no inventory in any config, no registry: say how to get systems
    input_error(cli("gaps"), "registry import")
    assert not (tmp_path / ".accord").exists()  # looking created no database


def test_registry_systems_and_their_evidence(cli, tmp_path, monkeypatch):
    """--registry: systems at their latest version, with `accord evidence add` records."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ACCORD_DB", f"sqlite:///{tmp_path / 'reg.db'}")
    imported = cli("registry", "import", str(EXAMPLES / "cv-screener.yaml"))
    assert imported.exit_code == 0, imported.stderr
    args = ("gaps", "--registry", "cv-screener", "--as-of", "2026-11-29", "-f", "json")
    duty = "us-nyc-ll144.notice.data-information"  # closed by data-request-response
    assert duty in {g["rule_id"] for g in json.loads(cli(*args).stdout)["gaps"]}
    doc = write(tmp_path / "dsar-process.txt", "how we answer data requests\n")
    added = cli(
        "evidence", "add", "cv-screener", "--control", "data-request-response",
        "--file", doc, "--date", "2026-01-10",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert duty not in {g["rule_id"] for g in json.loads(cli(*args).stdout)["gaps"]}
    with open(doc, "a") as fh:
        fh.write("edited later\n")
    gap = next(g for g in json.loads(cli(*args).stdout)["gaps"] if g["rule_id"] == duty)
    assert "sha mismatch" in gap["reason"]
    input_error(cli("gaps", "--registry", "cv-screner"), "cv-screener")


def test_text_table_is_at_most_100_columns_and_escapes_control_characters():
    from accord.cli.gaps import render_text

    system = _system(LL144, owner="Evil\x1b]0;pwned\x07 Corp")
    text = render_text(_gaps([system]), 240)
    assert "\x1b" not in text and "\\x1b" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.splitlines()[-1].startswith(f"{len(_gaps([system]).gaps)} gap(s) in 1 of 1")


def test_a_later_record_for_the_same_file_corrects_the_earlier_one():
    first = _record(date=dt.date(2026, 3, 15), location="audits/a.pdf")
    fixed = _record(
        date=dt.date(2026, 3, 15), location="audits/a.pdf", valid_until=dt.date(2026, 6, 30)
    )
    assert AUDIT_DUTY not in _by_rule(_gaps([_system(LL144, [first])]))
    gap = _by_rule(_gaps([_system(LL144, [first, fixed])]))[AUDIT_DUTY]
    assert gap.expired_on == dt.date(2026, 7, 1)
    # a record for another file stands on its own
    other = _record(date=dt.date(2026, 3, 15), location="audits/b.pdf")
    assert AUDIT_DUTY not in _by_rule(_gaps([_system(LL144, [first, fixed, other])]))
