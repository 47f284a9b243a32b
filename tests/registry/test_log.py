"""The event log detects every direct edit of the database: an UPDATE, DELETE or INSERT of an
event or a data row, on SQLite and PostgreSQL (the edits are plain SQL, bypassing Accord)."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from tests.conftest import EXAMPLES
from tests.registry.conftest import raw_query, raw_sql

FILES = ["cv-screener", "spam-filter", "customer-chatbot"]


def _fill(url: str) -> None:
    """Three systems, one with a second version, an owner and two evidence records: 7 events."""
    import datetime as dt

    from accord.inventory.model import EvidenceRecord
    from accord.registry import store

    with store.open_registry(url) as reg:
        reg.import_prepared(store.prepare([EXAMPLES / f"{f}.yaml" for f in FILES]), "ann", "v1")
        p = store.prepare([EXAMPLES / "spam-filter.yaml"])[0]
        changed = p.profile.model_copy(update={"description": "now also phishing"})
        text = store.profile_json(changed)
        reg.import_prepared(
            [store.Prepared(p.path, changed, text, store.sha256_text(text))], "bob", "v2"
        )
        reg.set_owner("cv-screener", "HR", "ann")
        for control in ("bias-audit", "human-oversight"):
            rec = EvidenceRecord(
                system_id="cv-screener",
                control=control,
                location=f"https://example.com/{control}",
                date=dt.date(2026, 1, 1),
                valid_until=dt.date(2027, 1, 1),
            )
            reg.add_evidence(rec, "url", None, "ann")


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "registry.db"
    _fill(f"sqlite:///{path}")
    return path


@pytest.fixture
def filled(cli, url, sqlite_template):
    return _filled(cli, url, sqlite_template)


def _filled(cli, url, sqlite_template):
    if url.startswith("sqlite"):
        shutil.copy(sqlite_template, url.split("sqlite:///", 1)[1])
    else:
        _fill(url)
    ok = cli("log", "verify", "--db", url)
    assert ok.exit_code == 0 and ok.stdout.startswith("7 events verified; head "), ok.stderr
    return url


def _broken(cli, url):
    r = cli("log", "verify", "--db", url)
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    return r.stderr


def test_chain_matches_the_documented_definition(filled):
    """Recompute every hash from the table with hashlib alone, as docs/registry.md defines it."""
    prev = "0" * 64
    rows = raw_query(
        filled,
        "SELECT seq, at, actor, kind, subject, payload, prev_hash, hash "
        "FROM accord_events ORDER BY seq",
    )
    for seq, at, actor, kind, subject, payload, prev_hash, h in rows:
        meta = json.dumps(
            {"actor": actor, "at": at, "kind": kind, "seq": seq, "subject": subject},
            sort_keys=True,
            separators=(",", ":"),
        )
        assert prev_hash == prev
        assert h == hashlib.sha256(f"{prev}\n{payload}\n{meta}".encode()).hexdigest()
        prev = h
    assert [r[0] for r in rows] == list(range(1, 8))
    assert raw_query(filled, "SELECT seq, hash FROM accord_head") == [(7, prev)]


EDITS = [
    # an event's payload edited
    (
        "UPDATE accord_events SET payload = replace(payload, '\"ann\"', '\"eve\"') WHERE seq = 2",
        2,
        "was edited",
    ),
    # an event's metadata (actor) edited
    ("UPDATE accord_events SET actor = 'eve' WHERE seq = 3", 3, "was edited"),
    # a version's profile edited (its hash no longer matches)
    (
        "UPDATE accord_versions SET profile_json = replace(profile_json, 'EU', 'US') "
        "WHERE system_id = 'cv-screener'",
        1,
        "profile was edited",
    ),
    # a version's profile and its sha256 edited together (the event still disagrees)
    (
        "UPDATE accord_versions SET profile_json = '{}', sha256 = "
        "'44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' "
        "WHERE system_id = 'customer-chatbot'",
        3,
        "differs from what event #3 recorded",
    ),
    # a version's author rewritten
    ("UPDATE accord_versions SET author = 'eve' WHERE number = 2", 4, "differs"),
    # a data row deleted
    ("DELETE FROM accord_versions WHERE number = 2", 4, "row is missing"),
    ("DELETE FROM accord_evidence WHERE control = 'human-oversight'", 7, "row is missing"),
    # an event in the middle deleted
    ("DELETE FROM accord_events WHERE seq = 4", 4, "event #4 is missing"),
    # the last event deleted (the head row still says 7)
    ("DELETE FROM accord_events WHERE seq = 7", 7, "deleted at the end"),
    # evidence dates moved
    ("UPDATE accord_evidence SET valid_until = '2099-01-01'", 6, "differs"),
    # an owner changed behind the log's back
    ("UPDATE accord_systems SET owner = 'eve' WHERE id = 'cv-screener'", 8, "owner"),
]
BOTH = {0, 5, 7}  # UPDATE a payload, DELETE a data row, DELETE an event: on PostgreSQL too
CASES = [("sqlite", *e) for e in EDITS] + [("pg", *EDITS[i]) for i in sorted(BOTH)]


@pytest.mark.parametrize(("backend", "sql", "seq", "why"), CASES)
def test_direct_edits_are_detected(cli, request, sqlite_template, backend, sql, seq, why):
    filled = _filled(cli, request.getfixturevalue(f"{backend}_url"), sqlite_template)
    raw_sql(filled, sql)
    message = _broken(cli, filled)
    assert message.startswith(f"error: log broken at event #{seq}:") or (
        f"log broken at event #{seq}:" in message
    ), message
    assert why in message


def test_forged_events_are_detected(cli, filled):
    # a forged event with a made-up hash
    raw_sql(
        filled,
        "INSERT INTO accord_events VALUES (8, '2026-01-01T00:00:00+00:00', 'eve', "
        "'version.add', 'spam-filter', '{}', 'x', 'y')",
    )
    assert "event #8 does not chain" in _broken(cli, filled)


def test_well_forged_event_at_the_end_is_detected_by_the_head(cli, filled):
    """An attacker who knows the hash definition appends a correct link but not the head."""
    from accord.registry.chain import event_hash

    head = raw_query(filled, "SELECT hash FROM accord_events WHERE seq = 7")[0][0]
    at = "2026-01-01T00:00:00+00:00"
    h = event_hash(head, "{}", seq=8, at=at, actor="eve", kind="note", subject="x")
    raw_sql(
        filled,
        f"INSERT INTO accord_events VALUES (8, '{at}', 'eve', 'note', 'x', '{{}}', "
        f"'{head}', '{h}')",
    )
    assert "added outside Accord" in _broken(cli, filled)


def test_inserted_data_rows_are_detected(cli, filled):
    raw_sql(
        filled,
        "INSERT INTO accord_versions (system_id, number, profile_json, sha256, "
        "author, created_at, message, event_seq) VALUES ('spam-filter', 3, '{}', "
        "'44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', 'eve', "
        "'2026-01-01', NULL, 99)",
    )
    assert "version spam-filter@3 has no event #99" in _broken(cli, filled)


def test_inserted_row_pointing_at_another_event_is_detected(cli, filled):
    raw_sql(
        filled,
        "INSERT INTO accord_evidence (system_id, control, covers_json, kind, "
        "location, date, added_by, created_at, event_seq) VALUES ('cv-screener', "
        "'bias-audit', '[]', 'url', 'https://forged', '2026-01-01', 'eve', "
        "'2026-01-01', 5)",
    )
    message = _broken(cli, filled)
    assert "at event #5:" in message and "records owner.set" in message


def test_rewritten_log_is_caught_by_a_recorded_head(cli, filled):
    """Rewriting the whole chain consistently is possible for a database owner; a head hash
    recorded elsewhere (a CI log, a ticket) catches it."""
    head = cli("log", "verify", "--db", filled).stdout.split()[-1]
    assert cli("log", "verify", "--db", filled, "--head", head).exit_code == 0
    r = cli("log", "verify", "--db", filled, "--head", "ab" * 32)
    assert r.exit_code == 1 and "no event has hash" in r.stderr


def test_empty_registry_verifies(sqlite_url):
    from accord.registry import store

    with store.open_registry(sqlite_url) as reg:
        report = reg.verify_log()
    assert report.ok and report.events == 0 and report.head == "0" * 64
