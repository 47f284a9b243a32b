"""The registry commands end to end: import, versions, history, evidence, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.registry.conftest import raw_query


def _copy(tmp_path: Path, name: str = "cv-screener") -> Path:
    """A copy of an example next to its audit evidence, so it can be edited."""
    shutil.copytree(EXAMPLES / "audits", tmp_path / "audits", dirs_exist_ok=True)
    target = tmp_path / f"{name}.yaml"
    shutil.copy(EXAMPLES / f"{name}.yaml", target)
    return target


def test_import_examples_then_unchanged_then_changed(cli, url, tmp_path):
    from accord import registry

    r = cli("registry", "import", str(EXAMPLES), "--db", url, "-m", "first", "--author", "ann")
    assert r.exit_code == 0, r.stderr
    n = len(list(EXAMPLES.glob("*.yaml")))
    assert f"{n} profile(s) imported" in r.stdout and f"{n} new" in r.stdout
    # the same files again: nothing new
    r = cli("registry", "import", str(EXAMPLES), "--db", url)
    assert r.exit_code == 0 and f"{n} unchanged" in r.stdout
    assert raw_query(url, "SELECT count(*) FROM accord_versions") == [(n,)]
    # an edited copy is version 2, with author, message and the field-level change
    f = _copy(tmp_path)
    f.write_text(f.read_text().replace("size: medium", "size: large"))
    r = cli("registry", "import", str(f), "--db", url, "-m", "grew", "--author", "bob")
    assert r.exit_code == 0 and "cv-screener: changed (version 2)" in r.stdout
    vs = registry.versions(url, "cv-screener")
    assert [(v.number, v.author, v.message) for v in vs] == [
        (1, "ann", "first"),
        (2, "bob", "grew"),
    ]
    assert vs[0].created_at.tzinfo is not None and vs[1].created_at >= vs[0].created_at
    assert registry.profile_at(url, "cv-screener", 1).organisation.size == "medium"
    assert registry.profile_at(url, "cv-screener").organisation.size == "large"
    h = cli("history", "cv-screener", "--db", url)
    assert h.exit_code == 0
    assert "organisation.size: medium -> large" in h.stdout
    assert "legal changes as of" in h.stdout
    assert "version 2" in h.stdout and "bob" in h.stdout and "grew" in h.stdout
    js = json.loads(cli("history", "cv-screener", "--db", url, "-f", "json").stdout)
    assert js[1]["changes"] == [
        {"path": "organisation.size", "change": "changed", "old": "medium", "new": "large"}
    ]
    assert js[0]["legal"] is None and "changed" in js[1]["legal"]
    # dropping the NYC market is a legal change: the LL144 duties go, and history says so
    f.write_text(f.read_text().replace("US-NY-NYC, ", ""))
    r = cli("registry", "import", str(f), "--db", url, "-m", "no NYC", "--author", "bob")
    assert r.exit_code == 0 and "version 3" in r.stdout
    h = cli("history", "cv-screener", "--db", url, "--as-of", "2026-11-29")
    newest = h.stdout.split("version 2")[0]
    assert "markets: - US-NY-NYC" in newest and "us-nyc-ll144" in newest
    assert "duty removed" in newest
    # load_systems: latest of each, or as of version 1
    systems = registry.load_systems(url)
    assert len(systems) == n and [s.id for s in systems] == sorted(s.id for s in systems)
    cv = next(s for s in systems if s.id == "cv-screener")
    assert cv.version == 3 and cv.profile.organisation.size == "large" and cv.path is None
    old = registry.load_systems(url, as_of_version=1, ids=["cv-screener"])
    assert [(s.id, s.version) for s in old] == [("cv-screener", 1)]
    assert cli("log", "verify", "--db", url).stdout.startswith(f"{n + 2} events verified")


def test_stored_profile_is_canonical_and_round_trips(sqlite_url):
    """Same facts, same hash (key order, defaults written out or not); loads back equal."""
    from accord.profile import load_profile
    from accord.registry import store
    from accord.registry.chain import sha256_text

    p = load_profile(EXAMPLES / "spam-filter.yaml")
    text = store.profile_json(p)
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    same = p.model_copy(update={"controls": list(p.controls)})
    assert store.profile_json(same) == text
    with store.open_registry(sqlite_url) as reg:
        reg.import_prepared(store.prepare([EXAMPLES / "spam-filter.yaml"]), "t", None)
        v = reg.version("spam-filter")
    assert v.profile() == p and v.sha256 == sha256_text(text)


def test_owner_is_set_and_logged(cli, sqlite_url):
    cli("registry", "import", str(EXAMPLES / "spam-filter.yaml"), "--db", sqlite_url)
    r = cli("registry", "owner", "spam-filter", "Mail team", "--db", sqlite_url)
    assert r.exit_code == 0
    rows = json.loads(cli("registry", "list", "--db", sqlite_url, "-f", "json").stdout)
    assert rows[0]["owner"] == "Mail team" and rows[0]["latest"] == 1
    assert raw_query(sqlite_url, "SELECT kind FROM accord_events ORDER BY seq") == [
        ("version.add",),
        ("owner.set",),
    ]


def test_bad_file_in_batch_writes_nothing(cli, sqlite_url, tmp_path):
    good = _copy(tmp_path, "spam-filter")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nname: Bad\nmarkets: [XX]\n")
    r = cli("registry", "import", str(good), str(bad), "--db", sqlite_url)
    assert r.exit_code == 2 and "nothing was imported" in r.stderr and "XX" in r.stderr
    assert "Traceback" not in r.stderr
    assert not Path(sqlite_url.split("///")[1]).exists()  # not even an empty database


def test_duplicate_import_is_an_input_error(cli, sqlite_url, tmp_path):
    f = _copy(tmp_path, "spam-filter")
    r = cli("registry", "import", str(f), str(f), "--db", sqlite_url)
    assert r.exit_code == 2 and "named twice" in r.stderr
    twin = tmp_path / "twin.yaml"
    shutil.copy(f, twin)
    r = cli("registry", "import", str(f), str(twin), "--db", sqlite_url)
    assert r.exit_code == 2 and "duplicate" in r.stderr and "spam-filter" in r.stderr


def test_unknown_system_suggests_close_ids(cli, sqlite_url):
    cli("registry", "import", str(EXAMPLES), "--db", sqlite_url)
    r = cli("history", "cv-screenr", "--db", sqlite_url)
    assert r.exit_code == 2 and "did you mean 'cv-screener'" in r.stderr
    r = cli(
        "evidence",
        "add",
        "cv-scr",
        "--control",
        "bias-audit",
        "--url",
        "https://x.org/a",
        "--db",
        sqlite_url,
    )
    assert r.exit_code == 2 and "cv-screener" in r.stderr


def test_reading_a_missing_registry_creates_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    r = cli("registry", "list")
    assert r.exit_code == 2 and "no registry at" in r.stderr
    assert not (tmp_path / ".accord").exists()
    # the default location: .accord/registry.db under the working directory
    assert cli("registry", "import", str(EXAMPLES / "spam-filter.yaml")).exit_code == 0
    assert (tmp_path / ".accord" / "registry.db").is_file()


def test_url_resolution_order(tmp_path, monkeypatch):
    from accord.registry.url import resolve_url

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_DB", raising=False)
    assert resolve_url(None) == f"sqlite:///{tmp_path.as_posix()}/.accord/registry.db"
    (tmp_path / "sub").mkdir()
    (tmp_path / "accord.toml").write_text('db = "sqlite:///data/reg.db"\n')
    monkeypatch.chdir(tmp_path / "sub")  # relative to the config file, not the cwd
    assert resolve_url(None) == f"sqlite:///{tmp_path.as_posix()}/data/reg.db"
    monkeypatch.setenv("ACCORD_DB", "sqlite:///env.db")
    assert resolve_url(None) == "sqlite:///env.db"
    assert resolve_url("sqlite:///cli.db") == "sqlite:///cli.db"


def test_evidence_add_list_verify(cli, url, tmp_path):
    from accord import registry

    cli("registry", "import", str(EXAMPLES), "--db", url)
    audit = tmp_path / "audit.json"
    shutil.copy(EXAMPLES / "audits" / "2026-03-bias-audit.json", audit)
    r = cli("evidence", "add", "cv-screener", "--file", str(audit), "--db", url)
    assert r.exit_code == 0, r.stderr
    assert "bias-audit, 2026-03-15, valid until 2027-03-15" in r.stdout
    doc = tmp_path / "oversight.pdf"
    doc.write_bytes(b"%PDF-1.4 oversight procedure")
    r = cli(
        "evidence",
        "add",
        "cv-screener",
        "--control",
        "human-oversight",
        "--file",
        str(doc),
        "--date",
        "2026-02-01",
        "--valid-until",
        "2027-02-01",
        "--owner",
        "HR",
        "--covers",
        "us-nyc-ll144.bias-audit",
        "--db",
        url,
    )
    assert r.exit_code == 0, r.stderr
    r = cli(
        "evidence",
        "add",
        "cv-screener",
        "--control",
        "notice-to-individuals",
        "--url",
        "https://example.com/notice",
        "--date",
        "2026-01-10",
        "--db",
        url,
    )
    assert r.exit_code == 0, r.stderr
    recs = registry.evidence_for(url, "cv-screener")
    import hashlib

    assert [r.control for r in recs] == ["bias-audit", "human-oversight", "notice-to-individuals"]
    assert recs[1].sha256 == hashlib.sha256(doc.read_bytes()).hexdigest()
    assert recs[1].covers == ["us-nyc-ll144.bias-audit"] and recs[1].owner == "HR"
    assert recs[2].sha256 is None
    cv = registry.load_systems(url, ids=["cv-screener"])[0]
    assert [e.control for e in cv.evidence] == [r.control for r in recs]
    r = cli("evidence", "verify", "--db", url)
    assert r.exit_code == 0 and "2 of 2 file(s) unchanged" in r.stdout
    doc.write_bytes(b"%PDF-1.4 edited")
    audit.unlink()
    r = cli("evidence", "verify", "--db", url)
    assert r.exit_code == 1
    assert f"changed: evidence 2 of cv-screener (human-oversight): {doc.resolve()}" in r.stdout
    assert "missing: evidence 1" in r.stdout
    # a correction is a new record; the replaced one stops counting but stays listed with --all
    r = cli(
        "evidence",
        "add",
        "cv-screener",
        "--control",
        "human-oversight",
        "--file",
        str(doc),
        "--date",
        "2026-02-02",
        "--replaces",
        "2",
        "--db",
        url,
    )
    assert r.exit_code == 0, r.stderr
    assert [e.id for e in registry.evidence_for(url, "cv-screener")] == ["1", "3", "4"]
    listed = json.loads(
        cli("evidence", "list", "cv-screener", "--all", "-f", "json", "--db", url).stdout
    )
    assert [e["id"] for e in listed] == ["1", "2", "3", "4"]
    assert cli("log", "verify", "--db", url).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--control", "bias-audti", "--url", "https://x.org"], "did you mean 'bias-audit'"),
        (["--url", "https://x.org"], "--control is required"),
        (["--control", "bias-audit"], "exactly one of --file"),
        (["--control", "bias-audit", "--url", "ftp://x.org/a"], "not an http(s) URL"),
        (
            ["--control", "bias-audit", "--url", "https://x.org", "--covers", "us-nyc-ll144.bias"],
            "unknown rule id",
        ),
        (
            ["--control", "bias-audit", "--url", "https://x.org", "--date", "2026-02-30"],
            "not a date",
        ),
        (
            [
                "--control",
                "bias-audit",
                "--url",
                "https://x.org",
                "--date",
                "2026-02-01",
                "--valid-until",
                "2026-01-01",
            ],
            "before the evidence date",
        ),
        (["--control", "bias-audit", "--file", "/nonexistent/e.pdf"], "no such evidence file"),
        (
            ["--control", "bias-audit", "--url", "https://x.org", "--replaces", "99"],
            "no evidence record 99",
        ),
    ],
)
def test_evidence_bad_input(cli, sqlite_url, args, message):
    cli("registry", "import", str(EXAMPLES / "cv-screener.yaml"), "--db", sqlite_url)
    r = cli("evidence", "add", "cv-screener", *args, "--db", sqlite_url)
    assert r.exit_code == 2, r.stdout
    assert message in r.stderr and "Traceback" not in r.stderr
    assert raw_query(sqlite_url, "SELECT count(*) FROM accord_evidence") == [(0,)]
    assert raw_query(sqlite_url, "SELECT count(*) FROM accord_events") == [(1,)]


def test_audit_result_must_evidence_bias_audit(cli, sqlite_url):
    cli("registry", "import", str(EXAMPLES / "cv-screener.yaml"), "--db", sqlite_url)
    audit = EXAMPLES / "audits" / "2026-03-bias-audit.json"
    r = cli(
        "evidence",
        "add",
        "cv-screener",
        "--file",
        str(audit),
        "--control",
        "human-oversight",
        "--db",
        sqlite_url,
    )
    assert r.exit_code == 2 and "evidences bias-audit, not human-oversight" in r.stderr
    # an explicit date wins over the audit date
    r = cli(
        "evidence",
        "add",
        "cv-screener",
        "--file",
        str(audit),
        "--date",
        "2026-04-01",
        "--db",
        sqlite_url,
    )
    assert r.exit_code == 0 and "2026-04-01" in r.stdout
