"""`accord audit ...` commands (bias and fairness audits)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Bias and fairness audits that run where the data lives.", no_args_is_help=True)
