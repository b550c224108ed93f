"""engagement-index: how deep is US and Chinese security engagement in each Latin American
and Caribbean country, on what evidence, and how far can the answer be trusted."""

from engagement_index.io.errors import InputError, Problem
from engagement_index.ledger.evidence import load_evidence
from engagement_index.ledger.framework import load_framework
from engagement_index.ledger.validate import validate

__all__ = ["InputError", "Problem", "load_evidence", "load_framework", "validate"]
__version__ = "0.1.0"
