"""Pausing Python's cyclic garbage collector around bulk work.

Loading rulebooks and assessing or reporting on thousands of systems build millions of
short-lived or long-kept objects without reference cycles. The cyclic collector would rescan the
growing heap again and again (measured: a third of a batch, three quarters of a gap report,
three times a large rulebook's load), while reference counting frees what is dropped anyway.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """No cyclic collection inside; the previous state is restored after. With `freeze`, what
    survives (e.g. a rule set kept for the whole run) is moved out of later collections."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
