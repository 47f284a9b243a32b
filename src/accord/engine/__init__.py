"""Assessment engine: applicability, classification and obligations of one profile on a date."""

from accord.engine.assess import assess
from accord.engine.result import Assessment

__all__ = ["Assessment", "assess"]
