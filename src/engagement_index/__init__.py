"""engagement-index: how deep is US and Chinese security engagement in each Latin American
and Caribbean country, on what evidence, and how far can the answer be trusted."""

from .errors import InputError, Problem
from .evidence import load_evidence
from .framework import load_framework
from .validate import validate

__all__ = ["InputError", "Problem", "load_evidence", "load_framework", "validate"]
__version__ = "0.1.0"
