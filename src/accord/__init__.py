"""Accord: AI regulation as code, across jurisdictions."""

__version__ = "0.1.0"
