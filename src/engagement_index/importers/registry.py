"""External datasets that importers turn into derived ledger rows.

Each entry names the dataset as a ``source`` id for derived rows, who publishes it, and
how to cite it. The raw files stay outside the repository (``../shared/data``).
"""

from __future__ import annotations

DATASETS: dict[str, dict[str, str]] = {
    "sipri-at": {
        "name": "SIPRI Arms Transfers Database, trade register",
        "publisher": "Stockholm International Peace Research Institute",
        "citation": "Source: SIPRI Arms Transfers Database",
    },
    "us-fmtr": {
        "name": "US Foreign Military Training and DoD Engagement Activities of Interest "
        "report, Western Hemisphere (machine-readable edition)",
        "publisher": "US Department of State and Department of Defense; parsed by "
        "Security Force Monitor (fmtrpt_data, MIT licence)",
        "citation": "Source: US Foreign Military Training Report, via Security Force Monitor",
    },
    "china-finance": {
        "name": "AidData Global Chinese Development Finance Dataset, Version 3.0 "
        "(geolocated subset)",
        "publisher": "AidData, William & Mary (aiddata/gcdf-geospatial-data)",
        "citation": "AidData, Global Chinese Development Finance Dataset, Version 3.0",
        "licence": "ODC-By 1.0",
    },
}
"""Dataset ids usable as the ``source`` of derived ledger rows."""
