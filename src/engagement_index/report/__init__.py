"""Per-country scorecards and the regional report (HTML and PDF).

:class:`~.scorecard.RegionalAnalysis` scores the model and runs the sensitivity analysis
once for all 33 countries; :func:`~.scorecard.build_scorecard` picks one country's
figures from it; :mod:`.html`, :mod:`.pdf` and :mod:`.regional` render them and
:mod:`.writer` writes a whole report directory atomically.
"""

from __future__ import annotations

from engagement_index.report.scorecard import (
    RegionalAnalysis,
    Scorecard,
    build_scorecard,
    check_iso3,
)

__all__ = ["RegionalAnalysis", "Scorecard", "build_scorecard", "check_iso3"]
