"""Shared Rich consoles, so every command prints the same way and errors go to stderr."""

from __future__ import annotations

from rich.console import Console

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)
