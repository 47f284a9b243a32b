"""Data strings never drive the terminal, never inject HTML or Markdown, never act as Rich markup.

Before the fix raw ESC sequences from category values reached the terminal, `<script>` reached the
Markdown summary, and `[bold]`/`[/b]` could be read as Rich markup.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from accord.audit import AuditResult, bias_audit
from accord.audit.render import markdown, plain, print_report, print_warnings, to_markdown

Cli = Callable[..., tuple[int, str, str]]
EVIL = "\x1b[31mred\x1b[0m<script>alert(1)</script>[bold]x[/b]"
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    n = 120
    table = pa.table(
        {
            "sex": ["Male", "Female"] * (n // 2),
            # An unmapped race value: it shows up in notes and warnings as well as in JSON.
            "race": [EVIL if i % 4 == 0 else "White" for i in range(n)],
            "team": [EVIL if i % 3 == 0 else "a|b `c` \x9b" for i in range(n)],
            "selected": [i % 5 < 2 for i in range(n)],
        }
    )
    path = tmp_path_factory.mktemp("esc") / "evil.parquet"
    pq.write_table(table, path)
    return path


@pytest.fixture(scope="module")
def result(data: Path) -> AuditResult:
    return bias_audit(
        str(data), outcome="selected", sex="sex", race="race", categories={"team": "team"}
    )


def test_text_report_shows_escapes_and_no_markup(result: AuditResult) -> None:
    buffer = io.StringIO()
    print_report(result, Console(file=buffer, width=500, color_system=None, emoji=True))
    text = buffer.getvalue()
    assert not RAW_CONTROL.search(text)
    assert "\\x1b[31mred\\x1b[0m<script>alert(1)</script>[bold]x[/b]" in text  # category row
    assert "\\x9b" in text
    assert text.count("[bold]x[/b]") >= 3  # table cell, unmapped-values note, EEOC row


def test_warnings_show_escapes_and_no_markup(result: AuditResult) -> None:
    buffer = io.StringIO()
    print_warnings(result, Console(file=buffer, width=500, color_system=None, emoji=True))
    text = buffer.getvalue()
    assert not RAW_CONTROL.search(text)
    assert "\\x1b[31mred\\x1b[0m<script>alert(1)</script>[bold]x[/b]" in text  # unmapped value


def test_markdown_escapes_html_and_markdown(result: AuditResult) -> None:
    md = to_markdown(result)
    assert not RAW_CONTROL.search(md)
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\\[bold\\]x\\[/b\\]" in md
    row = next(line for line in md.splitlines() if line.startswith("| a\\|b"))
    assert row.startswith("| a\\|b \\`c\\` \\\\x9b |")  # renders as: a|b `c` \x9b
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # five cells: no extra cell injected


def test_json_keeps_the_data_but_escapes_control_characters(result: AuditResult) -> None:
    text = result.to_json()
    assert not RAW_CONTROL.search(text)
    doc = json.loads(text)
    teams = [r["category"] for r in doc["other_categories"][0]["rows"]]
    assert EVIL in teams and "a|b `c` \x9b" in teams  # the data itself is unchanged


def test_cli_outputs(cli: Cli, data: Path) -> None:
    args = ["audit", "bias", data, "--outcome", "selected", "--sex", "sex", "--race", "race"]
    args += ["--category", "team=team"]
    for fmt in ("text", "markdown", "json"):
        code, out, err = cli(*args, "--format", fmt)
        assert code == 0, err
        assert not RAW_CONTROL.search(out), fmt
        assert not RAW_CONTROL.search(err), fmt
        if fmt == "markdown":
            assert "<script>" not in out


def test_helpers() -> None:
    assert plain("a\nb\tc\x1b\x9b\u202e") == "a\\x0ab\\x09c\\x1b\\x9b\\u202e"
    assert markdown("<a href='x'>&</a>") == "&lt;a href='x'&gt;&amp;&lt;/a&gt;"
    assert markdown("[link](javascript:x) *b* _i_ ~s~ `c` a|b \\") == (
        "\\[link\\](javascript:x) \\*b\\* \\_i\\_ \\~s\\~ \\`c\\` a\\|b \\\\"
    )
