"""Bias and fairness audits that run where the data lives (design section 8).

One grouped count on the engine (plus one median for scoring rates) yields every sufficient
statistic; NYC LL144 tables, EEOC four-fifths checks and fairlearn-style metrics are computed
from those counts in Python. Heavy libraries (Ibis, DuckDB, scipy) load only when an audit runs.
"""

from __future__ import annotations

from accord.audit.api import bias_audit, run_bias_audit
from accord.audit.result import SCHEMA_VERSION, AuditResult
from accord.audit.spec import AuditSpec, load_spec

__all__ = [
    "SCHEMA_VERSION",
    "AuditResult",
    "AuditSpec",
    "bias_audit",
    "load_spec",
    "run_bias_audit",
]
