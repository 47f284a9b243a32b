"""Hypothesis settings for the fuzz folder: small and reproducible in `make test`, long in
`make fuzz`.

`make test` must stay fast and deterministic on CI, so the default profile runs a few dozen
derandomised examples per property. `make fuzz` sets ACCORD_FUZZ=1, which selects a profile with
thousands of random (not derandomised) examples per property: slower, but it explores new inputs
on every run. Deadlines are off in both, because the first example of a test pays for loading
the rulebooks and DuckDB, which says nothing about the code under test.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    # Inputs are built from big vocabularies and written to files: that is slow on purpose.
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    "print_blob": True,
}
settings.register_profile("accord-default", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("accord-fuzz", max_examples=3000, derandomize=False, **_COMMON)

FUZZ = os.environ.get("ACCORD_FUZZ", "") not in ("", "0")
settings.load_profile("accord-fuzz" if FUZZ else "accord-default")
