"""The evidence ledger: framework (countries, actors, pillars, indicators, units), curated
and derived evidence rows, quote checks, validation and cross-checks against the datasets."""
