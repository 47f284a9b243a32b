"""Click, wherever this Typer keeps it (recent Typer vendors it as `typer._click`)."""

from __future__ import annotations

try:  # pragma: no cover - depends on the installed Typer
    import click
except ImportError:  # pragma: no cover
    from typer import _click as click  # type: ignore[no-redef]

__all__ = ["click"]
