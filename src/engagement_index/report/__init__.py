"""Per-country scorecards and the regional report (HTML and PDF).

:func:`~.scorecard.build_scorecard` picks one country's figures from a
:class:`~engagement_index.sensitivity.analysis.RegionalAnalysis` (the model and its
sensitivity results, computed once for all countries); :mod:`.html`, :mod:`.pdf` and
:mod:`.regional` render them, :mod:`.tuner` writes the browser weight tuner and
:mod:`.writer` writes a whole report directory atomically.
"""

from __future__ import annotations

from engagement_index.report.scorecard import Scorecard, build_scorecard, check_iso3

__all__ = ["Scorecard", "build_scorecard", "check_iso3"]
