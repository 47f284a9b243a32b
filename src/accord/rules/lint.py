"""Quality checks beyond loading: every rule proves itself with tests both ways."""

from __future__ import annotations

from accord.errors import Location, Problem
from accord.rules.ruleset import RuleSet


def coverage_problems(rs: RuleSet) -> list[Problem]:
    """Rules lacking a positive or negative test, or unverified without an explanation."""
    problems: list[Problem] = []
    for rid, rule in sorted(rs.rules.items()):
        book = rs.book_of[rid]
        loc = Location(str(book.rule_files.get(rid, book.folder)), book.rule_lines.get(rid))
        expects = {t.expect for t in rule.tests}
        if "applies" not in expects:
            problems.append(Problem(f"rule {rid}: no test case where it applies", loc))
        if "does_not_apply" not in expects:
            problems.append(Problem(f"rule {rid}: no test case where it does not apply", loc))
        if rule.confidence == "unverified" and not rule.confidence_note:
            problems.append(
                Problem(
                    f"rule {rid}: unverified without a confidence_note",
                    loc,
                    "say what is uncertain and why",
                )
            )
        if not rule.summary and rule.kind != "scope":
            problems.append(
                Problem(
                    f"rule {rid}: no summary", loc, "explain the rule in one to three sentences"
                )
            )
    return problems
